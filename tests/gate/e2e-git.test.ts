/**
 * Issue #11 item 6 from the command line: a rule change that flips one
 * fixture's verdict fails `lockmc rules diff` until the fixture's header
 * says so in the same commit; a revert passes; a second run is served from
 * the result cache (ModelReport.stats.cached, summed per side in the JSON).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../cli/built-cli.js';
import type { RulesDiff } from '../../checker/gate/types.js';
import { git, read, scratchRepo, siteRules, sleeper, SLEEP_LINE, write } from './scratch-repo.js';

let repo: string;
/** The scenario's own result cache: on, as for a user (the suite otherwise runs with LOCKMC_NO_CACHE=1). */
let cacheDir: string;

function diff(...args: string[]): { code: number | null; json: RulesDiff; stderr: string } {
  const { LOCKMC_NO_CACHE: _off, ...env } = process.env;
  const r = spawnSync(process.execPath, [BIN, 'rules', 'diff', ...args, '--format', 'json'], { cwd: repo, encoding: 'utf8', env: { ...env, NO_COLOR: '1', LOCKMC_CACHE_DIR: cacheDir } });
  return { code: r.status, json: JSON.parse(r.stdout) as RulesDiff, stderr: r.stderr };
}

const brief = (d: RulesDiff) => d.pairs.map((p) => `${p.model} ${p.rule}: ${p.base} -> ${p.head} (${p.change})`);

beforeAll(() => {
  ensureBuilt();
  repo = scratchRepo();
  cacheDir = mkdtempSync(join(tmpdir(), 'lockmc-gate-cache-'));
  // The rule moves to a class no model takes: the a_lock model is acquitted.
  write(repo, 'rules/site.json', siteRules('c_lock'));
  git(repo, 'commit', '-q', '-am', 'the rule is about c_lock now');
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('lockmc rules diff on a scratch repository', () => {
  it('lists exactly the flipped model x rule pair and fails while the header is stale', () => {
    const r = diff('HEAD~1', 'HEAD');
    expect(brief(r.json)).toEqual(['fixtures/sleeps-under-a.model.ts no-sleep-under-a: violated -> holds (fixed)']);
    expect(r.json.permitted.map((p) => `${p.model} ${p.rule}`)).toEqual(['fixtures/sleeps-under-a.model.ts no-sleep-under-a']);
    expect(r.json.counts).toEqual({ introduced: 0, fixed: 1, changed: 0, unchanged: 8 });
    expect(r.json.diagnostics.map((d) => `${d.code} ${d.file}: ${d.message}`)).toEqual([
      'LMC317 fixtures/sleeps-under-a.model.ts: declared verdict changed (no-sleep-under-a): its verdicts changed but its @expect header did not',
    ]);
    expect(r.code).toBe(1);
  });

  it('passes once the header is updated in the same commit', () => {
    const file = 'fixtures/sleeps-under-a.model.ts';
    write(repo, file, read(repo, file).replace(`@expect violates no-sleep-under-a/sleep at ${SLEEP_LINE}`, '@expect holds all'));
    git(repo, 'commit', '-q', '-a', '--amend', '-m', 'the rule is about c_lock now; the a_lock model holds');
    const r = diff('HEAD~1', 'HEAD');
    expect(brief(r.json)).toEqual(['fixtures/sleeps-under-a.model.ts no-sleep-under-a: violated -> holds (fixed)']);
    expect(r.json.headers).toEqual([
      { model: 'fixtures/sleeps-under-a.model.ts', rules: ['no-sleep-under-a'], headerChanged: true, headMet: true, ok: true, reason: 'its @expect header was updated and is met' },
    ]);
    expect(r.json.diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('passes on the revert, and the working tree is the default head', () => {
    git(repo, 'revert', '--no-edit', 'HEAD');
    const r = diff('HEAD~1', 'HEAD');
    expect(brief(r.json)).toEqual(['fixtures/sleeps-under-a.model.ts no-sleep-under-a: holds -> violated (introduced)']);
    expect(r.json.pairs[0].findings).toEqual([{ check: 'sleep', message: 'might_sleep() while holding the fast-path lock', line: SLEEP_LINE }]);
    expect(r.code).toBe(0);
    const worktree = diff('HEAD');
    expect(worktree.json.head.kind).toBe('worktree');
    expect(worktree.json.pairs).toEqual([]);
    expect(worktree.code).toBe(0);
  });

  it('serves a second run of the same diff from the result cache', () => {
    diff('HEAD~2', 'HEAD~1');
    const again = diff('HEAD~2', 'HEAD~1');
    expect(again.json.base.cache).toEqual({ hits: 3, misses: 0 });
    expect(again.json.head.cache).toEqual({ hits: 3, misses: 0 });
    expect(again.code).toBe(0);
  });

  it('takes directories of rule files as sides, with the models of the working tree', () => {
    const old = mkdtempSync(join(tmpdir(), 'lockmc-gate-old-'));
    const now = mkdtempSync(join(tmpdir(), 'lockmc-gate-new-'));
    try {
      write(old, 'site.json', siteRules('a_lock'));
      write(now, 'site.json', siteRules('b_lock'));
      const r = diff(old, now);
      expect([r.json.base.kind, r.json.head.kind]).toEqual(['dir', 'dir']);
      expect(brief(r.json)).toEqual([
        'fixtures/sleeps-under-a.model.ts no-sleep-under-a: violated -> holds (fixed)',
        'fixtures/sleeps-under-b.model.ts no-sleep-under-a: holds -> violated (introduced)',
      ]);
      expect(r.json.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(['LMC317 fixtures/sleeps-under-a.model.ts', 'LMC317 fixtures/sleeps-under-b.model.ts']);
      expect(r.code).toBe(1);
    } finally {
      rmSync(old, { recursive: true, force: true });
      rmSync(now, { recursive: true, force: true });
    }
  });

  it('never touches the user\'s tree or index', () => {
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('adds --model paths to the corpus, each read at its side (a new model is absent at base)', () => {
    write(repo, 'drivers/new.model.ts', sleeper('A new driver sleeping under a_lock.', 'a_lock', `@expect violates no-sleep-under-a/sleep at ${SLEEP_LINE}`));
    try {
      const r = diff('HEAD', '--model', 'drivers');
      expect(brief(r.json).filter((p) => p.startsWith('drivers/'))).toEqual([
        'drivers/new.model.ts no-sleep-under-a: absent -> violated (introduced)',
        'drivers/new.model.ts phyr-dma-mapped-not-remapped: absent -> holds (changed)',
        'drivers/new.model.ts phyr-no-struct-page: absent -> holds (changed)',
      ]);
      expect(r.json.headers.map((h) => `${h.model} ${h.ok} ${h.reason}`)).toEqual(['drivers/new.model.ts true its @expect header was updated and is met']);
      expect(r.code).toBe(0);
    } finally {
      rmSync(join(repo, 'drivers'), { recursive: true, force: true });
    }
  });

  it('refuses a revision that does not exist with LMC316 and exit 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'rules', 'diff', 'no-such-rev'], { cwd: repo, encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("error LMC316: 'no-such-rev' is neither a git revision nor a directory of rule files");
    expect(r.status).toBe(2);
  });
});
