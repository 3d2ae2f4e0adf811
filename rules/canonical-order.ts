/**
 * Lock-order facts the kernel teaches lockdep at boot, as data.
 *
 * `dma_resv_lockdep()` (drivers/dma-buf/dma-resv.c, a subsys_initcall built
 * with CONFIG_LOCKDEP) primes the canonical dma-buf hierarchy; core mm adds
 * edges on every boot through munmap, rmap and reclaim; KMS drivers prime
 * the modeset order in `drmm_mode_config_init()`. A driver model is
 * checked against all of them, so a single thread that inverts any of them
 * is reported exactly as lockdep would report it, with no second thread.
 *
 * Edge `type` is lockdep's: E/S = the previous lock was held exclusively /
 * shared, N/R = the next is a non-recursive / recursive-read acquisition.
 */

export type EdgeType = 'EN' | 'ER' | 'SN' | 'SR';

export interface PrimedEdge {
  /** Stable id used in chains and messages (`P1`, `MM1`, `KMS2`). */
  id: string;
  from: string;
  to: string;
  type: EdgeType;
  /** Where the kernel records it, for the chain's "at ..." line. */
  where: string;
  /** Only on kernels with this config (the default set assumes all on). */
  config?: 'CONFIG_MMU_NOTIFIER' | '!CONFIG_MMU_NOTIFIER' | 'KMS';
  citation: string;
}

export const MMAP_LOCK = '&mm->mmap_lock';
export const RESV_ACQUIRE = 'reservation_ww_class_acquire';
export const RESV_MUTEX = 'reservation_ww_class_mutex';
export const FS_RECLAIM = 'fs_reclaim';
export const MMU_NOTIFIER_MAP = 'mmu_notifier_invalidate_range_start';
export const I_MMAP_RWSEM = '&mapping->i_mmap_rwsem';
export const DMA_FENCE_MAP = 'dma_fence_map';
export const CRTC_ACQUIRE = 'crtc_ww_class_acquire';
export const CRTC_MUTEX = 'crtc_ww_class_mutex';

export const PSEUDO_LOCK_CLASSES = [FS_RECLAIM, MMU_NOTIFIER_MAP, DMA_FENCE_MAP] as const;

const RESV_LOCKDEP = 'drivers/dma-buf/dma-resv.c dma_resv_lockdep()';

