import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import { ModelBuilder, enabledDesc, explore, fire, lock, run, unlock, val } from './builder.js';

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

describe('ww backoff protocol, exhaustively', () => {
  // T locks A then B in one context; on -EDEADLK it releases A, sleeps on
  // B with lock_slow, then retries A once (giving up on a second -EDEADLK).
  // `backoff: false` keeps A held while sleeping on B (a WW-2 violation).
  function protocol(backoff: boolean) {
    const b = new ModelBuilder();
    const X = b.inst('dma_resv', 'X');
    const Y = b.inst('dma_resv', 'Y');
    const mk = (name: string, A: number, B: number) => {
      const c = b.inst('ww_ctx', `c_${name}`, { local: true });
      const L = (l: number, extra: Partial<Extract<Op, { kind: 'lock' }>> = {}): Op => lock(l, { api: 'dma_resv_lock', ctx: c, ...extra });
      const p = b.raw(name, 'thread', [
        { kind: 'op', id: 0, op: init(c), next: { ok: 1 } },
        { kind: 'op', id: 1, op: L(A), next: { ok: 2, EDEADLK: 11, EALREADY: 2 } },
        { kind: 'op', id: 2, op: L(B), next: { ok: 3, EDEADLK: backoff ? 5 : 6, EALREADY: 3 } },
        { kind: 'op', id: 3, op: unlock(B), next: { ok: 4 } },
        { kind: 'op', id: 4, op: unlock(A), next: { ok: 11 } },
        { kind: 'op', id: 5, op: unlock(A), next: { ok: 6 } },
        { kind: 'op', id: 6, op: L(B, { slow: true, api: 'dma_resv_lock_slow' }), next: { ok: 7 } },
        { kind: 'op', id: 7, op: L(A), next: { ok: 8, EDEADLK: 10, EALREADY: 8 } },
        { kind: 'op', id: 8, op: unlock(A), next: { ok: 10 } },
        { kind: 'end', id: 9 },
        { kind: 'op', id: 10, op: unlock(B), next: { ok: 11 } },
        { kind: 'op', id: 11, op: fini(c), next: { ok: 9 } },
      ]);
      b.threadOf(name, p);
    };
    mk('T0', X, Y);
    mk('T1', Y, X);
    return b.compile();
  }

  it('with backoff no reachable state is a deadlock and every run ends', () => {
    const { ev } = protocol(true);
    let dead = 0;
    let ends = 0;
    const n = explore(ev, (s) => {
      if (ev.isDeadlock(s)) dead++;
      if (ev.isTerminal(s)) ends++;
    });
    expect(dead).toBe(0);
    expect(ends).toBeGreaterThan(0);
    expect(n).toBeGreaterThan(20);
  });

  it('sleeping on the contended lock while holding the other deadlocks', () => {
    const { ts, ev } = protocol(false);
    const dead: string[] = [];
    explore(ev, (s) => {
      if (ev.isDeadlock(s)) dead.push(ev.describe(s, true));
    });
    expect(dead.length).toBeGreaterThan(0);
    // T1 (younger) dies on X, keeps Y and sleeps on X, held by T0 who waits for Y.
    const s = run(ts, ev, ['T0:0.0:ok', 'T1:1.0:ok', 'T0:0.1:ok', 'T1:1.1:ok', 'T1:1.2:EDEADLK']);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
  });
});
