/**
 * Bounded unrolling of a TransitionSystem into Z3 bit-vector formulas.
 *
 * Every state variable is a bit-vector of its own width at every step
 * (integers were 6-45x slower under QF_BV in the design measurements).
 * Expressions are translated at their natural width (`add` widens by one
 * bit, comparisons zero-extend both sides) so arithmetic is exact as in
 * the concrete evaluator; an assignment keeps the low bits of the target.
 *
 * Step selector: either one bit-vector holding the transition index
 * ('bv') or one Boolean per transition ('onehot'). An optional idle
 * (stutter) step leaves the state unchanged; idles are forced to be
 * trailing, so a k-step unrolling contains every shorter run exactly once.
 *
 * Measured with bench/bmc-encodings.ts on the compiled bench/families
 * (deadlock property, bound = completeness bound, no minimisation, 15 s
 * budget; 2 cores, z3-solver 5.2 WASM, one process; ms per run, start-up
 * excluded; T/O = time-out, ? = Z3 unknown):
 *
 *   family        single:bv  onehot  bv+por  oh+por  deepen:bv  onehot  bv+por  oh+por  portfolio
 *   ring-3 (bug)        114     107     158      97         32      28      25      29         25
 *   ordered-3           108      97     149      98        368     212     141     109        126
 *   reclaim-bug-1       285?   1024    1720     826         86     178     164     138         87
 *   reclaim-bug-2       T/O    2065     T/O    4311        273     171     203     160        164
 *   reclaim-fix-1      3753    4685     T/O     T/O       9131    3671     T/O     T/O          -
 *
 * Second session, same bench (15 s budget), adding the fixed-point pass
 * (fixpoint.ts) in front of the portfolio:
 *
 *   family        portfolio  fixpoint
 *   ring-2               21        62
 *   ordered-2            38        23
 *   reclaim-bug-1       100       594
 *   reclaim-fix-1      6522       310
 *
 * Proofs gain 20x and more (every fixture: slowest 2.7 s, where the
 * portfolio left 12 undecided at 10 s); a model with a shallow bug pays
 * the saturation up front. `prove` therefore defaults to `fixpoint`.
 *
 * So: one-hot selectors; deepening finds the shortest bug 5-25x faster
 * than a single query at the bound (whose first answer is also longer);
 * for proofs the two are close, so `prove` runs a portfolio (deepening for
 * a quarter of the budget, then a single query); the peephole reduction
 * (POR) is off by default, see DEFAULT_POR. All queries use Z3's QF_BV
 * solver: the default solver was 3-10x slower once push/pop was used.
 *
 * DEFAULT_SELECTOR and DEFAULT_POR follow that table.
 */

import type { BitVec } from 'z3-solver';
import type { BoolExpr, IntExpr, Property, TransitionSystem, VarId } from '../../semantics/system.js';
import { unreachable } from '../../../model/ir.js';
import type { Z3Bool, Z3Ctx, Z3Model } from './solver.js';
import { exprVars, foldBool, foldInt, type ExprAlgebra } from '../../semantics/expr.js';

type BV = BitVec<number, 'bmc'>;
/** An integer term and the width it has. */
type Term = { e: BV; w: number };

export type SelectorEncoding = 'bv' | 'onehot';
/**
 * single: one query at the bound. deepen: incremental deepening.
 * portfolio: deepening for a quarter of the budget (bugs surface there in
 * milliseconds), then one query at the bound for what is still open.
 * fixpoint: the fixed-point pass (fixpoint.ts) proves the unreachable
 * goals outright; the portfolio then runs on the reachable ones only, so
 * every unrolled query is one a schedule satisfies. Falls back to the
 * portfolio on every goal when the pass hits a limit.
 */
export type SearchStrategy = 'single' | 'deepen' | 'portfolio' | 'fixpoint';

export interface EncodingConfig {
  selector: SelectorEncoding;
  /** Peephole partial-order constraint; absent: DEFAULT_POR of the strategy. */
  por?: boolean;
  /** Absent: chosen by the mode (prove: single, shortest: deepen). */
  strategy?: SearchStrategy;
}

export interface ResolvedEncoding {
  selector: SelectorEncoding;
  /** Explicit choice; absent: DEFAULT_POR of each phase's query shape. */
  por?: boolean;
  strategy: SearchStrategy;
}

