/**
 * lockmc/kernel: the authoring vocabulary of driver models.
 *
 * Declarations only: a model is never run. These types let an editor
 * complete and check a `*.model.ts` file (`import type {} from 'lockmc/kernel';`);
 * lockmc itself reads the model's syntax (model/frontend) and lowers each
 * call as model/vocabulary.ts says. The language is described in
 * docs/model-language.md.
 *
 * Lockdep classes: instances declared with the same class string share a
 * lockdep class; the default class of a driver lock is its variable name.
 */
export {};

declare global {
  /** Instance types. Branded so that a mutex cannot be passed where a dma_resv is expected. */
  namespace lockmc {
    interface Mutex { readonly __lockmc: 'mutex' }
    interface Spinlock { readonly __lockmc: 'spinlock' }
    /** local_lock_t: a per-CPU lock (include/linux/local_lock.h). */
    interface LocalLock { readonly __lockmc: 'local_lock' }
    interface RwSemaphore { readonly __lockmc: 'rwsem' }
    interface Rwlock { readonly __lockmc: 'rwlock' }
    interface WwMutex<C extends WwClass = WwClass> { readonly __lockmc: 'ww_mutex'; readonly __ww: C }
    interface MmStruct { readonly __lockmc: 'mm' }
    interface AddressSpace { readonly __lockmc: 'address_space' }
    interface DmaResv { readonly __lockmc: 'dma_resv' }
    interface DmaFence { readonly __lockmc: 'dma_fence' }
    interface DmaBuf {
      readonly __lockmc: 'dma_buf';
      /** The buffer's own reservation object (class `reservation_ww_class_mutex`). */
      readonly resv: DmaResv;
    }
    interface RxQueue { readonly __lockmc: 'rx_queue' }
    interface Work { readonly __lockmc: 'work' }
    interface Attachment { readonly __lockmc: 'attachment' }
    interface WwAcquireCtx<C extends WwClass = WwClass> { readonly __lockmc: 'ww_ctx'; readonly __ww: C }
    interface SignallingCookie { readonly __lockmc: 'signalling_cookie' }
    interface MemallocFlags<S extends 'nofs' | 'noio' | 'noreclaim' = 'nofs' | 'noio' | 'noreclaim'> { readonly __lockmc: 'memalloc_cookie'; readonly __scope: S }
    interface IntervalNotifier { readonly __lockmc: 'interval_notifier' }
    /** A drm_gem_object or ttm_buffer_object: `obj.resv` is its own reservation. */
    interface GemObject {
      readonly __lockmc: 'gem_object';
      readonly resv: DmaResv;
    }
    interface NotifierSeq { readonly __lockmc: 'seq' }
    /** What an allocation returns: test it with `if (!p)`. */
    interface Ptr { readonly __lockmc: 'ptr' }
    interface Workqueue { readonly __lockmc: 'workqueue' }
    interface WwClassTag<N extends string> { readonly __ww_class: N }
    type WwClass = 'reservation_ww_class' | 'crtc_ww_class';
    /** A gfp_t mask: GFP_* and __GFP_* combined with `|`. */
    type gfp_t = number;
    /** A function of the model file used as a callback (never called by the model itself). */
    type Callback = (...args: never[]) => unknown;
    type Lockable = Mutex | Spinlock | RwSemaphore | Rwlock | WwMutex | MmStruct | AddressSpace | DmaResv | WwAcquireCtx;
    interface ExporterCaps {
      /** Backing storage may migrate: dynamic importers receive invalidations. */
      movable?: boolean;
      /** The exporter revokes access as part of normal operation (VFIO MMIO, RDMA). */
      revocable?: boolean;
      /** A revocation can be undone. */
      unrevocable?: boolean;
      /** The exporter implements pin. */
      pinnable?: boolean;
      /** Only peer-to-peer (MMIO) addresses, no struct pages. */
      p2p_only?: boolean;
    }
    interface ImporterOps {
      /** importer_ops->invalidate_mappings: runs with the buffer's resv held. */
      invalidate_mappings?: Callback;
      /** The pre-2026 name of invalidate_mappings. */
      move_notify?: Callback;
      /** importer_ops->allow_peer2peer. */
      allow_peer2peer?: boolean;
      // Capability declarations (revocable dma-buf thread, Jan 2025): the
      // cascade pinned / pinned-but-revocable / dynamic, and iommufd.
      /** Fully pinned: the mapping may never move nor be revoked while attached. */
      pinned?: boolean;
      /** Pinned but revocable: a revoke is tolerated and fatal to the importer's use. */
      revoke_fatal?: boolean;
      /** `false`: the importer cannot restart a fault after a move (iommufd: revoke only). */
      faultable?: boolean;
      /** The mapping backs a GPU context (a compositor's): a revoke destroys that context. */
      gpu_context?: boolean;
      /** Refuse revocable exporters: the attach fails on one (test it with `if (!attach)`). */
      reject_revocable?: boolean;
    }
    /** A driver GEM buffer object; a userptr one is backed by user pages of an mm. */
    interface GemObject { readonly __lockmc: 'gem_object' }
    /**
     * A phyr: a list of physical ranges (phyr vs scatterlist thread, Jan 2025),
     * not a scatterlist. Over system pages or over a P2P/MMIO range; dma-mapped
     * when it already holds DMA addresses.
     */
    interface Phyr { readonly __lockmc: 'phyr' }
  }

  // -------------------------------------------------------------------------
  // Constructors (top-level `const x = ...`)

  /** struct mutex. Lockdep class: the variable name, or `cls`. */
  function mutex(cls?: string): lockmc.Mutex;
  /** spinlock_t: atomic context while held. Lockdep class: the variable name, or `cls`. */
  function spinlock(cls?: string): lockmc.Spinlock;
  /** struct rw_semaphore. Lockdep class: the variable name, or `cls`. */
  function rw_semaphore(cls?: string): lockmc.RwSemaphore;
  /** rwlock_t (read_lock is a recursive read). Lockdep class: the variable name, or `cls`. */
  function rwlock(cls?: string): lockmc.Rwlock;
  /** struct ww_mutex of a ww class. Lockdep class: `<ww_class>_mutex`, or `cls`. */
  function ww_mutex<C extends lockmc.WwClass>(ww_class: lockmc.WwClassTag<C>, cls?: string): lockmc.WwMutex<C>;
  /** struct mm_struct. Its lock is `&mm->mmap_lock` (an rwsem). */
  function mm_struct(): lockmc.MmStruct;
  /** struct address_space. Its lock is `&mapping->i_mmap_rwsem` (an rwsem). */
  function address_space(): lockmc.AddressSpace;
  /** struct dma_resv. Its lock is a `reservation_ww_class_mutex` ww_mutex. */
  function dma_resv_object(): lockmc.DmaResv;
  /**
   * struct dma_fence. Waiting on it is a `dma_fence_map` write acquisition in lockdep terms.
   * `release` is its `dma_fence_ops.release`: a final `dma_fence_put` runs it inline in the
   * putting context (which may be irq or fence-callback context: it must not sleep).
   */
  function dma_fence(ops?: { release?: lockmc.Callback }): lockmc.DmaFence;
  /**
   * struct drm_gem_object with its own reservation `obj.resv`; `free` is `obj->funcs->free`,
   * run inline by a final `drm_gem_object_put` (drivers/gpu/drm/drm_gem.c drm_gem_object_free).
   */
  function drm_gem_object(funcs?: { free?: lockmc.Callback }): lockmc.GemObject;
  /**
   * struct ttm_buffer_object with its own reservation `bo.resv`; `destroy` is the release
   * path run inline by a final `ttm_bo_put` (drivers/gpu/drm/ttm/ttm_bo.c ttm_bo_release).
   */
  function ttm_buffer_object(opts?: { destroy?: lockmc.Callback }): lockmc.GemObject;
  /** struct dma_buf, exported with these capabilities (all false by default); `buf.resv` is its reservation. */
  function dma_buf(caps?: lockmc.ExporterCaps): lockmc.DmaBuf;
  /** A netdev RX queue a memory provider (devmem TCP, io_uring zcrx) can bind to. */
  function netdev_rx_queue(): lockmc.RxQueue;
  /** struct work_struct whose handler is `fn`; the handler runs in a kworker once queued. */
  function work(fn: lockmc.Callback): lockmc.Work;
  /** struct drm_gem_object whose pages the driver allocated. */
  function drm_gem_object(): lockmc.GemObject;
  /**
   * A userptr GEM object backed by the user pages of `mm` (amdgpu/i915
   * userptr). After the mmu notifiers of `mm` return from an invalidation
   * the mm frees its pages unless they are pinned.
   */
  function userptr_object(mm: lockmc.MmStruct): lockmc.GemObject;

  // ww classes (DEFINE_WW_CLASS)
  /** The ww class of every dma_resv: classes `reservation_ww_class_acquire` / `_mutex`. */
  const reservation_ww_class: lockmc.WwClassTag<'reservation_ww_class'>;
  /** DRM modeset locks: classes `crtc_ww_class_acquire` / `_mutex`. */
  const crtc_ww_class: lockmc.WwClassTag<'crtc_ww_class'>;

  // -------------------------------------------------------------------------
  // Registrations (top level)

  /** Names the model's threads. Without it, every exported function is a thread. */
  function threads(...fns: lockmc.Callback[]): void;
  /** `fn` runs from direct reclaim of any allocating thread (holding `fs_reclaim` for __GFP_FS masks) and from kswapd. */
  function register_shrinker(fn: lockmc.Callback, name?: string): void;
  /** `fn` runs on invalidation of `mm` (reclaim via rmap, munmap), inside `mmu_notifier_invalidate_range_start`. */
  function mmu_interval_notifier_insert(mm: lockmc.MmStruct, fn: lockmc.Callback, opts?: { blockable?: boolean }): lockmc.IntervalNotifier;
  /**
   * `ops.fault` is the `vm_operations_struct.fault` of a mapping in `mm` (a GEM/TTM mmap). A
   * user access of `mm` that faults (copy_to_user, copy_from_user, get_user, put_user, GUP,
   * hmm_range_fault) may run it inline with `&mm->mmap_lock` held for read: taken by the fault
   * when the task does not hold it, the caller's hold for GUP and hmm_range_fault
   * (mm/memory.c __do_fault). A user-space touch of the mapping is a thread doing
   * mmap_read_lock + the handler.
   */
  function vm_operations(mm: lockmc.MmStruct, ops: { fault: lockmc.Callback }): void;
  /**
   * `fn` is a hard-irq handler that may preempt any thread with irqs enabled. With the kernel
   * config PREEMPT_RT it is force-threaded (runs as a task, kernel/irq/manage.c
   * irq_setup_forced_threading) unless the flags include IRQF_NO_THREAD:
   * `request_irq(irq, fn, IRQF_NO_THREAD, "name", dev)`.
   */
  function request_irq(fn: lockmc.Callback): void;
  function request_irq(irq: number, fn: lockmc.Callback, ...rest: unknown[]): void;
  /**
   * `handler` runs in hard-irq context (as request_irq's); `thread_fn` runs after it in the
   * irq's kernel thread (kernel/irq/manage.c irq_thread), a task with irqs on that may sleep.
   * The handler is taken to return IRQ_WAKE_THREAD every time. On PREEMPT_RT the handler is
   * force-threaded too unless the flags name IRQF_NO_THREAD or IRQF_ONESHOT
   * (irq_setup_forced_threading): `request_threaded_irq(irq, handler, thread_fn, IRQF_ONESHOT)`.
   */
  function request_threaded_irq(irq: number, handler: lockmc.Callback, thread_fn: lockmc.Callback, ...rest: unknown[]): void;
  /** request_irq() flags (include/linux/interrupt.h). */
  const IRQF_SHARED: number;
  const IRQF_ONESHOT: number;
  /** Never thread this handler, not even on PREEMPT_RT. */
  const IRQF_NO_THREAD: number;
  /** `fn` is a softirq handler: it may run on any thread's CPU with irqs and softirqs enabled (lock graph only). */
  function open_softirq(fn: lockmc.Callback): void;
  function open_softirq(nr: number, fn: lockmc.Callback): void;
  /** `fn` is a tasklet callback: softirq context. */
  function tasklet_setup(fn: lockmc.Callback): void;
  function tasklet_setup(t: unknown, fn: lockmc.Callback): void;
  /** `fn` is a timer callback: softirq context. */
  function timer_setup(fn: lockmc.Callback): void;
  function timer_setup(timer: unknown, fn: lockmc.Callback, flags?: number): void;

  // -------------------------------------------------------------------------
  // Control flow

  /** A nondeterministic choice: both branches are explored. */
  function nondet(): boolean;
  /** A nondeterministic value in 0 .. n-1 (for `switch`). */
  function nondet(n: number): number;

  // -------------------------------------------------------------------------
  // Locks

  /** Sleeping exclusive acquisition of a mutex (class of the instance). */
  function mutex_lock(lock: lockmc.Mutex): void;
  /** As mutex_lock; the -EINTR outcome is not modelled. */
  function mutex_lock_interruptible(lock: lockmc.Mutex): number;
  /** As mutex_lock; the -EINTR outcome is not modelled. */
  function mutex_lock_killable(lock: lockmc.Mutex): number;
  /** mutex_lock with a lockdep subclass (0..7; lockdep prints `/n`). */
  function mutex_lock_nested(lock: lockmc.Mutex, subclass: number): void;
  /** mutex_lock serialised by an outer lock `nest` (lockdep nest_lock). */
  function mutex_lock_nest_lock(lock: lockmc.Mutex, nest: lockmc.Lockable): void;
  /** Returns 1 on success, 0 if contended (outcomes ok / fail). */
  function mutex_trylock(lock: lockmc.Mutex): boolean;
  /** Releases the mutex. */
  function mutex_unlock(lock: lockmc.Mutex): void;

  /** Spinlock acquisition: atomic context until released. */
  function spin_lock(lock: lockmc.Spinlock): void;
  /** spin_lock with a lockdep subclass. */
  function spin_lock_nested(lock: lockmc.Spinlock, subclass: number): void;
  /** spin_lock with local irqs disabled. */
  function spin_lock_irq(lock: lockmc.Spinlock): void;
  /** spin_lock saving and disabling irqs (`flags` is accepted and ignored). */
  function spin_lock_irqsave(lock: lockmc.Spinlock, flags?: unknown): void;
  /** spin_lock with softirqs disabled. */
  function spin_lock_bh(lock: lockmc.Spinlock): void;
  /** Returns 1 on success (outcomes ok / fail). */
  function spin_trylock(lock: lockmc.Spinlock): boolean;
  function spin_unlock(lock: lockmc.Spinlock): void;
  function spin_unlock_bh(lock: lockmc.Spinlock): void;
  /** Releases and enables irqs. */
  function spin_unlock_irq(lock: lockmc.Spinlock): void;
  /** Releases and restores irqs. */
  function spin_unlock_irqrestore(lock: lockmc.Spinlock, flags?: unknown): void;

  /** Non-recursive shared acquisition of an rwsem. */
  function down_read(sem: lockmc.RwSemaphore): void;
  function down_read_nested(sem: lockmc.RwSemaphore, subclass: number): void;
  /** Exclusive acquisition of an rwsem. */
  function down_write(sem: lockmc.RwSemaphore): void;
  function down_write_nested(sem: lockmc.RwSemaphore, subclass: number): void;
  /** Outcomes ok / fail. */
  function down_read_trylock(sem: lockmc.RwSemaphore): boolean;
  /** Outcomes ok / fail. */
  function down_write_trylock(sem: lockmc.RwSemaphore): boolean;
  function up_read(sem: lockmc.RwSemaphore): void;
  function up_write(sem: lockmc.RwSemaphore): void;

  /** rwlock_t read side: a recursive read in lockdep. */
  function read_lock(lock: lockmc.Rwlock): void;
  function write_lock(lock: lockmc.Rwlock): void;
  function read_unlock(lock: lockmc.Rwlock): void;
  function write_unlock(lock: lockmc.Rwlock): void;

  /** down_read(&mm->mmap_lock). */
  function mmap_read_lock(mm: lockmc.MmStruct): void;
  /** down_read_trylock(&mm->mmap_lock): outcomes ok / fail. */
  function mmap_read_trylock(mm: lockmc.MmStruct): boolean;
  function mmap_read_unlock(mm: lockmc.MmStruct): void;
  /** down_write(&mm->mmap_lock). */
  function mmap_write_lock(mm: lockmc.MmStruct): void;
  /** down_write_trylock(&mm->mmap_lock): outcomes ok / fail. */
  function mmap_write_trylock(mm: lockmc.MmStruct): boolean;
  function mmap_write_unlock(mm: lockmc.MmStruct): void;

  /** down_read(&mapping->i_mmap_rwsem). */
  function i_mmap_lock_read(mapping: lockmc.AddressSpace): void;
  function i_mmap_unlock_read(mapping: lockmc.AddressSpace): void;
  /** down_write(&mapping->i_mmap_rwsem). */
  function i_mmap_lock_write(mapping: lockmc.AddressSpace): void;
  function i_mmap_unlock_write(mapping: lockmc.AddressSpace): void;
  /** Zaps the mappings: takes i_mmap_rwsem for write and calls the mmu notifiers. */
  function unmap_mapping_range(mapping: lockmc.AddressSpace, ...rest: unknown[]): void;

  // -------------------------------------------------------------------------
  // ww acquire contexts and dma_resv

  /** Starts a ww transaction: acquires the `<ww_class>_acquire` pseudo-lock. */
  function ww_acquire_init<C extends lockmc.WwClass>(ww_class: lockmc.WwClassTag<C>): lockmc.WwAcquireCtx<C>;
  /** No more locks will be taken in this transaction. */
  function ww_acquire_done(ctx: lockmc.WwAcquireCtx): void;
  /** Ends the transaction: releases `<ww_class>_acquire`. */
  function ww_acquire_fini(ctx: lockmc.WwAcquireCtx): void;

  /** Locks obj (class `reservation_ww_class_mutex`). With a ctx: 0, -EDEADLK or -EALREADY. */
  function dma_resv_lock(obj: lockmc.DmaResv, ctx: lockmc.WwAcquireCtx<'reservation_ww_class'> | null): number;
  /** As dma_resv_lock; -EINTR is not modelled. */
  function dma_resv_lock_interruptible(obj: lockmc.DmaResv, ctx: lockmc.WwAcquireCtx<'reservation_ww_class'> | null): number;
  /** The backoff re-lock after -EDEADLK: sleeps until granted, cannot fail. */
  function dma_resv_lock_slow(obj: lockmc.DmaResv, ctx: lockmc.WwAcquireCtx<'reservation_ww_class'>): void;
  function dma_resv_lock_slow_interruptible(obj: lockmc.DmaResv, ctx: lockmc.WwAcquireCtx<'reservation_ww_class'>): number;
  /** Outcomes ok / fail. */
  function dma_resv_trylock(obj: lockmc.DmaResv): boolean;
  /**
   * lockmc's spelling of `ww_mutex_trylock(&obj->lock, ctx)` (the GEM LRU scan with a ticket):
   * outcomes ok / fail; on success the resv joins the acquire context.
   */
  function dma_resv_trylock_ctx(obj: lockmc.DmaResv, ctx: lockmc.WwAcquireCtx<'reservation_ww_class'>): boolean;
  function dma_resv_unlock(obj: lockmc.DmaResv): void;

  /** Locks a ww_mutex (class `<ww_class>_mutex`). With a ctx: 0, -EDEADLK or -EALREADY. */
  function ww_mutex_lock<C extends lockmc.WwClass>(lock: lockmc.WwMutex<C>, ctx: lockmc.WwAcquireCtx<C> | null): number;
  function ww_mutex_lock_interruptible<C extends lockmc.WwClass>(lock: lockmc.WwMutex<C>, ctx: lockmc.WwAcquireCtx<C> | null): number;
  /** The backoff re-lock: cannot fail. */
  function ww_mutex_lock_slow<C extends lockmc.WwClass>(lock: lockmc.WwMutex<C>, ctx: lockmc.WwAcquireCtx<C>): void;
  /**
   * Outcomes ok / fail. With a ctx (kernel/locking/mutex.c, since v5.16) a taken lock joins the
   * acquire context, so a later ww lock of it in that context gets -EALREADY and the context can
   * back off from it on -EDEADLK. A dma_resv may be passed for its embedded lock
   * (`ww_mutex_trylock(&obj->resv->lock, ticket)` in drm_gem_lru_scan).
   */
  function ww_mutex_trylock<C extends lockmc.WwClass>(lock: lockmc.WwMutex<C> | lockmc.DmaResv, ctx?: lockmc.WwAcquireCtx<C> | null): boolean;
  function ww_mutex_unlock(lock: lockmc.WwMutex): void;

  /** Errno values returned (negated) by ww locks. */
  const EDEADLK: 35;
  const EALREADY: 114;
  /** Other errno values, for realistic `return -EINVAL;` and comparisons. */
  const EPERM: 1;
  const ENOENT: 2;
  const EINTR: 4;
  const EIO: 5;
  const EAGAIN: 11;
  const ENOMEM: 12;
  const EFAULT: 14;
  const EBUSY: 16;
  const ENODEV: 19;
  const EINVAL: 22;
  const ENOSPC: 28;
  const ETIME: 62;
  const EOPNOTSUPP: 95;
  const ETIMEDOUT: 110;
  const ERESTARTSYS: 512;
  const NULL: null;
  /** An infinite timeout for fence waits. */
  const MAX_SCHEDULE_TIMEOUT: number;
  const HZ: number;
  const SINGLE_DEPTH_NESTING: 1;
  const DMA_RESV_USAGE_KERNEL: number;
  const DMA_RESV_USAGE_WRITE: number;
  const DMA_RESV_USAGE_READ: number;
  const DMA_RESV_USAGE_BOOKKEEP: number;

  // -------------------------------------------------------------------------
  // Memory (RECLAIM-3: which masks enter fs_reclaim and the mmu-notifier map)

  /** Direct reclaim + io + fs: `fs_reclaim` and the notifier map. Does not fail. */
  const GFP_KERNEL: lockmc.gfp_t;
  /** GFP_KERNEL charged to memcg. */
  const GFP_KERNEL_ACCOUNT: lockmc.gfp_t;
  /** As GFP_KERNEL for reclaim. */
  const GFP_USER: lockmc.gfp_t;
  /** As GFP_KERNEL for reclaim. */
  const GFP_HIGHUSER: lockmc.gfp_t;
  const GFP_HIGHUSER_MOVABLE: lockmc.gfp_t;
  /** Direct reclaim + io, no fs: no `fs_reclaim`, still the notifier map. */
  const GFP_NOFS: lockmc.gfp_t;
  /** Direct reclaim only: no `fs_reclaim`, still the notifier map. */
  const GFP_NOIO: lockmc.gfp_t;
  /** kswapd only, no direct reclaim: never sleeps, may fail. */
  const GFP_NOWAIT: lockmc.gfp_t;
  /** Reserves + kswapd, no direct reclaim: may fail. */
  const GFP_ATOMIC: lockmc.gfp_t;
  /** Not a mainline flag: accepted as "no __GFP_DIRECT_RECLAIM" (= GFP_NOWAIT). */
  const GFP_NORECLAIM: lockmc.gfp_t;
  const __GFP_DIRECT_RECLAIM: lockmc.gfp_t;
  const __GFP_KSWAPD_RECLAIM: lockmc.gfp_t;
  const __GFP_RECLAIM: lockmc.gfp_t;
  const __GFP_IO: lockmc.gfp_t;
  const __GFP_FS: lockmc.gfp_t;
  const __GFP_HIGH: lockmc.gfp_t;
  const __GFP_NOWARN: lockmc.gfp_t;
  /** Keeps direct reclaim but may fail. */
  const __GFP_NORETRY: lockmc.gfp_t;
  /** Keeps direct reclaim but may fail. */
  const __GFP_RETRY_MAYFAIL: lockmc.gfp_t;
  /** Never fails. */
  const __GFP_NOFAIL: lockmc.gfp_t;
  /** Skips the `fs_reclaim` lockdep annotation. */
  const __GFP_NOLOCKDEP: lockmc.gfp_t;
  const __GFP_ZERO: lockmc.gfp_t;
  const __GFP_HIGHMEM: lockmc.gfp_t;
  const __GFP_ACCOUNT: lockmc.gfp_t;
  const __GFP_COMP: lockmc.gfp_t;

  /** Slab allocation; may enter reclaim per the mask; masks without direct reclaim may return NULL. */
  function kmalloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kmalloc(size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kzalloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kzalloc(size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kvmalloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kvmalloc(size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kvzalloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kvzalloc(size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kcalloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kcalloc(n: number, size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kmalloc_array(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kmalloc_array(n: number, size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function krealloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function krealloc(p: unknown, size: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  /** Page allocation per the mask. */
  function alloc_page(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  /** Page allocation; in a model the mask comes last (`alloc_pages(order, gfp)`). */
  function alloc_pages(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function alloc_pages(order: number, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function mempool_alloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function mempool_alloc(pool: unknown, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  /**
   * Allocation from a slab cache (`kmem_cache_create()`): the same reclaim
   * behaviour as kmalloc with that mask (mm/slub.c slab_pre_alloc_hook()
   * calls might_alloc()). The cache argument may be left out; when given
   * it is read and ignored.
   */
  function kmem_cache_alloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kmem_cache_alloc(cache: unknown, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kmem_cache_zalloc(gfp: lockmc.gfp_t): lockmc.Ptr | null;
  function kmem_cache_zalloc(cache: unknown, gfp: lockmc.gfp_t): lockmc.Ptr | null;
  /** vmalloc: always GFP_KERNEL. */
  function vmalloc(size?: number): lockmc.Ptr;
  function vzalloc(size?: number): lockmc.Ptr;
  /** Grows obj's fence array with GFP_KERNEL. */
  function dma_resv_reserve_fences(obj: lockmc.DmaResv, num_fences?: number): number;
  /** Allocates job state with GFP_KERNEL. */
  function drm_sched_job_init(...args: unknown[]): number;
  /** IDR allocation with GFP_KERNEL. */
  function idr_alloc(...args: unknown[]): number;
  /** XArray allocation with GFP_KERNEL. */
  function xa_alloc(...args: unknown[]): number;

  /** PF_MEMALLOC_NOFS scope: allocations lose __GFP_FS (no `fs_reclaim`, still the notifier map). */
  function memalloc_nofs_save(): lockmc.MemallocFlags<'nofs'>;
  function memalloc_nofs_restore(flags: lockmc.MemallocFlags<'nofs'>): void;
  /** PF_MEMALLOC_NOIO scope: allocations lose __GFP_IO and __GFP_FS. */
  function memalloc_noio_save(): lockmc.MemallocFlags<'noio'>;
  function memalloc_noio_restore(flags: lockmc.MemallocFlags<'noio'>): void;
  /** PF_MEMALLOC scope: no reclaim and no lockdep annotation (hides real deadlocks). */
  function memalloc_noreclaim_save(): lockmc.MemallocFlags<'noreclaim'>;
  function memalloc_noreclaim_restore(flags: lockmc.MemallocFlags<'noreclaim'>): void;

  /** User-memory access: may fault, i.e. take `&mm->mmap_lock` for read. The mm is the first argument, the model's only mm_struct, or `current->mm`. */
  function copy_to_user(...args: unknown[]): number;
  function copy_from_user(...args: unknown[]): number;
  function get_user(...args: unknown[]): number;
  function put_user(...args: unknown[]): number;
  /** GUP: mmap_lock read, may fault. */
  function get_user_pages(...args: unknown[]): number;
  function get_user_pages_fast(...args: unknown[]): number;
  /**
   * FOLL_PIN GUP: mmap_lock read, may fault. On a userptr object: GUP on its mm that pins its pages
   * (reclaim and migration leave them); `pin_user_pages` under the caller's mmap_lock, `_fast` takes it.
   */
  function pin_user_pages(obj: lockmc.GemObject, ...rest: unknown[]): number;
  function pin_user_pages(...args: unknown[]): number;
  /**
   * Drops the pin of a userptr object's pages (mm/gup.c unpin_user_pages, which takes the page
   * array). Of a phyr built with `phyr_from_pages(obj)`: each entry's page is got back with
   * phyr_entry_to_page and unpinned (what phyr.struct-page=forbid rejects). On the object itself
   * when such a phyr without `keep_pages` is the driver's only record of the pages: LMC202.
   * Pages still pinned once every thread returned: rule `pin-leak`.
   */
  function unpin_user_pages(obj: lockmc.GemObject | lockmc.Phyr, ...rest: unknown[]): void;
  /** Faults a userptr object's pages back in (hmm_range_fault); waits while an invalidation of its mm runs. */
  function userptr_get_pages(obj: lockmc.GemObject): number;
  /** pin_user_pages() that takes mmap_lock itself on its slow path; on a userptr object it pins its pages. */
  function pin_user_pages_fast(obj: lockmc.GemObject, ...rest: unknown[]): number;
  function pin_user_pages_fast(...args: unknown[]): number;
  /**
   * Faults a range under the caller's mmap_lock (mm/hmm.c: mmap_assert_locked); takes no
   * lock itself. Called without it: `gup-needs-mmap-lock` (as for get_user_pages and
   * pin_user_pages).
   */
  function hmm_range_fault(...args: unknown[]): number;
  /** User access returns -EFAULT instead of faulting until pagefault_enable(). */
  function pagefault_disable(): void;
  function pagefault_enable(): void;

  // -------------------------------------------------------------------------
  // Fences

  /** Initialises an unpublished fence. */
  function dma_fence_init(fence: lockmc.DmaFence, ...rest: unknown[]): void;
  /** Publishes `fence` in obj (the point of no return); call with obj locked. */
  function dma_resv_add_fence(obj: lockmc.DmaResv, fence: lockmc.DmaFence, usage?: number): void;
  /** Publishes through a sync_file. */
  function sync_file_create(fence: lockmc.DmaFence): void;
  /** Arms a scheduler job: its finished fence becomes visible. */
  function drm_sched_job_arm(fence: lockmc.DmaFence): void;
  /** Enters a signalling critical section (`dma_fence_map`, read). */
  function dma_fence_begin_signalling(): lockmc.SignallingCookie;
  /** Leaves the signalling critical section. */
  function dma_fence_end_signalling(cookie: lockmc.SignallingCookie): void;
  /** Signals the fence; `opportunistic` signalling is not a critical section (FENCE-8). */
  function dma_fence_signal(fence: lockmc.DmaFence, opts?: { opportunistic?: boolean }): void;
  function dma_fence_signal_locked(fence: lockmc.DmaFence, opts?: { opportunistic?: boolean }): void;
  /** Waits until signalled (`dma_fence_map`, write). */
  function dma_fence_wait(fence: lockmc.DmaFence, intr?: boolean): number;
  /** Waits with a timeout: MAX_SCHEDULE_TIMEOUT (default) is infinite, anything else finite. */
  function dma_fence_wait_timeout(fence: lockmc.DmaFence, timeout?: number): number;
  function dma_fence_wait_timeout(fence: lockmc.DmaFence, intr: boolean, timeout: number): number;
  /** Waits for every fence of obj. */
  function dma_resv_wait_timeout(obj: lockmc.DmaResv, usage?: number, intr?: boolean, timeout?: number): number;
  /** `fn` runs inside dma_fence_signal (fence lock held, irqs off). */
  function dma_fence_add_callback(fence: lockmc.DmaFence, fn: lockmc.Callback): number;

  // -------------------------------------------------------------------------
  // mmu interval notifiers

  /** Samples the notifier sequence. */
  function mmu_interval_read_begin(mni: lockmc.IntervalNotifier): lockmc.NotifierSeq;
  /** True when an invalidation ran since read_begin (outcomes ok / retry). */
  function mmu_interval_read_retry(mni: lockmc.IntervalNotifier, seq?: lockmc.NotifierSeq): boolean;
  /** Called by the invalidate callback to mark the range changed. */
  function mmu_interval_set_seq(mni: lockmc.IntervalNotifier, cur_seq?: unknown): void;

  // -------------------------------------------------------------------------
  // dma-buf

  function dma_buf_export(buf: lockmc.DmaBuf): void;
  /** Static importer attachment (pinned at map time). */
  function dma_buf_attach(buf: lockmc.DmaBuf): lockmc.Attachment;
  /** Dynamic importer attachment. */
  function dma_buf_dynamic_attach(buf: lockmc.DmaBuf, ops?: lockmc.ImporterOps): lockmc.Attachment;
  function dma_buf_detach(buf: lockmc.DmaBuf, attach: lockmc.Attachment): void;
  /** Pins the buffer for a dynamic importer; call with buf.resv held. */
  function dma_buf_pin(attach: lockmc.Attachment): number;
  function dma_buf_unpin(attach: lockmc.Attachment): void;
  /** Maps the attachment; call with buf.resv held. */
  function dma_buf_map_attachment(attach: lockmc.Attachment, ...rest: unknown[]): lockmc.Ptr | null;
  function dma_buf_unmap_attachment(attach: lockmc.Attachment, ...rest: unknown[]): void;
  /** Maps, taking buf.resv internally. */
  function dma_buf_map_attachment_unlocked(attach: lockmc.Attachment, ...rest: unknown[]): lockmc.Ptr | null;
  function dma_buf_unmap_attachment_unlocked(attach: lockmc.Attachment, ...rest: unknown[]): void;
  /** Exporter moves the backing store: every dynamic importer's invalidate_mappings runs. */
  function dma_buf_move_notify(buf: lockmc.DmaBuf): void;
  /** New name of dma_buf_move_notify. */
  function dma_buf_invalidate_mappings(buf: lockmc.DmaBuf): void;
  /** The exporter marks the buffer revoked. */
  function dma_buf_revoke(buf: lockmc.DmaBuf): void;
  /** The exporter makes the buffer usable again. */
  function dma_buf_unrevoke(buf: lockmc.DmaBuf): void;
  /** The importer's device reads through its mapping, or the driver's device reads a GEM object's pages. */
  function device_read(attach: lockmc.Attachment | lockmc.GemObject | lockmc.Phyr): void;
  /** The importer's device writes through its mapping, or the driver's device writes a GEM object's pages. */
  function device_write(attach: lockmc.Attachment | lockmc.GemObject | lockmc.Phyr): void;
  /** drm_gem_prime_export: wraps a GEM object in a dma-buf other drivers can import. */
  function drm_gem_prime_export(obj: lockmc.GemObject, ...rest: unknown[]): void;
  /** Turns a phyr entry into a struct page. */
  function phyr_to_page(attach: lockmc.Attachment): void;
  /** The importer takes page references on the mapping's pages. */
  function dma_buf_page_ref(attach: lockmc.Attachment): void;
  /** A possibly-final put: may run the release (ORDER-7). */
  function dma_buf_put(buf: lockmc.DmaBuf): void;

  // -------------------------------------------------------------------------
  // Possibly-final puts (ORDER-7): either a reference remains, or the
  // destructor runs inline in the putting task with everything it holds.

  /** Drops a GEM reference; the last one runs the object's `free` inline. */
  function drm_gem_object_put(obj: lockmc.GemObject): void;
  /** Drops a TTM BO reference; the last one runs the object's `destroy` inline. */
  function ttm_bo_put(bo: lockmc.GemObject): void;
  /** Drops a kref; the last reference runs `release` inline. `ref` is read and ignored. */
  function kref_put(ref: unknown, release: lockmc.Callback): number;
  /** Drops a fence reference; the last one runs the fence's `dma_fence_ops.release` inline. */
  function dma_fence_put(fence: lockmc.DmaFence): void;

  // -------------------------------------------------------------------------
  // mm events run by the calling task (NOTIFIER-1): the interval notifiers
  // of the mm run inline, outside reclaim (their allocations may reclaim).

  /** munmap(2): mmap_lock for write, then every interval notifier of `mm` inline. */
  function munmap(mm: lockmc.MmStruct, ...rest: unknown[]): number;
  /** mprotect(2): mmap_lock for write, then every interval notifier of `mm` inline. */
  function mprotect(mm: lockmc.MmStruct, ...rest: unknown[]): number;
  /** Process exit (exit_mmap -> unmap_vmas): mmap_lock for read, then every interval notifier of `mm` inline. */
  function exit_mmap(mm: lockmc.MmStruct): void;

  // -------------------------------------------------------------------------
  // Memory providers

  /** Binds buf to rxq for devmem TCP; fails if the queue is bound (test with `if (!...)`). */
  function net_devmem_bind_dmabuf(rxq: lockmc.RxQueue, buf: lockmc.DmaBuf, ...rest: unknown[]): boolean;
  function net_devmem_unbind_dmabuf(rxq: lockmc.RxQueue): void;
  /** Registers an io_uring zcrx area on rxq; fails if bound. */
  function io_zcrx_register(rxq: lockmc.RxQueue, buf: lockmc.DmaBuf, ...rest: unknown[]): boolean;
  function io_zcrx_unregister(rxq: lockmc.RxQueue): void;
  /** Receives a devmem frag; `checked`: its provenance is verified (OWN-4). */
  function tcp_recvmsg_dmabuf(rxq: lockmc.RxQueue, opts?: { checked?: boolean }): void;
  /** Receives a zcrx frag; `checked`: its provenance is verified (OWN-4). */
  function io_zcrx_recv_frag(rxq: lockmc.RxQueue, opts?: { checked?: boolean }): void;

  // -------------------------------------------------------------------------
  // Work and contexts

  const system_wq: lockmc.Workqueue;
  const system_unbound_wq: lockmc.Workqueue;
  const system_highpri_wq: lockmc.Workqueue;
  /** Queues the work item: its handler will run in a kworker. */
  function queue_work(w: lockmc.Work): boolean;
  function queue_work(wq: lockmc.Workqueue, w: lockmc.Work): boolean;
  function schedule_work(w: lockmc.Work): boolean;
  /** Waits for the work item to finish (a dependency on everything its handler takes). */
  function flush_work(w: lockmc.Work): boolean;
  /** Cancels and waits: the same dependency as flush_work. */
  function cancel_work_sync(w: lockmc.Work): boolean;
  function local_irq_disable(): void;
  function local_irq_enable(): void;

  // -------------------------------------------------------------------------
  // lockdep contexts and wait types: raw_spinlock_t, _bh variants, softirq
  // and RCU sections, lock (re)initialisation.

  /** A raw_spinlock_t (spins even on PREEMPT_RT; lockdep wait type LD_WAIT_SPIN). */
  function raw_spinlock(cls?: string): lockmc.Spinlock;
  function raw_spin_lock(lock: lockmc.Spinlock): void;
  function raw_spin_lock_nested(lock: lockmc.Spinlock, subclass: number): void;
  function raw_spin_lock_irq(lock: lockmc.Spinlock): void;
  function raw_spin_lock_irqsave(lock: lockmc.Spinlock, flags?: unknown): void;
  function raw_spin_lock_bh(lock: lockmc.Spinlock): void;
  function raw_spin_trylock(lock: lockmc.Spinlock): boolean;
  function raw_spin_unlock(lock: lockmc.Spinlock): void;
  function raw_spin_unlock_irq(lock: lockmc.Spinlock): void;
  function raw_spin_unlock_irqrestore(lock: lockmc.Spinlock, flags?: unknown): void;
  function raw_spin_unlock_bh(lock: lockmc.Spinlock): void;
  /** spin_lock serialised by an outer lock `nest` (lockdep nest_lock). */
  function spin_lock_nest_lock(lock: lockmc.Spinlock, nest: lockmc.Lockable): void;
  function read_lock_bh(lock: lockmc.Rwlock): void;
  function write_lock_bh(lock: lockmc.Rwlock): void;
  function read_unlock_bh(lock: lockmc.Rwlock): void;
  function write_unlock_bh(lock: lockmc.Rwlock): void;
  function read_lock_irq(lock: lockmc.Rwlock): void;
  function read_lock_irqsave(lock: lockmc.Rwlock, flags?: unknown): void;
  function write_lock_irq(lock: lockmc.Rwlock): void;
  function write_lock_irqsave(lock: lockmc.Rwlock, flags?: unknown): void;
  function read_unlock_irq(lock: lockmc.Rwlock): void;
  function read_unlock_irqrestore(lock: lockmc.Rwlock, flags?: unknown): void;
  function write_unlock_irq(lock: lockmc.Rwlock): void;
  function write_unlock_irqrestore(lock: lockmc.Rwlock, flags?: unknown): void;
  /** Disable softirqs on this CPU (nests). */
  function local_bh_disable(): void;
  function local_bh_enable(): void;
  /** Enter an RCU read-side section: nothing in it may sleep. */
  function rcu_read_lock(): void;
  function rcu_read_unlock(): void;
  /** Re-initialise a lock; a bug while anyone holds it. */
  function mutex_init(lock: lockmc.Mutex): void;
  function spin_lock_init(lock: lockmc.Spinlock): void;
  function raw_spin_lock_init(lock: lockmc.Spinlock): void;
  function init_rwsem(sem: lockmc.RwSemaphore): void;
  function rwlock_init(lock: lockmc.Rwlock): void;
  /** Annotation: the caller may sleep here. */
  function might_sleep(): void;

  // -------------------------------------------------------------------------
  // Completion hardware and the DRM GPU scheduler (#13)

  namespace lockmc {
    /** A device engine declared with `hardware({ irq })`. */
    interface Hardware { readonly __lockmc: 'hardware' }
    /** A struct drm_gpu_scheduler declared with `drm_gpu_scheduler({ run_job })`. */
    interface DrmGpuScheduler { readonly __lockmc: 'drm_sched' }
  }
  /**
   * A device engine and its completion interrupt (a lockmc-only name: the
   * kernel has no such object). `irq` is registered as a hard-irq handler
   * (as request_irq), but fires only after `hw_submit(hw)` kicked the
   * engine, and then surely fires: a kicked engine's irq is owed, on any
   * CPU, so a fence its handler signals is not "never signalled". With
   * `may_hang: true` a kicked engine may hang instead and never raise it:
   * only a timeout handler (`drm_gpu_scheduler({ timedout_job })`) then
   * signals the job's fence.
   */
  function hardware(opts: { irq: lockmc.Callback; may_hang?: boolean }): lockmc.Hardware;
  /**
   * Kicks the engine: the driver's doorbell or ring write-pointer write
   * (amdgpu_ring_commit(), a `*_ring_set_wptr()`), after which the engine
   * raises its completion irq (or hangs, with `may_hang`). A second kick
   * before the irq fired coalesces with the first.
   */
  function hw_submit(hw: lockmc.Hardware): void;
  /**
   * struct drm_gpu_scheduler with its drm_sched_backend_ops
   * (drivers/gpu/drm/scheduler/sched_main.c drm_sched_init()). `run_job`
   * runs as a work item (drm_sched_run_job_work) once the job pushed to
   * it has every dependency signalled; `timedout_job` runs as a work item
   * (drm_sched_job_timedout) when the job's fence is published and does not
   * signal after run_job started. Neither function is a model thread: do
   * not export them nor list them in `threads(...)`. A model pushes one job
   * per scheduler.
   */
  function drm_gpu_scheduler(ops: { run_job: lockmc.Callback; timedout_job?: lockmc.Callback }): lockmc.DrmGpuScheduler;
  /**
   * drm_sched_job_add_dependency(): the job (named by its finished fence,
   * as drm_sched_job_arm names it) does not run before `fence` signals. A
   * fence that depends on userspace (a user-queue fence) may never signal:
   * run_job then never runs and the job's fence never signals.
   */
  function drm_sched_job_add_dependency(job: lockmc.DmaFence, fence: lockmc.DmaFence): number;
  /**
   * drm_sched_entity_push_job(): hands the armed job to `sched` (in the
   * kernel the entity given to drm_sched_job_init() names the scheduler; a
   * model names it here). run_job runs once its dependencies signalled.
   */
  function drm_sched_entity_push_job(job: lockmc.DmaFence, sched: lockmc.DrmGpuScheduler): void;
  // phyr objects (phyr vs scatterlist thread, linaro-mm-sig, Jan 2025).
  // lockmc-only names: no phyr API is merged.

  /** A phyr over system pages (each range has a struct page). `dma_mapped`: it stores DMA addresses already. */
  function phyr_from_pages(opts?: { dma_mapped?: boolean }): lockmc.Phyr;
  /**
   * A phyr listing the pinned pages of userptr object `obj` (RDMA tracking its pin_user_pages
   * memory in a phyr). Without `keep_pages: true` it is the driver's only record of the pages:
   * unpinning them needs them back from the phyr (`unpin_user_pages(phyr)`). `keep_pages`: the
   * driver keeps its own page array too (a second list) and may `unpin_user_pages(obj)`.
   */
  function phyr_from_pages(obj: lockmc.GemObject, opts?: { dma_mapped?: boolean; keep_pages?: boolean }): lockmc.Phyr;
  /** A phyr over a P2P/MMIO range: no struct page behind it. `dma_mapped`: it stores DMA addresses already. */
  function phyr_from_p2p(opts?: { dma_mapped?: boolean }): lockmc.Phyr;
  /** The importer DMA-maps the phyr's ranges; a dma-mapped phyr must not be mapped again. */
  function phyr_map(phyr: lockmc.Phyr, ...rest: unknown[]): void;
  /** The importer unmaps the ranges it mapped. */
  function phyr_unmap(phyr: lockmc.Phyr, ...rest: unknown[]): void;
  /** Helper for old importers: a dma-mapped scatterlist from a phyr (maps a plain phyr, wraps a dma-mapped one). */
  function phyr_to_sgt(phyr: lockmc.Phyr, ...rest: unknown[]): void;
  /** The struct page of a phyr entry (Jason Gunthorpe's phyr_entry_to_page). */
  function phyr_entry_to_page(phyr: lockmc.Phyr): void;

  // -------------------------------------------------------------------------
  // Memory-provider ownership (zcrx vs devmem TCP thread, netdev, June 2024).
  // lockmc-only names for Pavel Begunkov's proposal: not merged.

  /** devmem TCP registers a dma-buf without binding a queue; false when a provider owns it already. */
  function net_devmem_register_dmabuf(buf: lockmc.DmaBuf, ...rest: unknown[]): boolean;
  /** Drops a devmem TCP registration (no effect unless devmem TCP holds it). */
  function net_devmem_unregister_dmabuf(buf: lockmc.DmaBuf): void;
  /**
   * io_uring takes over a devmem registration and binds it to `rxq`: the
   * buffer's lifetime is io_uring's from then on. False unless devmem TCP
   * holds the registration and the queue has no provider.
   */
  function io_zcrx_take_dmabuf(rxq: lockmc.RxQueue, buf: lockmc.DmaBuf, ...rest: unknown[]): boolean;
  // --- Lockdep priming (include/linux/lockdep.h, mm/page_alloc.c) ---------
  /**
   * Lockdep records an acquisition of `lock` and drops it at once; nothing
   * blocks. Under other locks (or inside `fs_reclaim_acquire`) it primes
   * their order against `lock`, the way driver init code teaches lockdep an
   * order at boot: a later inversion on any path is then a cycle.
   */
  function might_lock(lock: lockmc.Lockable): void;
  /** As might_lock, a (non-recursive) read acquisition. */
  function might_lock_read(lock: lockmc.Lockable): void;
  /** As might_lock, with a lockdep subclass (prints `/n`). */
  function might_lock_nested(lock: lockmc.Lockable, subclass: number): void;
  /**
   * Lockdep holds `fs_reclaim` until `fs_reclaim_release` (for a mask that
   * may enter fs reclaim), so what is taken in between is ordered after
   * reclaim: `fs_reclaim_acquire(GFP_KERNEL); might_lock(l);
   * fs_reclaim_release(GFP_KERNEL)` primes `fs_reclaim -> l`, and a later
   * allocation under `l` is a cycle. No reclaim actually runs.
   */
  function fs_reclaim_acquire(gfp: lockmc.gfp_t): void;
  function fs_reclaim_release(gfp: lockmc.gfp_t): void;

  // --- Global subsystem locks (the kernel's own; created on first use) ----
  /**
   * Take the console semaphore (kernel/printk/printk.c): sleeps; lockdep
   * tracks it as the exclusive map `console_lock`. printk under a lock that
   * a console driver takes is the classic inversion.
   */
  function console_lock(): void;
  /** Try the console semaphore; 1 on success. */
  function console_trylock(): number;
  function console_unlock(): void;
  /**
   * Hold off CPU hotplug: percpu_down_read(&cpu_hotplug_lock) (kernel/cpu.c),
   * a non-recursive read of a percpu rwsem. A hotplug callback runs under
   * cpus_write_lock, so a lock taken both inside a callback and around
   * cpus_read_lock is a cycle.
   */
  function cpus_read_lock(): void;
  function cpus_read_unlock(): void;
  /** Exclusive cpu_hotplug_lock, as the hotplug core holds it around callbacks. */
  function cpus_write_lock(): void;
  function cpus_write_unlock(): void;
  /**
   * Prepare a clock (drivers/clk/clk.c): takes the global mutex
   * `prepare_lock` and, under it, runs the provider's .prepare and
   * clk_pm_runtime_get(), which may allocate with GFP_KERNEL. The argument
   * is kept for realism (a string naming the clock is enough).
   */
  function clk_prepare(clk: unknown): number;
  /** prepare_lock around the provider's .unprepare. */
  function clk_unprepare(clk: unknown): void;
  /** clk_prepare, then clk_enable under the `enable_lock` spinlock with irqs off. */
  function clk_prepare_enable(clk: unknown): number;
  /** clk_disable under `enable_lock`, then clk_unprepare under `prepare_lock`. */
  function clk_disable_unprepare(clk: unknown): void;
  /**
   * Add a device PM QoS request (drivers/base/power/qos.c): takes the global
   * mutex `dev_pm_qos_mtx`; the device's first request allocates its
   * constraints with GFP_KERNEL, under the mutex up to v6.6 and before it
   * from v6.7 ("PM / QoS: Fix constraints alloc vs reclaim locking").
   */
  function dev_pm_qos_add_request(...args: unknown[]): number;
  /** Update a request under `dev_pm_qos_mtx` (devfreq does this from a GPU's job path). */
  function dev_pm_qos_update_request(...args: unknown[]): number;
  function dev_pm_qos_remove_request(...args: unknown[]): number;

  // --- RCU grace periods (kernel/rcu/tree.c) --------------------------------
  /**
   * Sleep until an RCU grace period has ended. Illegal in an RCU read-side
   * section (the grace period waits for it) or under a spinlock: lockdep's
   * wait-context check reports it.
   */
  function synchronize_rcu(): void;
  /**
   * Sleep until every RCU callback queued with call_rcu has run (and, as
   * synchronize_rcu, a grace period): the model waits for each call_rcu
   * callback queued so far to have returned. Under a lock the callback
   * takes, that is a deadlock.
   */
  function rcu_barrier(): void;
  /**
   * Queue `func` to run after a grace period (kernel/rcu/tree.c call_rcu):
   * it runs in softirq context (RCU_SOFTIRQ, or an rcuc/rcuo kthread with
   * bh disabled: rcu_do_batch), on this CPU when it has softirqs and irqs
   * on or on any other: it must not sleep, and a lock it takes must be
   * taken with softirqs off everywhere else (spin_lock_bh). The rcu_head
   * argument is read and ignored.
   */
  function call_rcu(head: unknown, func: lockmc.Callback): void;

  // --- Runtime PM (include/linux/pm_runtime.h, drivers/base/power/runtime.c)
  namespace lockmc {
    /** A device with runtime PM callbacks, declared with `dev_pm_ops({ ... })`. */
    interface PmDevice { readonly __lockmc: 'pm_device' }
  }
  /**
   * A device's struct dev_pm_ops runtime callbacks. The device brings its
   * spinlock `dev.power.lock` (lockdep class `&dev->power.lock`, shared by
   * every device) and the work item `dev.power.work` that pm_wq runs for an
   * asynchronous suspend (its handler is runtime_suspend). The callbacks
   * run where the kernel runs them: inline in a synchronous pm_runtime_*
   * call, without power.lock (__rpm_callback drops it), with whatever the
   * caller holds; or in the pm_wq kworker after pm_runtime_put.
   */
  function dev_pm_ops(ops: { runtime_resume?: lockmc.Callback; runtime_suspend?: lockmc.Callback; runtime_idle?: lockmc.Callback }): lockmc.PmDevice;
  /**
   * Count a user and resume the device (rpm_resume): when it was suspended,
   * runtime_resume runs inline in the caller's context. Under a lock that
   * runtime_resume takes this is recursive locking, and a deadlock.
   */
  function pm_runtime_get_sync(dev: lockmc.PmDevice): number;
  /** As pm_runtime_get_sync; drops the count again when resuming fails. */
  function pm_runtime_resume_and_get(dev: lockmc.PmDevice): number;
  /** Resume without counting a user: may run runtime_resume inline. */
  function pm_runtime_resume(dev: lockmc.PmDevice): number;
  /**
   * Drop a user (asynchronous): the idle/suspend request is queued on
   * pm_wq, so runtime_suspend runs later in a kworker, never in the caller.
   */
  function pm_runtime_put(dev: lockmc.PmDevice): number;
  /** Drop a user; the autosuspend timer queues the suspend on pm_wq later. */
  function pm_runtime_put_autosuspend(dev: lockmc.PmDevice): number;
  /**
   * Drop a user and idle the device now (rpm_idle): runtime_idle, then
   * runtime_suspend, may run inline in the caller's context, which in a
   * fence-signalling path is the suspend's allocations and waits on it.
   */
  function pm_runtime_put_sync(dev: lockmc.PmDevice): number;
  /** Drop a user and suspend now: runtime_suspend may run inline. */
  function pm_runtime_put_sync_suspend(dev: lockmc.PmDevice): number;
  /** Idle now: runtime_idle, then runtime_suspend, may run inline. */
  function pm_runtime_idle(dev: lockmc.PmDevice): number;
  /** Suspend now: runtime_suspend may run inline. */
  function pm_runtime_suspend(dev: lockmc.PmDevice): number;
  /** Count a user without resuming: no lock, no callback. */
  function pm_runtime_get_noresume(dev: lockmc.PmDevice): void;
  /** Drop a user without idling: no lock, no callback. */
  function pm_runtime_put_noidle(dev: lockmc.PmDevice): void;

  /**
   * lockmc-only: the fence is stored where other threads can find it
   * outside any resv or sync_file (an xarray, a ring's last-fence slot, a
   * context's fence list). From here on it is published: the point of no
   * return for the fence-signalling rules, as dma_resv_add_fence is. The
   * tracker argument is read and ignored (a string naming it is enough).
   */
  function driver_fence_publish(tracker: unknown, fence: lockmc.DmaFence): void;
  // local_lock_t (include/linux/local_lock.h): a per-CPU lock. On !RT it
  // disables preemption (local_lock), irqs (_irq, _irqsave) or nothing
  // (_nested_bh, softirqs already off) plus a lockdep acquire; on
  // PREEMPT_RT it is this CPU's spinlock_t. Lockdep wait type LD_WAIT_CONFIG.

  /** A local_lock_t. Named after the type, since local_lock() is the acquisition. */
  function local_lock_t(cls?: string): lockmc.LocalLock;
  function local_lock(lock: lockmc.LocalLock): void;
  function local_lock_irq(lock: lockmc.LocalLock): void;
  function local_lock_irqsave(lock: lockmc.LocalLock, flags?: unknown): void;
  function local_lock_nested_bh(lock: lockmc.LocalLock): void;
  function local_unlock(lock: lockmc.LocalLock): void;
  function local_unlock_irq(lock: lockmc.LocalLock): void;
  function local_unlock_irqrestore(lock: lockmc.LocalLock, flags?: unknown): void;
  function local_unlock_nested_bh(lock: lockmc.LocalLock): void;
  /** Re-initialise the lock (include/linux/local_lock.h): a bug while this CPU's lock is held (lockdep "held lock freed"). */
  function local_lock_init(lock: lockmc.LocalLock): void;
}
