/**
 * The authoring vocabulary as data: which kernel API lowers to which IR
 * operation, what each constructor creates and with which lockdep class,
 * and how every GFP mask behaves in reclaim. The front end reads these
 * tables; so can any pass that needs to know, say, what `GFP_NOFS` means.
 *
 * Kernel facts are cited by file and function (mainline, v6.x-v7.0 era).
 */

import type {
  GfpMask,
  InstanceKind,
  Instance,
  LockMode,
  MemallocScope,
  Op,
  OpKind,
  Outcome,
} from './ir.js';

// ---------------------------------------------------------------------------
// Errno values the model compares against (include/uapi/asm-generic/errno.h).

export const EDEADLK = 35;
export const EALREADY = 114;

/** Known ww classes (`DEFINE_WW_CLASS`): drivers/dma-buf/dma-resv.c, drivers/gpu/drm/drm_modeset_lock.c. */
export const WW_CLASSES = ['reservation_ww_class', 'crtc_ww_class'] as const;

// ---------------------------------------------------------------------------
// Constructors (top-level `const x = ctor(...)`).

export interface ConstructorEntry {
  name: string;
  kind: InstanceKind;
  /**
   * Default lockdep class. `'$var'` = the variable name (lockdep names a
   * lock class after the `mutex_init()` call site's key, which in drivers is
   * the field name); `'$ww'` = `<ww_class>_mutex`; absent = not lockable.
   */
  defaultClass?: string;
  /** Index of the optional `cls` string argument, if the constructor takes one. */
  classArg?: number;
  /** Index of the ww class identifier argument. */
  wwClassArg?: number;
  /** Arguments accepted (min, max). */
  arity: [number, number];
  summary: string;
  /** spinlock: a raw_spinlock_t. */
  raw?: boolean;
  /** spinlock: a local_lock_t (per-CPU, lockdep LD_LOCK_PERCPU). */
  percpu?: boolean;
}

export const CONSTRUCTORS: readonly ConstructorEntry[] = [
  // include/linux/mutex.h mutex_init(): one lock_class_key per init site.
  { name: 'mutex', kind: 'mutex', defaultClass: '$var', classArg: 0, arity: [0, 1], summary: 'struct mutex' },
  // include/linux/spinlock.h spin_lock_init().
  { name: 'spinlock', kind: 'spinlock', defaultClass: '$var', classArg: 0, arity: [0, 1], summary: 'spinlock_t' },
  // include/linux/rwsem.h init_rwsem().
  { name: 'rw_semaphore', kind: 'rwsem', defaultClass: '$var', classArg: 0, arity: [0, 1], summary: 'struct rw_semaphore' },
  // include/linux/rwlock.h rwlock_init(); read_lock is recursive-read in lockdep.
  { name: 'rwlock', kind: 'rwlock', defaultClass: '$var', classArg: 0, arity: [0, 1], summary: 'rwlock_t' },
  // include/linux/ww_mutex.h ww_mutex_init(): class `<ww_class>_mutex`.
  { name: 'ww_mutex', kind: 'ww_mutex', defaultClass: '$ww', wwClassArg: 0, classArg: 1, arity: [1, 2], summary: 'struct ww_mutex' },
  // include/linux/mm_types.h: mm->mmap_lock, an rwsem (mmap_sem before v5.8).
  { name: 'mm_struct', kind: 'mm', defaultClass: '&mm->mmap_lock', arity: [0, 0], summary: 'struct mm_struct' },
  // include/linux/fs.h: mapping->i_mmap_rwsem.
  { name: 'address_space', kind: 'address_space', defaultClass: '&mapping->i_mmap_rwsem', arity: [0, 0], summary: 'struct address_space' },
  // drivers/dma-buf/dma-resv.c dma_resv_init(): ww_mutex_init(&obj->lock, &reservation_ww_class).
  { name: 'dma_resv_object', kind: 'dma_resv', defaultClass: 'reservation_ww_class_mutex', arity: [0, 0], summary: 'struct dma_resv' },
  // drivers/dma-buf/dma-fence.c dma_fence_release(): ops->release, if any, runs on the final put.
  { name: 'dma_fence', kind: 'dma_fence', arity: [0, 1], summary: 'struct dma_fence (optionally with its dma_fence_ops.release)' },
  // drivers/dma-buf/dma-buf.c dma_buf_export(): embeds its own dma_resv when none is passed.
  { name: 'dma_buf', kind: 'dma_buf', arity: [0, 1], summary: 'struct dma_buf (and its reservation buf.resv)' },
  { name: 'netdev_rx_queue', kind: 'rx_queue', arity: [0, 0], summary: 'struct netdev_rx_queue' },
  { name: 'work', kind: 'work', arity: [1, 1], summary: 'struct work_struct with its handler' },
  // drivers/gpu/drm/drm_gem.c drm_gem_object_free(): obj->funcs->free on the final put; obj->resv is its own dma_resv.
  { name: 'drm_gem_object', kind: 'gem_object', arity: [0, 1], summary: 'struct drm_gem_object (its reservation obj.resv, its funcs->free)' },
  // drivers/gpu/drm/ttm/ttm_bo.c ttm_bo_release(): bo->destroy on the final put.
  { name: 'ttm_buffer_object', kind: 'gem_object', arity: [0, 1], summary: 'struct ttm_buffer_object (its reservation bo.resv, its destroy)' },
  // drivers/gpu/drm/amd/amdgpu/amdgpu_ttm.c amdgpu_ttm_tt_set_userptr(), i915_gem_userptr.c: a BO over user pages.
  { name: 'userptr_object', kind: 'gem_object', arity: [1, 1], summary: 'a userptr GEM object backed by user pages of an mm' },
  // include/linux/spinlock.h raw_spin_lock_init(): raw_spinlock_t spins even on PREEMPT_RT (wait type LD_WAIT_SPIN).
  { name: 'raw_spinlock', kind: 'spinlock', defaultClass: '$var', classArg: 0, arity: [0, 1], summary: 'raw_spinlock_t', raw: true },
  // A device engine (no kernel struct): hw_submit() kicks it, its completion irq then fires (amdgpu_fence_process() from the EOP irq).
  { name: 'hardware', kind: 'hardware', arity: [1, 1], summary: 'a device engine with its completion irq ({ irq, may_hang })' },
  // drivers/gpu/drm/scheduler/sched_main.c drm_sched_init(): struct drm_gpu_scheduler with its drm_sched_backend_ops.
  { name: 'drm_gpu_scheduler', kind: 'drm_sched', arity: [1, 1], summary: 'struct drm_gpu_scheduler ({ run_job, timedout_job })' },
  // phyr vs scatterlist thread (linaro-mm-sig, Jan 2025): lockmc-only names, no phyr API is merged.
  { name: 'phyr_from_pages', kind: 'phyr', arity: [0, 2], summary: 'a phyr over system pages (each range has a struct page); `{ dma_mapped: true }` stores DMA addresses; `phyr_from_pages(umem, { keep_pages })` lists a userptr object\'s pinned pages' },
  { name: 'phyr_from_p2p', kind: 'phyr', arity: [0, 1], summary: 'a phyr over a P2P/MMIO range (no struct page); `{ dma_mapped: true }` stores DMA addresses' },
  // include/linux/local_lock_internal.h INIT_LOCAL_LOCK(): wait_type_inner LD_WAIT_CONFIG, lock_type LD_LOCK_PERCPU.
  // Named after the type: local_lock() is the acquisition.
  { name: 'local_lock_t', kind: 'spinlock', defaultClass: '$var', classArg: 0, arity: [0, 1], summary: 'local_lock_t (per-CPU)', percpu: true },
  // include/linux/pm.h struct dev_pm_ops: a device's runtime PM callbacks (drivers/base/power/runtime.c runs them).
  { name: 'dev_pm_ops', kind: 'pm_device', arity: [1, 1], summary: 'a device with its runtime PM callbacks ({ runtime_resume, runtime_suspend, runtime_idle? }); its dev.power.lock and dev.power.work' },
];

export const CONSTRUCTOR_BY_NAME: ReadonlyMap<string, ConstructorEntry> = new Map(
  CONSTRUCTORS.map((c) => [c.name, c]),
);

/** The class a dma_buf's reservation gets: same as any dma_resv. */
export const RESV_CLASS = 'reservation_ww_class_mutex';
/** The class of the implicit `current->mm` used by user-memory access. */
export const MMAP_LOCK_CLASS = '&mm->mmap_lock';

/** dma_buf exporter capability options and their ExporterCaps field. */
export const EXPORTER_OPTIONS: Readonly<Record<string, keyof import('./ir.js').ExporterCaps>> = {
  movable: 'movable',
  revocable: 'revocable',
  unrevocable: 'unrevocable',
  pinnable: 'pinnable',
  p2p_only: 'p2pOnly',
};

/**
 * dma_buf_dynamic_attach importer capability options and their
 * ImporterCaps field (revocable dma-buf thread, Jan 2025: the cascade
 * pinned / pinned-but-revocable / dynamic; iommufd revoke-only).
 * `faultable: false` sets `unfaultable`; the others are set by `true`.
 */
