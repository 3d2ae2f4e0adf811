/**
 * Unbounded reachability of the property goals with Z3's fixed-point
 * engine, the proof half of the Z3 engine's default strategy.
 *
 * The transition system is stated as constrained Horn clauses over one
 * relation Reach(v0, ..., vn) of bit-vector columns:
 *
 *   Reach(init)
 *   Reach(s) ∧ guard_t(s)            → Reach(update_t(s))   one per transition
 *   Reach(s) ∧ bad_p(s)              → Bad(j)                one per goal p, j its number
 *
 * and Bad is queried in one saturation. All columns are finite
 * bit-vectors, so Z3's Datalog engine computes the least fixed point
 * exactly: an underivable Bad(j) means no interleaving of any length
 * violates p, a proof that holds beyond every bound. A derivable Bad(j)
 * carries no schedule; the unrolling (search.ts) finds and minimises it,
 * and replay confirms it, so this pass never prints a trace itself.
 *
 * The engine joins and selects on columns quickly but evaluates a
 * computed head term (`x + 1`, `ite(...)`) by enumerating candidate
 * values, so rules are shaped for it: a variable the guard pins to a
 * constant becomes that constant in the body atom (a selection), and the
 * variables an update computes from are case-split over their few values
 * so that every head column is a variable or a constant. On a random
 * 4-thread model (60 state bits, 18,837 states) this took saturation
 * from 14.4 s to 2.5 s.
 *
 * Measured on the fixture corpus (2 cores, z3-solver 5.2 WASM): the
 * amdgpu-style userptr models (80 state bits, 49 transitions, bound 40)
 * saturate in ~2.2 s, where one unrolled query at the bound ran past
 * 60 s; every other fixture in < 1 s. Z3's Spacer (PDR) engine on the
 * same clauses did not finish the deadlock goal of that model in 30 s.
 */

import type { Limit } from '../../report.js';
import type { BoolExpr, IntExpr, Property, Transition, TransitionSystem, VarId } from '../../semantics/system.js';
import { unreachable } from '../../../model/ir.js';
import { foldInt, type ExprAlgebra } from '../../semantics/expr.js';
import { Unrolling, varsOf } from './encode.js';
import { queryFixedpoint, type Z3Bool, type Z3Ctx, type Z3Fixedpoint, type Z3Relation } from './solver.js';

export type Reachability = { kind: 'answered'; reachable: boolean[] } | { kind: 'inconclusive'; limit: Limit };

let seq = 0;

/** The bad predicate of `p` over state `i` of `u`: what its goal witnesses. */
export function badIn(u: Unrolling, p: Property, i: number): Z3Bool {
  const ctx = u.ctx;
  switch (p.kind) {
    case 'state':
      return u.boolAt(p.bad, i);
    case 'terminal':
      return ctx.And(u.terminal(i), u.boolAt(p.bad, i));
    case 'deadlock':
      return u.deadlock(i);
    case 'step':
      // A step goal is witnessed by the step itself: some listed
      // transition enabled in the state it leaves, with `when` true there.
      if (p.transitions.length === 0) return ctx.Bool.val(false);
      return ctx.And(ctx.Or(...p.transitions.map((t) => u.enabled(t, i))), u.boolAt(p.when, i));
    default:
      return unreachable(p);
  }
}

export interface ReachabilityOptions {
  /** Which properties to ask about (indices into ts.properties). */
  goals: number[];
  timeoutMs: number;
  /** Z3's resource limit for the saturation (see QueryBudget); none if absent. */
  rlimit?: number;
  /** The encoder fault of `BmcOptions.injectBug`, applied here too. */
  negateGuardOf?: number;
}

/** Most rules one transition is split into; past it the head keeps its computed terms. */
export const MAX_SPLIT = 64;

/** Variables a conjunctive guard fixes: `v == n` among its top-level conjuncts. */
export function pinnedBy(guard: BoolExpr, out = new Map<VarId, number>()): Map<VarId, number> {
  if (guard.k === 'and') for (const a of guard.args) pinnedBy(a, out);
  else if (guard.k === 'eq' && guard.a.k === 'var' && guard.b.k === 'const') out.set(guard.a.v, guard.b.v);
  else if (guard.k === 'eq' && guard.b.k === 'var' && guard.a.k === 'const') out.set(guard.b.v, guard.a.v);
  return out;
}

