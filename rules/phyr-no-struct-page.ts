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
    options: [
      {
        key: 'phyr.struct-page',
        summary: 'May an importer get a struct page back from a phyr entry that has one?',
        values: [
          {
            value: 'forbid',
            summary: 'No struct page from a phyr at all: the importer stays on reservation locking (the DRM side); a driver tracking pinned memory in a phyr must keep a second page list to unpin it.',
            citation: { kind: 'list', list: 'linaro-mm-sig, dri-devel', date: '2025-01-22', subject: 'phyr vs scatterlist (dma-buf phyr interfaces)', author: 'Simona Vetter' },
            consequence: 'fixtures/debates/phyr-scatterlist/violates-forbid-pin-leak.model.ts',
          },
          {
            value: 'warn',
            summary: 'A phyr may hand back the struct page when one exists (RDMA unpins pin_user_pages memory that way); a page-less entry WARNs.',
            citation: { kind: 'list', list: 'linaro-mm-sig, dri-devel', date: '2025-01-22', subject: 'phyr vs scatterlist (dma-buf phyr interfaces)', author: 'Jason Gunthorpe' },
            consequence: 'fixtures/debates/phyr-scatterlist/violates-warn-page-outlives-move.model.ts',
          },
        ],
        default: 'forbid',
      },
    ],
    messages: {
      'page-from-phyr': '{{api}}() turns a phyr entry of {{attachment}} into a struct page, which phyr.struct-page=forbid does not allow',
      'page-from-pageless': '{{api}}() turns a phyr entry of {{attachment}} into a struct page, but its exporter has only P2P/MMIO memory without struct pages',
      'page-ref-lock': '{{api}}() on {{attachment}} switches from reservation locking to page refcounts; lifetime belongs to the resv and the exporter',
      'pageless-phyr-entry': '{{api}}({{phyr}}) asks for the struct page of a P2P/MMIO range: there is none, and the page it would return is not memory',
      'phyr-entry-page': '{{api}}({{phyr}}) gets a struct page back from a phyr, which phyr.struct-page=forbid does not allow',
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
    {
      // The DRM position (phyr thread, Jan 2025); under `warn` only the page-less case above remains.
      kind: 'step',
      id: 'page-from-phyr',
      on: { op: 'phyr_to_page' },
      when: {
        kind: 'and',
        of: [
          { kind: 'option', key: 'phyr.struct-page', is: 'forbid' },
          { kind: 'exporter', subject: 'operand', cap: 'p2pOnly', is: false },
        ],
      },
    },
    {
      // The same two positions on a phyr object (phyr_from_p2p / phyr_from_pages) instead of an attachment.
      kind: 'step',
      id: 'pageless-phyr-entry',
      on: { op: 'phyr_op', api: ['phyr_entry_to_page'] },
      when: { kind: 'phyr', from: 'p2p' },
    },
    {
      kind: 'step',
      id: 'phyr-entry-page',
      // unpin_user_pages(phyr) gets each page back with phyr_entry_to_page to unpin it (the RDMA case).
      on: { op: 'phyr_op', api: ['phyr_entry_to_page', 'unpin_user_pages'] },
      when: { kind: 'and', of: [{ kind: 'option', key: 'phyr.struct-page', is: 'forbid' }, { kind: 'phyr', from: 'pages' }] },
    },
  ],
});
