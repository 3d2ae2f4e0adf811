/**
 * One model through the pipeline: front end → lock graph → transition
 * system with the rules' properties → engines → replay → canonical
 * schedule → trace → verdict per rule. Every schedule shown to a user has
 * been replayed on the reference semantics; one that does not replay is an
 * internal error (LMC901), never a trace.
 */

import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { loadModel, parseHeader } from '../model/index.js';
import { BudgetExceeded, budgetStop, checkBudget, makeBudget, remainingMs, type Budget, type BudgetStop } from '../model/budget.js';
import type { DriverModel, ExtractedModel } from '../model/ir.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Rule } from '../rules/types.js';
import type { OrderDecl } from '../rules/user-rules.js';
import { applyModelOptions } from '../rules/index.js';
import { buildLockGraph } from './engines/lockgraph/index.js';
import { compileSystem } from './semantics/compile.js';
import { compileProperties, RuleCompileError } from './semantics/properties.js';
import { SemanticsError } from './semantics/context.js';
import { prepare, type Evaluator } from './semantics/eval.js';
import type { Property, Schedule, TransitionSystem } from './semantics/system.js';
import { exploreExplicit } from './engines/explicit/index.js';
import { BoundError } from './engines/bmc/index.js';
import { checkBound } from './engines/bmc/run-bmc.js';
import { runBmcIsolated } from './engines/bmc/isolated.js';
import type { EngineResult, PropertyResult } from './engines/types.js';
import { confirmViolation } from './replay.js';
import { buildTrace } from './trace.js';
import { canonicalise } from './minimise.js';
import { chainKey, cycleFinding, cyclesFor, messageFor, opVars, recursionFinding } from './findings.js';
import { combineOutcomes, evaluateExpectations, type CheckOutcome } from './verdict.js';
import { compareKernel, NEWEST_KERNEL, type CheckOptions } from './options.js';
import type { EngineName, Finding, Limit, ModelReport, Trace, Verdict } from './report.js';

export interface RuleContext {
  rules: Rule[];
  options: Record<string, string>;
  /** Lock orders declared by user rule files: checked like primed edges. */
  orders: OrderDecl[];
  /** Short hash of the rule set, for report headers. */
  hash: string;
}

/** Thrown for engine disagreements and non-replaying schedules: exit 70. */
export class InternalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function rulesHash(rules: Rule[], options: Record<string, string>, orders: OrderDecl[] = []): string {
  return shortHash(JSON.stringify({ rules, options, orders }));
}

function internalDiag(file: string, code: string, message: string): Diagnostic {
  return { code, severity: 'error', message, file, hint: 'this is a bug in lockmc: please report it with the model and the command line' };
}

function ruleApplies(rule: Rule, kernel: string): string | undefined {
  const k = rule.meta.kernel;
  if (k?.since && compareKernel(kernel, k.since) < 0) return `applies from ${k.since}; model checked as ${kernel}`;
  if (k?.until && compareKernel(kernel, k.until) >= 0) return `applies before ${k.until}; model checked as ${kernel}`;
  return undefined;
}

export interface ModelCheckResult {
  report: ModelReport;
  extracted?: ExtractedModel;
  system?: TransitionSystem;
}

/** Everything up to the engines; shared by `check` and `replay`. */
export interface PreparedModel {
  model: DriverModel;
  sourceMap: ExtractedModel['sourceMap'];
  extracted: ExtractedModel;
  kernel: string;
  rules: Rule[];
  skipped: Verdict[];
  graph: ReturnType<typeof buildLockGraph>;
  ts: TransitionSystem;
  ev: Evaluator;
  diagnostics: Diagnostic[];
  /** Builds the model report from verdicts (expectations evaluated). */
  finish: (verdicts: Verdict[], stats?: Partial<ModelReport['stats']>) => ModelReport;
}

/**
 * `budget`: the model's wall-clock budget (default: `options.timeoutMs`
 * from now). Every phase honours it; the phase it runs out in makes every
 * verdict `inconclusive` with a limit naming that phase.
 */
