/**
 * Child-process entry for BMC jobs (see isolated.ts): receives transition
 * systems and options over IPC, one job at a time, and answers each with
 * its EngineResult. The parent kills this process when a job passes its
 * deadline, so a Z3 solver that hangs or corrupts its WASM heap cannot
 * touch later jobs; it exits by itself when the parent goes away.
 */

import { Worker } from 'node:worker_threads';
import { runBmc, type BmcOptions } from './run-bmc.js';
import type { TransitionSystem } from '../../semantics/system.js';

/**
 * The WASM heap only grows (2 GiB at most) and the fixed-point pass's
 * contexts are not returned (the bindings' finalizer for a context keeps
 * the context reachable): past this resident size, which leaves room for
 * the largest job we measured, the worker answers and exits, and the next
 * job gets a fresh one. An in-process run over the fixture corpus, which
 * never recycles, stalled at 2.3 GB in its second round.
 */
const RECYCLE_RSS_BYTES = Number(process.env.LOCKMC_BMC_RECYCLE_MB ?? 1024) * 2 ** 20;

/**
 * Answers a job; a worker past the limit says it retires, so the parent
 * does not reuse it. Collects garbage first: Z3 objects are freed only by
 * finalizers, and V8 does not count the WASM heap, so it would not collect
 * by itself before the WASM heap fills (27 s of CPU instead of 38 s over
 * the fixture corpus with it).
 */
function reply(msg: object): void {
  (globalThis as { gc?: () => void }).gc?.();
  const retiring = process.memoryUsage().rss > RECYCLE_RSS_BYTES;
  process.send!({ ...msg, retiring }, undefined, {}, () => {
    if (retiring) process.exit(0);
  });
}

process.on('disconnect', () => process.exit(0));

/**
 * 'disconnect' needs this thread's event loop, which a long synchronous
 * encoding or solver call can hold for the whole budget. A watchdog thread
 * polls the parent pid instead and kills this process (SIGKILL ends every
 * thread, Z3's included) as soon as the parent is gone: re-parenting
 * changes `ppid`. Unref'd: it never keeps the worker alive by itself.
 */
function watchParent(): void {
  const code = `
    const { workerData } = require('node:worker_threads');
    setInterval(() => {
      if (process.ppid !== workerData.parent) process.kill(workerData.self, 'SIGKILL');
    }, ${PARENT_POLL_MS});
  `;
  new Worker(code, { eval: true, workerData: { parent: process.ppid, self: process.pid } }).unref();
}

/** How often the watchdog looks at the parent: well within the 1 s an interrupt may take. */
const PARENT_POLL_MS = 200;

watchParent();
process.on('message', (msg: { id: number; ts: TransitionSystem; opts: BmcOptions }) => {
  runBmc(msg.ts, msg.opts).then(
    (result) => reply({ id: msg.id, ok: true, result }),
    (e: unknown) => reply({ id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
});
