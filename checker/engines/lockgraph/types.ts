/**
 * The class-level lock graph, lockdep semantics. Built from every path of
 * every thread and every callback in the contexts that run it (shrinkers
 * under fs_reclaim, notifiers under the notifier map, fence waits as
 * exclusive acquisitions of dma_fence_map ...), plus the primed edges.
 */

import type { ChainEdge } from '../../report.js';
import type { LockPattern, StepPattern, Context } from '../../../rules/types.js';
import type { EdgeType } from '../../../rules/canonical-order.js';
import type { NodeId, ProcId } from '../../../model/ir.js';

export interface GraphEdge {
  from: string;
  to: string;
  type: EdgeType;
  /** First way this edge was recorded (lockdep keeps the first trace). */
  source: ChainEdge['source'];
  /** Model edges: the node that acquired `to` while `from` was held. */
  node?: { proc: ProcId; node: NodeId };
  /**
   * Model edges: every site that records the edge (the first is `node`),
   * each with the contexts it was recorded in, so a `lock-cycle` check's
   * `closedBy.context` can ask where (docs/open-requests.md #11).
   */
  recordings?: EdgeRecording[];
}

/** One site that records a model edge, and the contexts of that walk. */
export interface EdgeRecording {
  node: { proc: ProcId; node: NodeId };
  /**
   * The walk's contexts (`shrinker`, `reclaim`, `kswapd` in a shrinker,
   * `mmu-notifier`, `irq`, `fence-callback`, `final-put`, ...), plus
   * `signalling` inside a begin/end_signalling section or a fence callback.
   */
  contexts: Context[];
}

export interface Cycle {
  /** Lockdep report order: held ... new; the last edge closes the cycle. */
  edges: GraphEdge[];
  /** Classes on the cycle. */
  classes: string[];
}

export interface Recursion {
  class: string;
  /** First and second acquisition sites. */
  first: { proc: ProcId; node: NodeId };
  second: { proc: ProcId; node: NodeId };
  thread: string;
}

export interface LockGraph {
  classes: string[];
  edges: GraphEdge[];
  /** Strong cycles (LOCKDEP-3), deduplicated, shortest first. */
  cycles: Cycle[];
  recursions: Recursion[];
  /** Resolve rule lock patterns that depend on the whole graph to class sets. */
  classesAtOrBelow(name: string): Set<string>;
  classesAtOrAbove(name: string): Set<string>;
  classesHeldAcross(step: StepPattern): Set<string>;
  /** Classes some path acquires in `context`; with `blocking`, trylocks excluded. */
  classesTakenIn(context: Context, blocking?: boolean): Set<string>;
  /** Does `pattern` name class `cls` (static patterns only)? */
  patternMatchesClass(pattern: LockPattern, cls: string): boolean;
}
