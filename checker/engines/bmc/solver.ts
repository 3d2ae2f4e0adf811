/**
 * The solver port: the only file that talks to z3-solver.
 *
 * Start-up of the WASM build costs ~0.2-0.7 s, and the first check another
 * ~0.4 s for its worker thread, so the module and one Z3 context are created
 * lazily, once per process, and reused by every query (`warmSolver` lets a
 * caller overlap that with other work). The WASM build occasionally fails
 * (a trap in a worker, Emscripten's `'unwind'` escaping, a check that never
 * returns, the 2 GiB heap running out); any of these fails the job, which is
 * retried once on a freshly initialised module and then reported as an
 * inconclusive `solver-failure`, never thrown to the user.
 */

import type { init } from 'z3-solver';
import type { Bool, Context, Fixedpoint, FuncDecl, Model, Optimize, Solver } from 'z3-solver';
import type { Limit } from '../../report.js';

export type Z3Ctx = Context<'bmc'>;
export type Z3Bool = Bool<'bmc'>;
export type Z3Model = Model<'bmc'>;
export type Z3Solver = Solver<'bmc'>;
export type Z3Optimize = Optimize<'bmc'>;
export type Z3Fixedpoint = Fixedpoint<'bmc'>;
export type Z3Relation = FuncDecl<'bmc'>;

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
/** Z3's runtime messages, kept here: lockmc's stdout and stderr carry reports. */
const stderrTail: string[] = [];

/**
 * Once a check has hung, fresh modules in the same process hung too in our
 * runs (before finalizers were held back during checks; kept as a
 * guard), so later jobs fail fast instead of each waiting out its budget.
 */
let disabledReason: string | undefined;

/** Set when the runtime failed outside any check: the module is not to be trusted. */
let brokenDetail: string | undefined;

