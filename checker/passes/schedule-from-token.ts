/**
 * Pass `decide`, as `replay` runs it: no engine decides; the schedule is
 * the one the token names, decoded against this transition system (same
 * model, rules, options and lockmc version, or the token is refused,
 * LMC403). Every other pass is the one `check` runs.
 */

import { decodeSchedule } from '../schedule-token.js';
import type { BackPass, DecideOutput, PassEnv, PassResult, Products } from './types.js';

export const scheduleFromTokenPass: BackPass<'decide', 'compile'> = {
  name: 'decide',
  run: scheduleFromToken,
  dump: (out) => out,
};

async function scheduleFromToken(env: PassEnv, { compile }: Pick<Products, 'compile'>): Promise<PassResult<DecideOutput>> {
  if (env.source.kind !== 'token') throw new Error('the token pass runs only for replay');
  const decoded = decodeSchedule(compile.ts, env.source.token);
  if (!Array.isArray(decoded)) {
    const hint = 'copy the whole token from the replay line of the same lockmc version, model and options';
    return { kind: 'stopped', diagnostics: [{ code: 'LMC403', severity: 'error', message: decoded.error, file: env.file, hint }], verdicts: [] };
  }
  return { kind: 'ok', output: { kind: 'token', schedule: decoded } };
}
