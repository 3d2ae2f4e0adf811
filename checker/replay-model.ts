/**
 * `lockmc replay <model> --schedule <token>`: the pipeline `check` runs,
 * with its `decide` pass replaced by the schedule from the token (same
 * model, rules, options and lockmc version, or the token is refused): the
 * schedule replayed on the reference semantics, and the violation it ends
 * in reported exactly as `check` reported it.
 */

import { makeBudget } from '../model/budget.js';
import type { CheckOptions } from './options.js';
import type { ModelFile } from './model-input.js';
import type { ModelReport } from './report.js';
import { runPipeline, startRun, type RuleContext } from './pipeline.js';

export async function replaySchedule(file: ModelFile, text: string | undefined, token: string, options: CheckOptions, ruleCtx: RuleContext): Promise<ModelReport> {
  const run = await runPipeline(startRun(file, text, options, ruleCtx, makeBudget(options.timeoutMs), { kind: 'token', token }));
  if (run.kind !== 'ended') throw new Error('unreachable: a replay runs to the end');
  return run.report;
}
