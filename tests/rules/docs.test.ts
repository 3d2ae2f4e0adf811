import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_B } from '../../rules/families/b.js';
import { ALL_RULES } from '../../rules/index.js';
import { ROOT, renderIndex, renderRuleDoc } from './docs-gen.js';

const WRITE = process.env.LOCKMC_WRITE_DOCS === '1';
const dir = join(ROOT, 'docs', 'rules');

describe('generated rule docs are up to date', () => {
  if (WRITE) mkdirSync(dir, { recursive: true });
  for (const r of RULES_B) {
    it(`docs/rules/${r.meta.id}.md`, () => {
      const want = renderRuleDoc(r);
      const file = join(dir, `${r.meta.id}.md`);
      if (WRITE) writeFileSync(file, want);
      expect(readFileSync(file, 'utf8')).toBe(want);
    });
  }
  it('docs/rules/README.md lists every registered rule', () => {
    const want = renderIndex(ALL_RULES);
    const file = join(dir, 'README.md');
    if (WRITE) writeFileSync(file, want);
    expect(readFileSync(file, 'utf8')).toBe(want);
  });
});
