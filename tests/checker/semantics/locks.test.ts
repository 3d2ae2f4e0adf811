import { describe, expect, it } from 'vitest';
import { ModelBuilder, enabledDesc, explore, fire, lock, run, unlock, val } from './builder.js';

function abba() {
  const b = new ModelBuilder();
  const A = b.mutex('A');
  const B = b.mutex('B');
  b.thread('T0', [lock(A), lock(B), unlock(B), unlock(A)]);
  b.thread('T1', [lock(B), lock(A), unlock(A), unlock(B)]);
  return b.compile();
}

describe('mutexes', () => {
  it('lays out variables and threads in a fixed order', () => {
    const { ts } = abba();
    expect(ts.vars.map((v) => `${v.name}:${v.max}:${v.width}`)).toEqual([
      'pc.T0:4:3',
      'pc.T1:4:3',
      'owner.A:2:2',
      'owner.B:2:2',
    ]);
    expect(ts.threads.map((t) => `${t.name}:${t.kind}:${t.liveness}`)).toEqual(['T0:thread:mandatory', 'T1:thread:mandatory']);
    expect(ts.transitions.length).toBe(8);
    expect(ts.completenessBound).toBe(8);
    expect(ts.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a held mutex blocks the other thread, unlock frees it', () => {
    const { ts, ev } = abba();
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.0:ok', 'T1:1.0:ok']);
    s = fire(ts, ev, s, 'T0:0.0:ok');
    expect(val(ts, s, 'owner.A')).toBe(1);
    expect(val(ts, s, 'pc.T0')).toBe(1);
    s = fire(ts, ev, s, 'T1:1.0:ok');
    expect(val(ts, s, 'owner.B')).toBe(2);
    // ABBA: each waits for the other.
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isTerminal(s)).toBe(true);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([0, 1]);
    expect(ev.checkProperties(s)).toEqual([0]);
  });

  it('a complete run ends in a terminal state that is not a deadlock', () => {
    const { ts, ev } = abba();
    const s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok', 'T0:0.3:ok', 'T1:1.0:ok', 'T1:1.1:ok', 'T1:1.2:ok', 'T1:1.3:ok']);
    expect(ev.isTerminal(s)).toBe(true);
    expect(ev.isDeadlock(s)).toBe(false);
    expect(ev.threadDone(s, 0)).toBe(true);
    expect(val(ts, s, 'owner.A')).toBe(0);
    expect(val(ts, s, 'owner.B')).toBe(0);
  });

  it('exhaustive exploration finds exactly the ABBA deadlock state', () => {
    const { ts, ev } = abba();
    const dead: string[] = [];
    const n = explore(ev, (s) => {
      if (ev.isDeadlock(s)) dead.push(ev.describe(s));
    });
    expect(dead).toEqual(['pc.T0=1 pc.T1=1 owner.A=1 owner.B=2']);
    expect(n).toBeGreaterThan(10);
    expect(ts.transitions.every((t) => t.reads.includes(0) || t.reads.includes(1))).toBe(true);
  });

  it('relocking a held mutex deadlocks the thread itself', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    b.thread('T0', [lock(A), lock(A)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok']);
    expect(ev.isDeadlock(s)).toBe(true);
  });

  it('trylock: ok iff free, fail otherwise', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    b.thread('T0', [lock(A)]);
    b.thread('T1', [lock(A, { trylock: true, api: 'mutex_trylock' })]);
    const { ts, ev } = b.compile();
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.0:ok', 'T1:1.0:ok']);
    s = fire(ts, ev, s, 'T0:0.0:ok');
    expect(enabledDesc(ts, ev, s)).toEqual(['T1:1.0:fail']);
    s = fire(ts, ev, s, 'T1:1.0:fail');
    expect(val(ts, s, 'owner.A')).toBe(1);
  });

  it('rwsem: readers share, a writer needs no readers, read needs no writer', () => {
    const b = new ModelBuilder();
    const S = b.inst('rwsem', 'S');
    b.thread('R0', [lock(S, { mode: 'read', api: 'down_read' }), unlock(S)]);
    b.thread('R1', [lock(S, { mode: 'read', api: 'down_read' }), unlock(S)]);
    b.thread('W', [{ kind: 'might_sleep', api: 'might_sleep' }, lock(S, { api: 'down_write' }), unlock(S)]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['R0:0.0:ok', 'R1:1.0:ok']);
    expect(val(ts, s, 'readers.S')).toBe(0b011);
    expect(enabledDesc(ts, ev, s)).toEqual(['R0:0.1:ok', 'R1:1.1:ok', 'W:2.0:ok']);
    s = fire(ts, ev, s, 'R0:0.1:ok');
    expect(val(ts, s, 'readers.S')).toBe(0b010);
    s = run(ts, ev, ['R0:0.0:ok', 'R1:1.0:ok', 'R0:0.1:ok', 'R1:1.1:ok', 'W:2.0:ok', 'W:2.1:ok']);
    expect(val(ts, s, 'owner.S')).toBe(3);
    const s2 = run(ts, ev, ['W:2.0:ok', 'W:2.1:ok']);
    expect(enabledDesc(ts, ev, s2)).toEqual(['W:2.2:ok']);
  });

  it('rwsem writer preference: no new reader while a writer sleeps on the lock', () => {
    const b = new ModelBuilder();
    const S = b.inst('rwsem', 'S');
    b.thread('R0', [lock(S, { mode: 'read', api: 'down_read' }), unlock(S)]);
    b.thread('R1', [lock(S, { mode: 'read', api: 'down_read' }), unlock(S)]);
    b.thread('W', [{ kind: 'might_sleep', api: 'might_sleep' }, lock(S, { api: 'down_write' }), unlock(S)]);
    b.thread('T', [{ kind: 'might_sleep', api: 'might_sleep' }, lock(S, { mode: 'read', trylock: true, api: 'down_read_trylock' })]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['R0:0.0:ok', 'W:2.0:ok', 'T:3.0:ok']);
    // W sleeps (R0 reads): R1 queues behind it, a read trylock fails.
    expect(enabledDesc(ts, ev, s)).toEqual(['R0:0.1:ok', 'T:3.1:fail']);
  });

  it('a fault under mmap_read_lock deadlocks behind a waiting mmap_write_lock', () => {
    const b = new ModelBuilder();
    const mm = b.inst('mm', 'mm');
    b.thread('T0', [lock(mm, { mode: 'read', api: 'mmap_read_lock' }), { kind: 'user_access', api: 'copy_to_user', mm }, unlock(mm)]);
    b.thread('T1', [lock(mm, { api: 'mmap_write_lock' }), unlock(mm)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
  });

  it('rwlock recursive read is allowed while the thread reads', () => {
    const b = new ModelBuilder();
    const L = b.inst('rwlock', 'L');
    b.thread('T0', [lock(L, { mode: 'recursive_read', api: 'read_lock' }), lock(L, { mode: 'recursive_read', api: 'read_lock' }), unlock(L)]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok']);
    expect(ev.threadDone(s, 0)).toBe(true);
    expect(val(ts, s, 'readers.L')).toBe(0);
  });

  it('spin_lock_irqsave nests: irqrestore of the inner lock keeps irqs off', () => {
    const b = new ModelBuilder();
    const A = b.inst('spinlock', 'A');
    const B = b.inst('spinlock', 'B');
    const irqsave = { irqsave: true, api: 'spin_lock_irqsave' };
    const irqrestore = { irqrestore: true, api: 'spin_unlock_irqrestore' };
    b.thread('T0', [lock(A, irqsave), lock(B, irqsave), unlock(B, irqrestore), unlock(A, irqrestore)]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok']);
    expect(val(ts, s, 'irqsave.T0')).toBe(2);
    s = fire(ts, ev, s, 'T0:0.2:ok');
    expect(val(ts, s, 'irqsave.T0')).toBe(1);
    s = fire(ts, ev, s, 'T0:0.3:ok');
    expect(val(ts, s, 'irqsave.T0')).toBe(0);
  });

  it('per-thread enabled sets and the static pc index', () => {
    const { ts, ev } = abba();
    const out = new Int32Array(8);
    const s = ev.initial();
    expect(ev.enabledOfThreadInto(s, 1, out)).toBe(1);
    expect(out[0]).toBe(4);
    expect(Array.from(ev.transitionsAt(0, 1))).toEqual([1]);
    expect(Array.from(ev.transitionsAt(0, 4))).toEqual([]);
    expect(ev.enabledInto(s, out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([0, 4]);
    expect(ts.transitions[4]!.thread).toBe(1);
  });

  it('is deterministic: same model, same system', () => {
    const a = abba().ts;
    const b2 = abba().ts;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b2));
  });
});
