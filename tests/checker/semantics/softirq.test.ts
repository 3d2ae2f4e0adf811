/**
 * Softirq handlers (open_softirq, tasklets, timers) in the reference
 * semantics: where they may land (a task with irqs and bh on, no other
 * interrupt on it), what masks them (bh nesting), and how they nest with
 * hard irqs (a hard irq preempts a softirq, never the reverse). And
 * queued-rwlock readers behind a waiting writer outside in_interrupt().
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import { ModelBuilder, enabledDesc, fire, lock, run, unlock, val } from './builder.js';

const nop: Op = { kind: 'might_sleep', api: 'might_sleep' };
const bhOff: Op = { kind: 'local_bh_disable', api: 'local_bh_disable' };
const bhOn: Op = { kind: 'local_bh_enable', api: 'local_bh_enable' };

function softirqModel(task: (S: number) => Op[]) {
  const b = new ModelBuilder();
  const S = b.inst('spinlock', 'S');
  const h = b.seq('handler', 'softirq', [lock(S, { api: 'spin_lock' }), unlock(S, { api: 'spin_unlock' })]);
  b.register('softirq', h);
  b.thread('T0', task(S));
  return b.compile();
}

describe('softirq handlers', () => {
  it('land on a task with bh on, occupy it, and spin forever on a lock it holds', () => {
    const { ts, ev } = softirqModel((S) => [lock(S, { api: 'spin_lock' }), unlock(S, { api: 'spin_unlock' })]);
    expect(ts.threads.map((t) => `${t.name}:${t.kind}:${t.liveness}`)).toEqual(['T0:thread:mandatory', 'softirq:handler:softirq:optional']);
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.0:ok', 'softirq:handler:0.0:irq-fire']);
    s = fire(ts, ev, s, 'T0:1.0:ok');
    s = fire(ts, ev, s, 'softirq:handler:0.0:irq-fire');
    expect(val(ts, s, 'irqhost.softirq:handler')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([0, 1]);
  });

  it('spin_lock_bh keeps the softirq off the task while the lock is held', () => {
    const { ts, ev } = softirqModel((S) => [lock(S, { api: 'spin_lock_bh', bh: true }), unlock(S, { api: 'spin_unlock_bh', bh: true })]);
    let s = run(ts, ev, ['T0:1.0:ok']);
    expect(val(ts, s, 'bh.T0')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok']);
    s = fire(ts, ev, s, 'T0:1.1:ok');
    expect(val(ts, s, 'bh.T0')).toBe(0);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(false);
  });

  it('bh sections nest: an inner spin_unlock_bh leaves softirqs masked until local_bh_enable', () => {
    const { ts, ev } = softirqModel((S) => [bhOff, lock(S, { api: 'spin_lock_bh', bh: true }), unlock(S, { api: 'spin_unlock_bh', bh: true }), bhOn, nop]);
    let s = run(ts, ev, ['T0:1.0:ok', 'T0:1.1:ok', 'T0:1.2:ok']);
    expect(val(ts, s, 'bh.T0')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.3:ok']);
    s = fire(ts, ev, s, 'T0:1.3:ok');
    expect(val(ts, s, 'bh.T0')).toBe(0);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.4:ok', 'softirq:handler:0.0:irq-fire']);
  });

  it('irqs off mask softirqs too', () => {
    const { ts, ev } = softirqModel((S) => [lock(S, { api: 'spin_lock_irq', irqsave: true }), unlock(S, { api: 'spin_unlock_irq', irqrestore: true })]);
    const s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok']);
  });

  it('a hard irq preempts a running softirq; neither lands on a task the other occupies', () => {
    const b = new ModelBuilder();
    const sh = b.seq('bh_handler', 'softirq', [nop]);
    const ih = b.seq('irq_handler', 'irq', [nop]);
    b.register('softirq', sh);
    b.register('irq', ih);
    b.thread('T0', [nop]);
    const { ts, ev } = b.compile();
    expect(ts.threads.map((t) => `${t.name}:${t.kind}`)).toEqual(['T0:thread', 'irq:irq_handler:irq', 'softirq:bh_handler:softirq']);
    let s = fire(ts, ev, ev.initial(), 'softirq:bh_handler:0.0:irq-fire');
    // The task is occupied; the hard irq may land on the softirq.
    expect(enabledDesc(ts, ev, s)).toEqual(['irq:irq_handler:1.0:irq-fire', 'softirq:bh_handler:0.0:ok']);
    s = fire(ts, ev, s, 'irq:irq_handler:1.0:irq-fire');
    expect(val(ts, s, 'irqhost.irq:irq_handler')).toBe(3);
    expect(enabledDesc(ts, ev, s)).toEqual(['irq:irq_handler:1.0:ok']);
    // A softirq never lands on a task a hard irq occupies.
    const s2 = fire(ts, ev, ev.initial(), 'irq:irq_handler:1.0:irq-fire');
    expect(enabledDesc(ts, ev, s2)).toEqual(['irq:irq_handler:1.0:ok']);
  });
});

describe('queued rwlock readers', () => {
  function build(opts: { bh: boolean }) {
    const b = new ModelBuilder();
    const L = b.inst('rwlock', 'L');
    const rd = (api: string, extra = {}) => lock(L, { api, mode: 'recursive_read', ...extra });
    const ru = (api: string, extra = {}) => unlock(L, { api, ...extra });
    const inner = opts.bh ? [rd('read_lock_bh', { bh: true }), ru('read_unlock_bh', { bh: true })] : [rd('read_lock'), ru('read_unlock')];
    b.thread('R', [rd('read_lock'), ...inner, ru('read_unlock')]);
    b.thread('W', [lock(L, { api: 'write_lock' }), unlock(L, { api: 'write_unlock' })]);
    return b.compile();
  }

  it('a task reader queues behind a waiting writer: read, write waits, read again deadlocks', () => {
    const { ts, ev } = build({ bh: false });
    const s = run(ts, ev, ['R:0.0:ok']);
    // W is at its write_lock, blocked by the reader: a waiting writer,
    // which R's second read_lock queues behind.
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([0, 1]);
  });

  it('read_lock_bh is in_interrupt(): it passes the waiting writer', () => {
    const { ts, ev } = build({ bh: true });
    const s = run(ts, ev, ['R:0.0:ok', 'R:0.1:ok', 'R:0.2:ok', 'R:0.3:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['W:1.0:ok']);
  });
});
