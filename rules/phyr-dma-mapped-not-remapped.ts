import { defineRule, type Citation } from './types.js';

/** The phyr vs scatterlist thread, the message proposing the dma-mapped mode and the conversion helper. */
const PHYR_THREAD: Citation = {
  kind: 'list',
  list: 'linaro-mm-sig, dri-devel',
  date: '2025-01-22',
  subject: 'phyr vs scatterlist (dma-buf phyr interfaces)',
  author: 'Jason Gunthorpe',
};

/** PHYR-1 (the phyr thread): an importer maps a phyr exactly once, and never one that already holds DMA addresses. */
export const rule = defineRule({
  meta: {
    id: 'phyr-dma-mapped-not-remapped',
    family: 'phyr',
    severity: 'error',
    summary: 'A dma-mapped phyr is not mapped again, a phyr is not mapped twice, and a device uses a phyr only once it holds DMA addresses.',
    rationale:
      'To let a scatterlist exporter interoperate through a phyr, Jason Gunthorpe suggested storing an already ' +
      'dma-mapped list in the phyr, marked in its meta information, with importers detecting that mode and skipping ' +
      'their normal mapping; old importers would call a helper that turns a phyr into a dma-mapped scatterlist. ' +
      'Both halves of that contract can fail. An importer that maps a dma-mapped phyr treats DMA addresses as ' +
      'physical addresses and programs its device with translations of addresses that are not memory; an importer ' +
      'that skips the mapping of a plain phyr hands its device CPU physical addresses, which behind an IOMMU or for ' +
      'P2P are not the bus addresses. A second mapping of the same phyr leaks the first IOVA range.',
    covers: ['PHYR-1'],
    citations: [PHYR_THREAD, { kind: 'kernel', file: 'include/linux/dma-mapping.h', symbol: 'dma_map_sgtable' }],
    messages: {
      'remap-dma-mapped': '{{api}}({{phyr}}) maps {{phyr}}, which already holds DMA addresses; a dma-mapped phyr must skip the mapping',
      'mapped-twice': '{{api}}({{phyr}}) maps {{phyr}} a second time while its first mapping is live',
      'dma-unmapped': '{{api}}({{phyr}}) lets the device use {{phyr}}, which is neither dma-mapped nor mapped: the device gets CPU physical addresses',
    },
    hedge: 'No phyr API is merged: phyr_map, phyr_to_sgt and the dma-mapped flag follow the proposal in the thread, with lockmc\'s names.',
  },
  checks: [
    {
      kind: 'step',
      id: 'remap-dma-mapped',
      on: { op: 'phyr_op', api: ['phyr_map'] },
      when: { kind: 'phyr', dmaMapped: true },
    },
    {
      kind: 'step',
      id: 'mapped-twice',
      on: { op: 'phyr_op', api: ['phyr_map', 'phyr_to_sgt'] },
      when: { kind: 'phyr', dmaMapped: false, mapped: true },
    },
    {
      kind: 'step',
      id: 'dma-unmapped',
      on: { op: 'phyr_op', api: ['device_read', 'device_write'] },
      when: { kind: 'phyr', dmaMapped: false, mapped: false },
    },
  ],
});
