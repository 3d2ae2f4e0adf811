/**
 * @bench `--jobs`: the bundled corpus with `--engine bmc`, checked by the
 * built CLI with `--jobs 1` and then `--jobs 2` (issue #11 target: ≥ 1.7×
 * on 2 cores). Prints one row per job count: wall time, the speed-up over
 * the first row, and whether the report equals the first row's apart from
 * timings.
 *
 *   npm run build && node dist/bench/jobs.js [--jobs 1,2] [paths...]
 *
 * Paths default to the bundled fixtures/. Read the speed-up with the
 * machine's load (printed): on a busy machine it says little.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

interface Row {
  jobs: number;
  wallMs: number;
  models: number;
  exit: number | null;
  report: string;
}

/** Durations are measurements, not content. */
const withoutTimings = (json: string) => json.replace(/"ms": \d+(\.\d+)?/g, '"ms": 0');

function runOnce(jobs: number, paths: string[], dir: string): Row {
  const out = join(dir, `jobs-${jobs}.json`);
  // --no-cache: the result cache would answer the second run from the first (bench/cache.ts measures the cache).
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'check', ...paths, '--engine', 'bmc', '--jobs', String(jobs), '--format', 'json', '-q', '--no-cache', '-o', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const wallMs = performance.now() - t0;
  const report = readFileSync(out, 'utf8');
  return { jobs, wallMs, models: (JSON.parse(report) as { models: unknown[] }).models.length, exit: r.status, report: withoutTimings(report) };
}

function main(argv: string[]): void {
  let jobList = [1, 2];
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') jobList = argv[++i].split(',').map(Number);
    else paths.push(argv[i]);
  }
  if (paths.length === 0) paths.push('fixtures');
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-bench-jobs-'));
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(`corpus: ${paths.join(' ')}  engine: bmc  cores: ${availableParallelism()}  load before: ${load()}\n`);
  const rows: Row[] = [];
  try {
    for (const jobs of jobList) {
      rows.push(runOnce(jobs, paths, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ['jobs', 'models', 'exit', 'wall s', 'speed-up', 'same report'];
  const body = rows.map((r) => [
    String(r.jobs),
    String(r.models),
    String(r.exit),
    (r.wallMs / 1000).toFixed(1),
    `${(rows[0].wallMs / r.wallMs).toFixed(2)}×`,
    r.report === rows[0].report ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  for (const line of [header, ...body]) process.stdout.write(line.map((c, i) => c.padStart(widths[i])).join('  ') + '\n');
  process.stdout.write(`load after: ${load()}\n`);
  if (rows.some((r) => r.report !== rows[0].report)) process.exitCode = 1;
}

main(process.argv.slice(2));
