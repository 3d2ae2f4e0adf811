import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import { ModelBuilder, enabledDesc, fire, lock, run, unlock, val } from './builder.js';

describe('irq handlers', () => {
  function irqModel(irqsave: boolean) {
    const b = new ModelBuilder();
    const S = b.inst('spinlock', 'S');
    const h = b.seq('handler', 'irq', [lock(S, { api: 'spin_lock' }), unlock(S, { api: 'spin_unlock' })]);
    b.register('irq', h);
    const ex = irqsave ? { irqsave: true, api: 'spin_lock_irqsave' } : { api: 'spin_lock' };
    b.thread('T0', [lock(S, ex), unlock(S, irqsave ? { irqrestore: true } : {})]);
    return b.compile();
  }

  it('fires on a running host and runs as its own lock owner', () => {
    const { ts, ev } = irqModel(false);
    expect(ts.threads.map((t) => `${t.name}:${t.kind}:${t.liveness}`)).toEqual(['T0:thread:mandatory', 'irq:handler:irq:optional']);
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.0:ok', 'irq:handler:0.0:irq-fire']);
    s = fire(ts, ev, s, 'irq:handler:0.0:irq-fire');
    expect(val(ts, s, 'irqhost.irq:handler')).toBe(1);
    // The host cannot step while the irq runs on it.
    expect(enabledDesc(ts, ev, s)).toEqual(['irq:handler:0.0:ok']);
    s = fire(ts, ev, s, 'irq:handler:0.0:ok');
    expect(val(ts, s, 'owner.S')).toBe(2);
    s = fire(ts, ev, s, 'irq:handler:0.1:ok');
    s = fire(ts, ev, s, 'irq:handler:0.2:irq-return');
    expect(val(ts, s, 'irqhost.irq:handler')).toBe(0);
    expect(val(ts, s, 'fires.irq:handler')).toBe(1);
    // irqFires = 1: it cannot fire again.
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.0:ok']);
  });

  it('an irq spinning on a lock its host holds is a deadlock', () => {
    const { ts, ev } = irqModel(false);
    const s = run(ts, ev, ['T0:1.0:ok', 'irq:handler:0.0:irq-fire']);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([0, 1]);
  });

  it('spin_lock_irqsave keeps the irq off the host while the lock is held', () => {
    const { ts, ev } = irqModel(true);
    let s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok']);
    s = fire(ts, ev, s, 'T0:1.1:ok');
    // T0 is done: no host left, the irq never fires, nothing is stuck.
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(false);
    expect(ts.completenessBound).toBe(2 + 4);
  });
});

describe('irq hosts', () => {
  it('an irq lands on a running work, not on a pending one, and freezes it', () => {
    const b = new ModelBuilder();
    const h = b.seq('handler', 'irq', [{ kind: 'might_sleep', api: 'might_sleep' }]);
    b.register('irq', h);
    const fn = b.seq('fn', 'work', [{ kind: 'might_sleep', api: 'might_sleep' }]);
    const w = b.inst('work', 'w', { proc: fn });
    b.thread('T0', [{ kind: 'local_irq_disable', api: 'local_irq_disable' }, { kind: 'queue_work', api: 'queue_work', work: w }]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['T0:2.0:ok', 'T0:2.1:ok']);
    // T0 is done, the work is queued but not running: no host yet.
    expect(enabledDesc(ts, ev, s)).toEqual(['work:w:1.0:thread-start']);
    s = fire(ts, ev, s, 'work:w:1.0:thread-start');
    expect(enabledDesc(ts, ev, s)).toEqual(['work:w:1.0:ok', 'irq:handler:0.0:irq-fire']);
    s = fire(ts, ev, s, 'irq:handler:0.0:irq-fire');
    expect(val(ts, s, 'irqhost.irq:handler')).toBe(2);
    expect(enabledDesc(ts, ev, s)).toEqual(['irq:handler:0.0:ok']);
  });
});

