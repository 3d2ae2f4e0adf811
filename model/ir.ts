/**
 * The driver-model IR: what the front end extracts from a `*.model.ts` file
 * and what every later pass reads.
 *
 * Plain serialisable data (JSON round-trips it), a `kind` discriminant on
 * every union, numeric ids. Source locations live in a side map
 * (`SourceMap`) so passes that do not print anything never carry them.
 *
 * Control flow is a graph per procedure, not a tree: loops are already
 * unrolled, helper calls already inlined, and every operation that can
 * fail or branch (trylock, -EDEADLK, a failed allocation) lists a successor
 * per outcome. Engines walk nodes; they never see TypeScript syntax.
 */

import type { DiagnosticCode } from './diagnostics.js';

export const IR_SCHEMA_VERSION = 1 as const;

/** Index into `DriverModel.instances`. */
export type InstanceId = number;
/** Index into `DriverModel.procs`. */
export type ProcId = number;
/** Index into `Proc.nodes` of the proc it belongs to. */
export type NodeId = number;

// ---------------------------------------------------------------------------
// Instances: every object a model names. Deadlock is about instances, lock
// order about classes (lockdep), so each lockable instance carries the
// lockdep class name exactly as lockdep prints it.

export type LockKind =
  | 'mutex'
  | 'spinlock' // spinlock_t: atomic context while held
  | 'rwsem' // down_read = non-recursive read, down_write = exclusive
  | 'rwlock' // rwlock_t: read_lock = recursive read
  | 'ww_mutex'; // a ww_mutex of some ww class (dma_resv's lock is one)

export type InstanceKind =
  | LockKind
  | 'mm' // mm_struct; its lock is `&mm->mmap_lock` (rwsem)
  | 'address_space' // its lock is `&mapping->i_mmap_rwsem` (rwsem)
  | 'dma_resv' // its lock is a ww_mutex of reservation_ww_class
  | 'dma_fence'
  | 'dma_buf' // has its own dma_resv: `lockInstance` names it
  | 'attachment' // a dma_buf_attachment; created by an attach op
  | 'ww_ctx' // struct ww_acquire_ctx; created by ww_acquire_init
  | 'signalling_cookie' // the bool returned by dma_fence_begin_signalling
  | 'memalloc_cookie' // the flags returned by memalloc_*_save
  | 'rx_queue' // a netdev RX queue that a memory provider binds to
  | 'work' // a work_struct; its handler is a proc
  | 'interval_notifier' // struct mmu_interval_notifier
  | 'gem_object' // drm_gem_object / ttm_buffer_object / userptr_object: `resv` its reservation, `proc` its destructor; `userptr` ones are backed by pages of `mm`
  | 'hardware' // a device engine that raises its completion irq (`proc`) after hw_submit; `mayHang`: it may never raise it
  | 'drm_sched' // a drm_gpu_scheduler: `proc` its run_job, `timedout` its timedout_job, `job` the finished fence of the job pushed to it
  | 'phyr' // a physical-range list: `phyrFrom` names its memory, `dmaMapped` when it already holds DMA addresses
  | 'pm_device'; // a device with runtime PM callbacks (dev_pm_ops): `proc` its runtime_resume, `rpm` the rest

/** What an exporter can do to its importers (REVOKE-1). */
export interface ExporterCaps {
  /** Backing storage may migrate: dynamic importers get invalidations. */
  movable: boolean;
  /** The exporter revokes as part of normal operation (VFIO MMIO, RDMA). */
  revocable: boolean;
  /** Revocation can be undone (VFIO: memory decode re-enabled). */
  unrevocable: boolean;
  /** Exporter implements `pin` (static importers get pinned at map). */
  pinnable: boolean;
  /** Exporter can only hand out P2P/MMIO addresses (no struct pages). */
  p2pOnly: boolean;
}

/** How an attachment was created (REVOKE-1 taxonomy). */
export interface ImporterInfo {
  /** `dma_buf_attach` (static) or `dma_buf_dynamic_attach`. */
  dynamic: boolean;
  /** Proc run as `importer_ops->invalidate_mappings` (née move_notify), if any. */
  invalidate?: ProcId;
  /** `importer_ops->allow_peer2peer`. */
  peer2peer: boolean;
  /** What the importer declares it tolerates (the pinned / revocable / dynamic cascade); absent = nothing declared. */
  caps?: ImporterCaps;
}

