/**
 * Every kernel source file a built-in rule or primed edge cites, with what
 * the rules read there. A citation is only as good as its path: each
 * entry was checked against the mainline tree (the version noted where the
 * file is recent), and tests/rules/kernel-files.test.ts fails when a rule
 * cites a path missing here or when an entry is no longer cited. Adding a
 * citation to a new file means adding the file here, after looking it up.
 */

export interface KernelFile {
  /** What the cited symbols there are about. */
  about: string;
  /** First mainline release with the file, when it is recent. */
  since?: string;
}

export const KERNEL_FILES: Readonly<Record<string, KernelFile>> = {
  // Documentation
  'Documentation/driver-api/dma-buf.rst': { about: 'dma-buf, dma-fence and reservation rules, indefinite fences' },
  'Documentation/locking/lockdep-design.rst': { about: 'lock classes, read/recursive-read dependencies' },
  'Documentation/locking/ww-mutex-design.rst': { about: 'wound/wait mutexes and acquire contexts' },
  'Documentation/mm/hmm.rst': { about: 'hmm_range_fault() under mmap_lock and the notifier sequence', since: 'v6.1 (was Documentation/vm/)' },
  // dma-buf core
  'drivers/dma-buf/dma-buf.c': { about: 'attach/map/move_notify and their resv locking' },
  'drivers/dma-buf/dma-fence.c': { about: 'dma_fence_begin_signalling(), __dma_fence_might_wait(), waits' },
  'drivers/dma-buf/dma-resv.c': { about: 'dma_resv_lockdep() priming, dma_resv_reserve_fences()' },
  'include/linux/dma-buf.h': { about: 'dma_buf_attach_ops, importer callbacks' },
  'include/linux/dma-fence.h': { about: 'dma_fence_ops, signalling annotations' },
  // DRM
  'drivers/gpu/drm/amd/amdgpu/amdgpu_cs.c': { about: 'amdgpu_cs_submit(): userptr notifier lock around the signalling section' },
  'drivers/gpu/drm/amd/amdkfd/kfd_device.c': { about: 'kgd2kfd_quiesce_mm(): queue eviction from the userptr notifier' },
  'drivers/gpu/drm/amd/amdgpu/amdgpu_hmm.c': { about: 'userptr interval notifier', since: 'v6.1 (was amdgpu_mn.c)' },
  'drivers/gpu/drm/drm_atomic_helper.c': { about: 'commit_tail() signalling annotation, prepare_planes' },
  'drivers/gpu/drm/drm_gem.c': { about: 'GEM object release and LRU' },
  'drivers/gpu/drm/drm_mode_config.c': { about: 'drmm_mode_config_init() lockdep priming' },
  'drivers/gpu/drm/scheduler/sched_main.c': { about: 'drm_sched_job_init/arm, run_job, timeout handler' },
  'drivers/gpu/drm/ttm/ttm_bo.c': { about: 'TTM eviction and release' },
  'drivers/gpu/drm/ttm/ttm_bo_vm.c': { about: 'TTM fault handler locks the BO under mmap_lock' },
  'include/drm/drm_exec.h': { about: 'drm_exec ww transaction helpers' },
  // VFIO
  'drivers/vfio/pci/vfio_pci_dmabuf.c': { about: 'VFIO PCI MMIO dma-buf export and revoke', since: 'v6.19' },
  // locking
  'include/linux/ww_mutex.h': { about: 'ww_acquire_init() lockdep maps' },
  'kernel/locking/lockdep.c': { about: 'validate_chain(), check_prevs_add(), cycle search' },
  'kernel/locking/mutex.c': { about: 'mutex and ww_mutex slow paths' },
  'kernel/locking/ww_mutex.h': { about: 'Wait-Die / Wound-Wait, -EALREADY' },
  // mm
  'include/linux/gfp_types.h': { about: 'GFP bits', since: 'v6.0' },
  'include/linux/mmu_notifier.h': { about: 'mmu_interval_set_seq(), notifier ranges' },
  'include/linux/sched/mm.h': { about: 'memalloc_*_save(), current_gfp_context()' },
  'mm/memory.c': { about: '__might_fault(), unmap_vmas()' },
  'mm/mmap.c': { about: 'vma_link / unlink_file_vma under mmap_lock' },
  'mm/mmu_notifier.c': { about: 'interval notifier insert/invalidate, __mmu_notifier_release' },
  'mm/mprotect.c': { about: 'change_protection() notifiers under mmap_lock' },
  'mm/oom_kill.c': { about: '__oom_reap_task_mm(): non-blocking invalidations' },
  'mm/page_alloc.c': { about: 'fs_reclaim_acquire(), __need_reclaim()' },
  'mm/rmap.c': { about: 'rmap_walk_file() (i_mmap_rwsem read), try_to_unmap_one()' },
  'mm/slub.c': { about: 'slab_pre_alloc_hook() -> fs_reclaim annotation' },
  'mm/vmscan.c': { about: 'shrink_folio_list(), shrink_slab()' },
  // net and io_uring memory providers
  'io_uring/zcrx.c': { about: 'zero-copy rx area registration', since: 'v6.15' },
  'net/core/devmem.c': { about: 'devmem TCP dma-buf binding' },
  'net/core/netdev_rx_queue.c': { about: '__net_mp_open_rxq / __net_mp_close_rxq' },
  'net/ipv4/tcp.c': { about: 'tcp_recvmsg_dmabuf()' },
  // Added with the #13/#14/#15 rules (lockdep states and wait types, userptr, final puts)
  'drivers/gpu/drm/drm_gem_shmem_helper.c': { about: 'drm_gem_shmem_free(): a GEM destructor that takes the object\'s resv' },
  'mm/gup.c': { about: 'pin_user_pages()/FOLL_PIN, get_user_pages() and their mmap_lock assertion' },
  'drivers/gpu/drm/amd/amdgpu/amdgpu_dma_buf.c': { about: 'amdgpu_gem_prime_export(): userptr BOs are refused' },
  'drivers/gpu/drm/drm_prime.c': { about: 'drm_gem_prime_export(): a GEM object wrapped in a dma-buf' },
  'include/linux/lockdep_states.h': { about: 'the HARDIRQ and SOFTIRQ usage states' },
  'include/linux/lockdep_types.h': { about: 'enum lockdep_wait_type (LD_WAIT_SPIN, CONFIG, SLEEP)' },
  'kernel/rcu/update.c': { about: 'rcu_lock_map: rcu_read_lock() as a lockdep map of wait type CONFIG' },
  'Documentation/locking/locktypes.rst': { about: 'spinlock_t vs raw_spinlock_t, what PREEMPT_RT changes' },
  'kernel/locking/mutex-debug.c': { about: 'mutex init of a held lock: debug_check_no_locks_freed()' },
  'mm/hmm.c': { about: 'hmm_range_fault(): mmap_assert_locked()' },
  // Added with the phyr objects (#14)
  'include/linux/dma-mapping.h': { about: 'dma_map_sgtable(): an importer maps a scatterlist it holds' },
  // Added with pin-leak (#14)
  'Documentation/core-api/pin_user_pages.rst': { about: 'FOLL_PIN: every pin is released with unpin_user_pages()' },
  'include/linux/mm.h': { about: 'folio_maybe_dma_pinned(): how the mm tells pinned pages apart' },
};

/** Kernel source paths named in free text (primed-edge citations). */
export function kernelPathsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w/.-])((?:Documentation|drivers|include|kernel|mm|net|io_uring|fs|lib)\/[\w./-]+\.(?:c|h|rst))/g)].map((m) => m[1]!);
}
