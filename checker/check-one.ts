/**
 * One model of a run, whatever happens to it: its report, or, when a pass
 * let its budget stop escape or something threw, the report that says so.
 * `check` runs it in-process (`--jobs 1`) and each model worker runs it in
 * its thread (checker/parallel/worker.ts), so both give the same report.
 */

import { BudgetExceeded, type Budget, type BudgetStop } from '../model/budget.js';
import type { DiagnosticCode } from '../model/diagnostics.js';
import { checkModel } from './check-model.js';
import { checkModelCached } from './cache/check-cached.js';
import type { ResultCache } from './cache/index.js';
import { InternalError } from './internal-error.js';
import { fileOfInput, type ModelInput } from './model-input.js';
import type { CheckOptions } from './options.js';
import { stoppedVerdicts, type RuleContext } from './pipeline.js';
import type { ModelReport } from './report.js';

export async function checkOne(input: ModelInput, options: CheckOptions, rules: RuleContext, budget: Budget, cache?: ResultCache): Promise<ModelReport> {
  const t0 = performance.now();
  const { file, text } = input;
  try {
    if (cache) return await checkModelCached(fileOfInput(input), text, options, rules, budget, cache);
    return (await checkModel(fileOfInput(input), text, options, rules, budget)).report;
  } catch (e) {
    const ms = Math.round(performance.now() - t0);
    // A phase that let its budget stop escape: still a limit, never an internal error.
    if (e instanceof BudgetExceeded) return stoppedModelReport(file, e.stop, options, rules, ms);
    const code = e instanceof InternalError ? e.code : 'LMC903';
    return internalErrorReport(file, code, e instanceof Error ? e.message : String(e), options, rules, ms);
  }
}

/** A model stopped by its budget (time-out, interrupt) before any pass could report: every selected rule inconclusive. */
export function stoppedModelReport(file: string, stop: BudgetStop, options: CheckOptions, rules: RuleContext, ms: number): ModelReport {
  return {
    file,
    hashes: { model: '', rules: rules.hash },
    kernel: options.kernel ?? '',
    verdicts: stoppedVerdicts(rules.rules, stop, options),
    diagnostics: [],
    stats: { ms, engine: [] },
  };
}

/** A model whose check failed inside lockmc (a throw, a crashed worker): one internal-error diagnostic, no verdicts. */
export function internalErrorReport(file: string, code: DiagnosticCode, message: string, options: CheckOptions, rules: Pick<RuleContext, 'hash'>, ms: number): ModelReport {
  return {
    file,
    hashes: { model: '', rules: rules.hash },
    kernel: options.kernel ?? '',
    verdicts: [],
    diagnostics: [{ code, severity: 'error', message, file, hint: 'this is a bug in lockmc: please report it with the model and the command line' }],
    stats: { ms, engine: [] },
  };
}
