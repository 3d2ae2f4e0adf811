/**
 * The explicit-state engine: breadth-first search over the transition
 * system of system.ts, with an optional lock- and fence-aware
 * partial-order reduction.
 *
 * - explore.ts: the passes, the search loop, limits.
 * - transition-table.ts: a pass's guards and updates as flat tables;
 *   firing a transition.
 * - property-checks.ts: a pass's properties and the checks run on every
 *   expanded state.
 * - store.ts: packed states in a typed-array arena, open-addressing table.
 * - compile-closures.ts: guards and updates as closures (cross-checked
 *   against semantics/eval.ts by the tests).
 * - structure.ts: pc graphs, transitions per pc, future footprints, lock
 *   semantics read off the expressions, the loop-freedom proof.
 * - profiles.ts: per-variable effect profiles (fences and other small
 *   shared variables that commute).
 * - por.ts: persistent sets.
 *
 * Engines return schedules, never traces: the pipeline replays them.
 */
export { exploreExplicit, exploreExplicitDetailed, type ExplicitOptions, type ExplicitDetail } from './explore.js';
