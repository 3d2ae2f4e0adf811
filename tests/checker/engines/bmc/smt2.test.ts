/**
 * `lockmc dump smt2`: the written query, answered by Z3 from the text
 * alone, agrees with the Z3 engine's verdicts: sat with a violating
 * fixture's property named, unsat for a holding fixture (at the
 * completeness bound, a proof).
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { smt2Query } from '../../../../checker/engines/bmc/smt2.js';
import { evalSmtlib } from '../../../../checker/engines/bmc/solver.js';
import { DEFAULT_CHECK_OPTIONS, resolveRules, runPipeline, startRun } from '../../../../checker/index.js';
import type { TransitionSystem } from '../../../../checker/semantics/system.js';
import { makeBudget } from '../../../../model/budget.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

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
