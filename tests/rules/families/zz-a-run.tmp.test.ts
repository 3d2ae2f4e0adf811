import { it } from 'vitest';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../checker/options.js';
import { RULES_A } from '../../../rules/families/a.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const engine = (process.env.A_ENGINE ?? 'explicit') as 'explicit';
const only = process.env.A_ONLY;

it('run family A fixtures', async () => {
  const out: string[] = [];
  for (const r of RULES_A) {
    if (only && !r.meta.id.includes(only)) continue;
    const dir = join(ROOT, 'fixtures', 'rules', r.meta.id);
    for (const f of readdirSync(dir).sort()) {
      const file = join(dir, f);
      const t0 = Date.now();
      const rep = await check([{ file }], { ...DEFAULT_CHECK_OPTIONS, engine, timeoutMs: 30_000, rules: { preset: 'all' } });
      const m = rep.models[0];
      const viol = m.verdicts.filter((v) => v.status === 'violated').map((v) => v.rule + ':' + ((v as any).findings ?? []).map((f: any) => f.check).filter((c: string, i: number, a: string[]) => a.indexOf(c) === i).join('+'));
      const inc = m.verdicts.filter((v) => v.status === 'inconclusive').map((v) => v.rule + ':' + JSON.stringify((v as any).limit));
      const diags = m.diagnostics.map((d) => `${d.code} ${d.message} @${d.line}:${d.col}`);
      const line = `${m.expectation?.met ? 'OK ' : 'BAD'} ${r.meta.id}/${f} (${Date.now() - t0}ms) viol=[${viol.join(',')}]${inc.length ? ' inc=' + inc.join(',') : ''}${diags.length ? ' diags=' + diags.join(' | ') : ''} :: ${m.expectation?.detail ?? ''}`;
      out.push(line);
      appendFileSync('/tmp/fx/run-' + engine + '.partial', line.slice(0, 400) + '\n');
    }
  }
  writeFileSync('/tmp/fx/run-' + engine + '.txt', out.join('\n') + '\n');
}, 3_000_000);
