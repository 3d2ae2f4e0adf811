/**
 * What each IR operation does to lockdep's held-lock stack: the
 * acquisitions and releases lockdep itself performs for the kernel call the
 * model names. This is the one place that knows, e.g., that an allocation
 * with GFP_KERNEL acquires and releases fs_reclaim and the mmu-notifier
 * map, or that a fence wait is an exclusive acquisition of dma_fence_map.
 */

import { unreachable, type DriverModel, type GfpMask, type InstanceId, type Op } from '../../../model/ir.js';
import { DMA_FENCE_MAP, FS_RECLAIM, I_MMAP_RWSEM, MMAP_LOCK, MMU_NOTIFIER_MAP, RESV_MUTEX } from '../../../rules/canonical-order.js';
import { compareKernel } from '../../options.js';
import { LD_WAIT_CONFIG, LD_WAIT_FREE, LD_WAIT_SLEEP, LD_WAIT_SPIN, type WaitType } from './usage.js';

/** lockdep's map for rcu_read_lock() sections (kernel/rcu/update.c rcu_lock_map). */
export const RCU_LOCK_MAP = 'rcu_read_lock';
/** The pseudo-class of a grace-period wait (synchronize_rcu, rcu_barrier): a sleeping wait. */
export const RCU_SYNC_MAP = 'rcu_gp_wait';

/** lockdep `read`: 0 exclusive, 1 non-recursive read, 2 recursive read. */
export type ReadKind = 0 | 1 | 2;

export interface Acquire {
  kind: 'acquire';
  class: string;
  read: ReadKind;
  trylock: boolean;
  /** Instance, so a later unlock of the same instance finds the entry. */
  instance?: InstanceId;
  /** nest_lock class (the ww acquire context's map). */
  nest?: string;
  /** Pseudo-lock role for chain labels. */
  role?: string;
  /** The class's wait types (check_wait_context); absent = LD_WAIT_INV, not checked. */
  wait?: WaitType;
  /** read_lock() of a queued rwlock: recursive only in interrupt context (read_lock_is_recursive). */
  queuedReader?: boolean;
}

export interface Release {
  kind: 'release';
  class: string;
  instance?: InstanceId;
}

export type HeldAction = Acquire | Release;

export interface ThreadFlags {
  /** memalloc scope depth counters (scopes nest). */
  nofs: number;
  noio: number;
  noreclaim: number;
  pagefaultDisabled: number;
  /** Running inside reclaim (PF_MEMALLOC): allocations are not annotated. */
  inReclaim: boolean;
  /** local_irq_disable / _irqsave nesting: hard irqs off on this CPU. */
  hardirqsOff: number;
  /** local_bh_disable / _bh nesting: softirqs off on this CPU. */
  softirqsOff: number;
}

export interface KernelSemantics {
  /**
   * dma_fence_begin_signalling is a read *trylock* (commit 2facdd6002ad).
   * It reached mainline through the drm-misc-next pull for v6.13, so v6.12
   * still records a plain read acquisition (as v6.11 does).
   */
  signallingTrylock: boolean;
  /** ww_acquire_init also takes first_lock_dep_map (v6.13 era). */
  wwFirstLockDepMap: boolean;
  mmuNotifier: boolean;
}

export function kernelSemantics(kernel: string, mmuNotifier = true): KernelSemantics {
  return {
    signallingTrylock: compareKernel(kernel, 'v6.13') >= 0,
    wwFirstLockDepMap: compareKernel(kernel, 'v6.13') >= 0,
    mmuNotifier,
  };
}

/** The effective mask after memalloc scopes (include/linux/sched/mm.h current_gfp_context). */
export function effectiveReclaim(gfp: GfpMask, flags: ThreadFlags): { direct: boolean; fs: boolean } {
  if (flags.inReclaim || flags.noreclaim > 0 || gfp.noLockdep) return { direct: false, fs: false };
  const direct = gfp.directReclaim;
  const fs = direct && gfp.fs && flags.nofs === 0 && flags.noio === 0;
  return { direct, fs };
}

