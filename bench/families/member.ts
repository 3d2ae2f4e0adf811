/**
 * The family list and members by name, without the rule set: what a
 * bench process that only explores a family member needs to load.
 */

import type { DriverModel } from '../../model/ir.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import type { Property, TransitionSystem } from '../../checker/semantics/system.js';
import { ordered, ring } from './locks.js';
import { reclaimBug, reclaimFix } from './reclaim.js';
import { wwBackoff } from './ww.js';

export interface Family {
  name: 'ring' | 'ordered' | 'reclaim-bug' | 'reclaim-fix' | 'ww';
  /** Member N; `m` is the second size of two-parameter families (ww: buffers per thread). */
  build: (n: number, m?: number) => DriverModel;
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
  { name: 'ww', build: (n, m = 3) => wwBackoff(n, m), deadlocks: false, minN: 1 },
];

/**
 * A family member by name: `ring-6`, `reclaim-fix-3`, `ww-3x2` (N threads
 * × M buffers; plain `ww-3` has 3 buffers).
 */
export function parseMember(spec: string): { family: Family; n: number; m?: number } {
  const match = /^(.*)-(\d+)(?:x(\d+))?$/.exec(spec);
  const family = match ? FAMILIES.find((f) => f.name === match[1]) : undefined;
  if (!match || !family) throw new Error(`unknown family member ${spec}; known families: ${FAMILIES.map((x) => x.name).join(', ')} (e.g. ring-6, ww-3x2)`);
  return { family, n: Number(match[2]), ...(match[3] ? { m: Number(match[3]) } : {}) };
}

/** The model of a family member named as parseMember reads it. */
export function memberModel(spec: string): DriverModel {
  const { family, n, m } = parseMember(spec);
  return family.build(n, m);
}

/** A family member (parseMember's names) compiled like familySystem: deadlock property only unless told. */
export function memberSystem(spec: string, properties: Property[] = [{ kind: 'deadlock', rule: 'deadlock', check: 'deadlock' }]): TransitionSystem {
  return compileSystem(memberModel(spec), DEFAULT_SEMANTIC_OPTIONS, () => properties);
}
