/**
 * docs/ci/README.md stays true to the configurations and to lockmc: its
 * exit-code table is lockmc's (every code but 0 fails the job), and every
 * LOCKMC_* variable a configuration reads is documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_DOC } from '../../checker/exit-codes.js';

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'ci');
const README = readFileSync(join(DOCS, 'README.md'), 'utf8');
const CONFIGS = ['github-actions.yml', 'gitlab-ci.yml'].map((f) => join(DOCS, f));

describe('docs/ci/README.md', () => {
  it('lists every exit code with lockmc\'s meaning; only 0 passes a job', () => {
    const rows = [...README.matchAll(/^\| (\d+) \| (.*?) \| (.*?) \|$/gm)].map((m) => ({ code: Number(m[1]), meaning: m[2].replace(/`/g, ''), inCi: m[3] }));
    expect(rows.map(({ code, meaning }) => [code, meaning])).toEqual(EXIT_CODE_DOC.map((e) => [e.code, e.meaning]));
    expect(rows.map(({ code, inCi }) => [code, inCi === 'passes' ? 'passes' : inCi.startsWith('fails') ? 'fails' : inCi])).toEqual(
      EXIT_CODE_DOC.map((e) => [e.code, e.code === 0 ? 'passes' : 'fails']),
    );
  });

  it('documents every LOCKMC_* variable the configurations read', () => {
    for (const file of CONFIGS) {
      const vars = new Set(readFileSync(file, 'utf8').match(/LOCKMC_[A-Z_]+/g));
      expect(vars.size, file).toBeGreaterThan(0);
      for (const v of vars) expect(README, `${file} reads ${v}`).toContain(`\`${v}\``);
    }
  });

  it('links both configurations', () => {
    expect(README).toContain('[github-actions.yml](github-actions.yml)');
    expect(README).toContain('[gitlab-ci.yml](gitlab-ci.yml)');
  });
});
