/**
 * `--jobs N`: the models of a run checked by N worker threads, each with
 * its own checker (worker.ts). Models are handed out in input order, one
 * at a time, to whichever worker is free; results come back in any order
 * and `onDone` sees each as it arrives (checker/index.ts restores input
 * order). A worker that dies takes only its model with it: that model
 * becomes an internal error (LMC903) and a fresh worker takes the rest.
 * An interrupt is forwarded to every worker; none starts another model.
 */

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckOptions } from '../options.js';
import type { CacheSettings, Versions } from '../cache/index.js';
import type { ModelReport } from '../report.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import type { ModelInput } from '../model-input.js';

export interface PoolRun {
  inputs: ModelInput[];
  options: CheckOptions;
  /** The result cache's settings: each worker opens the same directory (entries are written then renamed, so threads may share it). */
  cache?: { settings: CacheSettings; versions: Versions };
  /** Workers to start (at most one per model). */
  jobs: number;
  signal?: AbortSignal;
  /** A model was handed to a worker. */
  onStart?: (index: number) => void;
  /** A model's report, in completion order. */
  onDone: (index: number, report: ModelReport) => void;
  /** What a model whose worker died reports (checker/check-one.ts `internalErrorReport`). */
  crashed: (index: number, message: string) => ModelReport;
  /** The worker script; default the compiled worker.ts. Tests give their own. */
  script?: string | URL;
}

/**
 * The compiled worker: beside this file in dist/, or, from the sources
 * (tests, benches run with tsx), the build of the same tree. Undefined
 * without a build: `check` then runs the models in-process.
 */
export function workerScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'worker.js');
  if (existsSync(beside)) return beside;
  const built = join(here, '..', '..', 'dist', 'checker', 'parallel', 'worker.js');
  return existsSync(built) ? built : undefined;
}

/**
 * How long a worker gets, after an interrupt, to answer with its cut
 * model (it stops within a second: every long phase checks its budget,
 * and the BMC child is killed at once); one that has not is terminated,
 * so an interrupted run always ends.
 */
export const ABORT_GRACE_MS = 2000;

interface Slot {
  worker: Worker;
  /** The model in hand. */
  job?: number;
  /** Why the worker failed, if it said (an uncaught error). */
  error?: string;
}

/** Resolves once every worker has ended: each model either reported or was never started (interrupt). */
export function runPool(run: PoolRun): Promise<void> {
  const script = run.script ?? workerScript();
  if (script === undefined) return Promise.reject(new Error('no compiled model worker (run npm run build)'));
  let next = 0;
  let live = 0;
  const slots = new Set<Slot>();
  return new Promise<void>((resolveAll) => {
    const stopped = () => run.signal?.aborted === true;
    const onAbort = () => {
      const reason = String(run.signal?.reason ?? 'SIGINT');
      for (const s of slots) {
        if (s.job === undefined) void s.worker.terminate();
        else s.worker.postMessage({ kind: 'abort', reason } satisfies ToWorker);
      }
      setTimeout(() => {
        for (const s of slots) void s.worker.terminate();
      }, ABORT_GRACE_MS).unref();
    };
    const dispatch = (s: Slot) => {
      if (stopped() || next >= run.inputs.length) {
        s.job = undefined;
        void s.worker.terminate();
        return;
      }
      const index = next++;
      s.job = index;
      run.onStart?.(index);
      const { file, path, text } = run.inputs[index];
      s.worker.postMessage({ kind: 'job', index, file, ...(path !== undefined ? { path } : {}), ...(text !== undefined ? { text } : {}) } satisfies ToWorker);
    };
    const start = () => {
      const s: Slot = { worker: new Worker(script, { workerData: { options: run.options, ...(run.cache ? { cache: run.cache } : {}) } satisfies WorkerInit }) };
      slots.add(s);
      live++;
      s.worker.on('message', (m: FromWorker) => {
        if (m.kind !== 'done' || m.index !== s.job) return;
        s.job = undefined;
        run.onDone(m.index, m.report);
        dispatch(s);
      });
      s.worker.on('error', (e) => (s.error = e instanceof Error ? e.message : String(e)));
      s.worker.on('exit', (code) => {
        slots.delete(s);
        live--;
        // A worker ended after the interrupt leaves its model unanswered: the caller marks it interrupted.
        if (s.job !== undefined && !stopped()) {
          const index = s.job;
          s.job = undefined;
          run.onDone(index, run.crashed(index, `model worker died while checking this model (${s.error ?? `exit code ${code}`})`));
          // The rest of the corpus gets a fresh worker.
          if (!stopped() && next < run.inputs.length) start();
        }
        if (live === 0) {
          run.signal?.removeEventListener('abort', onAbort);
          resolveAll();
        }
      });
      // The first job is posted at once (a worker queues messages until it
      // runs): waiting for 'online' would let an early interrupt find a
      // worker with nothing in hand, and a run's start depend on thread start-up.
      dispatch(s);
    };
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const n = Math.max(1, Math.min(run.jobs, run.inputs.length));
    for (let i = 0; i < n; i++) start();
  });
}