export const PRIMED_EDGES: PrimedEdge[] = [
  { id: 'P1', from: MMAP_LOCK, to: RESV_ACQUIRE, type: 'SN', where: 'dma_resv_lockdep', citation: RESV_LOCKDEP },
  { id: 'P2', from: RESV_ACQUIRE, to: RESV_MUTEX, type: 'EN', where: 'dma_resv_lockdep', citation: RESV_LOCKDEP },
  { id: 'P3', from: RESV_MUTEX, to: FS_RECLAIM, type: 'EN', where: 'dma_resv_lockdep', citation: RESV_LOCKDEP },
  {
    id: 'P4',
    from: FS_RECLAIM,
    to: MMU_NOTIFIER_MAP,
    type: 'EN',
    where: 'dma_resv_lockdep -> fs_reclaim_acquire',
    config: 'CONFIG_MMU_NOTIFIER',
    citation: 'mm/page_alloc.c fs_reclaim_acquire(); ' + RESV_LOCKDEP,
  },
  { id: 'P5', from: FS_RECLAIM, to: I_MMAP_RWSEM, type: 'EN', where: 'dma_resv_lockdep', citation: RESV_LOCKDEP + ' (i_mmap_lock_write)' },
  {
    id: 'P6',
    from: MMU_NOTIFIER_MAP,
    to: DMA_FENCE_MAP,
    type: 'EN',
    where: 'dma_resv_lockdep -> __dma_fence_might_wait',
    config: 'CONFIG_MMU_NOTIFIER',
    citation: RESV_LOCKDEP + '; drivers/dma-buf/dma-fence.c __dma_fence_might_wait()',
  },
  {
    id: "P6'",
    from: FS_RECLAIM,
    to: DMA_FENCE_MAP,
    type: 'EN',
    where: 'dma_resv_lockdep -> __dma_fence_might_wait',
    config: '!CONFIG_MMU_NOTIFIER',
    citation: RESV_LOCKDEP,
  },
  // Core mm: recorded on every boot by ordinary mm paths.
  { id: 'MM1', from: MMAP_LOCK, to: MMU_NOTIFIER_MAP, type: 'SN', where: 'munmap / change_protection / copy_page_range', citation: 'mm/memory.c unmap_vmas(); mm/mprotect.c change_protection()' },
  // rmap_walk_file() holds i_mmap_rwsem for *read* (i_mmap_lock_read) while
  // try_to_unmap_one() / page_mkclean_one() call the notifiers: a shared edge.
  { id: 'MM2', from: I_MMAP_RWSEM, to: MMU_NOTIFIER_MAP, type: 'SN', where: 'rmap_walk_file -> try_to_unmap_one / page_mkclean_one', citation: 'mm/rmap.c rmap_walk_file(), try_to_unmap_one()' },
  { id: 'MM3', from: MMAP_LOCK, to: I_MMAP_RWSEM, type: 'EN', where: 'vma_link / unlink_file_vma', citation: 'mm/mmap.c' },
  { id: 'MM4', from: FS_RECLAIM, to: I_MMAP_RWSEM, type: 'EN', where: 'shrink_folio_list -> rmap walk', citation: 'mm/vmscan.c shrink_folio_list()' },
  // KMS priming: drmm_mode_config_init() with CONFIG_LOCKDEP (ORDER-8).
  { id: 'KMS1', from: CRTC_ACQUIRE, to: CRTC_MUTEX, type: 'EN', where: 'drmm_mode_config_init', config: 'KMS', citation: 'drivers/gpu/drm/drm_mode_config.c drmm_mode_config_init()' },
  // might_fault() -> __might_fault() records might_lock_read(&current->mm->mmap_lock)
  // (with CONFIG_DEBUG_ATOMIC_SLEEP and a task that has an mm) and drops it
  // again, so mmap_lock is never held across what follows.
  { id: 'KMS2', from: CRTC_MUTEX, to: MMAP_LOCK, type: 'EN', where: 'drmm_mode_config_init -> might_fault', config: 'KMS', citation: 'drivers/gpu/drm/drm_mode_config.c drmm_mode_config_init(); mm/memory.c __might_fault()' },
  // ww_acquire_init(&resv_ctx, &reservation_ww_class) with connection_mutex
  // (crtc_ww_class_mutex) held: the edge lockdep keeps is from the top held lock.
  { id: 'KMS3', from: CRTC_MUTEX, to: RESV_ACQUIRE, type: 'EN', where: 'drmm_mode_config_init -> ww_acquire_init', config: 'KMS', citation: 'drivers/gpu/drm/drm_mode_config.c drmm_mode_config_init()' },
];

/**
 * The canonical chain, top to bottom, as maintainers say it: "dma_resv
 * nests inside mmap_lock but outside any reclaim context".
 */
export const CANONICAL_ORDER: string[] = [MMAP_LOCK, RESV_ACQUIRE, RESV_MUTEX, FS_RECLAIM, I_MMAP_RWSEM, MMU_NOTIFIER_MAP, DMA_FENCE_MAP];

/** Which primed edges apply under a config set (KMS only when the model has a ww_mutex of crtc_ww_class). */
export function primedEdgesFor(config: { mmuNotifier: boolean; kms: boolean }): PrimedEdge[] {
  return PRIMED_EDGES.filter((e) => {
    switch (e.config) {
      case undefined:
        return true;
      case 'CONFIG_MMU_NOTIFIER':
        return config.mmuNotifier;
      case '!CONFIG_MMU_NOTIFIER':
        return !config.mmuNotifier;
      case 'KMS':
        return config.kms;
    }
  });
}