export function prepareModel(
  file: string,
  text: string | undefined,
  options: CheckOptions,
  ruleCtx: RuleContext,
  budget: Budget = makeBudget(options.timeoutMs),
): { prepared: PreparedModel } | { report: ModelReport; extracted?: ExtractedModel } {
  const t0 = performance.now();
  let loaded: ReturnType<typeof loadModel> | undefined;
  const diagnostics: Diagnostic[] = [];
  let kernel = options.kernel ?? NEWEST_KERNEL;
  const skipped: Verdict[] = [];
  const base = (kernel: string, verdicts: Verdict[], stats: Partial<ModelReport['stats']> = {}): ModelReport => {
    const model = loaded?.extracted?.model;
    const expected = model?.header.expect ?? loaded?.header?.expect ?? expectedFromText(text, file);
    const report: ModelReport = {
      file,
      hashes: { model: model ? model.sourceHash.slice(0, 12) : shortHash(text ?? file), rules: ruleCtx.hash },
      kernel,
      verdicts,
      diagnostics,
      stats: { ms: Math.round(performance.now() - t0), engine: [], ...stats },
    };
    if (expected && expected.length) {
      report.expected = expected;
      report.expectation = evaluateExpectations(expected, verdicts, diagnostics, (id) => ruleCtx.rules.find((r) => r.meta.id === id)?.checks.map((c) => c.id)); // h-fixtures: a header's check is judged against the rule's checks
    }
    return report;
  };
  try {
    return prepareWithin(file, options, ruleCtx, budget, {
      text,
      setLoaded: (l) => {
        loaded = l;
        diagnostics.push(...l.diagnostics);
      },
      setKernel: (k) => (kernel = k),
      diagnostics,
      skipped,
      base,
    });
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    // Rules the kernel switched off stay skipped; every other one is undecided.
    const off = new Set(skipped.map((v) => v.rule));
    const undecided = ruleCtx.rules.filter((r) => !off.has(r.meta.id));
    return { report: base(kernel, [...stoppedVerdicts(undecided, e.stop, options), ...skipped]), extracted: loaded?.extracted };
  }
}

/** The verdicts of rules a spent budget left undecided: inconclusive, naming the limit and the phase. */
export function stoppedVerdicts(rules: Rule[], stop: BudgetStop, options: CheckOptions): Verdict[] {
  return rules.map((r) => ({ status: 'inconclusive', rule: r.meta.id, engine: engineOf(r, options), limit: stop }));
}

/** The engine that would have decided the rule (lock-graph rules, else the first engine asked). */
function engineOf(rule: Rule, options: CheckOptions): EngineName {
  if (rule.checks.length > 0 && rule.checks.every((c) => c.kind === 'lock-cycle' || c.kind === 'lock-recursion')) return 'lockgraph';
  return options.engine === 'bmc' ? 'bmc' : 'explicit';
}

interface PrepareState {
  text: string | undefined;
  setLoaded: (l: ReturnType<typeof loadModel>) => void;
  setKernel: (k: string) => void;
  diagnostics: Diagnostic[];
  skipped: Verdict[];
  base: (kernel: string, verdicts: Verdict[], stats?: Partial<ModelReport['stats']>) => ModelReport;
}

