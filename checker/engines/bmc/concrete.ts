/**
 * Concrete stepping used after decoding: canonical reordering of a
 * schedule and preemption counting need to know whether a permuted
 * schedule still runs. This is deliberately tiny; the reference semantics
 * that judges every shown trace is checker/semantics/eval.ts via replay, so
 * a disagreement here can only make a trace less canonical, never wrong.
 */

import type { BoolExpr, IntExpr, Property, Schedule, TransitionSystem } from '../../semantics/system.js';
import { unreachable } from '../../../model/ir.js';

export type State = number[];

export function evalInt(e: IntExpr, s: State): number {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'var':
      return s[e.v];
    case 'add':
      return evalInt(e.a, s) + evalInt(e.b, s);
    case 'sub':
      return evalInt(e.a, s) - evalInt(e.b, s);
    case 'bitor':
      return evalInt(e.a, s) | evalInt(e.b, s);
    case 'bitand':
      return evalInt(e.a, s) & evalInt(e.b, s);
    case 'bitclear':
      return evalInt(e.a, s) & ~evalInt(e.b, s);
    case 'ite':
      return evalBool(e.c, s) ? evalInt(e.t, s) : evalInt(e.e, s);
    default:
      return unreachable(e);
  }
}

export function evalBool(e: BoolExpr, s: State): boolean {
  switch (e.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'eq':
      return evalInt(e.a, s) === evalInt(e.b, s);
    case 'ne':
      return evalInt(e.a, s) !== evalInt(e.b, s);
    case 'lt':
      return evalInt(e.a, s) < evalInt(e.b, s);
    case 'le':
      return evalInt(e.a, s) <= evalInt(e.b, s);
    case 'bit':
      return ((evalInt(e.a, s) >>> e.bit) & 1) === 1;
    case 'and':
      return e.args.every((a) => evalBool(a, s));
    case 'or':
      return e.args.some((a) => evalBool(a, s));
    case 'not':
      return !evalBool(e.a, s);
    default:
      return unreachable(e);
  }
}

export class Concrete {
  private readonly byThread: number[][];

  constructor(readonly ts: TransitionSystem) {
    this.byThread = ts.threads.map(() => []);
    for (const t of ts.transitions) this.byThread[t.thread].push(t.id);
  }

  initial(): State {
    return this.ts.vars.map((v) => v.init);
  }

  enabled(s: State, t: number): boolean {
    return evalBool(this.ts.transitions[t].guard, s);
  }

  apply(s: State, t: number): State {
    const next = s.slice();
    for (const u of this.ts.transitions[t].updates) {
      const w = Math.max(1, this.ts.vars[u.v].width);
      next[u.v] = evalInt(u.e, s) % 2 ** w;
    }
    return next;
  }

  done(s: State, th: number): boolean {
    return evalBool(this.ts.threads[th].done, s);
  }

  threadEnabled(s: State, th: number): boolean {
    return this.byThread[th].some((t) => this.enabled(s, t));
  }

  terminal(s: State): boolean {
    return this.ts.threads.every(
      (th) =>
        evalBool(th.done, s) ||
        !this.threadEnabled(s, th.id) ||
        (th.liveness === 'optional' && evalBool(th.notStarted, s)),
    );
  }

  deadlocked(s: State): boolean {
    return this.terminal(s) && this.ts.threads.some((th) => th.liveness === 'mandatory' && !evalBool(th.done, s));
  }

  /** States s_0..s_n of the run, or undefined if some step is not enabled. */
  run(schedule: Schedule): State[] | undefined {
    const states = [this.initial()];
    for (const t of schedule) {
      const s = states[states.length - 1];
      if (t < 0 || t >= this.ts.transitions.length || !this.enabled(s, t)) return undefined;
      states.push(this.apply(s, t));
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
      if (!evalBool(this.ts.threads[a].done, s) && this.threadEnabled(s, a)) n++;
    }
    return n;
  }

  /** Does the run end in (or with) a violation of `p`? */
  violatesAtEnd(p: Property, schedule: Schedule, states: State[]): boolean {
    const last = states[states.length - 1];
    switch (p.kind) {
      case 'state':
        return evalBool(p.bad, last);
      case 'terminal':
        return this.terminal(last) && evalBool(p.bad, last);
      case 'deadlock':
        return this.deadlocked(last);
      case 'step': {
        if (schedule.length === 0) return false;
        const t = schedule[schedule.length - 1];
        return p.transitions.includes(t) && evalBool(p.when, states[states.length - 2]);
      }
      default:
        return unreachable(p);
    }
  }
}
