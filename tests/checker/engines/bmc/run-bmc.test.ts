import { afterAll, describe, expect, it } from 'vitest';
import { runBmc, BoundError } from '../../../../checker/engines/bmc/run-bmc.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import { c, eq, and, lock, lockSystem, ordered, ring, unlock, v } from '../../../../bench/bmc-systems.js';

afterAll(async () => {
  await shutdownSolver();
});

describe('runBmc on ABBA (ring-2)', () => {
  it('finds the deadlock at its shortest length with the exact schedule (shortest mode)', async () => {
    const r = await runBmc(ring(2), { timeoutMs: 20_000, mode: 'shortest' });
    expect(r.engine).toBe('bmc');
    // T0 takes L0 (transition 0), T1 takes L1 (transition 4): both then block.
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
    expect(r.stats.bound).toBe(8);
  });

  it('finds the same schedule in prove mode', async () => {
    const r = await runBmc(ring(2), { timeoutMs: 20_000, mode: 'prove' });
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
  });
});
