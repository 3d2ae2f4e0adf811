/**
 * Which values each variable can take, over-approximated without
 * relations between variables, and the transition system simplified with
 * that knowledge, for the reduction's dependency analysis only.
 *
 * Why: rule monitors are compiled for every model, and an update such as
 * `seq := (seq == 2 && (owner.bo0 == t || owner.bo1 == t)) ? 3 : seq` makes
 * every fence wait read every BO's owner, so every such step depends on
 * every lock step, even in a model where `seq` can never reach 2. Knowing
 * that `seq` stays 0 turns that update into the identity and the
 * dependency disappears.
 *
 * The analysis is the usual non-relational fixpoint: start from the
 * initial values; a transition whose guard is false under the current
 * sets adds nothing; otherwise each update adds the values its expression
 * can produce. Every reachable state lies within the result, so
 * expressions simplified with it agree with the originals on every
 * reachable state, which is all a persistent set is about. The search
 * itself always runs the original expressions.
 */

import type { BoolExpr, IntExpr, Transition, TransitionSystem } from '../../semantics/system.js';
import { unreachable } from '../../../model/ir.js';

/** Largest set tracked per variable; beyond it the variable is unknown (`undefined`). */
const MAX_SET = 64;

type VSet = Set<number> | undefined;
type Tri = boolean | undefined;

export function valueSets(ts: TransitionSystem): VSet[] {
  const sets: VSet[] = ts.vars.map((v) => (v.max + 1 > MAX_SET ? undefined : new Set([v.init])));
  let changed = true;
  let rounds = 0;
  while (changed && rounds++ < 1000) {
    changed = false;
    for (const t of ts.transitions) {
      if (evalBool3(t.guard, sets) === false) continue;
      for (const u of t.updates) {
        const cur = sets[u.v];
        if (cur === undefined) continue;
        const vals = evalInt3(u.e, sets);
        const max = ts.vars[u.v].max;
        if (vals === undefined || [...vals].some((x) => x < 0 || x > max) || cur.size + vals.size > MAX_SET) {
          sets[u.v] = undefined;
          changed = true;
          continue;
        }
        for (const x of vals) {
          if (!cur.has(x)) {
            cur.add(x);
            changed = true;
          }
        }
      }
    }
  }
  if (changed) return ts.vars.map(() => undefined);
  return sets;
}

function evalInt3(e: IntExpr, s: VSet[]): VSet {
  switch (e.k) {
    case 'const':
      return new Set([e.v]);
    case 'var':
      return s[e.v] ? new Set(s[e.v]) : undefined;
    case 'add':
    case 'sub':
    case 'bitor':
    case 'bitand':
    case 'bitclear': {
      const a = evalInt3(e.a, s);
      const b = evalInt3(e.b, s);
      if (!a || !b || a.size * b.size > MAX_SET * 4) return undefined;
      const out = new Set<number>();
      for (const x of a) {
        for (const y of b) {
          const r = e.k === 'add' ? x + y : e.k === 'sub' ? x - y : e.k === 'bitor' ? x | y : e.k === 'bitand' ? x & y : x & ~y;
          out.add(r);
        }
      }
      return out.size > MAX_SET ? undefined : out;
    }
    case 'ite': {
      const c = evalBool3(e.c, s);
      if (c === true) return evalInt3(e.t, s);
      if (c === false) return evalInt3(e.e, s);
      const a = evalInt3(e.t, s);
      const b = evalInt3(e.e, s);
      if (!a || !b) return undefined;
      return new Set([...a, ...b]);
    }
    default:
      return unreachable(e);
  }
}

function cmp(e: Extract<BoolExpr, { k: 'eq' | 'ne' | 'lt' | 'le' }>, s: VSet[]): Tri {
  const a = evalInt3(e.a, s);
  const b = evalInt3(e.b, s);
  if (!a || !b || a.size * b.size > MAX_SET * 4) return undefined;
  let anyTrue = false;
  let anyFalse = false;
  for (const x of a) {
    for (const y of b) {
      const r = e.k === 'eq' ? x === y : e.k === 'ne' ? x !== y : e.k === 'lt' ? x < y : x <= y;
      if (r) anyTrue = true;
      else anyFalse = true;
    }
  }
  return anyTrue && !anyFalse ? true : anyFalse && !anyTrue ? false : undefined;
}

