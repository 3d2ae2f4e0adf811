import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS, type EngineChoice } from '../../checker/options.js';
import { RULES_B } from '../../rules/families/b.js';

it('check', async () => {
  const lines: string[] = [];
  for (const engine of (process.env.ENG ?? 'explicit,bmc').split(',') as EngineChoice[]) {
    for (const r of RULES_B) {
      const dir = join('fixtures/rules', r.meta.id);
      for (const f of readdirSync(dir).sort()) {
        const file = join(dir, f);
        if (process.env.FX && !file.includes(process.env.FX)) continue;
        const t0 = Date.now();
        const report = await check([{ file }], { ...DEFAULT_CHECK_OPTIONS, engine, timeoutMs: 30_000 });
        const m = report.models[0];
        const viol = m?.verdicts?.filter((v) => v.status === 'violated').map((v) => v.rule) ?? [];
        const ok = m?.expectation?.met;
        lines.push(`${engine} ${ok ? 'OK ' : 'BAD'} ${file} ${Date.now() - t0}ms ${ok ? '' : m?.expectation?.detail} viol=[${viol.join(',')}] ${(m?.diagnostics ?? []).map((d) => d.code + ' ' + d.message).join(' | ')}`);
      }
    }
  }
  console.log(lines.join('\n'));
}, 600_000);