export function lockClassOf(model: DriverModel, id: InstanceId, subclass?: number): string {
  const inst = model.instances[id];
  const base = inst.lockClass ?? inst.name;
  return subclass ? `${base}/${subclass}` : base;
}

export function wwAcquireClass(wwClass: string): string {
  return `${wwClass}_acquire`;
}

export function workClass(model: DriverModel, work: InstanceId): string {
  return `(work_completion)(&${model.instances[work].name})`;
}

/**
 * The held-stack actions of one op on its `ok` path (or the outcome given).
 * `signallingHeld` says whether this task already holds dma_fence_map for
 * read (begin_signalling then does nothing: its cookie is `true`).
 */
export function actionsOf(
  model: DriverModel,
  op: Op,
  outcome: string | undefined,
  flags: ThreadFlags,
  sem: KernelSemantics,
  signallingHeld: boolean,
): HeldAction[] {
  switch (op.kind) {
    case 'lock':
    case 'unlock':
    case 'ww_acquire_init':
    case 'ww_acquire_fini':
      return lockActions(model, op, outcome, sem);
    case 'alloc':
    case 'user_access':
    case 'unmap_mapping_range':
    case 'interval_read_begin':
      return memoryActions(model, op, flags, sem);
    case 'signalling_begin':
    case 'signalling_end':
    case 'fence_wait':
      return fenceActions(op, sem, signallingHeld);
    case 'dma_buf_attach':
    case 'dma_buf_detach':
    case 'dma_buf_map':
    case 'dma_buf_unmap':
    case 'dma_buf_put':
      return dmaBufActions(model, op, outcome);
    case 'flush_work':
      return acqRel(workClass(model, op.work), 0, 'flush work');
    case 'memalloc_save':
    case 'memalloc_restore':
    case 'pagefault_disable':
    case 'pagefault_enable':
    case 'local_irq_disable':
    case 'local_irq_enable':
    case 'ww_acquire_done':
    case 'fence_init':
    case 'fence_publish':
    case 'fence_signal':
    case 'fence_add_callback':
    case 'interval_read_retry':
    case 'interval_set_seq':
    case 'dma_buf_export':
    case 'dma_buf_pin':
    case 'dma_buf_unpin':
    case 'dma_buf_invalidate':
    case 'dma_buf_revoke':
    case 'dma_buf_unrevoke':
    case 'device_access':
    case 'phyr_to_page':
    case 'page_ref_lock':
    case 'mp_bind':
    case 'mp_own':
    case 'phyr_op':
    case 'mp_unbind':
    case 'mp_recv':
    case 'queue_work':
    case 'might_sleep':
    case 'userptr_pages':
    case 'gem_access':
    case 'gem_prime_export':
    case 'local_bh_disable':
    case 'local_bh_enable':
    case 'lock_init':
    case 'mm_event':
      // mmap_lock, the notifier map and the callbacks are walked in build.ts.
    case 'final_put':
      // The destructor a final put runs is walked as a callback (build.ts).
    case 'pm_runtime':
      // So are the runtime PM callbacks; dev->power.lock is its own lock/unlock step.
    case 'call_rcu':
      // Queueing takes nothing; the callback is walked as a softirq entry (build.ts).
    case 'hw_submit':
    case 'sched_add_dependency':
    case 'sched_push':
      // Kicking hardware and queueing a job take no lock: the irq and the
      // scheduler's procs are walked as their own entries.
      return [];
    case 'rcu_read_lock':
      // rcu_lock_acquire(&rcu_lock_map): a recursive read (include/linux/rcupdate.h).
      return [{ kind: 'acquire', class: RCU_LOCK_MAP, read: 2, trylock: false, role: 'rcu read-side section', wait: { inner: LD_WAIT_CONFIG, outer: LD_WAIT_FREE } }];
    case 'rcu_read_unlock':
      return [{ kind: 'release', class: RCU_LOCK_MAP }];
    case 'might_lock':
      // include/linux/lockdep.h might_lock(): lock_acquire() then lock_release() of the lock's map.
      return acqRel(lockClassOf(model, op.lock, op.subclass), op.mode === 'write' ? 0 : op.mode === 'read' ? 1 : 2, op.api);
    case 'fs_reclaim':
      return fsReclaimActions(op, flags, sem);
    case 'rcu_sync':
      // A sleeping wait for a grace period: its wait type is LD_WAIT_SLEEP, so
      // check_wait_context() rejects it where rcu_read_lock() (LD_WAIT_CONFIG)
      // or a spinlock is held, as RCU_LOCKDEP_WARN("Illegal synchronize_rcu()
      // in RCU read-side critical section") and might_sleep() do.
      return [
        { kind: 'acquire', class: RCU_SYNC_MAP, read: 0, trylock: false, role: 'wait for an RCU grace period', wait: { inner: LD_WAIT_SLEEP } },
        { kind: 'release', class: RCU_SYNC_MAP },
      ];
  }
}

