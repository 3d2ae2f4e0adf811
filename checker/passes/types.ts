/**
 * The types the pipeline's passes share: what each pass produces
 * (`Products`), what every pass may read (`PassEnv`), and how a pass ends
 * (`PassResult`: ok with its output, or the model stops here).
 */

import type { Budget, BudgetStop } from '../../model/budget.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Expectation, ExtractedModel } from '../../model/ir.js';
import type { Rule } from '../../rules/types.js';
import type { OrderDecl } from '../rule-files/index.js';
import type { LockGraphResult } from '../engines/lockgraph/index.js';
import type { EngineResult } from '../engines/types.js';
import type { Evaluator } from '../semantics/eval.js';
import type { Schedule, TransitionSystem } from '../semantics/system.js';
import type { CheckOptions } from '../options.js';
import type { EngineName, Finding, Limit, ModelReport, Verdict } from '../report.js';
import type { CheckOutcome } from '../verdict.js';
import type { PassName } from './names.js';

export interface RuleContext {
  rules: Rule[];
  options: Record<string, string>;
  /** Lock orders declared by user rule files: checked like primed edges. */
  orders: OrderDecl[];
  /** Short hash of the rule set, for report headers. */
  hash: string;
}

/** Where the schedules come from: the engines (`check`) or a replay token (`replay`). */
export type ScheduleSource = { kind: 'engines' } | { kind: 'token'; token: string };

/** What every pass may read: the run's inputs, never another pass's state. */
export interface PassEnv {
  /** The model's name in reports and diagnostics. */
  file: string;
  /** Where the load pass reads the file (`file` unless the caller resolved it elsewhere, checker/model-input.ts). */
  path: string;
  /** The text the caller gave; absent, the load pass reads the file. */
  text: string | undefined;
  options: CheckOptions;
  ruleCtx: RuleContext;
  /** The model's wall-clock budget and interrupt (model/budget.ts). */
  budget: Budget;
  source: ScheduleSource;
}

/**
 * How a pass ends. `stopped`: the model ends here with these diagnostics
 * and verdicts (a rejected model, a rule that does not compile, a bad
 * token). `limit`: the budget ran out; every undecided rule becomes
 * inconclusive naming the phase. Both may carry what the report needs
 * that no earlier pass produced (the header's expectations, the kernel,
 * the text the load pass read: a rejected model is hashed by it).
 */
export type PassResult<T> =
  | { kind: 'ok'; output: T; diagnostics?: Diagnostic[] }
  | { kind: 'stopped'; diagnostics: Diagnostic[]; verdicts: Verdict[]; kernel?: string; expected?: Expectation[]; text?: string }
  | { kind: 'limit'; stop: BudgetStop; expected?: Expectation[]; text?: string };

export type PassEnd = Exclude<PassResult<unknown>, { kind: 'ok' }>;

export interface LoadOutput {
  /** The text the front end read: the header of a model is parsed from it, never re-read. */
  text: string;
  extracted: ExtractedModel;
}

export interface ValidateOutput {
  /** `--kernel`, else the model's `@kernel`, else the newest. */
  kernel: string;
  /** `--kernel-config`, else the model's `@kernel-config`: sorted config names (model/kernel-config.ts). */
  kernelConfig: string[];
  /** The rule options with the model's `@rule-option`s applied. */
  ruleOptions: Record<string, string>;
}

export interface SelectRulesOutput {
  /** The rules that apply to the model's kernel. */
  rules: Rule[];
  /** The others, as `skipped` verdicts saying why. */
  skipped: Verdict[];
}

export interface LockGraphOutput {
  graph: LockGraphResult;
}

export interface CompileOutput {
  ts: TransitionSystem;
  ev: Evaluator;
}

/** Per property of the transition system, what the engines decided. */
export type Decision =
  | { status: 'violated'; engine: EngineName; schedule: Schedule }
  | { status: 'proved'; engine: EngineName }
  | { status: 'holds-up-to'; engine: EngineName; bound: number }
  | { status: 'inconclusive'; engine: EngineName; limit: Limit };

export type DecideOutput =
  /** `check`: every engine's results, and the decisive one per property. */
  | { kind: 'engines'; runs: EngineResult[]; decisions: Decision[] }
  /** `replay`: the schedule the token names, decoded against this system. */
  | { kind: 'token'; schedule: Schedule };

/** A violation whose schedule replayed on the reference semantics. */
export interface Violation {
  property: number;
  engine: EngineName;
  schedule: Schedule;
}

export interface ReplayOutput {
  confirmed: Violation[];
}

export interface CanonicaliseOutput {
  /** The confirmed violations, each schedule canonical (a token's is kept as given). */
  violations: Violation[];
}

export interface ExplainOutput {
  /** One finding (with its trace) per violation, in property order. */
  findings: { property: number; engine: EngineName; finding: Finding }[];
  /** The lock graph's own outcomes (cycles, recursion), per rule, in rule order. */
  graph: { rule: string; outcome: CheckOutcome }[];
}

export interface JudgeOutput {
  verdicts: Verdict[];
  stats: Partial<ModelReport['stats']>;
}

export interface Products {
  load: LoadOutput;
  validate: ValidateOutput;
  'select-rules': SelectRulesOutput;
  'lock-graph': LockGraphOutput;
  compile: CompileOutput;
  decide: DecideOutput;
  replay: ReplayOutput;
  canonicalise: CanonicaliseOutput;
  explain: ExplainOutput;
  judge: JudgeOutput;
}

/**
 * One pass: `run` reads the outputs of the passes it names in `Needs`
 * (all of them earlier in the list), `dump` makes its output JSON-able for
 * `lockmc dump --after <name>`. `budgetAfter`: the budget phase checked
 * once the pass succeeded, as between the phases of earlier releases.
 */
export interface Pass<N extends PassName, Needs extends PassName, R = PassResult<Products[N]>> {
  name: N;
  budgetAfter?: string;
  run(env: PassEnv, earlier: Pick<Products, Needs>): R;
  dump(output: Products[N]): unknown;
}

/** The passes up to the engines are synchronous: `prepareModel` callers (tests, benches) use them so. */
export type FrontPass<N extends PassName, Needs extends PassName> = Pass<N, Needs>;
export type BackPass<N extends PassName, Needs extends PassName> = Pass<N, Needs, Promise<PassResult<Products[N]>>>;
