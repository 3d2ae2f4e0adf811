/**
 * The parametric benchmark families of performance.md, as DriverModel IR
 * builders shared by every engine's benchmark.
 */

import type { DriverModel } from '../../model/ir.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import type { Property, TransitionSystem } from '../../checker/semantics/system.js';
import { compileProperties } from '../../checker/semantics/properties.js';
import { buildLockGraph } from '../../checker/engines/lockgraph/index.js';
import { compareKernel, NEWEST_KERNEL } from '../../checker/options.js';
import { ALL_RULES, PRESETS } from '../../rules/index.js';
import { FAMILIES } from './member.js';

export { FAMILIES, memberModel, memberSystem, parseMember, type Family } from './member.js';
export { ordered, ring } from './locks.js';
export { reclaimBug, reclaimFix } from './reclaim.js';
export { wwBackoff } from './ww.js';
export { ModelBuilder } from './ir-builder.js';

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

/**
 * A family member with the properties of every rule of the `recommended`
 * preset (as `lockmc check` compiles them): what a real run explores,
 * visible transitions included.
 */
export function familySystemWithRules(family: string, n: number): TransitionSystem {
  const f = FAMILIES.find((x) => x.name === family);
  if (!f) throw new Error(`unknown family ${family}; known: ${FAMILIES.map((x) => x.name).join(', ')}`);
  const model = f.build(n);
  const kernel = NEWEST_KERNEL;
  const wanted = new Set(PRESETS.recommended.rules);
  const rules = ALL_RULES.filter((r) => {
    if (!wanted.has(r.meta.id)) return false;
    const k = r.meta.kernel;
    return !(k?.since && compareKernel(kernel, k.since) < 0) && !(k?.until && compareKernel(kernel, k.until) >= 0);
  });
  const graph = buildLockGraph(model, { kernel });
  return compileSystem(model, { ...DEFAULT_SEMANTIC_OPTIONS, kernel }, (ctx) => compileProperties(ctx, rules, graph, {}, kernel));
}

