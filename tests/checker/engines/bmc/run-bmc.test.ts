import { afterAll, describe, expect, it } from 'vitest';
import { BoundError, runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import type { BoolExpr, Property } from '../../../../checker/semantics/system.js';
import { and, c, eq, lock, lockSystem, ordered, ring, unlock, v } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';


afterAll(async () => {
  await shutdownSolver();
});

const ne = (a: BoolExpr): BoolExpr => ({ k: 'not', a });

describe('deadlock: ABBA (ring-2) and ring-3', () => {
  it('finds ABBA at its shortest length with the exact schedule (shortest mode)', async () => {
    const r = await runBmc(ring(2), { ...Z3_BUDGET, mode: 'shortest' });
    expect(r.engine).toBe('bmc');
    // T0 takes L0 (transition 0), then T1 takes L1 (transition 4): both block.
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
    expect(r.stats.bound).toBe(8);
    expect(r.stats.encoding).toBe('onehot+deepen');
  });

  it('finds the same schedule in prove mode', async () => {
    const r = await runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove' });
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
    expect(r.stats.encoding).toBe('onehot+fixpoint');
  });

  it('ring-3: the shortest, least-preempting, lexicographically least schedule', async () => {
    // [0,8,4]: T0 takes L0, T2 takes L2 (T0 could go on: 1 preemption),
    // T1 takes L1 (T2 is blocked on L0: no preemption). [0,4,8] has 2.
    for (const mode of ['shortest', 'prove'] as const) {
      const r = await runBmc(ring(3), { ...Z3_BUDGET, mode });
      expect(r.results).toEqual([{ status: 'violated', schedule: [0, 8, 4] }]);
    }
  });

  it('without minimisation still returns a shortest schedule in shortest mode', async () => {
    const r = await runBmc(ring(3), { ...Z3_BUDGET, mode: 'shortest', minimise: false });
    expect(r.results[0].status).toBe('violated');
    expect((r.results[0] as { schedule: number[] }).schedule).toHaveLength(3);
  });
});

describe('ordered locking holds', () => {
  it('exhaustively at the completeness bound (default bound)', async () => {
    for (const mode of ['prove', 'shortest'] as const) {
      const r = await runBmc(ordered(3), { ...Z3_BUDGET, mode });
      expect(r.results).toEqual([{ status: 'holds', exhaustive: true }]);
      expect(r.stats.bound).toBe(12);
    }
  });

  it('exhaustively at or above the completeness bound, and only up to k below it', async () => {
    const unrolled = 'onehot+portfolio';
    expect((await runBmc(ordered(2), { ...Z3_BUDGET, mode: 'prove', bound: 8, encoding: unrolled })).results).toEqual([{ status: 'holds', exhaustive: true }]);
    expect((await runBmc(ordered(2), { ...Z3_BUDGET, mode: 'prove', bound: 11, encoding: unrolled })).results).toEqual([{ status: 'holds', exhaustive: true }]);
    expect((await runBmc(ordered(2), { ...Z3_BUDGET, mode: 'prove', bound: 7, encoding: unrolled })).results).toEqual([
      { status: 'holds', exhaustive: false, bound: 7 },
    ]);
    expect((await runBmc(ordered(3), { ...Z3_BUDGET, mode: 'shortest', bound: 3 })).results).toEqual([
      { status: 'holds', exhaustive: false, bound: 3 },
    ]);
  });

  it('the fixed-point pass proves beyond any bound: a bound below completeness still ends in a proof', async () => {
    const r = await runBmc(ordered(2), { ...Z3_BUDGET, mode: 'prove', bound: 7 });
    expect(r.results).toEqual([{ status: 'holds', exhaustive: true }]);
    // Proved outright: no unrolled query was needed.
    expect(r.stats.solverCalls).toBe(1);
  });

  it('a goal the fixed-point pass finds reachable is still searched within the bound', async () => {
    // ring-2 deadlocks after 2 steps: within bound 2 it is found, within 1 it is not.
    expect((await runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove', bound: 2 })).results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
    expect((await runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove', bound: 1 })).results).toEqual([{ status: 'holds', exhaustive: false, bound: 1 }]);
  });

  it('a bound that misses the deadlock says holds up to k, not proved', async () => {
    expect((await runBmc(ring(3), { ...Z3_BUDGET, mode: 'prove', bound: 2 })).results).toEqual([
      { status: 'holds', exhaustive: false, bound: 2 },
    ]);
  });
});

describe('state, step and terminal properties', () => {
  const props = (h: { owner(l: string): number; step(t: number, i: number): number }): Property[] => [
    { kind: 'state', rule: 'r', check: 'both-held-by-T0', bad: and(eq(v(h.owner('L0')), c(1)), eq(v(h.owner('L1')), c(1))) },
    // T0 releases L1 while holding L0.
    { kind: 'step', rule: 'r', check: 'unlock-nested', transitions: [h.step(0, 2)], when: eq(v(h.owner('L0')), c(1)) },
    // T1 releases L0 while T0 holds it: impossible.
    { kind: 'step', rule: 'r', check: 'impossible', transitions: [h.step(1, 2)], when: eq(v(h.owner('L0')), c(1)) },
    { kind: 'state', rule: 'r', check: 'never', bad: eq(v(h.owner('L0')), c(3)) },
    { kind: 'deadlock', rule: 'deadlock', check: 'deadlock' },
  ];
  const abba = () =>
    lockSystem(
      [
        { name: 'T0', ops: [lock('L0'), lock('L1'), unlock('L1'), unlock('L0')] },
        { name: 'T1', ops: [lock('L1'), lock('L0'), unlock('L0'), unlock('L1')] },
      ],
      props,
    );

  it('reports every property in order, each with its own shortest schedule', async () => {
    for (const mode of ['shortest', 'prove'] as const) {
      const r = await runBmc(abba(), { ...Z3_BUDGET, mode });
      expect(r.results).toEqual([
        { status: 'violated', schedule: [0, 1] },
        { status: 'violated', schedule: [0, 1, 2] },
        { status: 'holds', exhaustive: true },
        { status: 'holds', exhaustive: true },
        { status: 'violated', schedule: [0, 4] },
      ]);
    }
  });

  it('a state property that holds initially is violated by the empty schedule', async () => {
    const ts = lockSystem([{ name: 'T0', ops: [lock('A'), unlock('A')] }], (h) => [
      { kind: 'state', rule: 'r', check: 'init', bad: eq(v(h.pc(0)), c(0)) },
    ]);
    for (const mode of ['shortest', 'prove'] as const) {
      expect((await runBmc(ts, { ...Z3_BUDGET, mode })).results).toEqual([{ status: 'violated', schedule: [] }]);
    }
  });

  it('terminal: a run that ends with a lock still held', async () => {
    const ts = lockSystem(
      [
        { name: 'T0', ops: [lock('A')] },
        { name: 'T1', ops: [lock('B'), unlock('B')] },
      ],
      (h) => [
        { kind: 'terminal', rule: 'r', check: 'held-at-exit', bad: ne(eq(v(h.owner('A')), c(0))) },
        { kind: 'terminal', rule: 'r', check: 'b-held-at-exit', bad: ne(eq(v(h.owner('B')), c(0))) },
        { kind: 'deadlock', rule: 'deadlock', check: 'deadlock' },
      ],
    );
    for (const mode of ['shortest', 'prove'] as const) {
      expect((await runBmc(ts, { ...Z3_BUDGET, mode })).results).toEqual([
        { status: 'violated', schedule: [0, 1, 2] },
        { status: 'holds', exhaustive: true },
        { status: 'holds', exhaustive: true },
      ]);
    }
  });
});

describe('counterexample quality', () => {
  // T0: lock A, lock B, lock D; T1: lock C. Bad: T0 holds B while T1 holds C.
  // Shortest runs have 3 steps. [0,1,3] and [0,3,1] preempt T0 (it could
  // still take D); [3,0,1] switches only after T1 is done: 0 preemptions.
  // A lower-thread-first rule alone would pick [0,1,3].
  const ts = () =>
    lockSystem(
      [
        { name: 'T0', ops: [lock('A'), lock('B'), lock('D')] },
        { name: 'T1', ops: [lock('C')] },
      ],
      (h) => [{ kind: 'state', rule: 'r', check: 'b-and-c', bad: and(eq(v(h.owner('B')), c(1)), eq(v(h.owner('C')), c(2))) }],
    );

  it('breaks ties between shortest schedules by fewest preemptions', async () => {
    for (const mode of ['shortest', 'prove'] as const) {
      expect((await runBmc(ts(), { ...Z3_BUDGET, mode })).results).toEqual([{ status: 'violated', schedule: [3, 0, 1] }]);
    }
  });

  it('gives the same schedule under every encoding', async () => {
    const encodings = ['bv', 'onehot', 'bv+por', 'onehot+nopor', 'bv+single', 'onehot+single+por', 'onehot+deepen+nopor'];
    for (const encoding of encodings) {
      for (const mode of ['shortest', 'prove'] as const) {
        const a = await runBmc(ts(), { ...Z3_BUDGET, mode, encoding });
        expect(a.results, `${encoding} ${mode}`).toEqual([{ status: 'violated', schedule: [3, 0, 1] }]);
        const b = await runBmc(ring(3), { ...Z3_BUDGET, mode, encoding });
        expect(b.results, `${encoding} ${mode}`).toEqual([{ status: 'violated', schedule: [0, 8, 4] }]);
      }
    }
  });
});

describe('thread liveness', () => {
  it('an optional thread that takes a lock for good deadlocks a mandatory one', async () => {
    const ts = lockSystem([
      { name: 'T0', ops: [lock('A'), unlock('A')] },
      { name: 'irq', ops: [lock('A')], optional: true },
    ]);
    expect((await runBmc(ts, { ...Z3_BUDGET, mode: 'shortest' })).results).toEqual([{ status: 'violated', schedule: [2] }]);
  });

  it('an optional thread that never starts is ignored', async () => {
    const ts = lockSystem([
      { name: 'T0', ops: [lock('A')] },
      { name: 'irq', ops: [lock('A'), unlock('A')], optional: true },
    ]);
    for (const mode of ['shortest', 'prove'] as const) {
      expect((await runBmc(ts, { ...Z3_BUDGET, mode })).results).toEqual([{ status: 'holds', exhaustive: true }]);
    }
  });

  it('an optional thread that started and is blocked for good counts as stuck', async () => {
    const ts = lockSystem([
      { name: 'T0', ops: [lock('A')] },
      { name: 'irq', ops: [lock('B'), lock('A'), unlock('A'), unlock('B')], optional: true },
    ]);
    // [0,1]: T0 ends holding A, then irq takes B and waits on A forever.
    for (const mode of ['shortest', 'prove'] as const) {
      expect((await runBmc(ts, { ...Z3_BUDGET, mode })).results).toEqual([{ status: 'violated', schedule: [0, 1] }]);
    }
  });
});

describe('limits and bounds', () => {
  it('a zero budget is inconclusive, naming the time-out', async () => {
    const r = await runBmc(ring(2), { timeoutMs: 0, mode: 'prove' });
    expect(r.results).toEqual([{ status: 'inconclusive', limit: { kind: 'timeout', ms: 0 } }]);
  });

  it('a query Z3 cannot finish in time is inconclusive, naming the budget', async () => {
    // Proving that no 16-step run of ring-4 deadlocks needs far more than 150 ms.
    const r = await runBmc(ring(4), { timeoutMs: 150, mode: 'prove', encoding: 'bv+single+nopor', bound: 16 });
    expect(r.results).toEqual([{ status: 'inconclusive', limit: { kind: 'timeout', ms: 150 } }]);
    // The limit was honoured, not run past (the proof needs minutes); how
    // far below that depends on the machine, so only a hang fails this.
    expect(r.stats.ms).toBeLessThan(30_000);
  });

  it('a query past its resource limit is inconclusive, naming the limit, on any machine', async () => {
    // Deterministic: Z3 counts steps, not time; the wall clock here is only a safety net.
    const r = await runBmc(ring(4), { timeoutMs: 600_000, rlimit: 5000, mode: 'prove', encoding: 'bv+single+nopor', bound: 16 });
    expect(r.results).toEqual([{ status: 'inconclusive', limit: { kind: 'z3-unknown', reason: 'resource limit 5000 reached' } }]);
    expect(r.stats.rlimitMax).toBe(5000);
  });

  it('reports the largest query of a run in rlimit counts', async () => {
    const r = await runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove' });
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
    expect(r.stats.rlimitMax).toBeGreaterThan(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('bound %s is a BoundError (LMC401)', async (bound) => {
    const p = runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove', bound });
    await expect(p).rejects.toBeInstanceOf(BoundError);
    await expect(p).rejects.toMatchObject({ code: 'LMC401', message: `bound must be a positive integer, got ${bound}` });
  });

  it('an unknown encoding is rejected with a message naming the choices', async () => {
    await expect(runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove', encoding: 'ints' })).rejects.toThrow(
      "unknown BMC encoding component 'ints' (expected bv, onehot, por, nopor, single, deepen, portfolio, fixpoint)",
    );
  });
});
