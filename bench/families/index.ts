/**
 * The parametric benchmark families of performance.md, as DriverModel IR
 * builders shared by every engine's benchmark.
 */

import type { DriverModel } from '../../model/ir.js';
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
