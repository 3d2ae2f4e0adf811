/**
 * Pass `canonicalise`: each confirmed violation's schedule cut at the
 * violation and rearranged to the fewest preemptions (checker/minimise.ts),
 * so the same bug prints the same trace whichever engine found it. A
 * token's schedule is shown exactly as the token gives it.
 */

import type { Budget } from '../../model/budget.js';
import { canonicalise } from '../minimise.js';
import type { Evaluator } from '../semantics/eval.js';
import type { Schedule, TransitionSystem } from '../semantics/system.js';
import { confirmOrFail } from './replay.js';
import type { BackPass, CanonicaliseOutput, PassEnv, PassResult, Products } from './types.js';

type Needs = 'compile' | 'decide' | 'replay';

export const canonicalisePass: BackPass<'canonicalise', Needs> = {
  name: 'canonicalise',
  run: canonicaliseAll,
  dump: (out) => out,
};

async function canonicaliseAll(env: PassEnv, p: Pick<Products, Needs>): Promise<PassResult<CanonicaliseOutput>> {
  const { confirmed } = p.replay;
  if (p.decide.kind === 'token') return { kind: 'ok', output: { violations: confirmed } };
  const { ts, ev } = p.compile;
  const violations = confirmed.map((v) => ({ ...v, schedule: canonicalise(ts, ev, v.schedule, v.property, undefined, env.budget) }));
  return { kind: 'ok', output: { violations } };
}

/** An engine's schedule, confirmed (LMC901 if it does not replay) and canonical: the replay and canonicalise passes for one schedule. */
export function canonicalSchedule(ts: TransitionSystem, ev: Evaluator, schedule: Schedule, property: number, engine: string, file: string, budget?: Budget): Schedule {
  confirmOrFail(ts, ev, schedule, property, engine, file);
  return canonicalise(ts, ev, schedule, property, undefined, budget);
}
