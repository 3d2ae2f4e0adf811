/**
 * The messages between `check` and its model workers (pool.ts, worker.ts).
 * Plain structured-clone data: a worker resolves the rule selection from
 * the options itself, so no Rule object crosses the thread boundary.
 */

import type { CheckOptions } from '../options.js';
import type { CacheSettings, Versions } from '../cache/index.js';
import type { ModelReport } from '../report.js';

/** What a worker is started with (`workerData`). */
export interface WorkerInit {
  options: CheckOptions;
  /** The run's result cache (checker/cache/), opened by each worker. */
  cache?: { settings: CacheSettings; versions: Versions };
}

export type ToWorker =
  /** Check one model; `index` is its place in the input. */
  | { kind: 'job'; index: number; file: string; path?: string; text?: string }
  /** The run was interrupted: the model in hand stops (its BMC child is killed), no other starts. */
  | { kind: 'abort'; reason: string };

/** A model's report; `index` as in its job. */
export type FromWorker = { kind: 'done'; index: number; report: ModelReport };