export const IMPORTER_CAP_OPTIONS: Readonly<Record<string, keyof import('./ir.js').ImporterCaps>> = {
  pinned: 'pinned',
  revoke_fatal: 'revokeFatal',
  faultable: 'unfaultable',
  gpu_context: 'gpuContext',
  reject_revocable: 'rejectRevocable',
};

// ---------------------------------------------------------------------------
// Registrations (top level).

export interface RegistrationEntry {
  name: string;
  summary: string;
}

export const REGISTRATIONS: readonly RegistrationEntry[] = [
  { name: 'threads', summary: 'the listed functions are the model threads' },
  // mm/shrinker.c: shrinkers run from shrink_slab() in direct reclaim and kswapd.
  { name: 'register_shrinker', summary: 'callback run from direct reclaim and kswapd' },
  // mm/mmu_notifier.c mmu_interval_notifier_insert(); invalidate runs from rmap walks and munmap.
  { name: 'mmu_interval_notifier_insert', summary: 'interval-notifier invalidate callback' },
  // kernel/irq/manage.c request_irq().
  { name: 'request_irq', summary: 'hard-irq handler' },
  // kernel/softirq.c open_softirq(), tasklet_setup(); kernel/time/timer.c timer_setup(): softirq context.
  { name: 'open_softirq', summary: 'softirq handler' },
  { name: 'tasklet_setup', summary: 'tasklet callback (softirq context)' },
  { name: 'timer_setup', summary: 'timer callback (softirq context)' },
  // include/linux/mm.h struct vm_operations_struct .fault: mm/memory.c __do_fault() under mmap_lock read.
  { name: 'vm_operations', summary: 'fault handler of a mapping of an mm (runs from user accesses, GUP, hmm_range_fault)' },
  // kernel/irq/manage.c request_threaded_irq(): the handler in hard-irq context, thread_fn in the irq thread (irq_thread) after it.
  { name: 'request_threaded_irq', summary: 'hard-irq handler and its irq thread function' },
];

// ---------------------------------------------------------------------------
// Operations.

/** What an API argument must be. */
export type ArgSpec =
  /** An instance of one of these kinds. */
  | { kind: 'instance'; name: string; kinds: readonly InstanceKind[]; optional?: boolean }
  /** A ww acquire context, or `null` for a ctx-less lock. */
  | { kind: 'ctx-or-null'; name: string; optional?: boolean }
  /** A GFP mask expression (`GFP_KERNEL | __GFP_NOWARN`). */
  | { kind: 'gfp'; name: string; optional?: boolean }
  /** An integer constant (lockdep subclass, count). */
  | { kind: 'number'; name: string; optional?: boolean }
  /** A function of the same file (a callback). */
  | { kind: 'fn'; name: string; optional?: boolean }
  /** A timeout: `MAX_SCHEDULE_TIMEOUT` = infinite, anything else finite. */
  | { kind: 'timeout'; name: string; optional?: boolean }
  /** An object literal of options. */
  | { kind: 'options'; name: string; optional?: boolean; keys: readonly string[] }
  /** A value the model may pass for realism; read but ignored. */
  | { kind: 'ignored'; name: string; optional?: boolean }
  /** The value returned by `mmu_interval_read_begin`. */
  | { kind: 'seq'; name: string; optional?: boolean }
  /** A ww class identifier (`reservation_ww_class`). */
  | { kind: 'ww_class'; name: string; optional?: boolean };

/** What a call yields when bound with `const x = api(...)`. */
export type Creates = 'ww_ctx' | 'signalling_cookie' | 'memalloc_cookie' | 'attachment' | 'seq';

export interface ApiEntry {
  api: string;
  op: OpKind;
  args: readonly ArgSpec[];
  /** Lock ops: acquisition mode. */
  mode?: LockMode;
  trylock?: boolean;
  slow?: boolean;
  irqsave?: boolean;
  irqrestore?: boolean;
  /** Lock ops: also disable (lock) or enable (unlock) softirqs: the `_bh` variants. */
  bh?: boolean;
  /** Lock ops: the raw_spin_* family (the lock must be a raw_spinlock_t). */
  raw?: boolean;
  /** Lock ops: the local_lock family (the lock must be a local_lock_t). */
  percpu?: boolean;
  /** Lock ops: the subclass argument (`mutex_lock_nested`). */
  subclassArg?: string;
  nestLockArg?: string;
  /** alloc ops: a fixed mask when the API takes none (vmalloc, helpers). */
  fixedGfp?: string;
  /** alloc ops: the mask is the last argument; earlier arguments are sizes. */
  gfpLast?: boolean;
  scope?: MemallocScope;
  creates?: Creates;
  pin?: boolean;
  write?: boolean;
  unlocked?: boolean;
  provider?: 'devmem' | 'zcrx';
  /** fence_wait: index of the timeout argument (absent = infinite wait). */
  timeoutArg?: number;
  /** user_access: every argument is optional and the mm is inferred. */
  inferMm?: boolean;
  /** Any number of trailing ignored arguments (realistic kernel signatures). */
  variadicIgnored?: boolean;
  summary: string;
}

const inst = (name: string, ...kinds: InstanceKind[]): ArgSpec => ({ kind: 'instance', name, kinds });
const LOCK_ARG_MUTEX = inst('lock', 'mutex');
const LOCK_ARG_SPIN = inst('lock', 'spinlock');
const LOCK_ARG_RWSEM = inst('sem', 'rwsem');
const LOCK_ARG_RWLOCK = inst('lock', 'rwlock');
const MM_ARG = inst('mm', 'mm');
const PM_DEV_ARG = inst('dev', 'pm_device');
const MAPPING_ARG = inst('mapping', 'address_space');
const RESV_ARG = inst('obj', 'dma_resv');
const WW_ARG = inst('lock', 'ww_mutex');
const CTX_ARG = inst('ctx', 'ww_ctx');
const FENCE_ARG = inst('fence', 'dma_fence');
const BUF_ARG = inst('dmabuf', 'dma_buf');
const ATTACH_ARG = inst('attach', 'attachment');
const RXQ_ARG = inst('rxq', 'rx_queue');
const WORK_ARG = inst('work', 'work');
const MNI_ARG = inst('mni', 'interval_notifier');
const GFP_ARG: ArgSpec = { kind: 'gfp', name: 'gfp' };
/** might_lock(&l): any lock whose lockdep map a driver can name. */
const MIGHT_LOCK_ARG = inst('lock', 'mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space', 'dma_resv');
const GEM_ARG = inst('obj', 'gem_object');
/** device_read/device_write: an importer's attachment, or a GEM object of the device's own driver. */
const DEVICE_ARG = inst('attach', 'attachment', 'gem_object', 'phyr');
const PHYR_ARG = inst('phyr', 'phyr');

/**
 * local_lock_t: include/linux/local_lock.h, local_lock_internal.h. On !RT
 * local_lock() is preempt_disable() plus a lockdep acquire of the per-CPU
 * lock, local_lock_irq/irqsave disable irqs instead, local_lock_nested_bh()
 * is only the lockdep acquire (softirqs are already off); on PREEMPT_RT each
 * is a spin_lock() of the per-CPU spinlock_t (checker/preempt-rt.ts leaves
 * irqs on).
 */
const LOCAL_LOCK_ARG = inst('lock', 'spinlock');
const LOCAL_LOCK_APIS: readonly ApiEntry[] = [
  { api: 'local_lock', op: 'lock', args: [LOCAL_LOCK_ARG], mode: 'write', percpu: true, summary: 'this CPU\'s local_lock_t: preemption off (!RT), a per-CPU spinlock_t (RT)' },
  { api: 'local_lock_irq', op: 'lock', args: [LOCAL_LOCK_ARG], mode: 'write', percpu: true, irqsave: true, summary: 'local_lock with local irqs disabled (!RT)' },
  { api: 'local_lock_irqsave', op: 'lock', args: [LOCAL_LOCK_ARG, { kind: 'ignored', name: 'flags', optional: true }], mode: 'write', percpu: true, irqsave: true, summary: 'local_lock saving and disabling irqs (!RT)' },
  { api: 'local_lock_nested_bh', op: 'lock', args: [LOCAL_LOCK_ARG], mode: 'write', percpu: true, summary: 'local_lock in softirq context (softirqs already off)' },
  { api: 'local_unlock', op: 'unlock', args: [LOCAL_LOCK_ARG], percpu: true, summary: 'release' },
  { api: 'local_unlock_irq', op: 'unlock', args: [LOCAL_LOCK_ARG], percpu: true, irqrestore: true, summary: 'release and enable irqs' },
  { api: 'local_unlock_irqrestore', op: 'unlock', args: [LOCAL_LOCK_ARG, { kind: 'ignored', name: 'flags', optional: true }], percpu: true, irqrestore: true, summary: 'release and restore irqs' },
  { api: 'local_unlock_nested_bh', op: 'unlock', args: [LOCAL_LOCK_ARG], percpu: true, summary: 'release' },
  // include/linux/local_lock.h local_lock_init(): lockdep_init_map_type() of this CPU's lock, as spin_lock_init().
  { api: 'local_lock_init', op: 'lock_init', args: [LOCAL_LOCK_ARG], percpu: true, summary: 're-initialise a local_lock_t (a bug while it is held)' },
];

