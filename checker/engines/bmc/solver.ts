/**
 * The solver port: the only file that talks to z3-solver.
 *
 * Start-up of the WASM build costs ~0.2-0.4 s, so the module and one Z3
 * context are created lazily, once per process, and reused by every query.
 * The WASM build occasionally aborts (about one run in sixty in our
 * measurements); an abort can leave the module unusable, so a failed job is
 * retried once on a freshly initialised module and then reported as an
 * inconclusive `solver-failure`, never thrown to the user.
 */

import { init } from 'z3-solver';
import type { Bool, Context, Model, Optimize, Solver } from 'z3-solver';
import type { Limit } from '../../report.js';

export type Z3Ctx = Context<'bmc'>;
export type Z3Bool = Bool<'bmc'>;
export type Z3Model = Model<'bmc'>;
export type Z3Solver = Solver<'bmc'>;
export type Z3Optimize = Optimize<'bmc'>;

type Api = Awaited<ReturnType<typeof init>>;

interface Session {
  api: Api;
  ctx: Z3Ctx;
}

let session: Promise<Session> | undefined;
/** Test hook: how many upcoming `check` calls should fail as if WASM aborted. */
let pendingFaults = 0;

/** Rejecters of the checks in flight, failed at once if a worker crashes. */
const inFlight = new Set<(e: Error) => void>();
/** Last lines Z3's runtime printed to stderr, kept for the failure detail. */
const stderrTail: string[] = [];

function onWorkerCrash(e: unknown): void {
  const msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  const err = new SolverFailure(`Z3 worker crashed: ${msg}`);
  for (const reject of [...inFlight]) reject(err);
  inFlight.clear();
}

type Worker = { onerror: (e: unknown) => void };
interface PThreadApi {
  unusedWorkers: Worker[];
  runningWorkers: Worker[];
  loadWasmModuleToWorker: (w: Worker) => Promise<unknown>;
  terminateAllThreads: () => void;
}

/**
 * Emscripten's pthread glue rethrows a worker's error on the main thread,
 * which would kill the whole process (we saw `memory access out of bounds`
 * inside smt::context). Replace that handler on every worker, present and
 * future, with one that fails the checks in flight instead.
 */
function guardWorkers(pt: PThreadApi): void {
  const patch = (w: Worker) => {
    w.onerror = onWorkerCrash;
  };
  for (const w of [...pt.unusedWorkers, ...pt.runningWorkers]) patch(w);
  const load = pt.loadWasmModuleToWorker.bind(pt);
  pt.loadWasmModuleToWorker = (w: Worker) => {
    const p = load(w);
    patch(w);
    return p;
  };
}

async function openSession(): Promise<Session> {
  const quiet = (line: string) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  };
  const api = await init({ print: quiet, printErr: quiet } as Parameters<typeof init>[0]);
  guardWorkers(api.em.PThread as PThreadApi);
  const ctx = new api.Context('bmc') as Z3Ctx;
  return { api, ctx };
}

function currentSession(): Promise<Session> {
  if (!session) {
    const s = openSession();
    session = s;
    // A failed start-up must not poison every later call.
    s.catch(() => {
      if (session === s) session = undefined;
    });
  }
  return session;
}

/** Drops the current module so the next job starts on a fresh one. */
async function discardSession(): Promise<void> {
  const old = session;
  session = undefined;
  if (!old) return;
  try {
    const s = await old;
    s.api.em.PThread.terminateAllThreads();
  } catch {
    // The module is already broken; nothing left to release.
  }
}

/**
 * Releases Z3's worker threads so the process can exit. Safe to call when
 * the solver was never used, and more than once; a later job re-initialises.
 */