/**
 * An importer's capability declaration (revocable dma-buf thread, Jan
 * 2025): 1) pinned, never changes while attached; 2) pinned but
 * revocable, revoke is fatal; 3) dynamic, move plus restartable fault.
 * iommufd is revoke-only and not faultable. Only `true` fields are stored.
 */
export interface ImporterCaps {
  /** Class 1: the mapping must never move nor be revoked while attached. */
  pinned?: true;
  /** Class 2: a revoke is tolerated but fatal to the importer's use (an error, a lost context). */
  revokeFatal?: true;
  /** Declared not faultable: a move cannot be recovered by a restartable fault (iommufd, most RDMA). */
  unfaultable?: true;
  /** The mapping backs a GPU context whose loss a (privileged) user does not expect: a compositor. */
  gpuContext?: true;
  /** The importer refuses revocable exporters: its attach fails (the refusal outcome). */
  rejectRevocable?: true;
}

export interface Instance {
  id: InstanceId;
  /** The model's variable name (or `buf.resv` for a dma_buf's reservation). */
  name: string;
  kind: InstanceKind;
  /**
   * Lockdep class as lockdep prints it, for every lockable instance
   * (`&mm->mmap_lock`, `reservation_ww_class_mutex`, `notifier_lock`, ...).
   * Two instances may share a class. Absent for non-lockable instances.
   */
  lockClass?: string;
  /** ww class for ww_mutex / dma_resv / ww_ctx (`reservation_ww_class`). */
  wwClass?: string;
  /** dma_buf: the dma_resv instance `buf.resv`. */
  resv?: InstanceId;
  /** dma_buf: what the exporter can do. */
  exporter?: ExporterCaps;
  /** attachment: which dma_buf it attaches to and how. */
  buf?: InstanceId;
  importer?: ImporterInfo;
  /** work: handler proc. interval_notifier: invalidate callback proc. */
  proc?: ProcId;
  /** spinlock: a raw_spinlock_t (wait type LD_WAIT_SPIN; spins on PREEMPT_RT too). */
  raw?: boolean;
  /**
   * spinlock: a local_lock_t (per-CPU; wait type LD_WAIT_CONFIG like spinlock_t). A class in the
   * lock graph; the engines never block on it (each CPU has its own, and on !RT it only disables
   * preemption or irqs).
   */
  percpu?: boolean;
  /** interval_notifier: the mm it watches. gem_object with `userptr`: the mm its pages belong to. */
  mm?: InstanceId;
  /** gem_object: backed by user pages (amdgpu/i915 userptr), tracked by an mmu notifier on `mm`. */
  userptr?: boolean;
  /** hardware: the engine may hang, so its completion irq may never fire. */
  mayHang?: true;
  /** drm_sched: the `timedout_job` proc (TDR), run when the job's fence does not signal in time. */
  timedout?: ProcId;
  /** drm_sched: the finished fence of the one job the model pushes to it (drm_sched_entity_push_job). */
  job?: InstanceId;
  /** phyr: what its ranges are (system pages with struct pages, or a P2P/MMIO range without). */
  phyrFrom?: 'pages' | 'p2p';
  /** phyr: it already holds DMA addresses (a scatterlist exporter's list stored in a phyr): importers skip the mapping. */
  dmaMapped?: boolean;
  /**
   * phyr from pages: the userptr object whose pinned pages it lists (`phyr_from_pages(umem)`: RDMA
   * tracking its pin_user_pages memory in a phyr). Unpinning them then needs the struct pages back.
   */
  pagesOf?: InstanceId;
  /** phyr with `pagesOf`: the driver keeps its own page array too (a second list), so it can unpin without the phyr. */
  keepPages?: true;
  /**
   * pm_device: its runtime PM callbacks (`proc` is runtime_resume), the
   * spinlock `dev->power.lock` and the work item `dev->power.work` that
   * pm_wq runs for an asynchronous idle/suspend (drivers/base/power/runtime.c).
   */
  rpm?: { suspend?: ProcId; idle?: ProcId; lock: InstanceId; work: InstanceId };
  /**
   * True for instances created by an operation inside a thread (ww_ctx,
   * cookies, attachments bound to a local `const`): they exist only once
   * that operation ran.
   */
  local?: boolean;
}