// raw_spinlock_t, _bh variants, softirq and RCU sections, lock init: include/linux/spinlock.h,
// include/linux/bottom_half.h, include/linux/rcupdate.h.
const LOCKDEP_APIS: readonly ApiEntry[] = [
  { api: 'raw_spin_lock', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', raw: true, summary: 'raw_spinlock_t acquisition: spins even on PREEMPT_RT' },
  { api: 'raw_spin_lock_nested', op: 'lock', args: [LOCK_ARG_SPIN, { kind: 'number', name: 'subclass' }], mode: 'write', raw: true, subclassArg: 'subclass', summary: 'raw_spin_lock with a lockdep subclass' },
  { api: 'raw_spin_lock_irq', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', raw: true, irqsave: true, summary: 'raw_spin_lock with local irqs disabled' },
  { api: 'raw_spin_lock_irqsave', op: 'lock', args: [LOCK_ARG_SPIN, { kind: 'ignored', name: 'flags', optional: true }], mode: 'write', raw: true, irqsave: true, summary: 'raw_spin_lock saving and disabling irqs' },
  { api: 'raw_spin_lock_bh', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', raw: true, bh: true, summary: 'raw_spin_lock with softirqs disabled' },
  { api: 'raw_spin_trylock', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', raw: true, trylock: true, summary: 'returns 1 on success' },
  { api: 'raw_spin_unlock', op: 'unlock', args: [LOCK_ARG_SPIN], raw: true, summary: 'release' },
  { api: 'raw_spin_unlock_irq', op: 'unlock', args: [LOCK_ARG_SPIN], raw: true, irqrestore: true, summary: 'release and enable irqs' },
  { api: 'raw_spin_unlock_irqrestore', op: 'unlock', args: [LOCK_ARG_SPIN, { kind: 'ignored', name: 'flags', optional: true }], raw: true, irqrestore: true, summary: 'release and restore irqs' },
  { api: 'raw_spin_unlock_bh', op: 'unlock', args: [LOCK_ARG_SPIN], raw: true, bh: true, summary: 'release and enable softirqs' },
  { api: 'spin_lock_nest_lock', op: 'lock', args: [LOCK_ARG_SPIN, inst('nest', 'mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space', 'dma_resv', 'ww_ctx')], mode: 'write', nestLockArg: 'nest', summary: 'spin_lock serialised by an outer lock (lockdep nest_lock)' },
  { api: 'read_lock_bh', op: 'lock', args: [LOCK_ARG_RWLOCK], mode: 'recursive_read', bh: true, summary: 'read_lock with softirqs disabled' },
  { api: 'write_lock_bh', op: 'lock', args: [LOCK_ARG_RWLOCK], mode: 'write', bh: true, summary: 'write_lock with softirqs disabled' },
  { api: 'read_unlock_bh', op: 'unlock', args: [LOCK_ARG_RWLOCK], bh: true, summary: 'release shared and enable softirqs' },
  { api: 'write_unlock_bh', op: 'unlock', args: [LOCK_ARG_RWLOCK], bh: true, summary: 'release exclusive and enable softirqs' },
  { api: 'read_lock_irq', op: 'lock', args: [LOCK_ARG_RWLOCK], mode: 'recursive_read', irqsave: true, summary: 'read_lock with local irqs disabled' },
  { api: 'read_lock_irqsave', op: 'lock', args: [LOCK_ARG_RWLOCK, { kind: 'ignored', name: 'flags', optional: true }], mode: 'recursive_read', irqsave: true, summary: 'read_lock saving and disabling irqs' },
  { api: 'write_lock_irq', op: 'lock', args: [LOCK_ARG_RWLOCK], mode: 'write', irqsave: true, summary: 'write_lock with local irqs disabled' },
  { api: 'write_lock_irqsave', op: 'lock', args: [LOCK_ARG_RWLOCK, { kind: 'ignored', name: 'flags', optional: true }], mode: 'write', irqsave: true, summary: 'write_lock saving and disabling irqs' },
  { api: 'read_unlock_irq', op: 'unlock', args: [LOCK_ARG_RWLOCK], irqrestore: true, summary: 'release shared and enable irqs' },
  { api: 'read_unlock_irqrestore', op: 'unlock', args: [LOCK_ARG_RWLOCK, { kind: 'ignored', name: 'flags', optional: true }], irqrestore: true, summary: 'release shared and restore irqs' },
  { api: 'write_unlock_irq', op: 'unlock', args: [LOCK_ARG_RWLOCK], irqrestore: true, summary: 'release exclusive and enable irqs' },
  { api: 'write_unlock_irqrestore', op: 'unlock', args: [LOCK_ARG_RWLOCK, { kind: 'ignored', name: 'flags', optional: true }], irqrestore: true, summary: 'release exclusive and restore irqs' },
  { api: 'local_bh_disable', op: 'local_bh_disable', args: [], summary: 'disable softirqs on this CPU' },
  { api: 'local_bh_enable', op: 'local_bh_enable', args: [], summary: 'enable softirqs (and run pending ones)' },
  { api: 'rcu_read_lock', op: 'rcu_read_lock', args: [], summary: 'enter an RCU read-side section (must not sleep)' },
  { api: 'rcu_read_unlock', op: 'rcu_read_unlock', args: [], summary: 'leave the RCU read-side section' },
  { api: 'mutex_init', op: 'lock_init', args: [LOCK_ARG_MUTEX], summary: 're-initialise a mutex (a bug while it is held)' },
  { api: 'spin_lock_init', op: 'lock_init', args: [LOCK_ARG_SPIN], summary: 're-initialise a spinlock (a bug while it is held)' },
  { api: 'raw_spin_lock_init', op: 'lock_init', args: [LOCK_ARG_SPIN], raw: true, summary: 're-initialise a raw spinlock (a bug while it is held)' },
  { api: 'init_rwsem', op: 'lock_init', args: [LOCK_ARG_RWSEM], summary: 're-initialise an rwsem (a bug while it is held)' },
  { api: 'rwlock_init', op: 'lock_init', args: [LOCK_ARG_RWLOCK], summary: 're-initialise an rwlock (a bug while it is held)' },
];

export const APIS: readonly ApiEntry[] = [
  // --- mutex: kernel/locking/mutex.c ---------------------------------------
  { api: 'mutex_lock', op: 'lock', args: [LOCK_ARG_MUTEX], mode: 'write', summary: 'sleeping exclusive acquisition' },
  { api: 'mutex_lock_interruptible', op: 'lock', args: [LOCK_ARG_MUTEX], mode: 'write', summary: 'as mutex_lock; -EINTR is not modelled' },
  { api: 'mutex_lock_killable', op: 'lock', args: [LOCK_ARG_MUTEX], mode: 'write', summary: 'as mutex_lock; -EINTR is not modelled' },
  { api: 'mutex_lock_nested', op: 'lock', args: [LOCK_ARG_MUTEX, { kind: 'number', name: 'subclass' }], mode: 'write', subclassArg: 'subclass', summary: 'acquisition with a lockdep subclass (prints /n)' },
  { api: 'mutex_lock_nest_lock', op: 'lock', args: [LOCK_ARG_MUTEX, inst('nest', 'mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space', 'dma_resv', 'ww_ctx')], mode: 'write', nestLockArg: 'nest', summary: 'acquisition serialised by an outer lock (lockdep nest_lock)' },
  { api: 'mutex_trylock', op: 'lock', args: [LOCK_ARG_MUTEX], mode: 'write', trylock: true, summary: 'returns 1 on success, 0 if contended' },
  { api: 'mutex_unlock', op: 'unlock', args: [LOCK_ARG_MUTEX], summary: 'release' },
  // --- spinlock: include/linux/spinlock.h ---------------------------------------
  { api: 'spin_lock', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', summary: 'atomic context while held' },
  { api: 'spin_lock_nested', op: 'lock', args: [LOCK_ARG_SPIN, { kind: 'number', name: 'subclass' }], mode: 'write', subclassArg: 'subclass', summary: 'spin_lock with a lockdep subclass' },
  { api: 'spin_lock_irq', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', irqsave: true, summary: 'spin_lock with local irqs disabled' },
  { api: 'spin_lock_irqsave', op: 'lock', args: [LOCK_ARG_SPIN, { kind: 'ignored', name: 'flags', optional: true }], mode: 'write', irqsave: true, summary: 'spin_lock saving and disabling irqs' },
  { api: 'spin_lock_bh', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', bh: true, summary: 'spin_lock with softirqs disabled' },
  { api: 'spin_trylock', op: 'lock', args: [LOCK_ARG_SPIN], mode: 'write', trylock: true, summary: 'returns 1 on success' },
  { api: 'spin_unlock', op: 'unlock', args: [LOCK_ARG_SPIN], summary: 'release' },
  { api: 'spin_unlock_bh', op: 'unlock', args: [LOCK_ARG_SPIN], bh: true, summary: 'release and enable softirqs' },
  { api: 'spin_unlock_irq', op: 'unlock', args: [LOCK_ARG_SPIN], irqrestore: true, summary: 'release and enable irqs' },
  { api: 'spin_unlock_irqrestore', op: 'unlock', args: [LOCK_ARG_SPIN, { kind: 'ignored', name: 'flags', optional: true }], irqrestore: true, summary: 'release and restore irqs' },
  // --- rwsem: kernel/locking/rwsem.c ---------------------------------------------
  { api: 'down_read', op: 'lock', args: [LOCK_ARG_RWSEM], mode: 'read', summary: 'non-recursive shared acquisition' },
  { api: 'down_read_nested', op: 'lock', args: [LOCK_ARG_RWSEM, { kind: 'number', name: 'subclass' }], mode: 'read', subclassArg: 'subclass', summary: 'down_read with a subclass' },
  { api: 'down_write', op: 'lock', args: [LOCK_ARG_RWSEM], mode: 'write', summary: 'exclusive acquisition' },
  { api: 'down_write_nested', op: 'lock', args: [LOCK_ARG_RWSEM, { kind: 'number', name: 'subclass' }], mode: 'write', subclassArg: 'subclass', summary: 'down_write with a subclass' },
  { api: 'down_read_trylock', op: 'lock', args: [LOCK_ARG_RWSEM], mode: 'read', trylock: true, summary: 'returns 1 on success' },
  { api: 'down_write_trylock', op: 'lock', args: [LOCK_ARG_RWSEM], mode: 'write', trylock: true, summary: 'returns 1 on success' },
  { api: 'up_read', op: 'unlock', args: [LOCK_ARG_RWSEM], summary: 'release shared' },
  { api: 'up_write', op: 'unlock', args: [LOCK_ARG_RWSEM], summary: 'release exclusive' },
  // --- rwlock_t: include/linux/rwlock.h (read side is recursive in lockdep) -------
  { api: 'read_lock', op: 'lock', args: [LOCK_ARG_RWLOCK], mode: 'recursive_read', summary: 'recursive shared acquisition' },
  { api: 'write_lock', op: 'lock', args: [LOCK_ARG_RWLOCK], mode: 'write', summary: 'exclusive acquisition' },
  { api: 'read_unlock', op: 'unlock', args: [LOCK_ARG_RWLOCK], summary: 'release shared' },
  { api: 'write_unlock', op: 'unlock', args: [LOCK_ARG_RWLOCK], summary: 'release exclusive' },
  // --- mmap_lock: include/linux/mmap_lock.h ----------------------------------------
  { api: 'mmap_read_lock', op: 'lock', args: [MM_ARG], mode: 'read', summary: 'down_read(&mm->mmap_lock)' },
  { api: 'mmap_read_trylock', op: 'lock', args: [MM_ARG], mode: 'read', trylock: true, summary: 'down_read_trylock(&mm->mmap_lock)' },
  { api: 'mmap_read_unlock', op: 'unlock', args: [MM_ARG], summary: 'up_read(&mm->mmap_lock)' },
  { api: 'mmap_write_lock', op: 'lock', args: [MM_ARG], mode: 'write', summary: 'down_write(&mm->mmap_lock)' },
  { api: 'mmap_write_trylock', op: 'lock', args: [MM_ARG], mode: 'write', trylock: true, summary: 'down_write_trylock(&mm->mmap_lock)' },
  { api: 'mmap_write_unlock', op: 'unlock', args: [MM_ARG], summary: 'up_write(&mm->mmap_lock)' },
  // --- i_mmap_rwsem: include/linux/fs.h --------------------------------------------
  { api: 'i_mmap_lock_read', op: 'lock', args: [MAPPING_ARG], mode: 'read', summary: 'down_read(&mapping->i_mmap_rwsem)' },
  { api: 'i_mmap_unlock_read', op: 'unlock', args: [MAPPING_ARG], summary: 'up_read(&mapping->i_mmap_rwsem)' },
  { api: 'i_mmap_lock_write', op: 'lock', args: [MAPPING_ARG], mode: 'write', summary: 'down_write(&mapping->i_mmap_rwsem)' },
  { api: 'i_mmap_unlock_write', op: 'unlock', args: [MAPPING_ARG], summary: 'up_write(&mapping->i_mmap_rwsem)' },
  // mm/memory.c unmap_mapping_range(): i_mmap_lock_write + rmap walk + notifiers.
  { api: 'unmap_mapping_range', op: 'unmap_mapping_range', args: [MAPPING_ARG], variadicIgnored: true, summary: 'zap every mapping of the range (takes i_mmap_rwsem, calls notifiers)' },
  // --- ww acquire contexts: include/linux/ww_mutex.h ------------------------------
  { api: 'ww_acquire_init', op: 'ww_acquire_init', args: [{ kind: 'ww_class', name: 'ww_class' }], creates: 'ww_ctx', summary: 'start a ww transaction (acquires <class>_acquire)' },
  { api: 'ww_acquire_done', op: 'ww_acquire_done', args: [CTX_ARG], summary: 'no more locks will be taken in this transaction' },
  { api: 'ww_acquire_fini', op: 'ww_acquire_fini', args: [CTX_ARG], summary: 'end the transaction (releases <class>_acquire)' },
  // --- dma_resv: include/linux/dma-resv.h (lock is a reservation_ww_class ww_mutex) -
  { api: 'dma_resv_lock', op: 'lock', args: [RESV_ARG, { kind: 'ctx-or-null', name: 'ctx' }], mode: 'write', summary: 'ww_mutex_lock(&obj->lock, ctx): 0, -EDEADLK or -EALREADY' },
  { api: 'dma_resv_lock_interruptible', op: 'lock', args: [RESV_ARG, { kind: 'ctx-or-null', name: 'ctx' }], mode: 'write', summary: 'as dma_resv_lock; -EINTR is not modelled' },
  { api: 'dma_resv_lock_slow', op: 'lock', args: [RESV_ARG, CTX_ARG], mode: 'write', slow: true, summary: 'backoff re-lock after -EDEADLK: cannot fail' },
  { api: 'dma_resv_lock_slow_interruptible', op: 'lock', args: [RESV_ARG, CTX_ARG], mode: 'write', slow: true, summary: 'as dma_resv_lock_slow' },
  { api: 'dma_resv_trylock', op: 'lock', args: [RESV_ARG], mode: 'write', trylock: true, summary: 'ww_mutex_trylock(&obj->lock, NULL)' },
  // lockmc's spelling of ww_mutex_trylock(&obj->lock, ctx) (the GEM LRU scan with a ticket).
  { api: 'dma_resv_trylock_ctx', op: 'lock', args: [RESV_ARG, { kind: 'ctx-or-null', name: 'ctx' }], mode: 'write', trylock: true, summary: 'ww_mutex_trylock(&obj->lock, ctx): on success the resv joins the acquire context' },
  { api: 'dma_resv_unlock', op: 'unlock', args: [RESV_ARG], summary: 'ww_mutex_unlock(&obj->lock)' },
  // --- ww_mutex: kernel/locking/ww_mutex.h ------------------------------------------
  { api: 'ww_mutex_lock', op: 'lock', args: [WW_ARG, { kind: 'ctx-or-null', name: 'ctx' }], mode: 'write', summary: '0, -EDEADLK or -EALREADY with a ctx' },
  { api: 'ww_mutex_lock_interruptible', op: 'lock', args: [WW_ARG, { kind: 'ctx-or-null', name: 'ctx' }], mode: 'write', summary: 'as ww_mutex_lock' },
  { api: 'ww_mutex_lock_slow', op: 'lock', args: [WW_ARG, CTX_ARG], mode: 'write', slow: true, summary: 'backoff re-lock: cannot fail' },
  // kernel/locking/mutex.c ww_mutex_trylock(): with a ctx the lock joins the
  // context (mutex_acquire_nest, trylock); a dma_resv is its embedded ww_mutex
  // (drm_gem_lru_scan: ww_mutex_trylock(&obj->resv->lock, ticket)).
  { api: 'ww_mutex_trylock', op: 'lock', args: [inst('lock', 'ww_mutex', 'dma_resv'), { kind: 'ctx-or-null', name: 'ctx', optional: true }], mode: 'write', trylock: true, summary: 'returns 1 on success; with a ctx the lock joins the acquire context' },
  { api: 'ww_mutex_unlock', op: 'unlock', args: [WW_ARG], summary: 'release' },
  // --- allocation: include/linux/slab.h, gfp.h, vmalloc.h, mempool.h ---------------
  { api: 'kmalloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'slab allocation' },
  { api: 'kzalloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'zeroed slab allocation' },
  { api: 'kvmalloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'kmalloc falling back to vmalloc' },
  { api: 'kvzalloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'zeroed kvmalloc' },
  { api: 'kcalloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'array allocation' },
  { api: 'kmalloc_array', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'array allocation' },
  { api: 'krealloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'reallocation' },
  { api: 'alloc_page', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'page allocation' },
  { api: 'alloc_pages', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'page allocation (the order argument may come after the mask in C; here the mask is last)' },
  { api: 'mempool_alloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'mempool allocation' },
  // mm/vmalloc.c vmalloc(): __vmalloc_node(..., GFP_KERNEL, ...).
  { api: 'vmalloc', op: 'alloc', args: [], fixedGfp: 'GFP_KERNEL', variadicIgnored: true, summary: 'vmalloc (GFP_KERNEL)' },
  { api: 'vzalloc', op: 'alloc', args: [], fixedGfp: 'GFP_KERNEL', variadicIgnored: true, summary: 'zeroed vmalloc (GFP_KERNEL)' },
  // drivers/dma-buf/dma-resv.c dma_resv_reserve_fences(): krealloc(GFP_KERNEL).
  { api: 'dma_resv_reserve_fences', op: 'alloc', args: [RESV_ARG], fixedGfp: 'GFP_KERNEL', variadicIgnored: true, summary: 'grows the fence array with GFP_KERNEL' },
  // drivers/gpu/drm/scheduler/sched_main.c drm_sched_job_init(): allocates with GFP_KERNEL.
  { api: 'drm_sched_job_init', op: 'alloc', args: [], fixedGfp: 'GFP_KERNEL', variadicIgnored: true, summary: 'allocates job state with GFP_KERNEL' },
  // lib/idr.c, lib/xarray.c: callers in drivers pass GFP_KERNEL.
  { api: 'idr_alloc', op: 'alloc', args: [], fixedGfp: 'GFP_KERNEL', variadicIgnored: true, summary: 'IDR allocation with GFP_KERNEL' },
  { api: 'xa_alloc', op: 'alloc', args: [], fixedGfp: 'GFP_KERNEL', variadicIgnored: true, summary: 'XArray allocation with GFP_KERNEL' },
  // --- scoped constraints: include/linux/sched/mm.h -------------------------------
  { api: 'memalloc_nofs_save', op: 'memalloc_save', args: [], scope: 'nofs', creates: 'memalloc_cookie', summary: 'PF_MEMALLOC_NOFS: clears __GFP_FS in the scope' },
  { api: 'memalloc_nofs_restore', op: 'memalloc_restore', args: [inst('flags', 'memalloc_cookie')], scope: 'nofs', summary: 'end the NOFS scope' },
  { api: 'memalloc_noio_save', op: 'memalloc_save', args: [], scope: 'noio', creates: 'memalloc_cookie', summary: 'PF_MEMALLOC_NOIO: clears __GFP_IO and __GFP_FS' },
  { api: 'memalloc_noio_restore', op: 'memalloc_restore', args: [inst('flags', 'memalloc_cookie')], scope: 'noio', summary: 'end the NOIO scope' },
  { api: 'memalloc_noreclaim_save', op: 'memalloc_save', args: [], scope: 'noreclaim', creates: 'memalloc_cookie', summary: 'PF_MEMALLOC: no reclaim, no lockdep annotation' },
  { api: 'memalloc_noreclaim_restore', op: 'memalloc_restore', args: [inst('flags', 'memalloc_cookie')], scope: 'noreclaim', summary: 'end the PF_MEMALLOC scope' },
  // --- user memory: may fault, i.e. take mmap_lock for read (mm/memory.c do_user_addr_fault path)
  { api: 'copy_to_user', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'may fault: mmap_lock read' },
  { api: 'copy_from_user', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'may fault: mmap_lock read' },
  { api: 'get_user', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'may fault: mmap_lock read' },
  { api: 'put_user', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'may fault: mmap_lock read' },
  { api: 'get_user_pages', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'GUP: mmap_lock read, may fault' },
  { api: 'get_user_pages_fast', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'GUP-fast, falls back to mmap_lock read' },
  { api: 'pin_user_pages', op: 'user_access', args: [], inferMm: true, pin: true, variadicIgnored: true, summary: 'FOLL_PIN GUP: mmap_lock read, may fault' },
  { api: 'pin_user_pages_fast', op: 'user_access', args: [], inferMm: true, pin: true, variadicIgnored: true, summary: 'FOLL_PIN GUP-fast' },
  { api: 'hmm_range_fault', op: 'user_access', args: [], inferMm: true, variadicIgnored: true, summary: 'mm/hmm.c: caller holds mmap_lock read; faults pages' },
  { api: 'pagefault_disable', op: 'pagefault_disable', args: [], summary: 'user access returns -EFAULT instead of faulting' },
  { api: 'pagefault_enable', op: 'pagefault_enable', args: [], summary: 'end of pagefault_disable' },
  // --- fences: drivers/dma-buf/dma-fence.c ---------------------------------------
  { api: 'dma_fence_init', op: 'fence_init', args: [FENCE_ARG], variadicIgnored: true, summary: 'initialise an unpublished fence' },
  { api: 'dma_resv_add_fence', op: 'fence_publish', args: [RESV_ARG, FENCE_ARG, { kind: 'ignored', name: 'usage', optional: true }], summary: 'publish the fence in obj (point of no return)' },
  { api: 'sync_file_create', op: 'fence_publish', args: [FENCE_ARG], summary: 'publish through a sync_file' },
  { api: 'drm_sched_job_arm', op: 'fence_publish', args: [FENCE_ARG], summary: 'arm the job: its finished fence becomes visible' },
  { api: 'dma_fence_begin_signalling', op: 'signalling_begin', args: [], creates: 'signalling_cookie', summary: 'enter a signalling critical section (dma_fence_map read)' },
  { api: 'dma_fence_end_signalling', op: 'signalling_end', args: [inst('cookie', 'signalling_cookie')], summary: 'leave the signalling critical section' },
  { api: 'dma_fence_signal', op: 'fence_signal', args: [FENCE_ARG, { kind: 'options', name: 'opts', optional: true, keys: ['opportunistic'] }], summary: 'signal the fence' },
  { api: 'dma_fence_signal_locked', op: 'fence_signal', args: [FENCE_ARG, { kind: 'options', name: 'opts', optional: true, keys: ['opportunistic'] }], summary: 'signal with fence->lock held' },
  { api: 'dma_fence_wait', op: 'fence_wait', args: [FENCE_ARG, { kind: 'ignored', name: 'intr', optional: true }], summary: 'wait without timeout (dma_fence_map write)' },
  { api: 'dma_fence_wait_timeout', op: 'fence_wait', args: [FENCE_ARG, { kind: 'timeout', name: 'timeout', optional: true }], timeoutArg: -1, variadicIgnored: true, summary: 'wait with timeout; MAX_SCHEDULE_TIMEOUT = infinite' },
  { api: 'dma_resv_wait_timeout', op: 'fence_wait', args: [RESV_ARG, { kind: 'ignored', name: 'usage', optional: true }, { kind: 'ignored', name: 'intr', optional: true }, { kind: 'timeout', name: 'timeout', optional: true }], timeoutArg: 3, summary: 'wait for every fence of obj' },
  { api: 'dma_fence_add_callback', op: 'fence_add_callback', args: [FENCE_ARG, { kind: 'fn', name: 'func' }], summary: 'run func from dma_fence_signal (irqs off, fence lock held)' },
  // --- mmu interval notifiers: mm/mmu_notifier.c --------------------------------------
  { api: 'mmu_interval_read_begin', op: 'interval_read_begin', args: [MNI_ARG], creates: 'seq', summary: 'sample the notifier sequence' },
  { api: 'mmu_interval_read_retry', op: 'interval_read_retry', args: [MNI_ARG, { kind: 'seq', name: 'seq', optional: true }], summary: 'true when an invalidation ran since read_begin' },
  { api: 'mmu_interval_set_seq', op: 'interval_set_seq', args: [MNI_ARG, { kind: 'ignored', name: 'cur_seq', optional: true }], summary: 'invalidate callback marks the range changed' },
  // --- dma-buf: drivers/dma-buf/dma-buf.c -----------------------------------------------
  { api: 'dma_buf_export', op: 'dma_buf_export', args: [BUF_ARG], summary: 'export the buffer' },
  { api: 'dma_buf_attach', op: 'dma_buf_attach', args: [BUF_ARG], creates: 'attachment', summary: 'static importer attachment' },
  { api: 'dma_buf_dynamic_attach', op: 'dma_buf_attach', args: [BUF_ARG, { kind: 'options', name: 'importer_ops', optional: true, keys: ['invalidate_mappings', 'move_notify', 'allow_peer2peer', 'pinned', 'revoke_fatal', 'faultable', 'gpu_context', 'reject_revocable'] }], creates: 'attachment', summary: 'dynamic importer attachment' },
  { api: 'dma_buf_detach', op: 'dma_buf_detach', args: [BUF_ARG, ATTACH_ARG], summary: 'detach' },
  { api: 'dma_buf_pin', op: 'dma_buf_pin', args: [ATTACH_ARG], summary: 'pin (resv held, dynamic importers)' },
  { api: 'dma_buf_unpin', op: 'dma_buf_unpin', args: [ATTACH_ARG], summary: 'unpin' },
  { api: 'dma_buf_map_attachment', op: 'dma_buf_map', args: [ATTACH_ARG], variadicIgnored: true, summary: 'map (resv held)' },
  { api: 'dma_buf_unmap_attachment', op: 'dma_buf_unmap', args: [ATTACH_ARG], variadicIgnored: true, summary: 'unmap (resv held)' },
  { api: 'dma_buf_map_attachment_unlocked', op: 'dma_buf_map', args: [ATTACH_ARG], unlocked: true, variadicIgnored: true, summary: 'map, taking the resv internally' },
  { api: 'dma_buf_unmap_attachment_unlocked', op: 'dma_buf_unmap', args: [ATTACH_ARG], unlocked: true, variadicIgnored: true, summary: 'unmap, taking the resv internally' },
  { api: 'dma_buf_move_notify', op: 'dma_buf_invalidate', args: [BUF_ARG], summary: 'exporter moves the backing store: invalidate every dynamic importer' },
  { api: 'dma_buf_invalidate_mappings', op: 'dma_buf_invalidate', args: [BUF_ARG], summary: 'new name of dma_buf_move_notify' },
  { api: 'dma_buf_revoke', op: 'dma_buf_revoke', args: [BUF_ARG], summary: 'exporter revokes access' },
  { api: 'dma_buf_unrevoke', op: 'dma_buf_unrevoke', args: [BUF_ARG], summary: 'exporter makes the buffer usable again' },
  { api: 'device_read', op: 'device_access', args: [DEVICE_ARG], write: false, summary: 'importer device reads through its mapping (or a GEM object\'s pages)' },
  { api: 'device_write', op: 'device_access', args: [DEVICE_ARG], write: true, summary: 'importer device writes through its mapping (or a GEM object\'s pages)' },
  { api: 'phyr_to_page', op: 'phyr_to_page', args: [ATTACH_ARG], summary: 'turn a phyr entry into a struct page' },
  { api: 'dma_buf_page_ref', op: 'page_ref_lock', args: [ATTACH_ARG], summary: 'importer takes page references on the mapping' },
  { api: 'dma_buf_put', op: 'dma_buf_put', args: [BUF_ARG], summary: 'possibly-final put: runs the release' },
  // --- memory providers: net/core/devmem.c, io_uring/zcrx.c --------------------------
  { api: 'net_devmem_bind_dmabuf', op: 'mp_bind', args: [RXQ_ARG, BUF_ARG], provider: 'devmem', variadicIgnored: true, summary: 'bind a dma-buf to an rx queue (fails if bound)' },
  { api: 'net_devmem_unbind_dmabuf', op: 'mp_unbind', args: [RXQ_ARG], provider: 'devmem', summary: 'unbind' },
  { api: 'io_zcrx_register', op: 'mp_bind', args: [RXQ_ARG, BUF_ARG], provider: 'zcrx', variadicIgnored: true, summary: 'register a zcrx area on an rx queue' },
  { api: 'io_zcrx_unregister', op: 'mp_unbind', args: [RXQ_ARG], provider: 'zcrx', summary: 'unregister' },
  { api: 'tcp_recvmsg_dmabuf', op: 'mp_recv', args: [RXQ_ARG, { kind: 'options', name: 'opts', optional: true, keys: ['checked'] }], provider: 'devmem', summary: 'devmem TCP receive of a frag' },
  { api: 'io_zcrx_recv_frag', op: 'mp_recv', args: [RXQ_ARG, { kind: 'options', name: 'opts', optional: true, keys: ['checked'] }], provider: 'zcrx', summary: 'zcrx receive of a frag' },
  // --- work and contexts: kernel/workqueue.c -------------------------------------------
  { api: 'queue_work', op: 'queue_work', args: [WORK_ARG], summary: 'queue the work item (a wq argument before it is allowed)' },
  { api: 'schedule_work', op: 'queue_work', args: [WORK_ARG], summary: 'queue on system_wq' },
  { api: 'flush_work', op: 'flush_work', args: [WORK_ARG], summary: 'wait for the work item to finish' },
  { api: 'cancel_work_sync', op: 'flush_work', args: [WORK_ARG], summary: 'cancel and wait: the same dependency as flush_work' },
  { api: 'local_irq_disable', op: 'local_irq_disable', args: [], summary: 'disable local irqs' },
  { api: 'local_irq_enable', op: 'local_irq_enable', args: [], summary: 'enable local irqs' },
  { api: 'might_sleep', op: 'might_sleep', args: [], summary: 'annotation: the caller may sleep here' },
  // --- userptr objects and GEM prime export: drivers/gpu/drm/drm_prime.c, mm/gup.c ------
  // drivers/gpu/drm/drm_prime.c drm_gem_prime_export(): wraps a GEM object in a dma-buf.
  { api: 'drm_gem_prime_export', op: 'gem_prime_export', args: [GEM_ARG], variadicIgnored: true, summary: 'export a GEM object as a dma-buf' },
  // mm/hmm.c hmm_range_fault() / amdgpu_ttm_tt_get_user_pages(): (re)populate a userptr object's pages.
  { api: 'userptr_get_pages', op: 'userptr_pages', args: [GEM_ARG], summary: 'fault in the pages of a userptr object (hmm_range_fault)' },
  // mm/gup.c unpin_user_pages(): drop FOLL_PIN references (pin_user_pages on a userptr object pins them).
  { api: 'unpin_user_pages', op: 'userptr_pages', args: [inst('obj', 'gem_object', 'phyr')], variadicIgnored: true, summary: 'drop the pin of a userptr object\'s pages (of a phyr: each got back with phyr_entry_to_page)' },
  // --- slab caches: mm/slub.c kmem_cache_alloc() -> slab_pre_alloc_hook() -> might_alloc(gfp) ---
  { api: 'kmem_cache_alloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'slab-cache allocation (the cache argument comes first)' },
  { api: 'kmem_cache_zalloc', op: 'alloc', args: [GFP_ARG], gfpLast: true, summary: 'zeroed slab-cache allocation' },
  // --- lockdep's contexts and wait types (kernel/locking/lockdep.c) ------------------
  ...LOCKDEP_APIS,
  ...LOCAL_LOCK_APIS,
  // --- possibly-final puts (ORDER-7): include/drm/drm_gem.h, ttm_bo.c, include/linux/kref.h, dma-fence.h
  { api: 'drm_gem_object_put', op: 'final_put', args: [inst('obj', 'gem_object')], summary: 'possibly-final put: runs funcs->free inline' },
  { api: 'ttm_bo_put', op: 'final_put', args: [inst('bo', 'gem_object')], summary: 'possibly-final put: runs the destroy inline' },
  { api: 'kref_put', op: 'final_put', args: [{ kind: 'ignored', name: 'kref' }, { kind: 'fn', name: 'release' }], summary: 'possibly-final put: runs release inline' },
  { api: 'dma_fence_put', op: 'final_put', args: [FENCE_ARG], summary: 'possibly-final put: runs dma_fence_ops.release inline' },
  // --- mm events in process context: mm/vma.c (do_vmi_munmap), mm/mprotect.c, mm/mmap.c exit_mmap
  { api: 'munmap', op: 'mm_event', args: [MM_ARG], variadicIgnored: true, mode: 'write', summary: 'unmap: mmap_lock write, notifier callbacks inline' },
  { api: 'mprotect', op: 'mm_event', args: [MM_ARG], variadicIgnored: true, mode: 'write', summary: 'change protection: mmap_lock write, notifier callbacks inline' },
  { api: 'exit_mmap', op: 'mm_event', args: [MM_ARG], mode: 'read', summary: 'process exit: mmap_lock read around unmap_vmas, notifier callbacks inline' },
  // --- completion hardware and the scheduler (#13): drivers/gpu/drm/scheduler/sched_main.c
  { api: 'hw_submit', op: 'hw_submit', args: [inst('hw', 'hardware')], summary: 'kick the hardware (doorbell / ring wptr write): its completion irq will fire unless it hangs' },
  { api: 'drm_sched_job_add_dependency', op: 'sched_add_dependency', args: [inst('job', 'dma_fence'), FENCE_ARG], summary: "run_job waits until the fence signals (the job is named by its finished fence)" },
  { api: 'drm_sched_entity_push_job', op: 'sched_push', args: [inst('job', 'dma_fence'), inst('sched', 'drm_sched')], summary: 'hand the armed job to the scheduler: run_job runs once its dependencies signalled' },
  // --- memory-provider ownership hand-over: zcrx vs devmem TCP thread (netdev, June 2024) ------------------
  // Pavel Begunkov's proposal: devmem TCP registers a dma-buf without using it; io_uring takes ownership.
  // No kernel function has these names: lockmc-only.
  { api: 'net_devmem_register_dmabuf', op: 'mp_own', args: [BUF_ARG], provider: 'devmem', variadicIgnored: true, summary: 'register a dma-buf with devmem TCP without binding a queue (fails if owned)' },
  { api: 'net_devmem_unregister_dmabuf', op: 'mp_own', args: [BUF_ARG], provider: 'devmem', summary: 'drop a devmem TCP registration' },
  { api: 'io_zcrx_take_dmabuf', op: 'mp_own', args: [RXQ_ARG, BUF_ARG], provider: 'zcrx', variadicIgnored: true, summary: 'io_uring takes over a devmem registration and binds it to a queue (fails unless registered and the queue free)' },
  // --- phyr objects: phyr vs scatterlist thread (linaro-mm-sig, Jan 2025); lockmc-only names ---------------
  { api: 'phyr_map', op: 'phyr_op', args: [PHYR_ARG], variadicIgnored: true, summary: 'importer DMA-maps the phyr\'s ranges' },
  { api: 'phyr_unmap', op: 'phyr_op', args: [PHYR_ARG], variadicIgnored: true, summary: 'importer unmaps the phyr\'s ranges' },
  { api: 'phyr_to_sgt', op: 'phyr_op', args: [PHYR_ARG], variadicIgnored: true, summary: 'helper for old importers: a dma-mapped scatterlist from a phyr (maps it unless dma-mapped)' },
  { api: 'phyr_entry_to_page', op: 'phyr_op', args: [PHYR_ARG], summary: 'the struct page of a phyr entry' },
  // --- lockdep priming by driver init code: include/linux/lockdep.h might_lock(), mm/page_alloc.c fs_reclaim_acquire()
  { api: 'might_lock', op: 'might_lock', args: [MIGHT_LOCK_ARG], mode: 'write', summary: 'annotation: lockdep records an acquisition of the lock (primes its order)' },
  { api: 'might_lock_read', op: 'might_lock', args: [MIGHT_LOCK_ARG], mode: 'read', summary: 'annotation: lockdep records a read acquisition of the lock' },
  { api: 'might_lock_nested', op: 'might_lock', args: [MIGHT_LOCK_ARG, { kind: 'number', name: 'subclass' }], mode: 'write', subclassArg: 'subclass', summary: 'might_lock with a lockdep subclass' },
  { api: 'fs_reclaim_acquire', op: 'fs_reclaim', args: [GFP_ARG], summary: 'annotation: lockdep holds fs_reclaim until fs_reclaim_release (primes lock -> reclaim orders)' },
  { api: 'fs_reclaim_release', op: 'fs_reclaim', args: [GFP_ARG], summary: 'annotation: end of an fs_reclaim_acquire section' },
  // --- global subsystem locks (model/frontend/api/subsystems.ts): kernel/printk/printk.c, kernel/cpu.c,
  // drivers/clk/clk.c, drivers/base/power/qos.c. The lock is the kernel's, created on first use.
  { api: 'console_lock', op: 'lock', args: [], mode: 'write', summary: 'take the console semaphore (lockdep map console_lock); sleeps' },
  { api: 'console_trylock', op: 'lock', args: [], mode: 'write', trylock: true, summary: 'try the console semaphore; returns 1 on success' },
  { api: 'console_unlock', op: 'unlock', args: [], summary: 'release the console semaphore' },
  { api: 'cpus_read_lock', op: 'lock', args: [], mode: 'read', summary: 'percpu_down_read(&cpu_hotplug_lock): hold off CPU hotplug' },
  { api: 'cpus_read_unlock', op: 'unlock', args: [], summary: 'percpu_up_read(&cpu_hotplug_lock)' },
  { api: 'cpus_write_lock', op: 'lock', args: [], mode: 'write', summary: 'percpu_down_write(&cpu_hotplug_lock)' },
  { api: 'cpus_write_unlock', op: 'unlock', args: [], summary: 'percpu_up_write(&cpu_hotplug_lock)' },
  { api: 'clk_prepare', op: 'unlock', args: [{ kind: 'ignored', name: 'clk' }], summary: 'prepare_lock (global mutex) around the provider\'s .prepare, which may allocate' },
  { api: 'clk_unprepare', op: 'unlock', args: [{ kind: 'ignored', name: 'clk' }], summary: 'prepare_lock around the provider\'s .unprepare' },
  { api: 'clk_prepare_enable', op: 'unlock', args: [{ kind: 'ignored', name: 'clk' }], summary: 'clk_prepare, then clk_enable under the enable_lock spinlock (irqs off)' },
  { api: 'clk_disable_unprepare', op: 'unlock', args: [{ kind: 'ignored', name: 'clk' }], summary: 'clk_disable under enable_lock, then clk_unprepare under prepare_lock' },
  { api: 'dev_pm_qos_add_request', op: 'unlock', args: [], variadicIgnored: true, summary: 'add a device PM QoS request: dev_pm_qos_mtx; the first request allocates (under the mutex before v6.7)' },
  { api: 'dev_pm_qos_update_request', op: 'unlock', args: [], variadicIgnored: true, summary: 'update a device PM QoS request under dev_pm_qos_mtx' },
  { api: 'dev_pm_qos_remove_request', op: 'unlock', args: [], variadicIgnored: true, summary: 'remove a device PM QoS request under dev_pm_qos_mtx' },
  // A fence stored where other threads find it outside any resv or sync_file (an xarray, a ring's
  // last-fence slot, a context's fence list): lockmc-only name; the tracker argument is ignored.
  { api: 'driver_fence_publish', op: 'fence_publish', args: [{ kind: 'ignored', name: 'tracker' }, FENCE_ARG], summary: 'publish the fence in a driver-private tracker (point of no return)' },
  // kernel/rcu/tree.c synchronize_rcu(), rcu_barrier(): sleep for a grace period.
  { api: 'synchronize_rcu', op: 'rcu_sync', args: [], summary: 'wait for an RCU grace period (sleeps; illegal under rcu_read_lock)' },
  { api: 'rcu_barrier', op: 'rcu_sync', args: [], summary: 'wait for every queued RCU callback (sleeps; illegal under rcu_read_lock)' },
  // --- runtime PM: include/linux/pm_runtime.h, drivers/base/power/runtime.c (model/frontend/api/pm.ts)
  { api: 'pm_runtime_get_sync', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'count a user and resume: may run runtime_resume inline (rpm_resume)' },
  { api: 'pm_runtime_resume_and_get', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'as pm_runtime_get_sync, dropping the count on failure' },
  { api: 'pm_runtime_resume', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'resume: may run runtime_resume inline' },
  { api: 'pm_runtime_put', op: 'queue_work', args: [PM_DEV_ARG], summary: 'drop a user; idle/suspend is queued on pm_wq: runtime_suspend runs in a work item' },
  { api: 'pm_runtime_put_autosuspend', op: 'queue_work', args: [PM_DEV_ARG], summary: 'drop a user; suspend later from pm_wq (autosuspend timer)' },
  { api: 'pm_runtime_put_sync', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'drop a user and idle now: may run runtime_idle, then runtime_suspend, inline' },
  { api: 'pm_runtime_put_sync_suspend', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'drop a user and suspend now: may run runtime_suspend inline' },
  { api: 'pm_runtime_idle', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'idle now: may run runtime_idle, then runtime_suspend, inline' },
  { api: 'pm_runtime_suspend', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'suspend now: may run runtime_suspend inline' },
  { api: 'pm_runtime_get_noresume', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'count a user; runs no callback' },
  { api: 'pm_runtime_put_noidle', op: 'pm_runtime', args: [PM_DEV_ARG], summary: 'drop a user; runs no callback' },
  // --- RCU callbacks: kernel/rcu/tree.c call_rcu(), rcu_do_batch() (softirq context, bh disabled)
  { api: 'call_rcu', op: 'call_rcu', args: [{ kind: 'ignored', name: 'head' }, { kind: 'fn', name: 'func' }], summary: 'queue func to run after a grace period, in softirq context; rcu_barrier waits for it' },
];

export const API_BY_NAME: ReadonlyMap<string, ApiEntry> = new Map(APIS.map((a) => [a.api, a]));

// ---------------------------------------------------------------------------
// GFP masks (include/linux/gfp_types.h). Only the reclaim-relevant bits.

export interface GfpBits {
  directReclaim: boolean;
  kswapdReclaim: boolean;
  io: boolean;
  fs: boolean;
  high?: boolean;
}

export interface GfpFlagEntry {
  name: string;
  /** Composite masks set these bits; `__GFP_*` modifiers may set or clear. */
  set?: Partial<GfpBits>;
  /** Modifier effects that are not reclaim bits. */
  noLockdep?: boolean;
  noFail?: boolean;
  retryMayFail?: boolean;
  composite: boolean;
  note: string;
}

const RECLAIM_IO_FS: GfpBits = { directReclaim: true, kswapdReclaim: true, io: true, fs: true };

export const GFP_FLAGS: readonly GfpFlagEntry[] = [
  // GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS
  { name: 'GFP_KERNEL', composite: true, set: RECLAIM_IO_FS, note: 'direct reclaim + io + fs: fs_reclaim and the notifier map' },
  // GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT
  { name: 'GFP_KERNEL_ACCOUNT', composite: true, set: RECLAIM_IO_FS, note: 'GFP_KERNEL charged to memcg' },
  // GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL
  { name: 'GFP_USER', composite: true, set: RECLAIM_IO_FS, note: 'as GFP_KERNEL for reclaim' },
  // GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM
  { name: 'GFP_HIGHUSER', composite: true, set: RECLAIM_IO_FS, note: 'as GFP_KERNEL for reclaim' },
  { name: 'GFP_HIGHUSER_MOVABLE', composite: true, set: RECLAIM_IO_FS, note: 'as GFP_KERNEL for reclaim' },
  // GFP_NOFS = __GFP_RECLAIM | __GFP_IO
  { name: 'GFP_NOFS', composite: true, set: { directReclaim: true, kswapdReclaim: true, io: true, fs: false }, note: 'no fs_reclaim, still the notifier map' },
  // GFP_NOIO = __GFP_RECLAIM
  { name: 'GFP_NOIO', composite: true, set: { directReclaim: true, kswapdReclaim: true, io: false, fs: false }, note: 'no fs_reclaim, still the notifier map' },
  // GFP_NOWAIT = __GFP_KSWAPD_RECLAIM (newer kernels add __GFP_NOWARN)
  { name: 'GFP_NOWAIT', composite: true, set: { directReclaim: false, kswapdReclaim: true, io: false, fs: false }, note: 'wakes kswapd only; may fail' },
  // GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM
  { name: 'GFP_ATOMIC', composite: true, set: { directReclaim: false, kswapdReclaim: true, io: false, fs: false, high: true }, note: 'reserves + kswapd; may fail' },
  // Not a mainline flag (rules-reference RECLAIM-3): an alias for "no __GFP_DIRECT_RECLAIM".
  { name: 'GFP_NORECLAIM', composite: true, set: { directReclaim: false, kswapdReclaim: true, io: false, fs: false }, note: 'alias of GFP_NOWAIT (no direct reclaim); not a mainline flag' },
  // Modifiers.
  { name: '__GFP_DIRECT_RECLAIM', composite: false, set: { directReclaim: true }, note: 'may enter direct reclaim' },
  { name: '__GFP_KSWAPD_RECLAIM', composite: false, set: { kswapdReclaim: true }, note: 'may wake kswapd' },
  { name: '__GFP_RECLAIM', composite: false, set: { directReclaim: true, kswapdReclaim: true }, note: 'direct + kswapd reclaim' },
  { name: '__GFP_IO', composite: false, set: { io: true }, note: 'may start physical IO' },
  { name: '__GFP_FS', composite: false, set: { fs: true }, note: 'may call into the filesystem (fs_reclaim)' },
  { name: '__GFP_HIGH', composite: false, set: { high: true }, note: 'may use reserves' },
  { name: '__GFP_NOWARN', composite: false, note: 'no allocation-failure warning' },
  // __GFP_NORETRY / __GFP_RETRY_MAYFAIL keep direct reclaim but may return NULL.
  { name: '__GFP_NORETRY', composite: false, retryMayFail: true, note: 'reclaim once, then fail' },
  { name: '__GFP_RETRY_MAYFAIL', composite: false, retryMayFail: true, note: 'retry reclaim, may still fail' },
  { name: '__GFP_NOFAIL', composite: false, noFail: true, note: 'never fails: loops in reclaim' },
  // mm/page_alloc.c __need_reclaim(): __GFP_NOLOCKDEP skips the fs_reclaim annotation.
  { name: '__GFP_NOLOCKDEP', composite: false, noLockdep: true, note: 'no fs_reclaim lockdep annotation' },
  { name: '__GFP_ZERO', composite: false, note: 'zeroed memory' },
  { name: '__GFP_HIGHMEM', composite: false, note: 'highmem allowed' },
  { name: '__GFP_ACCOUNT', composite: false, note: 'memcg accounting' },
  { name: '__GFP_COMP', composite: false, note: 'compound page' },
];

export const GFP_BY_NAME: ReadonlyMap<string, GfpFlagEntry> = new Map(GFP_FLAGS.map((g) => [g.name, g]));

/**
 * Combine flags joined by `|` into a mask. `mayFail` follows ir.ts: no direct
 * reclaim, or NORETRY/RETRY_MAYFAIL, and never with NOFAIL.
 */
export function gfpMaskOf(names: readonly string[], text: string): GfpMask {
  const bits: GfpBits = { directReclaim: false, kswapdReclaim: false, io: false, fs: false };
  let noLockdep = false;
  let noFail = false;
  let retryMayFail = false;
  for (const n of names) {
    const e = GFP_BY_NAME.get(n);
    if (!e) throw new Error(`unknown GFP flag ${n}`);
    if (e.set) {
      for (const [k, v] of Object.entries(e.set) as [keyof GfpBits, boolean][]) {
        // `|` can only add bits: a composite's cleared bit stays as another flag set it.
        if (v) bits[k] = true;
      }
    }
    if (e.noLockdep) noLockdep = true;
    if (e.noFail) noFail = true;
    if (e.retryMayFail) retryMayFail = true;
  }
  const mayFail = !noFail && (!bits.directReclaim || retryMayFail);
  return {
    text,
    directReclaim: bits.directReclaim,
    kswapdReclaim: bits.kswapdReclaim,
    io: bits.io,
    fs: bits.fs,
    noLockdep,
    noFail,
    mayFail,
  };
}

// ---------------------------------------------------------------------------
// Named constants models may use.

/** Identifiers that are values, not instances. */
export const VALUE_CONSTANTS: Readonly<Record<string, number>> = {
  EDEADLK,
  EALREADY,
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  ETIME: 62,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
  ERESTARTSYS: 512,
  MAX_SCHEDULE_TIMEOUT: 0x7fffffff,
  HZ: 250,
  DMA_RESV_USAGE_KERNEL: 0,
  DMA_RESV_USAGE_WRITE: 1,
  DMA_RESV_USAGE_READ: 2,
  DMA_RESV_USAGE_BOOKKEEP: 3,
  SINGLE_DEPTH_NESTING: 1,
  // Workqueues may be named as queue_work()'s first argument; their identity
  // does not matter to any rule.
  system_wq: 0,
  system_unbound_wq: 0,
  system_highpri_wq: 0,
  // include/linux/interrupt.h request_irq() flags. IRQF_NO_THREAD keeps a
  // handler in hard-irq context on PREEMPT_RT (no forced threading).
  IRQF_SHARED: 0x00000080,
  IRQF_ONESHOT: 0x00002000,
  IRQF_NO_THREAD: 0x00010000,
};

// ---------------------------------------------------------------------------
// Outcomes (see `Outcome` in ir.ts) and the C value each one returns.

/** Every outcome an op can have; `instances` resolves ctx and exporter caps. */
export function opOutcomes(op: Op, instances: readonly Instance[]): Outcome[] {
  switch (op.kind) {
    case 'lock':
      if (op.trylock) return ['ok', 'fail'];
      if (op.ctx !== undefined && !op.slow) return ['ok', 'EDEADLK', 'EALREADY'];
      return ['ok'];
    case 'alloc':
      return op.gfp.mayFail ? ['ok', 'fail'] : ['ok'];
    case 'interval_read_retry':
      return ['ok', 'retry'];
    case 'dma_buf_map':
    case 'dma_buf_attach': {
      const att = instances[op.attachment];
      const buf = att?.buf !== undefined ? instances[att.buf] : undefined;
      return buf?.exporter?.revocable ? ['ok', 'fail'] : ['ok'];
    }
    case 'mp_bind':
      return ['ok', 'fail'];
    case 'mp_own':
      return op.action === 'unregister' ? ['ok'] : ['ok', 'fail'];
    default:
      return ['ok'];
  }
}

/**
 * The value the C call returns for an outcome, so conditions such as
 * `r === -EDEADLK`, `!p`, `ret < 0` can be decided per outcome.
 */
export function outcomeValue(op: Op, o: Outcome): number {
  if (op.kind === 'lock' && !op.trylock) {
    // ww_mutex_lock / dma_resv_lock return 0 or a negative errno.
    if (o === 'EDEADLK') return -EDEADLK;
    if (o === 'EALREADY') return -EALREADY;
    return 0;
  }
  if (op.kind === 'interval_read_retry') return o === 'retry' ? 1 : 0;
  // trylocks return 1/0; allocations a pointer or NULL; binds and maps a
  // handle or an error the model tests with `!x`.
  return o === 'ok' ? 1 : 0;
}
