/**
 * The programmatic API: `check(inputs, options) → Report`. The CLI is a
 * thin client of this module; so are the tests and the benchmarks.
 */

import { ruleOrders } from './rule-orders.js';
import { createRequire } from 'node:module';
import type { Diagnostic } from '../model/diagnostics.js';
import { resolveSelection } from '../rules/index.js';
import { loadUserRuleFiles, type OrderDecl } from './rule-files/index.js';
import { checkRuleSetConsistency } from './rule-files/consistency.js';
import { primedEdgesFor } from '../rules/canonical-order.js';
import type { Rule } from '../rules/types.js';
import { checkInProcess, checkInWorkers } from './parallel/run-models.js';
import { workerScript } from './parallel/pool.js';
import { InternalError } from './internal-error.js';
import { rulesHash } from './hashes.js';
import type { RuleContext } from './pipeline.js';
import { runExitCode } from './exit-codes.js';
export { modelExitCode, runExitCode } from './exit-codes.js';
import { KERNEL_CONFIGS, reportedOptions, type CheckOptions, type Progress } from './options.js';
import { isKernelConfig } from '../model/kernel-config.js';
import { REPORT_SCHEMA_VERSION, ruleMetaOf, type ModelReport, type Report } from './report.js';
import { replaySchedule } from './replay-model.js';
import { modelFile, type ModelFile, type ModelInput } from './model-input.js';
import { killBmcChildren } from './engines/bmc/isolated.js';
import { ResultCache, type CacheSettings } from './cache/index.js';
import { codeDigest } from './cache/code-digest.js';
import { checkModelCached } from './cache/check-cached.js';

export type { CheckOptions, Progress, EngineChoice, RuleSelection } from './options.js';
export { DEFAULT_CHECK_OPTIONS, KERNEL_VERSIONS, NEWEST_KERNEL } from './options.js';
export type * from './report.js';
export { ExitCode, EXIT_CODE_DOC, EXIT_CODE_PRECEDENCE, combineExitCodes } from './exit-codes.js';
export { ALL_DIAGNOSTIC_CODES, diagnosticInfo, isDiagnosticCode, exitCodeOfDiagnostic, type DiagnosticCode } from '../model/diagnostics.js';
export { killBmcChildren } from './engines/bmc/isolated.js';
export { dumpSystemJson, dumpSystemText } from './semantics/dump.js';
export { toPromela, PromelaExportError } from './export/promela.js';
export { smt2Query, fixpointText } from './engines/bmc/smt2.js';
export { DEFAULT_CACHE_MAX_MB, defaultCacheDir, lastCostMs, type CacheSettings } from './cache/index.js';
export { PASS_NAMES, isPassName, dumpAfter, runPipeline, startRun, type PassName, type PipelineRun } from './pipeline.js';

export const VERSION: string = (() => {
  try {
    const require = createRequire(import.meta.url);
    for (const p of ['../package.json', '../../package.json']) {
      try {
        return (require(p) as { version: string }).version;
      } catch {
        // dist/ is one level deeper than the sources
      }
    }
  } catch {
    // fall through
  }
  return '0.0.0';
})();

let z3VersionCache: string | undefined;
async function z3Version(): Promise<string | undefined> {
  if (z3VersionCache) return z3VersionCache;
  try {
    const require = createRequire(import.meta.url);
    z3VersionCache = (require('z3-solver/package.json') as { version: string }).version;
  } catch {
    z3VersionCache = undefined;
  }
  return z3VersionCache;
}

export interface ResolvedRules extends RuleContext {
  diagnostics: Diagnostic[];
  /** The rules of the user rule files, parsed once here; the CLI renders with them. */
  userRules: Rule[];
}

/**
 * With user rule files, Z3 checks the combined rule set before any model:
 * declared orders must be acyclic with the primed ones, and no condition
 * may be vacuous. The built-in set is checked by the test suite.
 */
async function selfCheck(rules: ResolvedRules, options: CheckOptions): Promise<void> {
  if (!options.rules.files?.length || rules.diagnostics.some((d) => d.severity === 'error')) return;
  const result = await checkRuleSetConsistency(rules.rules, primedEdgesFor({ mmuNotifier: true, kms: true }), rules.orders);
  if (!result.ok) rules.diagnostics.push(...result.diagnostics);
}

/**
 * The rule-set self-check alone, as `lint --rules` runs it: the
 * diagnostics `check` would report before any model (LMC310 for a
 * contradictory order), beyond those of loading and selection.
 */
export async function ruleSetSelfCheck(options: CheckOptions): Promise<Diagnostic[]> {
  const rules = resolveRules(options);
  const before = rules.diagnostics.length;
  await selfCheck(rules, options);
  return rules.diagnostics.slice(before);
}

/** LMC329 for each name of `--kernel-config` lockmc does not model (a usage error: exit 2). */
function kernelConfigDiagnostics(names: readonly string[] | undefined): Diagnostic[] {
  return (names ?? [])
    .filter((n) => !isKernelConfig(n))
    .map((n) => ({ code: 'LMC329' as const, severity: 'error' as const, message: `unknown kernel config '${n}'`, hint: `known: ${KERNEL_CONFIGS.join(', ')}; none for no switch` }));
}

