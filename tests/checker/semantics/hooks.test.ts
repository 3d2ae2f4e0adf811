import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import { SemanticsError } from '../../../checker/semantics/context.js';
import { and, cnst, eq, vr } from '../../../checker/semantics/expr.js';
import type { Property } from '../../../checker/semantics/system.js';
import { ModelBuilder, OPTS, enabledDesc, fire, lock, run, unlock, val } from './builder.js';
import { compileSystem } from '../../../checker/semantics/compile.js';

describe('the properties hook', () => {
  it('adds monitor variables, updates, guards and step properties through the context', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    b.thread('T0', [lock(A), unlock(A)]);
    b.thread('T1', [lock(A), unlock(A)]);
    const { ts, ev } = b.compile({}, (ctx) => {
      const m = ctx.addVar('mon.count', 2, 0, { kind: 'monitor', rule: 'r', check: 'c' });
      const props: Property[] = [];
      const locks = ctx.steps.filter((s) => s.op?.kind === 'lock').map((s) => s.id);
      for (const t of locks) {
        ctx.addUpdate(t, m, { k: 'ite', c: { k: 'lt', a: vr(m), b: cnst(2) }, t: { k: 'add', a: vr(m), b: cnst(1) }, e: vr(m) });
        ctx.markVisible(t);
      }
      // T1 may only lock after T0 did.
      ctx.addGuardConjunct(locks[1]!, eq(vr(m), cnst(1)));
      props.push({ kind: 'step', rule: 'r', check: 'second', transitions: locks, when: and(eq(vr(m), cnst(1))) });
      props.push({ kind: 'state', rule: 'r', check: 'two', bad: eq(vr(m), cnst(2)) });
      props.push({ kind: 'terminal', rule: 'r', check: 'end', bad: eq(vr(m), cnst(2)) });
      expect(() => ctx.addUpdate(locks[0]!, m, cnst(0))).toThrow(/already updates mon.count/);
      return props;
    });
    expect(ts.vars.at(-1)!.name).toBe('mon.count');
    const lockT = ts.transitions.filter((t) => t.visible).map((t) => t.id);
    expect(lockT).toEqual([0, 2]);
    expect(ts.transitions[2]!.reads).toEqual([1, 2, 3]);
    expect(ts.transitions[2]!.writes).toEqual([1, 2, 3]);
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.0:ok']);
    expect(ev.checkProperties(s, 0)).toEqual([]);
    s = fire(ts, ev, s, 'T0:0.0:ok');
    s = fire(ts, ev, s, 'T0:0.1:ok');
    expect(val(ts, s, 'mon.count')).toBe(1);
    expect(ev.checkProperties(s, 2)).toEqual([0]);
    s = fire(ts, ev, s, 'T1:1.0:ok');
    expect(ev.checkProperties(s)).toEqual([1]);
    s = fire(ts, ev, s, 'T1:1.1:ok');
    expect(ev.isTerminal(s)).toBe(true);
    expect(ev.checkProperties(s)).toEqual([1, 2]);
  });

  it('the hash changes with the properties and the options', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    b.thread('T0', [lock(A), unlock(A)]);
    const h1 = b.compile().ts.hash;
    const h2 = b.compile({}, () => []).ts.hash;
    const h3 = b.compile({ irqFires: 2 }).ts.hash;
    expect(new Set([h1, h2, h3]).size).toBe(3);
    expect(b.compile().ts.hash).toBe(h1);
  });
});