export const DEFAULT_SELECTOR: SelectorEncoding = 'onehot';
/**
 * Off by default: it made no measurable difference to finding bugs, halved
 * ordered-3 proofs by deepening, but turned reclaim-fix-1 proofs from ~4 s
 * into time-outs (> 15 s) under both strategies (table above). Kept
 * per query shape so the measurement can be redone and the choice flipped.
 */
export const DEFAULT_POR: Readonly<Record<'single' | 'deepen', boolean>> = { single: false, deepen: false };

export class EncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingError';
  }
}

/** `onehot+por`, `bv`, `bv+single`, `onehot+deepen+nopor` ... (order free). */
export function parseEncoding(name: string | undefined): EncodingConfig {
  const cfg: EncodingConfig = { selector: DEFAULT_SELECTOR };
  if (name === undefined || name === '' || name === 'default') return cfg;
  for (const part of name.split('+')) {
    if (part === 'bv' || part === 'onehot') cfg.selector = part;
    else if (part === 'por') cfg.por = true;
    else if (part === 'nopor') cfg.por = false;
    else if (part === 'single' || part === 'deepen' || part === 'portfolio' || part === 'fixpoint') cfg.strategy = part;
    else throw new EncodingError(`unknown BMC encoding component '${part}' (expected bv, onehot, por, nopor, single, deepen, portfolio, fixpoint)`);
  }
  return cfg;
}

/** Fills in the strategy from the mode (prove: fixpoint, shortest: deepen). */
export function resolveEncoding(cfg: EncodingConfig, mode: 'prove' | 'shortest'): ResolvedEncoding {
  const strategy = cfg.strategy ?? (mode === 'prove' ? 'fixpoint' : 'deepen');
  return cfg.por === undefined ? { selector: cfg.selector, strategy } : { selector: cfg.selector, strategy, por: cfg.por };
}

/** The reduction a query shape uses under `cfg`. */
export function porFor(cfg: ResolvedEncoding, shape: 'single' | 'deepen'): boolean {
  return cfg.por ?? DEFAULT_POR[shape];
}

export function encodingName(cfg: ResolvedEncoding): string {
  if (cfg.strategy === 'portfolio' || cfg.strategy === 'fixpoint') return `${cfg.selector}+${cfg.strategy}${cfg.por === undefined ? '' : cfg.por ? '+por' : '+nopor'}`;
  return `${cfg.selector}+${cfg.strategy}${porFor(cfg, cfg.strategy) ? '+por' : ''}`;
}

function bitsFor(n: number): number {
  let w = 1;
  while (2 ** w <= n) w++;
  return w;
}

export function varsOf(...es: (IntExpr | BoolExpr)[]): Set<VarId> {
  return exprVars(es);
}

/**
 * What a search looks for. `at(u, i)` says the violation is witnessed at
 * position i: in state s_i for state-like goals, by step i-1 (the step
 * that leads to s_i) for step goals. Because idles are trailing, a
 * state-like goal at s_k covers every shorter run.
 */
export interface Goal {
  /** Witnessed in a state (true) or by a step (false). */
  stateLike: boolean;
  at(u: Unrolling, i: number): Z3Bool;
  /** Transitions the peephole reduction must not reorder. */
  visibleTransitions: ReadonlySet<number>;
  /** Variables read at intermediate positions (reordering must not change them). */
  observedVars: ReadonlySet<VarId>;
}

export function propertyGoal(p: Property): Goal {
  switch (p.kind) {
    case 'state':
      return { stateLike: true, at: (u, i) => u.boolAt(p.bad, i), visibleTransitions: new Set(), observedVars: varsOf(p.bad) };
    case 'terminal':
      return {
        stateLike: true,
        at: (u, i) => u.ctx.And(u.terminal(i), u.boolAt(p.bad, i)),
        visibleTransitions: new Set(),
        observedVars: new Set(),
      };
    case 'deadlock':
      return { stateLike: true, at: (u, i) => u.deadlock(i), visibleTransitions: new Set(), observedVars: new Set() };
    case 'step':
      return {
        stateLike: false,
        at: (u, i) =>
          i === 0 ? u.ctx.Bool.val(false) : u.ctx.And(u.firesAny(i - 1, p.transitions), u.boolAt(p.when, i - 1)),
        visibleTransitions: new Set(p.transitions),
        observedVars: varsOf(p.when),
      };
    default:
      return unreachable(p);
  }
}

