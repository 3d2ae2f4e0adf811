/**
 * Pass `decide`, as `check` runs it: the engines (checker/engines/explicit,
 * checker/engines/bmc) in one shared budget, each getting what the phases
 * before it left; two engines that contradict each other are a bug
 * (LMC902); per property, the decisive result. `replay` replaces this pass
 * with the schedule from its token (schedule-from-token.ts).
 */

import { budgetStop, remainingMs, type Budget, type BudgetStop } from '../../model/budget.js';
import { exploreExplicit } from '../engines/explicit/index.js';
import { BoundError } from '../engines/bmc/index.js';
import { checkBound } from '../engines/bmc/run-bmc.js';
import { runBmcIsolated } from '../engines/bmc/isolated.js';
import type { EngineResult, PropertyResult } from '../engines/types.js';
import type { TransitionSystem } from '../semantics/system.js';
import type { CheckOptions } from '../options.js';
import type { EngineName, Limit } from '../report.js';
import { InternalError } from '../internal-error.js';
import type { BackPass, Decision, DecideOutput, PassEnv, PassResult, Products } from './types.js';

type Needs = 'select-rules' | 'compile';

export const decidePass: BackPass<'decide', Needs> = {
  name: 'decide',
  run: decide,
  dump: (out) => out,
};

async function decide(env: PassEnv, p: Pick<Products, Needs>): Promise<PassResult<DecideOutput>> {
  const { ts } = p.compile;
  let runs: EngineResult[];
  try {
    runs = await runEngines(ts, env.options, env.budget);
  } catch (e) {
    if (!(e instanceof BoundError)) throw e;
    const hint = 'give --bound a positive integer (steps), or leave it out to use the completeness bound';
    return { kind: 'stopped', diagnostics: [{ code: 'LMC401', severity: 'error', message: e.message, hint }], verdicts: p['select-rules'].skipped };
  }
  if (runs.length === 2) checkAgreement(ts, runs, env.file);
  return { kind: 'ok', output: { kind: 'engines', runs, decisions: ts.properties.map((_, i) => decision(runs, i, env.options, ts.completenessBound)) } };
}

/** Engines that contradict each other are a bug in one of them. */
function checkAgreement(ts: TransitionSystem, [a, b]: EngineResult[], file: string): void {
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

/** Property `i`'s decisive result: the first engine that decided it. */
function decision(runs: EngineResult[], i: number, options: CheckOptions, completeness: number): Decision {
  const results = runs.map((r) => ({ engine: r.engine as EngineName, r: r.results[i] }));
  // `both`: agreement is the point; a property one engine could not
  // decide was never compared, whatever the other found.
  const unchecked = options.engine === 'both' ? results.find((x) => x.r.status === 'inconclusive') : undefined;
  if (unchecked && unchecked.r.status === 'inconclusive') return { status: 'inconclusive', engine: unchecked.engine, limit: unchecked.r.limit };
  const decided = results.find((x) => x.r.status === 'violated') ?? results.find((x) => x.r.status === 'holds' && x.r.exhaustive) ?? results[results.length - 1];
  const { engine, r } = decided;
  if (r.status === 'violated') return { status: 'violated', engine, schedule: r.schedule };
  if (r.status === 'holds') return r.exhaustive ? { status: 'proved', engine } : { status: 'holds-up-to', engine, bound: r.bound ?? completeness };
  return { status: 'inconclusive', engine, limit: r.limit };
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
    const r = await bmcWithDeadline(sys, { bound: options.bound, timeoutMs, rlimit: options.z3Rlimit, mode: 'prove', minimise: options.minimise, ...(options.z3 ? { z3: options.z3 } : {}) }, budget.signal);
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