/**
 * mm/page_alloc.c fs_reclaim_acquire(): for a mask that may reclaim
 * directly, take fs_reclaim (when __GFP_FS) and touch the notifier map
 * under it; fs_reclaim_release() drops fs_reclaim again.
 */
function fsReclaimActions(op: OpOf<'fs_reclaim'>, flags: ThreadFlags, sem: KernelSemantics): HeldAction[] {
  const r = effectiveReclaim(op.gfp, flags);
  if (!r.direct) return [];
  if (op.action === 'release') return r.fs ? [{ kind: 'release', class: FS_RECLAIM }] : [];
  const out: HeldAction[] = [];
  if (r.fs) out.push({ kind: 'acquire', class: FS_RECLAIM, read: 0, trylock: false, role: 'fs_reclaim_acquire' });
  if (sem.mmuNotifier) out.push(...acqRel(MMU_NOTIFIER_MAP, 0, 'might run mmu notifiers'));
  return out;
}

type OpOf<K extends Op['kind']> = Extract<Op, { kind: K }>;

/** An annotation that takes and drops a class at once (might_lock and friends). */
function acqRel(cls: string, read: ReadKind, role?: string): HeldAction[] {
  return [
    { kind: 'acquire', class: cls, read, trylock: false, role },
    { kind: 'release', class: cls },
  ];
}

/** Locks and ww acquire contexts. */
function lockActions(model: DriverModel, op: OpOf<'lock' | 'unlock' | 'ww_acquire_init' | 'ww_acquire_fini'>, outcome: string | undefined, sem: KernelSemantics): HeldAction[] {
  switch (op.kind) {
    case 'lock': {
      if (outcome === 'fail' || outcome === 'EDEADLK' || outcome === 'EALREADY') return [];
      const read: ReadKind = op.mode === 'write' ? 0 : op.mode === 'read' ? 1 : 2;
      const inst = model.instances[op.lock];
      const cls = lockClassOf(model, op.lock, op.subclass);
      const nest =
        op.ctx !== undefined
          ? wwAcquireClass(model.instances[op.ctx].wwClass ?? inst.wwClass ?? 'reservation_ww_class')
          : op.nestLock !== undefined
            ? lockClassOf(model, op.nestLock)
            : undefined;
      const wait = lockWaitType(inst.kind, !!inst.raw);
      const queuedReader = inst.kind === 'rwlock' && read === 2;
      return [{ kind: 'acquire', class: cls, read, trylock: op.trylock, instance: op.lock, nest, ...(wait ? { wait } : {}), ...(queuedReader ? { queuedReader } : {}) }];
    }
    case 'unlock':
      return [{ kind: 'release', class: lockClassOf(model, op.lock), instance: op.lock }];
    case 'ww_acquire_init': {
      const acq = wwAcquireClass(op.wwClass);
      const actions: HeldAction[] = [{ kind: 'acquire', class: acq, read: 0, trylock: false, instance: op.ctx }];
      if (sem.wwFirstLockDepMap) {
        // The context's fake ww_mutex map, held under the nest lock for the
        // context's whole life (locking/ww_mutex: Adjust to lockdep nest_lock requirements).
        actions.push({ kind: 'acquire', class: `${op.wwClass}_mutex`, read: 0, trylock: false, nest: acq, role: 'first_lock_dep_map' });
      }
      return actions;
    }
    case 'ww_acquire_fini': {
      const ctx = model.instances[op.ctx];
      const ww = ctx.wwClass ?? 'reservation_ww_class';
      const actions: HeldAction[] = [];
      if (sem.wwFirstLockDepMap) actions.push({ kind: 'release', class: `${ww}_mutex` });
      actions.push({ kind: 'release', class: wwAcquireClass(ww), instance: op.ctx });
      return actions;
    }
    default:
      return unreachable(op);
  }
}

