import { it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
it('c', async () => {
  for (const f of (process.env.FX ?? '').split(',')) for (const engine of ['explicit', 'bmc'] as const) {
    const report = await check([{ file: f }], { ...DEFAULT_CHECK_OPTIONS, engine });
    const m = report.models[0];
    console.log('RES', engine, f, m.expectation?.met, m.expectation?.detail, m.verdicts.filter((v) => v.status === 'violated').map((v) => `${v.rule}: ${v.status === 'violated' ? v.findings.map((x) => x.message).join(' / ') : ''}`).join(' || '), m.diagnostics.map((d) => d.message).join(';'));
  }
}, 120000);
