import { it } from 'vitest';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { familySystem } from '../../../../bench/families/index.js';
import { confirmViolation } from '../../../../checker/replay.js';
it('probe', async () => {
  for (const [fam, ns] of [['ring', [2]]] as const) {
    for (const n of ns) {
      const ts = familySystem(fam, n);
      for (const mode of ['shortest', 'prove'] as const) {
        const t0 = Date.now();
        const r = await runBmc(ts, { timeoutMs: 60000, mode });
        const res = r.results[0];
        const rep = res.status === 'violated' ? JSON.stringify(confirmViolation(ts, res.schedule, 0)).slice(0, 80) : '';
        console.log(fam, n, mode, 'T', ts.transitions.length, 'V', ts.vars.length, 'cb', ts.completenessBound, JSON.stringify(res), Date.now() - t0, r.stats.solverCalls, rep);
      }
    }
  }
}, 60000);
