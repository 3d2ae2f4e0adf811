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
import { foldBool, foldInt, type ExprAlgebra } from '../../semantics/expr.js';

/** Largest set tracked per variable; beyond it the variable is unknown (`undefined`). */
const MAX_SET = 64;

type VSet = Set<number> | undefined;
type Tri = boolean | undefined;

export function valueSets(ts: TransitionSystem): VSet[] {
  const sets: VSet[] = ts.vars.map((v) => (v.max + 1 > MAX_SET ? undefined : new Set([v.init])));
  // One evaluator over `sets`, which the loop below updates in place.
  const ev = setEvaluator(sets);
  let changed = true;
  let rounds = 0;
  while (changed && rounds++ < 1000) {
    changed = false;
    for (const t of ts.transitions) {
      // A conjunction is false once one conjunct is: the rest need no evaluation.
      const g = t.guard;
      if (g.k === 'and' ? g.args.some((c) => foldBool(c, ev) === false) : foldBool(g, ev) === false) continue;
      for (const u of t.updates) {
        const cur = sets[u.v];
        if (cur === undefined) continue;
        const vals = foldInt(u.e, ev);
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

/** A binary operator over value sets: every combination, unless there are too many. */
function combine(op: (x: number, y: number) => number): (e: unknown, a: VSet, b: VSet) => VSet {
  return (_, a, b) => {
    if (!a || !b || a.size * b.size > MAX_SET * 4) return undefined;
    const out = new Set<number>();
    for (const x of a) for (const y of b) out.add(op(x, y));
    return out.size > MAX_SET ? undefined : out;
  };
}

/** A comparison over value sets: true or false when every combination agrees. */
function compare(op: (x: number, y: number) => boolean): (e: unknown, a: VSet, b: VSet) => Tri {
  return (_, a, b) => {
    if (!a || !b || a.size * b.size > MAX_SET * 4) return undefined;
    let anyTrue = false;
    let anyFalse = false;
    for (const x of a) {
      for (const y of b) {
        if (op(x, y)) anyTrue = true;
        else anyFalse = true;
      }
    }
    return anyTrue && !anyFalse ? true : anyFalse && !anyTrue ? false : undefined;
  };
}

/** Singleton sets of constants, shared: no value set is ever mutated once computed. */
const CONST_SETS = new Map<number, Set<number>>();
function constSet(v: number): Set<number> {
  let c = CONST_SETS.get(v);
  if (!c) CONST_SETS.set(v, (c = new Set([v])));
  return c;
}

/**
 * Evaluation over value sets (three-valued for conditions), as an
 * algebra over the fold of expr.ts.
 */
function setEvaluator(s: VSet[]): ExprAlgebra<VSet, Tri> {
  return {
    const: (e) => constSet(e.v),
    var: (e) => (s[e.v] ? new Set(s[e.v]) : undefined),
    add: combine((x, y) => x + y),
    sub: combine((x, y) => x - y),
    bitor: combine((x, y) => x | y),
    bitand: combine((x, y) => x & y),
    bitclear: combine((x, y) => x & ~y),
    ite: (_, c, t, f) => {
      if (c === true) return t;
      if (c === false) return f;
      if (!t || !f) return undefined;
      return new Set([...t, ...f]);
    },
    true: () => true,
    false: () => false,
    eq: compare((x, y) => x === y),
    ne: compare((x, y) => x !== y),
    lt: compare((x, y) => x < y),
    le: compare((x, y) => x <= y),
    bit: (e, a) => {
      if (!a) return undefined;
      const bits = [...a].map((x) => e.bit <= 30 && (x & (1 << e.bit)) !== 0);
      return bits.every((b) => b) ? true : bits.every((b) => !b) ? false : undefined;
    },
    and: (_, rs) => (rs.includes(false) ? false : rs.includes(undefined) ? undefined : true),
    or: (_, rs) => (rs.includes(true) ? true : rs.includes(undefined) ? undefined : false),
    not: (_, r) => (r === undefined ? undefined : !r),
  };
}

/** An expression's value set (or truth) next to the expression simplified under the sets. */
type SimpInt = { vals: VSet; x: IntExpr };
type SimpBool = { tri: Tri; x: BoolExpr };

/**
 * The simplifier: a node whose value is known becomes that constant;
 * an `ite` whose condition is known becomes the branch it picks;
 * conjunctions and disjunctions drop their neutral arguments; anything
 * else keeps its shape (comparisons and bit tests keep their operands as
 * they were).
 */
function simplifier(s: VSet[]): ExprAlgebra<SimpInt, SimpBool> {
  const ev = setEvaluator(s);
  const int = (vals: VSet, x: () => IntExpr): SimpInt => ({ vals, x: vals && vals.size === 1 ? { k: 'const', v: [...vals][0]! } : x() });
  const bool = (tri: Tri, x: () => BoolExpr): SimpBool => ({ tri, x: tri === true ? { k: 'true' } : tri === false ? { k: 'false' } : x() });
  return {
    const: (e) => int(ev.const(e), () => e),
    var: (e) => int(ev.var(e), () => e),
    add: (e, a, b) => int(ev.add(e, a.vals, b.vals), () => ({ ...e, a: a.x, b: b.x })),
    sub: (e, a, b) => int(ev.sub(e, a.vals, b.vals), () => ({ ...e, a: a.x, b: b.x })),
    bitor: (e, a, b) => int(ev.bitor(e, a.vals, b.vals), () => ({ ...e, a: a.x, b: b.x })),
    bitand: (e, a, b) => int(ev.bitand(e, a.vals, b.vals), () => ({ ...e, a: a.x, b: b.x })),
    bitclear: (e, a, b) => int(ev.bitclear(e, a.vals, b.vals), () => ({ ...e, a: a.x, b: b.x })),
    ite: (e, c, t, f) =>
      int(ev.ite(e, c.tri, t.vals, f.vals), () => (c.tri === true ? t.x : c.tri === false ? f.x : { k: 'ite', c: c.x, t: t.x, e: f.x })),
    true: (e) => bool(ev.true(e), () => e),
    false: (e) => bool(ev.false(e), () => e),
    eq: (e, a, b) => bool(ev.eq(e, a.vals, b.vals), () => e),
    ne: (e, a, b) => bool(ev.ne(e, a.vals, b.vals), () => e),
    lt: (e, a, b) => bool(ev.lt(e, a.vals, b.vals), () => e),
    le: (e, a, b) => bool(ev.le(e, a.vals, b.vals), () => e),
    bit: (e, a) => bool(ev.bit(e, a.vals), () => e),
    and: (e, args) =>
      bool(ev.and(e, args.map((a) => a.tri)), () => {
        const xs = args.map((a) => a.x).filter((a) => a.k !== 'true');
        return xs.length === 0 ? { k: 'true' } : xs.length === 1 ? xs[0]! : { k: 'and', args: xs };
      }),
    or: (e, args) =>
      bool(ev.or(e, args.map((a) => a.tri)), () => {
        const xs = args.map((a) => a.x).filter((a) => a.k !== 'false');
        return xs.length === 0 ? { k: 'false' } : xs.length === 1 ? xs[0]! : { k: 'or', args: xs };
      }),
    not: (e, a) => bool(ev.not(e, a.tri), () => ({ k: 'not', a: a.x })),
  };
}

export function simplifyBool(e: BoolExpr, s: VSet[]): BoolExpr {
  return foldBool(e, simplifier(s)).x;
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
  const simp = simplifier(sets);
  const simplifyB = (e: BoolExpr) => foldBool(e, simp).x;
  // A property that cannot be violated on any reachable state (its `bad`
  // or `when` is false there) needs no visible transition.
  const properties = ts.properties.map((p) => {
    if (p.kind === 'state' && simplifyB(p.bad).k === 'false') return { ...p, bad: { k: 'false' } as BoolExpr };
    if (p.kind === 'step' && simplifyB(p.when).k === 'false') return { ...p, transitions: [], when: { k: 'false' } as BoolExpr };
    return p;
  });
  const transitions: Transition[] = ts.transitions.map((t) => {
    const guard = simplifyB(t.guard);
    const updates = t.updates
      .map((u) => ({ v: u.v, e: foldInt(u.e, simp).x }))
      .filter((u) => !(u.e.k === 'var' && u.e.v === u.v) && !(u.e.k === 'const' && sets[u.v]?.size === 1 && sets[u.v]!.has(u.e.v)));
    return { ...t, guard, updates, reads: [], writes: updates.map((u) => u.v) };
  });
  return { ...ts, transitions, properties };
}
