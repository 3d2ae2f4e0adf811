/**
 * The BMC search loop shared by `runBmc` (one goal per property) and
 * `realiseCycle` (one targeted goal), and counterexample minimisation:
 * shortest first, then fewest preemptions, then a canonical order of
 * independent adjacent steps, so the same bug always yields the same
 * schedule.
 */

import type { Limit } from '../../report.js';
import type { Schedule, TransitionSystem } from '../../semantics/system.js';
import { Concrete, type State } from './concrete.js';
import { goalWithin, isTrue, porFor, Unrolling, type Goal, type ResolvedEncoding } from './encode.js';
import { check, type Z3Bool, type Z3Ctx, type Z3Model, type Z3Solver } from './solver.js';

export type GoalResult =
  | { status: 'violated'; schedule: Schedule }
  | { status: 'holds'; bound: number }
  | { status: 'inconclusive'; limit: Limit };

export interface SearchOptions {
  bound: number;
  /** Date.now() value after which no query is started. */
  deadline: number;
  cfg: ResolvedEncoding;
  minimise: boolean;
  negateGuardOf?: number;
  /** Z3's resource limit per query (see QueryBudget); none if absent. */
  rlimit?: number;
}

/** Concrete acceptance test for a reordered schedule: still a violation at its end. */
export type ConcreteCheck = (schedule: Schedule, states: State[]) => boolean;

let unrollingSeq = 0;

export class Search {
  calls = 0;
  private readonly concrete: Concrete;

  constructor(
    private readonly ctx: Z3Ctx,
    private readonly ts: TransitionSystem,
    private readonly opts: SearchOptions,
  ) {
    this.concrete = new Concrete(ts);
  }

  /** A tighter deadline for the current phase of a portfolio run. */
  private phaseDeadline: number | undefined;

  private remaining(): number {
    return Math.min(this.opts.deadline, this.phaseDeadline ?? Infinity) - Date.now();
  }

  /**
   * Models are released explicitly when the run ends: left to the garbage
   * collector, their finalizers would free Z3 memory on the main thread
   * while a later check runs on a worker, which Z3 does not allow.
   */
  private readonly models: Z3Model[] = [];

  private async check(solver: Z3Solver, extra: Z3Bool[] = []) {
    this.calls++;
    const r = await check(this.ctx, solver, { ms: this.remaining(), rlimit: this.opts.rlimit }, extra);
    if (r.kind === 'sat') this.models.push(r.model);
    return r;
  }

  private releaseModels(): void {
    for (const m of this.models.splice(0)) {
      try {
        m.release();
      } catch {
        // already gone with a failed module
      }
    }
  }

  /**
   * QF_BV selects Z3's incremental SAT-based bit-blasting solver; the
   * default solver falls back to the slow SMT core as soon as push/pop or
   * assumptions are used (10-100x slower on these queries).
   */
  private newSolver(): Z3Solver {
    return new this.ctx.Solver('QF_BV');
  }

  private unrolling(goals: Goal[] | undefined, allowIdle: boolean): Unrolling {
    return new Unrolling(this.ctx, this.ts, {
      selector: this.opts.cfg.selector,
      porGoals: goals && porFor(this.opts.cfg, allowIdle ? 'single' : 'deepen') ? goals : undefined,
      allowIdle,
      negateGuardOf: this.opts.negateGuardOf,
      tag: `u${unrollingSeq++}`,
    });
  }

  async run(goals: Goal[], concreteChecks: ConcreteCheck[]): Promise<GoalResult[]> {
    try {
      return await this.runGoals(goals, concreteChecks);
    } finally {
      this.releaseModels();
    }
  }

  private async runGoals(goals: Goal[], concreteChecks: ConcreteCheck[]): Promise<GoalResult[]> {
    const strategy = this.opts.cfg.strategy;
    // The fixed-point pass runs before the search (run-bmc.ts); what it
    // leaves open is searched by the portfolio.
    const results: (GoalResult | undefined)[] =
      strategy === 'single' ? await this.single(goals) : strategy === 'deepen' ? await this.deepen(goals) : await this.portfolio(goals);
    // Deepening leaves goals open up to the bound: they hold there.
    const out: GoalResult[] = [];
    for (let gi = 0; gi < goals.length; gi++) {
      let r = results[gi] ?? { status: 'holds', bound: this.opts.bound };
      if (r.status === 'violated' && this.opts.minimise) {
        const fewer = await this.fewestPreemptions(goals[gi], r.schedule);
        r = { status: 'violated', schedule: this.canonical(fewer, concreteChecks[gi]) };
      }
      out.push(r);
    }
    return out;
  }

