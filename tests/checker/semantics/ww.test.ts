import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import { ModelBuilder, enabledDesc, fire, lock, run, unlock, val } from './builder.js';

const init = (ctx: number, wwClass = 'reservation_ww_class'): Op => ({ kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx, wwClass });
const fini = (ctx: number): Op => ({ kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx });
const resvLock = (l: number, ctx?: number, extra: Partial<Extract<Op, { kind: 'lock' }>> = {}): Op =>
  lock(l, { api: 'dma_resv_lock', ...(ctx === undefined ? {} : { ctx }), ...extra });

function waitDie() {
  const b = new ModelBuilder();
  const X = b.inst('dma_resv', 'X', { wwClass: 'reservation_ww_class' });
  const Y = b.inst('dma_resv', 'Y', { wwClass: 'reservation_ww_class' });
  const c0 = b.inst('ww_ctx', 'c0', { local: true, wwClass: 'reservation_ww_class' });
  const c1 = b.inst('ww_ctx', 'c1', { local: true, wwClass: 'reservation_ww_class' });
  b.thread('T0', [init(c0), resvLock(X, c0), resvLock(Y, c0), unlock(Y), unlock(X), fini(c0)]);
  b.thread('T1', [init(c1), resvLock(Y, c1), resvLock(X, c1), unlock(X), unlock(Y), fini(c1)]);
  return b.compile();
}

