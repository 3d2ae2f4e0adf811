/**
 * @bench The Z3 engine on every bundled fixture: the checker issue's floor
 * is "BMC decides every fixture in < 10 s". One row per fixture: state
 * bits, transitions, completeness bound, properties, how many the
 * fixed-point pass proved and how many the unrolled search decided,
 * verdict against the fixture's @expect header, and wall time (with the
 * child process, as `lockmc check --engine bmc` runs it). The summary line
 * gives the slowest fixture, the total and how many were undecided.
 *
 *   npm run build && node dist/bench/bmc-fixtures.js [filter-regexp] [--timeout ms]
 */

import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../checker/options.js';
import { shutdownSolver } from '../checker/engines/bmc/solver.js';
import { collectModels, packageRoot } from '../cli/files.js';

const ROOT = packageRoot();

export interface FixtureRow {
  fixture: string;
  bound: number | undefined;
  rules: number;
  undecided: number;
  declared: string;
  ms: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const t = args.indexOf('--timeout');
  const timeoutMs = t >= 0 ? Number(args[t + 1]) : 10_000;
  const filter = args.find((a, i) => !a.startsWith('--') && (t < 0 || i !== t + 1));
  const re = filter ? new RegExp(filter) : undefined;
  const found = collectModels([join(ROOT, 'fixtures')], ROOT);
  if ('missing' in found) throw new Error(`no fixtures at ${ROOT}`);
  const files = found.files.map((f) => join(ROOT, f)).filter((f) => !f.includes('/errors/') && (!re || re.test(f)));
  const rows: FixtureRow[] = [];
  for (const file of files) {
    const start = Date.now();
    const report = await check([{ file }], { ...DEFAULT_CHECK_OPTIONS, engine: 'bmc', timeoutMs, rules: { preset: 'all' } });
    const m = report.models[0];
    rows.push({
      fixture: relative(join(ROOT, 'fixtures'), file).replace(/\.model\.ts$/, ''),
      bound: m.stats?.completenessBound,
      rules: m.verdicts.length,
      undecided: m.verdicts.filter((v) => v.status === 'inconclusive').length,
      declared: m.expectation ? (m.expectation.met ? 'as declared' : 'MISSED') : '-',
      ms: Date.now() - start,
    });
  }
  rows.sort((a, b) => b.ms - a.ms);
  const head = ['fixture', 'bound', 'rules', 'undecided', 'verdict', 'ms'];
  const cells = rows.map((r) => [r.fixture, String(r.bound ?? '-'), String(r.rules), String(r.undecided), r.declared, String(r.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 || i === 4 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log(`Z3 engine (--engine bmc, --timeout ${timeoutMs} ms), slowest first`);
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n'));
  const total = rows.reduce((n, r) => n + r.ms, 0);
  const slow = rows.filter((r) => r.ms >= 10_000).length;
  const undecided = rows.filter((r) => r.undecided > 0).length;
  const missed = rows.filter((r) => r.declared === 'MISSED').length;
  console.log(
    `${rows.length} fixtures; slowest ${rows[0]?.ms ?? 0} ms; total ${total} ms; >= 10 s: ${slow}; undecided: ${undecided}; verdict missed: ${missed}`,
  );
  await shutdownSolver();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
