import { defineRule } from './types.js';

/** REVOKE-4: a revoke completes: every invalidated mapping of a revoked buffer is unmapped. */
export const rule = defineRule({
  meta: {
    id: 'revocable-unmap-bounded',
    family: 'revoke',
    severity: 'error',
    summary: 'A revoke completes in bounded time: no run ends with a revoked buffer whose mapping is still in place, and the invalidate callback never waits on what the exporter holds.',
    rationale:
      'An importer that registers invalidate_mappings promises to unmap in bounded time without userspace ' +
      'help, either inside the callback (the resv is already held) or from a worker that takes the resv. ' +
      'The exporter waits for those unmaps while still holding its own outer lock (VFIO memory_lock), so a ' +
      'run in which all threads have finished or blocked while a revoked buffer still has a mapping is a ' +
      'revoke that never completes. The callback must also not fault: the exporter\'s mmap fault handler ' +
      'takes memory_lock under mmap_lock.',
    covers: ['REVOKE-4', 'REVOKE-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_attach_revocable', note: 'kerneldoc' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c' },
    ],
    messages: {
      'revoke-never-completes': 'a revoked dma-buf keeps a mapping that is never unmapped: the exporter\'s wait for unmaps does not end',
      'callback-faults': '{{api}}() in the invalidate_mappings callback may fault on the exporter\'s mmap, whose fault handler needs the exporter lock held across the revoke',
    },
  },
  checks: [
    {
      kind: 'terminal',
      id: 'revoke-never-completes',
      bad: {
        kind: 'and',
        of: [
          { kind: 'buffer', subject: 'any', state: 'revoked' },
          { kind: 'attachment', subject: 'any', state: ['mapped', 'invalidated'] },
        ],
      },
    },
    {
      kind: 'step',
      id: 'callback-faults',
      on: { op: 'user_access' },
      when: {
        kind: 'and',
        of: [
          { kind: 'in-context', context: 'invalidate-mappings' },
          { kind: 'exporter', subject: 'any', cap: 'revocable', is: true },
        ],
      },
    },
  ],
});