/** A violation anywhere within the k-step unrolling. */
export function goalWithin(u: Unrolling, g: Goal, k: number): Z3Bool {
  if (g.stateLike && u.allowIdle) return g.at(u, k);
  const ds: Z3Bool[] = [];
  for (let i = 0; i <= k; i++) ds.push(g.at(u, i));
  return u.ctx.Or(...ds);
}

export interface UnrollingOptions {
  selector: SelectorEncoding;
  /** Goals whose violations the peephole reduction must preserve; absent: no reduction. */
  porGoals?: Goal[];
  allowIdle: boolean;
  /** Encoding-only fault for testing replay: negate this transition's guard. */
  negateGuardOf?: number;
  /** Distinguishes the constants of several unrollings in one context. */
  tag: string;
}

export class Unrolling {
  /** s[i][v]: variable v in state s_i. */
  readonly s: BV[][] = [];
  private readonly sel: BV[] = [];
  private readonly hot: Z3Bool[][] = [];
  private readonly idles: Z3Bool[] = [];
  private readonly selWidth: number;
  private readonly byThread: number[][];
  /** Per transition: transitions of lower-numbered threads that must not directly follow it. */
  private readonly porSuccessorsForbidden: number[][] | undefined;
  private readonly boolCache = new Map<string, Z3Bool>();
  k = 0;

  constructor(
    readonly ctx: Z3Ctx,
    readonly ts: TransitionSystem,
    readonly opts: UnrollingOptions,
  ) {
    this.allowIdle = opts.allowIdle;
    this.selWidth = bitsFor(ts.transitions.length);
    this.byThread = ts.threads.map(() => []);
    for (const t of ts.transitions) this.byThread[t.thread].push(t.id);
    this.s.push(ts.vars.map((v) => ctx.BitVec.val(v.init, this.width(v.id))));
    this.porSuccessorsForbidden = opts.porGoals ? this.porTable(opts.porGoals) : undefined;
  }

  readonly allowIdle: boolean;

  private width(v: VarId): number {
    return Math.max(1, this.ts.vars[v].width);
  }

  /**
   * The peephole partial-order constraint. Two adjacent steps t1;t2 by
   * threads a > b are forbidden when they are independent and invisible.
   * Why no violation is lost: independence by footprint (t1 writes nothing
   * t2 reads or writes, t2 writes nothing t1 reads) means t2 is enabled
   * before t1, t1 still enabled after t2, and both orders reach the same
   * state. Invisible means neither is a transition a goal is witnessed by,
   * and neither writes a variable a goal reads at intermediate positions,
   * so the one state that differs (between the two steps) agrees with its
   * predecessor on everything a goal observes. Swapping such a pair
   * removes exactly one thread-order inversion and keeps the length, so
   * repeated swapping ends in a run of the same length that violates the
   * same goal at the same position and satisfies the constraint.
   */
  private porTable(goals: Goal[]): number[][] {
    const observed = new Set<VarId>();
    const visibleT = new Set<number>();
    for (const g of goals) {
      for (const v of g.observedVars) observed.add(v);
      for (const t of g.visibleTransitions) visibleT.add(t);
    }
    const ts = this.ts;
    const reads = ts.transitions.map((t) => {
      const r = varsOf(t.guard, ...t.updates.map((u) => u.e));
      for (const v of t.reads) r.add(v);
      return r;
    });
    const writes = ts.transitions.map((t) => {
      const w = new Set<VarId>(t.updates.map((u) => u.v));
      for (const v of t.writes) w.add(v);
      return w;
    });
    const invisible = ts.transitions.map(
      (t) => !t.visible && !visibleT.has(t.id) && t.id !== this.opts.negateGuardOf && ![...writes[t.id]].some((v) => observed.has(v)),
    );
    const disjoint = (a: Set<VarId>, b: Set<VarId>) => ![...a].some((v) => b.has(v));
    return ts.transitions.map((t1) => {
      if (!invisible[t1.id]) return [];
      const out: number[] = [];
      for (const t2 of ts.transitions) {
        if (t2.thread >= t1.thread || !invisible[t2.id]) continue;
        if (!disjoint(writes[t1.id], reads[t2.id]) || !disjoint(writes[t1.id], writes[t2.id])) continue;
        if (!disjoint(writes[t2.id], reads[t1.id])) continue;
        out.push(t2.id);
      }
      return out;
    });
  }