describe('ww_mutex: Wait-Die (reservation_ww_class)', () => {
  it('stamps come from the per-class counter; ctx = 1 + stamp', () => {
    const { ts, ev } = waitDie();
    const s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok']);
    expect(val(ts, s, 'ctx.c0.T0')).toBe(1);
    expect(val(ts, s, 'ctx.c1.T1')).toBe(2);
    expect(val(ts, s, 'stamp.reservation_ww_class')).toBe(2);
    expect(ts.vars.find((v) => v.name === 'stamp.reservation_ww_class')!.max).toBe(2);
  });

  it('the younger requester dies with -EDEADLK, the older one waits', () => {
    const { ts, ev } = waitDie();
    const s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok', 'T0:0.1:ok', 'T1:1.1:ok']);
    expect(val(ts, s, 'wwholder.X')).toBe(1);
    expect(val(ts, s, 'wwholder.Y')).toBe(2);
    // T0 (stamp 0) waits for Y; T1 (stamp 1) gets -EDEADLK on X.
    expect(enabledDesc(ts, ev, s)).toEqual(['T1:1.2:EDEADLK']);
    const s2 = fire(ts, ev, s, 'T1:1.2:EDEADLK');
    expect(val(ts, s2, 'owner.X')).toBe(1);
    expect(val(ts, s2, 'pc.T1')).toBe(3);
  });

  it('the same schedule with swapped stamps kills the other thread', () => {
    const { ts, ev } = waitDie();
    const s = run(ts, ev, ['T1:1.0:ok', 'T0:0.0:ok', 'T0:0.1:ok', 'T1:1.1:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.2:EDEADLK']);
  });

  it('a context that holds nothing waits instead of dying', () => {
    const b = new ModelBuilder();
    const X = b.inst('dma_resv', 'X', { wwClass: 'reservation_ww_class' });
    const c0 = b.inst('ww_ctx', 'c0', { local: true });
    const c1 = b.inst('ww_ctx', 'c1', { local: true });
    b.thread('T0', [init(c0), resvLock(X, c0), unlock(X)]);
    b.thread('T1', [init(c1), resvLock(X, c1)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok', 'T0:0.1:ok']);
    // T1 is younger but holds nothing: no -EDEADLK, it waits.
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.2:ok']);
    const s2 = fire(ts, ev, s, 'T0:0.2:ok');
    expect(enabledDesc(ts, ev, s2)).toEqual(['T1:1.1:ok']);
  });

  it('-EALREADY when the same context locks again; nothing changes', () => {
    const b = new ModelBuilder();
    const X = b.inst('dma_resv', 'X');
    const c0 = b.inst('ww_ctx', 'c0', { local: true });
    b.thread('T0', [init(c0), resvLock(X, c0), resvLock(X, c0), unlock(X), fini(c0)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.2:EALREADY']);
    const s2 = fire(ts, ev, s, 'T0:0.2:EALREADY');
    expect(val(ts, s2, 'owner.X')).toBe(1);
    const s3 = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:EALREADY', 'T0:0.3:ok', 'T0:0.4:ok']);
    expect(val(ts, s3, 'ctx.c0.T0')).toBe(0);
    expect(val(ts, s3, 'owner.X')).toBe(0);
    expect(val(ts, s3, 'wwholder.X')).toBe(0);
  });

  it('a holder without context is waited for; NULL ctx behaves as a mutex', () => {
    const b = new ModelBuilder();
    const X = b.inst('dma_resv', 'X');
    const Y = b.inst('dma_resv', 'Y');
    const c1 = b.inst('ww_ctx', 'c1', { local: true });
    b.thread('T0', [resvLock(X), unlock(X)]);
    b.thread('T1', [init(c1), resvLock(Y, c1), resvLock(X, c1)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok', 'T1:1.1:ok']);
    expect(val(ts, s, 'wwholder.X')).toBe(0);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.1:ok']);
  });

  it('slow lock blocks until the lock is free', () => {
    const b = new ModelBuilder();
    const X = b.inst('dma_resv', 'X');
    const c1 = b.inst('ww_ctx', 'c1', { local: true });
    b.thread('T0', [resvLock(X), unlock(X)]);
    b.thread('T1', [init(c1), resvLock(X, c1, { slow: true, api: 'dma_resv_lock_slow' })]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.1:ok']);
    s = fire(ts, ev, s, 'T0:0.1:ok');
    s = fire(ts, ev, s, 'T1:1.1:ok');
    expect(val(ts, s, 'owner.X')).toBe(2);
    expect(val(ts, s, 'wwholder.X')).toBe(1);
  });
});

describe('ww_mutex: Wound-Wait (crtc_ww_class)', () => {
  function woundWait() {
    const b = new ModelBuilder();
    const M1 = b.inst('ww_mutex', 'M1', { wwClass: 'crtc_ww_class' });
    const M2 = b.inst('ww_mutex', 'M2', { wwClass: 'crtc_ww_class' });
    const c0 = b.inst('ww_ctx', 'c0', { local: true });
    const c1 = b.inst('ww_ctx', 'c1', { local: true });
    const wl = (l: number, c: number) => lock(l, { api: 'ww_mutex_lock', ctx: c });
    b.thread('T0', [init(c0, 'crtc_ww_class'), wl(M2, c0), wl(M1, c0)]);
    b.thread('T1', [init(c1, 'crtc_ww_class'), wl(M1, c1), wl(M2, c1)]);
    return b.compile();
  }

  it('a younger requester waits; it is not killed by age', () => {
    const { ts, ev } = woundWait();
    const s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok', 'T0:0.1:ok', 'T1:1.1:ok']);
    // Both now want the other's lock. T0 is older: it waits and wounds T1,
    // which gets -EDEADLK at its (contended) attempt on M2.
    expect(enabledDesc(ts, ev, s)).toEqual(['T1:1.2:EDEADLK']);
  });

  it('no wound without an older waiter', () => {
    const { ts, ev } = woundWait();
    // T1 is the older one here: T0 (younger) waits on M1 held by T1 ...
    const s = run(ts, ev, ['T1:1.0:ok', 'T0:0.0:ok', 'T1:1.1:ok', 'T0:0.1:ok']);
    // ... and T0 holds M2 which older T1 requests: T0 is wounded.
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.2:EDEADLK']);
    const s2 = run(ts, ev, ['T1:1.0:ok', 'T0:0.0:ok', 'T0:0.1:ok']);
    // M1 is still free: both may take it, nobody is wounded.
    expect(enabledDesc(ts, ev, s2)).toEqual(['T0:0.2:ok', 'T1:1.1:ok']);
  });
});
