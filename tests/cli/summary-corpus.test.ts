/**
 * `lockmc check` from the repository root, as a new user runs it: every
 * fixture under the cwd, summary first. Slow (the whole corpus, ~30-90 s):
 * one test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt } from './built-cli.js';

describe('check with no path at the repository root', () => {
  it('prints at most 40 lines, no report, and ends in the OK outcome line', () => {
    ensureBuilt();
    const models = execFileSync('find', ['.', '-name', '*.model.ts', '-not', '-path', './node_modules/*', '-not', '-path', './.*'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '');
    expect(models.every((m) => m.startsWith('./fixtures/'))).toBe(true);
    // A generous per-model wall clock: a busy machine must not turn a verdict inconclusive.
    const r = spawnSync(process.execPath, [BIN, 'check', '--no-cache', '--timeout', '600', '--format', 'text'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(r.stdout).not.toMatch(/^model: /m);
    expect(lines[0]).toMatch(/^lockmc \d+\.\d+\.\d+(, z3 [\d.]+)?$/);
    expect(lines[1]).toBe('');
    // The rest is the outcome line, wrapped: its first word is the outcome.
    expect(lines[2]).toMatch(new RegExp(`^OK: ${models.length} models, all as expected; `));
    expect(lines.slice(2).join(' ').replace(/\s+/g, ' ')).toMatch(
      new RegExp(
        `^OK: ${models.length} models, all as expected; violations: \\d+ declared(, \\d+ more in models as expected)?, 0 undeclared; model errors: \\d+ declared, 0 undeclared; other verdicts: \\d+ proved, \\d+ not applicable; exit 0$`,
      ),
    );
  }, 600_000);
});
