/**
 * Child-process entry for BMC jobs (see isolated.ts): receives transition
 * systems and options over IPC, one job at a time, and answers each with
 * its EngineResult. The parent kills this process when a job passes its
 * deadline, so a Z3 solver that hangs or corrupts its WASM heap cannot
 * touch later jobs; it exits by itself when the parent goes away.
 */

import { runBmc, type BmcOptions } from './run-bmc.js';
import type { TransitionSystem } from '../../semantics/system.js';

/**
 * The WASM heap only grows (2 GiB at most) and the fixed-point engine's
 * tables are freed only when their context is collected: past this
 * resident size the worker answers and exits, and the next job gets a
 * fresh one.
 */
const RECYCLE_RSS_BYTES = Number(process.env.LOCKMC_BMC_RECYCLE_MB ?? 1280) * 2 ** 20;

/** Answers a job; a worker past the limit says it retires, so the parent does not reuse it. */
function reply(msg: object): void {
  const retiring = process.memoryUsage().rss > RECYCLE_RSS_BYTES;
  process.send!({ ...msg, retiring }, undefined, {}, () => {
    if (retiring) process.exit(0);
  });
}

process.on('disconnect', () => process.exit(0));
process.on('message', (msg: { id: number; ts: TransitionSystem; opts: BmcOptions }) => {
  runBmc(msg.ts, msg.opts).then(
    (result) => reply({ id: msg.id, ok: true, result }),
    (e: unknown) => reply({ id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
});