  // -- expressions ---------------------------------------------------------

  private zext(x: { e: BV; w: number }, w: number): BV {
    return x.w === w ? x.e : x.e.zeroExt(w - x.w);
  }

  /** Encoders of expressions in s_i, one per position (see `encoder`). */
  private readonly encoders: ExprAlgebra<Term, Z3Bool>[] = [];

  intAt(e: IntExpr, i: number): Term {
    return foldInt(e, this.encoderAt(i));
  }

  boolAt(e: BoolExpr, i: number): Z3Bool {
    return foldBool(e, this.encoderAt(i));
  }

  private encoderAt(i: number): ExprAlgebra<Term, Z3Bool> {
    return (this.encoders[i] ??= this.encoder(i));
  }

  /**
   * The encoder of expressions in state s_i as an algebra over the fold of
   * expr.ts. Integer terms carry their width; operands are zero-extended
   * to a common width (one more bit for `add`, so sums never wrap).
   */
  private encoder(i: number): ExprAlgebra<Term, Z3Bool> {
    const ctx = this.ctx;
    const common = (a: Term, b: Term, w = Math.max(a.w, b.w)): [BV, BV, number] => [this.zext(a, w), this.zext(b, w), w];
    return {
      const: (e) => {
        const w = bitsFor(e.v);
        return { e: ctx.BitVec.val(e.v, w), w };
      },
      var: (e) => ({ e: this.s[i][e.v], w: this.width(e.v) }),
      add: (_, a, b) => {
        const [x, y, w] = common(a, b, Math.max(a.w, b.w) + 1);
        return { e: x.add(y), w };
      },
      sub: (_, a, b) => {
        const [x, y, w] = common(a, b);
        return { e: x.sub(y), w };
      },
      bitor: (_, a, b) => {
        const [x, y, w] = common(a, b);
        return { e: x.or(y), w };
      },
      bitand: (_, a, b) => {
        const [x, y, w] = common(a, b);
        return { e: x.and(y), w };
      },
      bitclear: (_, a, b) => {
        const [x, y, w] = common(a, b);
        return { e: x.and(y.not()), w };
      },
      ite: (_, c, t, f) => {
        const w = Math.max(t.w, f.w);
        return { e: ctx.If(c, this.zext(t, w), this.zext(f, w)) as BV, w };
      },
      true: () => ctx.Bool.val(true),
      false: () => ctx.Bool.val(false),
      eq: (_, a, b) => {
        const [x, y] = common(a, b);
        return x.eq(y);
      },
      ne: (_, a, b) => {
        const [x, y] = common(a, b);
        return x.neq(y);
      },
      lt: (_, a, b) => {
        const [x, y] = common(a, b);
        return x.ult(y);
      },
      le: (_, a, b) => {
        const [x, y] = common(a, b);
        return x.ule(y);
      },
      bit: (e, a) => {
        if (e.bit >= a.w) return ctx.Bool.val(false);
        return a.e.extract(e.bit, e.bit).eq(ctx.BitVec.val(1, 1));
      },
      and: (_, args) => ctx.And(...args),
      or: (_, args) => ctx.Or(...args),
      not: (_, a) => ctx.Not(a),
    };
  }

  private cached(key: string, make: () => Z3Bool): Z3Bool {
    let b = this.boolCache.get(key);
    if (!b) {
      b = make();
      this.boolCache.set(key, b);
    }
    return b;
  }

  /** The guard of t in s_i, as encoded (negated for an injected bug). */
  enabled(t: number, i: number): Z3Bool {
    return this.cached(`en:${t}:${i}`, () => {
      const g = this.boolAt(this.ts.transitions[t].guard, i);
      return t === this.opts.negateGuardOf ? this.ctx.Not(g) : g;
    });
  }

