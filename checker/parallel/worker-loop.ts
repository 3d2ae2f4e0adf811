/**
 * The model worker's loop (worker.ts is its entry): one checker, and so one Z3 context (the
 * BMC engine's own child process, checker/engines/bmc/isolated.ts), per
 * thread. It checks the models pool.ts hands it one at a time, each on its
 * own budget, and answers each with its ModelReport. An `abort` message
 * is the run's interrupt: it reaches the budget of the model in hand and
 * the BMC child through the same AbortSignal a single-threaded run uses.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { makeBudget } from '../../model/budget.js';
import { checkOne } from '../check-one.js';
import { ResultCache } from '../cache/index.js';
import { resolveRules } from '../index.js';
import { killBmcChildren } from '../engines/bmc/isolated.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const port = parentPort!;
const { options, cache: cacheInit } = workerData as WorkerInit;
// The same selection the main thread resolved (and self-checked) for the run: a pure function of the options.
const rules = resolveRules(options);
// Its own handle on the run's cache directory; the main thread records costs and evicts (cache.finish) once per run.
const cache = cacheInit ? new ResultCache(cacheInit.settings, cacheInit.versions) : undefined;
const interrupt = new AbortController();
/** Jobs run one at a time, in the order they arrive. */
let queue: Promise<void> = Promise.resolve();

function send(m: FromWorker): void {
  port.postMessage(m);
}

port.on('message', (m: ToWorker) => {
  switch (m.kind) {
    case 'abort':
      interrupt.abort(m.reason);
      return;
    case 'job':
      queue = queue.then(async () => {
        const report = await checkOne(m, options, rules, makeBudget(options.timeoutMs, interrupt.signal), cache);
        send({ kind: 'done', index: m.index, report });
        // After an interrupt nothing of this thread is needed: no idle Z3 child is kept.
        if (interrupt.signal.aborted) killBmcChildren();
      });
      return;
  }
});