// ---------------------------------------------------------------------------
// GFP masks, as data. `bits` keeps only what decides reclaim behaviour
// (RECLAIM-3): include/linux/gfp_types.h.

export interface GfpMask {
  /** As written in the model: `GFP_KERNEL`, `GFP_NOFS | __GFP_NOWARN`, ... */
  text: string;
  directReclaim: boolean; // __GFP_DIRECT_RECLAIM
  kswapdReclaim: boolean; // __GFP_KSWAPD_RECLAIM
  io: boolean; // __GFP_IO
  fs: boolean; // __GFP_FS
  noLockdep: boolean; // __GFP_NOLOCKDEP
  /** __GFP_NOFAIL: the allocation cannot fail (it loops instead). */
  noFail: boolean;
  /**
   * The allocation may return NULL: no direct reclaim, or __GFP_NORETRY /
   * __GFP_RETRY_MAYFAIL; never with __GFP_NOFAIL. (Small GFP_KERNEL
   * allocations do not fail in practice, and lockmc follows that.)
   */
  mayFail: boolean;
}

export type MemallocScope = 'nofs' | 'noio' | 'noreclaim';

// ---------------------------------------------------------------------------
// Operations. One `kind` per thing the kernel does that matters to a rule;
// `api` keeps the kernel function the model called, for messages.

export type LockMode = 'write' | 'read' | 'recursive_read';

