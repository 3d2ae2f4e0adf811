/**
 * Which selected rules nothing in the model can match, so that `judge`
 * says `not-applicable` instead of `proved` for them (a phyr rule is not
 * "proved for every interleaving" of a model that has no phyr).
 *
 * Decided on what the checker built, not on names: the compiled
 * transition system (every model step, plus kswapd, shrinkers, notifiers
 * and irqs where the kernel would run them) and the lock graph. A check
 * can fire only when
 *  - step: some transition matches its pattern (compile keeps the list);
 *  - state / terminal / monitor: its condition reads a variable some
 *    transition writes, or holds in the initial state;
 *  - deadlock: some transition can be disabled (a thread can block);
 *  - lock-cycle / lock-recursion: the model acquires a lock while holding
 *    one (a model edge in the lock graph, or any nested acquisition the
 *    graph saw: a trylock records no edge, and an edge the primed order
 *    already has keeps its primed source), or the graph found a recursion.
 * A rule is not applicable when none of its checks can fire. Everything
 * unrecognised counts as applicable: a wrong "not applicable" would hide
 * a rule, a wrong "applicable" only keeps today's "proved".
 */

import type { Rule } from '../../rules/types.js';
import type { LockGraphResult } from '../engines/lockgraph/index.js';
import type { BoolExpr, IntExpr, Property, TransitionSystem, VarId } from '../semantics/system.js';

export const NOT_APPLICABLE_REASON = 'no step, lock or object of this model matches its checks';

/** The ids of `rules` that nothing in the model can match. */
export function notApplicableRules(rules: readonly Rule[], ts: TransitionSystem, graph: Pick<LockGraphResult, 'edges' | 'recursions'> & { built: Pick<LockGraphResult['built'], 'nested'> }): Set<string> {
  const written = new Set<VarId>();
  for (const t of ts.transitions) for (const u of t.updates) written.add(u.v);
  const canBlock = ts.transitions.some((t) => t.guard.k !== 'true');
  const nests = graph.built.nested || graph.edges.some((e) => e.source.kind === 'model') || graph.recursions.length > 0;
  const init = new Map(ts.vars.map((v) => [v.id, v.init]));
  const live = (p: Property): boolean => {
    switch (p.kind) {
      case 'step':
        return p.transitions.length > 0 && p.when.k !== 'false';
      case 'state':
      case 'terminal':
        return canHold(p.bad, written, init);
      case 'deadlock':
        return canBlock;
      default:
        return true;
    }
  };
  const out = new Set<string>();
  for (const rule of rules) {
    const applies = rule.checks.some((c) => {
      if (c.kind === 'lock-cycle' || c.kind === 'lock-recursion') return nests;
      return ts.properties.some((p) => p.rule === rule.meta.id && p.check === c.id && live(p));
    });
    if (!applies && rule.checks.length > 0) out.add(rule.meta.id);
  }
  return out;
}

/** Can `e` ever be true? Unknown (reads a written variable) counts as yes. */
function canHold(e: BoolExpr, written: Set<VarId>, init: Map<VarId, number>): boolean {
  if (e.k === 'false') return false;
  const vars = new Set<VarId>();
  boolVars(e, vars);
  if ([...vars].some((v) => written.has(v))) return true;
  // Constant over every run: its value in the initial state.
  const value = evalBool(e, init);
  return value === undefined || value;
}

function boolVars(e: BoolExpr, out: Set<VarId>): void {
  switch (e.k) {
    case 'true':
    case 'false':
      return;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
      intVars(e.a, out);
      intVars(e.b, out);
      return;
    case 'bit':
      intVars(e.a, out);
      return;
    case 'and':
    case 'or':
      for (const a of e.args) boolVars(a, out);
      return;
    case 'not':
      boolVars(e.a, out);
      return;
  }
}

function intVars(e: IntExpr, out: Set<VarId>): void {
  switch (e.k) {
    case 'const':
      return;
    case 'var':
      out.add(e.v);
      return;
    case 'ite':
      boolVars(e.c, out);
      intVars(e.t, out);
      intVars(e.e, out);
      return;
    default:
      intVars(e.a, out);
      intVars(e.b, out);
  }
}

function evalBool(e: BoolExpr, env: Map<VarId, number>): boolean | undefined {
  const int = (x: IntExpr) => evalInt(x, env);
  switch (e.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le': {
      const a = int(e.a);
      const b = int(e.b);
      if (a === undefined || b === undefined) return undefined;
      return e.k === 'eq' ? a === b : e.k === 'ne' ? a !== b : e.k === 'lt' ? a < b : a <= b;
    }
    case 'bit': {
      const a = int(e.a);
      return a === undefined ? undefined : ((a >> e.bit) & 1) === 1;
    }
    case 'and':
    case 'or': {
      const vs = e.args.map((a) => evalBool(a, env));
      if (vs.some((v) => v === undefined)) return undefined;
      return e.k === 'and' ? vs.every(Boolean) : vs.some(Boolean);
    }
    case 'not': {
      const v = evalBool(e.a, env);
      return v === undefined ? undefined : !v;
    }
  }
}

function evalInt(e: IntExpr, env: Map<VarId, number>): number | undefined {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'var':
      return env.get(e.v);
    case 'ite': {
      const c = evalBool(e.c, env);
      return c === undefined ? undefined : evalInt(c ? e.t : e.e, env);
    }
    default: {
      const a = evalInt(e.a, env);
      const b = evalInt(e.b, env);
      if (a === undefined || b === undefined) return undefined;
      switch (e.k) {
        case 'add':
          return a + b;
        case 'sub':
          return a - b;
        case 'bitor':
          return a | b;
        case 'bitand':
          return a & b;
        case 'bitclear':
          return a & ~b;
      }
    }
  }
}