function evalBool3(e: BoolExpr, s: VSet[]): Tri {
  switch (e.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
      return cmp(e, s);
    case 'bit': {
      const a = evalInt3(e.a, s);
      if (!a) return undefined;
      const bits = [...a].map((x) => e.bit <= 30 && (x & (1 << e.bit)) !== 0);
      return bits.every((b) => b) ? true : bits.every((b) => !b) ? false : undefined;
    }
    case 'and': {
      let unknown = false;
      for (const a of e.args) {
        const r = evalBool3(a, s);
        if (r === false) return false;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : true;
    }
    case 'or': {
      let unknown = false;
      for (const a of e.args) {
        const r = evalBool3(a, s);
        if (r === true) return true;
        if (r === undefined) unknown = true;
      }
      return unknown ? undefined : false;
    }
    case 'not': {
      const r = evalBool3(e.a, s);
      return r === undefined ? undefined : !r;
    }
    default:
      return unreachable(e);
  }
}

function simplifyInt(e: IntExpr, s: VSet[]): IntExpr {
  const vals = evalInt3(e, s);
  if (vals && vals.size === 1) return { k: 'const', v: [...vals][0] };
  switch (e.k) {
    case 'const':
    case 'var':
      return e;
    case 'add':
    case 'sub':
    case 'bitor':
    case 'bitand':
    case 'bitclear':
      return { ...e, a: simplifyInt(e.a, s), b: simplifyInt(e.b, s) };
    case 'ite': {
      const c = evalBool3(e.c, s);
      if (c === true) return simplifyInt(e.t, s);
      if (c === false) return simplifyInt(e.e, s);
      return { k: 'ite', c: simplifyBool(e.c, s), t: simplifyInt(e.t, s), e: simplifyInt(e.e, s) };
    }
    default:
      return unreachable(e);
  }
}

export function simplifyBool(e: BoolExpr, s: VSet[]): BoolExpr {
  const r = evalBool3(e, s);
  if (r === true) return { k: 'true' };
  if (r === false) return { k: 'false' };
  switch (e.k) {
    case 'and': {
      const args = e.args.map((a) => simplifyBool(a, s)).filter((a) => a.k !== 'true');
      return args.length === 0 ? { k: 'true' } : args.length === 1 ? args[0] : { k: 'and', args };
    }
    case 'or': {
      const args = e.args.map((a) => simplifyBool(a, s)).filter((a) => a.k !== 'false');
      return args.length === 0 ? { k: 'false' } : args.length === 1 ? args[0] : { k: 'or', args };
    }
    case 'not':
      return { k: 'not', a: simplifyBool(e.a, s) };
    default:
      return e;
  }
}

/**
 * The system with every guard and update simplified under the value sets;
 * updates that became the identity are dropped, and `reads`/`writes` are
 * recomputed by the caller from the expressions. A transition whose guard
 * is false on every reachable state keeps guard `false`. State and step
 * properties that can never be violated lose their expressions (and step
 * properties their transitions), so they make nothing visible; the search
 * still checks the original properties.
 */
export function simplifySystem(ts: TransitionSystem): TransitionSystem {
  const sets = valueSets(ts);
  // A property that cannot be violated on any reachable state (its `bad`
  // or `when` is false there) needs no visible transition.
  const properties = ts.properties.map((p) => {
    if (p.kind === 'state' && simplifyBool(p.bad, sets).k === 'false') return { ...p, bad: { k: 'false' } as BoolExpr };
    if (p.kind === 'step' && simplifyBool(p.when, sets).k === 'false') return { ...p, transitions: [], when: { k: 'false' } as BoolExpr };
    return p;
  });
  const transitions: Transition[] = ts.transitions.map((t) => {
    const guard = simplifyBool(t.guard, sets);
    const updates = t.updates
      .map((u) => ({ v: u.v, e: simplifyInt(u.e, sets) }))
      .filter((u) => !(u.e.k === 'var' && u.e.v === u.v) && !(u.e.k === 'const' && sets[u.v]?.size === 1 && sets[u.v]!.has(u.e.v)));
    return { ...t, guard, updates, reads: [], writes: updates.map((u) => u.v) };
  });
  return { ...ts, transitions, properties };
}