export type Op =
  /** Any blocking or try acquisition of a lock instance. */
  | {
      kind: 'lock';
      api: string;
      lock: InstanceId;
      mode: LockMode;
      trylock: boolean;
      /** ww acquire context (`dma_resv_lock(obj, ctx)`); absent = NULL ctx. */
      ctx?: InstanceId;
      /** `dma_resv_lock_slow` / `ww_mutex_lock_slow`: the backoff re-lock. */
      slow?: boolean;
      /** lockdep subclass (`mutex_lock_nested(l, 1)` prints `/1`). */
      subclass?: number;
      /** `mutex_lock_nest_lock(l, nest)`: explicit nest_lock instance. */
      nestLock?: InstanceId;
      /** `spin_lock_irqsave` / `spin_lock_irq`: also disables irqs. */
      irqsave?: boolean;
      /** `spin_lock_bh` / `read_lock_bh`: also disables softirqs. */
      bh?: boolean;
    }
  | { kind: 'unlock'; api: string; lock: InstanceId; irqrestore?: boolean; bh?: boolean }
  | { kind: 'ww_acquire_init'; api: string; ctx: InstanceId; wwClass: string }
  | { kind: 'ww_acquire_done'; api: string; ctx: InstanceId }
  | { kind: 'ww_acquire_fini'; api: string; ctx: InstanceId }
  /** kmalloc/kzalloc/kvmalloc/alloc_page/... and helpers that allocate. */
  | { kind: 'alloc'; api: string; gfp: GfpMask }
  | { kind: 'memalloc_save'; api: string; scope: MemallocScope; cookie: InstanceId }
  | { kind: 'memalloc_restore'; api: string; scope: MemallocScope; cookie: InstanceId }
  /** copy_{to,from}_user, get/put_user, GUP, hmm_range_fault: may fault. */
  /** `obj`: pin_user_pages(obj) on a userptr object: GUP on its mm that also pins its pages (FOLL_PIN). */
  | { kind: 'user_access'; api: string; mm: InstanceId; pin?: boolean; obj?: InstanceId }
  | { kind: 'pagefault_disable'; api: string }
  | { kind: 'pagefault_enable'; api: string }
  | { kind: 'local_irq_disable'; api: string }
  | { kind: 'local_irq_enable'; api: string }
  | { kind: 'signalling_begin'; api: string; cookie: InstanceId }
  | { kind: 'signalling_end'; api: string; cookie: InstanceId }
  /** dma_fence_init: the fence exists but nobody else can see it. */
  | { kind: 'fence_init'; api: string; fence: InstanceId }
  /** The point of no return (FENCE-2): dma_resv_add_fence, sync_file, job arm. */
  | { kind: 'fence_publish'; api: string; fence: InstanceId; resv?: InstanceId }
  /** `guaranteed: false` marks opportunistic signalling (FENCE-8). */
  | { kind: 'fence_signal'; api: string; fence: InstanceId; guaranteed: boolean }
  /** dma_fence_wait / dma_resv_wait_timeout: blocks until signalled. */
  | {
      kind: 'fence_wait';
      api: string;
      /** One fence, or every fence published into `resv`. */
      fence?: InstanceId;
      resv?: InstanceId;
      /** A finite timeout lets the wait return without the signal (FENCE-1). */
      timeout: 'infinite' | 'bounded';
    }
  | { kind: 'fence_add_callback'; api: string; fence: InstanceId; callback: ProcId }
  | { kind: 'unmap_mapping_range'; api: string; mapping: InstanceId }
  | { kind: 'interval_read_begin'; api: string; notifier: InstanceId }
  /** Outcomes: `ok` (sequence unchanged) or `retry`. */
  | { kind: 'interval_read_retry'; api: string; notifier: InstanceId }
  | { kind: 'interval_set_seq'; api: string; notifier: InstanceId }
  // dma-buf lifecycle --------------------------------------------------------
  | { kind: 'dma_buf_export'; api: string; buf: InstanceId }
  | { kind: 'dma_buf_attach'; api: string; attachment: InstanceId }
  | { kind: 'dma_buf_detach'; api: string; attachment: InstanceId }
  | { kind: 'dma_buf_pin'; api: string; attachment: InstanceId }
  | { kind: 'dma_buf_unpin'; api: string; attachment: InstanceId }
  | { kind: 'dma_buf_map'; api: string; attachment: InstanceId; unlocked: boolean }
  | { kind: 'dma_buf_unmap'; api: string; attachment: InstanceId; unlocked: boolean }
  /** dma_buf_move_notify / dma_buf_invalidate_mappings: runs every callback. */
  | { kind: 'dma_buf_invalidate'; api: string; buf: InstanceId }
  | { kind: 'dma_buf_revoke'; api: string; buf: InstanceId }
  | { kind: 'dma_buf_unrevoke'; api: string; buf: InstanceId }
  /** The importer's device reads or writes through its mapping. */
  | { kind: 'device_access'; api: string; attachment: InstanceId; write: boolean }
  /** A phyr entry turned into a struct page (`phyr_to_page`). */
  | { kind: 'phyr_to_page'; api: string; attachment: InstanceId }
  /** Importer switches to page refcounts (get_page on the mapping's pages). */
  | { kind: 'page_ref_lock'; api: string; attachment: InstanceId }
  /** Possibly-final put: runs the destructor (ORDER-7). */
  | { kind: 'dma_buf_put'; api: string; buf: InstanceId }
  // memory providers (OWN) ---------------------------------------------------
  /** `ignored`: the model calls the bind as a statement, so a refused bind falls through as if it had succeeded. */
  | { kind: 'mp_bind'; api: string; rxq: InstanceId; buf: InstanceId; provider: 'devmem' | 'zcrx'; ignored?: true }
  | { kind: 'mp_unbind'; api: string; rxq: InstanceId; provider: 'devmem' | 'zcrx' }
  /** A consumer interprets a received frag (OWN-4): `checked` = provenance verified. */
  | { kind: 'mp_recv'; api: string; rxq: InstanceId; provider: 'devmem' | 'zcrx'; checked: boolean }
  // deferred work ------------------------------------------------------------
  | { kind: 'queue_work'; api: string; work: InstanceId }
  | { kind: 'flush_work'; api: string; work: InstanceId }
  | { kind: 'might_sleep'; api: string }
  /**
   * The pages of a userptr GEM object: `get` (hmm_range_fault / GUP, faults
   * released pages back in), `pin` (pin_user_pages: the mm neither reclaims
   * nor migrates them), `unpin` (unpin_user_pages).
   */
  | { kind: 'userptr_pages'; api: string; obj: InstanceId; action: 'get' | 'pin' | 'unpin' }
  /** The device DMAs to or from a GEM object's pages (`device_read/device_write(obj)`). */
  | { kind: 'gem_access'; api: string; obj: InstanceId; write: boolean }
  /** `drm_gem_prime_export`: the GEM object becomes a dma-buf other drivers may import. */
  | { kind: 'gem_prime_export'; api: string; obj: InstanceId }
  // softirq and RCU contexts (lockdep's SOFTIRQ usage, wait contexts) ----------
  | { kind: 'local_bh_disable'; api: string }
  | { kind: 'local_bh_enable'; api: string }
  /** rcu_read_lock(): lockdep's rcu_lock_map, a recursive read of wait type LD_WAIT_CONFIG. */
  | { kind: 'rcu_read_lock'; api: string }
  | { kind: 'rcu_read_unlock'; api: string }
  /** mutex_init / spin_lock_init / init_rwsem / rwlock_init of an existing lock. */
  | { kind: 'lock_init'; api: string; lock: InstanceId }
  /**
   * A put that may drop the last reference (drm_gem_object_put, ttm_bo_put,
   * kref_put, dma_fence_put): when it is final, `release` runs inline in
   * the putting context. `obj` is the object put (absent for kref_put).
   */
  | { kind: 'final_put'; api: string; obj?: InstanceId; release?: ProcId; fence?: boolean }
  /**
   * munmap / mprotect / exit_mmap of `mm` from the calling task: takes
   * mmap_lock (`mode`) and runs every interval notifier of `mm` inline.
   */
  | { kind: 'mm_event'; api: string; mm: InstanceId; mode: 'write' | 'read' }
  /** Kicks the hardware (doorbell / ring wptr write): its completion irq will fire, unless it hangs. */
  | { kind: 'hw_submit'; api: string; hw: InstanceId }
  /** drm_sched_job_add_dependency: the job's run_job waits until `fence` signals. `job` is the job's finished fence. */
  | { kind: 'sched_add_dependency'; api: string; job: InstanceId; fence: InstanceId }
  /** drm_sched_entity_push_job: the job goes to `sched`, whose run_job runs once its dependencies signalled. */
  | { kind: 'sched_push'; api: string; job: InstanceId; sched: InstanceId }
  /**
   * Memory-provider ownership of a dma-buf without a queue (zcrx vs devmem
   * TCP thread, June 2024): `register` (devmem TCP registers the buffer
   * without using it), `unregister`, `transfer` (io_uring takes the
   * registration over and binds it to `rxq`: the lifetime moves with it).
   */
  | { kind: 'mp_own'; api: string; buf: InstanceId; provider: 'devmem' | 'zcrx'; action: 'register' | 'unregister' | 'transfer'; rxq?: InstanceId }
  /**
   * phyr objects (phyr vs scatterlist thread, Jan 2025): `create` from
   * pages or from a P2P range (`from` in the instance), `map` / `unmap` for
   * an importer (the DMA mapping of its ranges), `to_sgt` (the helper that
   * turns a phyr into a dma-mapped scatterlist for an old importer),
   * `unpin_pages` (`unpin_user_pages(phyr)`: each entry's struct page got
   * back with phyr_entry_to_page and unpinned; the phyr's `pagesOf` object).
   */
  | { kind: 'phyr_op'; api: string; phyr: InstanceId; action: 'map' | 'unmap' | 'to_sgt' | 'to_page' | 'access' | 'unpin_pages' }
  /**
   * might_lock / might_lock_read / might_lock_nested (include/linux/lockdep.h):
   * lockdep records an acquisition of `lock`'s class and drops it at once.
   * Only lockdep sees it; nothing blocks. Driver init code primes orders
   * this way.
   */
  | { kind: 'might_lock'; api: string; lock: InstanceId; mode: LockMode; subclass?: number }
  /**
   * fs_reclaim_acquire(gfp) / fs_reclaim_release(gfp) (mm/page_alloc.c):
   * lockdep holds fs_reclaim in between (for a mask that may enter fs
   * reclaim), so what is taken inside is ordered after fs_reclaim, as if
   * taken from reclaim. An annotation: no reclaim runs.
   */
  | { kind: 'fs_reclaim'; api: string; action: 'acquire' | 'release'; gfp: GfpMask }
  /**
   * synchronize_rcu / rcu_barrier (kernel/rcu/tree.c): sleeps until a grace
   * period (and, for rcu_barrier, every queued callback) has ended. Illegal
   * in an RCU read-side section, which the grace period waits for.
   */
  | { kind: 'rcu_sync'; api: string }
  /**
   * A synchronous runtime PM transition of `dev` (drivers/base/power/runtime.c
   * rpm_resume / rpm_idle / rpm_suspend via rpm_callback): either nothing
   * runs (the device already is in that state, or the usage count says
   * no) or `callbacks` run inline, one after the other, in the caller's
   * context without dev->power.lock. Empty for the _noresume/_noidle
   * variants, which only count.
   */
  | { kind: 'pm_runtime'; api: string; dev: InstanceId; callbacks: ProcId[] }
  /**
   * call_rcu(head, fn) (kernel/rcu/tree.c): queues `callback`, which runs
   * after a grace period from RCU_SOFTIRQ (or an rcuc/rcuo kthread, with
   * bh disabled all the same: rcu_do_batch): a softirq-context thread of
   * its own that may start once this op ran. rcu_barrier() waits for it.
   */
  | { kind: 'call_rcu'; api: string; callback: ProcId };