  /**
   * Deepening under a quarter of the budget, then one query at the bound
   * for the goals it left open. Deepening that reaches the bound has
   * decided everything by itself.
   */
  private async portfolio(goals: Goal[]): Promise<(GoalResult | undefined)[]> {
    const now = Date.now();
    this.phaseDeadline = now + Math.max(250, (this.opts.deadline - now) / 4);
    let first: (GoalResult | undefined)[];
    try {
      first = await this.deepen(goals);
    } finally {
      this.phaseDeadline = undefined;
    }
    const open = goals.map((_, i) => i).filter((i) => first[i]?.status === 'inconclusive');
    if (open.length === 0) return first;
    const rest = await this.single(open.map((i) => goals[i]));
    open.forEach((gi, j) => {
      first[gi] = rest[j];
    });
    return first;
  }

  /**
   * One query at the full bound (trailing idles cover shorter runs), all
   * open goals at once. Each query gets a fresh solver: Z3 switches to its
   * incremental core after push/pop or assumptions, which measured 3-10x
   * slower on these one-shot proof queries.
   */
  private async single(goals: Goal[]): Promise<(GoalResult | undefined)[]> {
    const results: (GoalResult | undefined)[] = goals.map(() => undefined);
    const u = this.unrolling(goals, true);
    const steps: Z3Bool[] = [];
    for (let i = 0; i < this.opts.bound; i++) steps.push(...u.extend());
    const within = goals.map((g) => goalWithin(u, g, this.opts.bound));
    for (;;) {
      const open = goals.map((_, i) => i).filter((i) => results[i] === undefined);
      if (open.length === 0) break;
      const solver = this.newSolver();
      solver.add(...steps);
      solver.add(this.ctx.Or(...open.map((i) => within[i])));
      let r: Awaited<ReturnType<Search['check']>>;
      try {
        r = await this.check(solver);
      } finally {
        // The bit-blasted solver holds most of the WASM heap; GC alone
        // frees it too late (we hit the 2 GB limit in a benchmark run).
        solver.release();
      }
      if (r.kind === 'unsat') {
        for (const i of open) results[i] = { status: 'holds', bound: this.opts.bound };
        break;
      }
      if (r.kind === 'inconclusive') {
        for (const i of open) results[i] = { status: 'inconclusive', limit: r.limit };
        break;
      }
      for (const i of open) {
        if (!isTrue(r.model, within[i])) continue;
        const at = u.firstWitness(r.model, goals[i]);
        results[i] = { status: 'violated', schedule: u.decode(r.model, at) };
      }
    }
    if (this.opts.minimise) await this.shortenAll(goals, results);
    return results;
  }

  /**
   * Shortest violations for the goals `single` found violated: deepening
   * up to the longest schedule found (cheap: every depth below a real bug
   * is a small query). A deepening time-out keeps the schedule in hand.
   */
  private async shortenAll(goals: Goal[], results: (GoalResult | undefined)[]): Promise<void> {
    const idx = goals.map((_, i) => i).filter((i) => results[i]?.status === 'violated');
    if (idx.length === 0) return;
    const longest = Math.max(...idx.map((i) => (results[i] as { schedule: Schedule }).schedule.length));
    const shorter = await this.deepen(
      idx.map((i) => goals[i]),
      longest,
    );
    idx.forEach((gi, j) => {
      const r = shorter[j];
      if (r?.status === 'violated' && r.schedule.length <= (results[gi] as { schedule: Schedule }).schedule.length) results[gi] = r;
    });
  }

  /**
   * Incremental deepening: at depth k ask for a violation witnessed exactly
   * at k. Every shallower depth was refuted first, so the first hit is a
   * shortest violation for that goal.
   */
  private async deepen(goals: Goal[], bound = this.opts.bound): Promise<(GoalResult | undefined)[]> {
    const results: (GoalResult | undefined)[] = goals.map(() => undefined);
    const u = this.unrolling(goals, false);
    const solver = this.newSolver();
    try {
      return await this.deepenOn(solver, u, goals, results, bound);
    } finally {
      solver.release();
    }
  }

