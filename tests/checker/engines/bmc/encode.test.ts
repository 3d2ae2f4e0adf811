import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Unrolling, parseEncoding, encodingName, propertyGoal, isTrue, resolveEncoding } from '../../../../checker/engines/bmc/encode.js';
import { check, shutdownSolver, withSolver, type Z3Ctx, type Z3Model } from '../../../../checker/engines/bmc/solver.js';
import { prepare } from '../../../../checker/semantics/eval.js';
import type { BoolExpr, IntExpr, TransitionSystem } from '../../../../checker/semantics/system.js';
import { lock, lockSystem, unlock } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

async function run<T>(job: (ctx: Z3Ctx) => Promise<T>): Promise<T> {
  const out = await withSolver(job);
  if (out.kind !== 'done') throw new Error(JSON.stringify(out.limit));
  return out.value;
}

function varsSystem(widths: number[], values: number[]): TransitionSystem {
  return {
    hash: 'expr',
    vars: widths.map((w, id) => ({ id, name: `x${id}`, width: w, max: 2 ** w - 1, init: values[id], role: { kind: 'aux', note: '' } })),
    threads: [],
    transitions: [],
    properties: [],
    completenessBound: 0,
    semantics: { kernel: 'v7.0', kswapdRuns: 1, irqFires: 1, directReclaim: true },
  };
}

const NV = 3;
const { int: intArb, bool: boolArb } = fc.letrec<{ int: IntExpr; bool: BoolExpr }>((tie) => ({
  int: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('const' as const), v: fc.nat(70) }),
    fc.record({ k: fc.constant('var' as const), v: fc.nat(NV - 1) }),
    fc.record({ k: fc.constant('add' as const), a: tie('int') as fc.Arbitrary<IntExpr>, b: tie('int') as fc.Arbitrary<IntExpr> }),
    fc.record({ k: fc.constant('bitor' as const), a: tie('int') as fc.Arbitrary<IntExpr>, b: tie('int') as fc.Arbitrary<IntExpr> }),
    fc.record({ k: fc.constant('bitand' as const), a: tie('int') as fc.Arbitrary<IntExpr>, b: tie('int') as fc.Arbitrary<IntExpr> }),
    fc.record({ k: fc.constant('bitclear' as const), a: tie('int') as fc.Arbitrary<IntExpr>, b: tie('int') as fc.Arbitrary<IntExpr> }),
    // `sub` only where callers guarantee a >= b.
    fc
      .tuple(tie('int') as fc.Arbitrary<IntExpr>, tie('int') as fc.Arbitrary<IntExpr>)
      .map(([a, b]): IntExpr => ({ k: 'ite', c: { k: 'le', a: b, b: a }, t: { k: 'sub', a, b }, e: { k: 'const', v: 0 } })),
    fc.record({
      k: fc.constant('ite' as const),
      c: tie('bool') as fc.Arbitrary<BoolExpr>,
      t: tie('int') as fc.Arbitrary<IntExpr>,
      e: tie('int') as fc.Arbitrary<IntExpr>,
    }),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<BoolExpr>({ k: 'true' }),
    fc.constant<BoolExpr>({ k: 'false' }),
    ...(['eq', 'ne', 'lt', 'le'] as const).map((k) =>
      fc.record({ k: fc.constant(k), a: tie('int') as fc.Arbitrary<IntExpr>, b: tie('int') as fc.Arbitrary<IntExpr> }),
    ),
    fc.record({ k: fc.constant('bit' as const), a: tie('int') as fc.Arbitrary<IntExpr>, bit: fc.nat(8) }),
    fc.record({ k: fc.constant('and' as const), args: fc.array(tie('bool') as fc.Arbitrary<BoolExpr>, { maxLength: 3 }) }),
    fc.record({ k: fc.constant('or' as const), args: fc.array(tie('bool') as fc.Arbitrary<BoolExpr>, { maxLength: 3 }) }),
    fc.record({ k: fc.constant('not' as const), a: tie('bool') as fc.Arbitrary<BoolExpr> }),
  ),
}));

const stateArb = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: NV, maxLength: NV })
  .chain((widths) => fc.tuple(fc.constant(widths), fc.tuple(...widths.map((w) => fc.nat(2 ** w - 1)))));

describe('expression translation', () => {
  it('agrees with the reference evaluator on random expressions and states', async () => {
    await run(async (ctx) => {
      const s = new ctx.Solver();
      const r = await check(ctx, s, { ms: Z3_BUDGET.timeoutMs, rlimit: Z3_BUDGET.rlimit });
      if (r.kind !== 'sat') throw new Error('empty solver not sat');
      const model: Z3Model = r.model;
      let tag = 0;
      fc.assert(
        fc.property(stateArb, intArb, boolArb, ([widths, values], ie, be) => {
          const ts = varsSystem(widths, values);
          const u = new Unrolling(ctx, ts, { selector: 'bv', allowIdle: false, tag: `e${tag++}` });
          const ev = prepare(ts);
          const st = ev.initial();
          const zi = Number(model.eval(u.intAt(ie, 0).e, true).value());
          expect(zi).toBe(ev.evalInt(ie, st));
          expect(isTrue(model, u.boolAt(be, 0))).toBe(ev.evalBool(be, st));
        }),
        { numRuns: 300, seed: 20261121 },
      );
    });
  });
});

