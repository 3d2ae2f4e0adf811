/**
 * Is a lock-graph cycle realisable? The lock graph finds class-level
 * cycles cheaply but some are impossible in any interleaving (a common
 * outer lock, a fence that is always signalled first). Here Z3 looks for a
 * run in which every cycle thread has taken its acquisition and the system
 * then reaches a terminal state with each of those threads blocked: the
 * deadlock property restricted to the cycle's threads.
 */

import type { Limit } from '../../report.js';
import type { Schedule, TransitionSystem } from '../../semantics/system.js';
import { Concrete } from './concrete.js';
import { parseEncoding, resolveEncoding, type Goal } from './encode.js';
import { budgetLimit, checkBound } from './run-bmc.js';
import { Search, type ConcreteCheck } from './search.js';
import { withSolver } from './solver.js';

export interface CycleAcquisition {
  thread: number;
  /** Transition id of the step that takes the lock this thread holds in the cycle. */
  transition: number;
}

export type RealiseResult =
  | { status: 'realised'; schedule: Schedule }
  /** No interleaving within `bound` steps; `exhaustive` when bound >= completeness bound. */
  | { status: 'not-realised'; exhaustive: boolean; bound: number }
  | { status: 'inconclusive'; limit: Limit };

export interface RealiseOptions {
  bound?: number;
  timeoutMs: number;
  /** Z3's resource limit per query (BmcOptions.rlimit). */
  rlimit?: number;
  /** Default true: shortest, fewest preemptions, canonical order. */
  minimise?: boolean;
  encoding?: string;
}

export function cycleGoal(acq: CycleAcquisition[]): Goal {
  const threads = [...new Set(acq.map((a) => a.thread))];
  return {
    stateLike: true,
    at: (u, i) => {
      const ctx = u.ctx;
      const took = acq.map((a) => (i === 0 ? ctx.Bool.val(false) : ctx.Or(...Array.from({ length: i }, (_, j) => u.fires(j, a.transition)))));
      return ctx.And(u.terminal(i), ...threads.map((th) => u.blocked(th, i)), ...took);
    },
    visibleTransitions: new Set(acq.map((a) => a.transition)),
    observedVars: new Set(),
  };
}

export async function realiseCycle(ts: TransitionSystem, acquisitions: CycleAcquisition[], opts: RealiseOptions): Promise<RealiseResult> {
  const start = Date.now();
  if (opts.bound !== undefined) checkBound(opts.bound);
  const bound = opts.bound ?? ts.completenessBound;
  for (const a of acquisitions) {
    const t = ts.transitions[a.transition];
    if (!t || t.thread !== a.thread) throw new RangeError(`transition ${a.transition} is not a step of thread ${a.thread}`);
  }
  // A targeted question about one bug: deepening finds it shortest.
  const cfg = resolveEncoding(parseEncoding(opts.encoding), 'shortest');
  const cx = new Concrete(ts);
  const threads = [...new Set(acquisitions.map((a) => a.thread))];
  const concrete: ConcreteCheck = (s, st) => {
    const last = st[st.length - 1];
    return (
      cx.terminal(last) &&
      threads.every((th) => !cx.done(last, th) && !cx.threadEnabled(last, th)) &&
      acquisitions.every((a) => s.includes(a.transition))
    );
  };
  const outcome = await withSolver(async (ctx) => {
    const search = new Search(ctx, ts, {
      bound,
      deadline: start + opts.timeoutMs,
      cfg,
      minimise: opts.minimise ?? true,
      rlimit: opts.rlimit,
    });
    return search.run([cycleGoal(acquisitions)], [concrete]);
  });
  if (outcome.kind === 'failed') return { status: 'inconclusive', limit: outcome.limit };
  const r = outcome.value[0];
  switch (r.status) {
    case 'violated':
      return { status: 'realised', schedule: r.schedule };
    case 'holds':
      return { status: 'not-realised', exhaustive: r.bound >= ts.completenessBound, bound: r.bound };
    case 'inconclusive':
      return { status: 'inconclusive', limit: budgetLimit(r.limit, opts.timeoutMs) };
  }
}