  private async deepenOn(
    solver: Z3Solver,
    u: Unrolling,
    goals: Goal[],
    results: (GoalResult | undefined)[],
    bound: number,
  ): Promise<(GoalResult | undefined)[]> {
    for (let k = 0; ; k++) {
      for (;;) {
        const open = goals.map((_, i) => i).filter((i) => results[i] === undefined);
        if (open.length === 0) return results;
        const at = open.map((i) => goals[i].at(u, k));
        solver.push();
        solver.add(this.ctx.Or(...at));
        const r = await this.check(solver);
        if (r.kind === 'unsat') {
          solver.pop();
          break;
        }
        if (r.kind === 'inconclusive') {
          solver.pop();
          for (const i of open) results[i] = { status: 'inconclusive', limit: r.limit };
          return results;
        }
        open.forEach((gi, j) => {
          if (isTrue(r.model, at[j])) results[gi] = { status: 'violated', schedule: u.decode(r.model, k) };
        });
        solver.pop();
      }
      if (k >= bound) break;
      solver.add(...u.extend());
    }
    return results;
  }

  /**
   * Fewest preemptions among violations of the same (already shortest)
   * length: repeatedly ask for strictly fewer. Runs without the peephole
   * reduction, which may remove the least-preempting order.
   */
  private async fewestPreemptions(g: Goal, best: Schedule): Promise<Schedule> {
    const L = best.length;
    if (L === 0) return best;
    const u = this.unrolling(undefined, false);
    const solver = this.newSolver();
    try {
      return await this.fewestPreemptionsOn(solver, u, g, best);
    } finally {
      solver.release();
    }
  }

  private async fewestPreemptionsOn(solver: Z3Solver, u: Unrolling, g: Goal, best: Schedule): Promise<Schedule> {
    const L = best.length;
    for (let i = 0; i < L; i++) solver.add(...u.extend());
    solver.add(g.at(u, L));
    const pre = u.preemptions();
    const count = (m: Z3Model) => pre.filter((p) => isTrue(m, p)).length;
    let r = await this.check(solver);
    if (r.kind !== 'sat') return best;
    best = u.decode(r.model);
    let n = count(r.model);
    while (n > 0 && pre.length > 0) {
      r = await this.check(solver, [this.ctx.AtMost(pre as [Z3Bool, ...Z3Bool[]], n - 1)]);
      if (r.kind !== 'sat') break;
      best = u.decode(r.model);
      n = count(r.model);
    }
    if (r.kind === 'inconclusive') return best;
    return this.lexicographicallyLeast(solver, u, pre, n, best);
  }

  /**
   * Among the shortest, least-preempting violations, the lexicographically
   * least sequence of transition ids (so of thread ids first): Z3 may
   * return any of several equally good schedules that adjacent swaps
   * cannot connect, and the same bug must always print the same trace.
   * Position by position, ask for a smaller id with the prefix fixed.
   */
  private async lexicographicallyLeast(solver: Z3Solver, u: Unrolling, pre: Z3Bool[], n: number, best: Schedule): Promise<Schedule> {
    if (pre.length > 0) solver.add(this.ctx.AtMost(pre as [Z3Bool, ...Z3Bool[]], n));
    for (let i = 0; i < best.length; i++) {
      while (best[i] > 0) {
        const smaller = Array.from({ length: best[i] }, (_, t) => t);
        const r = await this.check(solver, [u.firesAny(i, smaller)]);
        if (r.kind === 'sat') best = u.decode(r.model);
        else if (r.kind === 'unsat') break;
        else return best;
      }
      solver.add(u.fires(i, best[i]));
    }
    return best;
  }

  /**
   * Canonical order: bubble adjacent steps of different threads so the
   * lower thread id comes first whenever the swapped schedule still runs,
   * still violates at its end and has no more preemptions. Each swap
   * removes one inversion, so this terminates. A schedule that does not run
   * concretely (an encoder bug) is left alone for replay to report.
   */
  canonical(schedule: Schedule, violates: ConcreteCheck): Schedule {
    const cx = this.concrete;
    let states = cx.run(schedule);
    if (!states || !violates(schedule, states)) return schedule;
    let cur = schedule.slice();
    let pre = cx.preemptions(cur, states);
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = 0; i + 1 < cur.length; i++) {
        const a = this.ts.transitions[cur[i]].thread;
        const b = this.ts.transitions[cur[i + 1]].thread;
        if (a <= b) continue;
        const cand = cur.slice();
        cand[i] = cur[i + 1];
        cand[i + 1] = cur[i];
        const st = cx.run(cand);
        if (!st || !violates(cand, st)) continue;
        const p = cx.preemptions(cand, st);
        if (p > pre) continue;
        cur = cand;
        states = st;
        pre = p;
        changed = true;
      }
    }
    return cur;
  }
}
