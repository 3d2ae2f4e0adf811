/**
 * @bench `--jobs`: the bundled corpus with `--engine bmc`, checked by the
 * built CLI with `--jobs 1` and then `--jobs 2` (issue #11 target: ≥ 1.7×
 * on 2 cores). Prints one row per job count: wall time, CPU time of the
 * whole process tree (BMC children included: bench/proc-cpu.ts) and the
 * cores it kept busy on average, the speed-up over the first row, the CPU
 * the run spent over the first row's, the best speed-up the machine's
 * cores allow for that CPU (first row's wall × cores / this row's CPU),
 * and whether the report equals the first row's apart from timings; then
 * where each row's CPU went.
 *
 *   npm run build && node dist/bench/jobs.js [--jobs 1,2] [--timeout s] [paths...]
 *
 * `--timeout` is passed to `check` (default its own, 60 s per model): on a
 * machine loaded by others, models hit the default and end inconclusive,
 * which kills their BMC child (a fresh one per such model) and makes the
 * rows measure something else; the report check then fails.
 *
 * Paths default to the bundled fixtures/. Read the speed-up with the
 * machine's load (printed): on a busy machine it says little.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleTree, type TreeCpu } from './proc-cpu.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

interface Row {
  jobs: number;
  wallMs: number;
  models: number;
  exit: number | null;
  report: string;
  cpu: TreeCpu;
}

/** Durations are measurements, not content. */
const withoutTimings = (json: string) => json.replace(/"ms": \d+(\.\d+)?/g, '"ms": 0');

async function runOnce(jobs: number, paths: string[], dir: string, timeout: string[]): Promise<Row> {
  const out = join(dir, `jobs-${jobs}.json`);
  // --no-cache: the result cache would answer the second run from the first (bench/cache.ts measures the cache).
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'check', ...paths, '--engine', 'bmc', '--jobs', String(jobs), ...timeout, '--format', 'json', '-q', '--no-cache', '-o', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const sampler = sampleTree(child.pid!);
  const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const wallMs = performance.now() - t0;
  const cpu = sampler.stop();
  const report = readFileSync(out, 'utf8');
  return { jobs, wallMs, models: (JSON.parse(report) as { models: unknown[] }).models.length, exit, report: withoutTimings(report), cpu };
}

async function main(argv: string[]): Promise<void> {
  let jobList = [1, 2];
  const paths: string[] = [];
  const timeout: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') jobList = argv[++i].split(',').map(Number);
    else if (argv[i] === '--timeout') timeout.push('--timeout', argv[++i]);
    else paths.push(argv[i]);
  }
  if (paths.length === 0) paths.push('fixtures');
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-bench-jobs-'));
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(`corpus: ${paths.join(' ')}  engine: bmc${timeout.length ? `  timeout: ${timeout[1]} s` : ''}  cores: ${availableParallelism()}  load before: ${load()}\n`);
  const rows: Row[] = [];
  try {
    for (const jobs of jobList) {
      rows.push(await runOnce(jobs, paths, dir, timeout));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cores = availableParallelism();
  const header = ['jobs', 'models', 'exit', 'wall s', 'cpu s', 'cores busy', 'speed-up', 'cpu vs first', `bound on ${cores} cores`, 'same report'];
  const body = rows.map((r) => [
    String(r.jobs),
    String(r.models),
    String(r.exit),
    (r.wallMs / 1000).toFixed(1),
    r.cpu.totalS.toFixed(1),
    (r.cpu.totalS / (r.wallMs / 1000)).toFixed(2),
    `${(rows[0].wallMs / r.wallMs).toFixed(2)}×`,
    `${(r.cpu.totalS / rows[0].cpu.totalS).toFixed(2)}×`,
    `${((rows[0].wallMs / 1000) * cores / r.cpu.totalS).toFixed(2)}×`,
    r.report === rows[0].report ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  for (const line of [header, ...body]) process.stdout.write(line.map((c, i) => c.padStart(widths[i])).join('  ') + '\n');
  for (const r of rows) {
    const parts = Object.entries(r.cpu.byRole).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)} s`);
    const procs = Object.entries(r.cpu.processes).map(([k, v]) => `${v} ${k}`).join(', ');
    process.stdout.write(`jobs ${r.jobs} cpu: ${parts.join(', ')} (processes: ${procs})\n`);
  }
  // The one-job run's own parallelism: its model chain (front end, then the BMC child's encoding, then a Z3 pthread's check) is sequential, but V8's background threads work beside it. Even on an idle machine it keeps (total / chain) cores busy, and N jobs can be at most cores × chain / total faster unless the CPU itself shrinks.
  const first = rows[0].cpu;
  const chain = first.totalS - first.runtimeS;
  process.stdout.write(
    `jobs ${rows[0].jobs}: V8 background threads ${first.runtimeS.toFixed(1)} s of ${first.totalS.toFixed(1)} s CPU (${((100 * first.runtimeS) / first.totalS).toFixed(0)}%): ` +
      `the run keeps up to ${(first.totalS / chain).toFixed(2)} cores busy by itself; on ${cores} cores no job count beats ${((cores * chain) / first.totalS).toFixed(2)}× at that CPU\n`,
  );
  process.stdout.write(`load after: ${load()}\n`);
  if (rows.some((r) => r.report !== rows[0].report)) process.exitCode = 1;
}

await main(process.argv.slice(2));
