/**
 * dma_fence ops that run no callback inline (fence_signal, which does,
 * stays in compile.ts): init, publication into a dma_resv, waits and
 * callback registration, and the fence-signalling critical section.
 */

import { FENCE_PUBLISHED, FENCE_SIGNALLED } from '../context.js';
import { FALSE, TRUE, add, and, bit, bitor, cnst, eq, ite, lt, ne, not, or, sub, vr } from '../expr.js';
import type { BoolExpr } from '../system.js';
import { DEPTH_MAX, type OpOf, type OpSite, type Update } from './site.js';

export function emitSignallingOp(site: OpSite<OpOf<'signalling_begin' | 'signalling_end'>>): void {
  const { c, op } = site;
  const d = c.ctx.sigDepthVars.get(c.thread);
  if (op.kind === 'signalling_begin') {
    site.emit('ok', TRUE, d === undefined ? [] : [{ v: d, e: ite(lt(vr(d), cnst(DEPTH_MAX)), add(vr(d), cnst(1)), vr(d)) }]);
  } else {
    site.emit('ok', TRUE, d === undefined ? [] : [{ v: d, e: ite(ne(vr(d), cnst(0)), sub(vr(d), cnst(1)), vr(d)) }]);
  }
}

export function emitFenceInit(site: OpSite<OpOf<'fence_init'>>): void {
  const f = site.c.ctx.fenceVar(site.op.fence);
  site.emit('ok', TRUE, f === undefined ? [] : [{ v: f, e: cnst(0) }]);
}

export function emitFencePublish(site: OpSite<OpOf<'fence_publish'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const f = ctx.fenceVar(op.fence);
  const ups: Update[] = [];
  // Publishing a signalled fence leaves it signalled.
  if (f !== undefined) ups.push({ v: f, e: ite(eq(vr(f), cnst(FENCE_SIGNALLED)), cnst(FENCE_SIGNALLED), cnst(FENCE_PUBLISHED)) });
  if (op.resv !== undefined) {
    const p = ctx.published.get(ctx.lockInstance(op.resv));
    const i = p ? p.fences.indexOf(op.fence) : -1;
    if (p && i >= 0) ups.push({ v: p.v, e: bitor(vr(p.v), cnst((1 << i) >>> 0)) });
  }
  site.emit('ok', TRUE, ups);
}

export function emitFenceWait(site: OpSite<OpOf<'fence_wait'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  let done: BoolExpr = TRUE;
  if (op.fence !== undefined) {
    const f = ctx.fenceVar(op.fence);
    done = f === undefined ? TRUE : eq(vr(f), cnst(FENCE_SIGNALLED));
  } else if (op.resv !== undefined) {
    // dma_resv_wait_timeout: every fence in the resv (that was ever
    // published into it) must have signalled.
    const r = ctx.lockInstance(op.resv);
    const p = ctx.published.get(r);
    if (p) {
      done = and(
        ...p.fences.map((fe, i) => {
          const fv = ctx.fenceVar(fe);
          return fv === undefined ? TRUE : or(not(bit(vr(p.v), i)), eq(vr(fv), cnst(FENCE_SIGNALLED)));
        }),
      );
    }
  }
  site.emit('ok', done, []);
  // A finite timeout returns without the signal; labelled outcome
  // `fail` (the IR has no timeout outcome; the fall-through successor
  // is taken unless the model branched on it).
  if (op.timeout === 'bounded' && done.k !== 'true') site.emit('fail', not(done), [], { timedOut: true });
}

export function emitFenceAddCallback(site: OpSite<OpOf<'fence_add_callback'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  // dma_fence_add_callback returns -ENOENT (registers nothing) when
  // the fence already signalled; outcome `fail` for that case.
  const f = ctx.fenceVar(op.fence);
  const cb = ctx.callbackRegisteredVar(op.fence, op.callback);
  const sig = f === undefined ? FALSE : eq(vr(f), cnst(FENCE_SIGNALLED));
  site.emit('ok', not(sig), cb === undefined ? [] : [{ v: cb, e: cnst(1) }]);
  if (sig.k !== 'false') site.emit('fail', sig, []);
}
