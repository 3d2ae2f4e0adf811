/**
 * The lock-graph engine: lockdep's view of a model (classes, primed edges,
 * strong cycles, recursion), plus resolution of rule lock patterns that
 * depend on the whole graph ("any class at or below
 * reservation_ww_class_acquire", "any lock held across a fence wait").
 */

import type { DriverModel, Outcome, SourceMap } from '../../../model/ir.js';
import type { Budget } from '../../../model/budget.js';
import { opMatchesStep } from '../../semantics/patterns.js';
import type { LockPattern, StepPattern, Context } from '../../../rules/types.js';
import { buildGraph, type BuiltGraph, type VisitedOp } from './build.js';
import { effectiveReclaim, lockClassOf } from './acquisitions.js';
import type { LockGraph } from './types.js';

export type { LockGraph, Cycle, GraphEdge, Recursion, EdgeRecording } from './types.js';

const SLEEPING_KINDS = new Set(['mutex', 'rwsem', 'ww_mutex', 'dma_resv', 'mm', 'address_space']);

export interface LockGraphOptions {
  kernel: string;
  mmuNotifier?: boolean;
  sourceMap?: SourceMap;
  /** Orders declared in user rule files, recorded like primed edges. */
  declaredOrders?: { before: string; after: string; source: string }[];
  /** The model's wall-clock budget (see build.ts). */
  budget?: Budget;
  /** Judge wait types as CONFIG_PREEMPT_RT does. */
  preemptRt?: boolean;
}

export interface LockGraphResult extends LockGraph {
  built: BuiltGraph;
}

export function buildLockGraph(model: DriverModel, opts: LockGraphOptions): LockGraphResult {
  const built = buildGraph(model, opts);
  const classKind = new Map<string, string>();
  for (const inst of model.instances) if (inst.lockClass) classKind.set(lockClassOf(model, inst.id), inst.kind);

  const reach = (start: string, forward: boolean): Set<string> => {
    const adj = new Map<string, string[]>();
    for (const e of built.edges) {
      const [a, b] = forward ? [e.from, e.to] : [e.to, e.from];
      let l = adj.get(a);
      if (!l) adj.set(a, (l = []));
      l.push(b);
    }
    const seen = new Set<string>([start]);
    const stack = [start];
    while (stack.length) {
      const c = stack.pop()!;
      for (const n of adj.get(c) ?? []) if (!seen.has(n)) (seen.add(n), stack.push(n));
    }
    return seen;
  };
  const below = new Map<string, Set<string>>();
  const above = new Map<string, Set<string>>();
  const classesAtOrBelow = (name: string) => below.get(name) ?? below.set(name, reach(name, true)).get(name)!;
  const classesAtOrAbove = (name: string) => above.get(name) ?? above.set(name, reach(name, false)).get(name)!;

  const classesTakenIn = (context: Context, blocking = false): Set<string> => {
    const taken = blocking ? built.takenInBlocking : built.takenIn;
    if (context === 'reclaim') {
      return new Set([...(taken.get('shrinker') ?? []), ...(taken.get('mmu-notifier') ?? []), ...(taken.get('reclaim') ?? [])]);
    }
    return new Set(taken.get(context) ?? []);
  };

  const patternMatchesClass = (p: LockPattern, cls: string): boolean => {
    switch (p.kind) {
      case 'class':
        return cls === p.name || cls.split('/')[0] === p.name;
      case 'lock-kind':
        return classKind.get(cls) === p.is;
      case 'ww-class':
        return cls === `${p.name}_mutex`;
      case 'ww-acquire':
        return cls === `${p.name}_acquire`;
      case 'pseudo':
        return cls === p.name;
      case 'at-or-below':
        return classesAtOrBelow(p.name).has(cls);
      case 'at-or-above':
        return classesAtOrAbove(p.name).has(cls);
      case 'held-across':
        return classesHeldAcross(p.step).has(cls);
      case 'taken-in':
        return classesTakenIn(p.context, p.blocking).has(cls);
      case 'operand':
        return false;
      case 'any-lock':
        return true;
      case 'sleeping-lock':
        return SLEEPING_KINDS.has(classKind.get(cls) ?? '');
      case 'not':
        return !patternMatchesClass(p.of, cls);
      case 'any-of':
        return p.of.some((q) => patternMatchesClass(q, cls));
      case 'all-of':
        return p.of.every((q) => patternMatchesClass(q, cls));
    }
  };

  const heldAcross = new Map<string, Set<string>>();
  const classesHeldAcross = (step: StepPattern): Set<string> => {
    const key = JSON.stringify(step);
    const cached = heldAcross.get(key);
    if (cached) return cached;
    const out = new Set<string>();
    for (const v of built.visited) {
      // Under pagefault_disable() a user copy cannot fault (the _inatomic
      // copies return short instead): nothing is held across a fault there.
      if (v.op.kind === 'user_access' && v.flags.pagefaultDisabled > 0) continue;
      const r = v.op.kind === 'alloc' ? effectiveReclaim(v.op.gfp, v.flags) : undefined;
      const eff = v.op.kind === 'alloc' && r ? { ...v.op.gfp, directReclaim: r.direct, fs: r.fs } : undefined;
      if (opMatchesStep(v.op, (v.outcome ?? 'ok') as Outcome, step, model, graph, eff)) for (const c of v.held) out.add(c);
    }
    heldAcross.set(key, out);
    return out;
  };

  const graph: LockGraphResult = {
    classes: built.classes,
    edges: built.edges,
    cycles: built.cycles,
    recursions: built.recursions,
    classesAtOrBelow,
    classesAtOrAbove,
    classesHeldAcross,
    classesTakenIn,
    patternMatchesClass,
    built,
  };
  return graph;
}