/** One rule's share of a transition: conditions assumed, values fixed, updates resolved. */
export interface RuleCase {
  conds: { c: BoolExpr; holds: boolean }[];
  values: Map<VarId, number>;
  updates: { v: VarId; e: IntExpr }[];
}

/** Ignores boolean nodes: what these algebras want lives in integer ones. */
const SKIP_BOOL = {
  true: () => null,
  false: () => null,
  eq: () => null,
  ne: () => null,
  lt: () => null,
  le: () => null,
  bit: () => null,
  and: () => null,
  or: () => null,
  not: () => null,
};

/**
 * The conditions of the `ite`s of an update, outermost first, then those
 * of its `then` and `else` branches (conditions nested inside a condition
 * are not split on).
 */
const ITE_CONDS: ExprAlgebra<BoolExpr[], null> = {
  ...SKIP_BOOL,
  const: () => [],
  var: () => [],
  add: (_, a, b) => a.concat(b),
  sub: (_, a, b) => a.concat(b),
  bitor: (_, a, b) => a.concat(b),
  bitand: (_, a, b) => a.concat(b),
  bitclear: (_, a, b) => a.concat(b),
  ite: (e, _, t, f) => [e.c, ...t, ...f],
};

function iteConds(e: IntExpr, out: Map<string, BoolExpr>): void {
  for (const c of foldInt(e, ITE_CONDS)) out.set(JSON.stringify(c), c);
}

/** The update with every `ite` replaced by the branch `truth` picks for its condition. */
function resolveItes(e: IntExpr, truth: ReadonlyMap<string, boolean>): IntExpr {
  return foldInt<IntExpr, null>(e, {
    ...SKIP_BOOL,
    const: (x) => x,
    var: (x) => x,
    add: (x, a, b) => ({ ...x, a, b }),
    sub: (x, a, b) => ({ ...x, a, b }),
    bitor: (x, a, b) => ({ ...x, a, b }),
    bitand: (x, a, b) => ({ ...x, a, b }),
    bitclear: (x, a, b) => ({ ...x, a, b }),
    ite: (x, _, t, f) => (truth.get(JSON.stringify(x.c)) ? t : f),
  });
}

/**
 * How a transition's rule is split so that its head holds only variables
 * and constants: one case per truth assignment of the `ite` conditions
 * in its updates, and within it one per value combination of the
 * variables that arithmetic still reads (pinned ones excepted), each over
 * its whole bit-vector domain, so the cases cover every state. One case
 * that changes nothing when the split would pass MAX_SPLIT.
 */
export function casesOf(ts: TransitionSystem, t: Transition, pinned: ReadonlyMap<VarId, number>): RuleCase[] {
  const whole: RuleCase[] = [{ conds: [], values: new Map(), updates: t.updates }];
  const condMap = new Map<string, BoolExpr>();
  for (const u of t.updates) iteConds(u.e, condMap);
  const conds = [...condMap.entries()];
  if (2 ** conds.length > MAX_SPLIT) return whole;
  const out: RuleCase[] = [];
  for (let mask = 0; mask < 2 ** conds.length; mask++) {
    const truth = new Map(conds.map(([key], j) => [key, ((mask >> j) & 1) === 1]));
    const updates = t.updates.map((u) => ({ v: u.v, e: resolveItes(u.e, truth) }));
    const computed = updates.filter((u) => u.e.k !== 'const' && u.e.k !== 'var').map((u) => u.e);
    const over = [...varsOf(...computed)].filter((v) => !pinned.has(v)).sort((a, b) => a - b);
    let assignments: Map<VarId, number>[] = [new Map()];
    for (const v of over) {
      const next: Map<VarId, number>[] = [];
      for (const a of assignments) for (let n = 0; n < 2 ** Math.max(1, ts.vars[v].width); n++) next.push(new Map(a).set(v, n));
      assignments = next;
      if (assignments.length * 2 ** conds.length > MAX_SPLIT) return whole;
    }
    const cs = conds.map(([key, c]) => ({ c, holds: truth.get(key)! }));
    for (const values of assignments) out.push({ conds: cs, values, updates });
  }
  return out;
}

