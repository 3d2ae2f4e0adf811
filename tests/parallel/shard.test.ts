/**
 * `--shard i/n`: the split is a partition of the corpus, the same on every
 * runner, balanced by cost when costs are known, and in the order a
 * directory walk lists files.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePaths, parseShard, partition, shardFiles } from '../../checker/parallel/shard.js';
import { collectModels } from '../../cli/files.js';
import { parseArgs } from '../../cli/args.js';

const path = fc.array(fc.constantFrom('a', 'b', 'a-b', 'a.b', 'B', 'z9'), { minLength: 1, maxLength: 3 }).map((p) => `${p.join('/')}.model.ts`);
const corpus = fc.uniqueArray(path, { maxLength: 40 });

describe('parseShard', () => {
  it('reads i/n, 1-based', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });
  it.each([
    ['0/3', 'the shard index i of i/n must be between 1 and 3.'],
    ['4/3', 'the shard index i of i/n must be between 1 and 3.'],
    ['1/0', 'the shard count n of i/n must be at least 1.'],
    ['x', 'expected i/n (1-based), e.g. 2/4.'],
    ['1/2/3', 'expected i/n (1-based), e.g. 2/4.'],
  ])('%s is refused', (text, error) => expect(parseShard(text)).toEqual({ error }));
  it('the CLI refuses a bad --shard with exit 2', () => {
    expect(parseArgs(['check', '--shard', '4/3'])).toEqual({ usageError: "option '--shard <i/n>' argument '4/3' is invalid. the shard index i of i/n must be between 1 and 3.", exitCode: 2 });
    expect(parseArgs(['check', '--jobs', '0'])).toEqual({ usageError: "option '-j, --jobs <n>' argument '0' is invalid. --jobs must be a positive integer.", exitCode: 2 });
    const ok = parseArgs(['check', '--shard', '2/3', '-j', '3']);
    expect('options' in ok && ok.options.shard).toEqual({ index: 2, count: 3 });
    expect('options' in ok && ok.options.jobs).toBe(3);
  });
});

describe('partition', () => {
  it('every file in exactly one shard, each shard in path order, whatever the input order and costs', () => {
    fc.assert(
      fc.property(corpus, fc.integer({ min: 1, max: 7 }), fc.func(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined })), (files, n, cost) => {
        const shards = partition(files, n, cost);
        expect(shards).toHaveLength(n);
        expect(shards.flat().sort()).toEqual([...files].sort());
        for (const s of shards) expect(s).toEqual([...s].sort(comparePaths));
        // Deterministic: another runner, given the corpus in another order, computes the same split.
        expect(partition([...files].reverse(), n, cost)).toEqual(shards);
      }),
    );
  });
  it('without known costs the shards differ in size by at most one', () => {
    fc.assert(
      fc.property(corpus, fc.integer({ min: 1, max: 7 }), (files, n) => {
        const sizes = partition(files, n).map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
  it('greedy longest first onto the least loaded shard, ties by path and by shard index', () => {
    const cost: Record<string, number> = { 'a.model.ts': 10, 'b.model.ts': 7, 'c.model.ts': 5, 'd.model.ts': 3, 'e.model.ts': 3 };
    // 10 → 1; 7 → 2; 5 → 2 (7 < 10: 12); 3 (d) → 1 (13); 3 (e) → 2 (12 < 13: 15).
    expect(partition(Object.keys(cost), 2, (f) => cost[f])).toEqual([
      ['a.model.ts', 'd.model.ts'],
      ['b.model.ts', 'c.model.ts', 'e.model.ts'],
    ]);
    expect(shardFiles(Object.keys(cost), { index: 2, count: 2 }, (f) => cost[f])).toEqual(['b.model.ts', 'c.model.ts', 'e.model.ts']);
  });
  it('an unknown cost counts as the median of the known ones', () => {
    // Known: 1, 9, 100 → median 9; x and y cost 9 each.
    const cost: Record<string, number | undefined> = { 'a.model.ts': 100, 'b.model.ts': 9, 'c.model.ts': 1, 'x.model.ts': undefined, 'y.model.ts': undefined };
    // 100 → 1; 9 (b) → 2; 9 (x) → 3; 9 (y) → 2 (2 and 3 tie at 9: the lower index); 1 → 3.
    expect(partition(Object.keys(cost), 3, (f) => cost[f])).toEqual([['a.model.ts'], ['b.model.ts', 'y.model.ts'], ['c.model.ts', 'x.model.ts']]);
  });
  it('more shards than models: the extra shards are empty', () => {
    expect(partition(['a.model.ts'], 3)).toEqual([['a.model.ts'], [], []]);
  });
});

describe('comparePaths', () => {
  it('is the order a directory walk lists a corpus in (cli/files.ts)', () => {
    const root = mkdtempSync(join(tmpdir(), 'lockmc-shard-order-'));
    try {
      const names = ['a/x.model.ts', 'a-b/x.model.ts', 'a.b/x.model.ts', 'a/b/y.model.ts', 'ab.model.ts', 'B.model.ts', 'a/c.model.ts'];
      for (const n of names) {
        mkdirSync(join(root, n, '..'), { recursive: true });
        writeFileSync(join(root, n), '');
      }
      const c = collectModels(['.'], root);
      expect('files' in c && c.files).toEqual([...names].sort(comparePaths));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