describe('limits and malformed IR', () => {
  it('too many engine threads is LMC460', () => {
    const b = new ModelBuilder();
    for (let i = 0; i < 32; i++) b.thread(`T${i}`, []);
    let err: unknown;
    try {
      b.compile();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SemanticsError);
    expect((err as SemanticsError).code).toBe('LMC460');
    expect((err as SemanticsError).message).toBe('the model needs 32 engine threads (threads, works, irqs, softirqs, kswapd); at most 31 are supported');
  });

  it('more than 31 fences published into one resv is LMC462', () => {
    const b = new ModelBuilder();
    const R = b.inst('dma_resv', 'R');
    const ops: Op[] = [];
    for (let i = 0; i < 32; i++) ops.push({ kind: 'fence_publish', api: 'dma_resv_add_fence', fence: b.inst('dma_fence', `f${i}`), resv: R });
    b.thread('T0', ops);
    expect(() => b.compile()).toThrow('32 fences are published into R; at most 31 per dma_resv are supported');
  });

  it('a cyclic control graph is LMC461', () => {
    const b = new ModelBuilder();
    const p = b.raw('loop', 'thread', [
      { kind: 'choice', id: 0, next: [1, 2] },
      { kind: 'op', id: 1, op: { kind: 'might_sleep', api: 'might_sleep' }, next: { ok: 0 } },
      { kind: 'end', id: 2 },
    ]);
    b.threadOf('T0', p);
    expect(() => b.compile()).toThrow(/control graph has a cycle/);
  });
});

describe('other operations', () => {
  it('choice nodes branch; each branch is a transition', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    const p = b.raw('T0', 'thread', [
      { kind: 'choice', id: 0, next: [1, 2] },
      { kind: 'op', id: 1, op: lock(A), next: { ok: 2 } },
      { kind: 'end', id: 2 },
    ]);
    b.threadOf('T0', p);
    const { ts, ev } = b.compile();
    expect(enabledDesc(ts, ev, ev.initial())).toEqual(['T0:0.0:branch0', 'T0:0.0:branch1']);
    expect(ts.completenessBound).toBe(2);
    expect(ev.threadDone(run(ts, ev, ['T0:0.0:branch1']), 0)).toBe(true);
  });

  it('unmap_mapping_range waits for i_mmap_rwsem to be free', () => {
    const b = new ModelBuilder();
    const m = b.inst('address_space', 'mapping');
    b.thread('T0', [lock(m, { mode: 'read', api: 'i_mmap_lock_read' }), unlock(m)]);
    b.thread('T1', [{ kind: 'unmap_mapping_range', api: 'unmap_mapping_range', mapping: m }]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T0:0.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['T0:0.1:ok']);
  });

  it('interval notifier: retry iff set_seq ran since read_begin', () => {
    const b = new ModelBuilder();
    const mm = b.inst('mm', 'mm');
    const n = b.inst('interval_notifier', 'mni', { mm });
    const begin: Op = { kind: 'interval_read_begin', api: 'mmu_interval_read_begin', notifier: n };
    const retry: Op = { kind: 'interval_read_retry', api: 'mmu_interval_read_retry', notifier: n };
    b.thread('R', [begin, retry]);
    b.thread('I', [{ kind: 'interval_set_seq', api: 'mmu_interval_set_seq', notifier: n }]);
    const { ts, ev } = b.compile();
    expect(enabledDesc(ts, ev, run(ts, ev, ['R:0.0:ok']))).toEqual(['R:0.1:ok', 'I:1.0:ok']);
    expect(enabledDesc(ts, ev, run(ts, ev, ['R:0.0:ok', 'I:1.0:ok']))).toEqual(['R:0.1:retry']);
    // An invalidation before read_begin is not seen.
    expect(enabledDesc(ts, ev, run(ts, ev, ['I:1.0:ok', 'R:0.0:ok']))).toEqual(['R:0.1:ok']);
  });
});

describe('hash', () => {
  it('does not depend on the model file path', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    b.thread('T0', [lock(A), unlock(A)]);
    const m = b.build();
    const h1 = compileSystem(m, OPTS).hash;
    const h2 = compileSystem({ ...m, file: '/elsewhere/test.model.ts' }, OPTS).hash;
    expect(h2).toBe(h1);
    expect(compileSystem({ ...m, sourceHash: '1' }, OPTS).hash).not.toBe(h1);
  });
});
