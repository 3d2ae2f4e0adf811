/**
 * @bench SPIN against the explicit engine on the performance.md families.
 *
 * Each family member is compiled once to a transition system; SPIN gets the
 * same system as Promela (bench/spin/promela.ts), so both explore the same
 * states. Times are wall times of the search, median of 3 interleaved runs:
 * SPIN's is the whole `pan` process (its own clock counts in 10 ms steps,
 * too coarse for the small members); ours is `exploreExplicit` after
 * compileSystem, once the engine is warm. SPIN's C compile (spin -a, gcc)
 * is excluded, so is our JIT warm-up: the first, cold run of each member is
 * shown in its own column and not in the median. Ratios are ours / SPIN's:
 * below 1.0 we are faster.
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/lockmc-bench
 *   node /tmp/lockmc-bench/bench/spin.js [family:N,N ...] [--runs 3]
 *
 * Needs `spin` and `gcc` (apt-get install spin); without them it says so
 * and exits 0.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exploreExplicitDetailed } from '../checker/engines/explicit/index.js';
import { familySystem } from './families/index.js';
import { toPromela } from './spin/promela.js';
import type { TransitionSystem } from '../checker/semantics/system.js';

const DEFAULT: [string, number[]][] = [
  ['ordered', [4, 6, 8]],
  ['ring', [4, 6]],
  ['reclaim-fix', [2, 3, 4]],
  ['reclaim-bug', [2, 3, 4]],
];

export interface SpinRun {
  states: number;
  ms: number;
  errors: number;
}

export function haveSpin(): boolean {
  return spawnSync('spin', ['-V'], { encoding: 'utf8' }).status === 0 && spawnSync('gcc', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Compile the Promela of `ts` into `pan` binaries, with and without SPIN's reduction. */
export function buildPan(ts: TransitionSystem, dir: string): { full: string; por: string } {
  writeFileSync(join(dir, 'model.pml'), toPromela(ts));
  const a = spawnSync('spin', ['-a', 'model.pml'], { cwd: dir, encoding: 'utf8' });
  if (a.status !== 0) throw new Error(`spin -a failed: ${a.stdout}${a.stderr}`);
  const cc = (out: string, flags: string[]) => {
    const r = spawnSync('gcc', ['-O2', '-DSAFETY', '-DVECTORSZ=4096', ...flags, '-o', out, 'pan.c'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`gcc failed: ${r.stderr}`);
    return join(dir, out);
  };
  return { full: cc('pan-full', ['-DNOREDUCE']), por: cc('pan-por', []) };
}

export function runPan(pan: string, dir: string): SpinRun {
  // -E: ignore invalid end states (the watcher's assert reports deadlocks);
  // -m: depth; -w: hash table size; -c0: go on after errors so the state count is complete.
  const t0 = performance.now();
  const r = spawnSync(pan, ['-m1000000', '-w22', '-c0', '-E'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  const states = Number(/(\d+) states, stored/.exec(r.stdout)?.[1] ?? NaN);
  const errors = Number(/errors: (\d+)/.exec(r.stdout)?.[1] ?? NaN);
  return { states, ms, errors };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  if (!haveSpin()) {
    process.stdout.write('spin or gcc not found: apt-get install spin gcc (skipping the SPIN comparison)\n');
    return;
  }
  const args = process.argv.slice(2);
  const runsIdx = args.indexOf('--runs');
  const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 3;
  const picked = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
  const plan: [string, number[]][] = picked.length ? picked.map((a) => [a.split(':')[0], (a.split(':')[1] ?? '4').split(',').map(Number)]) : DEFAULT;
  const header = ['model', 'SPIN states', 'SPIN ms', 'SPIN-POR states', 'SPIN-POR ms', 'ours states', 'ours cold ms', 'ours ms', 'POR states', 'POR ms', 'full/SPIN', 'POR st/SPIN-POR st', 'verdicts'];
  const rows: string[][] = [];
  for (const [family, sizes] of plan) {
    for (const n of sizes) {
      const ts = familySystem(family, n);
      const dir = mkdtempSync(join(tmpdir(), 'lockmc-spin-'));
      try {
        const pan = buildPan(ts, dir);
        const spinFull: SpinRun[] = [];
        const spinPor: SpinRun[] = [];
        const ours: number[] = [];
        const oursPor: number[] = [];
        let oursStates = 0;
        let porStates = 0;
        let oursVerdict = '';
        // Warm-up, not in the median: the JIT's share, as gcc's is SPIN's.
        const cold = (await exploreExplicitDetailed(ts, { timeoutMs: 120_000, maxMemoryMb: 8192, reduction: 'none' })).result.stats.ms;
        (await exploreExplicitDetailed(ts, { timeoutMs: 120_000, maxMemoryMb: 8192, reduction: 'por' }));
        for (let r = 0; r < runs; r++) {
          spinFull.push(runPan(pan.full, dir));
          spinPor.push(runPan(pan.por, dir));
          const f = (await exploreExplicitDetailed(ts, { timeoutMs: 120_000, maxMemoryMb: 8192, reduction: 'none' }));
          ours.push(f.result.stats.ms);
          oursStates = f.detail.states;
          oursVerdict = f.result.results[0].status;
          const p = (await exploreExplicitDetailed(ts, { timeoutMs: 120_000, maxMemoryMb: 8192, reduction: 'por' }));
          oursPor.push(p.result.stats.ms);
          porStates = p.detail.states;
        }
        const sf = median(spinFull.map((x) => x.ms));
        const sp = median(spinPor.map((x) => x.ms));
        const spinVerdict = spinFull[0].errors > 0 ? 'violated' : 'holds';
        rows.push([
          `${family}-${n}`,
          String(spinFull[0].states),
          sf.toFixed(0),
          String(spinPor[0].states),
          sp.toFixed(0),
          String(oursStates),
          cold.toFixed(0),
          median(ours).toFixed(0),
          String(porStates),
          median(oursPor).toFixed(0),
          (median(ours) / sf).toFixed(2),
          (porStates / spinPor[0].states).toFixed(4),
          `${oursVerdict}/${spinVerdict}`,
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  process.stdout.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write('SPIN states include the watcher process at its terminal states; ours: distinct states stored.\n');
}

if (process.argv[1]?.endsWith('spin.js')) void main();
