import { it } from 'vitest';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { ring, ordered } from '../../../../bench/bmc-systems.js';
it('probe', async () => {
  for (const n of [3,4,5,6,8]) for (const enc of ['onehot+single','bv+single','onehot+deepen+por','bv+deepen+por']) {
    for (const [name, f] of [['ring', ring],['ordered', ordered]] as const) {
      const t0 = Date.now();
      const r = await runBmc(f(n), { timeoutMs: 20000, mode: 'prove', encoding: enc });
      console.log(name, n, enc, JSON.stringify(r.results), Date.now()-t0, r.stats.solverCalls);
    }
  }
}, 600000);