  threadEnabled(th: number, i: number): Z3Bool {
    return this.cached(`ten:${th}:${i}`, () => this.ctx.Or(...this.byThread[th].map((t) => this.enabled(t, i))));
  }

  done(th: number, i: number): Z3Bool {
    return this.cached(`done:${th}:${i}`, () => this.boolAt(this.ts.threads[th].done, i));
  }

  /** Not done and nothing enabled. */
  blocked(th: number, i: number): Z3Bool {
    return this.ctx.And(this.ctx.Not(this.done(th, i)), this.ctx.Not(this.threadEnabled(th, i)));
  }

  terminal(i: number): Z3Bool {
    return this.cached(`term:${i}`, () =>
      this.ctx.And(
        ...this.ts.threads.map((th) => {
          const ds = [this.done(th.id, i), this.ctx.Not(this.threadEnabled(th.id, i))];
          if (th.liveness === 'optional') ds.push(this.boolAt(th.notStarted, i));
          return this.ctx.Or(...ds);
        }),
      ),
    );
  }

  /**
   * Terminal with a thread left unfinished that counts: every mandatory
   * thread, and an optional one once it has started ("ignored until
   * started", as the reference evaluator judges it).
   */
  deadlock(i: number): Z3Bool {
    const ctx = this.ctx;
    const stuck = this.ts.threads.map((th) =>
      th.liveness === 'optional'
        ? ctx.And(ctx.Not(this.done(th.id, i)), ctx.Not(this.boolAt(th.notStarted, i)))
        : ctx.Not(this.done(th.id, i)),
    );
    return ctx.And(this.terminal(i), ctx.Or(...stuck));
  }

  // -- steps ---------------------------------------------------------------

  fires(i: number, t: number): Z3Bool {
    if (this.opts.selector === 'onehot') return this.hot[i][t];
    return this.cached(`f:${i}:${t}`, () => this.sel[i].eq(this.ctx.BitVec.val(t, this.selWidth)));
  }

  firesAny(i: number, ts: readonly number[]): Z3Bool {
    return this.ctx.Or(...ts.map((t) => this.fires(i, t)));
  }

  firesThread(i: number, th: number): Z3Bool {
    return this.cached(`ft:${i}:${th}`, () => this.firesAny(i, this.byThread[th]));
  }

  idle(i: number): Z3Bool {
    if (!this.allowIdle) return this.ctx.Bool.val(false);
    if (this.opts.selector === 'onehot') return this.idles[i];
    return this.cached(`idle:${i}`, () => this.sel[i].eq(this.ctx.BitVec.val(this.ts.transitions.length, this.selWidth)));
  }

  /** Adds step k (s_k -> s_k+1) and returns the constraints that define it. */
  extend(): Z3Bool[] {
    const ctx = this.ctx;
    const i = this.k;
    const T = this.ts.transitions.length;
    const tag = this.opts.tag;
    const out: Z3Bool[] = [];
    if (this.opts.selector === 'onehot') {
      const hot = this.ts.transitions.map((t) => ctx.Bool.const(`${tag}_x${i}_${t.id}`));
      this.hot.push(hot);
      const choices = [...hot];
      if (this.allowIdle) {
        const idle = ctx.Bool.const(`${tag}_idle${i}`);
        this.idles.push(idle);
        choices.push(idle);
      }
      if (choices.length === 0) out.push(ctx.Bool.val(false));
      else {
        out.push(ctx.Or(...choices));
        if (choices.length > 1) out.push(ctx.AtMost(choices as [Z3Bool, ...Z3Bool[]], 1));
      }
    } else {
      const sel = ctx.BitVec.const(`${tag}_sel${i}`, this.selWidth);
      this.sel.push(sel);
      const top = ctx.BitVec.val(T, this.selWidth);
      out.push(this.allowIdle ? sel.ule(top) : sel.ult(top));
    }
    if (this.allowIdle && i > 0) out.push(ctx.Implies(this.idle(i - 1), this.idle(i)));
    for (const t of this.ts.transitions) out.push(ctx.Implies(this.fires(i, t.id), this.enabled(t.id, i)));
    // Simultaneous updates: every right-hand side is read in s_i.
    const writers: { t: number; e: IntExpr }[][] = this.ts.vars.map(() => []);
    for (const t of this.ts.transitions) for (const u of t.updates) writers[u.v].push({ t: t.id, e: u.e });
    const next: BV[] = [];
    for (const v of this.ts.vars) {
      const w = this.width(v.id);
      const x = ctx.BitVec.const(`${tag}_${v.name}@${i + 1}#${v.id}`, w);
      let rhs: BV = this.s[i][v.id];
      for (let j = writers[v.id].length - 1; j >= 0; j--) {
        const { t, e } = writers[v.id][j];
        rhs = ctx.If(this.fires(i, t), this.assigned(v.id, e, i), rhs) as BV;
      }
      out.push(x.eq(rhs));
      next.push(x);
    }
    this.s.push(next);
    if (this.porSuccessorsForbidden && i > 0) {
      for (const t1 of this.ts.transitions) {
        const bad = this.porSuccessorsForbidden[t1.id];
        if (bad.length > 0) out.push(ctx.Implies(this.fires(i - 1, t1.id), ctx.Not(this.firesAny(i, bad))));
      }
    }
    this.k++;
    return out;
  }

