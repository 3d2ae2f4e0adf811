import { defineRule, type Citation } from './types.js';

const PFN_THREAD = {
  kind: 'list',
  list: 'dri-devel/kvm/iommu',
  date: '2025-01-07',
  subject: '[RFC PATCH 01/12] dma-buf: Introduce dma_buf_get_pfn_unlocked() kAPI',
  author: 'Xu Yilun',
} satisfies Citation;

/**
 * PIN-5, with the REVOKE-8 positions on importer-derived PFNs as the
 * option `revoke.pfn-export`.
 */
export const rule = defineRule({
  meta: {
    id: 'no-mapping-bypass',
    family: 'pin',
    severity: 'error',
    summary: 'Importers use the addresses the exporter mapped for them: no DMA without a current mapping, and PFNs or pages derived from a mapping only as the chosen revoke.pfn-export position allows.',
    rationale:
      'The exporter decides where a buffer lives and tells importers through map_dma_buf and ' +
      'invalidate_mappings. An importer that keeps using an address after unmapping, or derives struct ' +
      'pages or PFNs from the sg_table, steps outside that contract: the exporter can no longer move or ' +
      'revoke the memory safely (dma-buf even mangles sg_table page pointers under CONFIG_DMABUF_DEBUG to ' +
      'catch this). Whether an importer may ever obtain PFNs was the core of the 2025 ' +
      'dma_buf_get_pfn_unlocked() debate; the option revoke.pfn-export selects a position.',
    covers: ['PIN-5', 'REVOKE-8'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'mangle_sg_table' },
      PFN_THREAD,
    ],
    messages: {
      'access-without-mapping': '{{api}}() through {{attachment}}, which is not mapped: a cached address outlives its mapping',
      'pfn-export-forbidden': '{{api}}() derives a page/PFN from the mapping of {{attachment}}; under revoke.pfn-export=forbidden only the exporter maps',
      'pfn-export-unlocked': '{{api}}() derives a page/PFN from {{attachment}} without its dma-buf\'s resv; revoke.pfn-export=locked-only needs the lock that also invalidates',
      'pfn-after-invalidate': '{{api}}() derives a page/PFN from {{attachment}}, whose mapping is no longer valid',
    },
    options: [
      {
        key: 'revoke.pfn-export',
        summary: 'May an importer derive PFNs/pages from a dma-buf mapping (the 2025 dma_buf_get_pfn_unlocked RFC)?',
        default: 'forbidden',
        values: [
          {
            value: 'forbidden',
            summary: 'Christian König: the exporter is the one that maps; exposing PFNs or struct pages to importers is rejected.',
            citation: { ...PFN_THREAD, date: '2025-01-08', author: 'Christian König' },
          },
          {
            value: 'locked-only',
            summary: "Xu Yilun's v2: a locked getter only; the importer validates under the same lock (the resv) that invalidation takes.",
            citation: { ...PFN_THREAD, date: '2025-01-22', author: 'Xu Yilun' },
          },
          {
            value: 'importer-maps',
            summary: 'Jason Gunthorpe: importer-side mapping is correct DMA-API usage as long as the importer honours move/revoke.',
            citation: { ...PFN_THREAD, date: '2025-01', author: 'Jason Gunthorpe' },
          },
        ],
      },
    ],
    hedge: 'mangle_sg_table exists under CONFIG_DMABUF_DEBUG (reference marks this as hedge).',
  },
  checks: [
    {
      kind: 'step',
      id: 'access-without-mapping',
      on: { op: 'device_access' },
      when: { kind: 'attachment', subject: 'operand', state: ['attached', 'detached'] },
    },
    {
      kind: 'step',
      id: 'pfn-export-forbidden',
      on: { op: 'phyr_to_page' },
      when: { kind: 'option', key: 'revoke.pfn-export', is: 'forbidden' },
    },
    {
      kind: 'step',
      id: 'pfn-export-unlocked',
      on: { op: 'phyr_to_page' },
      when: {
        kind: 'and',
        of: [
          { kind: 'option', key: 'revoke.pfn-export', is: 'locked-only' },
          { kind: 'not', of: { kind: 'buffer-resv-held', who: 'self' } },
        ],
      },
    },
    {
      kind: 'step',
      id: 'pfn-after-invalidate',
      on: { op: 'phyr_to_page' },
      when: {
        kind: 'and',
        of: [
          { kind: 'option', key: 'revoke.pfn-export', is: ['locked-only', 'importer-maps'] },
          { kind: 'attachment', subject: 'operand', state: ['attached', 'detached', 'invalidated'] },
        ],
      },
    },
  ],
});