export type OpKind = Op['kind'];

/**
 * How an operation can turn out. Each op node maps every outcome its op
 * can have to a successor; the front end fills outcomes the model did not
 * branch on with the fall-through successor.
 *
 * - lock with trylock: `ok` | `fail`
 * - lock with a ww ctx (not slow): `ok` | `EDEADLK` | `EALREADY`
 * - alloc that may fail: `ok` | `fail`
 * - interval_read_retry: `ok` (no retry needed) | `retry`
 * - dma_buf_map / dma_buf_attach on a revocable exporter: `ok` | `fail`
 * - mp_bind: `ok` | `fail` (queue already bound)
 */
export type Outcome = 'ok' | 'fail' | 'EDEADLK' | 'EALREADY' | 'retry';

/**
 * The kernels a step exists on (`since` inclusive, `before` exclusive), for
 * API calls whose locking changed between kernels (a PM QoS allocation moved
 * out of `dev_pm_qos_mtx` in v6.7). The load pass keeps the step on those
 * kernels and turns it into a one-way `choice` on the others.
 */
export interface KernelRange {
  since?: string;
  before?: string;
}

export type Node =
  | { kind: 'op'; id: NodeId; op: Op; next: Partial<Record<Outcome, NodeId>>; kernel?: KernelRange }
  /** `if (nondet())`, `switch` on nondet: any successor may be taken. */
  | { kind: 'choice'; id: NodeId; next: NodeId[] }
  /** End of the proc: a thread finishes, a callback returns. */
  | { kind: 'end'; id: NodeId };

