/**
 * Concrete stepping on the reference semantics (semantics/eval.ts), used
 * after decoding: the canonical reordering of a schedule needs to know
 * whether a permuted schedule still runs, still violates, and how many
 * preemptions it has.
 */

import { prepare, type Evaluator } from '../../semantics/eval.js';
import type { Property, Schedule, TransitionSystem } from '../../semantics/system.js';
import { unreachable } from '../../../model/ir.js';

export type State = Uint32Array;

export class Concrete {
  readonly ev: Evaluator;

  constructor(readonly ts: TransitionSystem) {
    this.ev = prepare(ts);
  }

  done(s: State, th: number): boolean {
    return this.ev.threadDone(s, th);
  }

  threadEnabled(s: State, th: number): boolean {
    return this.ev.threadCanMove(s, th);
  }

  terminal(s: State): boolean {
    return this.ev.isTerminal(s);
  }

  /** States s_0..s_n of the run, or undefined if some step is not enabled. */
  run(schedule: Schedule): State[] | undefined {
    const states = [this.ev.initial()];
    for (const t of schedule) {
      const s = states[states.length - 1];
      if (!Number.isInteger(t) || t < 0 || t >= this.ts.transitions.length || !this.ev.enabled(s, t)) return undefined;
      states.push(this.ev.successor(s, t));
    }
    return states;
  }

  /**
   * Preemptions: the thread changes while the previous thread is neither
   * done nor blocked in the state where the switch happens.
   */
  preemptions(schedule: Schedule, states: State[]): number {
    let n = 0;
    for (let i = 1; i < schedule.length; i++) {
      const a = this.ts.transitions[schedule[i - 1]].thread;
      const b = this.ts.transitions[schedule[i]].thread;
      if (a === b) continue;
      const s = states[i];
      if (!this.ev.threadDone(s, a) && this.ev.threadCanMove(s, a)) n++;
    }
    return n;
  }

  /** Does the run end in (or with) a violation of `p`? */
  violatesAtEnd(p: Property, schedule: Schedule, states: State[]): boolean {
    const last = states[states.length - 1];
    switch (p.kind) {
      case 'state':
        return this.ev.evalBool(p.bad, last);
      case 'terminal':
        return this.ev.isTerminal(last) && this.ev.evalBool(p.bad, last);
      case 'deadlock':
        return this.ev.isDeadlock(last);
      case 'step': {
        if (schedule.length === 0) return false;
        const t = schedule[schedule.length - 1];
        return p.transitions.includes(t) && this.ev.evalBool(p.when, states[states.length - 2]);
      }
      default:
        return unreachable(p);
    }
  }
}
