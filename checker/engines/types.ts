/**
 * What every interleaving engine returns: one result per property of the
 * transition system, in the order of `TransitionSystem.properties`.
 * Engines never build traces themselves: they return schedules, and the
 * pipeline replays each one on the reference semantics before showing it.
 */

import type { Limit } from '../report.js';
import type { Schedule } from '../semantics/system.js';

export type PropertyResult =
  | { status: 'violated'; schedule: Schedule }
  /** `exhaustive`: every reachable state/path was covered (proof). Else up to `bound` steps. */
  | { status: 'holds'; exhaustive: boolean; bound?: number }
  | { status: 'inconclusive'; limit: Limit };

export interface EngineStats {
  ms: number;
  states?: number;
  transitionsFired?: number;
  bound?: number;
  encoding?: string;
  solverCalls?: number;
  /** Z3 engine: the most resources (Z3 `rlimit` count) any one query of the run used; sizes deterministic budgets. */
  rlimitMax?: number;
}

export interface EngineResult {
  engine: 'bmc' | 'explicit';
  results: PropertyResult[];
  stats: EngineStats;
}