/** The phases of prepareModel; throws BudgetExceeded when the model's time is up. */
function prepareWithin(
  file: string,
  options: CheckOptions,
  ruleCtx: RuleContext,
  budget: Budget,
  st: PrepareState,
): { prepared: PreparedModel } | { report: ModelReport; extracted?: ExtractedModel } {
  const { diagnostics, skipped, base } = st;
  checkBudget(budget, 'front end');
  const loaded = loadModel(file, st.text, { budget });
  st.setLoaded(loaded);
  // A model the front end rejected is that error, however long it took.
  if (!loaded.extracted || diagnostics.some((d) => d.severity === 'error')) {
    return { report: base(options.kernel ?? NEWEST_KERNEL, []), extracted: loaded.extracted };
  }
  // A front end that does not look at the clock is still held to it here.
  checkBudget(budget, 'front end');
  const { model, sourceMap } = loaded.extracted;
  const kernel = options.kernel ?? model.header.kernel ?? NEWEST_KERNEL;
  st.setKernel(kernel);

  const modelOpts = applyModelOptions(ruleCtx.options, model.header.ruleOptions, ruleCtx.rules, file, model.header.ruleOptionAt);
  diagnostics.push(...modelOpts.diagnostics);
  if (modelOpts.diagnostics.some((d) => d.severity === 'error')) return { report: base(kernel, []), extracted: loaded.extracted };

  const rules: Rule[] = [];
  for (const r of ruleCtx.rules) {
    const why = ruleApplies(r, kernel);
    if (why) skipped.push({ status: 'skipped', rule: r.meta.id, reason: why });
    else rules.push(r);
  }

  const graph = buildLockGraph(model, { kernel, sourceMap, declaredOrders: ruleCtx.orders, budget });
  checkBudget(budget, 'lock graph');
  let ts: TransitionSystem;
  try {
    ts = compileSystem(
      model,
      { kernel, kswapdRuns: options.kswapdRuns, irqFires: 1, directReclaim: true },
      (ctx) => compileProperties(ctx, rules, graph, modelOpts.options, kernel, budget),
      budget,
    );
    checkBudget(budget, 'compile');
  } catch (e) {
    if (e instanceof RuleCompileError) {
      diagnostics.push({ code: e.code, severity: 'error', message: e.message, file, hint: 'the rule uses a combination of patterns the checker cannot compile; fix the rule file' });
      return { report: base(kernel, skipped), extracted: loaded.extracted };
    }
    if (e instanceof SemanticsError) {
      diagnostics.push({ code: e.code, severity: 'error', message: e.message, file });
      return { report: base(kernel, skipped), extracted: loaded.extracted };
    }
    throw e;
  }

  return {
    prepared: {
      model,
      sourceMap,
      extracted: loaded.extracted,
      kernel,
      rules,
      skipped,
      graph,
      ts,
      ev: prepare(ts),
      diagnostics,
      finish: (verdicts, stats) => base(kernel, verdicts, stats),
    },
  };
}

/**
 * `budget`: the model's wall-clock budget and interrupt (default:
 * `options.timeoutMs` from now, no interrupt), shared by every phase and
 * engine; see prepareModel.
 */
