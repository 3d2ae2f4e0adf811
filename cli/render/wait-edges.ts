/**
 * The final waits of a trace as edges of a picture: who waits, for what,
 * and which thread's lane the edge ends in. Read from the `Wait` data the
 * checker put in the final state (checker/report.ts), never from the
 * sentence that phrases it, so a renamed word cannot redirect an arrow.
 */

import type { Trace, Wait } from '../../checker/report.js';
import { unreachable } from '../../model/ir.js';
import { waitText } from './words.js';

/**
 * The pseudo-lock a thread holds between dma_fence_begin_signalling() and
 * dma_fence_end_signalling() (drivers/dma-buf/dma-fence.c,
 * `dma_fence_lockdep_map`): lockdep's stand-in for "this thread will
 * signal the fence", so a fence wait points at the thread holding it.
 */
const SIGNALLING_MAP = 'dma_fence_map';

export interface WaitEdge {
  /** The blocked thread. */
  waiter: string;
  /** The lane the edge ends in: the holder (the waiter itself for a self-deadlock), or none. */
  target?: string;
  /** One line: `run_job waits for mutex reset_lock held by gpu_reset_work`. */
  label: string;
}

/** Every thread blocked at the end of the trace, with the lane its wait points at. */
export function waitEdges(trace: Trace): WaitEdge[] {
  const out: WaitEdge[] = [];
  for (const th of trace.final.threads) {
    if (th.status !== 'blocked' || th.waitingFor === undefined) continue;
    const w = th.waitingFor;
    const target = targetOf(trace, w);
    const base = `${th.thread} waits for ${waitText(w, th.thread)}`;
    out.push({ waiter: th.thread, ...(target !== undefined ? { target } : {}), label: base + suffix(w, th.thread, target) });
  }
  return out;
}

/**
 * What the wait's own words do not say: for a fence, whose signalling
 * section the arrow points at (the Wait data names no signaller); for a
 * wait no lane can end, that it stays unended.
 */
function suffix(w: Wait, waiter: string, target: string | undefined): string {
  if (target === undefined) return w.kind === 'lock' ? '' : ' (no thread in the picture can end this wait)';
  if (w.kind !== 'fence' && w.kind !== 'resv-fences') return '';
  return target === waiter ? ' (it is itself in the fence signalling section)' : ` (signalled from ${target}'s fence signalling section)`;
}

function holdingSignallingMap(trace: Trace): string[] {
  return trace.final.threads.filter((t) => t.held.includes(SIGNALLING_MAP)).map((t) => t.thread);
}

function targetOf(trace: Trace, w: Wait): string | undefined {
  switch (w.kind) {
    case 'lock':
      // The exclusive owner, else the one reader; several readers give no single lane.
      if (w.owner !== undefined) return w.owner;
      return w.readers && w.readers.length === 1 ? w.readers[0] : undefined;
    case 'fence':
    case 'resv-fences': {
      // Only one thread in a signalling section can be named as the signaller.
      const s = holdingSignallingMap(trace);
      return s.length === 1 ? s[0] : undefined;
    }
    case 'work':
      return w.worker;
    case 'irq':
      return trace.threads.some((t) => t.name === w.irq) ? w.irq : undefined;
    case 'op':
      return undefined;
    default:
      return unreachable(w);
  }
}