function onWorkerCrash(e: unknown): void {
  const msg = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
  const err = new SolverFailure(`Z3 worker crashed: ${msg}`);
  brokenDetail = err.message;
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

/**
 * Z3's Emscripten runtime can also surface a trap or its internal
 * `'unwind'` control-flow exception as an uncaught exception on the main
 * thread (seen once in a long benchmark run). While a module is alive we
 * catch exactly those and fail the checks in flight; anything else is
 * rethrown on a fresh tick so Node handles it as it would without us.
 */
function isZ3Internal(e: unknown): boolean {
  if (e === 'unwind') return true;
  return e instanceof Error && /z3-built/.test(e.stack ?? '');
}

function uncaughtNet(e: unknown): void {
  if (isZ3Internal(e)) {
    onWorkerCrash(e);
    return;
  }
  process.removeListener('uncaughtException', uncaughtNet);
  process.nextTick(() => {
    throw e;
  });
}

function installNet(): void {
  if (!process.listeners('uncaughtException').includes(uncaughtNet)) process.on('uncaughtException', uncaughtNet);
}

/**
 * Z3 calls in flight on a worker thread. While any runs, the bindings'
 * finalizers are held back: they free Z3 objects (models, vectors,
 * solvers, parameter sets) from the main thread, and only ASTs have a
 * thread-safe release path (`enable_concurrent_dec_ref`). A model or
 * vector freed in the middle of a check corrupts the context it shares.
 */
let busy = 0;
const heldBack: (() => void)[] = [];

function releaseHeldBack(): void {
  while (busy === 0 && heldBack.length > 0) {
    const release = heldBack.shift()!;
    try {
      release();
    } catch {
      // the object went with a discarded module
    }
  }
}

/** Runs one asynchronous Z3 call with the finalizers held back. */
async function exclusive<T>(call: () => Promise<T>): Promise<T> {
  busy++;
  try {
    return await call();
  } finally {
    busy--;
    releaseHeldBack();
  }
}

/**
 * The bindings create their FinalizationRegistry while `init` runs; the
 * one they get defers its callbacks while a Z3 call is in flight.
 */
function deferringRegistry(): typeof FinalizationRegistry {
  const Base = FinalizationRegistry;
  return class Deferring<T> extends Base<T> {
    constructor(cleanup: (held: T) => void) {
      super((held: T) => {
        if (busy > 0) heldBack.push(() => cleanup(held));
        else cleanup(held);
      });
    }
  };
}

async function initDeferred(options: Parameters<typeof init>[0]): Promise<Api> {
  const original = globalThis.FinalizationRegistry;
  globalThis.FinalizationRegistry = deferringRegistry();
  try {
    // Loaded here, not at the top: a run that never asks Z3 (the explicit
    // engine, the lock graph alone, `lint`) does not pay for the WASM module.
    const { init: initZ3 } = await import('z3-solver');
    return await initZ3(options);
  } finally {
    globalThis.FinalizationRegistry = original;
  }
}

async function openSession(): Promise<Session> {
  installNet();
  const quiet = (line: string) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  };
  const api = await initDeferred({ print: quiet, printErr: quiet } as Parameters<typeof init>[0]);
  guardWorkers(api.em.PThread as PThreadApi);
  const ctx = new api.Context('bmc') as Z3Ctx;
  // The bindings release ASTs from a FinalizationRegistry on the main
  // thread, possibly while a check runs on a worker: without this, garbage
  // collection races the solver. That race is what we measured as random
  // WASM traps and checks that never return, after a few hundred queries.
  api.Z3.enable_concurrent_dec_ref(ctx.ptr);
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

/** Modules dropped after a failure whose threads could not yet be stopped. */
const abandoned: Session[] = [];

/**
 * Drops the current module so the next job starts on a fresh one. Its
 * threads are stopped only once idle: terminating a worker in the middle
 * of a check left the *next* module's checks hanging in our runs, so a
 * busy module is interrupted, given a moment, and otherwise parked until
 * `shutdownSolver`.
 */
async function discardSession(): Promise<void> {
  const old = session;
  session = undefined;
  brokenDetail = undefined;
  if (!old) return;
  let s: Session;
  try {
    s = await old;
  } catch {
    return; // never started: nothing to release
  }
  try {
    s.ctx.interrupt();
  } catch {
    // A trapped module may refuse even this; it is parked below.
  }
  if (await waitIdle(s, 1000)) s.api.em.PThread.terminateAllThreads();
  else abandoned.push(s);
}

async function waitIdle(s: Session, ms: number): Promise<boolean> {
  const pt = s.api.em.PThread as PThreadApi;
  const until = Date.now() + ms;
  while (pt.runningWorkers.length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return pt.runningWorkers.length === 0;
}

/**
 * Releases Z3's worker threads so the process can exit. Safe to call when
 * the solver was never used, and more than once; a later job re-initialises.
 */
export async function shutdownSolver(): Promise<void> {
  const old = session;
  session = undefined;
  brokenDetail = undefined;
  const all: Session[] = abandoned.splice(0);
  if (old) {
    try {
      all.push(await old);
    } catch {
      // never started
    }
  }
  process.removeListener('uncaughtException', uncaughtNet);
  for (const s of all) {
    const pt = s.api.em.PThread as PThreadApi;
    pt.terminateAllThreads();
    // Workers terminate asynchronously; wait (bounded) until they are gone.
    const until = Date.now() + 2000;
    while (pt.runningWorkers.length + pt.unusedWorkers.length > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
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

/** Test hook: whether a check is running on a worker thread now (so a test can wait for it instead of sleeping). */
export async function checkRunningForTest(): Promise<boolean> {
  const s = await currentSession();
  return (s.api.em.PThread as PThreadApi).runningWorkers.length > 0;
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

const WATCHDOG_GRACE_MS = 5000;

class StuckCheck extends Error {}

/**
 * Runs one asynchronous Z3 call under its time-out. Z3's own timer
 * normally fires; interrupting is the backstop for phases (preprocessing,
 * rule compilation) that do not poll it, and a call that still does not
 * return after that is treated as a crash rather than waited on forever.
 */
async function guarded<T>(ctx: Z3Ctx, ms: number, call: () => Promise<T>): Promise<T> {
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let stuck = false;
  const backstop = setTimeout(() => {
    try {
      ctx.interrupt();
    } catch {
      // reported by the watchdog below
    }
    watchdog = setTimeout(() => {
      stuck = true;
      disabledReason = `Z3 disabled for this run: a check did not return ${WATCHDOG_GRACE_MS} ms after interrupt`;
      onWorkerCrash(new Error(`check did not return ${WATCHDOG_GRACE_MS} ms after interrupt`));
    }, WATCHDOG_GRACE_MS);
  }, ms + 250);
  let rejectOnCrash: (e: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    rejectOnCrash = reject;
  });
  inFlight.add(rejectOnCrash);
  try {
    return await Promise.race([exclusive(call), crashed]);
  } catch (e) {
    if (stuck) throw new StuckCheck();
    throw e;
  } finally {
    inFlight.delete(rejectOnCrash);
    clearTimeout(backstop);
    if (watchdog) clearTimeout(watchdog);
  }
}

export type CheckOutcome =
  | { kind: 'sat'; model: Z3Model }
  | { kind: 'unsat' }
  | { kind: 'inconclusive'; limit: Limit };

/**
 * What one Z3 call may use. `ms` is wall-clock time; `rlimit` is Z3's
 * resource limit, a count of solver steps that is the same for the same
 * query on any machine, so a verdict bounded by it does not depend on how
 * fast or busy the machine is (tests use it; `ms` is then only a safety
 * net). A bare number is `{ ms }`.
 */
export interface QueryBudget {
  ms: number;
  rlimit?: number;
}

function budgetOf(b: number | QueryBudget): QueryBudget {
  return typeof b === 'number' ? { ms: b } : b;
}

/**
 * One satisfiability check under a budget. `unknown` becomes an
 * inconclusive outcome naming Z3's reason; a Z3 time-out or cancellation
 * becomes a `timeout` limit, a spent resource limit a `z3-unknown` one
 * naming it. Exceptions propagate (the job is retried by `withSolver`).
 */
export async function check(
  ctx: Z3Ctx,
  solver: Z3Solver | Z3Optimize,
  budget: number | QueryBudget,
  assumptions: Z3Bool[] = [],
): Promise<CheckOutcome> {
  const t = await timed(ctx, budgetOf(budget), solver, () => (solver as Z3Solver).check(...assumptions), true);
  if (t.kind === 'inconclusive') return t;
  if (t.r === 'sat') return { kind: 'sat', model: solver.model() };
  if (t.r === 'unsat') return { kind: 'unsat' };
  return unknownOutcome(solver.reasonUnknown(), t);
}

/**
 * Z3's resource count so far. It is kept per context (every solver of a
 * context reports the same running total), so one call's use is the
 * difference across it; absent before the context's first counted step.
 */
function rlimitCount(target: { statistics(): { keys(): string[]; get(key: string): number; release(): void } }): number {
  const stats = target.statistics();
  try {
    return stats.keys().includes('rlimit count') ? stats.get('rlimit count') : 0;
  } finally {
    stats.release();
  }
}

/**
 * The most any one call of this process used, for sizing test budgets
 * (bench/rlimit-usage.ts): deterministic limits are only useful with a
 * known margin over what the queries need.
 */
const usage = { calls: 0, max: 0, total: 0 };

export function rlimitUsage(): { calls: number; max: number; total: number } {
  return { ...usage };
}

/** Counts a call answered outside this module (the native fixed point, native.ts). */
export function recordRlimitUsage(used: number): void {
  usage.calls++;
  usage.total += used;
  usage.max = Math.max(usage.max, used);
}

export function resetRlimitUsage(): void {
  usage.calls = 0;
  usage.max = 0;
  usage.total = 0;
}

type Counted = { set(key: string, value: unknown): void; statistics(): { keys(): string[]; get(key: string): number; release(): void } };

type Timed =
  | { kind: 'answer'; r: 'sat' | 'unsat' | 'unknown'; started: number; ms: number; rlimit?: number; used: number }
  | { kind: 'inconclusive'; limit: Limit };

/**
 * One Z3 call under a budget, shared by checks and fixed-point queries:
 * Z3's own limits set on `target`, the watchdog of `guarded`, and a call
 * Z3 would not stop reported as having used up its time (the module stays
 * marked broken, so the job's next call fails over to a fresh one).
 * `injectable`: subject to `injectSolverFaults`.
 */
async function timed(
  ctx: Z3Ctx,
  budget: QueryBudget,
  target: Counted,
  call: () => Promise<'sat' | 'unsat' | 'unknown'>,
  injectable = false,
): Promise<Timed> {
  const ms = Math.floor(budget.ms);
  if (ms <= 0) return { kind: 'inconclusive', limit: { kind: 'timeout', ms: 0 } };
  if (brokenDetail !== undefined) throw new SolverFailure(brokenDetail);
  if (injectable && pendingFaults > 0) {
    pendingFaults--;
    const e = new Error('injected fault: unreachable executed');
    e.name = 'RuntimeError';
    throw e;
  }
  target.set('timeout', ms);
  const rlimit = budget.rlimit === undefined ? undefined : Math.max(1, Math.floor(budget.rlimit));
  // 0 is Z3's "no limit": set it either way so a reused solver does not keep an old one.
  target.set('rlimit', rlimit ?? 0);
  const before = rlimitCount(target);
  const started = Date.now();
  try {
    const r = await guarded(ctx, ms, call);
    const used = rlimitCount(target) - before;
    usage.calls++;
    usage.total += used;
    usage.max = Math.max(usage.max, used);
    return { kind: 'answer', r, started, ms, rlimit, used };
  } catch (e) {
    if (e instanceof StuckCheck) return { kind: 'inconclusive', limit: { kind: 'timeout', ms } };
    throw e;
  }
}

/** What an `unknown` answer means, from Z3's reason, the time it took and the resources it used. */
function unknownOutcome(reason: string, t: { started: number; ms: number; rlimit?: number; used: number }): { kind: 'inconclusive'; limit: Limit } {
  // A spent resource limit reads "max. resource limit exceeded", or
  // "canceled" when a tactic noticed it first, or (fixed-point engine) "ok":
  // the count, not the wording, says which limit stopped the call.
  if (t.rlimit !== undefined && (t.used >= t.rlimit || /resource limit/i.test(reason))) {
    return { kind: 'inconclusive', limit: { kind: 'z3-unknown', reason: `resource limit ${t.rlimit} reached` } };
  }
  // Z3's reasons vary by solver ('timeout', 'canceled', ...); a call that
  // ran to its limit timed out whatever it says.
  if (/timeout|canceled|cancelled|interrupted/i.test(reason) || Date.now() - t.started >= t.ms * 0.9) {
    return { kind: 'inconclusive', limit: { kind: 'timeout', ms: t.ms } };
  }
  // Memory exhaustion poisons the shared context: fail the job so it is
  // retried on a fresh module.
  if (/mem/i.test(reason)) throw new SolverFailure(`Z3 ran out of memory (${reason})`);
  return { kind: 'inconclusive', limit: { kind: 'z3-unknown', reason } };
}

/**
 * A context of its own for one job on the current module: the fixed-point
 * engine keeps per-context tables that releasing the engine does not
 * return (a shared context ran the 2 GiB heap out within 60 fixtures);
 * a dropped context is freed whole when collected.
 */
export async function freshContext(): Promise<Z3Ctx> {
  const s = await currentSession();
  const ctx = new s.api.Context('bmc') as Z3Ctx;
  s.api.Z3.enable_concurrent_dec_ref(ctx.ptr);
  return ctx;
}

/**
 * One fixed-point query: which of `count` goals are derivable, where goal
 * j is derivable iff `bad(j)` is (`bad`: one bit-vector column).
 * `reachable[j]` says whether goal j is. Same budget, watchdog and failure
 * handling as `check`.
 *
 * One relation with a goal column rather than one nullary relation per
 * goal: Z3 applies the resource limit to `query` but not to
 * `queryRelations` (z3-solver 5.2), and a saturation that cannot be
 * bounded deterministically would make verdicts depend on speed.
 */
export async function queryFixedpoint(
  ctx: Z3Ctx,
  fp: Z3Fixedpoint,
  bad: Z3Relation,
  count: number,
  budget: number | QueryBudget,
): Promise<{ kind: 'answered'; reachable: boolean[] } | { kind: 'inconclusive'; limit: Limit }> {
  const k = ctx.Const('goal', bad.domain(0));
  const t = await timed(ctx, budgetOf(budget), fp, () => fp.query(ctx.Exists([k], bad.call(k) as Z3Bool)));
  if (t.kind === 'inconclusive') return t;
  const r = t.r;
  if (r === 'unsat') return { kind: 'answered', reachable: Array.from({ length: count }, () => false) };
  if (r === 'unknown') return unknownOutcome(fp.getReasonUnknown(), t);
  const derived = derivedGoals(ctx, fp.getAnswer());
  return { kind: 'answered', reachable: Array.from({ length: count }, (_, j) => derived === 'all' || derived.has(j)) };
}

/**
 * The goal numbers in a fixed-point answer over the query's one bound
 * variable: the datalog engine lists the derived rows, `(= (:var 0) #b01)`
 * or a disjunction of those, `true` if every value is derived. Any other
 * shape is not trusted.
 */
function derivedGoals(ctx: Z3Ctx, answer: ReturnType<Z3Fixedpoint['getAnswer']>): Set<number> | 'all' {
  if (answer && ctx.isTrue(answer)) return 'all';
  const bad = (what: string) => new SolverFailure(`unexpected fixed-point answer ${what}: ${answer?.sexpr().slice(0, 80)}`);
  if (!answer || !ctx.isApp(answer)) throw bad('shape');
  const rows = ctx.isOr(answer) ? Array.from({ length: answer.numArgs() }, (_, i) => answer.arg(i)) : [answer];
  const out = new Set<number>();
  for (const row of rows) {
    if (!ctx.isEq(row) || row.numArgs() !== 2) throw bad('row');
    const [a, b] = [row.arg(0), row.arg(1)];
    const value = ctx.isVar(a) && ctx.isBitVecVal(b) ? b : ctx.isVar(b) && ctx.isBitVecVal(a) ? a : undefined;
    if (!value) throw bad('row');
    out.add(Number(value.value()));
  }
  return out;
}

export type JobOutcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; limit: Limit };

/**
 * Runs `job` on the shared context. If it throws (a WASM abort, an
 * exception inside the bindings), the module is discarded and the job is
 * run once more on a fresh one (unless `retry: false`: a job with a
 * fallback of its own); a second failure is reported, not thrown.
 * Jobs must be self-contained: they create their own solvers and may be
 * run twice.
 */
export async function withSolver<T>(job: (ctx: Z3Ctx) => Promise<T>, opts: { retry?: boolean } = {}): Promise<JobOutcome<T>> {
  if (disabledReason !== undefined) return { kind: 'failed', limit: { kind: 'solver-failure', detail: disabledReason } };
  let lastError = '';
  const attempts = opts.retry === false ? 1 : 2;
  for (let attempt = 0; attempt < attempts; attempt++) {
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

/**
 * Runs SMT-LIB 2 text (declarations, assertions, `(check-sat)`) in a fresh
 * Z3 context of this process's session and returns Z3's answer text: the
 * same query `lockmc dump smt2` writes, answered by the same solver, so a
 * test can check the dump against the engine's verdict.
 */
export async function evalSmtlib(text: string): Promise<string> {
  const s = await currentSession();
  const ctx = new s.api.Context('smt2') as unknown as Z3Ctx;
  return await s.api.Z3.eval_smtlib2_string(ctx.ptr, text);
}

/** A fixed-point object's relations and rules as Z3's own fixedpoint text. */
export async function fixedpointToString(ctx: Z3Ctx, fp: Z3Fixedpoint): Promise<string> {
  const s = await currentSession();
  return s.api.Z3.fixedpoint_to_string(ctx.ptr, fp.ptr, []);
}
