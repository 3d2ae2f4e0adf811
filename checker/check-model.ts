/**
 * One model, checked or prepared: thin entry points over the pipeline
 * (checker/pipeline.ts), for checker/index.ts, tests and benches.
 */

import { makeBudget, type Budget } from '../model/budget.js';
import type { DriverModel, ExtractedModel } from '../model/ir.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Rule } from '../rules/types.js';
import type { LockGraphResult } from './engines/lockgraph/index.js';
import type { Evaluator } from './semantics/eval.js';
import type { TransitionSystem } from './semantics/system.js';
import type { CheckOptions } from './options.js';
import type { ModelReport, Verdict } from './report.js';
import type { ModelFile } from './model-input.js';
import { FRONT_PASSES, modelReport, runFront, runPipeline, startRun, type RuleContext } from './pipeline.js';

export { InternalError } from './internal-error.js';
export { rulesHash, shortHash } from './hashes.js';
export { stoppedVerdicts, type RuleContext } from './pipeline.js';
export { canonicalSchedule } from './passes/canonicalise.js';
export { findingFor } from './passes/explain.js';
export { bmcWithDeadline, EXPLICIT_SHARE } from './passes/decide.js';

export interface ModelCheckResult {
  report: ModelReport;
  extracted?: ExtractedModel;
  /** The transition system, once the engines were asked about it. */
  system?: TransitionSystem;
}

/**
 * `budget`: the model's wall-clock budget and interrupt (default:
 * `options.timeoutMs` from now, no interrupt), shared by every pass and
 * engine; the pass it runs out in makes every undecided verdict
 * `inconclusive` with a limit naming that phase.
 */
export async function checkModel(
  file: ModelFile,
  text: string | undefined,
  options: CheckOptions,
  ruleCtx: RuleContext,
  budget: Budget = makeBudget(options.timeoutMs),
): Promise<ModelCheckResult> {
  const run = await runPipeline(startRun(file, text, options, ruleCtx, budget));
  if (run.kind !== 'ended') throw new Error('unreachable: a check runs to the end');
  const { products } = run.state;
  const front = FRONT_PASSES.some((p) => p.name === run.stoppedIn);
  return {
    report: run.report,
    extracted: products.load?.extracted,
    ...(front ? {} : { system: products.compile?.ts }),
  };
}

/** Everything up to the engines; what `prepareModel` hands tests and benches. */
export interface PreparedModel {
  model: DriverModel;
  sourceMap: ExtractedModel['sourceMap'];
  extracted: ExtractedModel;
  kernel: string;
  rules: Rule[];
  skipped: Verdict[];
  graph: LockGraphResult;
  ts: TransitionSystem;
  ev: Evaluator;
  diagnostics: Diagnostic[];
  /** Builds the model report from verdicts (expectations evaluated). */
  finish: (verdicts: Verdict[], stats?: Partial<ModelReport['stats']>) => ModelReport;
}

/** The synchronous passes (load … compile) of one model: its transition system, or the report of why there is none. */
export function prepareModel(
  file: ModelFile,
  text: string | undefined,
  options: CheckOptions,
  ruleCtx: RuleContext,
  budget: Budget = makeBudget(options.timeoutMs),
): { prepared: PreparedModel } | { report: ModelReport; extracted?: ExtractedModel } {
  const state = startRun(file, text, options, ruleCtx, budget);
  const run = runFront(state);
  const p = state.products;
  if (run?.kind === 'ended') return { report: run.report, extracted: p.load?.extracted };
  const { extracted } = p.load!;
  return {
    prepared: {
      model: extracted.model,
      sourceMap: extracted.sourceMap,
      extracted,
      kernel: p.validate!.kernel,
      rules: p['select-rules']!.rules,
      skipped: p['select-rules']!.skipped,
      graph: p['lock-graph']!.graph,
      ts: p.compile!.ts,
      ev: p.compile!.ev,
      diagnostics: state.diagnostics,
      finish: (verdicts, stats = {}) => modelReport(state, verdicts, stats),
    },
  };
}
