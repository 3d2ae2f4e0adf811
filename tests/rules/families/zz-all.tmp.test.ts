import { it } from 'vitest';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check } from '../../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../checker/options.js';
import { RULES_A } from '../../../rules/families/a.js';
const ROOT = join(import.meta.dirname, '..', '..', '..');
const mine = new Set(RULES_A.map((r) => r.meta.id));
function files(d: string): string[] { const o: string[] = []; for (const n of readdirSync(d).sort()) { const p = join(d, n); if (statSync(p).isDirectory()) o.push(...files(p)); else if (n.endsWith('.model.ts')) o.push(p); } return o; }
it('all', async () => {
  const out: string[] = [];
  for (const f of files(join(ROOT, 'fixtures'))) {
    if (f.includes('/fixtures/rules/') && mine.has(f.split('/fixtures/rules/')[1].split('/')[0])) continue;
    const rep = await check([{ file: f }], { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit', timeoutMs: 30000 });
    const m = rep.models[0];
    const viol = m.verdicts.filter((v) => v.status === 'violated' && mine.has(v.rule)).map((v) => v.rule + ':' + ((v as any).findings ?? []).map((x: any) => x.check).join('+'));
    out.push(`${m.expectation?.met ? 'OK ' : 'BAD'} ${relative(ROOT, f)} mine=[${viol.join(',')}] :: ${(m.expectation?.detail ?? m.diagnostics.map((d) => d.code + ' ' + d.message).join('|')).slice(0, 300)}`);
  }
  writeFileSync('/tmp/fx/all.txt', out.join('\n') + '\n');
}, 900000);