/** Rule selection: preset, enable/disable, options, user rule files. */
export function resolveRules(options: CheckOptions): ResolvedRules {
  const diagnostics: Diagnostic[] = [];
  let extra: Rule[] = [];
  let orders: OrderDecl[] = [];
  if (options.rules.files?.length) {
    const loaded = loadUserRuleFiles(options.rules.files);
    diagnostics.push(...loaded.diagnostics);
    extra = loaded.rules;
    orders = loaded.order;
  }
  const sel = resolveSelection(options.rules, extra);
  diagnostics.push(...sel.diagnostics);
  // The selected built-in rules' declared orders come first, then the rule files'.
  orders = [...ruleOrders(sel.rules.filter((r) => !extra.includes(r))), ...orders];
  diagnostics.push(...kernelConfigDiagnostics(options.kernelConfig));
  return { rules: sel.rules, options: sel.options, orders, hash: rulesHash(sel.rules, sel.options, orders).slice(0, 12), diagnostics, userRules: extra };
}

/**
 * How a client steers a run in progress. `signal`: aborting it (with the
 * signal's name as the reason) stops the model being checked within a
 * second, ends every child process and worker, and resolves `check` with
 * the report so far (`report.interrupted`, exit 130).
 */
export interface CheckControl {
  signal?: AbortSignal;
  /** Called with each model's report as soon as it is final, in input order (a client keeps them in case the run is cut short). */
  onModel?: (m: ModelReport) => void;
  /** The rule selection, when the client already resolved it (`resolveRules`): rule files are parsed once. */
  rules?: ResolvedRules;
  /** The result cache (docs/cache.md); absent: every model is checked. */
  cache?: CacheSettings;
}

export async function check(
  inputs: ModelInput[],
  options: CheckOptions,
  onProgress?: (p: Progress) => void,
  control: CheckControl = {},
): Promise<Report> {
  const t0 = performance.now();
  const rules = control.rules ?? resolveRules(options);
  await selfCheck(rules, options);
  const z3 = await z3Version();
  if (rules.diagnostics.some((d) => d.severity === 'error')) {
    return assembleReport({ options, z3, rules: rules.rules, models: [], diagnostics: rules.diagnostics });
  }
  const cache = control.cache ? new ResultCache(control.cache, { lockmc: VERSION, z3, code: codeDigest() }) : undefined;
  // `--jobs N`: worker threads when there is more than one model to share and a compiled worker to run them; else in-process, as ever.
  const jobs = Math.min(options.jobs ?? 1, inputs.length);
  const script = jobs > 1 ? workerScript() : undefined;
  const loop = { t0, ...(onProgress ? { onProgress } : {}), control, ...(cache ? { resultCache: cache } : {}) };
  const { models, interrupted } = script !== undefined ? await checkInWorkers(inputs, options, rules, { ...loop, jobs, script }) : await checkInProcess(inputs, options, rules, loop);
  if (!interrupted) onProgress?.({ modelsDone: inputs.length, modelsTotal: inputs.length, elapsedMs: performance.now() - t0 });
  // An idle BMC child kept for the next job would end with this process anyway; after an interrupt, end it now.
  else killBmcChildren();
  const diagnostics = cache ? [...rules.diagnostics, ...cache.finish()] : rules.diagnostics;
  return assembleReport({ options, z3, rules: rules.rules, models, diagnostics, interrupted });
}

/**
 * The one place a run's Report is built, for `check` and `replay` alike.
 * Its exit code is `runExitCode` of the report (checker/exit-codes.ts);
 * `judged: false` (a replay) judges the schedule, not the model's header:
 * a violation is 1 whatever `@expect` says.
 */
function assembleReport(r: {
  options: CheckOptions & { replay?: string };
  z3: string | undefined;
  rules: Rule[];
  models: ModelReport[];
  diagnostics: Diagnostic[];
  interrupted?: Report['interrupted'];
  judged?: boolean;
}): Report {
  const judgedModels = r.judged === false ? r.models.map(({ expectation: _e, expected: _x, ...rest }) => rest as ModelReport) : r.models;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'lockmc', version: VERSION, ...(r.z3 ? { z3: r.z3 } : {}) },
    options: reportedOptions(r.options),
    rules: ruleMetaOf(r.rules),
    models: r.models,
    diagnostics: r.diagnostics,
    ...(r.interrupted ? { interrupted: r.interrupted } : {}),
    exitCode: runExitCode({ models: judgedModels, diagnostics: r.diagnostics, ...(r.interrupted ? { interrupted: r.interrupted } : {}) }),
  };
}

/** `lockmc replay <model> --schedule <token>`: the trace of exactly that schedule. */
export async function replay(file: ModelFile, token: string, options: CheckOptions, text?: string, resolved?: ResolvedRules): Promise<Report> {
  const rules = resolved ?? resolveRules(options);
  await selfCheck(rules, options);
  const z3 = await z3Version();
  let model: ModelReport;
  try {
    model = await replaySchedule(file, text, token, options, rules);
  } catch (e) {
    const code = e instanceof InternalError ? e.code : 'LMC903';
    const name = modelFile(file).file;
    model = {
      file: name,
      hashes: { model: '', rules: rules.hash },
      kernel: options.kernel ?? '',
      verdicts: [],
      diagnostics: [{ code, severity: 'error', message: e instanceof Error ? e.message : String(e), file: name }],
      stats: { ms: 0, engine: [] },
    };
  }
  const models = [model];
  return assembleReport({ options: { ...options, replay: token }, z3, rules: rules.rules, models, diagnostics: rules.diagnostics, judged: false });
}
