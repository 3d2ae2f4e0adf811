import { defineRule } from './types.js';

/** The phyr rule: no struct pages from page-less phyr entries, no page refcount locking. */
export const rule = defineRule({
  meta: {
    id: 'phyr-no-struct-page',
    family: 'phyr',
    severity: 'error',
    summary: 'An importer must not turn a phyr entry without a struct page into a page, and must not switch from reservation locking to page-refcount locking.',
    rationale:
      'A physical-range (phyr) entry from an exporter that can only provide P2P/MMIO memory has no struct ' +
      'page behind it: turning it into a page pointer fabricates an object that does not exist. And ' +
      'whatever the memory, its lifetime is governed by the dma-buf reservation and the exporter\'s ' +
      'invalidate/revoke protocol; an importer that takes page references instead (get_page on the mapped ' +
      'pages) holds the memory outside that protocol, so the exporter can neither move nor revoke it.',
    covers: ['PHYR-1'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'mangle_sg_table' },
      { kind: 'doc', file: 'drivers/dma-buf/dma-buf.c', section: 'locking convention' },
    ],
    messages: {
      'page-from-pageless': '{{api}}() turns a phyr entry of {{attachment}} into a struct page, but its exporter has only P2P/MMIO memory without struct pages',
      'page-ref-lock': '{{api}}() on {{attachment}} switches from reservation locking to page refcounts; lifetime belongs to the resv and the exporter',
    },
    hedge:
      'The rule comes from the project issue text; rules-reference.md has no item for it and no kernel source was checked.',
  },
  checks: [
    {
      kind: 'step',
      id: 'page-from-pageless',
      on: { op: 'phyr_to_page' },
      when: { kind: 'exporter', subject: 'operand', cap: 'p2pOnly', is: true },
    },
    { kind: 'step', id: 'page-ref-lock', on: { op: 'page_ref_lock' } },
  ],
});
