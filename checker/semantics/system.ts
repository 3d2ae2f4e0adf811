/**
 * The transition system: the one semantics every engine reads.
 *
 * `compileSystem` (compile.ts) lowers a DriverModel plus the selected rules
 * into guarded commands over a fixed vector of small unsigned integer
 * variables. The explicit engine evaluates guards and updates concretely
 * (eval.ts); the BMC engine translates the very same expressions to Z3
 * bit-vectors; replay re-runs a schedule through eval.ts. Because there is
 * one definition, the engines can only disagree through an evaluator or
 * encoder bug, and replay catches those.
 *
 * Everything is plain data: a system can be dumped as JSON
 * (`lockmc dump system <model>`) and diffed.
 */

import type { NodeId, Outcome, ProcId } from '../../model/ir.js';

export type VarId = number;

/** Integer-valued expressions. All values are unsigned and < 2^width. */
export type IntExpr =
  | { k: 'const'; v: number }
  | { k: 'var'; v: VarId }
  | { k: 'add'; a: IntExpr; b: IntExpr }
  | { k: 'sub'; a: IntExpr; b: IntExpr } // callers guarantee a >= b
  | { k: 'bitor'; a: IntExpr; b: IntExpr }
  | { k: 'bitand'; a: IntExpr; b: IntExpr }
  /** a & ~b */
  | { k: 'bitclear'; a: IntExpr; b: IntExpr }
  | { k: 'ite'; c: BoolExpr; t: IntExpr; e: IntExpr };

export type BoolExpr =
  | { k: 'true' }
  | { k: 'false' }
  | { k: 'eq'; a: IntExpr; b: IntExpr }
  | { k: 'ne'; a: IntExpr; b: IntExpr }
  | { k: 'lt'; a: IntExpr; b: IntExpr }
  | { k: 'le'; a: IntExpr; b: IntExpr }
  /** Bit `bit` of `a` is set. */
  | { k: 'bit'; a: IntExpr; bit: number }
  | { k: 'and'; args: BoolExpr[] }
  | { k: 'or'; args: BoolExpr[] }
  | { k: 'not'; a: BoolExpr };

export interface StateVar {
  id: VarId;
  /** Stable, readable: `pc.T0`, `owner.notifier_lock`, `fence.job`, `mon.pin-requires-dynamic.a`. */
  name: string;
  /** Bits needed for the largest value this variable can hold. */
  width: number;
  /** Largest value the variable can take (<= 2^width - 1). */
  max: number;
  init: number;
  /** What the variable means, for trace rendering and POR footprints. */
  role: VarRole;
}

export type VarRole =
  | { kind: 'pc'; thread: number }
  | { kind: 'lock-owner'; instance: number } // 0 = free, t+1 = held exclusively by thread t
  | { kind: 'lock-readers'; instance: number } // bitmask of reader threads
  | { kind: 'ww-ctx'; instance: number } // 0 = not live, else 1 + stamp
  | { kind: 'ww-stamp-counter' }
  | { kind: 'fence'; instance: number } // 0 init, 1 published, 2 signalled
  | { kind: 'thread-flags'; thread: number } // irqs-off, pagefault-disabled, memalloc scopes, in-signalling depth...
  | { kind: 'signalling-depth'; thread: number }
  | { kind: 'attachment'; instance: number }
  | { kind: 'buffer'; instance: number }
  | { kind: 'rxq'; instance: number }
  | { kind: 'work'; instance: number }
  | { kind: 'callback-registered'; fence: number; proc: ProcId }
  | { kind: 'ww-holder'; instance: number } // ctx value (1 + stamp) of the ww ctx holding the lock, 0 without one
  | { kind: 'ww-ctx-done'; instance: number; thread: number } // ww_acquire_done ran on this ctx
  | { kind: 'memalloc-cookie'; instance: number; thread: number } // flag state saved by memalloc_*_save
  | { kind: 'notifier-seq'; instance: number } // bitmask of threads whose interval read is stale
  | { kind: 'resv-published'; instance: number } // bit i: fence i of the resv's publication list was published into it
  | { kind: 'irqsave-depth'; thread: number } // irqsave nesting, saturating
  | { kind: 'irq-host'; irq: number } // 0 = idle, h+1 = the irq thread runs on thread h
  | { kind: 'irq-fires'; irq: number } // times the irq thread fired
  | { kind: 'kswapd-runs' }
  | { kind: 'monitor'; rule: string; check: string; instance?: number }
  | { kind: 'userptr-pages'; instance: number } // PAGES_PRESENT 0, PAGES_PINNED 1, PAGES_RELEASED 2
  | { kind: 'bh-depth'; thread: number } // local_bh_disable / spin_lock_bh nesting, saturating (softirqs masked while > 0)
  | { kind: 'hw-engine'; instance: number } // HW_IDLE 0, HW_KICKED 1 (completion irq owed), HW_HUNG 2
  | { kind: 'rcu-queued'; irq: number } // 1 while a call_rcu'd callback waits to run on its softirq thread
  | { kind: 'sched-pushed'; instance: number } // 1 once the scheduler's job was pushed
  | { kind: 'sched-deps'; instance: number } // bit i: dependency i of the scheduler's job was added
  | { kind: 'rxq-buffer'; instance: number } // 0 = no buffer, k + 1 = bound to the k-th dma_buf (CompileContext.bufferIndex)
  | { kind: 'buffer-owner'; instance: number } // OWNER_NONE 0, OWNER_DEVMEM 1, OWNER_ZCRX 2: who holds the dma-buf's registration
  | { kind: 'phyr'; instance: number } // PHYR_UNMAPPED 0, PHYR_MAPPED 1
  /** Hand-built systems only (tests, benches): no reader looks a variable up by it. */
  | { kind: 'aux'; note: string }
  | { kind: 'ww-ctx-contending'; instance: number; thread: number }; // 0, else 1 + the lock that returned -EDEADLK (ctx->contending_lock)

