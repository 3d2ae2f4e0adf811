import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import type { CompileContext } from '../../../checker/semantics/context.js';
import { GFP_KERNEL, GFP_NOFS, GFP_NOWAIT, ModelBuilder, alloc, enabledDesc, fire, lock, run, unlock, val } from './builder.js';

const nofsSave = (cookie: number): Op => ({ kind: 'memalloc_save', api: 'memalloc_nofs_save', scope: 'nofs', cookie });
const nofsRestore = (cookie: number): Op => ({ kind: 'memalloc_restore', api: 'memalloc_nofs_restore', scope: 'nofs', cookie });

function shrinkerUnderLock(gfp = GFP_KERNEL, kswapdRuns = 0) {
  const b = new ModelBuilder();
  const L = b.mutex('L');
  const shrink = b.seq('shrink', 'shrinker', [lock(L), alloc(GFP_KERNEL), unlock(L)]);
  b.register('shrinker', shrink);
  b.thread('T0', [lock(L), alloc(gfp), unlock(L)]);
  let captured: CompileContext | undefined;
  const r = b.compile({ kswapdRuns }, (ctx) => {
    captured = ctx;
    return [{ kind: 'deadlock', rule: 'd', check: 'd' }];
  });
  return { ...r, ctx: captured! };
}

