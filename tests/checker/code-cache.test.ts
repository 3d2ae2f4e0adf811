/**
 * checker/code-cache.ts: a large node_modules file is compiled from V8's
 * cache on the second run, gives the same exports, and a corrupt entry is
 * rejected by V8 and rewritten, never trusted.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import Module from 'node:module';

// The built module (the suite's set-up builds dist/): a spawned plain node cannot load TypeScript.
const CODE_CACHE = pathToFileURL(join(process.cwd(), 'dist', 'checker', 'code-cache.js')).href;
const enabledByNode = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';

/** One process: install the cache, require the big module, print its answer and the cache's counts. */
function run(dir: string, big: string): { answer: number; hits: number; misses: number; rejected: number } {
  const script = `
    const { installCodeCache, codeCacheStats } = await import(${JSON.stringify(CODE_CACHE)});
    const { createRequire } = await import('node:module');
    installCodeCache(${JSON.stringify(join(dir, 'code'))}, {});
    const answer = createRequire(import.meta.url)(${JSON.stringify(big)}).answer();
    console.log(JSON.stringify({ answer, ...codeCacheStats }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, LOCKMC_NO_CACHE: '' } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe.skipIf(enabledByNode)('the code cache on Node without enableCompileCache', () => {
  it('misses, then hits with the same result; a corrupt entry is rejected and rewritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-code-cache-'));
    const pkg = join(dir, 'node_modules', 'big');
    mkdirSync(pkg, { recursive: true });
    // Above the 512 KiB floor: many small functions, one of which answers.
    const fns = Array.from({ length: 16000 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n');
    const big = join(pkg, 'index.js');
    writeFileSync(big, `${fns}\nexports.answer = () => f41(1);\n`);
    expect(run(dir, big)).toEqual({ answer: 42, hits: 0, misses: 1, rejected: 0 });
    expect(readdirSync(join(dir, 'code'))).toHaveLength(1);
    expect(run(dir, big)).toEqual({ answer: 42, hits: 1, misses: 0, rejected: 0 });
    const [entry] = readdirSync(join(dir, 'code'));
    writeFileSync(join(dir, 'code', entry), 'not a V8 code cache');
    expect(run(dir, big)).toEqual({ answer: 42, hits: 0, misses: 0, rejected: 1 });
    expect(run(dir, big)).toEqual({ answer: 42, hits: 1, misses: 0, rejected: 0 });
  });

  it('is off under LOCKMC_NO_CACHE=1', async () => {
    const { installCodeCache } = await import('../../checker/code-cache.js');
    expect(installCodeCache(join(tmpdir(), 'unused'), { LOCKMC_NO_CACHE: '1' })).toBe(false);
  });
});
