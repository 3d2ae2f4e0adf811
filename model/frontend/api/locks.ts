/** Lowering lock acquisitions and releases (mutex, spinlock, rwsem, rwlock, ww_mutex, mmap and i_mmap locks, dma_resv). */

import type { Op, OpKind } from '../../ir.js';
import { constValue } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function lock(cx: ExtractContext, c: ApiCall): Lowered {
  const { api, name, args: a } = c;
  const lockId = c.inst(0);
  const l: Extract<Op, { kind: 'lock' }> = { kind: 'lock', api: name, lock: lockId, mode: api.mode!, trylock: !!api.trylock };
  const ctxSpec = api.args[1];
  if (ctxSpec && (ctxSpec.kind === 'ctx-or-null' || (ctxSpec.kind === 'instance' && ctxSpec.kinds.includes('ww_ctx')))) {
    const ctx = ctxSpec.kind === 'instance' ? c.inst(1) : c.ctxArg(1);
    if (ctx !== undefined) {
      const want = cx.instances[lockId]!.wwClass;
      const have = cx.instances[ctx]!.wwClass;
      if (want !== have) {
        cx.fail('LMC202', `${name}: the acquire context '${cx.instances[ctx]!.name}' is of ${have}, but '${cx.instances[lockId]!.name}' is a ${want} lock`, a[1]!, `initialise the context with \`ww_acquire_init(${want})\``);
      }
      l.ctx = ctx;
    }
  }
  if (api.slow) l.slow = true;
  if (api.subclassArg) {
    const v = constValue(cx, a[1]!, c.env);
    if (v === undefined || !Number.isInteger(v) || v < 0 || v > 7) cx.fail('LMC202', `${name}: the subclass must be a constant between 0 and 7`, a[1]!, `write \`${name}(lock, 1)\` (lockdep has 8 subclasses)`);
    l.subclass = v;
  }
  if (api.nestLockArg) l.nestLock = c.inst(1);
  if (api.irqsave) l.irqsave = true;
  if (api.bh) l.bh = true;
  if (/_irqsave$/.test(name)) c.ignoreFrom(1);
  rawMatches(cx, c, lockId);
  return { op: l };
}

function unlock(cx: ExtractContext, c: ApiCall): Lowered {
  const u: Extract<Op, { kind: 'unlock' }> = { kind: 'unlock', api: c.name, lock: c.inst(0) };
  if (c.api.irqrestore) u.irqrestore = true;
  if (c.api.bh) u.bh = true;
  c.ignoreFrom(1);
  rawMatches(cx, c, u.lock);
  return { op: u };
}

/** mutex_init(l) and friends: re-initialising a lock (lockdep: a held lock freed or re-initialised). */
function lockInit(cx: ExtractContext, c: ApiCall): Lowered {
  const lockId = c.inst(0);
  rawMatches(cx, c, lockId);
  return { op: { kind: 'lock_init', api: c.name, lock: lockId } };
}

/**
 * raw_spin_* on a raw_spinlock_t, spin_* on a spinlock_t: the kernel's
 * types keep them apart, and the wait-context check reads which it is.
 */
function rawMatches(cx: ExtractContext, c: ApiCall, lockId: number): void {
  const inst = cx.instances[lockId]!;
  if (inst.kind === 'spinlock' && !!c.api.percpu !== !!inst.percpu) {
    // local_lock_t and spinlock_t are distinct kernel types: local_lock() takes this CPU's lock.
    const hint = inst.percpu ? `write \`local_lock(${inst.name})\`` : `declare it with \`local_lock_t()\``;
    cx.fail('LMC202', `${c.name}: '${inst.name}' is ${inst.percpu ? 'a local_lock_t' : inst.raw ? 'a raw_spinlock_t' : 'a spinlock_t'}`, c.args[0]!, hint);
    return;
  }
  if (inst.kind !== 'spinlock' || !!c.api.raw === !!inst.raw) return;
  const want = inst.raw ? c.name.replace(/^spin_/, 'raw_spin_') : c.name.replace(/^raw_spin_/, 'spin_');
  const what = inst.raw ? 'a raw_spinlock_t' : 'a spinlock_t';
  cx.fail('LMC202', `${c.name}: '${inst.name}' is ${what}`, c.args[0]!, `write \`${want}(${inst.name})\``);
}

export const LOCK_LOWERINGS: Partial<Record<OpKind, Lowering>> = { lock, unlock, lock_init: lockInit };
