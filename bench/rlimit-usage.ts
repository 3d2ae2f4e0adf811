/**
 * @bench Z3 resources (`rlimit` counts) the Z3 engine uses per query on
 * every bundled fixture: what deterministic test budgets are sized from
 * (tests/z3-budget.ts). Each fixture's transition system is checked
 * with `--engine bmc` semantics (in the worker process), without a resource limit and
 * with a wall-clock limit far above need, and the largest single query is
 * reported. The count is Z3's, the same on a fast or a busy machine.
 *
 *   npm run build && node dist/bench/rlimit-usage.js [filter-regexp]
 */

import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { prepareModel } from '../checker/check-model.js';
import { resolveRules } from '../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../checker/options.js';
import { runBmcIsolated } from '../checker/engines/bmc/isolated.js';
import { shutdownSolver } from '../checker/engines/bmc/solver.js';
import { collectModels, packageRoot } from '../cli/files.js';

const ROOT = packageRoot();

async function main(): Promise<void> {
  const filter = process.argv[2];
  const re = filter ? new RegExp(filter) : undefined;
  const found = collectModels([join(ROOT, 'fixtures')], ROOT);
  if ('missing' in found) throw new Error(`no fixtures at ${ROOT}`);
  const files = found.files.map((f) => join(ROOT, f)).filter((f) => !re || re.test(f));
  const options = { ...DEFAULT_CHECK_OPTIONS, engine: 'bmc' as const, timeoutMs: 600_000, rules: { preset: 'all' } };
  const rules = resolveRules(options);
  const rows: { fixture: string; calls: number; max: number; undecided: number; ms: number }[] = [];
  for (const file of files) {
    const p = prepareModel(file, readFileSync(file, 'utf8'), options, rules);
    if (!('prepared' in p)) continue; // a model with errors never reaches Z3
    // In the worker process, as `check` runs it: it recycles its WASM heap.
    const r = await runBmcIsolated(p.prepared.ts, { timeoutMs: options.timeoutMs, mode: 'prove' });
    rows.push({
      fixture: relative(join(ROOT, 'fixtures'), file).replace(/\.model\.ts$/, ''),
      calls: r.stats.solverCalls ?? 0,
      max: r.stats.rlimitMax ?? 0,
      undecided: r.results.filter((x) => x.status === 'inconclusive').length,
      ms: r.stats.ms,
    });
    const last = rows[rows.length - 1];
    process.stderr.write(`${last.fixture} ${last.max} ${last.ms} ms\n`);
  }
  rows.sort((a, b) => b.max - a.max);
  const head = ['fixture', 'queries', 'max rlimit', 'undecided', 'ms'];
  const cells = rows.map((r) => [r.fixture, String(r.calls), String(r.max), String(r.undecided), String(r.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log('Z3 engine, largest rlimit count of one query per fixture, largest first');
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'));
  console.log(`${rows.length} fixtures; largest query ${rows[0]?.max ?? 0}; undecided: ${rows.filter((r) => r.undecided > 0).length}`);
  await shutdownSolver();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
