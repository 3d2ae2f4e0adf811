import { afterAll, describe, expect, it } from 'vitest';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import { confirmViolation } from '../../../../checker/replay.js';
import { c, eq, ordered, lockSystem, lock, unlock, v } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

describe('injectBug: an encoder fault is caught by replay', () => {
  it('a negated guard yields a schedule that does not replay', async () => {
    // Bad: T1 holds L0. T1 takes L0 at its second op (transition 5), whose
    // negated guard is true in the initial state.
    const ts = lockSystem(
      [
        { name: 'T0', ops: [lock('L0'), lock('L1'), unlock('L1'), unlock('L0')] },
        { name: 'T1', ops: [lock('L0'), lock('L1'), unlock('L1'), unlock('L0')] },
      ],
      (h) => [{ kind: 'state', rule: 'r', check: 't1-holds-l1', bad: eq(v(h.owner('L1')), c(2)) }],
    );
    const honest = await runBmc(ts, { ...Z3_BUDGET, mode: 'shortest' });
    expect(honest.results).toEqual([{ status: 'violated', schedule: [4, 5] }]);
    expect(confirmViolation(ts, [4, 5], 0).ok).toBe(true);

    const buggy = await runBmc(ts, { ...Z3_BUDGET, mode: 'shortest', injectBug: { transition: 5, kind: 'negate-guard' } });
    expect(buggy.results).toEqual([{ status: 'violated', schedule: [5] }]);
    expect(confirmViolation(ts, [5], 0)).toEqual({
      ok: false,
      step: 1,
      reason: 'step 1: transition 5 of T1: proc 1 node 1 is not enabled',
    });
  });

  it('a negated guard can also make a deadlock-free system look deadlocked', async () => {
    const ts = ordered(2);
    const r = await runBmc(ts, { ...Z3_BUDGET, mode: 'prove', injectBug: { transition: 1, kind: 'negate-guard' } });
    expect(r.results[0].status).toBe('violated');
    const schedule = (r.results[0] as { schedule: number[] }).schedule;
    expect(confirmViolation(ts, schedule, 0).ok).toBe(false);
  });
});