describe('unrolling', () => {
  /** Every schedule of exactly k steps the encoding admits. */
  async function schedules(ctx: Z3Ctx, ts: TransitionSystem, k: number, encoding: string, idle = false): Promise<string[]> {
    const cfg = parseEncoding(encoding);
    const u = new Unrolling(ctx, ts, {
      selector: cfg.selector,
      allowIdle: idle,
      porGoals: cfg.por ? ts.properties.map(propertyGoal) : undefined,
      tag: `s${Math.random().toString(36).slice(2)}`,
    });
    const s = new ctx.Solver('QF_BV');
    for (let i = 0; i < k; i++) s.add(...u.extend());
    const out: string[] = [];
    for (;;) {
      const r = await check(ctx, s, { ms: Z3_BUDGET.timeoutMs, rlimit: Z3_BUDGET.rlimit });
      if (r.kind !== 'sat') break;
      const sched = u.decode(r.model);
      out.push(sched.join(','));
      // Block this exact choice of steps (idle positions included).
      const same = Array.from({ length: k }, (_, i) => (i < sched.length ? u.fires(i, sched[i]) : u.idle(i)));
      s.add(ctx.Not(ctx.And(...same)));
    }
    return out.sort();
  }

  const twoIndependent = () =>
    lockSystem([
      { name: 'T0', ops: [lock('A'), unlock('A')] },
      { name: 'T1', ops: [lock('B'), unlock('B')] },
    ]);

  it('admits exactly the runs of the system, and with idles every shorter one once', async () => {
    await run(async (ctx) => {
      for (const enc of ['bv+nopor', 'onehot+nopor']) {
        // Interleavings of (0,1) and (2,3) of length 2.
        expect(await schedules(ctx, twoIndependent(), 2, enc)).toEqual(['0,1', '0,2', '2,0', '2,3']);
        expect(await schedules(ctx, twoIndependent(), 2, enc, true)).toEqual(['', '0', '0,1', '0,2', '2', '2,0', '2,3']);
      }
    });
  });

  it('the peephole reduction drops descending independent pairs only', async () => {
    await run(async (ctx) => {
      for (const enc of ['bv+por', 'onehot+por']) {
        // 2,0 (T1 then T0 on unrelated locks) goes; 0,2 stays.
        expect(await schedules(ctx, twoIndependent(), 2, enc)).toEqual(['0,1', '0,2', '2,3']);
        // Dependent steps (same lock) keep both orders.
        const shared = lockSystem([
          { name: 'T0', ops: [lock('A'), unlock('A')] },
          { name: 'T1', ops: [lock('A'), unlock('A')] },
        ]);
        expect(await schedules(ctx, shared, 2, enc)).toEqual(['0,1', '2,3']);
      }
    });
  });

  it('the peephole reduction keeps orders a property observes', async () => {
    await run(async (ctx) => {
      // A state property reading owner.A makes T0's steps visible.
      const ts = lockSystem(
        [
          { name: 'T0', ops: [lock('A'), unlock('A')] },
          { name: 'T1', ops: [lock('B'), unlock('B')] },
        ],
        (h) => [{ kind: 'state', rule: 'r', check: 'a', bad: { k: 'eq', a: { k: 'var', v: h.owner('A') }, b: { k: 'const', v: 1 } } }],
      );
      expect(await schedules(ctx, ts, 2, 'onehot+por')).toEqual(['0,1', '0,2', '2,0', '2,3']);
    });
  });

  it('names and parses encodings', () => {
    expect(parseEncoding(undefined)).toEqual({ selector: 'onehot' });
    expect(parseEncoding('bv+deepen+nopor')).toEqual({ selector: 'bv', por: false, strategy: 'deepen' });
    expect(encodingName(resolveEncoding(parseEncoding('bv'), 'prove'))).toBe('bv+fixpoint');
    expect(encodingName(resolveEncoding(parseEncoding('bv+portfolio'), 'prove'))).toBe('bv+portfolio');
    expect(encodingName(resolveEncoding(parseEncoding('bv+single'), 'prove'))).toBe('bv+single');
    expect(encodingName(resolveEncoding(parseEncoding(''), 'shortest'))).toBe('onehot+deepen');
    expect(encodingName(resolveEncoding(parseEncoding('por'), 'shortest'))).toBe('onehot+deepen+por');
    expect(encodingName(resolveEncoding(parseEncoding('por'), 'prove'))).toBe('onehot+fixpoint+por');
    expect(encodingName(resolveEncoding(parseEncoding('single+por'), 'prove'))).toBe('onehot+single+por');
  });
});
