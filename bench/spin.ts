/**
 * @bench The fair SPIN bench: lockmc's explicit engine against SPIN on the
 * same transition systems, both exploring the whole reachable space.
 *
 *   npm run build && node dist/bench/spin.js [member ...] [--runs 3] [--drivers all|N|none] [--no-families]
 *                                            [--por-only] [--memlim-mb 4096]
 *
 * Members are bench family members (`ring-8`, `ordered-10`,
 * `reclaim-fix-3`, `ww-4x3`: bench/families/index.ts parseMember); the
 * default is every family at sizes up to N ≥ 6, then the driver corpus
 * (fixtures/drivers, every model's rules as properties).
 *
 * What makes it fair:
 * - one translation: SPIN reads checker/export/promela.ts (what
 *   `lockmc export --format promela` writes: thread-local control
 *   locations, one d_step per lockmc step), so SPIN's own partial-order
 *   reduction has something to reduce;
 * - whole space on both sides: pan runs with -c0 (go on after every
 *   error); lockmc runs bench/lockmc-run.ts, whose sentinel property keeps
 *   the search going after the real properties are decided;
 * - whole processes on both sides, timed by /usr/bin/time: `node
 *   dist/bench/lockmc-run.js` (start-up, model compilation, search) and
 *   `./pan`; SPIN's `spin -a` + gcc are shown in their own column, and so
 *   is lockmc's in-process compile + search time;
 * - pan sized to the model: the hash table (-w) from lockmc's state count,
 *   -DVECTORSZ from the variables, -DMEMLIM from the estimated need (a
 *   limit, not an allocation) and the depth (-m) grown until pan stops
 *   saying it is too small;
 * - runs interleaved (lockmc full, pan full, lockmc POR, pan POR, repeated),
 *   median and min–max of wall time, median CPU time (user + system: the
 *   figure to trust on a loaded machine), peak RSS, bytes per stored state
 *   (lockmc: its state store; SPIN: its "actual memory usage for states").
 *
 * POR only (`--por-only`, and the DEFAULT_POR_ONLY members after the
 * others): members whose full space neither tool can store, where only
 * the reduced searches run (lockmc POR against pan with SPIN's POR), pan
 * capped at --memlim-mb. A pan that reaches its -DMEMLIM bound has stored
 * only part of its space: the row says so, and the ratio is a lower bound.
 *
 * Verdicts: lockmc's violated properties against the properties SPIN's
 * assertions name (the export names each assertion after its rule/check).
 * A disagreement is printed as DISAGREE and the process exits 1.
 * Needs `spin`, `gcc` and /usr/bin/time; without them it says so and exits 0.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LockmcRun } from './lockmc-run.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// dist/bench/spin.js -> the package root two levels up.
const ROOT = existsSync(join(HERE, '..', 'package.json')) ? join(HERE, '..') : join(HERE, '..', '..');
const RUNNER = join(ROOT, 'dist', 'bench', 'lockmc-run.js');

/** Every family up to a size where the POR target (N ≥ 6) is measured. */
export const DEFAULT_MEMBERS = [
  'ring-4', 'ring-6', 'ring-8',
  'ordered-4', 'ordered-6', 'ordered-8',
  'reclaim-bug-2', 'reclaim-bug-3', 'reclaim-bug-4',
  'reclaim-fix-2', 'reclaim-fix-3', 'reclaim-fix-4',
  'ww-2x3', 'ww-3x3', 'ww-4x3',
  // One buffer: the only ww member at N ≥ 6 whose full space both tools store in about a minute.
  'ww-6x1',
];

/**
 * N ≥ 6 members run with --por-only: their full spaces are out of reach
 * (reclaim-fix-5 alone: SPIN's POR stores 8.1 M states; ww-5x3: lockmc's
 * POR 17.8 M), so only the reduced searches run, SPIN's capped.
 */
export const DEFAULT_POR_ONLY = ['reclaim-fix-6', 'reclaim-bug-6'];

