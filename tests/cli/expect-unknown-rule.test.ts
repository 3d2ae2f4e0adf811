import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { closest } from '../../checker/expect-rules.js';
import { fakeIo } from './fake-io.js';
import { spawnSync } from 'node:child_process';
import { BIN, ensureBuilt } from './built-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'lockmc-expect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MODEL = `/**
 * A typo in the header.
 *
 * @expect violates lockdep-circular-dependancy/cycle at 12
 * @expect holds deadlock no-such-rule-at-all
 */
import type {} from 'lockmc/kernel';

const a = mutex();

export function t() {
  mutex_lock(a);
  mutex_unlock(a);
}
`;

const DIAGNOSTICS = [
  "m.model.ts:4:21: error LMC340: @expect names unknown rule 'lockdep-circular-dependancy'",
  '     * @expect violates lockdep-circular-dependancy/cycle at 12',
  '                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  "  hint: did you mean 'lockdep-circular-dependency'?",
  '',
  "m.model.ts:5:27: error LMC340: @expect names unknown rule 'no-such-rule-at-all'",
  '     * @expect holds deadlock no-such-rule-at-all',
  '                              ^^^^^^^^^^^^^^^^^^^',
  '  hint: `lockmc rules` lists the rule ids',
].join('\n');

describe('an unknown rule id in @expect (LMC340)', () => {
  writeFileSync(join(tmp, 'm.model.ts'), MODEL);
  it('lint: a diagnostic at the tag with a did-you-mean, exit 4', async () => {
    const io = fakeIo({ cwd: tmp });
    expect(await main(['lint', '--format', 'text', 'm.model.ts'], io)).toBe(4);
    expect(io.stdout).toContain(`\n\n${DIAGNOSTICS}\n\n`);
  });
  it('check: the same diagnostic, and the expectation is not met', async () => {
    // The built CLI in the model's directory: the checker reads model paths against the process's cwd.
    ensureBuilt();
    const r = spawnSync(process.execPath, [BIN, 'check', '--no-cache', '--jobs', '1', '--format', 'text', 'm.model.ts'], { cwd: tmp, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(4);
    const io = { stdout: r.stdout };
    expect(io.stdout).toContain(`\n\n${DIAGNOSTICS}\n\n`);
    expect(io.stdout).toContain('expectation: NOT met (unexpected error LMC340;');
  });
  it('did-you-mean: the nearest id within a quarter of the length', () => {
    expect(closest('fence-finit', ['fence-finite', 'deadlock'])).toBe('fence-finite');
    expect(closest('ww-backof', ['ww-backoff', 'ww-ealready'])).toBe('ww-backoff');
    expect(closest('frobnicate', ['deadlock', 'fence-finite'])).toBeUndefined();
  });
});
