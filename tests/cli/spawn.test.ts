/**
 * The built CLI as a user runs it: a real process, real exit codes.
 * Everything else is tested in-process through `main`; these few make
 * sure the shebang, the bin entry and the exit-code plumbing work.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return t;
}

beforeAll(() => {
  // `npm ci` builds through `prepare`; rebuild only when cli/ changed since.
  if (!existsSync(BIN) || statSync(BIN).mtimeMs < newest(join(ROOT, 'cli'))) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript; the tests below say whether the CLI runs.
    }
  }
});

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