export async function checkModel(
  file: string,
  text: string | undefined,
  options: CheckOptions,
  ruleCtx: RuleContext,
  budget: Budget = makeBudget(options.timeoutMs),
): Promise<ModelCheckResult> {
  const p = prepareModel(file, text, options, ruleCtx, budget);
  if ('report' in p) return p;
  const { model, sourceMap, extracted, rules, skipped, graph, ts, ev, diagnostics, finish } = p.prepared;
  const engineRuns: EngineResult[] = [];
  try {
    engineRuns.push(...(await runEngines(ts, options, budget)));
  } catch (e) {
    if (e instanceof BoundError) {
      diagnostics.push({ code: 'LMC401', severity: 'error', message: e.message, hint: 'give --bound a positive integer (steps), or leave it out to use the completeness bound' });
      return { report: finish(skipped), extracted, system: ts };
    }
    throw e;
  }

  if (engineRuns.length === 2) {
    const [a, b] = engineRuns;
    ts.properties.forEach((p, i) => {
      const ra = a.results[i];
      const rb = b.results[i];
      if (ra.status === 'inconclusive' || rb.status === 'inconclusive') return;
      const va = ra.status === 'violated';
      const vb = rb.status === 'violated';
      // A bounded "holds" cannot contradict a violation longer than the bound.
      if (va !== vb && !(ra.status === 'holds' && !ra.exhaustive) && !(rb.status === 'holds' && !rb.exhaustive)) {
        throw new InternalError('LMC902', `engines disagree on ${p.rule}/${p.check} in ${file}: ${a.engine} says ${ra.status}, ${b.engine} says ${rb.status}`);
      }
    });
  }

  // Per property: the decisive result (first engine that decided it) and a replayed, canonical trace.
  const outcomes = new Map<string, CheckOutcome[]>();
  const push = (rule: string, o: CheckOutcome) => {
    let l = outcomes.get(rule);
    if (!l) outcomes.set(rule, (l = []));
    l.push(o);
  };
  const deadlockTraces: Trace[] = [];
  const completeness = ts.completenessBound;
  ts.properties.forEach((p, i) => {
    const results = engineRuns.map((r) => ({ engine: r.engine as EngineName, r: r.results[i] }));
    const decided = results.find((x) => x.r.status === 'violated') ?? results.find((x) => x.r.status === 'holds' && x.r.exhaustive) ?? results[results.length - 1];
    const rule = ruleCtx.rules.find((r) => r.meta.id === p.rule)!;
    // `both`: agreement is the point; a property one engine could not
    // decide was never compared, whatever the other found.
    const unchecked = options.engine === 'both' ? results.find((x) => x.r.status === 'inconclusive') : undefined;
    if (unchecked && unchecked.r.status === 'inconclusive') {
      push(p.rule, { status: 'inconclusive', engine: unchecked.engine, limit: unchecked.r.limit });
      return;
    }
    const r = decided.r;
    if (r.status === 'violated') {
      const schedule = canonicalSchedule(ts, ev, r.schedule, i, decided.engine, file, budget);
      const finding = findingFor(ts, ev, model, sourceMap, rule, i, schedule);
      if (p.kind === 'deadlock' && finding.trace) deadlockTraces.push(finding.trace);
      push(p.rule, { status: 'violated', engine: decided.engine, findings: [finding] });
    } else if (r.status === 'holds') {
      push(p.rule, r.exhaustive ? { status: 'proved', engine: decided.engine } : { status: 'holds-up-to', engine: decided.engine, bound: r.bound ?? completeness });
    } else {
      push(p.rule, { status: 'inconclusive', engine: decided.engine, limit: r.limit });
    }
  });

  // Whether the interleaving engines could have realised a lock-graph cycle.
  const dl = ts.properties.map((p, i) => ({ p, i })).filter((x) => x.p.kind === 'deadlock');
  const dlResults = dl.flatMap((x) => engineRuns.map((r) => r.results[x.i]));
  const deadlockSearch: NonNullable<Finding['realisation']> =
    dl.length === 0
      ? { status: 'not-checked' }
      : dlResults.some((r) => r.status === 'holds' && r.exhaustive)
        ? { status: 'unrealisable' }
        : { status: 'not-within-bound', bound: Math.min(...dlResults.map((r) => (r.status === 'holds' && r.bound !== undefined ? r.bound : completeness))) };

  // Lock-graph checks: lockdep's verdict, exhaustive over every path.
  for (const rule of rules) {
    for (const check of rule.checks) {
      if (check.kind === 'lock-cycle') {
        const cycles = cyclesFor(graph, check, model);
        if (cycles.length === 0) push(rule.meta.id, { status: 'proved', engine: 'lockgraph' });
        else {
          const findings = cycles.map((c) => {
            const f = cycleFinding(rule, check.id, c, model);
            const realised = deadlockTraces.find((t) => t.final.threads.filter((x) => x.status === 'blocked' && x.waitingFor && c.classes.some((cls) => x.waitingFor!.includes(cls))).length >= 2);
            if (realised) {
              f.trace = realised;
              f.possibleOnly = false;
              f.realisation = { status: 'realised' };
            } else {
              f.realisation = deadlockSearch;
            }
            return f;
          });
          push(rule.meta.id, { status: 'violated', engine: 'lockgraph', findings });
        }
      } else if (check.kind === 'lock-recursion') {
        const recs = graph.recursions.filter((r) => !check.lock || graph.patternMatchesClass(check.lock, r.class));
        if (recs.length === 0) push(rule.meta.id, { status: 'proved', engine: 'lockgraph' });
        else push(rule.meta.id, { status: 'violated', engine: 'lockgraph', findings: recs.map((r) => recursionFinding(rule, check.id, r, model, sourceMap)) });
      }
    }
  }
  if (graph.built.truncated.length) {
    diagnostics.push({ code: 'LMC402', severity: 'warning', message: `lock graph truncated: ${graph.built.truncated[0]}`, file });
  }

  const verdicts: Verdict[] = [...rules.map((r) => combineOutcomes(r.meta.id, outcomes.get(r.meta.id) ?? [])), ...skipped];
  markSameCycles(verdicts);
  const stats = {
    engine: engineRuns.map((r) => r.engine as string).concat('lockgraph'),
    states: engineRuns.find((r) => r.engine === 'explicit')?.stats.states,
    transitions: ts.transitions.length,
    bound: engineRuns.find((r) => r.engine === 'bmc')?.stats.bound,
    completenessBound: ts.completenessBound,
  };
  return { report: finish(verdicts, stats), extracted, system: ts };
}