describe('direct reclaim', () => {
  it('a reclaiming allocation may run the shrinker inline, with the caller\'s locks held', () => {
    const { ts, ev, ctx } = shrinkerUnderLock();
    let s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok', 'T0:1.1:enter-reclaim']);
    s = fire(ts, ev, s, 'T0:1.1:enter-reclaim');
    // The shrinker's mutex_lock(L) in T0's own context: self-deadlock.
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    const enter = ts.transitions.find((t) => t.label.synthetic === 'enter-reclaim')!;
    const step = ctx.steps[enter.id]!;
    expect(step.enters).toEqual({ proc: 0, kind: 'direct-reclaim', fs: true });
    expect(step.gfp!.static).toEqual({ directReclaim: true, fs: true, io: true });
    const inside = ctx.toLocation(enter.id);
    expect(inside.contexts).toEqual(['reclaim', 'direct-reclaim', 'shrinker']);
    expect(inside.frames).toEqual([{ proc: 0, kind: 'direct-reclaim', enteredAt: { proc: 1, node: 1 } }]);
  });

  it('nested allocations inside reclaim do not reclaim again; leaving retries the allocation', () => {
    const b = new ModelBuilder();
    const shrink = b.seq('shrink', 'shrinker', [alloc(GFP_KERNEL)]);
    b.register('shrinker', shrink);
    b.thread('T0', [alloc(GFP_KERNEL)]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['T0:1.0:enter-reclaim']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.0:ok']);
    s = fire(ts, ev, s, 'T0:0.0:ok');
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.1:leave-reclaim']);
    s = fire(ts, ev, s, 'T0:0.1:leave-reclaim');
    // The allocation after reclaim: it cannot enter reclaim again.
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.0:ok']);
    s = fire(ts, ev, s, 'T0:1.0:ok');
    expect(ev.threadDone(s, 0)).toBe(true);
    // alloc, enter, shrinker alloc, leave, alloc-after.
    expect(ts.completenessBound).toBe(4);
  });

  it('GFP_NOWAIT neither reclaims nor blocks, and may fail', () => {
    const { ts, ev } = shrinkerUnderLock(GFP_NOWAIT);
    const s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok', 'T0:1.1:fail']);
  });

  it('GFP_NOFS reclaims without fs_reclaim', () => {
    const { ts, ctx } = shrinkerUnderLock(GFP_NOFS);
    const enters = ts.transitions.filter((t) => t.label.synthetic === 'enter-reclaim').map((t) => ctx.steps[t.id]!.enters);
    expect(enters).toEqual([{ proc: 0, kind: 'direct-reclaim', fs: false }]);
  });

  it('a memalloc_nofs scope selects the non-fs copy at run time', () => {
    const b = new ModelBuilder();
    const c = b.inst('memalloc_cookie', 'f', { local: true });
    const shrink = b.seq('shrink', 'shrinker', []);
    b.register('shrinker', shrink);
    b.thread('T0', [nofsSave(c), alloc(GFP_KERNEL), nofsRestore(c), alloc(GFP_KERNEL)]);
    let ctx!: CompileContext;
    const { ts, ev } = b.compile({}, (x) => {
      ctx = x;
      return [];
    });
    const fsOf = (s: Uint32Array) =>
      ev.enabledTransitions(s).filter((t) => ctx.steps[t]!.enters).map((t) => ctx.steps[t]!.enters!.fs);
    let s = run(ts, ev, ['T0:1.0:ok']);
    expect(val(ts, s, 'flags.T0')).toBe(1 << 2);
    expect(fsOf(s)).toEqual([false]);
    s = run(ts, ev, ['T0:1.0:ok', 'T0:1.1:ok', 'T0:1.2:ok']);
    expect(val(ts, s, 'flags.T0')).toBe(0);
    expect(fsOf(s)).toEqual([true]);
    const allocStep = ctx.steps.find((x) => x.op?.kind === 'alloc')!;
    expect(allocStep.gfp!.static).toBeUndefined();
  });

  it('memalloc_noreclaim (PF_MEMALLOC) turns direct reclaim off', () => {
    const b = new ModelBuilder();
    const c = b.inst('memalloc_cookie', 'f', { local: true });
    const shrink = b.seq('shrink', 'shrinker', []);
    b.register('shrinker', shrink);
    b.thread('T0', [{ kind: 'memalloc_save', api: 'memalloc_noreclaim_save', scope: 'noreclaim', cookie: c }, alloc(GFP_KERNEL)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok']);
  });

  it('nested scopes restore exactly', () => {
    const b = new ModelBuilder();
    const c1 = b.inst('memalloc_cookie', 'f1', { local: true });
    const c2 = b.inst('memalloc_cookie', 'f2', { local: true });
    b.thread('T0', [nofsSave(c1), nofsSave(c2), nofsRestore(c2), nofsRestore(c1)]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok']);
    expect(val(ts, s, 'flags.T0')).toBe(4);
    s = fire(ts, ev, s, 'T0:0.3:ok');
    expect(val(ts, s, 'flags.T0')).toBe(0);
  });

  it('kswapd runs a registered callback from its own thread, at most kswapdRuns times', () => {
    const { ts, ev, ctx } = shrinkerUnderLock(GFP_NOWAIT, 2);
    expect(ts.threads.map((t) => `${t.name}:${t.liveness}`)).toEqual(['T0:mandatory', 'kswapd:optional']);
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.0:ok', 'kswapd:0.0:kswapd-run']);
    s = fire(ts, ev, s, 'T0:1.0:ok');
    s = fire(ts, ev, s, 'kswapd:0.0:kswapd-run');
    // kswapd waits for L held by T0; T0 can finish.
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok', 'T0:1.1:fail']);
    const loc = ctx.locations[1]![val(ts, s, 'pc.kswapd')]!;
    expect(loc.contexts).toEqual(['reclaim', 'kswapd', 'shrinker']);
    // kswapd alone, not started: the initial state of a finished T0 is not a deadlock.
    s = run(ts, ev, ['T0:1.0:ok', 'T0:1.1:ok', 'T0:1.2:ok']);
    expect(ev.isTerminal(s)).toBe(true);
    expect(ev.isDeadlock(s)).toBe(false);
    // run, lock, alloc (no reclaim), unlock, leave: 5 steps per run.
    expect(ts.completenessBound).toBe(3 + 2 * 5);
  });

  it('a started kswapd stuck on a lock is a deadlock', () => {
    const b = new ModelBuilder();
    const L = b.mutex('L');
    const shrink = b.seq('shrink', 'shrinker', [lock(L), unlock(L)]);
    b.register('shrinker', shrink);
    b.thread('T0', [lock(L)]);
    const { ts, ev } = b.compile({ kswapdRuns: 1 });
    const s = run(ts, ev, ['T0:1.0:ok', 'kswapd:0.0:kswapd-run']);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([1]);
  });
});

describe('mmu notifiers outside reclaim', () => {
  it('run once from an optional thread, where their allocations do reclaim', () => {
    const b = new ModelBuilder();
    const mm = b.inst('mm', 'mm');
    const n = b.inst('interval_notifier', 'mni', { mm });
    const inv = b.seq('invalidate', 'mmu_notifier', [alloc(GFP_KERNEL)]);
    b.register('mmu_notifier', inv, { notifier: n });
    b.thread('T0', []);
    let ctx!: CompileContext;
    const { ts, ev } = b.compile({ kswapdRuns: 1 }, (c) => {
      ctx = c;
      return [{ kind: 'deadlock', rule: 'd', check: 'd' }];
    });
    expect(ts.threads.map((t) => `${t.name}:${t.kind}:${t.liveness}`)).toEqual(['T0:thread:mandatory', 'mmu:invalidate:thread:optional', 'kswapd:kswapd:optional']);
    let s = ev.initial();
    expect(ev.isDeadlock(s)).toBe(false);
    s = fire(ts, ev, s, 'mmu:invalidate:0.0:thread-start');
    // Not in reclaim: the GFP_KERNEL allocation may enter direct reclaim
    // (and run the notifier itself inline).
    expect(enabledDesc(ts, ev, s)).toEqual(['mmu:invalidate:0.0:ok', 'mmu:invalidate:0.0:enter-reclaim', 'kswapd:0.0:kswapd-run']);
    const loc = ctx.locations[1]![val(ts, s, 'pc.mmu:invalidate')]!;
    expect(loc.contexts).toEqual(['mmu-notifier']);
    expect(loc.frames).toEqual([]);
    // In kswapd the same allocation cannot reclaim (PF_MEMALLOC).
    const k = run(ts, ev, ['kswapd:0.0:kswapd-run']);
    expect(enabledDesc(ts, ev, k).filter((d) => d.startsWith('kswapd'))).toEqual(['kswapd:0.0:ok']);
  });
});

describe('ww classes', () => {
  it('a context only holds locks of its own class (stamps are per class)', () => {
    const b = new ModelBuilder();
    const M = b.inst('ww_mutex', 'M', { wwClass: 'crtc_ww_class' });
    const X = b.inst('dma_resv', 'X');
    const mc = b.inst('ww_ctx', 'mc', { local: true });
    const rc = b.inst('ww_ctx', 'rc', { local: true });
    b.thread('T0', [
      { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: mc, wwClass: 'crtc_ww_class' },
      lock(M, { ctx: mc, api: 'ww_mutex_lock' }),
      { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: rc, wwClass: 'reservation_ww_class' },
      lock(X, { ctx: rc, api: 'dma_resv_lock' }),
    ]);
    let ctx!: CompileContext;
    const { ts, ev } = b.compile({}, (c) => {
      ctx = c;
      return [];
    });
    const s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok']);
    expect(val(ts, s, 'ctx.mc.T0')).toBe(1);
    expect(val(ts, s, 'ctx.rc.T0')).toBe(1);
    expect(ev.evalBool(ctx.ctxHoldsLocks(mc, 0), s)).toBe(true);
    expect(ev.evalBool(ctx.ctxHoldsLocks(rc, 0), s)).toBe(false);
    expect(ev.evalBool(ctx.ctxHoldsLocks(rc, 0), fire(ts, ev, s, 'T0:0.3:ok'))).toBe(true);
  });
});