/** Why a thread can be ignored by deadlock detection while it has not started. */
export type ThreadLiveness =
  /** Must finish: an unfinished blocked mandatory thread is a deadlock. */
  | 'mandatory'
  /** May never run (kswapd, an irq that signals nothing): ignored until started. */
  | 'optional';

export interface SystemThread {
  id: number;
  name: string;
  kind: 'thread' | 'work' | 'irq' | 'kswapd' | 'softirq';
  liveness: ThreadLiveness;
  /** True when this thread has finished (its pc is at an end node). */
  done: BoolExpr;
  /** True when this thread has not started (optional threads only). */
  notStarted: BoolExpr;
}

/**
 * Where a step came from, for traces: the model node it executes and the
 * chain of contexts it runs in (the thread's own code, then for instance a
 * shrinker entered through direct reclaim at an allocation node).
 */
export interface StepLabel {
  proc: ProcId;
  node: NodeId;
  /** Which outcome of an op node this transition takes. */
  outcome?: Outcome;
  /** `choice` node: index of the successor taken. */
  branch?: number;
  /**
   * Synthetic steps that have no node of their own: entering or leaving a
   * callback context, a thread start, an irq firing.
   */
  synthetic?:
    | 'enter-reclaim'
    | 'leave-reclaim'
    | 'enter-callback'
    | 'leave-callback'
    | 'irq-fire'
    | 'irq-return'
    | 'thread-start'
    | 'kswapd-run'
    /** An mmu-notifier event (munmap, migration) finished its callbacks: the mm frees the unpinned userptr pages. */
    | 'notifier-return'
    /** A kicked `hardware({ may_hang: true })` engine hangs: its completion irq will not fire. */
    | 'hw-hang';
  /**
   * Contexts the step runs in, outermost first: each names the callback
   * proc and the op node (in the enclosing proc) that entered it.
   */
  contexts: { proc: ProcId; kind: 'direct-reclaim' | 'kswapd' | 'irq' | 'fence-callback' | 'invalidate' | 'release' | 'work' | 'destructor' | 'fault' | 'mm-event' | 'softirq' | 'rpm'; enteredAt?: { proc: ProcId; node: NodeId } }[];
}

/** A location of an engine thread: its pc variable holds `pc`. */
export interface PcRef {
  pcVar: VarId;
  pc: number;
}

export interface Transition {
  id: number;
  thread: number;
  /**
   * The location the transition leaves: its guard starts with
   * `pcVar == pc`. Recorded so readers never reconstruct it from the
   * guard's shape.
   */
  from: PcRef;
  /** The location it enters: its updates set `pcVar := pc`. */
  to: PcRef;
  guard: BoolExpr;
  /** Simultaneous assignments. Variables not listed keep their value. */
  updates: { v: VarId; e: IntExpr }[];
  label: StepLabel;
  /** Variables the guard or updates read / the updates write (for POR). */
  reads: VarId[];
  writes: VarId[];
  /**
   * The transition changes or reads rule-monitor state or matches a step
   * check: the reduction must treat it as visible.
   */
  visible: boolean;
}

/** A property the engines check, already compiled from a rule check. */
export type Property =
  /** Violated when one of `transitions` fires from a state where `when` holds. */
  | { kind: 'step'; rule: string; check: string; transitions: number[]; when: BoolExpr }
  /** Violated in any reachable state where `bad` holds. */
  | { kind: 'state'; rule: string; check: string; bad: BoolExpr }
  /**
   * Violated in a terminal state (every mandatory thread is done or
   * blocked) where `bad` holds.
   */
  | { kind: 'terminal'; rule: string; check: string; bad: BoolExpr }
  /** Violated in a terminal state where some mandatory thread is unfinished. */
  | { kind: 'deadlock'; rule: string; check: string };

export interface TransitionSystem {
  /** Hash of model + rules + semantic options, so schedules can be checked. */
  hash: string;
  vars: StateVar[];
  threads: SystemThread[];
  transitions: Transition[];
  properties: Property[];
  /**
   * Longest possible run: the sum over threads of their longest path
   * (callbacks expanded). A bound >= this covers every path of a loop-free
   * model, which is what lets BMC say `proved`.
   */
  completenessBound: number;
  /** Options that changed the semantics (kernel version, kswapd runs ...). */
  semantics: SemanticOptions;
}

export interface SemanticOptions {
  /** `v6.12` etc.; default: the newest the rule set knows. */
  kernel: string;
  /** How many callback runs kswapd may make (each any registered callback). */
  kswapdRuns: number;
  /** How many times each irq handler may fire. */
  irqFires: number;
  /** Run registered callbacks from direct reclaim at reclaiming allocations. */
  directReclaim: boolean;
  /**
   * CONFIG_PREEMPT_RT: irq handlers are threaded (unless IRQF_NO_THREAD),
   * spin_lock_irqsave on a spinlock_t leaves irqs on. Absent: off.
   */
  preemptRt?: boolean;
}

/** A schedule: the transition ids taken, in order. */
export type Schedule = number[];
