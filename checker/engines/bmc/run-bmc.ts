/**
 * `runBmc`: the Z3 bounded model checker over the shared transition
 * system. One result per property, in property order.
 */

import type { EngineResult, PropertyResult } from '../types.js';
import type { Limit } from '../../report.js';
import type { TransitionSystem } from '../../semantics/system.js';
import { Concrete } from './concrete.js';
import { encodingName, parseEncoding, propertyGoal, resolveEncoding } from './encode.js';
import { reachability } from './fixpoint.js';
import { findNativeZ3, nativeFixpoint } from './native.js';
import { fixpointText } from './smt2.js';
import { Search, type ConcreteCheck, type GoalResult } from './search.js';
import { freshContext, resetRlimitUsage, rlimitUsage, withSolver } from './solver.js';

/** An unusable bound; the pipeline maps it to exit 6 (LMC401). */
export class BoundError extends Error {
  readonly code = 'LMC401';
  constructor(readonly bound: unknown) {
    super(`bound must be a positive integer, got ${String(bound)}`);
    this.name = 'BoundError';
  }
}

/** Which Z3 build answers the fixed-point pass. */
export type Z3Build = 'wasm' | 'native';

export interface BmcOptions {
  /** Steps; default: the system's completeness bound. */
  bound?: number;
  /** Wall-clock budget for the whole run, ms. */
  timeoutMs: number;
  /**
   * Z3's resource limit for each query (solver check or fixed-point
   * saturation): a step count, so the same model gets the same verdict on
   * any machine. Hitting it is `inconclusive` (`z3-unknown`, "resource
   * limit N reached"). Absent: no limit but the time-out.
   */
  rlimit?: number;
  /** prove: fixed-point proofs, then the unrolled search; shortest: incremental deepening. */
  mode: 'prove' | 'shortest';
  /** Shortest, then fewest preemptions, then canonical order. Default true. */
  minimise?: boolean;
  /** See `parseEncoding`; default: DEFAULT_SELECTOR, strategy by mode, DEFAULT_POR. */
  encoding?: string;
  /**
   * Which Z3 answers the fixed-point pass: the bundled WASM build
   * (default, always there) or a native `z3` on PATH (native.ts). The
   * unrolled search always runs on WASM.
   */
  z3?: Z3Build;
  /** Encoding-only fault, to prove that replay catches encoder bugs. */
  injectBug?: { transition: number; kind: 'negate-guard' };
}

export function checkBound(bound: unknown): void {
  if (typeof bound !== 'number' || !Number.isInteger(bound) || bound < 1) throw new BoundError(bound);
}

/** Per-query time-outs are reported as the run's budget, which is what the user set. */
export function budgetLimit(limit: Limit, timeoutMs: number): Limit {
  return limit.kind === 'timeout' ? { kind: 'timeout', ms: timeoutMs } : limit;
}

export function toPropertyResult(r: GoalResult, completenessBound: number, timeoutMs: number): PropertyResult {
  switch (r.status) {
    case 'violated':
      return { status: 'violated', schedule: r.schedule };
    case 'holds':
      return r.bound >= completenessBound ? { status: 'holds', exhaustive: true } : { status: 'holds', exhaustive: false, bound: r.bound };
    case 'inconclusive':
      return { status: 'inconclusive', limit: budgetLimit(r.limit, timeoutMs) };
  }
}

/**
 * Share of the budget the fixed-point pass may use. Its time-out leaves
 * the rest to the unrolled portfolio on every goal, which still finds the
 * shallow violations of a model too large to saturate.
 */
export const FIXPOINT_SHARE = 0.6;

/**
 * The fixed-point pass (fixpoint.ts): per property, whether any run of
 * any length reaches it. A limit or a failure of the pass is not the
 * run's verdict: the unrolled search then decides every goal as it would
 * without it (undefined).
 */
