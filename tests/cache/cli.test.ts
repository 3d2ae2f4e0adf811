/**
 * The cache from the command line: the options parse, a second `check`
 * is served from the cache, `--no-cache` and LOCKMC_NO_CACHE bypass it,
 * LOCKMC_CACHE_DIR places it, two concurrent runs share one directory.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCliOptions, parseArgs } from '../../cli/args.js';
import { resolveCheckOptions } from '../../cli/shared.js';
import type { Report } from '../../checker/report.js';
import { BIN, ensureBuilt, ROOT } from '../cli/built-cli.js';

const MODEL = join(ROOT, 'fixtures', 'rules', 'fault-handler-lock-order', 'violates-fault-takes-copy-lock.model.ts');
const { LOCKMC_NO_CACHE: _off, LOCKMC_CACHE_DIR: _dir, ...BASE_ENV } = process.env;
const ENV = { ...BASE_ENV, NO_COLOR: '1' };

let dir: string;
beforeAll(() => ensureBuilt());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockmc-cache-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lockmc(args: string[], env: NodeJS.ProcessEnv = ENV): { code: number | null; report: Report; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'check', MODEL, '-f', 'json', '-q', ...args], { cwd: ROOT, encoding: 'utf8', env });
  return { code: r.status, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('options', () => {
  it('parse', () => {
    const r = parseArgs(['check', '--cache-dir', 'c', '--no-cache', '--cache-max-mb', '64']);
    expect(r).toEqual({ command: { kind: 'check', paths: [] }, options: { ...defaultCliOptions(), cacheDir: 'c', noCache: true, cacheMaxMb: 64 } });
    expect(parseArgs(['check', '--cache-max-mb', '0'])).toEqual({ usageError: "option '--cache-max-mb <MB>' argument '0' is invalid. --cache-max-mb must be a positive number.", exitCode: 2 });
    const help = parseArgs(['check', '--help']);
    if (!('command' in help) || help.command.kind !== 'help') throw new Error('expected help');
    for (const o of ['--cache-dir', '--no-cache', '--cache-max-mb']) expect(help.command.text).toContain(o);
    // Only check reads the cache.
    expect(parseArgs(['replay', 'm.model.ts', '--schedule', 'x', '--no-cache'])).toEqual({ usageError: "unknown option '--no-cache'", exitCode: 2 });
  });

  it('resolve: --cache-dir over LOCKMC_CACHE_DIR over the package default; --no-cache and LOCKMC_NO_CACHE bypass', () => {
    const cli = defaultCliOptions();
    expect(resolveCheckOptions(cli, ROOT, {}).cache).toEqual({ dir: join(ROOT, 'node_modules', '.cache', 'lockmc') });
    expect(resolveCheckOptions(cli, ROOT, { LOCKMC_CACHE_DIR: '/tmp/x' }).cache).toEqual({ dir: '/tmp/x' });
    expect(resolveCheckOptions({ ...cli, cacheDir: 'c', cacheMaxMb: 8 }, ROOT, { LOCKMC_CACHE_DIR: '/tmp/x' }).cache).toEqual({ dir: join(ROOT, 'c'), maxMb: 8 });
    expect(resolveCheckOptions({ ...cli, noCache: true }, ROOT, {}).cache).toBeUndefined();
    expect(resolveCheckOptions(cli, ROOT, { LOCKMC_NO_CACHE: '1' }).cache).toBeUndefined();
  });
});

describe('lockmc check', () => {
  it('serves the second run from the cache', () => {
    const first = lockmc(['--cache-dir', dir]);
    const second = lockmc(['--cache-dir', dir]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(first.report.models[0].stats.cached).toBeUndefined();
    expect(second.report.models[0].stats.cached).toBe(true);
    expect(second.stderr).toBe(first.stderr);
    // The text summary says how many came from the cache (and nothing when none did).
    const text = (args: string[]) => spawnSync(process.execPath, [BIN, 'check', MODEL, '-f', 'text', '-q', ...args], { cwd: ROOT, encoding: 'utf8', env: ENV }).stdout;
    expect(text(['--cache-dir', dir])).toMatch(/; 1 from cache; exit 0\n/);
    expect(text(['--no-cache'])).not.toMatch(/from cache/);
  });

  it('--no-cache and LOCKMC_NO_CACHE neither read nor write it', () => {
    lockmc(['--cache-dir', dir]);
    expect(lockmc(['--cache-dir', dir, '--no-cache']).report.models[0].stats.cached).toBeUndefined();
    expect(lockmc(['--cache-dir', dir], { ...ENV, LOCKMC_NO_CACHE: '1' }).report.models[0].stats.cached).toBeUndefined();
    const unused = join(dir, 'unused');
    lockmc(['--cache-dir', unused, '--no-cache']);
    expect(existsSync(unused)).toBe(false);
  });

  it('LOCKMC_CACHE_DIR places it', () => {
    const env = { ...ENV, LOCKMC_CACHE_DIR: join(dir, 'env') };
    lockmc([], env);
    expect(existsSync(join(dir, 'env', 'entries'))).toBe(true);
    expect(lockmc([], env).report.models[0].stats.cached).toBe(true);
  });

  it('two concurrent runs write one directory; a third is served', async () => {
    const run = () =>
      new Promise<number | null>((res) => {
        const c = spawn(process.execPath, [BIN, 'check', MODEL, '-q', '-f', 'json', '--cache-dir', dir], { cwd: ROOT, env: ENV, stdio: 'ignore' });
        c.on('exit', (code) => res(code));
      });
    expect(await Promise.all([run(), run()])).toEqual([0, 0]);
    expect(lockmc(['--cache-dir', dir]).report.models[0].stats.cached).toBe(true);
  });

  it('an unwritable cache directory warns (LMC470) and exits 0', () => {
    const r = lockmc(['--cache-dir', '/dev/null/cache']);
    expect(r.code).toBe(0);
    expect(r.report.diagnostics.map((d) => [d.code, d.severity])).toEqual([['LMC470', 'warning']]);
  });
});
