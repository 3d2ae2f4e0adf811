import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../checker/options.js';
import { RULES_A } from '../../../rules/families/a.js';
import { readdirSync } from 'node:fs';
const ROOT = join(import.meta.dirname, '..', '..', '..');
it('render', async () => {
  const out: string[] = [];
  for (const r of RULES_A) {
    const dir = join(ROOT, 'fixtures', 'rules', r.meta.id);
    for (const f of readdirSync(dir).filter((x) => x.startsWith('violates-'))) {
      const rep = await check([{ file: join(dir, f) }], { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit', rules: { preset: 'all' } });
      for (const v of rep.models[0].verdicts) if (v.status === 'violated' && v.rule === r.meta.id) for (const fd of v.findings) out.push(`${r.meta.id}/${f} [${fd.check}] ${fd.message}`);
    }
  }
  writeFileSync('/tmp/fx/messages.txt', out.join('\n') + '\n');
}, 600000);
