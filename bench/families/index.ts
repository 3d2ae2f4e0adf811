/**
 * The parametric benchmark families of performance.md, as DriverModel IR
 * builders shared by every engine's benchmark.
 */

import type { DriverModel } from '../../model/ir.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import type { Property, TransitionSystem } from '../../checker/semantics/system.js';
import { ordered, ring } from './locks.js';
import { reclaimBug, reclaimFix } from './reclaim.js';

export { ordered, ring } from './locks.js';
export { reclaimBug, reclaimFix } from './reclaim.js';
export { ModelBuilder } from './ir-builder.js';

export interface Family {
  name: 'ring' | 'ordered' | 'reclaim-bug' | 'reclaim-fix';
  build: (n: number) => DriverModel;
  /** Whether every member has a reachable deadlock. */
  deadlocks: boolean;
  /** Smallest meaningful N. */
  minN: number;
}

export const FAMILIES: readonly Family[] = [
  { name: 'ring', build: ring, deadlocks: true, minN: 2 },
  { name: 'ordered', build: ordered, deadlocks: false, minN: 2 },
  { name: 'reclaim-bug', build: reclaimBug, deadlocks: true, minN: 1 },
  { name: 'reclaim-fix', build: reclaimFix, deadlocks: false, minN: 1 },
];

/**
 * A family member compiled with the default semantics and, unless told
 * otherwise, the deadlock property only (what the benchmarks compare).
 */
export function familySystem(
  family: string,
  n: number,
  properties: Property[] = [{ kind: 'deadlock', rule: 'deadlock', check: 'deadlock' }],
): TransitionSystem {
  const f = FAMILIES.find((x) => x.name === family);
  if (!f) throw new Error(`unknown family ${family}; known: ${FAMILIES.map((x) => x.name).join(', ')}`);
  return compileSystem(f.build(n), DEFAULT_SEMANTIC_OPTIONS, () => properties);
}