/** pan's memory cap in --por-only runs, MB (a limit, not an allocation). */
export const POR_ONLY_MEMLIM_MB = 4096;

export function haveSpin(): boolean {
  const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
  return ok('spin', ['-V']) && ok('gcc', ['--version']) && existsSync('/usr/bin/time');
}

/** One timed whole process. */
export interface Timed {
  wallMs: number;
  cpuMs: number;
  peakKb: number;
  stdout: string;
  status: number | null;
}

/** Run `cmd` under /usr/bin/time (its report goes to a file, not mixed with the tool's output). */
export function timed(cmd: string, args: string[], cwd: string): Timed {
  const tf = join(cwd, '.time');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', tf, cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 << 20 });
  const [e, u, s, m] = readFileSync(tf, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs: e * 1000, cpuMs: (u + s) * 1000, peakKb: m, stdout: r.stdout, status: r.status };
}

/** pan's build: flags sized to the model. */
export interface PanSize {
  /** log2 of the hash table's slots. */
  w: number;
  vectorsz: number;
  memlimMb: number;
  depth: number;
}

/**
 * Size pan from lockmc's full state count (SPIN stores about as many:
 * more where optional threads may stop early) and a bound of the state
 * vector (the export's globals and locals, a pc and a few bytes per process).
 */
export function panSize(states: number, pml: string): PanSize {
  const estimate = Math.max(1024, Math.ceil(states * 1.5));
  const w = Math.max(10, Math.ceil(Math.log2(estimate)) + 1);
  const vars = (pml.match(/^\s*(?:hidden\s+)?(?:bit|byte|short|int)\s/gm) ?? []).length;
  const procs = (pml.match(/^active proctype/gm) ?? []).length;
  const vector = 4 * vars + 8 * procs + 16;
  const vectorsz = Math.max(256, 2 ** Math.ceil(Math.log2(2 * vector)));
  // States (vector + 16 bytes of overhead each), the hash table, the DFS stack, and slack for pan's own arrays.
  const memlimMb = Math.ceil((estimate * (vector + 16) * 2 + 8 * 2 ** w) / 1048576) + 64;
  return { w, vectorsz, memlimMb, depth: 10_000 };
}

export interface PanRun {
  states: number;
  errors: number;
  /** "actual memory usage for states", in bytes. */
  stateBytes: number;
  depthTooSmall: boolean;
  memoryExhausted: boolean;
}

export function parsePan(stdout: string): PanRun {
  const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? NaN);
  return {
    states: num(/(\d+) states, stored/),
    errors: num(/errors: (\d+)/),
    stateBytes: num(/([\d.]+)\s+actual memory usage for states/) * 1048576,
    depthTooSmall: /max search depth too small/.test(stdout),
    // pan prints its statistics after "reached -DMEMLIM bound" too: the count is then partial.
    memoryExhausted: /reached -DMEMLIM bound|out of memory/.test(stdout),
  };
}

/** `spin -a` and gcc into pan-full (-DNOREDUCE, unless `porOnly`) and pan-por; returns the compile wall times. */
export function buildPans(dir: string, size: PanSize, porOnly = false): { spinMs: number; gccFullMs: number; gccPorMs: number } {
  const a = timed('spin', ['-a', 'model.pml'], dir);
  if (a.status !== 0) throw new Error(`spin -a failed in ${dir}: ${a.stdout}`);
  const cc = (out: string, flags: string[]) => {
    const args = ['-O2', '-DSAFETY', `-DVECTORSZ=${size.vectorsz}`, `-DMEMLIM=${size.memlimMb}`, ...flags, '-o', out, 'pan.c'];
    const r = timed('gcc', args, dir);
    if (r.status !== 0) throw new Error(`gcc ${args.join(' ')} failed in ${dir}`);
    return r.wallMs;
  };
  return { spinMs: a.wallMs, gccFullMs: porOnly ? 0 : cc('pan-full', ['-DNOREDUCE']), gccPorMs: cc('pan-por', []) };
}