describe('irq handlers that signal fences', () => {
  function fenceIrq(irqOff: boolean) {
    const b = new ModelBuilder();
    const F = b.inst('dma_fence', 'F');
    const h = b.seq('handler', 'irq', [{ kind: 'fence_signal', api: 'dma_fence_signal', fence: F, guaranteed: true }]);
    b.register('irq', h);
    const pre: Op[] = irqOff ? [{ kind: 'local_irq_disable', api: 'local_irq_disable' }] : [];
    b.thread('T0', [...pre, { kind: 'fence_wait', api: 'dma_fence_wait', fence: F, timeout: 'infinite' }]);
    return b.compile();
  }

  it('are owed their run: a wait for their fence is not a deadlock before they fired', () => {
    const { ts, ev } = fenceIrq(false);
    expect(ts.threads[1]!.liveness).toBe('mandatory');
    const s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['irq:handler:0.0:irq-fire']);
    expect(ev.isTerminal(s)).toBe(false);
    const s2 = run(ts, ev, ['irq:handler:0.0:irq-fire', 'irq:handler:0.0:ok', 'irq:handler:0.1:irq-return', 'T0:1.0:ok']);
    expect(ev.isTerminal(s2)).toBe(true);
    expect(ev.isDeadlock(s2)).toBe(false);
  });

  it('waiting with irqs off for an irq-signalled fence is a deadlock', () => {
    const { ts, ev } = fenceIrq(true);
    const s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([0]);
  });
});

