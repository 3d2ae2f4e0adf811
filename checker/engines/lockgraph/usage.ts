/**
 * Lockdep's per-class irq usage states and wait types, over every path.
 *
 * Usage (kernel/locking/lockdep.c mark_usage, include/linux/lockdep_states.h):
 * each acquisition marks its class with, per irq kind (HARDIRQ, SOFTIRQ),
 * `IN-<irq>` when taken in that interrupt context and `<irq>-ON` when taken
 * with that interrupt enabled, each as a reader (`-R`) or writer (`-W`).
 * A trylock marks no IN state. Two conclusions follow without any
 * interleaving:
 *
 * - inconsistent lock state (mark_lock_irq / valid_state): one class both
 *   IN-X and X-ON, unless both marks are reads (exclusive_bit);
 * - X-safe -> X-unsafe lock order (check_irq_usage): a class used in X
 *   context orders before (reaches in the dependency graph) a class taken
 *   with X enabled. Here reads count on both sides: exclusive_mask() and
 *   find_exclusive_match() pair IN-X-R with X-ON-R too.
 *
 * Wait types (check_wait_context, include/linux/lockdep_types.h): a lock
 * whose outer wait type exceeds the innermost wait type held (or the
 * context's: hard irq LD_WAIT_SPIN, or LD_WAIT_CONFIG when the handler is
 * threaded; softirq LD_WAIT_CONFIG) is "BUG: Invalid wait context".
 */

import type { NodeId, ProcId } from '../../../model/ir.js';
import type { GraphEdge } from './types.js';

export type IrqKind = 'HARDIRQ' | 'SOFTIRQ';
export const IRQ_KINDS: readonly IrqKind[] = ['HARDIRQ', 'SOFTIRQ'];

/** One usage bit: `IN-HARDIRQ-W` is { irq: HARDIRQ, dir: 'IN', read: false }. */
export interface UsageBit {
  irq: IrqKind;
  /** IN: used in that interrupt context (irq-safe); ON: taken with it enabled (irq-unsafe). */
  dir: 'IN' | 'ON';
  read: boolean;
}

/** lockdep's spelling: `IN-HARDIRQ-W`, `HARDIRQ-ON-R`. */
export function usageName(b: UsageBit): string {
  const rw = b.read ? 'R' : 'W';
  return b.dir === 'IN' ? `IN-${b.irq}-${rw}` : `${b.irq}-ON-${rw}`;
}

/** Where a usage bit was first recorded (lockdep keeps the first trace per bit). */
export interface UsageSite {
  at: { proc: ProcId; node: NodeId };
  thread: string;
  api: string;
}

export interface UsageMark {
  bit: UsageBit;
  site: UsageSite;
}

/** "inconsistent {first} -> {second} usage" of one class. */
export interface UsageConflict {
  class: string;
  irq: IrqKind;
  /** The IN mark (irq-safe use). */
  safe: UsageMark;
  /** The ON mark (irq-unsafe use). */
  unsafe: UsageMark;
}

/** "<irq>-safe -> <irq>-unsafe lock order detected". */
export interface IrqInversion {
  irq: IrqKind;
  safeClass: string;
  unsafeClass: string;
  safe: UsageMark;
  unsafe: UsageMark;
  /** Dependency path from the safe class to the unsafe one (at least one edge). */
  path: GraphEdge[];
}

/** Whether two marks of one class conflict: IN against ON of the same irq, not both reads (exclusive_bit). */
function conflicts(a: UsageBit, b: UsageBit): boolean {
  return a.irq === b.irq && a.dir !== b.dir && !(a.read && b.read);
}

/** The usage marks of every class, first site per bit. */
export class UsageTable {
  private readonly marks = new Map<string, Map<string, UsageMark>>();

  mark(cls: string, bit: UsageBit, site: UsageSite): void {
    let m = this.marks.get(cls);
    if (!m) this.marks.set(cls, (m = new Map()));
    const k = usageName(bit);
    if (!m.has(k)) m.set(k, { bit, site });
  }

  /** Marks of a class, in lockdep's bit order (IN-W, IN-R, ON-W, ON-R per irq). */
  of(cls: string): UsageMark[] {
    const m = this.marks.get(cls);
    if (!m) return [];
    return [...m.values()].sort((a, b) => bitOrder(a.bit) - bitOrder(b.bit));
  }

  classes(): string[] {
    return [...this.marks.keys()].sort();
  }

  /** One conflict per class and irq kind: the writer marks first when there are several. */
  conflicts(): UsageConflict[] {
    const out: UsageConflict[] = [];
    for (const cls of this.classes()) {
      for (const irq of IRQ_KINDS) {
        const marks = this.of(cls).filter((m) => m.bit.irq === irq);
        const pair = firstPair(marks.filter((m) => m.bit.dir === 'IN'), marks.filter((m) => m.bit.dir === 'ON'));
        if (pair) out.push({ class: cls, irq, safe: pair[0], unsafe: pair[1] });
      }
    }
    return out;
  }