/**
 * A model the front end rejected, or whose time ran out in the front end,
 * has no header from it; the model still says what it expects. The header
 * is the leading comment: parse it as text (no TypeScript), from the start
 * of the file only, read as bytes, so a huge or binary file costs nothing.
 */
const HEADER_PEEK_BYTES = 16_384;

function expectedFromText(text: string | undefined, file: string): DriverModel['header']['expect'] | undefined {
  let head = text?.slice(0, HEADER_PEEK_BYTES);
  if (head === undefined) {
    try {
      // Never open a FIFO or device: the open would block (LMC001 says why).
      if (!statSync(file).isFile()) return undefined;
      const fd = openSync(file, 'r');
      const buf = Buffer.alloc(HEADER_PEEK_BYTES);
      const n = readSync(fd, buf, 0, buf.length, 0);
      closeSync(fd);
      head = buf.subarray(0, n).toString('latin1');
    } catch {
      return undefined;
    }
  }
  const parsed = parseHeader(head, file).header.expect;
  if (parsed.length) return parsed;
  // A header cut by the peek, or one the header parser rejects: its error expectations still count.
  const codes = [...head.matchAll(/@expect\s+error\s+(LMC\d{3})/g)].map((m) => m[1]);
  return codes.length ? codes.map((code) => ({ kind: 'error' as const, code })) : undefined;
}

/**
 * The generic lockdep rule sees every cycle a specific rule reports; show
 * such a cycle in full once, under the specific rule, and let the others
 * point at it.
 */
function markSameCycles(verdicts: Verdict[]): void {
  const primary = new Map<string, Finding>();
  const all = verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : []));
  // Specific rules first: the generic one only keeps cycles nobody else explains.
  const order = [...all.filter((f) => f.rule !== GENERIC_CYCLE_RULE), ...all.filter((f) => f.rule === GENERIC_CYCLE_RULE)];
  for (const f of order) {
    if (f.kind !== 'circular-dependency') continue;
    const key = chainKey(f);
    if (!key) continue;
    const first = primary.get(key);
    if (first) f.sameAs = { rule: first.rule, check: first.check };
    else primary.set(key, f);
  }
}

const GENERIC_CYCLE_RULE = 'lockdep-circular-dependency';

/** The finding for property `i` violated by `schedule` (already replayed and canonical). */
export function findingFor(ts: TransitionSystem, ev: Evaluator, model: DriverModel, sourceMap: ExtractedModel['sourceMap'], rule: Rule, i: number, schedule: Schedule): Finding {
  const p = ts.properties[i];
  const trace = buildTrace(ts, model, sourceMap, schedule, i, ev);
  const at = trace.violatingStep !== undefined ? trace.steps[trace.violatingStep - 1]?.at : undefined;
  return {
    rule: p.rule,
    check: p.check,
    kind: findingKind(p),
    message: messageFor(rule, p.check, traceVars(ts, model, schedule, trace)),
    ...(at ? { at } : {}),
    trace,
  };
}

