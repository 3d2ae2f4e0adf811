import { afterAll, describe, expect, it } from 'vitest';
import { innerBudget, runBmcIsolated } from '../../../../checker/engines/bmc/isolated.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import { familySystem } from '../../../../bench/families/index.js';
import { ordered, ring } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

describe('BMC in a child process', () => {
  it('keeps a margin for winding down, never more than 1.5 s', () => {
    expect(innerBudget(10_000)).toBe(9000);
    expect(innerBudget(60_000)).toBe(58_500);
    expect(innerBudget(500)).toBe(400);
    expect(innerBudget(50)).toBe(1);
  });

  it('never runs past the time-out, and names it as the user set it', async () => {
    // reclaim-fix-4: neither the fixed point nor the unrolling ends in 1.5 s.
    const ts = familySystem('reclaim-fix', 4);
    const start = Date.now();
    const r = await runBmcIsolated(ts, { timeoutMs: 1500, mode: 'prove' });
    const ms = Date.now() - start;
    expect(r.results.every((x) => x.status === 'inconclusive' && x.limit.kind === 'timeout' && x.limit.ms === 1500)).toBe(true);
    // Spawning the child counts against the budget too; only IPC may add a little.
    expect(ms).toBeLessThan(1500 + 250);
  });

  it('carries the resource limit into the child and names it when hit', async () => {
    // ring-4 has no 16-step proof within 5000 steps of Z3's work: a count, not a time.
    const r = await runBmcIsolated(ring(4), { timeoutMs: 600_000, rlimit: 5000, mode: 'prove', encoding: 'bv+single+nopor', bound: 16 });
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results.every((x) => x.status === 'inconclusive' && x.limit.kind === 'z3-unknown' && x.limit.reason === 'resource limit 5000 reached')).toBe(true);
  });

  it('a worker past its memory limit retires after answering, and the next job gets a fresh one', async () => {
    process.env.LOCKMC_BMC_RECYCLE_MB = '1';
    try {
      const a = await runBmcIsolated(ring(2), { ...Z3_BUDGET, mode: 'prove' });
      const b = await runBmcIsolated(ordered(2), { ...Z3_BUDGET, mode: 'prove' });
      expect(a.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
      expect(b.results).toEqual([{ status: 'holds', exhaustive: true }]);
    } finally {
      delete process.env.LOCKMC_BMC_RECYCLE_MB;
    }
  });
});
