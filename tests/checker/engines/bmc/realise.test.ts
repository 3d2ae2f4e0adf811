import { afterAll, describe, expect, it } from 'vitest';
import { realiseCycle } from '../../../../checker/engines/bmc/realise.js';
import { BoundError } from '../../../../checker/engines/bmc/run-bmc.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import { confirmViolation } from '../../../../checker/replay.js';
import { lock, lockSystem, ring, unlock } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

describe('realiseCycle', () => {
  it('realises the ABBA cycle with the shortest schedule', async () => {
    const ts = ring(2);
    // T0 holds L0 (taken by transition 0) and wants L1; T1 holds L1 (4) and wants L0.
    const r = await realiseCycle(ts, [
      { thread: 0, transition: 0 },
      { thread: 1, transition: 4 },
    ], Z3_BUDGET);
    expect(r).toEqual({ status: 'realised', schedule: [0, 4] });
    // The schedule is a real deadlock on the reference semantics.
    expect(confirmViolation(ts, [0, 4], 0).ok).toBe(true);
  });

  it('reports a cycle that a common outer lock makes impossible as not realised, exhaustively', async () => {
    const ts = lockSystem([
      { name: 'T0', ops: [lock('G'), lock('A'), lock('B'), unlock('B'), unlock('A'), unlock('G')] },
      { name: 'T1', ops: [lock('G'), lock('B'), lock('A'), unlock('A'), unlock('B'), unlock('G')] },
    ]);
    // The class-level cycle A -> B -> A: T0 takes A at transition 1, T1 takes B at 7.
    const acq = [
      { thread: 0, transition: 1 },
      { thread: 1, transition: 7 },
    ];
    expect(await realiseCycle(ts, acq, Z3_BUDGET)).toEqual({ status: 'not-realised', exhaustive: true, bound: 12 });
    expect(await realiseCycle(ts, acq, { ...Z3_BUDGET, bound: 4 })).toEqual({ status: 'not-realised', exhaustive: false, bound: 4 });
  });

  it('only counts a deadlock of the named threads', async () => {
    // T0/T1 deadlock on A/B; T2 never blocks, so a "cycle" naming T2 is not realised.
    const ts = lockSystem([
      { name: 'T0', ops: [lock('A'), lock('B'), unlock('B'), unlock('A')] },
      { name: 'T1', ops: [lock('B'), lock('A'), unlock('A'), unlock('B')] },
      { name: 'T2', ops: [lock('C'), unlock('C')] },
    ]);
    const r = await realiseCycle(ts, [
      { thread: 0, transition: 0 },
      { thread: 2, transition: 8 },
    ], Z3_BUDGET);
    expect(r).toEqual({ status: 'not-realised', exhaustive: true, bound: 10 });
  });

  it('rejects a bad bound and a transition of another thread', async () => {
    await expect(realiseCycle(ring(2), [{ thread: 0, transition: 0 }], { timeoutMs: 1000, bound: 0 })).rejects.toBeInstanceOf(BoundError);
    await expect(realiseCycle(ring(2), [{ thread: 1, transition: 0 }], { timeoutMs: 1000 })).rejects.toThrow(
      'transition 0 is not a step of thread 1',
    );
  });

  it('a zero budget is inconclusive', async () => {
    expect(await realiseCycle(ring(2), [{ thread: 0, transition: 0 }], { timeoutMs: 0 })).toEqual({
      status: 'inconclusive',
      limit: { kind: 'timeout', ms: 0 },
    });
  });
});
