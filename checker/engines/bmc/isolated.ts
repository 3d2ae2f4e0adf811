/**
 * Run a BMC job in a child process with a hard deadline.
 *
 * The Z3 WASM build occasionally hangs inside a check past an interrupt,
 * and a hung module poisons later jobs of the same process. The child
 * works to a slightly shorter budget and is killed at the time-out
 * itself, so no job outlives the limit the user set; the caller then gets
 * `inconclusive (time-out)` and the next job starts with a fresh solver. The child runs the compiled
 * worker (dist/); from sources without a build, the job runs in-process.
 */

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { EngineResult } from '../types.js';
import type { TransitionSystem } from '../../semantics/system.js';
import { BoundError, checkBound, runBmc, type BmcOptions } from './run-bmc.js';

/**
 * The share of a job's time-out kept back from the child: it stops
 * starting queries this early, so that minimising and answering fit in
 * before the parent's hard deadline, which is the time-out itself.
 */
export function innerBudget(timeoutMs: number): number {
  const margin = Math.min(1500, Math.max(100, timeoutMs * 0.1));
  return Math.max(1, timeoutMs - margin);
}


function workerPath(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'worker.js');
  if (existsSync(beside)) return beside;
  // Sources (tests): the build of the same tree.
  const built = join(here, '..', '..', '..', 'dist', 'checker', 'engines', 'bmc', 'worker.js');
  return existsSync(built) ? built : undefined;
}

function allInconclusive(ts: TransitionSystem, limit: EngineResult['results'][number] & { status: 'inconclusive' }, ms: number): EngineResult {
  return { engine: 'bmc', results: ts.properties.map(() => limit), stats: { ms } };
}

type Reply = ({ id: number; ok: true; result: EngineResult } | { id: number; ok: false; error: string }) & { retiring?: boolean };

/** One child at a time, reused across jobs until a job has to be killed. */
let child: ChildProcess | undefined;
/** Every child still alive (a retiring one may outlive its last job briefly). */
const alive = new Set<ChildProcess>();
let nextId = 1;
/** Jobs run one after another: a child serves one job at a time. */
let queue: Promise<unknown> = Promise.resolve();

function spawnWorker(path: string): ChildProcess {
  // --expose-gc: the worker collects between jobs (worker.ts).
  const c = fork(path, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced', execArgv: [...process.execArgv, '--expose-gc'] });
  // An idle worker must not keep the parent alive.
  c.unref();
  (c as ChildProcess & { channel?: { unref(): void } }).channel?.unref();
  alive.add(c);
  c.on('exit', () => {
    alive.delete(c);
    if (child === c) child = undefined;
  });
  return c;
}

/** The pids of the BMC children alive now (for tests and diagnostics). */
export function bmcChildren(): number[] {
  return [...alive].flatMap((c) => (c.pid !== undefined ? [c.pid] : []));
}

/**
 * Ends every BMC child at once (SIGKILL: a Z3 call cannot be interrupted
 * politely). For a client that is shutting down (SIGINT/SIGTERM); a job
 * that was running answers `solver-failure`, or `interrupted` when it was
 * given the aborted signal.
 */
export function killBmcChildren(): void {
  for (const c of alive) c.kill('SIGKILL');
  child = undefined;
}

/**
 * `signal`: aborting it (reason: the signal's name) kills the child at once
 * and answers `inconclusive` with an `interrupted` limit; a job still
 * queued then does not start.
 */
export function runBmcIsolated(ts: TransitionSystem, opts: BmcOptions, signal?: AbortSignal): Promise<EngineResult> {
  if (opts.bound !== undefined) checkBound(opts.bound);
  const worker = workerPath();
  if (!worker) return runBmc(ts, opts);
  const job = queue.then(() => runJob(worker, ts, opts, signal));
  queue = job.catch(() => undefined);
  return job;
}

function interruptedBy(signal: AbortSignal): { kind: 'interrupted'; signal: string; phase: string } {
  return { kind: 'interrupted', signal: String(signal.reason ?? 'SIGINT'), phase: 'bmc' };
}

/** The child's limits, reported as the user's time-out: that is the limit that was hit. */
function asUserTimeout(r: EngineResult, timeoutMs: number): EngineResult {
  return {
    ...r,
    results: r.results.map((x) => (x.status === 'inconclusive' && x.limit.kind === 'timeout' ? { ...x, limit: { kind: 'timeout', ms: timeoutMs } } : x)),
  };
}

function runJob(worker: string, ts: TransitionSystem, opts: BmcOptions, signal?: AbortSignal): Promise<EngineResult> {
  const start = Date.now();
  const limit = opts.timeoutMs;
  if (signal?.aborted) return Promise.resolve(allInconclusive(ts, { status: 'inconclusive', limit: interruptedBy(signal) }, 0));
  const c = (child ??= spawnWorker(worker));
  const id = nextId++;
  return new Promise<EngineResult>((resolve) => {
    let settled = false;
    const fail = (detail: string) => allInconclusive(ts, { status: 'inconclusive', limit: { kind: 'solver-failure', detail } }, Date.now() - start);
    const finish = (r: EngineResult, kill: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      c.off('message', onMessage);
      c.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      if (kill) {
        c.kill('SIGKILL');
        if (child === c) child = undefined;
      } else {
        (c as ChildProcess & { channel?: { unref(): void } }).channel?.unref();
      }
      resolve(r);
    };
    const onMessage = (m: Reply) => {
      if (m.id !== id) return;
      const r = m.ok ? asUserTimeout(m.result, opts.timeoutMs) : fail(m.error);
      // A retiring worker exits by itself once this answer is out.
      if (m.retiring && child === c) child = undefined;
      // A job that hit a limit may have left its solver hung or disabled:
      // the next job gets a fresh process.
      finish(r, r.results.some((x) => x.status === 'inconclusive'));
    };
    const onExit = (code: number | null, sig: string | null) =>
      finish(signal?.aborted ? allInconclusive(ts, { status: 'inconclusive', limit: interruptedBy(signal) }, Date.now() - start) : fail(`BMC worker exited (${sig ?? code})`), false);
    // An interrupt does not wait for the solver: the child is killed now.
    const onAbort = () => finish(allInconclusive(ts, { status: 'inconclusive', limit: interruptedBy(signal!) }, Date.now() - start), true);
    const timer = setTimeout(() => finish(allInconclusive(ts, { status: 'inconclusive', limit: { kind: 'timeout', ms: opts.timeoutMs } }, limit), true), limit);
    c.on('message', onMessage);
    c.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    (c as ChildProcess & { channel?: { ref(): void } }).channel?.ref();
    c.send({ id, ts, opts: { ...opts, timeoutMs: innerBudget(opts.timeoutMs) } });
  });
}

export { BoundError };

