/**
 * One model through the pipeline: an ordered list of named passes, each
 * reading the outputs of earlier ones and returning a result (ok, or the
 * model stops here) instead of throwing. `check` and `replay` run the same
 * list; replay's `decide` is the schedule from its token instead of the
 * engines. Every schedule shown to a user has been replayed on the
 * reference semantics (pass `replay`); one that does not replay is an
 * internal error (LMC901), never a trace.
 *
 *   load → validate → select-rules → lock-graph → compile     (synchronous)
 *   → decide → replay → canonicalise → explain → judge          (asynchronous)
 *
 * The budget (model/budget.ts) is checked between passes where a pass
 * names a phase (`budgetAfter`), and honoured inside the long ones; a
 * spent budget makes every undecided verdict inconclusive naming the phase.
 * docs/architecture.md describes each pass.
 */

import { BudgetExceeded, checkBudget, type BudgetStop } from '../model/budget.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Rule } from '../rules/types.js';
import { shortHash } from './hashes.js';
import { NEWEST_KERNEL, type CheckOptions } from './options.js';
import type { EngineName, ModelReport, Verdict } from './report.js';
import { evaluateExpectations } from './verdict.js';
import { modelFile, type ModelFile } from './model-input.js';
import { loadPass } from './passes/load.js';
import { validatePass } from './passes/validate.js';
import { selectRulesPass } from './passes/select-rules.js';
import { lockGraphPass } from './passes/lock-graph.js';
import { compilePass } from './passes/compile.js';
import { decidePass } from './passes/decide.js';
import { scheduleFromTokenPass } from './passes/schedule-from-token.js';
import { replayPass } from './passes/replay.js';
import { canonicalisePass } from './passes/canonicalise.js';
import { explainPass } from './passes/explain.js';
import { judgePass } from './passes/judge.js';
import type { PassName } from './passes/names.js';
import type { PassEnd, PassEnv, PassResult, Products, ScheduleSource } from './passes/types.js';

export { PASS_NAMES, isPassName, type PassName } from './passes/names.js';
export type * from './passes/types.js';

/** A pass as the runner sees it: its typed `Needs` erased (the list's order guarantees them). */
interface AnyPass {
  name: PassName;
  budgetAfter?: string;
  run(env: PassEnv, earlier: Products): PassResult<unknown> | Promise<PassResult<unknown>>;
  dump(output: never): unknown;
}

/** Up to the engines: synchronous, shared by `check`, `replay`, `dump` and `prepareModel`. */
export const FRONT_PASSES = [loadPass, validatePass, selectRulesPass, lockGraphPass, compilePass] as const;

/** From the engines on; `decide` depends on where the schedules come from. */
export function backPasses(source: ScheduleSource) {
  return [source.kind === 'engines' ? decidePass : scheduleFromTokenPass, replayPass, canonicalisePass, explainPass, judgePass] as const;
}

/** The whole list, in order, for `source`. */
export function passesFor(source: ScheduleSource): readonly AnyPass[] {
  return [...FRONT_PASSES, ...backPasses(source)] as readonly AnyPass[];
}

/** The JSON-able dump of `name`'s output (`lockmc dump --after <name>`). */
export function dumpAfter(name: PassName, products: Partial<Products>, source: ScheduleSource = { kind: 'engines' }): unknown {
  const pass = passesFor(source).find((p) => p.name === name)!;
  return (pass.dump as (o: unknown) => unknown)(products[name]);
}

/** The state of one model's run: what the passes produced so far. */
export interface RunState {
  env: PassEnv;
  t0: number;
  products: Partial<Products>;
  /** Every pass's diagnostics, in pass order: the model report's. */
  diagnostics: Diagnostic[];
}

export type PipelineRun =
  /** The model ended: judged, or stopped by a pass (its report says why). */
  | { kind: 'ended'; report: ModelReport; state: RunState; stoppedIn?: PassName }
  /** `until` was reached; its output and every earlier one are in `state.products`. */
  | { kind: 'paused'; after: PassName; state: RunState };

export interface RunOptions {
  source?: ScheduleSource;
  /** Stop after this pass (`dump --after`, `prepareModel`). */
  until?: PassName;
  /**
   * Between `compile` and `decide`: a report that ends the model there
   * instead of the engines (a result-cache hit, checker/cache/).
   */
  afterFront?: (state: RunState) => ModelReport | undefined;
}

/** `file`: the model's name, or its name and where to read it (checker/model-input.ts). */
export function startRun(file: ModelFile, text: string | undefined, options: CheckOptions, ruleCtx: PassEnv['ruleCtx'], budget: PassEnv['budget'], source: ScheduleSource = { kind: 'engines' }): RunState {
  return { env: { ...modelFile(file), text, options, ruleCtx, budget, source }, t0: performance.now(), products: {}, diagnostics: [] };
}

