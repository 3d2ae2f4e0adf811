/**
 * The built CLI as a user runs it: a real process, real exit codes.
 * Everything else is tested in-process through `main`; these few make
 * sure the shebang, the bin entry and the exit-code plumbing work.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, EXECUTABLE, ROOT, ensureBuilt } from './built-cli.js';

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

describe('the lockmc executable (dist/cli/bin.js)', () => {
  const exe = (...args: string[]) => spawnSync(process.execPath, [EXECUTABLE, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

  it('is what package.json installs as `lockmc`, and starts with a shebang', () => {
    expect(pkg.bin).toEqual({ lockmc: 'dist/cli/bin.js' });
    expect(readFileSync(EXECUTABLE, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
  it('answers --version and -V itself with the package version, as main.js does', () => {
    for (const flag of ['--version', '-V']) {
      const r = exe(flag);
      expect(r.status, flag).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
    expect(run('--version').stdout).toBe(`${pkg.version}\n`);
  });
  it('hands every other command line to main.js: same help, same usage errors and exit codes', () => {
    expect(exe('--help').stdout).toBe(run('--help').stdout);
    const bad = exe('check', '--format', 'xml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(run('check', '--format', 'xml').stderr);
    // `--version` among other arguments is commander's business, not the fast path's.
    const mixed = exe('--version', 'check');
    expect({ status: mixed.status, stdout: mixed.stdout, stderr: mixed.stderr }).toEqual((({ status, stdout, stderr }) => ({ status, stdout, stderr }))(run('--version', 'check')));
  });
});
