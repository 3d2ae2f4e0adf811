import { it } from 'vitest';
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../checker/options.js';
import { RULES_A } from '../../../rules/families/a.js';
const ROOT = join(import.meta.dirname, '..', '..', '..');
it('bmc', async () => {
  for (const r of RULES_A) {
    const dir = join(ROOT, 'fixtures', 'rules', r.meta.id);
    for (const f of readdirSync(dir).sort()) {
      const t0 = Date.now();
      const rep = await check([{ file: join(dir, f) }], { ...DEFAULT_CHECK_OPTIONS, engine: 'bmc', timeoutMs: 30000 });
      const m = rep.models[0];
      appendFileSync('/tmp/fx/bmc2.txt', `${m.expectation?.met ? 'OK ' : 'BAD'} ${Date.now() - t0} ${r.meta.id}/${f} ${m.expectation?.detail.slice(0, 120)}\n`);
    }
  }
}, 3000000);
