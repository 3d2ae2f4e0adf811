/**
 * `runBmc`: the Z3 bounded model checker over the shared transition
 * system. One result per property, in property order.
 */

import type { EngineResult, PropertyResult } from '../types.js';
import type { Limit } from '../../report.js';
import type { TransitionSystem } from '../../semantics/system.js';
import { Concrete } from './concrete.js';
import { encodingName, parseEncoding, propertyGoal, resolveEncoding } from './encode.js';
import { Search, type ConcreteCheck, type GoalResult } from './search.js';
import { withSolver } from './solver.js';

/** An unusable bound; the pipeline maps it to exit 6 (LMC401). */
export class BoundError extends Error {
  readonly code = 'LMC401';
  constructor(readonly bound: unknown) {
    super(`bound must be a positive integer, got ${String(bound)}`);
    this.name = 'BoundError';
  }
}

export interface BmcOptions {
  /** Steps; default: the system's completeness bound. */
  bound?: number;
  /** Wall-clock budget for the whole run, ms. */
  timeoutMs: number;
  /** prove: one query at the bound; shortest: incremental deepening. */
  mode: 'prove' | 'shortest';
  /** Shortest, then fewest preemptions, then canonical order. Default true. */
  minimise?: boolean;
  /** See `parseEncoding`; default: DEFAULT_SELECTOR, strategy by mode, DEFAULT_POR. */
  encoding?: string;
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

export async function runBmc(ts: TransitionSystem, opts: BmcOptions): Promise<EngineResult> {
  const start = Date.now();
  if (opts.bound !== undefined) checkBound(opts.bound);
  const bound = opts.bound ?? ts.completenessBound;
  const cfg = resolveEncoding(parseEncoding(opts.encoding), opts.mode);
  const goals = ts.properties.map(propertyGoal);
  const cx = new Concrete(ts);
  const checks: ConcreteCheck[] = ts.properties.map((p) => (s, st) => cx.violatesAtEnd(p, s, st));
  let calls = 0;
  const outcome = await withSolver(async (ctx) => {
    const search = new Search(ctx, ts, {
      bound,
      deadline: start + opts.timeoutMs,
      cfg,
      minimise: opts.minimise ?? true,
      negateGuardOf: opts.injectBug?.transition,
    });
    try {
      return await search.run(goals, checks);
    } finally {
      calls += search.calls;
    }
  });
  const results: PropertyResult[] =
    outcome.kind === 'done'
      ? outcome.value.map((r) => toPropertyResult(r, ts.completenessBound, opts.timeoutMs))
      : ts.properties.map(() => ({ status: 'inconclusive', limit: outcome.limit }));
  return {
    engine: 'bmc',
    results,
    stats: { ms: Date.now() - start, bound, encoding: encodingName(cfg), solverCalls: calls },
  };
}