describe('work items', () => {
  const queue = (w: number): Op => ({ kind: 'queue_work', api: 'queue_work', work: w });
  const flush = (w: number): Op => ({ kind: 'flush_work', api: 'flush_work', work: w });

  function workModel() {
    const b = new ModelBuilder();
    const L = b.mutex('L');
    const fn = b.seq('fn', 'work', [lock(L), unlock(L)]);
    const w = b.inst('work', 'w', { proc: fn });
    b.thread('T0', [lock(L), queue(w), flush(w), unlock(L)]);
    return b.compile();
  }

  it('a work does not start before queue_work and is then owed progress', () => {
    const { ts, ev } = workModel();
    expect(ts.threads.map((t) => `${t.name}:${t.liveness}`)).toEqual(['T0:mandatory', 'work:w:optional']);
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.0:ok']);
    s = run(ts, ev, ['T0:1.0:ok', 'T0:1.1:ok']);
    expect(val(ts, s, 'work.w')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['work:w:0.0:thread-start']);
    s = fire(ts, ev, s, 'work:w:0.0:thread-start');
    // flush_work under L while the work needs L: deadlock.
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    expect(ev.stuckThreads(s)).toEqual([0, 1]);
  });

  it('flush_work returns once the work finished, and at once for an idle work', () => {
    const b = new ModelBuilder();
    const fn = b.seq('fn', 'work', [{ kind: 'might_sleep', api: 'might_sleep' }]);
    const w = b.inst('work', 'w', { proc: fn });
    b.thread('T0', [flush(w), queue(w), queue(w), flush(w)]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['T0:1.0:ok', 'T0:1.1:ok', 'T0:1.2:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['work:w:0.0:thread-start']);
    s = run(ts, ev, ['T0:1.0:ok', 'T0:1.1:ok', 'T0:1.2:ok', 'work:w:0.0:thread-start', 'work:w:0.0:ok']);
    expect(ev.threadDone(s, 1)).toBe(true);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.3:ok']);
    s = fire(ts, ev, s, 'T0:1.3:ok');
    expect(ev.isTerminal(s)).toBe(true);
    expect(ev.isDeadlock(s)).toBe(false);
  });

  it('a never-queued work does not count as stuck', () => {
    const b = new ModelBuilder();
    const fn = b.seq('fn', 'work', []);
    b.inst('work', 'w', { proc: fn });
    b.thread('T0', []);
    const { ts, ev } = b.compile();
    const s = ev.initial();
    expect(ev.isTerminal(s)).toBe(true);
    expect(ev.isDeadlock(s)).toBe(false);
    expect(ts.threads[1]!.notStarted).toEqual({ k: 'eq', a: { k: 'var', v: ts.vars.find((v) => v.name === 'work.w')!.id }, b: { k: 'const', v: 0 } });
  });
});

describe('user access, pagefaults, signalling sections', () => {
  it('a fault takes mmap_lock for read: it blocks under the thread\'s own mmap write lock', () => {
    const b = new ModelBuilder();
    const mm = b.inst('mm', 'mm', { lockClass: '&mm->mmap_lock' });
    b.thread('T0', [lock(mm, { api: 'mmap_write_lock' }), { kind: 'user_access', api: 'copy_to_user', mm }]);
    b.thread('T1', [lock(mm, { api: 'mmap_read_lock', mode: 'read' }), { kind: 'user_access', api: 'copy_to_user', mm }]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual([]);
    expect(ev.isDeadlock(s)).toBe(true);
    // T1's fault under its own read lock queues behind T0's waiting writer.
    const s2 = run(ts, ev, ['T1:1.0:ok']);
    expect(enabledDesc(ts, ev, s2)).toEqual([]);
    expect(ev.isDeadlock(s2)).toBe(true);
  });

  it('GUP and hmm_range_fault under the caller\'s mmap_lock take nothing more', () => {
    const b = new ModelBuilder();
    const mm = b.inst('mm', 'mm');
    b.thread('T0', [lock(mm, { mode: 'read', api: 'mmap_read_lock' }), { kind: 'user_access', api: 'hmm_range_fault', mm }, unlock(mm)]);
    b.thread('T1', [lock(mm, { api: 'mmap_write_lock' }), unlock(mm)]);
    b.thread('T2', [{ kind: 'user_access', api: 'get_user_pages_fast', mm }]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok']);
    // T1 sleeps on the write side: hmm_range_fault goes on, a GUP-fast fallback queues.
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.1:ok']);
    const s2 = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok', 'T1:1.0:ok']);
    expect(enabledDesc(ts, ev, s2)).toEqual(['T1:1.1:ok']);
  });

  it('with pagefaults disabled the access does not fault: ok or -EFAULT, never blocks', () => {
    const b = new ModelBuilder();
    const mm = b.inst('mm', 'mm');
    b.thread('T0', [
      lock(mm, { api: 'mmap_write_lock' }),
      { kind: 'pagefault_disable', api: 'pagefault_disable' },
      { kind: 'user_access', api: 'copy_to_user', mm },
      { kind: 'pagefault_enable', api: 'pagefault_enable' },
    ]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok']);
    expect(val(ts, s, 'flags.T0')).toBe(2);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.2:ok', 'T0:0.2:fail']);
    const s2 = run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:fail', 'T0:0.3:ok']);
    expect(val(ts, s2, 'flags.T0')).toBe(0);
  });

  it('signalling sections nest by depth', () => {
    const b = new ModelBuilder();
    const c1 = b.inst('signalling_cookie', 'c1', { local: true });
    const c2 = b.inst('signalling_cookie', 'c2', { local: true });
    b.thread('T0', [
      { kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie: c1 },
      { kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie: c2 },
      { kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie: c2 },
      { kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie: c1 },
    ]);
    const { ts, ev } = b.compile();
    expect(val(ts, run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok']), 'sigdepth.T0')).toBe(2);
    expect(val(ts, run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok']), 'sigdepth.T0')).toBe(1);
    expect(val(ts, run(ts, ev, ['T0:0.0:ok', 'T0:0.1:ok', 'T0:0.2:ok', 'T0:0.3:ok']), 'sigdepth.T0')).toBe(0);
  });

  it('local_irq_disable keeps irqs off the host until local_irq_enable', () => {
    const b = new ModelBuilder();
    const h = b.seq('handler', 'irq', []);
    b.register('irq', h);
    b.thread('T0', [{ kind: 'local_irq_disable', api: 'local_irq_disable' }, { kind: 'local_irq_enable', api: 'local_irq_enable' }]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:1.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:1.1:ok']);
  });
});
