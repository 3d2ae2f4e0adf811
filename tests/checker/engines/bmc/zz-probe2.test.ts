import { it } from 'vitest';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { injectSolverFaults, z3Version } from '../../../../checker/engines/bmc/solver.js';
import { ring } from '../../../../bench/bmc-systems.js';
it('probe', async () => {
  let t0 = Date.now();
  console.log(await z3Version(), Date.now() - t0);
  for (let i = 0; i < 6; i++) {
    injectSolverFaults(i === 4 ? 1 : 0);
    t0 = Date.now();
    const r = await runBmc(ring(3), { timeoutMs: 20000, mode: i % 2 ? 'prove' : 'shortest', minimise: i < 2 ? false : true });
    console.log(i, JSON.stringify(r.results), JSON.stringify(r.stats), Date.now() - t0);
  }
}, 600000);
