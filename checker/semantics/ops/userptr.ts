/**
 * Userptr objects and pinning (userptr thread, June 2020): the pages of
 * a userptr GEM object, what pin/unpin/get do to them, and what the mm
 * does after an invalidation — it frees (reclaim) or moves (migration)
 * the pages unless they are pinned (mm/gup.c FOLL_PIN: the page's
 * pincount keeps reclaim and migration off it; mm/migrate.c
 * folio_maybe_dma_pinned() refuses). A notifier callback that returns
 * is the mm's licence to do that, which is why a driver whose device may
 * still DMA must either wait in the callback or have pinned the pages.
 */

import type { DriverModel, InstanceId } from '../../../model/ir.js';
import { PAGES_INVALIDATING, PAGES_PINNED, PAGES_PRESENT, PAGES_RELEASED, PAGES_STATE_MASK, type CompileContext } from '../context.js';
import { TRUE, add, bitand, cnst, eq, ite, lt, sub, vr } from '../expr.js';
import type { BoolExpr, IntExpr, VarId } from '../system.js';
import type { OpOf, OpSite } from './site.js';

/** One pages variable per userptr object; none for other GEM objects (their pages are the driver's). */
export function makeUserptrVars(ctx: CompileContext, model: DriverModel): void {
  for (const i of model.instances) {
    if (i.kind !== 'gem_object' || !i.userptr) continue;
    // Low bits: the state; above: how many invalidations of the mm are running (each engine thread runs at most one).
    const max = PAGES_INVALIDATING * Math.max(1, ctx.threads.length) + PAGES_STATE_MASK;
    ctx.userptrPages.set(i.id, ctx.addVar(`pages.${i.name}`, max, PAGES_PRESENT, { kind: 'userptr-pages', instance: i.id }));
  }
}

/** The pages' state without the invalidating bit. */
const stateOf = (v: VarId): IntExpr => bitand(vr(v), cnst(PAGES_STATE_MASK));

export function emitUserptrPagesOp(site: OpSite<OpOf<'userptr_pages'>>): void {
  const v = site.c.ctx.userptrPages.get(site.op.obj);
  if (v === undefined) {
    site.emit('ok', TRUE, []);
    return;
  }
  switch (site.op.action) {
    case 'get':
      // hmm_range_fault faults released pages back in; pinned ones stay
      // pinned. It waits while an invalidation of the range runs: in the
      // kernel mmu_interval_read_begin() sleeps on the notifier's wq until
      // invalidate_range_end (mn_itree_read_begin), and the pages read
      // after it are the new ones.
      site.emit('ok', idle(v), [{ v, e: ite(eq(stateOf(v), cnst(PAGES_PINNED)), vr(v), cnst(PAGES_PRESENT)) }]);
      return;
    case 'pin':
      // pin_user_pages faults the range in and pins it (one pin: the model
      // does not count nested pins of one object); like GUP it waits for a
      // running invalidation.
      site.emit('ok', idle(v), [{ v, e: cnst(PAGES_PINNED) }]);
      return;
    case 'unpin':
      site.emit('ok', TRUE, [unpinUpdate(v)]);
      return;
  }
}

/** unpin_user_pages: pinned pages become present again (an invalidation that is running stays counted). */
export function unpinUpdate(v: VarId): { v: VarId; e: IntExpr } {
  return { v, e: ite(eq(stateOf(v), cnst(PAGES_PINNED)), sub(vr(v), cnst(PAGES_PINNED - PAGES_PRESENT)), vr(v)) };
}

/**
 * What pin_user_pages(obj) adds to its GUP transitions (a user_access op
 * with `obj`): it waits for a running invalidation and leaves the pages
 * pinned. Undefined for an object without a pages variable.
 */
export function pinEffect(ctx: CompileContext, obj: InstanceId): { guard: BoolExpr; updates: { v: VarId; e: IntExpr }[] } | undefined {
  const v = ctx.userptrPages.get(obj);
  return v === undefined ? undefined : { guard: idle(v), updates: [{ v, e: cnst(PAGES_PINNED) }] };
}

/** No invalidation of the object's mm is running. */
function idle(v: VarId) {
  return lt(vr(v), cnst(PAGES_INVALIDATING));
}

function userptrVarsOf(ctx: CompileContext, model: DriverModel, mm: InstanceId | undefined): VarId[] {
  if (mm === undefined) return [];
  return [...ctx.userptrPages].filter(([obj]) => model.instances[obj]!.mm === mm).map(([, v]) => v);
}

/**
 * The mm starts invalidating `mm` (invalidate_range_start, before the
 * callbacks): GUP on its userptr objects waits until every running
 * invalidation ended.
 */
export function beginInvalidation(ctx: CompileContext, model: DriverModel, mm: InstanceId | undefined): { v: VarId; e: IntExpr }[] {
  return userptrVarsOf(ctx, model, mm).map((v) => ({ v, e: add(vr(v), cnst(PAGES_INVALIDATING)) }));
}

/**
 * The updates the mm makes once the notifier callbacks on `mm` returned:
 * every unpinned userptr object of that mm loses its pages. Empty when
 * the model has none (so models without userptr objects compile as before).
 */
export function releaseUnpinnedPages(ctx: CompileContext, model: DriverModel, mm: InstanceId | undefined): { v: VarId; e: IntExpr }[] {
  // The invalidation ends (invalidate_range_end): one fewer running.
  return userptrVarsOf(ctx, model, mm).map((v) => ({
    v,
    e: add(sub(sub(vr(v), stateOf(v)), cnst(PAGES_INVALIDATING)), ite(eq(stateOf(v), cnst(PAGES_PINNED)), cnst(PAGES_PINNED), cnst(PAGES_RELEASED))),
  }));
}
