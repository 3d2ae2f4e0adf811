/** Workqueues: queue_work starts a work thread, flush_work waits for it. */

import { TRUE, cnst, eq, or, vr } from '../expr.js';
import type { OpOf, OpSite } from './site.js';

export function emitWorkOp(site: OpSite<OpOf<'queue_work' | 'flush_work'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const w = ctx.workVar(op.work);
  if (op.kind === 'queue_work') {
    // Queueing a pending or finished work is a no-op here: each work
    // instance runs its handler at most once (a re-queue after it
    // started would run it again in the kernel; not modelled).
    site.emit('ok', TRUE, w === undefined ? [] : [{ v: w, e: cnst(1) }]);
  } else {
    // flush_work waits for a queued or running instance to finish and
    // returns at once for an idle work.
    const wt = ctx.workThread(op.work);
    site.emit('ok', w === undefined || wt === undefined ? TRUE : or(eq(vr(w), cnst(0)), c.doneExpr(wt)), []);
  }
}
