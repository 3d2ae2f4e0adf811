/**
 * Canonical counterexamples: whatever engine found a violation, the
 * schedule shown is cut at the violation, then rearranged by swapping
 * adjacent steps of different threads while it still replays and still
 * violates the same property at the same step: fewer preemptions first,
 * then lower thread ids first. Both engines feed their schedules through
 * here, so the same bug prints the same trace whichever engine found it
 * (as long as they found schedules of the same length).
 */

import type { Evaluator } from './semantics/eval.js';
import type { Schedule, TransitionSystem } from './semantics/system.js';
import { confirmViolation } from './replay.js';
import { budgetStop, type Budget } from '../model/budget.js';

/** A switch away from a thread that could still have moved. */
export function countPreemptions(ts: TransitionSystem, ev: Evaluator, schedule: Schedule): number {
  let s = ev.initial();
  let n = 0;
  for (let i = 0; i < schedule.length; i++) {
    const t = schedule[i];
    if (i > 0) {
      const prevThread = ts.transitions[schedule[i - 1]].thread;
      const thread = ts.transitions[t].thread;
      // The same criterion as the trace's preemption marks (checker/trace.ts).
      if (prevThread !== thread && !ev.threadDone(s, prevThread) && ev.threadCanMove(s, prevThread)) n++;
    }
    s = ev.successor(s, t);
  }
  return n;
}

function key(ts: TransitionSystem, ev: Evaluator, schedule: Schedule): [number, string] {
  return [countPreemptions(ts, ev, schedule), schedule.map((t) => String(ts.transitions[t].thread).padStart(3, '0')).join(',')];
}

function better(a: [number, string], b: [number, string]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/**
 * `budget`: when the model's time is up (or the run is interrupted) the
 * schedule found so far is kept: it still replays and violates at the same
 * step, it is only less canonical. The verdict is decided already.
 */
export function canonicalise(ts: TransitionSystem, ev: Evaluator, schedule: Schedule, property: number, maxPasses = 64, budget?: Budget): Schedule {
  const first = confirmViolation(ts, schedule, property, ev);
  if (!first.ok) return schedule;
  let cur = schedule.slice(0, first.violation.step === 0 ? 0 : first.violation.step);
  const atStep = first.violation.step;
  let curKey = key(ts, ev, cur);
  for (let pass = 0; pass < maxPasses; pass++) {
    if (budgetStop(budget, 'minimise')) break;
    let improved = false;
    for (let i = 0; i + 1 < cur.length; i++) {
      const a = ts.transitions[cur[i]];
      const b = ts.transitions[cur[i + 1]];
      if (a.thread === b.thread) continue;
      const cand = cur.slice();
      cand[i] = cur[i + 1];
      cand[i + 1] = cur[i];
      const r = confirmViolation(ts, cand, property, ev);
      if (!r.ok || r.violation.step !== atStep) continue;
      const k = key(ts, ev, cand);
      if (better(k, curKey)) {
        cur = cand;
        curKey = k;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return cur;
}
