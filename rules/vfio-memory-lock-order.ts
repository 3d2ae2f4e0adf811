import { defineRule, type LockPattern } from './types.js';

const MEMORY_LOCK: LockPattern = {
  kind: 'any-of',
  of: [
    { kind: 'class', name: '&vdev->memory_lock' },
    { kind: 'class', name: 'memory_lock' },
  ],
};

/** REVOKE-7: VFIO memory_lock -> dma_resv, and importer paths never need memory_lock. */
export const rule = defineRule({
  meta: {
    id: 'vfio-memory-lock-order',
    family: 'revoke',
    severity: 'error',
    summary: "VFIO's memory_lock is taken before dma_resv, never under it, and never from an importer's invalidate callback.",
    rationale:
      'VFIO revokes with vdev->memory_lock held for write and then takes the dma-buf resv; export takes ' +
      'memory_lock then the new buffer\'s resv. Importer callbacks therefore run under both, and the wait for ' +
      'unmaps happens with memory_lock still held: an importer path that needs memory_lock (directly, or by ' +
      'faulting on the exporter\'s mmap, whose fault handler takes memory_lock for read under mmap_lock) ' +
      'deadlocks against the revoke.',
    covers: ['REVOKE-7'],
    citations: [
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_move' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_cleanup' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_core_feature_dma_buf' },
    ],
    messages: {
      'memory-lock-in-callback': '{{api}}({{lock}}) in an invalidate_mappings callback, which runs under memory_lock held for write',
      'memory-lock-cycle': 'acquiring {{lock}} while holding {{held}} closes a lock cycle through VFIO\'s memory_lock',
    },
    hedge: 'The model names the lock class "&vdev->memory_lock" (or a variable memory_lock); other spellings are not recognised.',
    // vfio_pci_core_feature_dma_buf() / vfio_pci_dma_buf_move(): memory_lock, then the dma-buf's resv.
    order: [
      ['&vdev->memory_lock', 'reservation_ww_class_mutex'],
      ['memory_lock', 'reservation_ww_class_mutex'],
    ],
  },
  checks: [
    {
      kind: 'step',
      id: 'memory-lock-in-callback',
      on: { op: 'lock', lock: MEMORY_LOCK },
      when: { kind: 'in-context', context: 'invalidate-mappings' },
    },
    { kind: 'lock-cycle', id: 'memory-lock-cycle', through: [MEMORY_LOCK] },
  ],
});
