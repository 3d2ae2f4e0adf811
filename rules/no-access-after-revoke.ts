import { defineRule } from './types.js';

/** REVOKE-3 and the REVOKE-6 safety property on device access. */
export const rule = defineRule({
  meta: {
    id: 'no-access-after-revoke',
    family: 'revoke',
    severity: 'error',
    summary: 'No device writes through an invalidated mapping, and no device access through a mapping of a revoked buffer that was never invalidated.',
    rationale:
      'After invalidate_mappings returns, the importer may let already-fenced DMA finish and may still ' +
      'speculatively read and discard until it unmaps, but it must not write: the exporter is about to ' +
      'reuse or disable the memory. A buffer marked revoked whose mappings are still live (never ' +
      'invalidated) is the other half of the same hazard: the device keeps using memory the exporter has ' +
      'declared gone, which ends in IOMMU faults or AER.',
    covers: ['REVOKE-3', 'REVOKE-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_invalidate_mappings', note: 'kerneldoc (2026)' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_move' },
    ],
    messages: {
      'write-after-invalidate': '{{api}}() writes through {{attachment}} after its mapping was invalidated; only speculative reads are allowed until unmap',
      'access-revoked-mapping': '{{api}}() through {{attachment}}: its dma-buf is revoked and the resv released, but the mapping was never invalidated',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'write-after-invalidate',
      on: { op: 'device_access', write: true },
      when: { kind: 'attachment', subject: 'operand', state: 'invalidated' },
    },
    {
      kind: 'step',
      id: 'access-revoked-mapping',
      on: { op: 'device_access' },
      when: {
        kind: 'and',
        of: [
          { kind: 'buffer', subject: 'operand', state: 'revoked' },
          { kind: 'attachment', subject: 'operand', state: 'mapped' },
          // While another thread holds the resv the exporter may be between
          // marking and invalidating (REVOKE-2 steps 3-4): not yet a fault.
          {
            kind: 'or',
            of: [
              { kind: 'buffer-resv-held', who: 'self' },
              { kind: 'not', of: { kind: 'buffer-resv-held', who: 'any' } },
            ],
          },
        ],
      },
    },
  ],
});
