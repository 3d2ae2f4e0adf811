/**
 * `main()` in-process with a cwd that is not the process's: relative model
 * paths are read from `io.cwd` by the load pass and by the result cache,
 * and a rejected model is hashed by its text however it was read.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { check } from '../../checker/index.js';
import { shortHash } from '../../checker/hashes.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { Report } from '../../checker/report.js';
import { main } from '../../cli/main.js';
import { CHECK_BUDGET } from '../budgets.js';
import { fakeIo } from './fake-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HOLDS = `/**
 * Two mutexes, always in one order.
 *
 * @expect holds deadlock lockdep-circular-dependency
 */
import type {} from 'lockmc/kernel';

const a = mutex();
const b = mutex();

export function t() {
  mutex_lock(a);
  mutex_lock(b);
  mutex_unlock(b);
  mutex_unlock(a);
}
`;
const REJECTED = readFileSync(join(ROOT, 'fixtures/errors/LMC101-syntax-error.model.ts'), 'utf8');

const tmp = mkdtempSync(join(tmpdir(), 'lockmc-cwd-'));
beforeAll(() => {
  mkdirSync(join(tmp, 'models'), { recursive: true });
  writeFileSync(join(tmp, 'models', 'ok.model.ts'), HOLDS);
  writeFileSync(join(tmp, 'models', 'bad.model.ts'), REJECTED);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const io = fakeIo({ cwd: tmp });
  const code = await main(['check', '--format', 'json', '--engine', 'explicit', '--jobs', '1', ...args], io);
  return { code, report: JSON.parse(io.stdout) as Report, stderr: io.stderr };
}

describe('main() with a cwd other than the process cwd', () => {
  it('the load pass reads a relative model path from io.cwd', async () => {
    expect(process.cwd()).not.toBe(tmp);
    const { code, report } = await run(['--no-cache', 'models/ok.model.ts']);
    const m = report.models[0];
    expect(m.file).toBe('models/ok.model.ts');
    expect(m.diagnostics).toEqual([]);
    expect(m.expectation).toEqual({ met: true, detail: 'as declared' });
    expect(code).toBe(0);
  });

  it('the result cache reads it from io.cwd too: the second run is served from the cache', async () => {
    // vitest.config.ts turns the cache off for every test; the option resolution reads process.env.
    vi.stubEnv('LOCKMC_NO_CACHE', '');
    try {
      const cacheDir = join(tmp, 'cache');
      const first = await run(['--cache-dir', cacheDir, 'models/ok.model.ts']);
      expect(first.report.models[0].stats.cached).toBeUndefined();
      const second = await run(['--cache-dir', cacheDir, 'models/ok.model.ts']);
      expect(second.report.models[0].stats.cached).toBe(true);
      expect(second.report.models[0].verdicts).toEqual(first.report.models[0].verdicts);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a rejected model is hashed by its text, read from io.cwd or passed in', async () => {
    const { code, report } = await run(['--no-cache', 'models/bad.model.ts']);
    const m = report.models[0];
    expect(m.diagnostics.map((d) => d.code)).toEqual(['LMC101']);
    expect(m.expectation).toEqual({ met: true, detail: 'as declared' });
    expect(code).toBe(0);
    const given = await check([{ file: 'models/bad.model.ts', text: REJECTED }], { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'explicit', jobs: 1 });
    expect(m.hashes.model).toBe(given.models[0].hashes.model);
    expect(m.hashes.model).toBe(shortHash(REJECTED));
  });
});
