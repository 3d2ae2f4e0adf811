/**
 * A deliberately naive oracle for the explicit engine's tests: a
 * tree-walking evaluator of system.ts expressions, a schedule replayer,
 * and a BFS over `Map<string, …>` states. Slow and obviously correct;
 * it shares no code with the engine.
 */

import type { BoolExpr, IntExpr, Property, TransitionSystem } from '../../../../checker/semantics/system.js';

export type RefState = number[];

export function evalInt(e: IntExpr, s: RefState): number {
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
      return Number(BigInt(evalInt(e.a, s)) | BigInt(evalInt(e.b, s)));
    case 'bitand':
      return Number(BigInt(evalInt(e.a, s)) & BigInt(evalInt(e.b, s)));
    case 'bitclear':
      return Number(BigInt(evalInt(e.a, s)) & ~BigInt(evalInt(e.b, s)));
    case 'ite':
      return evalBool(e.c, s) ? evalInt(e.t, s) : evalInt(e.e, s);
  }
}

export function evalBool(e: BoolExpr, s: RefState): boolean {
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
      return ((BigInt(evalInt(e.a, s)) >> BigInt(e.bit)) & 1n) === 1n;
    case 'and':
      return e.args.every((a) => evalBool(a, s));
    case 'or':
      return e.args.some((a) => evalBool(a, s));
    case 'not':
      return !evalBool(e.a, s);
  }
}

export function initial(ts: TransitionSystem): RefState {
  return ts.vars.map((v) => v.init);
}

export function step(ts: TransitionSystem, s: RefState, t: number): RefState | undefined {
  const tr = ts.transitions[t];
  if (!evalBool(tr.guard, s)) return undefined;
  const n = s.slice();
  for (const u of tr.updates) {
    const w = ts.vars[u.v].width;
    n[u.v] = evalInt(u.e, s) % 2 ** w;
  }
  return n;
}

export function enabled(ts: TransitionSystem, s: RefState): number[] {
  return ts.transitions.filter((t) => evalBool(t.guard, s)).map((t) => t.id);
}

export function isTerminal(ts: TransitionSystem, s: RefState): boolean {
  const en = enabled(ts, s);
  return ts.threads.every((th) => {
    if (th.liveness === 'optional' && evalBool(th.notStarted, s)) return true;
    return evalBool(th.done, s) || !en.some((t) => ts.transitions[t].thread === th.id);
  });
}

export function isDeadlock(ts: TransitionSystem, s: RefState): boolean {
  return isTerminal(ts, s) && ts.threads.some((th) => !evalBool(th.done, s) && !(th.liveness === 'optional' && evalBool(th.notStarted, s)));
}

/** Does `schedule` replay from the initial state and violate `p` (at its end)? */
export function scheduleViolates(ts: TransitionSystem, p: Property, schedule: number[]): boolean {
  let s = initial(ts);
  for (let i = 0; i < schedule.length; i++) {
    const t = schedule[i];
    if (i === schedule.length - 1 && p.kind === 'step') {
      if (!p.transitions.includes(t) || !evalBool(p.when, s)) return false;
    }
    const n = step(ts, s, t);
    if (!n) return false;
    s = n;
  }
  switch (p.kind) {
    case 'step':
      return schedule.length > 0;
    case 'state':
      return evalBool(p.bad, s);
    case 'terminal':
      return isTerminal(ts, s) && evalBool(p.bad, s);
    case 'deadlock':
      return isDeadlock(ts, s);
  }
}

export interface RefResult {
  states: number;
  /** Per property: length of a shortest violating schedule, or undefined if it holds. */
  shortest: (number | undefined)[];
  terminalStates: Set<string>;
}

export function refExplore(ts: TransitionSystem): RefResult {
  const seen = new Map<string, number>();
  const s0 = initial(ts);
  seen.set(s0.join(','), 0);
  let frontier: RefState[] = [s0];
  const shortest: (number | undefined)[] = ts.properties.map(() => undefined);
  const terminalStates = new Set<string>();
  const note = (i: number, len: number) => {
    if (shortest[i] === undefined || shortest[i]! > len) shortest[i] = len;
  };
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: RefState[] = [];
    for (const s of frontier) {
      const term = isTerminal(ts, s);
      if (term) terminalStates.add(s.join(','));
      ts.properties.forEach((p, i) => {
        if (p.kind === 'state' && evalBool(p.bad, s)) note(i, depth);
        if (p.kind === 'terminal' && term && evalBool(p.bad, s)) note(i, depth);
        if (p.kind === 'deadlock' && isDeadlock(ts, s)) note(i, depth);
      });
      for (const t of enabled(ts, s)) {
        ts.properties.forEach((p, i) => {
          if (p.kind === 'step' && p.transitions.includes(t) && evalBool(p.when, s)) note(i, depth + 1);
        });
        const n = step(ts, s, t)!;
        const key = n.join(',');
        if (!seen.has(key)) {
          seen.set(key, depth + 1);
          next.push(n);
        }
      }
    }
    frontier = next;
  }
  return { states: seen.size, shortest, terminalStates };
}
