/**
 * The lock orders built-in rules declare (`RuleMeta.order`), in the shape
 * of a rule file's `order` pairs, so the lock graph and the Z3 self-check
 * treat both alike.
 */

import type { Rule } from '../rules/types.js';
import type { OrderDecl } from './rule-files/types.js';

export function ruleOrders(rules: readonly Rule[]): OrderDecl[] {
  return rules.flatMap((r) => (r.meta.order ?? []).map(([before, after]) => ({ before, after, source: r.meta.id })));
}
