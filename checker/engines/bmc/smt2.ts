/**
 * `lockmc dump smt2 <model>`: the Z3 engine's bounded query as SMT-LIB 2
 * text, so the same question can be put to a native `z3` (or any SMT
 * solver with bit-vectors) and its time compared with the WASM build's.
 *
 * The query is the one `single` search of search.ts asks (one unrolling
 * of `bound` steps, trailing idle steps covering shorter runs, no
 * reduction), with one named Boolean per property: `(check-sat)` is sat
 * iff some property is violated within the bound, and
 * `(check-sat-assuming (|rule/check|))` asks about one property.
 */

import type { Property, TransitionSystem } from '../../semantics/system.js';
import { DEFAULT_SELECTOR, goalWithin, propertyGoal, Unrolling } from './encode.js';
import { fixedpointRules } from './fixpoint.js';
import { fixedpointToString, withSolver, type Z3Bool } from './solver.js';

export interface Smt2Options {
  /** Steps; default the system's completeness bound (then unsat is a proof). */
  bound?: number;
  only?: (p: Property) => boolean;
}

export async function smt2Query(ts: TransitionSystem, opts: Smt2Options = {}): Promise<string> {
  const bound = opts.bound ?? ts.completenessBound;
  const props = ts.properties.filter((p) => opts.only?.(p) ?? true);
  const outcome = await withSolver(async (ctx) => {
    const u = new Unrolling(ctx, ts, { selector: DEFAULT_SELECTOR, allowIdle: true, tag: 'q' });
    const solver = new ctx.Solver();
    try {
      for (let i = 0; i < bound; i++) solver.add(...u.extend());
      // One named Boolean per rule/check: a step check yields one property per site (properties.ts).
      const byName = new Map<string, Z3Bool[]>();
      for (const p of props) {
        const name = `${p.rule}/${p.check}`;
        byName.set(name, [...(byName.get(name) ?? []), goalWithin(u, propertyGoal(p), bound)]);
      }
      const named: Z3Bool[] = [...byName].map(([name, goals]) => {
        const flag = ctx.Bool.const(name);
        solver.add(flag.eq(goals.length === 1 ? goals[0] : ctx.Or(...goals)));
        return flag;
      });
      if (named.length > 0) solver.add(ctx.Or(...named));
      else solver.add(ctx.Bool.val(false));
      return solver.toString();
    } finally {
      solver.release();
    }
  });
  if (outcome.kind !== 'done') throw new Error(`Z3 could not build the query (${outcome.limit.kind})`);
  const names = [...new Set(props.map((p) => `${p.rule}/${p.check}`))];
  const head = [
    `; lockmc dump smt2: transition system ${ts.hash.slice(0, 12)}, ${ts.vars.length} variables, ${ts.transitions.length} transitions`,
    `; bound ${bound} step(s)${bound >= ts.completenessBound ? ' (>= the completeness bound: unsat proves every property)' : ` (completeness bound ${ts.completenessBound})`}`,
    '; sat: some property below is violated within the bound; unsat: none is.',
    `; checks (${names.length}), each a named Boolean for (check-sat-assuming (|rule/check|)):`,
    ...names.map((n) => `;   |${n}|`),
  ];
  return `${head.join('\n')}\n${nullaryConnectives(outcome.value.trimEnd())}\n(check-sat)\n`;
}

/**
 * Z3 prints an empty disjunction or conjunction as a bare `or` / `and`
 * atom, which its own parser rejects: write them as the constants they are.
 */
function nullaryConnectives(text: string): string {
  return text.replace(/(?<=\s)or(?=[\s)])/g, 'false').replace(/(?<=\s)and(?=[\s)])/g, 'true');
}

/**
 * The fixed-point pass's Horn clauses (fixpoint.ts) as Z3 fixedpoint text:
 * `(declare-rel …) (rule …) … (query …)`, answered `unsat` when no goal is
 * derivable (every property proved) and `sat` when some is.
 */
export async function fixpointText(ts: TransitionSystem, goals: number[] = ts.properties.map((_, i) => i), negateGuardOf?: number): Promise<string> {
  if (goals.length === 0) throw new Error('no property to ask about');
  const outcome = await withSolver(async (ctx) => {
    const { fp, bad } = fixedpointRules(ctx, ts, { goals, negateGuardOf });
    try {
      // Z3 prints a query as an `assert` of an implication into a fresh
      // relation, which its own reader takes as a background axiom: the
      // query is written here as the relation itself, whose answer lists
      // the derived goal numbers.
      const rules = await fixedpointToString(ctx, fp);
      return `${rules.trimEnd()}\n(query ${String(bad.name())})`;
    } finally {
      fp.release();
    }
  });
  if (outcome.kind !== 'done') throw new Error(`Z3 could not build the rules (${outcome.limit.kind})`);
  const head = [
    `; lockmc dump fixpoint: transition system ${ts.hash.slice(0, 12)}, ${ts.vars.length} variables, ${ts.transitions.length} transitions`,
    '; unsat: no run of any length reaches a goal (every property below proved); sat: the answer lists the goals reached, (= (:var 0) <goal>).',
    `; goals (${goals.length}):`,
    ...goals.map((pi, j) => `;   ${j}: ${ts.properties[pi].rule}/${ts.properties[pi].check}`),
  ];
  // print_answer as an option: z3-solver 5.2 rejects the `:print-answer` keyword of `query` that 4.8 takes.
  return `${head.join('\n')}\n(set-option :fp.engine datalog)\n(set-option :fp.print_answer true)\n${outcome.value.trimEnd()}\n`;
}
