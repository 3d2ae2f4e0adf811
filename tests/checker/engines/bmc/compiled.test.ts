import { afterAll, describe, expect, it } from 'vitest';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import { confirmViolation } from '../../../../checker/replay.js';
import { familySystem } from '../../../../bench/families/index.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

describe('BMC on compiled systems (bench/families through compile.ts)', () => {
  it('ring-2: the ABBA deadlock, replayed on the reference semantics', async () => {
    const ts = familySystem('ring', 2);
    const r = await runBmc(ts, { ...Z3_BUDGET, mode: 'shortest' });
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
    expect(confirmViolation(ts, [0, 4], 0).ok).toBe(true);
  });

  it('ordered-2: proved', async () => {
    const r = await runBmc(familySystem('ordered', 2), { ...Z3_BUDGET, mode: 'prove' });
    expect(r.results).toEqual([{ status: 'holds', exhaustive: true }]);
  });

  it('reclaim-bug-1: the shortest reclaim deadlock replays', async () => {
    const ts = familySystem('reclaim-bug', 1);
    const r = await runBmc(ts, { ...Z3_BUDGET, mode: 'shortest' });
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4, 8, 18, 22] }]);
    const c = confirmViolation(ts, [0, 4, 8, 18, 22], 0);
    expect(c.ok && c.violation).toEqual({ property: 0, step: 5, at: 'state' });
  });
});
