import { it } from 'vitest';
import { check } from '../../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../checker/options.js';
it('scratch', async () => {
  for (const f of (process.env.A_FILES ?? '').split(',')) {
    for (const engine of ['explicit', 'bmc'] as const) {
      const t0 = Date.now();
      const rep = await check([{ file: f }], { ...DEFAULT_CHECK_OPTIONS, engine, timeoutMs: 30000, rules: { preset: 'all' } });
      const m = rep.models[0];
      console.log(`SCRATCH ${f} ${engine} ${Date.now() - t0}ms ${m.expectation?.met} ${m.expectation?.detail.slice(0, 120)} cb=${m.stats.completenessBound}`);
    }
  }
}, 600000);