/** Runs the synchronous passes (to `compile`, or `until` if earlier). */
export function runFront(state: RunState, until?: PassName): PipelineRun | undefined {
  for (const pass of FRONT_PASSES as readonly AnyPass[]) {
    const ended = step(state, pass, () => pass.run(state.env, state.products as Products) as PassResult<unknown>);
    if (ended) return ended;
    if (pass.name === until) return { kind: 'paused', after: pass.name, state };
  }
  return undefined;
}

/** The whole pipeline for one model (or up to `until`). */
export async function runPipeline(state: RunState, opts: RunOptions = {}): Promise<PipelineRun> {
  const front = runFront(state, opts.until);
  if (front) return front;
  const served = opts.afterFront?.(state);
  if (served) return { kind: 'ended', report: served, state };
  for (const pass of backPasses(state.env.source) as readonly AnyPass[]) {
    let result: PassResult<unknown>;
    try {
      result = await pass.run(state.env, state.products as Products);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      result = { kind: 'limit', stop: e.stop };
    }
    const ended = step(state, pass, () => result);
    if (ended) return ended;
    if (pass.name === opts.until) return { kind: 'paused', after: pass.name, state };
  }
  const judged = state.products.judge!;
  return { kind: 'ended', report: modelReport(state, judged.verdicts, judged.stats), state };
}

/**
 * Records one pass's result; returns the ended run when the model stops
 * here. A phase that lets its budget stop escape is still a limit.
 */
function step(state: RunState, pass: AnyPass, run: () => PassResult<unknown>): PipelineRun | undefined {
  let r: PassResult<unknown>;
  try {
    r = run();
    if (r.kind === 'ok') {
      state.diagnostics.push(...(r.diagnostics ?? []));
      // Kept even when the budget then runs out: the report still hashes the model and honours its header.
      (state.products as Record<string, unknown>)[pass.name] = r.output;
      if (pass.budgetAfter) checkBudget(state.env.budget, pass.budgetAfter);
      return undefined;
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    r = { kind: 'limit', stop: e.stop };
  }
  return { kind: 'ended', report: endedReport(state, r), state, stoppedIn: pass.name };
}

/** The report of a model a pass stopped. */
function endedReport(state: RunState, end: PassEnd): ModelReport {
  if (end.kind === 'stopped') {
    state.diagnostics.push(...end.diagnostics);
    return modelReport(state, end.verdicts, {}, end);
  }
  // Rules the kernel switched off stay skipped; every other one is undecided.
  const skipped = state.products['select-rules']?.skipped ?? [];
  const off = new Set(skipped.map((v) => v.rule));
  const undecided = state.env.ruleCtx.rules.filter((r) => !off.has(r.meta.id));
  return modelReport(state, [...stoppedVerdicts(undecided, end.stop, state.env.options), ...skipped], {}, end);
}

/**
 * The one place a model's report is assembled, whichever pass ended it:
 * its hashes, kernel, verdicts, diagnostics, and the model's `@expect`
 * compared with them.
 */
export function modelReport(state: RunState, verdicts: Verdict[], stats: Partial<ModelReport['stats']>, end?: PassEnd): ModelReport {
  const { env, products, diagnostics } = state;
  const model = products.load?.extracted.model;
  const kernel = (end?.kind === 'stopped' ? end.kernel : undefined) ?? products.validate?.kernel ?? env.options.kernel ?? NEWEST_KERNEL;
  const expected = model ? model.header.expect : end?.expected;
  const report: ModelReport = {
    file: env.file,
    // A model the front end rejected is hashed by its text, given or read; an unreadable one by its name (as reports always were).
    hashes: { model: model ? model.sourceHash.slice(0, 12) : shortHash(env.text ?? end?.text ?? env.file), rules: env.ruleCtx.hash },
    kernel,
    verdicts,
    diagnostics,
    stats: { ms: Math.round(performance.now() - state.t0), engine: [], ...stats },
  };
  const kernelConfig = products.validate?.kernelConfig ?? [];
  if (kernelConfig.length > 0) report.kernelConfig = kernelConfig;
  if (expected && expected.length) {
    report.expected = expected;
    // A header's check is judged against the rule's own checks: an unknown one is named with the list.
    report.expectation = evaluateExpectations(expected, verdicts, diagnostics, (id) => env.ruleCtx.rules.find((r) => r.meta.id === id)?.checks.map((c) => c.id));
  }
  return report;
}

/** The verdicts of rules a spent budget left undecided: inconclusive, naming the limit and the phase. */
export function stoppedVerdicts(rules: Rule[], stop: BudgetStop, options: CheckOptions): Verdict[] {
  return rules.map((r) => ({ status: 'inconclusive', rule: r.meta.id, engine: engineOf(r, options), limit: stop }));
}

/** The engine that would have decided the rule (lock-graph rules, else the first engine asked). */
function engineOf(rule: Rule, options: CheckOptions): EngineName {
  if (rule.checks.length > 0 && rule.checks.every((c) => c.kind === 'lock-cycle' || c.kind === 'lock-recursion' || c.kind === 'lockdep-report')) return 'lockgraph';
  return options.engine === 'bmc' ? 'bmc' : 'explicit';
}