/** Allocations, faults and mmu notifiers: the reclaim and mm annotations. */
function memoryActions(model: DriverModel, op: OpOf<'alloc' | 'user_access' | 'unmap_mapping_range' | 'interval_read_begin'>, flags: ThreadFlags, sem: KernelSemantics): HeldAction[] {
  switch (op.kind) {
    case 'alloc': {
      const r = effectiveReclaim(op.gfp, flags);
      if (!r.direct) return [];
      const out: HeldAction[] = [];
      if (r.fs) out.push(...acqRel(FS_RECLAIM, 0, 'might enter reclaim'));
      // fs_reclaim_acquire() touches the notifier map for any direct reclaim (RECLAIM-3).
      if (sem.mmuNotifier) out.push(...acqRel(MMU_NOTIFIER_MAP, 0, 'might run mmu notifiers'));
      return out;
    }
    case 'user_access':
      if (flags.pagefaultDisabled > 0) return [];
      // __might_fault(): might_lock_read(&current->mm->mmap_lock).
      return acqRel(lockClassOf(model, op.mm) || MMAP_LOCK, 1, 'might fault');
    case 'unmap_mapping_range':
      return [
        { kind: 'acquire', class: lockClassOf(model, op.mapping) || I_MMAP_RWSEM, read: 0, trylock: false },
        ...(sem.mmuNotifier ? acqRel(MMU_NOTIFIER_MAP, 0, 'mmu notifier invalidate') : []),
        { kind: 'release', class: lockClassOf(model, op.mapping) || I_MMAP_RWSEM },
      ];
    case 'interval_read_begin':
      return sem.mmuNotifier ? acqRel(MMU_NOTIFIER_MAP, 0, 'mmu_interval_read_begin') : [];
    default:
      return unreachable(op);
  }
}

/** Fence signalling sections and fence waits: dma_fence_map. */
function fenceActions(op: OpOf<'signalling_begin' | 'signalling_end' | 'fence_wait'>, sem: KernelSemantics, signallingHeld: boolean): HeldAction[] {
  switch (op.kind) {
    case 'signalling_begin':
      if (signallingHeld) return [];
      return [{ kind: 'acquire', class: DMA_FENCE_MAP, read: 1, trylock: sem.signallingTrylock, role: 'enter fence signalling' }];
    case 'signalling_end':
      return [{ kind: 'release', class: DMA_FENCE_MAP }];
    case 'fence_wait': {
      // __dma_fence_might_wait(): drop our own read hold, take the map
      // exclusively, then re-take the read-trylock.
      const out: HeldAction[] = [];
      if (signallingHeld) out.push({ kind: 'release', class: DMA_FENCE_MAP });
      out.push(...acqRel(DMA_FENCE_MAP, 0, 'wait on fence'));
      if (signallingHeld) out.push({ kind: 'acquire', class: DMA_FENCE_MAP, read: 1, trylock: true, role: 'enter fence signalling' });
      return out;
    }
    default:
      return unreachable(op);
  }
}