function findingKind(p: Property): Finding['kind'] {
  if (p.kind === 'deadlock') return 'deadlock';
  if (p.rule === 'fence-finite') return 'fence-never-signalled';
  return 'rule-violation';
}

export function canonicalSchedule(ts: TransitionSystem, ev: Evaluator, schedule: Schedule, property: number, engine: string, file: string, budget?: Budget): Schedule {
  const confirmed = confirmViolation(ts, schedule, property, ev);
  if (!confirmed.ok) {
    const p = ts.properties[property];
    throw new InternalError('LMC901', `${engine} engine produced a schedule for ${p.rule}/${p.check} in ${file} that does not replay: ${confirmed.reason}`);
  }
  return canonicalise(ts, ev, schedule, property, undefined, budget);
}

/** Message placeholders from the violating step (or the last step for state properties). */
function traceVars(ts: TransitionSystem, model: DriverModel, schedule: Schedule, trace: Trace): Record<string, string | undefined> {
  const idx = (trace.violatingStep ?? schedule.length) - 1;
  const vars: Record<string, string | undefined> = {};
  const step = trace.steps[idx];
  if (step) {
    vars.thread = step.threadName;
    // Locks held when the step began: the thread's previous step's `held`.
    const before = trace.steps.slice(0, idx).reverse().find((x) => x.thread === step.thread);
    vars.held = (before?.held ?? []).join(', ') || 'nothing';
    vars.context = step.context.join(' > ') || 'process context';
  }
  // The schedule is cut at the violation: its last transition is the violating step
  // (step properties) or leads to the bad state. Trace steps hide synthetic
  // transitions, so trace indices cannot be used to index the schedule.
  const tId = schedule[schedule.length - 1];
  const tr = tId !== undefined ? ts.transitions[tId] : undefined;
  const node = tr && !tr.label.synthetic ? model.procs[tr.label.proc]?.nodes[tr.label.node] : undefined;
  if (node?.kind === 'op') Object.assign(vars, opVars(model, node.op));
  // State properties name no operand: take the objects the final state blames.
  // A thread stuck on a fence names it; otherwise the fence left unsignalled.
  const waited = trace.final.threads.map((t) => /fence (\S+)/.exec(t.waitingFor ?? '')?.[1]).find((x) => x !== undefined);
  vars.fence ??= waited ?? trace.final.fences.find((f) => f.state === 'published')?.name;
  vars.thread ??= trace.final.threads.find((t) => t.status === 'blocked')?.thread;
  return vars;
}

/**
 * The Z3 engine checks its own deadline between solver calls, but a WASM
 * solver call can hang past an interrupt: each BMC job runs in a child
 * process that is killed at the deadline (engines/bmc/isolated.ts).
 */
export const bmcWithDeadline = runBmcIsolated;

/**
 * Share of the model's remaining budget the explicit engine may use when
 * Z3 is to follow (`auto`, `both`): a state-explosive model that the
 * explicit search cannot finish still leaves BMC time to decide it.
 */
export const EXPLICIT_SHARE = 0.5;

/**
 * An engine's time-outs are the model's: the user's limit, and the phase
 * (engine) it ran out in; after an interrupt they are the interrupt.
 */
function asModelLimit(r: EngineResult, phase: 'explicit' | 'bmc', budget: Budget): EngineResult {
  const limit = (l: Limit): Limit => {
    if (l.kind !== 'timeout') return l;
    if (budget.signal?.aborted) return { kind: 'interrupted', signal: String(budget.signal.reason ?? 'SIGINT'), phase };
    return { kind: 'timeout', ms: budget.limitMs, phase };
  };
  return { ...r, results: r.results.map((x) => (x.status === 'inconclusive' ? { ...x, limit: limit(x.limit) } : x)) };
}

