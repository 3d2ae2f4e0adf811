/**
 * The cache's files: keys change with the versions, entries are
 * checksummed, eviction removes least recently used entries first, two
 * processes writing one key never leave a torn entry, the default
 * directory is where JavaScript tools keep caches.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheSizeBytes, defaultCacheDir, entryPath, evict, lastCostMs, recordCosts, ruleContextDigest, systemKey, textKey } from '../../checker/cache/index.js';
import { readEntry, writeEntry } from '../../checker/cache/store.js';
import { makeProfile, touchingFromProfile } from '../../checker/cache/key.js';
import type { Rule } from '../../rules/types.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import { ensureBuilt, ROOT } from '../cli/built-cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockmc-store-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CTX = { rules: [], options: {}, orders: [], hash: 'h' };

describe('keys', () => {
  it('the lockmc and Z3 versions and the code digest are part of both keys', () => {
    const v = { lockmc: '0.1.0', z3: '4.15.0', code: 'c0' };
    const t = (x: typeof v) => textKey(x, 'm.model.ts', 'text', DEFAULT_CHECK_OPTIONS, ruleContextDigest(CTX));
    const s = (x: typeof v) => systemKey(x, { file: 'm.model.ts', sourceHash: 'abc', ts: { hash: 'sys', properties: [] } }, DEFAULT_CHECK_OPTIONS, CTX);
    expect(t(v)).toBe(t({ ...v }));
    expect(t({ ...v, lockmc: '0.1.1' })).not.toBe(t(v));
    expect(t({ ...v, z3: '4.15.1' })).not.toBe(t(v));
    expect(s({ ...v, lockmc: '0.1.1' })).not.toBe(s(v));
    expect(s({ ...v, z3: '4.15.1' })).not.toBe(s(v));
    expect(t({ ...v, code: 'c1' })).not.toBe(t(v));
    expect(s({ ...v, code: 'c1' })).not.toBe(s(v));
  });

  it('the system key follows the system hash and the source', () => {
    const v = { lockmc: '0.1.0', z3: undefined, code: 'c0' };
    const s = (hash: string, sourceHash: string) => systemKey(v, { file: 'm.model.ts', sourceHash, ts: { hash, properties: [] } }, DEFAULT_CHECK_OPTIONS, CTX);
    expect(s('a', 'x')).not.toBe(s('b', 'x'));
    expect(s('a', 'x')).not.toBe(s('a', 'y'));
  });
});

describe('which rules touch, from a profile', () => {
  const step = (id: string, op: string): Rule =>
    ({ meta: { id }, checks: [{ kind: 'step', id: 'c', on: { op } }] }) as unknown as Rule;
  const profile = (rules: Rule[], touching: string[]) => makeProfile(['lock', 'unlock'], rules, new Set(touching));

  it('a rule with the definition the profile saw touches as it did', () => {
    const a = step('a', 'lock');
    const b = step('b', 'fence_wait');
    expect(touchingFromProfile(profile([a, b], ['a']), [a, b])).toEqual(new Set(['a']));
  });

  it('a new or changed rule with step checks only on ops the model never uses touches nothing', () => {
    const a = step('a', 'lock');
    expect(touchingFromProfile(profile([a], ['a']), [a, step('n', 'fence_wait')])).toEqual(new Set(['a']));
  });

  it('a new or changed rule that may match, or has any other check, leaves it unknown', () => {
    const a = step('a', 'lock');
    expect(touchingFromProfile(profile([a], []), [step('a', 'unlock')])).toBeUndefined();
    const state = { meta: { id: 's' }, checks: [{ kind: 'state', id: 'c', bad: { kind: 'true' } }] } as unknown as Rule;
    expect(touchingFromProfile(profile([a], []), [a, state])).toBeUndefined();
  });
});

describe('entries', () => {
  it('round-trip, and a wrong checksum or bad JSON is absent', () => {
    expect(writeEntry(dir, 'ab12', { report: 1 })).toBeUndefined();
    expect(readEntry(dir, 'ab12')).toEqual({ report: 1 });
    const f = entryPath(dir, 'ab12');
    writeFileSync(f, 'deadbeef\n{"report":1}');
    expect(readEntry(dir, 'ab12')).toBeUndefined();
    expect(readEntry(dir, 'nope')).toBeUndefined();
  });

  it('a write into a path under a file fails with its reason, never throws', () => {
    writeFileSync(join(dir, 'f'), '');
    expect(writeEntry(join(dir, 'f'), 'ab', {})).toEqual({ dir: join(dir, 'f'), reason: 'ENOTDIR' });
  });
});

describe('eviction', () => {
  it('removes the least recently used entries down to the bound; a hit counts as use', () => {
    const big = 'x'.repeat(1000);
    const keys = ['aa01', 'aa02', 'aa03', 'aa04'];
    keys.forEach((k, i) => {
      writeEntry(dir, k, { big });
      const t = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      utimesSync(entryPath(dir, k), t, t);
    });
    // The oldest is read: it becomes the newest.
    expect(readEntry(dir, 'aa01')).toEqual({ big });
    const one = cacheSizeBytes(dir) / 4;
    expect(evict(dir, Math.floor(one * 2.5))).toBe(2);
    const left = readdirSync(join(dir, 'entries', 'aa')).sort();
    expect(left).toEqual(['aa01.json', 'aa04.json']);
    expect(evict(dir, 1e9)).toBe(0);
  });
});

describe('concurrent writers', () => {
  it('two processes writing one key many times never leave a torn or unchecked entry', async () => {
    ensureBuilt();
    const store = join(ROOT, 'dist', 'checker', 'cache', 'store.js');
    const script = `
      const { writeEntry } = await import(${JSON.stringify(store)});
      const payload = { report: { verdicts: [], stats: { ms: 0, engine: [] }, pad: 'y'.repeat(200000) } };
      for (let i = 0; i < 60; i++) { const e = writeEntry(process.argv[1], 'cafe', payload); if (e) { console.error(e); process.exit(1); } }
    `;
    const child = () =>
      new Promise<number>((res) => {
        const c = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
        c.on('exit', (code) => res(code ?? -1));
      });
    const both = Promise.all([child(), child()]);
    // Read while they write: every read is the whole entry or none.
    let done = false;
    both.then(() => (done = true));
    while (!done) {
      const v = readEntry(dir, 'cafe') as { report: { pad: string } } | undefined;
      if (v) {
        expect(v.report.pad.length).toBe(200000);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await both).toEqual([0, 0]);
    expect((readEntry(dir, 'cafe') as { report: { pad: string } }).report.pad.length).toBe(200000);
    // No temporary file left behind.
    expect(readdirSync(join(dir, 'entries', 'ca'))).toEqual(['cafe.json']);
  });
});

describe('costs for shard balancing', () => {
  it('records the last cost by absolute path', () => {
    expect(lastCostMs(dir, 'a.model.ts')).toBeUndefined();
    recordCosts(dir, [{ file: join(dir, 'a.model.ts'), ms: 12 }]);
    recordCosts(dir, [{ file: join(dir, 'b.model.ts'), ms: 7 }]);
    expect(lastCostMs(dir, join(dir, 'a.model.ts'))).toBe(12);
    expect(lastCostMs(dir, join(dir, 'b.model.ts'))).toBe(7);
  });
});

describe('location', () => {
  it('LOCKMC_CACHE_DIR, else node_modules/.cache/lockmc of the nearest package, else XDG_CACHE_HOME', () => {
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'src', 'deep'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    expect(defaultCacheDir(join(pkg, 'src', 'deep'), {})).toBe(join(pkg, 'node_modules', '.cache', 'lockmc'));
    expect(defaultCacheDir(join(pkg, 'src'), { LOCKMC_CACHE_DIR: 'c' })).toBe(join(pkg, 'src', 'c'));
    // No package above: the user's cache directory.
    expect(defaultCacheDir('/', { XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/lockmc');
  });
});
