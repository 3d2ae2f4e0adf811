/**
 * Wound/wait mutexes with an acquire context: ww_acquire_init/done/fini
 * and ww_mutex_lock(ctx) with its -EALREADY and -EDEADLK outcomes, under
 * Wait-Die or Wound-Wait as the ww class says.
 */

import { unreachable, type InstanceId } from '../../../model/ir.js';
import { TRUE, add, and, cnst, eq, lt, ne, not, vr } from '../expr.js';
import type { BoolExpr, VarId } from '../system.js';
import type { OpOf, OpSite, Update } from './site.js';

/** ww-mutex-design.rst: DEFINE_WW_CLASS = Wound-Wait; DEFINE_WD_CLASS (reservation_ww_class) = Wait-Die. */
export function isWoundWait(cls: string): boolean {
  return cls === 'crtc_ww_class';
}

export function emitAcquireCtxOp(site: OpSite<OpOf<'ww_acquire_init' | 'ww_acquire_done' | 'ww_acquire_fini'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const t = c.thread;
  switch (op.kind) {
    case 'ww_acquire_init': {
      // Stamps come from a per-class counter (ww_acquire_init takes
      // atomic_long_inc_return(&ww_class->stamp)); ctx = 1 + stamp.
      const cv = c.ctxVarFor(op.ctx);
      const k = ctx.stampCounters.get(op.wwClass)!;
      site.emit('ok', TRUE, [
        { v: cv, e: add(vr(k), cnst(1)) },
        { v: k, e: add(vr(k), cnst(1)) },
        { v: ctx.ctxDoneVar(op.ctx, t)!, e: cnst(0) },
        ...contendingIs(site, op.ctx, 0),
      ]);
      return;
    }
    case 'ww_acquire_done': {
      c.ctxVarFor(op.ctx);
      site.emit('ok', TRUE, [{ v: ctx.ctxDoneVar(op.ctx, t)!, e: cnst(1) }]);
      return;
    }
    case 'ww_acquire_fini': {
      const cv = c.ctxVarFor(op.ctx);
      site.emit('ok', TRUE, [
        { v: cv, e: cnst(0) },
        { v: ctx.ctxDoneVar(op.ctx, t)!, e: cnst(0) },
        ...contendingIs(site, op.ctx, 0),
      ]);
      return;
    }
    default:
      return unreachable(op);
  }
}

/** ww_mutex_lock with a context, on a lock whose owner and holder variables are known. */
export function emitCtxLock(
  site: OpSite<OpOf<'lock'>>,
  l: { ctxInst: InstanceId; lock: InstanceId; owner: VarId; holder: VarId; irq: Update[]; free: BoolExpr },
): void {
  const { c, op, loc } = site;
  const ctx = c.ctx;
  const t = c.thread;
  const a = t + 1;
  const { owner: o, holder: h, irq, free } = l;
  const cv = c.ctxVarFor(l.ctxInst);
  // ww_mutex_lock_acquired() clears ctx->contending_lock on every acquisition.
  const take = [{ v: o, e: cnst(a) }, { v: h, e: vr(cv) }, ...irq, ...contendingIs(site, l.ctxInst, 0)];
  // __ww_mutex_kill() records the lock that returned -EDEADLK.
  const died = contendingIs(site, l.ctxInst, l.lock + 1);
  if (op.slow || op.trylock) {
    // ww_mutex_lock_slow: sleeps until the lock is free (the context
    // holds nothing after backoff, so it can neither die nor be wounded).
    site.emit('ok', free, take);
    if (op.trylock) site.emit('fail', not(free), []);
    return;
  }
  const byOther = and(ne(vr(o), cnst(0)), ne(vr(o), cnst(a)));
  site.emit('ok', free, take);
  // -EALREADY: this very context already holds the lock; nothing changes.
  site.emit('EALREADY', and(eq(vr(o), cnst(a)), eq(vr(h), vr(cv)), ne(vr(cv), cnst(0))), []);
  // A context that holds nothing waits instead of backing off
  // (__ww_mutex_kill only kills when ctx->acquired > 0).
  const holdsLocks = ctx.ctxHoldsLocks(l.ctxInst, t);
  const cls = ctx.wwClassOfLock(l.lock);
  if (isWoundWait(cls)) {
    // Wound-Wait: an older requester wounds the younger holder; the
    // wounded context gets -EDEADLK when it next has to wait for a
    // ww_mutex (or while it waits). "Wounded" is computed from the
    // state: some older context is waiting at a ctx lock of a lock this
    // context holds. Patched once every thread's locations are known.
    // Guard completed in patchWounds (always runs before the system is used).
    const id = site.emit('EDEADLK', TRUE, died);
    c.addWoundPatch({ t: id, thread: t, lock: l.lock, ctxVar: cv, base: and(byOther, holdsLocks) });
  } else {
    // Wait-Die: a younger requester (larger stamp) dies at once when the
    // holder is a context; an older one waits. Holders without a
    // context are waited for.
    site.emit('EDEADLK', and(byOther, ne(vr(h), cnst(0)), lt(vr(h), vr(cv)), holdsLocks), died);
  }
  c.addWwWaitSite({ thread: t, pc: loc, lock: l.lock, ctxVar: cv });
}

/** Set the context's contending lock (0: none, else 1 + the lock), where the model has that variable. */
function contendingIs(site: { c: OpSite<OpOf<'lock'>>['c'] }, ctxInst: InstanceId, value: number): Update[] {
  const v = site.c.ctx.ctxContendingVar(ctxInst, site.c.thread);
  return v === undefined ? [] : [{ v, e: cnst(value) }];
}
