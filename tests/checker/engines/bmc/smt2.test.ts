/**
 * `lockmc dump smt2`: the written query, answered by Z3 from the text
 * alone, agrees with the Z3 engine's verdicts: sat with a violating
 * fixture's property named, unsat for a holding fixture (at the
 * completeness bound, a proof).
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixpointText, smt2Query } from '../../../../checker/engines/bmc/smt2.js';
import { evalSmtlib, freshContext, withSolver } from '../../../../checker/engines/bmc/solver.js';
import { reachability } from '../../../../checker/engines/bmc/fixpoint.js';
import { parseAnswer } from '../../../../checker/engines/bmc/native.js';
import { DEFAULT_CHECK_OPTIONS, resolveRules, runPipeline, startRun } from '../../../../checker/index.js';
import type { TransitionSystem } from '../../../../checker/semantics/system.js';
import { makeBudget } from '../../../../model/budget.js';
import { SAFETY_NET_MS, Z3_BUDGET } from '../../../budgets.js';

async function systemOf(file: string): Promise<TransitionSystem> {
  const options = { ...DEFAULT_CHECK_OPTIONS };
  const run = await runPipeline(startRun(file, readFileSync(file, 'utf8'), options, resolveRules(options), makeBudget(SAFETY_NET_MS)), { until: 'compile' });
  if (run.kind === 'ended') throw new Error(`${file} did not compile`);
  return run.state.products.compile!.ts;
}

describe('dump smt2', () => {
  it('a violating model: sat, and sat for its violated property alone, unsat for one that holds', async () => {
    const ts = await systemOf('fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts');
    const text = await smt2Query(ts);
    expect(text.split('\n').slice(0, 3)).toEqual([
      `; lockmc dump smt2: transition system ${ts.hash.slice(0, 12)}, ${ts.vars.length} variables, ${ts.transitions.length} transitions`,
      `; bound ${ts.completenessBound} step(s) (>= the completeness bound: unsat proves every property)`,
      '; sat: some property below is violated within the bound; unsat: none is.',
    ]);
    expect(text.trimEnd().endsWith('(check-sat)')).toBe(true);
    expect((await evalSmtlib(text)).trim()).toBe('sat');
    const body = text.replace(/\(check-sat\)\n$/, '');
    expect((await evalSmtlib(`${body}(check-sat-assuming (|deadlock/deadlock|))\n`)).trim()).toBe('sat');
    expect((await evalSmtlib(`${body}(check-sat-assuming (|ww-backoff/lock-after-edeadlk|))\n`)).trim()).toBe('unsat');
  });

  it('a holding model: unsat at the completeness bound', async () => {
    const ts = await systemOf('fixtures/rules/deadlock/holds-ww-wait-die-backoff.model.ts');
    expect((await evalSmtlib(await smt2Query(ts))).trim()).toBe('unsat');
  });

  it('--bound shorter than the completeness bound says so', async () => {
    const ts = await systemOf('fixtures/rules/deadlock/holds-ww-wait-die-backoff.model.ts');
    expect((await smt2Query(ts, { bound: 2 })).split('\n')[1]).toBe(`; bound 2 step(s) (completeness bound ${ts.completenessBound})`);
  });
});

describe('dump fixpoint', () => {
  it('the fixed-point pass as Z3 fixedpoint text: the goals reached for a violating model, unsat for a holding one', async () => {
    const bad = await systemOf('fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts');
    const text = await fixpointText(bad);
    expect(text.split('\n').slice(0, 4)).toEqual([
      `; lockmc dump fixpoint: transition system ${bad.hash.slice(0, 12)}, ${bad.vars.length} variables, ${bad.transitions.length} transitions`,
      '; unsat: no run of any length reaches a goal (every property below proved); sat: the answer lists the goals reached, (= (:var 0) <goal>).',
      `; goals (${bad.properties.length}):`,
      ';   0: deadlock/deadlock',
    ]);
    const answer = (await evalSmtlib(text)).trim();
    expect(answer.split('\n')[0]).toBe('sat');
    // The same goals the engine's own pass derives.
    const reached = parseAnswer(answer, bad.properties.length, { timeoutMs: SAFETY_NET_MS });
    const out = await withSolver(async () => reachability(await freshContext(), bad, { goals: bad.properties.map((_, i) => i), ...Z3_BUDGET }));
    expect(out).toEqual({ kind: 'done', value: reached });
    expect(reached.kind === 'answered' && reached.reachable[0]).toBe(true);
    const good = await systemOf('fixtures/rules/deadlock/holds-ww-wait-die-backoff.model.ts');
    expect((await evalSmtlib(await fixpointText(good))).trim()).toBe('unsat');
  });
});
