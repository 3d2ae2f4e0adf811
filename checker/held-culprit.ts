/**
 * The one held lock a finding's message names (`{{held}}`): of what the
 * thread holds when it violates, the lock the rule's condition is about,
 * not the whole held set. "kmalloc(GFP_KERNEL) ... while notifier_lock is
 * held" says which lock to move; "while mm (&mm->mmap_lock), ctx
 * (reservation_ww_class_acquire), notifier_lock (notifier_lock) is held"
 * makes the reader find it.
 *
 * The held set arrives as the trace's texts (trace.ts: `name (class)` for
 * a lock, `name (<ww_class>_acquire)` for a context, the pseudo-lock's
 * name); they are mapped back to what the rule patterns match.
 */

import type { DriverModel, InstanceId } from '../model/ir.js';
import type { LockPattern, Pred, Rule } from '../rules/types.js';
import type { LockGraph } from './engines/lockgraph/types.js';
import { type Holdable, PSEUDO_LOCKS, holdableMatches, instanceWwClass, isLockable } from './semantics/patterns.js';

/** The trace's text of each holdable of the model, and back. */
function holdablesByText(model: DriverModel): Map<string, Holdable> {
  const out = new Map<string, Holdable>();
  for (const inst of model.instances) {
    if (inst.kind === 'ww_ctx') {
      out.set(`${inst.name} (${inst.wwClass ?? 'reservation_ww_class'}_acquire)`, { kind: 'ctx', id: inst.id });
    } else if (isLockable(model, inst.id)) {
      out.set(`${inst.name} (${inst.lockClass ?? inst.name})`, { kind: 'instance', id: inst.id });
    }
  }
  for (const p of PSEUDO_LOCKS) out.set(p, { kind: 'pseudo', name: p });
  return out;
}

/** The lock patterns of the check's condition that a violation must hold itself (under no `not`). */
function heldPatterns(pred: Pred | undefined): LockPattern[] {
  if (!pred) return [];
  switch (pred.kind) {
    case 'holds':
      return pred.who === undefined || pred.who === 'self' || pred.who === 'any' ? [pred.lock] : [];
    case 'and':
    case 'or':
      return pred.of.flatMap(heldPatterns);
    default:
      return [];
  }
}

function conditionOf(rule: Rule, checkId: string): Pred | undefined {
  const c = rule.checks.find((x) => x.id === checkId);
  if (!c) return undefined;
  if (c.kind === 'step') return c.when;
  if (c.kind === 'state' || c.kind === 'terminal') return c.bad;
  return undefined;
}

function wantsContextLocks(pred: Pred | undefined): boolean {
  if (!pred) return false;
  if (pred.kind === 'ww-ctx') return pred.state === 'holds-locks';
  if (pred.kind === 'and' || pred.kind === 'or') return pred.of.some(wantsContextLocks);
  return false;
}

/**
 * What `{{held}}` says for a violation of `rule`/`checkId` by a thread
 * holding `held` (trace texts, acquisition order): the innermost held lock
 * the condition's `holds` patterns match; for a ww context that still
 * holds locks, the ww locks it holds; undefined when the condition names
 * no held lock (the caller keeps the whole set).
 */
export function heldCulprit(
  rule: Rule,
  checkId: string,
  model: DriverModel,
  held: string[],
  graph?: LockGraph,
  operand?: InstanceId,
): string | undefined {
  const pred = conditionOf(rule, checkId);
  const byText = holdablesByText(model);
  const patterns = heldPatterns(pred);
  for (let i = held.length - 1; i >= 0 && patterns.length > 0; i--) {
    const h = byText.get(held[i]);
    if (!h) continue;
    try {
      if (patterns.some((p) => holdableMatches(h, p, model, graph, operand))) return held[i];
    } catch {
      // A graph pattern without the graph: this lock cannot be told apart; try the next.
    }
  }
  if (wantsContextLocks(pred)) {
    const ww = held.filter((t) => {
      const h = byText.get(t);
      return h?.kind === 'instance' && instanceWwClass(model, h.id) !== undefined && model.instances[h.id].kind !== 'ww_ctx';
    });
    if (ww.length > 0) return ww.join(', ');
  }
  return undefined;
}