/** The Horn clauses of a system, registered on a fresh fixed-point object. */
export interface FixedpointRules {
  fp: Z3Fixedpoint;
  /** bad(j): the j-th goal asked is derivable. */
  bad: Z3Relation;
}

/**
 * Which of the goals some run reaches. `ctx` should be a context of its
 * own (solver.ts `freshContext`): the engine's tables outlive the query.
 */
export async function reachability(ctx: Z3Ctx, ts: TransitionSystem, opts: ReachabilityOptions): Promise<Reachability> {
  if (opts.goals.length === 0) return { kind: 'answered', reachable: [] };
  const { fp, bad } = fixedpointRules(ctx, ts, opts);
  try {
    return await queryFixedpoint(ctx, fp, bad, opts.goals.length, { ms: opts.timeoutMs, rlimit: opts.rlimit });
  } finally {
    fp.release();
  }
}

/** The rules of `reachability` (at least one goal); the caller releases `fp`. */
export function fixedpointRules(ctx: Z3Ctx, ts: TransitionSystem, opts: Pick<ReachabilityOptions, 'goals' | 'negateGuardOf'>): FixedpointRules {
  const tag = `fx${seq++}`;
  const u = new Unrolling(ctx, ts, { selector: 'onehot', allowIdle: false, negateGuardOf: opts.negateGuardOf, tag });
  const free = u.freeState();
  const cur = u.s[free];
  const reach = ctx.Function.declare(`${tag}_reach`, ...cur.map((x) => x.sort), ctx.Bool.sort());
  // Rules are closed over the free state: `ForAll` binds its constants.
  const rule = (body: Z3Bool, head: Z3Bool): Z3Bool => ctx.ForAll(cur as [(typeof cur)[0], ...typeof cur], ctx.Implies(body, head)) as unknown as Z3Bool;
  /** The free state with some variables fixed, as a state index of `u`; undefined if a value does not fit. */
  const fixed = (values: ReadonlyMap<VarId, number>): number | undefined => {
    const state = cur.slice();
    for (const [v, n] of values) {
      if (n >= 2 ** Math.max(1, ts.vars[v].width)) return undefined;
      state[v] = u.constant(v, n);
    }
    return u.pushState(state);
  };
  const fp = new ctx.Fixedpoint();
  try {
    fp.set('engine', 'datalog');
    fp.registerRelation(reach);
    fp.addRule(reach.call(...u.s[0]) as Z3Bool, 'init');
    for (const t of ts.transitions) {
      // A negated guard pins nothing: the injected fault must stay as encoded.
      const pinned = t.id === opts.negateGuardOf ? new Map<VarId, number>() : pinnedBy(t.guard);
      casesOf(ts, t, pinned).forEach((c, k) => {
        const i = fixed(new Map([...pinned, ...c.values]));
        if (i === undefined) return; // a pinned value no state holds: never enabled
        const next = u.s[i].slice();
        for (const up of c.updates) next[up.v] = u.assigned(up.v, up.e, i);
        const assumed = c.conds.map(({ c: cond, holds }) => (holds ? u.boolAt(cond, i) : ctx.Not(u.boolAt(cond, i))));
        fp.addRule(rule(ctx.And(reach.call(...u.s[i]) as Z3Bool, u.enabled(t.id, i), ...assumed), reach.call(...next) as Z3Bool), `t${t.id}_${k}`);
      });
    }
    // One relation with a goal column (see queryFixedpoint): bad(j) for the j-th goal asked.
    const width = Math.max(1, Math.ceil(Math.log2(opts.goals.length)));
    const bad = ctx.Function.declare(`${tag}_bad`, ctx.BitVec.sort(width), ctx.Bool.sort());
    fp.registerRelation(bad);
    opts.goals.forEach((pi, j) => {
      const p = ts.properties[pi];
      fp.addRule(rule(ctx.And(reach.call(...cur) as Z3Bool, badIn(u, p, free)), bad.call(ctx.BitVec.val(j, width)) as Z3Bool), `bad${pi}`);
    });
    return { fp, bad };
  } catch (e) {
    fp.release();
    throw e;
  }
}
