/**
 * Pass `replay`: every schedule shown to a user is first replayed on the
 * reference semantics (checker/replay.ts). An engine's schedule that does
 * not replay is a bug (LMC901), never a trace; a token's schedule that
 * does not replay, or ends in no violation, means the model changed
 * (LMC404).
 */

import { confirmViolation, replay } from '../replay.js';
import type { Evaluator } from '../semantics/eval.js';
import type { Schedule, TransitionSystem } from '../semantics/system.js';
import { InternalError } from '../internal-error.js';
import type { BackPass, PassEnv, PassResult, Products, ReplayOutput, Violation } from './types.js';

type Needs = 'compile' | 'decide';

export const replayPass: BackPass<'replay', Needs> = {
  name: 'replay',
  run: confirm,
  dump: (out) => out,
};

async function confirm(env: PassEnv, p: Pick<Products, Needs>): Promise<PassResult<ReplayOutput>> {
  const { ts, ev } = p.compile;
  const decide = p.decide;
  if (decide.kind === 'engines') {
    const confirmed: Violation[] = [];
    decide.decisions.forEach((d, property) => {
      if (d.status !== 'violated') return;
      confirmOrFail(ts, ev, d.schedule, property, d.engine, env.file);
      confirmed.push({ property, engine: d.engine, schedule: d.schedule });
    });
    return { kind: 'ok', output: { confirmed } };
  }
  const r = replay(ts, decide.schedule, ev);
  if (!r.ok) {
    const hint = 'the model changed since the token was printed: run lockmc check again';
    return { kind: 'stopped', diagnostics: [{ code: 'LMC404', severity: 'error', message: `the schedule does not replay on this model: ${r.reason}`, file: env.file, hint }], verdicts: [] };
  }
  // The violations the schedule ends in: what `check` printed this token for.
  const n = decide.schedule.length;
  const last = r.violations.filter((v) => v.step === n || (n === 0 && v.step === 0));
  return { kind: 'ok', output: { confirmed: last.map((v) => ({ property: v.property, engine: 'explicit', schedule: decide.schedule })) } };
}

/** Throws LMC901 when an engine's schedule for `property` does not replay to its violation. */
export function confirmOrFail(ts: TransitionSystem, ev: Evaluator, schedule: Schedule, property: number, engine: string, file: string): void {
  const confirmed = confirmViolation(ts, schedule, property, ev);
  if (!confirmed.ok) {
    const p = ts.properties[property];
    throw new InternalError('LMC901', `${engine} engine produced a schedule for ${p.rule}/${p.check} in ${file} that does not replay: ${confirmed.reason}`);
  }
}