// ---------------------------------------------------------------------------
// Procedures and the contexts that run them.

export type ProcRole =
  | 'thread' // an entry point: runs as its own task
  | 'shrinker' // register_shrinker: run from direct reclaim and kswapd
  | 'mmu_notifier' // mmu_interval_notifier_insert: run from reclaim/munmap
  | 'irq' // request_irq: hard-irq handler, may preempt any thread
  | 'work' // a work item's handler, runs in a kworker once queued
  | 'fence_callback' // dma_fence_add_callback: runs inside dma_fence_signal
  | 'invalidate_mappings' // importer_ops->invalidate_mappings
  | 'fence_release' // dma_fence_ops.release, run by a final put
  | 'softirq' // open_softirq / tasklet_setup / timer_setup: a softirq handler
  | 'release' // a GEM/TTM/kref destructor, run by a final put
  | 'vm_fault' // vm_operations_struct.fault: run by a user access of its mm, under mmap_lock read
  | 'rpm_callback'; // dev_pm_ops.runtime_resume/_suspend/_idle run inline by a synchronous pm_runtime_* call

export interface Proc {
  id: ProcId;
  /** The model's function name. */
  name: string;
  role: ProcRole;
  /** Node 0 is the entry. */
  nodes: Node[];
}

export interface Thread {
  /** Dense, 0-based: thread ids double as lock-owner ids in engines. */
  id: number;
  name: string;
  proc: ProcId;
  /** `ioctl`/`worker` etc. for messages; `kswapd` is added by the checker. */
  kind: 'thread' | 'work' | 'irq' | 'kswapd';
}