export async function shutdownSolver(): Promise<void> {
  const old = session;
  session = undefined;
  if (!old) return;
  let s: Session;
  try {
    s = await old;
  } catch {
    return;
  }
  const pt = s.api.em.PThread;
  pt.terminateAllThreads();
  // Workers terminate asynchronously; wait (bounded) until they are gone.
  const until = Date.now() + 2000;
  while ((pt.runningWorkers?.length ?? 0) + (pt.unusedWorkers?.length ?? 0) > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts the module and its first worker thread (~0.5-1.5 s together) so
 * a pipeline can overlap that with parsing and compiling. Never throws.
 */
export async function warmSolver(): Promise<void> {
  await withSolver(async (ctx) => {
    const s = new ctx.Solver();
    s.add(ctx.Bool.const('warm'));
    await check(ctx, s, 10_000);
  });
}

/** Test hook: make the worker running the current check fail as a WASM trap would. */
export async function crashRunningWorkerForTest(): Promise<boolean> {
  const s = await currentSession();
  const pt = s.api.em.PThread as PThreadApi;
  const w = pt.runningWorkers[0];
  if (!w) return false;
  w.onerror(new Error('memory access out of bounds (simulated)'));
  return true;
}

/** `Z3 5.1.0.0` style version of the loaded WASM build. */
export async function z3Version(): Promise<string> {
  const s = await currentSession();
  return s.api.getFullVersion();
}

export class SolverFailure extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'SolverFailure';
  }
}

/** Test hook: make the next `n` checks throw as a WASM abort would. */
export function injectSolverFaults(n: number): void {
  pendingFaults = n;
}

export type CheckOutcome =
  | { kind: 'sat'; model: Z3Model }
  | { kind: 'unsat' }
  | { kind: 'inconclusive'; limit: Limit };

/**
 * One satisfiability check with a time limit. `unknown` becomes an
 * inconclusive outcome naming Z3's reason; a Z3 time-out or cancellation
 * becomes a `timeout` limit. Exceptions propagate (the job is retried by
 * `withSolver`).
 */
export async function check(
  ctx: Z3Ctx,
  solver: Z3Solver | Z3Optimize,
  timeoutMs: number,
  assumptions: Z3Bool[] = [],
): Promise<CheckOutcome> {
  const ms = Math.floor(timeoutMs);
  if (ms <= 0) return { kind: 'inconclusive', limit: { kind: 'timeout', ms: 0 } };
  if (pendingFaults > 0) {
    pendingFaults--;
    const e = new Error('injected fault: unreachable executed');
    e.name = 'RuntimeError';
    throw e;
  }
  solver.set('timeout', ms);
  // Z3's own timer normally fires; interrupting is the backstop for phases
  // (preprocessing) that do not poll it.
  const backstop = setTimeout(() => ctx.interrupt(), ms + 250);
  let r: 'sat' | 'unsat' | 'unknown';
  let rejectOnCrash: (e: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    rejectOnCrash = reject;
  });
  inFlight.add(rejectOnCrash);
  try {
    r = await Promise.race([(solver as Z3Solver).check(...assumptions), crashed]);
  } finally {
    inFlight.delete(rejectOnCrash);
    clearTimeout(backstop);
  }
  if (r === 'sat') return { kind: 'sat', model: solver.model() };
  if (r === 'unsat') return { kind: 'unsat' };
  const reason = solver.reasonUnknown();
  if (/timeout|canceled|cancelled|interrupted/i.test(reason)) {
    return { kind: 'inconclusive', limit: { kind: 'timeout', ms } };
  }
  return { kind: 'inconclusive', limit: { kind: 'z3-unknown', reason } };
}

export type JobOutcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; limit: Limit };

/**
 * Runs `job` on the shared context. If it throws (a WASM abort, an
 * exception inside the bindings), the module is discarded and the job is
 * run once more on a fresh one; a second failure is reported, not thrown.
 * Jobs must be self-contained: they create their own solvers and may be
 * run twice.
 */
export async function withSolver<T>(job: (ctx: Z3Ctx) => Promise<T>): Promise<JobOutcome<T>> {
  let lastError = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const s = await currentSession();
      return { kind: 'done', value: await job(s.ctx) };
    } catch (e) {
      lastError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      await discardSession();
    }
  }
  return { kind: 'failed', limit: { kind: 'solver-failure', detail: lastError } };
}
