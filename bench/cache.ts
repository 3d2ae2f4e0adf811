/**
 * @bench The result cache (docs/cache.md), in one process on the bundled
 * corpus (`fixtures/`) with a fresh temporary cache directory:
 *
 * (a) after one warm-up run without the cache (so JIT and module loading
 *     are out of the figures), the first run (cold cache: every model
 *     checked and stored) against the
 *     second run of the unchanged corpus (every model served by its text
 *     key): target second ≥ 10× faster;
 * (b) a one-rule change (rule `--rule <id>`, default
 *     phyr-no-struct-page: one of its messages reworded): only the
 *     models that rule touches are checked again, the others are served by
 *     their system key after the front end. Prints models re-checked vs
 *     total and the models the rule touches (which must be equal), and
 *     compares every model with a run of the changed rule set without the
 *     cache (apart from `ms` and `cached` they must be equal).
 *
 * Run after the build: `node dist/bench/cache.js [--rule <id>]`. Times
 * are wall clock: only ratios mean anything on a loaded machine.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { check, DEFAULT_CHECK_OPTIONS, resolveRules, type ModelReport, type ResolvedRules } from '../checker/index.js';
import { prepareModel } from '../checker/check-model.js';
import { touchingRules } from '../checker/cache/key.js';
import { collectModels } from '../cli/files.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');

interface Run {
  ms: number;
  models: ModelReport[];
}

async function timed(files: string[], rules: ResolvedRules, dir: string | undefined): Promise<Run> {
  const t0 = performance.now();
  const r = await check(
    files.map((file) => ({ file })),
    DEFAULT_CHECK_OPTIONS,
    undefined,
    { rules, ...(dir ? { cache: { dir } } : {}) },
  );
  return { ms: performance.now() - t0, models: r.models };
}

/** The rule set with one message of `id` reworded: a change of that rule's definition only. */
function withChangedRule(rules: ResolvedRules, id: string): ResolvedRules {
  const changed = rules.rules.map((r) => {
    if (r.meta.id !== id) return r;
    const copy = structuredClone(r);
    const first = Object.keys(copy.meta.messages)[0];
    copy.meta.messages[first] = `${copy.meta.messages[first]} (reworded)`;
    return copy;
  });
  return { ...rules, rules: changed, hash: `${rules.hash}-changed` };
}

/** Models the rule touches, and models the front end stops (no system: they have only the text key, and cost only the front end). */
function touchedBy(files: string[], rules: ResolvedRules, id: string): { touched: number; stopped: number } {
  let touched = 0;
  let stopped = 0;
  for (const f of files) {
    const p = prepareModel(f, undefined, DEFAULT_CHECK_OPTIONS, rules);
    if (!('prepared' in p)) stopped++;
    else if (touchingRules(rules.rules, p.prepared.ts).has(id)) touched++;
  }
  return { touched, stopped };
}

async function main(): Promise<number> {
  const ruleArg = process.argv.indexOf('--rule');
  const ruleId = ruleArg > 0 ? process.argv[ruleArg + 1] : 'phyr-no-struct-page';
  const collected = collectModels([join(ROOT, 'fixtures')], ROOT);
  if (!('files' in collected)) throw new Error(`no corpus: ${collected.missing}`);
  const files = collected.files;
  const rules = resolveRules(DEFAULT_CHECK_OPTIONS);
  if (!rules.rules.some((r) => r.meta.id === ruleId)) {
    process.stderr.write(`no rule '${ruleId}'\n`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-bench-cache-'));
  try {
    // Without the cache first: the process is warm (JIT, the front end loaded) before the timed pair, so the ratio is the cache's alone.
    const warm = await timed(files, rules, undefined);
    const first = await timed(files, rules, dir);
    const second = await timed(files, rules, dir);
    const changedRules = withChangedRule(rules, ruleId);
    const changed = await timed(files, changedRules, dir);
    // The same rule set without the cache: what every served model must equal.
    const fresh = await timed(files, changedRules, undefined);
    const norm = (m: ModelReport) => JSON.stringify({ ...m, stats: { ...m.stats, ms: 0, cached: undefined } });
    const differing = changed.models.filter((m, i) => norm(m) !== norm(fresh.models[i])).length;
    const rechecked = changed.models.filter((m) => !m.stats.cached).length;
    const served = second.models.filter((m) => m.stats.cached).length;
    const { touched } = touchedBy(files, changedRules, ruleId);
    const ratio = first.ms / second.ms;
    const row = (a: string, b: string, c: string, d: string) => `${a.padEnd(46)}${b.padStart(10)}${c.padStart(12)}${d.padStart(10)}\n`;
    process.stdout.write(`bundled corpus: ${files.length} models; cache ${dir}\n\n`);
    process.stdout.write(row('run', 'ms', 'from cache', 'ratio'));
    process.stdout.write(row('without cache (warm-up)', warm.ms.toFixed(0), '-', '-'));
    process.stdout.write(row('first (cold cache)', first.ms.toFixed(0), '0', '1.0×'));
    process.stdout.write(row('second (unchanged corpus)', second.ms.toFixed(0), String(served), `${ratio.toFixed(1)}×`));
    process.stdout.write(row(`one rule changed (${ruleId})`, changed.ms.toFixed(0), String(files.length - rechecked), `${(first.ms / changed.ms).toFixed(1)}×`));
    process.stdout.write(
      `\nrule change: ${rechecked} of ${files.length} models re-checked; the rule touches ${touched}\n`,
    );
    process.stdout.write(`served after the rule change vs the same run without the cache: ${differing} of ${files.length} models differ (fresh run: ${fresh.ms.toFixed(0)} ms)\n`);
    process.stdout.write(`target: second run ≥ 10× faster: ${ratio >= 10 ? 'met' : 'NOT met'}; only touched pairs re-checked: ${rechecked === touched ? 'yes' : 'NO'}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