  /**
   * check_irq_usage over the final graph: for each irq-safe class, the
   * nearest class it reaches that is irq-unsafe in a conflicting way. A
   * class inconsistent on its own is left to `conflicts`.
   */
  inversions(edges: readonly GraphEdge[]): IrqInversion[] {
    const adj = new Map<string, GraphEdge[]>();
    for (const e of edges) {
      let l = adj.get(e.from);
      if (!l) adj.set(e.from, (l = []));
      l.push(e);
    }
    const out: IrqInversion[] = [];
    for (const irq of IRQ_KINDS) {
      for (const safeClass of this.classes()) {
        const safeMarks = this.of(safeClass).filter((m) => m.bit.irq === irq && m.bit.dir === 'IN');
        if (safeMarks.length === 0) continue;
        const found = nearestUnsafe(safeClass, adj, (cls) => anyPair(safeMarks, this.of(cls).filter((m) => m.bit.irq === irq && m.bit.dir === 'ON')));
        if (found) out.push({ irq, safeClass, unsafeClass: found.cls, safe: found.pair[0], unsafe: found.pair[1], path: found.path });
      }
    }
    return out;
  }
}

function bitOrder(b: UsageBit): number {
  return (b.irq === 'HARDIRQ' ? 0 : 4) + (b.dir === 'IN' ? 0 : 2) + (b.read ? 1 : 0);
}

/** The first (IN, ON) pair that conflicts, writer marks preferred (they come first in bit order). */
function firstPair(ins: UsageMark[], ons: UsageMark[]): [UsageMark, UsageMark] | undefined {
  for (const i of ins) for (const o of ons) if (conflicts(i.bit, o.bit)) return [i, o];
  return undefined;
}

/** The first (IN, ON) pair of two classes' marks: every such pair is exclusive across a dependency. */
function anyPair(ins: UsageMark[], ons: UsageMark[]): [UsageMark, UsageMark] | undefined {
  return ins.length > 0 && ons.length > 0 ? [ins[0], ons[0]] : undefined;
}

/** Breadth-first from `start` (excluded): the nearest class `match` accepts, with the path to it. */
function nearestUnsafe<T>(start: string, adj: Map<string, GraphEdge[]>, match: (cls: string) => T | undefined): { cls: string; pair: T; path: GraphEdge[] } | undefined {
  const prev = new Map<string, GraphEdge>();
  const seen = new Set([start]);
  let frontier = [start];
  while (frontier.length) {
    const next: string[] = [];
    for (const c of frontier) {
      for (const e of adj.get(c) ?? []) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        prev.set(e.to, e);
        const pair = match(e.to);
        if (pair) {
          const path: GraphEdge[] = [];
          for (let at = e.to; at !== start; at = prev.get(at)!.from) path.unshift(prev.get(at)!);
          return { cls: e.to, pair, path };
        }
        next.push(e.to);
      }
    }
    frontier = next.sort();
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Wait types.

/** include/linux/lockdep_types.h enum lockdep_wait_type; 0 (LD_WAIT_INV) is not checked. */
export const LD_WAIT_INV = 0;
export const LD_WAIT_FREE = 1;
export const LD_WAIT_SPIN = 2;
export const LD_WAIT_CONFIG = 3;
export const LD_WAIT_SLEEP = 4;
export const LD_WAIT_MAX = 5;

export const WAIT_NAMES: Record<number, string> = {
  [LD_WAIT_INV]: 'LD_WAIT_INV',
  [LD_WAIT_FREE]: 'LD_WAIT_FREE',
  [LD_WAIT_SPIN]: 'LD_WAIT_SPIN',
  [LD_WAIT_CONFIG]: 'LD_WAIT_CONFIG',
  [LD_WAIT_SLEEP]: 'LD_WAIT_SLEEP',
  [LD_WAIT_MAX]: 'LD_WAIT_MAX',
};

/** A class's wait types: `inner` what it allows inside, `outer` what it needs of its context (default: inner). */
export interface WaitType {
  inner: number;
  outer?: number;
}

/**
 * Without CONFIG_PROVE_RAW_LOCK_NESTING (which PREEMPT_RT implies)
 * LD_WAIT_CONFIG is LD_WAIT_SPIN: spinlock_t spins, so it may nest in a
 * raw_spinlock_t.
 */
export function effectiveWait(w: number, preemptRt: boolean): number {
  return w === LD_WAIT_CONFIG && !preemptRt ? LD_WAIT_SPIN : w;
}

export interface WaitViolation {
  /** The class whose acquisition is invalid, and its outer wait type. */
  class: string;
  outer: number;
  /** The innermost wait type allowed where it was taken, and what set it. */
  inner: number;
  limitedBy: { kind: 'context'; context: 'hardirq' | 'softirq' } | { kind: 'lock'; class: string; at?: { proc: ProcId; node: NodeId } };
  site: UsageSite;
  /** Held classes with their wait types, outermost first (lockdep's held-lock list). */
  held: { class: string; inner: number }[];
}