/** A callback registered at top level (`register_shrinker(fn)` etc.). */
export interface Registration {
  role: 'shrinker' | 'mmu_notifier' | 'irq' | 'softirq' | 'vm_fault';
  proc: ProcId;
  /** mmu_notifier: the interval notifier instance (and through it the mm). */
  notifier?: InstanceId;
  /** A notifier callback that may not block (NOTIFIER-3). */
  nonBlocking?: boolean;
  /** vm_fault: the mm whose user accesses fault into the handler. */
  mm?: InstanceId;
  /** irq: the completion irq of this `hardware` instance (fires after hw_submit). */
  hardware?: InstanceId;
  /** irq: registered with IRQF_NO_THREAD (stays a hard-irq handler on PREEMPT_RT). */
  noThread?: boolean;
  /** irq: force-threaded (set by the checker for PREEMPT_RT, checker/preempt-rt.ts): runs as a task. */
  threaded?: boolean;
  /**
   * irq: the thread_fn of request_threaded_irq, run by the irq thread (kernel/irq/manage.c
   * irq_thread) after `threadOf`, the proc of its hard handler, returned. Always `threaded`.
   */
  threadOf?: ProcId;
  /** softirq: an RCU callback (call_rcu): it runs only after a call_rcu queued it, once per queueing. */
  rcu?: true;
}

/**
 * What a fixture says the checker must answer.
 *
 * `line`: 1-based line of the `@expect` tag in the model file, so a report
 * can name the declaration (SARIF suppressions cite it). Absent in
 * expectations made by hand.
 *
 * `violates`: `check` (a rule's `checks[].id`) and `findingLine` (the
 * line the finding is anchored at, as SARIF places it) narrow the
 * expectation to one finding, so a fixture cannot pass because another
 * check of the rule fired elsewhere; absent, any check at any line meets it.
 */
export type Expectation =
  | { kind: 'holds'; rules: string[] | 'all'; line?: number }
  | { kind: 'violates'; rule: string; check?: string; findingLine?: number; line?: number }
  | { kind: 'error'; code: DiagnosticCode; line?: number };

export interface ModelHeader {
  /** The doc comment's first paragraph. */
  description: string;
  expect: Expectation[];
  /** `@kernel v6.12`: the kernel whose semantics the model assumes. */
  kernel?: string;
  /** `@bound 40`: the model's own BMC bound. */
  bound?: number;
  /** `@driver drivers/gpu/...`: where the code lives (NOTIFIER-5, FENCE-4). */
  driverPath?: string;
  /** `@rule-option revoke.pfn-export=locked`, repeated. */
  ruleOptions: Record<string, string>;
  /** Where each `@rule-option` tag was written (present when there is one), for diagnostics on its value. */
  ruleOptionAt?: Record<string, { line: number; col: number }>;
  /** `@kernel-config PREEMPT_RT`: kernel config switches the model assumes (model/kernel-config.ts). */
  kernelConfig?: string[];
}

export interface DriverModel {
  schemaVersion: typeof IR_SCHEMA_VERSION;
  /** Path as given to the front end (used in every location). */
  file: string;
  /** sha256 of the source text, hex. */
  sourceHash: string;
  header: ModelHeader;
  instances: Instance[];
  procs: Proc[];
  threads: Thread[];
  registrations: Registration[];
}

// ---------------------------------------------------------------------------
// Locations, in a side map. Lines and columns are 1-based, as editors and
// compilers print them.

export interface Loc {
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface SourceMap {
  file: string;
  /** `nodes[procId][nodeId]`: where the op or branch was written. */
  nodes: (Loc | undefined)[][];
  /** `instances[instanceId]`: where the instance was declared. */
  instances: (Loc | undefined)[];
  procs: (Loc | undefined)[];
  /**
   * For inlined helpers: `inlined[procId][nodeId]` is the chain of call
   * sites (outermost first) the node was inlined through.
   */
  inlined: (Loc[] | undefined)[][];
  /**
   * For inlined helpers: `via[procId][nodeId]` names the helpers of
   * `inlined`'s call sites, outermost first (`['amdgpu_cs_bind']` for a
   * lock written in a helper `cs_ioctl` calls), so a trace keeps the call
   * path. Absent in source maps built before it existed.
   */
  via?: (string[] | undefined)[][];
}

export interface ExtractedModel {
  model: DriverModel;
  sourceMap: SourceMap;
}

/** Exhaustiveness helper for switches over discriminants. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