/** pan's run-time arguments: -c0 goes on after every error, so the space is complete. */
export function panArgs(size: PanSize, trails = false): string[] {
  return [`-m${size.depth}`, `-w${size.w}`, '-c0', ...(trails ? ['-e'] : [])];
}

/** Run pan until its depth limit is big enough (each too-small run ×10); the size is updated in place. */
export function runPanSized(pan: string, dir: string, size: PanSize): Timed & { pan: PanRun } {
  for (;;) {
    const t = timed(pan, panArgs(size), dir);
    const p = parsePan(t.stdout);
    if (!p.depthTooSmall || size.depth >= 100_000_000) return { ...t, pan: p };
    size.depth *= 10;
  }
}

/** The rule/check names of SPIN's failed assertions, from a run that writes every trail (-e). */
export function spinViolations(pan: string, dir: string, size: PanSize): string[] {
  const r = spawnSync(pan, panArgs(size, true), { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
  const pml = readFileSync(join(dir, 'model.pml'), 'utf8');
  // The export comments each assertion with its rule/check: `assert(x_holds) ... /* rule/check */`.
  const byFlag = new Map([...pml.matchAll(/assert\((\w+)\)[^/]*\/\* ([^ ]+) \*\//g)].map((m) => [m[1], m[2]]));
  for (const f of readdirSync(dir)) if (f.endsWith('.trail')) rmSync(join(dir, f));
  return [...new Set([...r.stdout.matchAll(/assertion violated (\w+)/g)].map((m) => byFlag.get(m[1]) ?? m[1]))].sort();
}

function lockmc(target: string, reduction: 'none' | 'por', dir: string, promela?: string): Timed & { run: LockmcRun } {
  const t = timed(process.execPath, [RUNNER, target, '--reduction', reduction, ...(promela ? ['--promela', promela] : [])], dir);
  if (t.status !== 0) throw new Error(`lockmc-run ${target} --reduction ${reduction} failed`);
  return { ...t, run: JSON.parse(t.stdout.trim().split('\n').pop()!) as LockmcRun };
}

const median = (xs: number[]): number => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

/** Everything measured on one model. */
export interface Row {
  model: string;
  agree: boolean;
  lockmcViolated: string[];
  spinViolated: string[];
  states: { full: number; por: number; spinFull: number; spinPor: number };
  /** Per tool and mode: the wall and CPU ms of each run, peak KB. */
  runs: Record<'full' | 'por' | 'spinFull' | 'spinPor', { wall: number[]; cpu: number[]; peakKb: number }>;
  searchMs: { full: number; por: number };
  compileMs: number;
  spinBuildMs: number;
  bytesPerState: { lockmc: number; spin: number };
  pan: PanSize;
  /** Only the reduced searches ran (--por-only): the full columns are empty. */
  porOnly: boolean;
  /** SPIN's POR run stopped at its memory cap: `spinPor` is a lower bound. */
  spinPorPartial: boolean;
  notes: string[];
}

type ModeTimes = Row['runs']['full'];

function newTimes(): Row['runs'] {
  const acc = (): ModeTimes => ({ wall: [], cpu: [], peakKb: 0 });
  return { full: acc(), por: acc(), spinFull: acc(), spinPor: acc() };
}

function record(r: ModeTimes, t: Timed): void {
  r.wall.push(t.wallMs);
  r.cpu.push(t.cpuMs);
  r.peakKb = Math.max(r.peakKb, t.peakKb);
}

/** One interleaved round of the reduced searches (lockmc POR, then pan with SPIN's POR), both measure modes share it. */
function porRound(target: string, dir: string, size: PanSize, rs: Row['runs']): { por: LockmcRun; spinPor: PanRun } {
  const c = lockmc(target, 'por', dir);
  record(rs.por, c);
  const d = runPanSized(join(dir, 'pan-por'), dir, size);
  record(rs.spinPor, d);
  return { por: c.run, spinPor: d.pan };
}

export function measure(target: string, runs: number): Row {
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-spin-'));
  try {
    const first = lockmc(target, 'none', dir, join(dir, 'model.pml'));
    const size = panSize(first.run.states, readFileSync(join(dir, 'model.pml'), 'utf8'));
    const build = buildPans(dir, size);
    const rs = newTimes();
    let full = first.run;
    let por = first.run;
    let spinFull: PanRun | undefined;
    let spinPor: PanRun | undefined;
    for (let i = 0; i < runs; i++) {
      const a = lockmc(target, 'none', dir);
      record(rs.full, a);
      full = a.run;
      const b = runPanSized(join(dir, 'pan-full'), dir, size);
      record(rs.spinFull, b);
      spinFull = b.pan;
      ({ por, spinPor } = porRound(target, dir, size, rs));
    }
    const notes: string[] = [];
    if (full.inconclusive) notes.push(`lockmc stopped: ${full.inconclusive}`);
    if (spinFull!.memoryExhausted || Number.isNaN(spinFull!.states)) notes.push('pan did not finish');
    const spinViolated = spinFull!.errors > 0 ? spinViolations(join(dir, 'pan-full'), dir, size) : [];
    const porViolated = spinPor!.errors > 0 ? spinViolations(join(dir, 'pan-por'), dir, size) : [];
    const same = (a: string[], b: string[]) => a.join() === b.join();
    const agree = same(full.violated, spinViolated) && same(por.violated, full.violated) && same(porViolated, spinViolated);
    if (!agree) notes.push(`lockmc full ${full.violated.join(',') || '-'}; lockmc POR ${por.violated.join(',') || '-'}; SPIN full ${spinViolated.join(',') || '-'}; SPIN POR ${porViolated.join(',') || '-'}`);
    return {
      model: target.endsWith('.ts') ? relative(ROOT, target).replace(/^fixtures\/drivers\//, 'drivers/').replace(/\.model\.ts$/, '') : target,
      agree,
      lockmcViolated: full.violated,
      spinViolated,
      states: { full: full.states, por: por.states, spinFull: spinFull!.states, spinPor: spinPor!.states },
      runs: rs,
      searchMs: { full: full.searchMs, por: por.searchMs },
      compileMs: full.compileMs,
      spinBuildMs: build.spinMs + build.gccFullMs + build.gccPorMs,
      bytesPerState: { lockmc: full.storeBytes / full.states, spin: spinFull!.stateBytes / spinFull!.states },
      pan: size,
      porOnly: false,
      spinPorPartial: spinPor!.memoryExhausted,
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The reduced searches only (lockmc POR, pan with SPIN's POR), for members
 * whose full space is out of reach. pan is sized from lockmc's POR count
 * (SPIN's is larger: the table is the hash, which grows on its own) and
 * capped at `memlimMb`; a pan that reaches the cap is reported as partial.
 */
export function measurePorOnly(target: string, runs: number, memlimMb = POR_ONLY_MEMLIM_MB): Row {
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-spin-'));
  try {
    const first = lockmc(target, 'por', dir, join(dir, 'model.pml'));
    const size = { ...panSize(first.run.states * 16, readFileSync(join(dir, 'model.pml'), 'utf8')), memlimMb };
    const build = buildPans(dir, size, true);
    const rs = newTimes();
    let por = first.run;
    let spinPor: PanRun | undefined;
    for (let i = 0; i < runs; i++) ({ por, spinPor } = porRound(target, dir, size, rs));
    const notes: string[] = [];
    if (por.inconclusive) notes.push(`lockmc stopped: ${por.inconclusive}`);
    if (spinPor!.memoryExhausted) notes.push(`SPIN POR reached its -DMEMLIM bound (${memlimMb} MB) after ${spinPor!.states} states: its count and the ratio are lower bounds`);
    else if (Number.isNaN(spinPor!.states)) notes.push('pan did not finish');
    // A partial SPIN run may have missed a violation: only a complete one can disagree.
    const porViolated = spinPor!.errors > 0 ? spinViolations(join(dir, 'pan-por'), dir, size) : [];
    const agree = spinPor!.memoryExhausted ? porViolated.every((v) => por.violated.includes(v)) : porViolated.join() === por.violated.join();
    if (!agree) notes.push(`lockmc POR ${por.violated.join(',') || '-'}; SPIN POR ${porViolated.join(',') || '-'}`);
    return {
      model: target,
      agree,
      lockmcViolated: por.violated,
      spinViolated: porViolated,
      states: { full: NaN, por: por.states, spinFull: NaN, spinPor: spinPor!.states },
      runs: rs,
      searchMs: { full: NaN, por: por.searchMs },
      compileMs: por.compileMs,
      spinBuildMs: build.spinMs + build.gccPorMs,
      bytesPerState: { lockmc: por.storeBytes / por.states, spin: spinPor!.stateBytes / spinPor!.states },
      pan: size,
      porOnly: true,
      spinPorPartial: spinPor!.memoryExhausted,
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every `*.model.ts` under fixtures/drivers, sorted. */
export function driverModels(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.model.ts')) out.push(p);
    }
  };
  walk(join(ROOT, 'fixtures', 'drivers'));
  return out;
}

const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms >= 10_000 ? `${(ms / 1000).toFixed(0)}s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)}s` : `${ms.toFixed(0)}`);
const spread = (xs: number[]) => (xs.length === 0 ? '-' : xs.length === 1 ? fmt(xs[0]) : `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`);
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
/** A count, or '-' for a search that did not run. */
const count = (n: number) => (Number.isNaN(n) ? '-' : String(n));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** The three tables: states and verdicts (with the POR target), times, memory. */
export function render(rows: Row[]): string {
  const verdict = (r: Row) => (r.agree ? (r.lockmcViolated.length ? `violated ${r.lockmcViolated.length}` : 'holds') : 'DISAGREE');
  const porTarget = (r: Row) => {
    const n = Number(/-(\d+)(?:x\d+)?$/.exec(r.model)?.[1] ?? 0);
    const x = r.states.spinPor / r.states.por;
    // A partial SPIN count gives a lower bound: met if even that is ≥ 10×, otherwise undecided.
    const verdict = x >= 10 ? ' met' : r.spinPorPartial ? ' (partial)' : ' MISSED';
    return `${r.spinPorPartial ? '≥' : ''}${x.toFixed(1)}×${n >= 6 ? verdict : ''}`;
  };
  const s = table(
    ['model', 'verdict (both)', 'lockmc full', 'SPIN full', 'lockmc POR', 'SPIN POR', 'SPIN POR / lockmc POR (≥10× at N≥6)'],
    rows.map((r) => [r.model, verdict(r), count(r.states.full), count(r.states.spinFull), count(r.states.por), `${r.spinPorPartial ? '≥' : ''}${count(r.states.spinPor)}`, porTarget(r)]),
  );
  const t = table(
    ['model', 'lockmc full ms', 'SPIN full ms', 'full ratio', 'cpu lockmc/SPIN', 'lockmc POR ms', 'SPIN POR ms', 'POR ratio', 'cpu POR l/S', 'lockmc in-process', 'spin -a + gcc×2'],
    rows.map((r) => [
      r.model,
      spread(r.runs.full.wall),
      spread(r.runs.spinFull.wall),
      ratio(median(r.runs.full.wall), median(r.runs.spinFull.wall)),
      `${fmt(median(r.runs.full.cpu))}/${fmt(median(r.runs.spinFull.cpu))}`,
      spread(r.runs.por.wall),
      spread(r.runs.spinPor.wall),
      ratio(median(r.runs.por.wall), median(r.runs.spinPor.wall)),
      `${fmt(median(r.runs.por.cpu))}/${fmt(median(r.runs.spinPor.cpu))}`,
      `${fmt(r.compileMs)}+${fmt(r.searchMs.full)}`,
      fmt(r.spinBuildMs),
    ]),
  );
  const m = table(
    ['model', 'peak MB lockmc', 'peak MB SPIN', 'B/state lockmc', 'B/state SPIN', 'pan -w / VECTORSZ / MEMLIM MB / -m'],
    rows.map((r) => [
      r.model,
      r.porOnly ? `${(r.runs.por.peakKb / 1024).toFixed(0)} (POR)` : (r.runs.full.peakKb / 1024).toFixed(0),
      r.porOnly ? `${(r.runs.spinPor.peakKb / 1024).toFixed(0)} (POR)` : (r.runs.spinFull.peakKb / 1024).toFixed(0),
      r.bytesPerState.lockmc.toFixed(0),
      r.bytesPerState.spin.toFixed(0),
      `${r.pan.w} / ${r.pan.vectorsz} / ${r.pan.memlimMb} / ${r.pan.depth}`,
    ]),
  );
  const notes = rows.flatMap((r) => r.notes.map((n) => `${r.model}: ${n}\n`)).join('');
  return `States and verdicts (whole space on both sides; '-': full search not run, --por-only)\n${s}\nWhole-process wall ms, median (min–max); cpu = user+sys median\n${t}\nMemory\n${m}${notes ? `\nNotes\n${notes}` : ''}`;
}

async function main(argv: string[]): Promise<void> {
  if (!haveSpin()) {
    process.stdout.write('spin, gcc or /usr/bin/time not found: apt-get install spin gcc time (skipping the SPIN comparison)\n');
    return;
  }
  if (!existsSync(RUNNER)) throw new Error(`${RUNNER} missing: run npm run build first`);
  const at = (flag: string) => (argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined);
  const runs = Number(at('--runs') ?? 3);
  const drivers = at('--drivers') ?? 'all';
  const memlimMb = Number(at('--memlim-mb') ?? POR_ONLY_MEMLIM_MB);
  const porOnly = argv.includes('--por-only');
  const picked = argv.filter((a, i) => !a.startsWith('--') && !['--runs', '--drivers', '--memlim-mb'].includes(argv[i - 1]));
  const families = picked.length > 0 || argv.includes('--no-families') ? [] : DEFAULT_MEMBERS;
  // Picked members run as asked; by default the POR-only members follow the others.
  const targets = [...(picked.length > 0 ? picked : families).map((t) => ({ t, porOnly })), ...(families.length > 0 ? DEFAULT_POR_ONLY.map((t) => ({ t, porOnly: true })) : [])];
  const corpus = picked.length > 0 || drivers === 'none' ? [] : drivers === 'all' ? driverModels() : driverModels().slice(0, Number(drivers));
  process.stdout.write(`lockmc vs SPIN, ${runs} interleaved runs each, load ${loadavg()[0].toFixed(1)} at start\n`);
  const rows: Row[] = [];
  for (const { t, porOnly: reducedOnly } of [...targets, ...corpus.map((t) => ({ t, porOnly: false }))]) {
    try {
      rows.push(reducedOnly ? measurePorOnly(t, runs, memlimMb) : measure(t, runs));
      // Each row as it is measured (a long run can be read, or cut short, before the tables).
      process.stderr.write(render(rows.slice(-1)).split('\n').filter((l, i, all) => i > 0 && all[i - 1].startsWith('model')).map((l) => `${l}\n`).join(''));
    } catch (e) {
      process.stderr.write(`${t}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    }
  }
  process.stdout.write(render(rows));
  process.stdout.write(`load ${loadavg()[0].toFixed(1)} at end\n`);
  if (rows.some((r) => !r.agree)) process.exitCode = 1;
}

if (process.argv[1]?.endsWith('spin.js')) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`bench/spin: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