async function fixpointPass(ts: TransitionSystem, opts: BmcOptions, deadline: number): Promise<boolean[] | undefined> {
  const goals = ts.properties.map((_, i) => i);
  const timeoutMs = (deadline - Date.now()) * FIXPOINT_SHARE;
  if (opts.z3 === 'native' && goals.length > 0) return nativeFixpointPass(ts, opts, goals, timeoutMs);
  const out = await withSolver(
    async () => reachability(await freshContext(), ts, { goals, timeoutMs, rlimit: opts.rlimit, negateGuardOf: opts.injectBug?.transition }),
    { retry: false },
  );
  return out.kind === 'done' && out.value.kind === 'answered' ? out.value.reachable : undefined;
}

/** The fixed-point pass in the native binary; its absence or failure leaves every goal to the search, as on WASM. */
async function nativeFixpointPass(ts: TransitionSystem, opts: BmcOptions, goals: number[], timeoutMs: number): Promise<boolean[] | undefined> {
  const binary = findNativeZ3();
  if (!binary) return undefined;
  const start = Date.now();
  try {
    const text = await fixpointText(ts, goals, opts.injectBug?.transition);
    const r = await nativeFixpoint(binary, text, goals.length, { timeoutMs: Math.max(1, timeoutMs - (Date.now() - start)), rlimit: opts.rlimit });
    return r.kind === 'answered' ? r.reachable : undefined;
  } catch {
    return undefined;
  }
}

export async function runBmc(ts: TransitionSystem, opts: BmcOptions): Promise<EngineResult> {
  const start = Date.now();
  if (opts.bound !== undefined) checkBound(opts.bound);
  const bound = opts.bound ?? ts.completenessBound;
  const cfg = resolveEncoding(parseEncoding(opts.encoding), opts.mode);
  // Runs of one process are sequential (the worker serves one job at a
  // time), so the process-wide tally is this run's.
  resetRlimitUsage();
  const deadline = start + opts.timeoutMs;
  const reachable = cfg.strategy === 'fixpoint' ? await fixpointPass(ts, opts, deadline) : undefined;
  // What the fixed-point pass proved unreachable is settled; the search runs on the rest.
  const open = ts.properties.map((_, i) => i).filter((i) => reachable?.[i] !== false);
  const search = { ...cfg, strategy: cfg.strategy === 'fixpoint' ? ('portfolio' as const) : cfg.strategy };
  const goals = open.map((i) => propertyGoal(ts.properties[i]));
  const cx = new Concrete(ts);
  const checks: ConcreteCheck[] = open.map((i) => (s, st) => cx.violatesAtEnd(ts.properties[i], s, st));
  let calls = 0;
  const outcome =
    goals.length === 0
      ? ({ kind: 'done', value: [] } as const)
      : await withSolver(async (ctx) => {
          const s = new Search(ctx, ts, {
            bound,
            deadline,
            cfg: search,
            minimise: opts.minimise ?? true,
            negateGuardOf: opts.injectBug?.transition,
            rlimit: opts.rlimit,
          });
          try {
            return await s.run(goals, checks);
          } finally {
            calls += s.calls;
          }
        });
  const results: PropertyResult[] = ts.properties.map(() => ({ status: 'holds', exhaustive: true }));
  open.forEach((pi, j) => {
    if (outcome.kind !== 'done') {
      results[pi] = { status: 'inconclusive', limit: outcome.limit };
      return;
    }
    const r = toPropertyResult(outcome.value[j], ts.completenessBound, opts.timeoutMs);
    // Reachable by the fixed point yet absent from a complete unrolling:
    // one of the two encodings is wrong, and neither verdict is shown.
    if (reachable?.[pi] && r.status === 'holds' && r.exhaustive) {
      results[pi] = {
        status: 'inconclusive',
        limit: { kind: 'solver-failure', detail: `the fixed-point pass reaches ${ts.properties[pi].rule}/${ts.properties[pi].check} but no run within the completeness bound does` },
      };
      return;
    }
    results[pi] = r;
  });
  return {
    engine: 'bmc',
    results,
    stats: { ms: Date.now() - start, bound, encoding: encodingName(cfg), solverCalls: calls + (reachable ? 1 : 0), rlimitMax: rlimitUsage().max },
  };
}