function allStopped(engine: 'explicit' | 'bmc', ts: TransitionSystem, stop: BudgetStop): EngineResult {
  return { engine, results: ts.properties.map(() => ({ status: 'inconclusive', limit: stop })), stats: { ms: 0 } };
}

/**
 * The engines, in one shared budget: each gets what the phases before it
 * left, never the whole limit again.
 */
async function runEngines(ts: TransitionSystem, options: CheckOptions, budget: Budget): Promise<EngineResult[]> {
  const explicit = async (share: number): Promise<EngineResult> => {
    const timeoutMs = Math.max(1, remainingMs(budget) * share);
    const e = await exploreExplicit(ts, { timeoutMs, budget, maxMemoryMb: options.maxMemoryMb, maxStates: options.maxStates, reduction: 'por' });
    return asModelLimit(await shortestExplicit(ts, e, options, budget), 'explicit', budget);
  };
  const bmc = async (sys: TransitionSystem): Promise<EngineResult> => {
    if (options.bound !== undefined) checkBound(options.bound);
    const stop = budgetStop(budget, 'bmc');
    if (stop) return allStopped('bmc', sys, stop);
    // The child is killed at the model's deadline, not a full limit later.
    const timeoutMs = Math.max(1, Math.floor(remainingMs(budget)));
    const r = await bmcWithDeadline(sys, { bound: options.bound, timeoutMs, rlimit: options.z3Rlimit, mode: 'prove', minimise: options.minimise }, budget.signal);
    return asModelLimit(r, 'bmc', budget);
  };
  switch (options.engine) {
    case 'explicit':
      return [await explicit(1)];
    case 'bmc':
      return [await bmc(ts)];
    case 'both': {
      const e = await explicit(EXPLICIT_SHARE);
      return [e, await bmc(ts)];
    }
    case 'auto': {
      // The explicit engine with the lock-aware reduction decides loop-free
      // models fastest (bench/); Z3 takes over what it could not decide.
      const e = await explicit(EXPLICIT_SHARE);
      if (e.results.every((r) => r.status !== 'inconclusive')) return [e];
      // Time already up (or interrupted) in the explicit search: its limits stand.
      if (budgetStop(budget, 'bmc')) return [e];
      const undecided = ts.properties.map((_, i) => i).filter((i) => e.results[i].status === 'inconclusive');
      const sub: TransitionSystem = { ...ts, properties: undecided.map((i) => ts.properties[i]) };
      const b = await bmc(sub);
      // Properties the explicit engine decided are not BMC's to report.
      const notAsked: PropertyResult = { status: 'inconclusive', limit: { kind: 'solver-failure', detail: 'not asked' } };
      const results: PropertyResult[] = ts.properties.map(() => notAsked);
      undecided.forEach((i, k) => (results[i] = b.results[k]));
      return [e, { engine: 'bmc', results, stats: b.stats }];
    }
  }
}

/**
 * The reduced search finds a violation but not necessarily the shortest
 * one; re-search each violated property alone without reduction for the
 * shortest schedule when that search is cheap enough (5 s at most, and
 * never past the model's budget: a re-search cut short keeps the schedule
 * already found).
 */
async function shortestExplicit(ts: TransitionSystem, e: EngineResult, options: CheckOptions, budget: Budget): Promise<EngineResult> {
  if (!options.minimise) return e;
  const results: PropertyResult[] = [];
  for (const [i, r] of e.results.entries()) {
    if (r.status !== 'violated' || budgetStop(budget, 'minimise')) {
      results.push(r);
      continue;
    }
    const one: TransitionSystem = { ...ts, properties: [ts.properties[i]] };
    const timeoutMs = Math.max(1, Math.min(5000, remainingMs(budget)));
    const full = await exploreExplicit(one, { timeoutMs, budget, maxMemoryMb: options.maxMemoryMb, maxStates: options.maxStates, reduction: 'none', stopAtFirst: true });
    const fr = full.results[0];
    results.push(fr.status === 'violated' && fr.schedule.length <= r.schedule.length ? fr : r);
  }
  return { ...e, results };
}
