/**
 * Child-process entry for BMC jobs (see isolated.ts): receives transition
 * systems and options over IPC, one job at a time, and answers each with
 * its EngineResult. The parent kills this process when a job passes its
 * deadline, so a Z3 solver that hangs or corrupts its WASM heap cannot
 * touch later jobs; it exits by itself when the parent goes away.
 */

import { runBmc, type BmcOptions } from './run-bmc.js';
import type { TransitionSystem } from '../../semantics/system.js';

process.on('disconnect', () => process.exit(0));
process.on('message', (msg: { id: number; ts: TransitionSystem; opts: BmcOptions }) => {
  runBmc(msg.ts, msg.opts).then(
    (result) => process.send!({ id: msg.id, ok: true, result }),
    (e: unknown) => process.send!({ id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
  );
});
