/**
 * `lockmc export --format promela` is faithful: for each of ≥ 30 models
 * (fixtures across the rule families, and the bench families), SPIN, run
 * to completion on the exported program with and without its own
 * partial-order reduction, reports exactly the properties lockmc's
 * explicit engine finds violated by a full search. .ci/run installs spin
 * and gcc; without them the test says so and skips.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haveSpin } from '../../bench/spin.js';
import { familySystemWithRules } from '../../bench/families/index.js';
import { toPromela } from '../../checker/export/promela.js';
import { exploreExplicit } from '../../checker/engines/explicit/index.js';
import { DEFAULT_CHECK_OPTIONS, resolveRules, runPipeline, startRun } from '../../checker/index.js';
import type { TransitionSystem } from '../../checker/semantics/system.js';
import { makeBudget } from '../../model/budget.js';
import { SAFETY_NET_MS } from '../budgets.js';

const spin = haveSpin();
/** Models whose full search is larger than this are left out (the test compares complete searches only). */
const MAX_STATES = 100_000;

/** Every 6th rule fixture (sorted): most rule families are represented. */
function fixtureSample(): string[] {
  const root = 'fixtures/rules';
  const all = readdirSync(root)
    .sort()
    .flatMap((rule) => readdirSync(join(root, rule)).filter((f) => f.endsWith('.model.ts')).sort().map((f) => join(root, rule, f)));
  return all.filter((_f, i) => i % 6 === 0);
}

async function systemOf(file: string): Promise<TransitionSystem | undefined> {
  const options = { ...DEFAULT_CHECK_OPTIONS };
  const rules = resolveRules(options);
  const run = await runPipeline(startRun(file, readFileSync(file, 'utf8'), options, rules, makeBudget(SAFETY_NET_MS)), { until: 'compile' });
  return run.kind === 'ended' ? undefined : run.state.products.compile!.ts;
}

/** rule/check of each property lockmc's full explicit search finds violated; undefined when the search is too large. */
async function lockmcViolations(ts: TransitionSystem): Promise<string[] | undefined> {
  const r = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 1024, maxStates: MAX_STATES, reduction: 'none', stopAtFirst: false });
  if (r.results.some((x) => x.status === 'inconclusive')) return undefined;
  return [...new Set(ts.properties.flatMap((p, i) => (r.results[i].status === 'violated' ? [`${p.rule}/${p.check}`] : [])))].sort();
}

/** The properties SPIN's "assertion violated <rule__check_holds>" lines name, per pan build. */
function spinViolations(ts: TransitionSystem, dir: string, withPor: boolean): { full: string[]; por?: string[] } {
  writeFileSync(join(dir, 'model.pml'), toPromela(ts));
  const a = spawnSync('spin', ['-a', 'model.pml'], { cwd: dir, encoding: 'utf8' });
  expect(a.status, a.stdout + a.stderr).toBe(0);
  const byFlag = new Map(ts.properties.map((p) => [`${p.rule}__${p.check}`.replace(/[^A-Za-z0-9_]/g, '_') + '_holds', `${p.rule}/${p.check}`]));
  const run = (flags: string[]) => {
    const cc = spawnSync('gcc', ['-O0', '-DSAFETY', '-DVECTORSZ=4096', ...flags, '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' });
    expect(cc.status, cc.stderr).toBe(0);
    // -c0: go on after each error, so every violated property is reported; -m: depth.
    const r = spawnSync(join(dir, 'pan'), ['-m1000000', '-c0', '-e'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.stdout).toMatch(/errors: \d+/);
    const names = [...r.stdout.matchAll(/assertion violated (\w+)/g)].map((m) => byFlag.get(m[1]) ?? `unknown ${m[1]}`);
    return [...new Set(names)].sort();
  };
  return { full: run(['-DNOREDUCE']), ...(withPor ? { por: run([]) } : {}) };
}

describe.skipIf(!spin)('Promela export agrees with SPIN', () => {
  it('on ≥ 30 models: the same violated properties (SPIN\'s reduction on every third)', async () => {
    const systems: [string, TransitionSystem][] = [];
    for (const file of fixtureSample()) {
      const ts = await systemOf(file);
      if (ts) systems.push([file, ts]);
    }
    for (const [family, n] of [['ring', 3], ['ordered', 3], ['reclaim-bug', 1], ['reclaim-fix', 1]] as const) systems.push([`${family}-${n}`, familySystemWithRules(family, n)]);
    let compared = 0;
    let violating = 0;
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-promela-'));
    try {
      for (const [name, ts] of systems) {
        const ours = await lockmcViolations(ts);
        if (ours === undefined) continue;
        // Each pan build is a gcc run of seconds: SPIN's reduction on every third model.
        const theirs = spinViolations(ts, dir, compared % 3 === 0);
        expect({ name, spin: theirs.full }).toEqual({ name, spin: ours });
        if (theirs.por) expect({ name, spinPor: theirs.por }).toEqual({ name, spinPor: ours });
        compared++;
        if (ours.length > 0) violating++;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(compared).toBeGreaterThanOrEqual(30);
    // Both sides of the comparison are exercised.
    expect(violating).toBeGreaterThanOrEqual(10);
    expect(compared - violating).toBeGreaterThanOrEqual(10);
  }, 1_800_000);
});

it('knows whether SPIN is installed', () => {
  if (!spin) console.warn('spin or gcc not found: the Promela agreement test is skipped (apt-get install spin gcc)');
  expect(typeof spin).toBe('boolean');
});

describe('lockmc export (CLI)', () => {
  it('writes the Promela of a model; --property narrows it; an unknown property is a usage error', async () => {
    const { main } = await import('../../cli/main.js');
    const { fakeIo } = await import('../cli/fake-io.js');
    const file = 'fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts';
    const all = fakeIo();
    expect(await main(['export', file], all)).toBe(0);
    expect(all.stdout).toMatch(/^\/\* lockmc export: transition system [0-9a-f]{12}, \d+ variables, \d+ threads, \d+ transitions, \d+ properties\. \*\/\n/);
    expect(all.stdout).toContain('hidden byte deadlock__deadlock_holds = 0;');
    const one = fakeIo();
    expect(await main(['export', file, '--property', 'deadlock/deadlock'], one)).toBe(0);
    expect(one.stdout).toMatch(/, 1 properties\. \*\/\n/);
    expect(one.stdout).not.toContain('fence_finite');
    const bad = fakeIo();
    expect(await main(['export', file, '--property', 'deadlock/nope'], bad)).toBe(2);
    expect(bad.stderr).toMatch(/^lockmc: --property deadlock\/nope: not a property of this model's rules \(it has /);
  });
});
