/**
 * The built CLI as a user runs it: a real process, real exit codes.
 * Everything else is tested in-process through `main`; these few make
 * sure the shebang, the bin entry and the exit-code plumbing work.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt } from './built-cli.js';

// `npm ci` builds through `prepare`; rebuild only when the sources changed since.
beforeAll(ensureBuilt);

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('the built CLI', () => {
  it('--version and --help exit 0; the help has the exit-code table', () => {
    const v = run('--version');
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const h = run('--help');
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Exit codes:');
    expect(h.stdout).toContain('  70  internal error in lockmc');
  });
  it('usage errors exit 2 with one line and no stack trace', () => {
    for (const args of [['frob'], ['check', '--format', 'xml'], ['check', 'no-such.model.ts']]) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^lockmc: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
    expect(run('check', '--bound', '0').status).toBe(6);
  });
  it('starts with a shebang so the bin entry runs under node', () => {
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