  /** The value `e` (read in s_i) as stored into variable v: its low bits. */
  assigned(v: VarId, e: IntExpr, i: number): BV {
    const w = this.width(v);
    const val = this.intAt(e, i);
    return val.w > w ? val.e.extract(w - 1, 0) : this.zext(val, w);
  }

  /** The state after transition t fires in s_i (guard not included). */
  successor(t: number, i: number): BV[] {
    const next = this.s[i].slice();
    for (const u of this.ts.transitions[t].updates) next[u.v] = this.assigned(u.v, u.e, i);
    return next;
  }

  /**
   * Appends a state of free constants (named `<tag>_<var>#<id>`) that no
   * step constrains, for formulas over an arbitrary state such as the
   * rules of a fixed-point encoding. Returns its index. Not for use with
   * `extend`, which expects s to hold exactly the unrolled states.
   */
  freeState(): number {
    return this.pushState(this.ts.vars.map((v) => this.ctx.BitVec.const(`${this.opts.tag}_${v.name}#${v.id}`, this.width(v.id))));
  }

  /** Appends a given state vector (see `freeState`); returns its index. */
  pushState(state: BV[]): number {
    if (this.k > 0) throw new EncodingError('pushState on an unrolling that has steps');
    this.s.push(state);
    return this.s.length - 1;
  }

  /** Variable v's value `n` as a constant of its width. */
  constant(v: VarId, n: number): BV {
    return this.ctx.BitVec.val(n, this.width(v));
  }

  /** preempt_i for i in 1..k-1: the switch into step i preempts step i-1's thread. */
  preemptions(): Z3Bool[] {
    const ctx = this.ctx;
    const out: Z3Bool[] = [];
    for (let i = 1; i < this.k; i++) {
      const ds = this.ts.threads.map((th) =>
        ctx.And(
          this.firesThread(i - 1, th.id),
          ctx.Not(this.firesThread(i, th.id)),
          ctx.Not(this.idle(i)),
          ctx.Not(this.done(th.id, i)),
          this.threadEnabled(th.id, i),
        ),
      );
      out.push(ctx.Or(...ds));
    }
    return out;
  }

  /** The transitions taken in the model, idles dropped, cut after `length` steps. */
  decode(model: Z3Model, length = this.k): number[] {
    const out: number[] = [];
    const T = this.ts.transitions.length;
    for (let i = 0; i < Math.min(length, this.k); i++) {
      let t = -1;
      if (this.opts.selector === 'onehot') {
        t = this.hot[i].findIndex((x) => model.eval(x, true).toString() === 'true');
      } else {
        t = Number(model.eval(this.sel[i], true).value());
        if (t >= T) t = -1;
      }
      if (t >= 0) out.push(t);
    }
    return out;
  }

  /** The first position at which `g` is witnessed in the model, or -1. */
  firstWitness(model: Z3Model, g: Goal): number {
    for (let i = 0; i <= this.k; i++) if (isTrue(model, g.at(this, i))) return i;
    return -1;
  }
}

export function isTrue(model: Z3Model, b: Z3Bool): boolean {
  return model.eval(b, true).toString() === 'true';
}