/** dma-buf calls that take the buffer's reservation lock. */
function dmaBufActions(model: DriverModel, op: OpOf<'dma_buf_attach' | 'dma_buf_detach' | 'dma_buf_map' | 'dma_buf_unmap' | 'dma_buf_put'>, outcome: string | undefined): HeldAction[] {
  switch (op.kind) {
    case 'dma_buf_attach':
    case 'dma_buf_detach': {
      // dma_buf_dynamic_attach / dma_buf_detach take dma_resv_lock(dmabuf->resv, NULL).
      if (outcome === 'fail') return [];
      return resvActions(model, op.attachment);
    }
    case 'dma_buf_map':
    case 'dma_buf_unmap':
      if (!op.unlocked || outcome === 'fail') return [];
      return resvActions(model, op.attachment);
    case 'dma_buf_put': {
      // A possibly-final put runs the destructor, which detaches (ORDER-7).
      const buf = model.instances[op.buf];
      return buf.resv !== undefined ? acqRel(lockClassOf(model, buf.resv), 0) : [];
    }
    default:
      return unreachable(op);
  }
}

/** Taking and dropping the reservation lock of an attachment's buffer (the generic class when it has none). */
function resvActions(model: DriverModel, attachment: InstanceId): HeldAction[] {
  const att = model.instances[attachment];
  const buf = att.buf !== undefined ? model.instances[att.buf] : undefined;
  return buf?.resv !== undefined ? acqRel(lockClassOf(model, buf.resv), 0) : acqRel(RESV_MUTEX, 0);
}

/**
 * include/linux/lockdep_types.h and the lock initialisers: spinlock_t and
 * rwlock_t are LD_WAIT_CONFIG (they sleep on PREEMPT_RT), raw_spinlock_t
 * LD_WAIT_SPIN, every sleeping lock LD_WAIT_SLEEP.
 */
export function lockWaitType(kind: string, raw: boolean): WaitType | undefined {
  switch (kind) {
    case 'spinlock':
      return { inner: raw ? LD_WAIT_SPIN : LD_WAIT_CONFIG };
    case 'rwlock':
      return { inner: LD_WAIT_CONFIG };
    case 'mutex':
    case 'rwsem':
    case 'ww_mutex':
    case 'dma_resv':
    case 'mm':
    case 'address_space':
      return { inner: LD_WAIT_SLEEP };
    default:
      return undefined;
  }
}

/** What an acquisition changes before lockdep sees it: `spin_lock_irqsave` disables irqs first, `spin_lock_bh` softirqs. */
export function flagsBefore(op: Op, outcome: string | undefined, flags: ThreadFlags): ThreadFlags {
  if (op.kind !== 'lock' || outcome === 'fail' || (!op.irqsave && !op.bh)) return flags;
  return { ...flags, hardirqsOff: flags.hardirqsOff + (op.irqsave ? 1 : 0), softirqsOff: flags.softirqsOff + (op.bh ? 1 : 0) };
}

export function updateFlags(op: Op, flags: ThreadFlags): ThreadFlags {
  switch (op.kind) {
    case 'local_irq_disable':
      return { ...flags, hardirqsOff: flags.hardirqsOff + 1 };
    case 'local_irq_enable':
      return { ...flags, hardirqsOff: 0 };
    case 'local_bh_disable':
      return { ...flags, softirqsOff: flags.softirqsOff + 1 };
    case 'local_bh_enable':
      return { ...flags, softirqsOff: Math.max(0, flags.softirqsOff - 1) };
    case 'unlock':
      if (!op.irqrestore && !op.bh) return flags;
      return { ...flags, hardirqsOff: Math.max(0, flags.hardirqsOff - (op.irqrestore ? 1 : 0)), softirqsOff: Math.max(0, flags.softirqsOff - (op.bh ? 1 : 0)) };
    case 'memalloc_save':
      return { ...flags, [op.scope]: flags[op.scope] + 1 };
    case 'memalloc_restore':
      return { ...flags, [op.scope]: Math.max(0, flags[op.scope] - 1) };
    case 'pagefault_disable':
      return { ...flags, pagefaultDisabled: flags.pagefaultDisabled + 1 };
    case 'pagefault_enable':
      return { ...flags, pagefaultDisabled: Math.max(0, flags.pagefaultDisabled - 1) };
    default:
      return flags;
  }
}
