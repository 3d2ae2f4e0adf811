/**
 * compileSystem: DriverModel + SemanticOptions -> TransitionSystem.
 *
 * This file is the reference semantics of lockmc. Every engine reads its
 * output and replay re-runs schedules on it, so each modelling decision is
 * written down next to the code that makes it, with the kernel reason.
 *
 * Engine threads, in id order (ids double as lock-owner ids: owner = id+1):
 *   1. the model's threads (`Thread.kind === 'thread'`), mandatory;
 *   2. one per `work` instance: it waits at a `pending` location until a
 *      queue_work has run, then runs the handler once. It counts as
 *      started once queued (notStarted = never queued), so a queued work is
 *      owed progress exactly like a mandatory thread;
 *      A drm_gpu_scheduler with a pushed job adds work threads for its
 *      run_job (starts once the job is pushed and its dependencies
 *      signalled) and timedout_job (once run_job started and the job's
 *      fence is still unsignalled): each is ignored while it cannot start
 *      and owed once it can (ops/sched.ts);
 *   3. one per mmu_notifier registration (kind 'thread', optional): runs
 *      the callback once, outside reclaim, as munmap/migration/NUMA
 *      balancing would from another task (NOTIFIER-1); its allocations
 *      may reclaim (unlike in kswapd or direct reclaim, PF_MEMALLOC);
 *   4. one per irq registration: fires at most `irqFires` times,
 *      each time *on* a host thread that has interrupts on. While it runs
 *      the host cannot step (every host transition has `irqhost != h+1` in
 *      its guard), exactly as a hard irq occupies its CPU. The irq owns
 *      locks as itself, so an irq spinning on a lock its host holds is a
 *      deadlock: the irq waits for the host, the host for the irq.
 *      An irq that signals nothing is optional (ignored until it fires);
 *      one whose handler signals a fence or queues work is mandatory and
 *      done only when idle and unable to fire (see makeSystemThreads);
 *      the completion irq of a `hardware` engine fires only while the
 *      engine is kicked (hw_submit), also on a CPU no thread occupies, and
 *      is owed while kicked; a `may_hang` engine may hang instead;
 *   4b. one per softirq registration (open_softirq, tasklet_setup,
 *      timer_setup), the same shape: fires at most `irqFires` times on a
 *      task (not an irq, not another softirq) with irqs on and bh count 0
 *      (kernel/softirq.c: pending softirqs run at irq_exit and
 *      local_bh_enable, never nested). A hard irq may land on a running
 *      softirq (it is a host), so neither fires on a task the other occupies;
 *      an RCU callback (call_rcu) is such a softirq that fires only while
 *      queued (`rcu.<name>`, set by call_rcu, consumed by the run), also
 *      where no model thread is, and is owed while queued; rcu_barrier
 *      waits until none is queued or running;
 *   5. kswapd, when there is a shrinker or mmu notifier and `kswapdRuns>0`:
 *      optional; each run executes one registered reclaim callback under
 *      fs_reclaim with PF_MEMALLOC (mm/vmscan.c balance_pgdat).
 *
 * Callbacks are never separate threads when the kernel runs them inline:
 * direct reclaim, fence callbacks and invalidate_mappings are compile-time
 * inlined copies of the callback's node graph inside the thread that calls
 * them, each copy with its static context (frames) known. Every location
 * (pc value) is a (copy, node) pair; the control graph of every engine
 * thread is a DAG, apart from the idle loop of irqs and kswapd, whose runs
 * are bounded by a counter.
 *
 * Blocking is a guard that is false: a thread is blocked when none of its
 * transitions is enabled. See eval.ts for terminal and deadlock states.
 *
 * Known approximations (each also noted where it is made):
 *   - a work instance runs its handler at most once; re-queueing is a no-op;
 *   - Wait-Die compares the requester with the holder only (not with
 *     waiters queued ahead); a Wound-Wait context counts as wounded while
 *     an older context waits for a lock it holds;
 *   - a thread that read-locks the same rwsem/rwlock twice holds one bit;
 *   - dma-buf destructors are not run (dma_buf_put is an annotation); the
 *     destructors of final_put (GEM free, TTM destroy, kref release,
 *     dma_fence_ops.release) run inline, but never inside themselves; a
 *     callback is never inlined into itself;
 *   - signalling and irqsave nesting saturate at depth 7;
 *   - the mmu-notifier event thread holds no mm lock (munmap would hold
 *     mmap_write_lock; migration holds none): lock-order rules see the
 *     notifier map through the lock graph instead;
 *   - rw_semaphore writer preference is exact for blocking (a reader
 *     queues behind a sleeping writer); reader lock stealing adds no
 *     behaviour (it is the same as the writer arriving later); a queued
 *     rwlock_t reader queues behind a waiting writer only outside
 *     in_interrupt() (irq/softirq handler, bh disabled);
 *   - bh nesting saturates at depth 7, like irqsave;
 *   - `kernel` changes no state semantics: every version difference we know
 *     of is a lockdep (lock-graph / properties) difference.
 */

import { createHash } from 'node:crypto';
import type {
  DriverModel,
  GfpMask,
  Instance,
  InstanceId,
  MemallocScope,
  Node,
  NodeId,
  Op,
  Outcome,
  Proc,
  ProcId,
  Registration,
} from '../../model/ir.js';
import { unreachable } from '../../model/ir.js';
import { checkBudget, type Budget } from '../../model/budget.js';
import type { Context } from '../../rules/types.js';
import { NEWEST_KERNEL } from '../options.js';
import type {
  BoolExpr,
  IntExpr,
  Property,
  SemanticOptions,
  StepLabel,
  SystemThread,
  Transition,
  TransitionSystem,
  VarId,
} from './system.js';
import {
  ATT_ATTACHED,
  ATT_DETACHED,
  ATT_MAPPED,
  ATT_PINNED_BIT,
  ATT_STATE_MASK,
  BUF_ACTIVE,
  BUF_REVOKED,
  CompileContext,
  FENCE_CB_ATOMIC,
  FENCE_SIGNALLED,
  MAX_ENGINE_THREADS,
  MEMALLOC_NOFS,
  MEMALLOC_NOIO,
  MEMALLOC_NORECLAIM,
  PAGEFAULT_DISABLED,
  RXQ_NONE,
  RXQ_ZCRX,
  SemanticsError,
  type EngineThread,
  type Frame,
  type GfpInfo,
  type LocationInfo,
  type StepInfo,
} from './context.js';
import {
  FALSE,
  TRUE,
  add,
  and,
  bitand,
  bitclear,
  bitor,
  boolVars,
  cnst,
  eq,
  foldBool,
  foldInt,
  intVars,
  ite,
  lt,
  ne,
  not,
  or,
  sub,
  vr,
  widthFor,
  type ExprAlgebra,
} from './expr.js';
import { DEPTH_MAX, type OpCompiler, type OpSite, type ReadPatch, type Update, type WoundPatch } from './ops/site.js';
import { CALLER_HOLDS_MMAP_LOCK, emitFlagOp, emitLock, emitUnlock, emitUnmapMappingRange, emitUserAccess } from './ops/locks.js';
import { emitAcquireCtxOp } from './ops/ww.js';
import { emitFenceAddCallback, emitFenceInit, emitFencePublish, emitFenceWait, emitSignallingOp } from './ops/fences.js';
import { emitIntervalOp, emitMemallocOp } from './ops/reclaim.js';
import { emitAttachmentOp, emitRevocationOp } from './ops/dma-buf.js';
import { emitOwnershipOp, emitProviderOp, makeProviderVars } from './ops/providers.js';
import { emitPhyrOp, makePhyrVars } from './ops/phyr.js';
import { emitWorkOp } from './ops/work.js';
import { beginInvalidation, emitUserptrPagesOp, makeUserptrVars, pinEffect, releaseUnpinnedPages } from './ops/userptr.js';
import { completenessBound } from './completeness-bound.js';
import { HW_HUNG, HW_IDLE, HW_KICKED, emitSchedOp, hwVar, makeSchedVars, runJobReady, timeoutReady } from './ops/sched.js';

export type PropertiesHook = (ctx: CompileContext) => Property[];

/**
 * Bumped whenever the semantics change, so old schedules are rejected
 * (LMC403) instead of replayed on transitions that mean something else:
 * the system hash, and so a token's tag, carries it.
 *  1: the first semantics.
 *  2: softirq handlers (open_softirq, tasklets, timers) run as threads, and
 *     a queued rwlock reader in a task waits behind a waiting writer
 *     (h-softirq, merged 9dbbf2a).
 *  3: under PREEMPT_RT a threaded completion irq (`hardware({ irq })`) is
 *     woken only by its kicked engine, which may hang instead.
 * tests/checker/semantics-version.test.ts pins the transitions of models
 * that exercise each change: when it fails, bump this and update it.
 */
export const SEMANTICS_VERSION = 3;

export const DEFAULT_SEMANTIC_OPTIONS: SemanticOptions = {
  kernel: NEWEST_KERNEL,
  kswapdRuns: 1,
  irqFires: 1,
  directReclaim: true,
};

/**
 * Compile a model. Throws SemanticsError (with a code) for models the
 * encoding cannot represent; callers turn it into a diagnostic.
 */
export function compileSystem(
  model: DriverModel,
  options: SemanticOptions,
  addProperties?: PropertiesHook,
  budget?: Budget,
): TransitionSystem {
  const ctx = buildContext(model, options, budget);
  const properties = addProperties ? addProperties(ctx) : [];
  return finishSystem(ctx, properties, budget);
}

/**
 * Build the semantics without properties (for hooks that want to inspect it first).
 * `budget`: the model's wall-clock budget, checked at bounded intervals
 * (BudgetExceeded, phase `compile`); not part of the options, which are
 * hashed into the system and sent to the BMC child.
 */
export function buildContext(model: DriverModel, options: SemanticOptions, budget?: Budget): CompileContext {
  const ctx = new CompileContext({ model, options });
  new Compiler(ctx, budget).run();
  return ctx;
}

/**
 * A system's identity, whose prefix a schedule token carries: the
 * semantics version, the model, the options and the properties.
 * `semanticsVersion` is a parameter so tests can make an older token.
 */
export function systemHash(model: DriverModel, options: SemanticOptions, properties: Property[], semanticsVersion: number = SEMANTICS_VERSION): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        semanticsVersion,
        // The path is not part of the semantics: a token printed in CI must
        // replay on a checkout elsewhere.
        model: { ...model, file: '' },
        options,
        properties,
      }),
    )
    .digest('hex');
}

/** Footprints, hash and the final object. */
export function finishSystem(ctx: CompileContext, properties: Property[], budget?: Budget): TransitionSystem {
  let n = 0;
  for (const t of ctx.transitions) {
    if ((++n & 1023) === 0) checkBudget(budget, 'compile');
    const reads = boolVars(t.guard, new Set());
    for (const u of t.updates) intVars(u.e, reads);
    t.reads = [...reads].sort((a, b) => a - b);
    t.writes = t.updates.map((u) => u.v).sort((a, b) => a - b);
  }
  const hash = systemHash(ctx.model, ctx.options, properties);
  return {
    hash,
    vars: ctx.vars,
    threads: ctx.systemThreads,
    transitions: ctx.transitions,
    properties,
    completenessBound: ctx.completenessBound,
    semantics: { ...ctx.options },
  };
}

// ---------------------------------------------------------------------------

const CONTEXT_ORDER: Context[] = [
  'reclaim',
  'direct-reclaim',
  'kswapd',
  'shrinker',
  'mmu-notifier',
  'mmu-notifier-nonblocking',
  'irq',
  'fence-callback',
  'invalidate-mappings',
  'fence-release',
  'work',
  'signalling',
  'atomic',
  'pagefault-disabled',
  'memalloc-nofs',
  'memalloc-noio',
  'memalloc-noreclaim',
  'final-put',
  'softirq',
  'irq-thread',
];

function sortContexts(cs: Iterable<Context>): Context[] {
  const set = new Set(cs);
  return CONTEXT_ORDER.filter((c) => set.has(c));
}

/** What happens when a copy reaches an end node. */
type Continuation =
  | { kind: 'thread-end' }
  | { kind: 'return'; emit: (from: number, endNode: NodeId) => void };

interface Copy {
  proc: Proc;
  frames: Frame[];
  contexts: Context[];
  /** Inside direct reclaim or kswapd: PF_MEMALLOC, nested allocations do not reclaim. */
  inReclaim: boolean;
  /** Nested inside a fence callback (its FENCE_CB_ATOMIC is set by an outer frame). */
  inFenceCb: boolean;
  /** fs_reclaim held (see LocationInfo.fsReclaim). */
  fsReclaim: boolean;
  cont: Continuation;
  nodeLocs: Map<NodeId, number>;
  allocAfter: Map<NodeId, number>;
}

/** Facts about everything a thread may run, gathered before expansion. */
interface ThreadScan {
  procs: Set<ProcId>;
  kinds: Set<Op['kind']>;
  scopes: Set<MemallocScope>;
  irqsave: boolean;
  /** Some op disables bottom halves (local_bh_disable, spin_lock_bh). */
  bh: boolean;
}

interface TransitionSpec {
  guard: BoolExpr;
  updates: { v: VarId; e: IntExpr }[];
  to: number;
  label: Omit<StepLabel, 'contexts'>;
  op?: Op;
  outcome?: Outcome;
  gfp?: GfpInfo;
  enters?: StepInfo['enters'];
  timedOut?: boolean;
}

class Compiler implements OpCompiler {
  private readonly m: DriverModel;
  private readonly o: SemanticOptions;
  private reclaimRegs: Registration[] = [];
  private scans: ThreadScan[] = [];
  /** fence -> callback procs some fence_add_callback registers on it. */
  private fenceCallbacks = new Map<InstanceId, ProcId[]>();
  /** buf -> attachments with an invalidate proc. */
  private invalidateAtts = new Map<InstanceId, InstanceId[]>();
  /** ww class -> transitions doing ww_acquire_init, for the counter bound. */
  private initCount = new Map<string, number>();
  /** Deferred Wound-Wait EDEADLK guards (need every thread's locations). */
  private woundPatches: WoundPatch[] = [];
  /** Per thread: locations doing a ctx ww lock (for wound detection). */
  private wwWaitSites: { thread: number; pc: number; lock: InstanceId; ctxVar: VarId }[] = [];
  /** Read acquisitions of rw_semaphores (writer preference patched in later). */
  private readPatches: ReadPatch[] = [];
  /** Blocking down_write sites of rw_semaphores. */
  private writeWaitSites: { thread: number; pc: number; lock: InstanceId }[] = [];
  private pendingLoc = new Map<number, number>();
  private idleLoc = new Map<number, number>();
  private worklist: { thread: number; loc: number; copy: Copy }[] = [];
  private curThread = 0;
  /** The engine thread being expanded (OpCompiler). */
  get thread(): number {
    return this.curThread;
  }
  /** Threads that preempt a host and occupy it while they run: hard irqs, then softirqs. */
  private irqThreads: number[] = [];
  private softirqThreads: number[] = [];
  /** RCU callback threads (call_rcu): thread id -> its `rcu.queued` variable. */
  private rcuQueued = new Map<number, VarId>();

  constructor(
    readonly ctx: CompileContext,
    private readonly budget?: Budget,
  ) {
    this.m = ctx.model;
    this.o = ctx.options;
  }

  run(): void {
    this.collectStatic();
    this.makeThreads();
    this.makeSharedVars();
    for (const th of this.ctx.threads) {
      checkBudget(this.budget, 'compile');
      this.expandThread(th);
    }
    this.patchBounds();
    this.patchWounds();
    this.patchReaders();
    this.makeSystemThreads();
    this.ctx.completenessBound = completenessBound(this.ctx, this.idleLoc);
  }

  // -------------------------------------------------------------------------
  // Static facts.

  private proc(id: ProcId): Proc {
    const p = this.m.procs[id];
    if (!p) throw new SemanticsError('LMC461', `proc ${id} does not exist`);
    return p;
  }

  inst(id: InstanceId): Instance {
    const i = this.m.instances[id];
    if (!i) throw new SemanticsError('LMC461', `instance ${id} does not exist`);
    return i;
  }

  private *ops(p: Proc): Iterable<Op> {
    for (const n of p.nodes) if (n.kind === 'op') yield n.op;
  }

  private collectStatic(): void {
    this.reclaimRegs = this.m.registrations.filter((r) => r.role === 'shrinker' || r.role === 'mmu_notifier');
    for (const p of this.m.procs) {
      for (const op of this.ops(p)) {
        if (op.kind === 'fence_add_callback') {
          const l = this.fenceCallbacks.get(op.fence) ?? [];
          if (!l.includes(op.callback)) l.push(op.callback);
          this.fenceCallbacks.set(op.fence, l);
        }
      }
    }
    for (const l of this.fenceCallbacks.values()) l.sort((a, b) => a - b);
    for (const i of this.m.instances) {
      if (i.kind === 'attachment' && i.buf !== undefined && i.importer?.invalidate !== undefined) {
        const l = this.invalidateAtts.get(i.buf) ?? [];
        l.push(i.id);
        this.invalidateAtts.set(i.buf, l);
      }
    }
  }

  /** call_rcu sites in the model that queue `cb`. */
  private callRcuSites(cb: ProcId): number {
    let n = 0;
    for (const p of this.m.procs) for (const op of this.ops(p)) if (op.kind === 'call_rcu' && op.callback === cb) n++;
    return n;
  }

  /** How many times an irq or softirq thread may fire. */
  private firesOf(th: EngineThread): number {
    return th.maxFires ?? this.o.irqFires;
  }

  /** Procs a run of `root` may execute inline, and what they do. */
  private scan(roots: ProcId[]): ThreadScan {
    const s: ThreadScan = { procs: new Set(), kinds: new Set(), scopes: new Set(), irqsave: false, bh: false };
    const todo = [...roots];
    while (todo.length) {
      const id = todo.pop()!;
      if (s.procs.has(id)) continue;
      s.procs.add(id);
      for (const op of this.ops(this.proc(id))) {
        s.kinds.add(op.kind);
        if (op.kind === 'memalloc_save') s.scopes.add(op.scope);
        if (op.kind === 'lock' && op.irqsave) s.irqsave = true;
        if ((op.kind === 'lock' && op.bh) || op.kind === 'local_bh_disable') s.bh = true;
        if (op.kind === 'alloc' && op.gfp.directReclaim && this.o.directReclaim) {
          for (const r of this.reclaimRegs) todo.push(r.proc);
        }
        if (op.kind === 'fence_signal') todo.push(...(this.fenceCallbacks.get(op.fence) ?? []));
        if (op.kind === 'final_put' && op.release !== undefined) todo.push(op.release);
        if (op.kind === 'pm_runtime') todo.push(...op.callbacks);
        if (op.kind === 'user_access') todo.push(...this.faultHandlersOf(op.mm).map((r) => r.proc));
        if (op.kind === 'mm_event') todo.push(...this.notifiersOf(op.mm).map((r) => r.proc));
        if (op.kind === 'dma_buf_invalidate') {
          for (const a of this.invalidateAtts.get(op.buf) ?? []) todo.push(this.inst(a).importer!.invalidate!);
        }
      }
    }
    return s;
  }

  private makeThreads(): void {
    const ts = this.ctx.threads;
    const add = (t: Omit<EngineThread, 'id'>): EngineThread => {
      const th = { id: ts.length, ...t };
      ts.push(th);
      return th;
    };
    for (const t of this.m.threads) {
      if (t.kind !== 'thread') continue;
      add({ name: t.name, kind: 'thread', proc: t.proc, canHostIrq: true });
    }
    // The front end lists a `work` Thread per work instance after the
    // model's threads (same order); reuse its name so traces agree.
    const modelWorks = this.m.threads.filter((t) => t.kind === 'work');
    const usedWork = new Set<number>();
    for (const i of this.m.instances) {
      if (i.kind === 'work' && i.proc !== undefined) {
        const mt = modelWorks.find((t) => t.proc === i.proc && !usedWork.has(t.id));
        if (mt) usedWork.add(mt.id);
        add({ name: mt ? mt.name : `work:${i.name}`, kind: 'work', proc: i.proc, work: i.id, canHostIrq: true });
      }
    }
    // A scheduler's run_job and timedout_job run as work items
    // (sched_main.c drm_sched_run_job_work, drm_sched_job_timedout), once
    // its job was pushed; a scheduler no job is pushed to runs nothing.
    for (const i of this.m.instances) {
      if (i.kind !== 'drm_sched' || i.job === undefined) continue;
      const roles: ['run_job' | 'timedout_job', ProcId | undefined][] = [['run_job', i.proc], ['timedout_job', i.timedout]];
      for (const [schedRole, proc] of roles) {
        if (proc === undefined) continue;
        const mt = modelWorks.find((t) => t.proc === proc && !usedWork.has(t.id));
        if (mt) usedWork.add(mt.id);
        add({ name: mt ? mt.name : `${schedRole}:${i.name}`, kind: 'work', proc, sched: i.id, schedRole, canHostIrq: true });
      }
    }
    // mmu notifiers also run outside reclaim (munmap, mprotect, migration,
    // NUMA balancing, THP split: NOTIFIER-1), from some other task, where
    // allocations do reclaim. One optional thread per notifier runs its
    // callback once in such a context.
    this.m.registrations.forEach((r, idx) => {
      if (r.role !== 'mmu_notifier') return;
      add({ name: `mmu:${this.proc(r.proc).name}`, kind: 'thread', proc: r.proc, registration: idx, canHostIrq: true });
    });
    this.m.registrations.forEach((r, idx) => {
      if (r.role !== 'irq') return;
      const th = add({ name: `irq:${this.proc(r.proc).name}`, kind: 'irq', proc: r.proc, registration: idx, canHostIrq: false });
      this.irqThreads.push(th.id);
    });
    // Softirq handlers, tasklets and timers (kernel/softirq.c
    // handle_softirqs): they run on a CPU whose task has bh and irqs on,
    // at irq_exit or local_bh_enable, and a hard irq may preempt them.
    this.m.registrations.forEach((r, idx) => {
      if (r.role !== 'softirq') return;
      const th = add({ name: `${r.rcu ? 'rcu' : 'softirq'}:${this.proc(r.proc).name}`, kind: 'softirq', proc: r.proc, registration: idx, canHostIrq: true });
      // An RCU callback runs once per queueing: allow `irqFires` runs per call_rcu site,
      // so a callback queued again after it ran is never held off by the fire bound.
      if (r.rcu) th.maxFires = this.o.irqFires * Math.max(1, this.callRcuSites(r.proc));
      this.irqThreads.push(th.id);
      this.softirqThreads.push(th.id);
    });
    if (this.reclaimRegs.length > 0 && this.o.kswapdRuns > 0) {
      add({ name: 'kswapd', kind: 'kswapd', canHostIrq: true });
    }
    if (ts.length > MAX_ENGINE_THREADS) {
      throw new SemanticsError(
        'LMC460',
        `the model needs ${ts.length} engine threads (threads, works, irqs, softirqs, kswapd); at most ${MAX_ENGINE_THREADS} are supported`,
      );
    }
    this.scans = ts.map((t) =>
      this.scan(t.kind === 'kswapd' ? this.reclaimRegs.map((r) => r.proc) : [t.proc!]),
    );
  }

  /**
   * The shared state vector. Order matters (variable ids follow it): pcs
   * first, so dumps read naturally; then one group per instance in model
   * order; then publication masks, callback registrations, ww stamp
   * counters and per-thread state.
   */
  private makeSharedVars(): void {
    const ctx = this.ctx;
    // pc first, so dumps read naturally; max patched after expansion.
    for (const t of ctx.threads) {
      ctx.pcVars.push(ctx.addVar(`pc.${t.name}`, 0, 0, { kind: 'pc', thread: t.id }));
    }
    for (const i of this.m.instances) this.makeInstanceVars(i);
    makeUserptrVars(this.ctx, this.m);
    makeSchedVars(this.ctx, this.m);
    makeProviderVars(this.ctx, this.m);
    makePhyrVars(this.ctx, this.m);
    this.makePublishedVars();
    for (const [fence, procs] of [...this.fenceCallbacks].sort((a, b) => a[0] - b[0])) {
      for (const p of procs) {
        ctx.callbackVars.set(
          `${fence}:${p}`,
          ctx.addVar(`cb.${this.inst(fence).name}.${this.proc(p).name}`, 1, 0, { kind: 'callback-registered', fence, proc: p }),
        );
      }
    }
    // ww stamp counters, one per class that some thread initialises.
    const classes = new Set<string>();
    for (const p of this.m.procs) for (const op of this.ops(p)) if (op.kind === 'ww_acquire_init') classes.add(op.wwClass);
    for (const c of [...classes].sort()) {
      ctx.stampCounters.set(c, ctx.addVar(`stamp.${c}`, 0, 0, { kind: 'ww-stamp-counter' }));
    }
    this.makeThreadVars();
  }

  /** The variables of one instance (per-thread ones are made on first use). */
  private makeInstanceVars(i: Instance): void {
    const ctx = this.ctx;
    const n = ctx.threads.length;
    const allBits = n === 0 ? 0 : (2 ** n - 1) >>> 0;
    switch (i.kind) {
      case 'mutex':
      case 'spinlock':
        ctx.owner.set(i.id, ctx.addVar(`owner.${i.name}`, n, 0, { kind: 'lock-owner', instance: i.id }));
        break;
      case 'rwsem':
      case 'rwlock':
      case 'mm':
      case 'address_space':
        ctx.owner.set(i.id, ctx.addVar(`owner.${i.name}`, n, 0, { kind: 'lock-owner', instance: i.id }));
        ctx.readers.set(i.id, ctx.addVar(`readers.${i.name}`, allBits, 0, { kind: 'lock-readers', instance: i.id }));
        break;
      case 'ww_mutex':
      case 'dma_resv':
        ctx.owner.set(i.id, ctx.addVar(`owner.${i.name}`, n, 0, { kind: 'lock-owner', instance: i.id }));
        // max patched with the stamp bound.
        ctx.wwHolder.set(i.id, ctx.addVar(`wwholder.${i.name}`, 0, 0, { kind: 'ww-holder', instance: i.id }));
        break;
      case 'dma_fence':
        ctx.fences.set(i.id, ctx.addVar(`fence.${i.name}`, FENCE_SIGNALLED, 0, { kind: 'fence', instance: i.id }));
        break;
      case 'dma_buf':
        ctx.buffers.set(i.id, ctx.addVar(`buf.${i.name}`, BUF_REVOKED, BUF_ACTIVE, { kind: 'buffer', instance: i.id }));
        break;
      case 'attachment':
        ctx.attachments.set(
          i.id,
          ctx.addVar(`att.${i.name}`, ATT_STATE_MASK | (1 << ATT_PINNED_BIT), i.local ? ATT_DETACHED : ATT_ATTACHED, {
            kind: 'attachment',
            instance: i.id,
          }),
        );
        break;
      case 'rx_queue':
        ctx.rxqs.set(i.id, ctx.addVar(`rxq.${i.name}`, RXQ_ZCRX, RXQ_NONE, { kind: 'rxq', instance: i.id }));
        break;
      case 'work':
        ctx.works.set(i.id, ctx.addVar(`work.${i.name}`, 1, 0, { kind: 'work', instance: i.id }));
        break;
      case 'gem_object':
        break; // its reservation is an instance of its own
      case 'interval_notifier':
        ctx.notifierSeq.set(i.id, ctx.addVar(`seq.${i.name}`, allBits, 0, { kind: 'notifier-seq', instance: i.id }));
        break;
      case 'ww_ctx':
      case 'signalling_cookie':
      case 'memalloc_cookie':
        break; // per-thread, made on first use
      case 'gem_object':
        break; // userptr pages: makeUserptrVars (ops/userptr.ts)
      case 'hardware':
      case 'drm_sched':
        break; // makeSchedVars (ops/sched.ts)
      case 'phyr':
        break; // its mapping: makePhyrVars (ops/phyr.ts)
      case 'pm_device':
        break; // its power.lock and power.work are instances of their own
      default:
        unreachable(i.kind);
    }
  }

  /** One bitmask per dma_resv: which of the fences published into it (by some op of the model) were. */
  private makePublishedVars(): void {
    const ctx = this.ctx;
    // Publication targets per resv, from every publish op of the model.
    const pubs = new Map<InstanceId, InstanceId[]>();
    for (const p of this.m.procs) {
      for (const op of this.ops(p)) {
        if (op.kind === 'fence_publish' && op.resv !== undefined) {
          const r = ctx.lockInstance(op.resv);
          const l = pubs.get(r) ?? [];
          if (!l.includes(op.fence)) l.push(op.fence);
          pubs.set(r, l);
        }
      }
    }
    for (const [resv, fences] of [...pubs].sort((a, b) => a[0] - b[0])) {
      if (fences.length > 31) {
        throw new SemanticsError('LMC462', `${fences.length} fences are published into ${this.inst(resv).name}; at most 31 per dma_resv are supported`);
      }
      const max = 2 ** fences.length - 1;
      const v = ctx.addVar(`published.${this.inst(resv).name}`, max, 0, { kind: 'resv-published', instance: resv });
      ctx.published.set(resv, { v, fences });
    }
  }

  /** Per-thread state a thread's code (or an irq landing on it) touches; irq and kswapd bookkeeping. */
  private makeThreadVars(): void {
    const ctx = this.ctx;
    const n = ctx.threads.length;
    const anyIrq = this.irqThreads.length > 0;
    ctx.threads.forEach((t, i) => {
      const s = this.scans[i]!;
      const needsFlags =
        s.kinds.has('memalloc_save') ||
        s.kinds.has('pagefault_disable') ||
        s.kinds.has('local_irq_disable') ||
        (s.kinds.has('fence_signal') && this.fenceCallbacks.size > 0) ||
        (anyIrq && t.canHostIrq);
      if (needsFlags && t.kind !== 'irq') ctx.threadFlagsVar(t.id);
      if (needsFlags && t.kind === 'irq' && (s.kinds.has('memalloc_save') || s.kinds.has('pagefault_disable') || s.kinds.has('fence_signal'))) {
        ctx.threadFlagsVar(t.id);
      }
      if (s.kinds.has('signalling_begin')) ctx.signallingDepthVar(t.id, DEPTH_MAX);
      if (s.irqsave) {
        ctx.irqsaveVars.set(t.id, ctx.addVar(`irqsave.${t.name}`, DEPTH_MAX, 0, { kind: 'irqsave-depth', thread: t.id }));
      }
      // bh nesting matters where a softirq may land, and for queued rwlock
      // readers (recursive with bh off).
      if (s.bh && (this.softirqThreads.length > 0 || this.m.instances.some((i) => i.kind === 'rwlock')) && this.canHostSoftirq(t)) {
        ctx.bhDepthVars.set(t.id, ctx.addVar(`bh.${t.name}`, DEPTH_MAX, 0, { kind: 'bh-depth', thread: t.id }));
      }
    });
    for (const id of this.irqThreads) {
      const t = ctx.threads[id]!;
      ctx.irqVars.set(id, {
        host: ctx.addVar(`irqhost.${t.name}`, n, 0, { kind: 'irq-host', irq: id }),
        fires: ctx.addVar(`fires.${t.name}`, this.firesOf(t), 0, { kind: 'irq-fires', irq: id }),
      });
    }
    for (const id of this.softirqThreads) {
      const t = ctx.threads[id]!;
      if (this.m.registrations[t.registration!]?.rcu) this.rcuQueued.set(id, ctx.addVar(`rcu.${t.name}`, 1, 0, { kind: 'rcu-queued', irq: id }));
    }
    const ks = ctx.threads.find((t) => t.kind === 'kswapd');
    if (ks) ctx.kswapdRunsVar = ctx.addVar('kswapd.runs', this.o.kswapdRuns, 0, { kind: 'kswapd-runs' });
  }

  /** Softirqs land on tasks (threads, works, kswapd), never on an irq or another softirq. */
  private canHostSoftirq(t: EngineThread): boolean {
    return t.canHostIrq && t.kind !== 'softirq';
  }

  // -------------------------------------------------------------------------
  // Expansion.

  private newLoc(thread: number, info: Omit<LocationInfo, 'thread' | 'pc' | 'out'>): number {
    const locs = this.ctx.locations[thread]!;
    const pc = locs.length;
    locs.push({ thread, pc, out: [], ...info });
    return pc;
  }

  private locFor(copy: Copy, node: NodeId): number {
    let l = copy.nodeLocs.get(node);
    if (l !== undefined) return l;
    const n = copy.proc.nodes[node];
    if (!n) throw new SemanticsError('LMC461', `proc ${copy.proc.name}: node ${node} does not exist`);
    l = this.newLoc(this.curThread, {
      kind: 'node',
      proc: copy.proc.id,
      node,
      frames: copy.frames,
      contexts: copy.contexts,
      end: n.kind === 'end',
      fsReclaim: copy.fsReclaim,
    });
    copy.nodeLocs.set(node, l);
    this.worklist.push({ thread: this.curThread, loc: l, copy });
    return l;
  }

  private newCopy(
    proc: ProcId,
    frames: Frame[],
    extra: Context[],
    parent: Copy | undefined,
    opts: { inReclaim: boolean; inFenceCb: boolean; fsReclaim?: boolean; cont: Continuation },
  ): Copy {
    const base = parent ? parent.contexts : [];
    return {
      proc: this.proc(proc),
      frames,
      contexts: sortContexts([...base, ...extra]),
      inReclaim: opts.inReclaim,
      inFenceCb: opts.inFenceCb,
      fsReclaim: opts.fsReclaim ?? parent?.fsReclaim ?? false,
      cont: opts.cont,
      nodeLocs: new Map(),
      allocAfter: new Map(),
    };
  }

  private drain(): void {
    let n = 0;
    while (this.worklist.length) {
      if ((++n & 255) === 0) checkBudget(this.budget, 'compile');
      const w = this.worklist.shift()!;
      this.emitLocation(w.loc, w.copy);
    }
  }

  private expandThread(th: EngineThread): void {
    this.curThread = th.id;
    this.ctx.locations[th.id] = [];
    const ctx = this.ctx;
    if (th.kind === 'thread' && th.registration !== undefined) {
      // mmu-notifier event thread: may start at any time, at most once.
      const reg = this.m.registrations[th.registration]!;
      const ctxs = this.regContexts(reg);
      const pending = this.newLoc(th.id, { kind: 'pending', frames: [], contexts: ctxs, end: false, fsReclaim: false });
      this.pendingLoc.set(th.id, pending);
      const release = releaseUnpinnedPages(ctx, this.m, this.notifierMm(reg));
      // With userptr objects on its mm, the event ends with the mm freeing their unpinned pages.
      const cont: Copy['cont'] = release.length === 0 ? { kind: 'thread-end' } : {
        kind: 'return',
        emit: (from, endNode) => {
          const last = this.newLoc(th.id, { kind: 'node', proc: th.proc!, node: endNode, frames: [], contexts: ctxs, end: true, fsReclaim: false });
          this.addT(from, { guard: TRUE, updates: release, to: last, label: { proc: th.proc!, node: endNode, synthetic: 'notifier-return' } }, ctxs, []);
        },
      };
      const copy = this.newCopy(th.proc!, [], ctxs, undefined, { inReclaim: false, inFenceCb: false, cont });
      const entry = this.locFor(copy, 0);
      const begin = beginInvalidation(ctx, this.m, this.notifierMm(reg));
      this.addT(pending, { guard: TRUE, updates: begin, to: entry, label: { proc: th.proc!, node: 0, synthetic: 'thread-start' } }, ctxs, []);
    } else if (th.kind === 'thread') {
      const copy = this.newCopy(th.proc!, [], [], undefined, { inReclaim: false, inFenceCb: false, cont: { kind: 'thread-end' } });
      this.locFor(copy, 0);
    } else if (th.kind === 'work') {
      // A work thread idles at `pending` until queue_work; its start is a step.
      const pending = this.newLoc(th.id, { kind: 'pending', frames: [], contexts: ['work'], end: false, fsReclaim: false });
      this.pendingLoc.set(th.id, pending);
      const frames: Frame[] = [{ proc: th.proc!, kind: 'work' }];
      const copy = this.newCopy(th.proc!, frames, ['work'], undefined, { inReclaim: false, inFenceCb: false, cont: { kind: 'thread-end' } });
      const entry = this.locFor(copy, 0);
      this.addT(pending, {
        guard: this.workStartGuard(th),
        updates: [],
        to: entry,
        label: { proc: th.proc!, node: 0, synthetic: 'thread-start' },
      }, [], frames);
    } else if (th.kind === 'irq' && this.m.registrations[th.registration!]?.threaded) {
      this.threadedIrq(th);
    } else if (th.kind === 'irq') {
      this.expandInterrupt(th, ['irq', 'atomic'], 'irq', (h) => h.canHostIrq, (h) => not(ctx.irqsOff(h.id)));
    } else if (th.kind === 'softirq') {
      // A softirq starts on a task with irqs and bh enabled and no
      // interrupt on its CPU; it runs in atomic context (in_softirq()).
      this.expandInterrupt(th, ['softirq', 'atomic'], 'softirq', (h) => this.canHostSoftirq(h), (h) => and(not(ctx.irqsOff(h.id)), not(ctx.bhOff(h.id))));
    } else {
      // kswapd: balance_pgdat runs shrinkers and rmap-driven notifier
      // invalidations under fs_reclaim (as GFP_KERNEL) with PF_MEMALLOC set.
      const idle = this.newLoc(th.id, { kind: 'idle', frames: [], contexts: ['reclaim', 'kswapd'], end: false, fsReclaim: false });
      this.idleLoc.set(th.id, idle);
      const runs = ctx.kswapdRunsVar!;
      for (const r of this.reclaimRegs) {
        const frames: Frame[] = [{ proc: r.proc, kind: 'kswapd' }];
        const copy = this.newCopy(r.proc, frames, ['reclaim', 'kswapd', ...this.regContexts(r)], undefined, {
          inReclaim: true,
          inFenceCb: false,
          fsReclaim: true,
          cont: {
            kind: 'return',
            emit: (from, endNode) => {
              const release = releaseUnpinnedPages(ctx, this.m, this.notifierMm(r));
              this.addT(from, { guard: TRUE, updates: release, to: idle, label: { proc: r.proc, node: endNode, synthetic: 'leave-reclaim' } }, copy.contexts, frames);
            },
          },
        });
        const entry = this.locFor(copy, 0);
        this.addT(idle, {
          guard: lt(vr(runs), cnst(this.o.kswapdRuns)),
          updates: [{ v: runs, e: add(vr(runs), cnst(1)) }, ...beginInvalidation(ctx, this.m, this.notifierMm(r))],
          to: entry,
          label: { proc: r.proc, node: 0, synthetic: 'kswapd-run' },
          enters: { proc: r.proc, kind: 'kswapd', fs: true },
        }, ['reclaim', 'kswapd'], frames);
      }
    }
    this.drain();
  }

  /**
   * An irq or softirq thread: idle until it fires on a host thread that
   * `canHost` and `enabled` allow and no other interrupt occupies; while
   * it runs the host cannot step (addT's host guard); it returns to idle.
   */
  private expandInterrupt(
    th: EngineThread,
    contexts: Context[],
    frameKind: 'irq' | 'softirq',
    canHost: (h: EngineThread) => boolean,
    enabled: (h: EngineThread) => BoolExpr,
  ): void {
    const ctx = this.ctx;
    const idle = this.newLoc(th.id, { kind: 'idle', frames: [], contexts, end: false, fsReclaim: false });
    this.idleLoc.set(th.id, idle);
    const iv = ctx.irqVars.get(th.id)!;
    const frames: Frame[] = [{ proc: th.proc!, kind: frameKind }];
    const copy = this.newCopy(th.proc!, frames, contexts, undefined, {
      inReclaim: false,
      inFenceCb: false,
      cont: {
        kind: 'return',
        emit: (from, endNode) => {
          this.addT(from, {
            guard: TRUE,
            updates: [{ v: iv.host, e: cnst(0) }],
            to: idle,
            label: { proc: th.proc!, node: endNode, synthetic: 'irq-return' },
          }, contexts, frames);
        },
      },
    });
    const entry = this.locFor(copy, 0);
    // A completion irq (`hardware({ irq })`) fires only while its engine
    // is kicked, and firing consumes the kick.
    const hw = frameKind === 'irq' ? this.completionHw(th) : undefined;
    // An RCU callback runs only once queued by call_rcu, and running consumes the queueing.
    const rcu = this.rcuQueued.get(th.id);
    const kicked = hw !== undefined ? [eq(vr(hw.v), cnst(HW_KICKED))] : rcu !== undefined ? [eq(vr(rcu), cnst(1))] : [];
    const consume = hw !== undefined ? [{ v: hw.v, e: cnst(HW_IDLE) }] : rcu !== undefined ? [{ v: rcu, e: cnst(0) }] : [];
    for (const h of ctx.threads) {
      if (h.id === th.id || !canHost(h)) continue;
      const others = this.irqThreads.filter((j) => j !== th.id).map((j) => ne(vr(ctx.irqVars.get(j)!.host), cnst(h.id + 1)));
      this.addT(idle, {
        guard: and(lt(vr(iv.fires), cnst(this.firesOf(th))), this.hostRunning(h), enabled(h), ...others, ...kicked),
        updates: [
          { v: iv.host, e: cnst(h.id + 1) },
          { v: iv.fires, e: add(vr(iv.fires), cnst(1)) },
          ...consume,
        ],
        to: entry,
        label: { proc: th.proc!, node: 0, synthetic: 'irq-fire' },
      }, contexts, frames);
    }
    if (hw !== undefined) this.emitCompletionIrq(th, idle, entry, hw, frames);
    if (rcu !== undefined) {
      // A queued callback is owed its run: it may also run where no model
      // thread is (another CPU's RCU_SOFTIRQ, or an rcuc/rcuo kthread with
      // bh disabled), so a task blocked in rcu_barrier() does not hold it off.
      this.addT(idle, {
        guard: and(lt(vr(iv.fires), cnst(this.firesOf(th))), eq(vr(rcu), cnst(1))),
        updates: [{ v: iv.fires, e: add(vr(iv.fires), cnst(1)) }, { v: rcu, e: cnst(0) }],
        to: entry,
        label: { proc: th.proc!, node: 0, synthetic: 'irq-fire' },
      }, contexts, frames);
    }
  }

  /**
   * A request_irq handler force-threaded by PREEMPT_RT (checker/preempt-rt.ts):
   * kernel/irq/manage.c irq_thread() runs it as a task, so it fires (up to
   * `irqFires` times) whatever the other threads do, occupies no host, and
   * blocks on a lock like any task instead of spinning on its CPU. A
   * completion irq (`hardware({ irq })`) is still raised by its engine:
   * the thread is woken only while the engine is kicked, waking consumes
   * the kick, and a `may_hang` engine may hang instead, as in the
   * non-threaded expansion (irq_default_primary_handler wakes the thread
   * only when the hard irq came).
   */
  private threadedIrq(th: EngineThread): void {
    const ctx = this.ctx;
    const contexts: Context[] = ['irq-thread'];
    const idle = this.newLoc(th.id, { kind: 'idle', frames: [], contexts, end: false, fsReclaim: false });
    this.idleLoc.set(th.id, idle);
    const iv = ctx.irqVars.get(th.id)!;
    const frames: Frame[] = [{ proc: th.proc!, kind: 'irq' }];
    const copy = this.newCopy(th.proc!, frames, contexts, undefined, {
      inReclaim: false,
      inFenceCb: false,
      cont: {
        kind: 'return',
        emit: (from, endNode) => {
          this.addT(from, { guard: TRUE, updates: [], to: idle, label: { proc: th.proc!, node: endNode, synthetic: 'irq-return' } }, contexts, frames);
        },
      },
    });
    const entry = this.locFor(copy, 0);
    const hw = this.completionHw(th);
    this.addT(idle, {
      guard: and(lt(vr(iv.fires), cnst(this.o.irqFires)), ...(hw === undefined ? [] : [eq(vr(hw.v), cnst(HW_KICKED))]), ...this.wokenByHandler(th)),
      updates: [{ v: iv.fires, e: add(vr(iv.fires), cnst(1)) }, ...(hw === undefined ? [] : [{ v: hw.v, e: cnst(HW_IDLE) }])],
      to: entry,
      label: { proc: th.proc!, node: 0, synthetic: 'irq-fire' },
    }, contexts, frames);
    if (hw?.mayHang) this.emitHwHang(th, idle, hw, contexts, frames);
  }

  /**
   * request_threaded_irq's thread_fn runs once per handler run, after it
   * returned IRQ_WAKE_THREAD (always, here): the handler has fired more
   * often than the thread and is back at idle (kernel/irq/manage.c
   * __irq_wake_thread from the hard irq, irq_thread).
   */
  private wokenByHandler(th: EngineThread): BoolExpr[] {
    const reg = th.registration === undefined ? undefined : this.m.registrations[th.registration];
    if (reg?.threadOf === undefined) return [];
    const hard = this.ctx.threads.find((t) => t.kind === 'irq' && t.registration !== undefined && this.m.registrations[t.registration]?.proc === reg.threadOf && t.id !== th.id);
    const idle = hard === undefined ? undefined : this.idleLoc.get(hard.id);
    if (hard === undefined || idle === undefined) throw new Error(`thread_fn ${th.name}: its handler is not expanded before it`);
    const fires = (t: EngineThread) => vr(this.ctx.irqVars.get(t.id)!.fires);
    return [lt(fires(th), fires(hard)), eq(vr(this.ctx.pcVars[hard.id]!), cnst(idle))];
  }

  /** The mm an mmu-notifier registration watches (undefined for shrinkers). */
  private notifierMm(r: Registration): InstanceId | undefined {
    if (r.role !== 'mmu_notifier' || r.notifier === undefined) return undefined;
    return this.m.instances[r.notifier]?.mm;
  }

  private regContexts(r: Registration): Context[] {
    if (r.role === 'shrinker') return ['shrinker'];
    return r.nonBlocking ? ['mmu-notifier', 'mmu-notifier-nonblocking'] : ['mmu-notifier'];
  }

  /** The engine whose completion irq `th` is (`hardware({ irq })`), with its state variable. */
  private completionHw(th: EngineThread): { id: InstanceId; v: VarId; mayHang: boolean } | undefined {
    const reg = th.registration === undefined ? undefined : this.m.registrations[th.registration];
    if (reg?.hardware === undefined) return undefined;
    const v = hwVar(this.ctx, reg.hardware);
    return v === undefined ? undefined : { id: reg.hardware, v, mayHang: this.inst(reg.hardware).mayHang === true };
  }

  /**
   * The kicked engine's own moves: its irq may also fire on a CPU no model
   * thread occupies (host 0: an idle CPU, so the irq is owed even after every
   * thread finished), and a `may_hang` engine may instead hang, after which
   * it never raises the irq (the TDR's business: drm_sched_job_timedout).
   */
  private emitCompletionIrq(th: EngineThread, idle: number, entry: number, hw: { v: VarId; mayHang: boolean }, frames: Frame[]): void {
    const iv = this.ctx.irqVars.get(th.id)!;
    this.addT(idle, {
      guard: and(lt(vr(iv.fires), cnst(this.o.irqFires)), eq(vr(hw.v), cnst(HW_KICKED))),
      updates: [
        { v: iv.fires, e: add(vr(iv.fires), cnst(1)) },
        { v: hw.v, e: cnst(HW_IDLE) },
      ],
      to: entry,
      label: { proc: th.proc!, node: 0, synthetic: 'irq-fire' },
    }, ['irq', 'atomic'], frames);
    if (hw.mayHang) this.emitHwHang(th, idle, hw, ['irq', 'atomic'], frames);
  }

  /** A kicked `may_hang` engine hangs instead of raising its irq: the irq (thread) stays idle. */
  private emitHwHang(th: EngineThread, idle: number, hw: { v: VarId }, contexts: Context[], frames: Frame[]): void {
    this.addT(idle, {
      guard: eq(vr(hw.v), cnst(HW_KICKED)),
      updates: [{ v: hw.v, e: cnst(HW_HUNG) }],
      to: idle,
      label: { proc: th.proc!, node: 0, synthetic: 'hw-hang' },
    }, contexts, frames);
  }

  /**
   * When a work thread leaves `pending`: a work item once queued; a
   * scheduler's run_job once its job is ready (pushed, dependencies
   * signalled); its timedout_job once run_job started and the job's fence
   * is still unsignalled (ops/sched.ts).
   */
  private workStartGuard(th: EngineThread): BoolExpr {
    if (th.sched === undefined) return eq(vr(this.ctx.workVar(th.work!)!), cnst(1));
    if (th.schedRole === 'run_job') return runJobReady(this.ctx, th.sched);
    const run = this.ctx.threads.find((t) => t.sched === th.sched && t.schedRole === 'run_job');
    const started = run === undefined ? FALSE : ne(vr(this.ctx.pcVars[run.id]!), cnst(this.pendingLoc.get(run.id)!));
    return timeoutReady(this.ctx, th.sched, started);
  }

  /** A thread an irq may land on: started and not finished. */
  private hostRunning(h: EngineThread): BoolExpr {
    const pc = vr(this.ctx.pcVars[h.id]!);
    if (h.kind === 'thread' && h.registration === undefined) return not(this.doneExpr(h.id));
    if (h.kind === 'work' || h.kind === 'thread') return and(ne(pc, cnst(this.pendingLoc.get(h.id) ?? 0)), not(this.doneExpr(h.id)));
    if (h.kind === 'kswapd' || h.kind === 'softirq') return ne(pc, cnst(this.idleLoc.get(h.id) ?? 0));
    return FALSE;
  }

  /**
   * Done: at an end location of the root copy (thread, work) or idle (irq,
   * kswapd). Locations of later threads are not yet known while earlier
   * threads expand, so this is built lazily from a placeholder resolved in
   * patchDone.
   */
  doneExpr(thread: number): BoolExpr {
    return { k: 'bit', a: { k: 'var', v: -1 - thread }, bit: 0 };
  }

  private addT(from: number, spec: TransitionSpec, contexts: Context[], frames: Frame[]): number {
    const ctx = this.ctx;
    const thread = this.curThread;
    const hostFree = this.ctx.threads[thread]!.canHostIrq
      ? this.irqThreads.map((j) => ne(vr(ctx.irqVars.get(j)!.host), cnst(thread + 1)))
      : [];
    const id = ctx.transitions.length;
    const label: StepLabel = { ...spec.label, contexts: frames };
    const pcVar = ctx.pcVars[thread]!;
    const t: Transition = {
      id,
      thread,
      from: { pcVar, pc: from },
      to: { pcVar, pc: spec.to },
      guard: and(ctx.pcIs(thread, from), ...hostFree, spec.guard),
      updates: [{ v: pcVar, e: cnst(spec.to) }, ...spec.updates],
      label,
      reads: [],
      writes: [],
      visible: false,
    };
    if (t.guard.k === 'false') {
      // Never enabled: still recorded so schedules and dumps show the site.
    }
    ctx.transitions.push(t);
    const info: StepInfo = {
      id,
      thread,
      from,
      to: spec.to,
      label,
      contexts,
      fsReclaim: ctx.locations[thread]![from]!.fsReclaim,
      frames,
      actor: thread + 1,
    };
    if (spec.op) info.op = spec.op;
    if (spec.outcome) info.outcome = spec.outcome;
    if (spec.gfp) info.gfp = spec.gfp;
    if (spec.enters) info.enters = spec.enters;
    if (spec.timedOut) info.timedOut = true;
    ctx.steps.push(info);
    ctx.locations[thread]![from]!.out.push(id);
    if (spec.op?.kind === 'ww_acquire_init') {
      const th = ctx.threads[thread]!;
      const mult = th.kind === 'irq' || th.kind === 'softirq' ? this.firesOf(th) : th.kind === 'kswapd' ? this.o.kswapdRuns : 1;
      this.initCount.set(spec.op.wwClass, (this.initCount.get(spec.op.wwClass) ?? 0) + mult);
    }
    return id;
  }

  private emitLocation(loc: number, copy: Copy): void {
    const node = copy.proc.nodes[this.ctx.locations[this.curThread]![loc]!.node!]!;
    switch (node.kind) {
      case 'end':
        if (copy.cont.kind === 'return') copy.cont.emit(loc, node.id);
        return;
      case 'choice':
        node.next.forEach((nx, i) => {
          this.addT(loc, { guard: TRUE, updates: [], to: this.locFor(copy, nx), label: { proc: copy.proc.id, node: node.id, branch: i } }, copy.contexts, copy.frames);
        });
        return;
      case 'op':
        this.emitOp(loc, copy, node);
        return;
      default:
        unreachable(node);
    }
  }

  /** Successor location of an op node for an outcome; the front end fills outcomes, ok is the fall-through. */
  private succ(copy: Copy, node: Extract<Node, { kind: 'op' }>, outcome: Outcome): number {
    const nx = node.next[outcome] ?? node.next.ok ?? Object.values(node.next)[0];
    if (nx === undefined) {
      throw new SemanticsError('LMC461', `proc ${copy.proc.name}: op node ${node.id} (${node.op.api}) has no successor`);
    }
    return this.locFor(copy, nx);
  }

  flagsVar(): VarId | undefined {
    return this.ctx.flagVars.get(this.curThread);
  }

  flag(b: number): BoolExpr {
    return this.ctx.flag(this.curThread, b);
  }

  setFlag(b: number, on: boolean): { v: VarId; e: IntExpr }[] {
    const f = this.flagsVar();
    if (f === undefined) return [];
    return [{ v: f, e: on ? bitor(vr(f), cnst(1 << b)) : bitclear(vr(f), cnst(1 << b)) }];
  }

  ctxVarFor(ctxInst: InstanceId): VarId {
    const key = `${ctxInst}:${this.curThread}`;
    let v = this.ctx.ctxVars.get(key);
    if (v === undefined) {
      v = this.ctx.addVar(`ctx.${this.inst(ctxInst).name}.${this.ctx.threadName(this.curThread)}`, 0, 0, { kind: 'ww-ctx', instance: ctxInst });
      this.ctx.ctxVars.set(key, v);
      this.ctx.ctxDoneVars.set(key, this.ctx.addVar(`ctxdone.${this.inst(ctxInst).name}.${this.ctx.threadName(this.curThread)}`, 1, 0, { kind: 'ww-ctx-done', instance: ctxInst, thread: this.curThread }));
      // Only where a lock of this context can return -EDEADLK (else it would stay 0 and cost a variable).
      if (this.ctxMayDie(ctxInst)) {
        const name = `ctxcontending.${this.inst(ctxInst).name}.${this.ctx.threadName(this.curThread)}`;
        this.ctx.ctxContendingVars.set(key, this.ctx.addVar(name, this.m.instances.length, 0, { kind: 'ww-ctx-contending', instance: ctxInst, thread: this.curThread }));
      }
    }
    return v;
  }

  /** Some op locks with `ctxInst` in a way that can return -EDEADLK (a ctx lock, not _slow, not a trylock). */
  private ctxMayDie(ctxInst: InstanceId): boolean {
    return this.m.procs.some((p) => p.nodes.some((n) => n.kind === 'op' && n.op.kind === 'lock' && n.op.ctx === ctxInst && !n.op.slow && !n.op.trylock));
  }

  cookieVar(cookie: InstanceId): VarId {
    const key = `${cookie}:${this.curThread}`;
    let v = this.ctx.memallocCookies.get(key);
    if (v === undefined) {
      v = this.ctx.addVar(`cookie.${this.inst(cookie).name}.${this.ctx.threadName(this.curThread)}`, 1, 0, { kind: 'memalloc-cookie', instance: cookie, thread: this.curThread });
      this.ctx.memallocCookies.set(key, v);
    }
    return v;
  }

  private wwClassOf(lock: InstanceId): string {
    return this.ctx.wwClassOfLock(lock);
  }

  /**
   * One op node: the ops that inline callbacks (allocation with direct
   * reclaim, fence signal, invalidation) are expanded here; every other op
   * family emits its transitions through an OpSite (ops/).
   */
  private emitOp(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>): void {
    const op = node.op;
    const label = { proc: copy.proc.id, node: node.id };
    const site = <O extends Op>(o: O): OpSite<O> => ({
      c: this,
      op: o,
      loc,
      emit: (outcome, guard, updates, extra = {}) =>
        this.addT(loc, { guard, updates, to: this.succ(copy, node, outcome), label: { ...label, outcome }, op, outcome, ...extra }, copy.contexts, copy.frames),
    });
    switch (op.kind) {
      case 'lock':
        return emitLock(site(op));
      case 'unlock':
        return emitUnlock(site(op));
      case 'user_access':
        emitUserAccess(site(op));
        return this.emitFaultHandlers(loc, copy, node, op);
      case 'mm_event':
        return this.emitMmEvent(loc, copy, node, op);
      case 'unmap_mapping_range':
        return emitUnmapMappingRange(site(op));
      case 'pagefault_disable':
      case 'pagefault_enable':
      case 'local_irq_disable':
      case 'local_irq_enable':
        return emitFlagOp(site(op));
      case 'ww_acquire_init':
      case 'ww_acquire_done':
      case 'ww_acquire_fini':
        return emitAcquireCtxOp(site(op));
      case 'alloc':
        return this.emitAlloc(loc, copy, node, op.gfp, false);
      case 'memalloc_save':
      case 'memalloc_restore':
        return emitMemallocOp(site(op));
      case 'interval_read_begin':
      case 'interval_read_retry':
      case 'interval_set_seq':
        return emitIntervalOp(site(op));
      case 'signalling_begin':
      case 'signalling_end':
        return emitSignallingOp(site(op));
      case 'fence_init':
        return emitFenceInit(site(op));
      case 'fence_publish':
        return emitFencePublish(site(op));
      case 'fence_signal':
        return this.emitSignal(loc, copy, node, op.fence);
      case 'fence_wait':
        return emitFenceWait(site(op));
      case 'fence_add_callback':
        return emitFenceAddCallback(site(op));
      case 'dma_buf_attach':
      case 'dma_buf_detach':
      case 'dma_buf_pin':
      case 'dma_buf_unpin':
      case 'dma_buf_map':
      case 'dma_buf_unmap':
        return emitAttachmentOp(site(op));
      case 'dma_buf_invalidate':
        return this.emitInvalidate(loc, copy, node, op.buf);
      case 'final_put':
        return this.emitFinalPut(loc, copy, node, op);
      case 'pm_runtime':
        return this.emitRpmCallbacks(loc, copy, node, op);
      case 'call_rcu': {
        // Queue the callback: its softirq thread may now run it (once per queueing).
        const th = [...this.rcuQueued.keys()].find((t) => this.ctx.threads[t]!.proc === op.callback);
        const v = th === undefined ? undefined : this.rcuQueued.get(th);
        site(op).emit('ok', TRUE, v === undefined ? [] : [{ v, e: cnst(1) }]);
        return;
      }
      case 'dma_buf_revoke':
      case 'dma_buf_unrevoke':
        return emitRevocationOp(site(op));
      case 'mp_bind':
      case 'mp_unbind':
        return emitProviderOp(site(op));
      case 'mp_own':
        return emitOwnershipOp(site(op));
      case 'phyr_op':
        return emitPhyrOp(site(op));
      case 'queue_work':
      case 'flush_work':
        return emitWorkOp(site(op));
      case 'userptr_pages':
        return emitUserptrPagesOp(site(op));
      case 'gem_access':
      case 'gem_prime_export':
        // Observed by rules (DMA into released pages, a userptr export).
        site(op).emit('ok', TRUE, []);
        return;
      case 'hw_submit':
      case 'sched_add_dependency':
      case 'sched_push':
        return emitSchedOp(site(op));
      case 'dma_buf_export':
      case 'device_access':
      case 'phyr_to_page':
      case 'page_ref_lock':
      case 'dma_buf_put':
      case 'mp_recv':
      case 'might_sleep':
      case 'local_bh_disable':
        site(op).emit('ok', TRUE, this.bhInc());
        return;
      case 'local_bh_enable':
        site(op).emit('ok', TRUE, this.bhDec());
        return;
      case 'rcu_sync':
        if (op.api === 'rcu_barrier' && this.rcuQueued.size > 0) {
          // kernel/rcu/tree.c rcu_barrier(): waits until every callback queued
          // before it has run: none still queued and none running.
          const idle = [...this.rcuQueued].map(([t, v]) => and(eq(vr(v), cnst(0)), this.doneExpr(t)));
          site(op).emit('ok', and(...idle), []);
          return;
        }
        site(op).emit('ok', TRUE, []);
        return;
      case 'rcu_read_lock':
      case 'rcu_read_unlock':
      case 'lock_init':
      case 'might_lock':
      case 'fs_reclaim':
        // No state of the semantics changes; rules observe the step.
        // (might_lock and fs_reclaim_acquire/release are lockdep annotations:
        // the lock graph records them, nothing blocks. A grace-period wait is
        // judged by the lock graph's wait-context check: lockgraph/acquisitions.ts.)
        // (RCU sections are judged on the lock graph:
        // checker/engines/lockgraph/usage.ts.)
        site(op).emit('ok', TRUE, []);
        return;
      default:
        unreachable(op);
    }
  }

  irqsaveInc(): Update[] {
    return this.depthInc(this.ctx.irqsaveVars);
  }

  irqsaveDec(): Update[] {
    return this.depthDec(this.ctx.irqsaveVars);
  }

  /** local_bh_disable / spin_lock_bh nesting (include/linux/bottom_half.h), saturating like irqsave. */
  bhInc(): Update[] {
    return this.depthInc(this.ctx.bhDepthVars);
  }

  bhDec(): Update[] {
    return this.depthDec(this.ctx.bhDepthVars);
  }

  /** One more level of the current thread's nesting counter in `vars`, saturating at DEPTH_MAX (none: the model never nests it). */
  private depthInc(vars: ReadonlyMap<number, VarId>): Update[] {
    const d = vars.get(this.curThread);
    return d === undefined ? [] : [{ v: d, e: ite(lt(vr(d), cnst(DEPTH_MAX)), add(vr(d), cnst(1)), vr(d)) }];
  }

  /** One level less, never below 0. */
  private depthDec(vars: ReadonlyMap<number, VarId>): Update[] {
    const d = vars.get(this.curThread);
    return d === undefined ? [] : [{ v: d, e: ite(ne(vr(d), cnst(0)), sub(vr(d), cnst(1)), vr(d)) }];
  }

  addReadPatch(p: ReadPatch): void {
    this.readPatches.push(p);
  }

  addWoundPatch(p: WoundPatch): void {
    this.woundPatches.push(p);
  }

  addWwWaitSite(w: { thread: number; pc: number; lock: InstanceId; ctxVar: VarId }): void {
    this.wwWaitSites.push(w);
  }

  addWriteWaitSite(w: { thread: number; pc: number; lock: InstanceId }): void {
    this.writeWaitSites.push(w);
  }

  /** pc test plus the irq host conjuncts every transition of `thread` starts with. */
  private baseGuard(thread: number, loc: number): BoolExpr {
    const ctx = this.ctx;
    const hostFree = ctx.threads[thread]!.canHostIrq
      ? this.irqThreads.map((j) => ne(vr(ctx.irqVars.get(j)!.host), cnst(thread + 1)))
      : [];
    return and(ctx.pcIs(thread, loc), ...hostFree);
  }

  /** A writer other than `thread` sleeps on `lock` (it is held and some thread waits at down_write). */
  private writerWaiting(lock: InstanceId, thread: number): BoolExpr {
    const ctx = this.ctx;
    const sites = this.writeWaitSites.filter((w) => w.lock === lock && w.thread !== thread);
    if (sites.length === 0) return FALSE;
    const o = ctx.owner.get(lock)!;
    const r = ctx.readers.get(lock)!;
    return and(or(ne(vr(o), cnst(0)), ne(vr(r), cnst(0))), or(...sites.map((w) => ctx.pcIs(w.thread, w.pc))));
  }

  private patchReaders(): void {
    const ctx = this.ctx;
    for (const p of this.readPatches) {
      const waiting = and(this.writerWaiting(p.lock, p.thread), p.when ?? TRUE);
      if (waiting.k === 'false') continue;
      const ok = ctx.transitions[p.ok]!;
      ok.guard = and(ok.guard, not(waiting));
      if (p.fail !== undefined) {
        const fail = ctx.transitions[p.fail]!;
        fail.guard = and(this.baseGuard(p.thread, p.loc), or(p.failRest, waiting));
      }
    }
  }

  private emitAlloc(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, gfp: GfpMask, after: boolean): void {
    const t = this.curThread;
    const scan = this.scans[t]!;
    const op = node.op;
    // RECLAIM-3/4: current_gfp_context() clears __GFP_IO/__GFP_FS under
    // NOIO, __GFP_FS under NOFS; PF_MEMALLOC (in reclaim, or
    // memalloc_noreclaim_save) means no direct reclaim.
    const nofs = this.flag(MEMALLOC_NOFS);
    const noio = this.flag(MEMALLOC_NOIO);
    const norec = this.flag(MEMALLOC_NORECLAIM);
    const dr = copy.inReclaim || !gfp.directReclaim ? FALSE : not(norec);
    const fs = gfp.fs ? and(not(nofs), not(noio)) : FALSE;
    const io = gfp.io ? not(noio) : FALSE;
    const gi: GfpInfo = { declared: gfp, directReclaim: dr, fs: and(dr, fs), io };
    const staticOf = (b: BoolExpr) => (b.k === 'true' ? true : b.k === 'false' ? false : undefined);
    const sd = staticOf(gi.directReclaim);
    const sf = staticOf(gi.fs);
    const si = staticOf(gi.io);
    if (sd !== undefined && sf !== undefined && si !== undefined) gi.static = { directReclaim: sd, fs: sf, io: si };
    const lbl = (outcome: Outcome) => ({ proc: copy.proc.id, node: node.id, outcome });
    this.addT(loc, { guard: TRUE, updates: [], to: this.succ(copy, node, 'ok'), label: lbl('ok'), op, outcome: 'ok', gfp: gi }, copy.contexts, copy.frames);
    if (gfp.mayFail) {
      this.addT(loc, { guard: TRUE, updates: [], to: this.succ(copy, node, 'fail'), label: lbl('fail'), op, outcome: 'fail', gfp: gi }, copy.contexts, copy.frames);
    }
    if (after || !this.o.directReclaim || dr.k === 'false' || this.reclaimRegs.length === 0) return;
    // Direct reclaim (RECLAIM-5): the allocating thread may run any one
    // registered shrinker or notifier inline, with its locks held, then
    // retry the allocation. fs_reclaim is held iff the effective mask has
    // __GFP_FS; the copy is specialised for each possible answer.
    const variants: boolean[] = [];
    if (gfp.fs) variants.push(true);
    if (!gfp.fs || scan.scopes.has('nofs') || scan.scopes.has('noio')) variants.push(false);
    let afterLoc = copy.allocAfter.get(node.id);
    if (afterLoc === undefined) {
      afterLoc = this.newLoc(t, { kind: 'alloc-after', proc: copy.proc.id, node: node.id, frames: copy.frames, contexts: copy.contexts, end: false, fsReclaim: copy.fsReclaim });
      copy.allocAfter.set(node.id, afterLoc);
      this.emitAlloc(afterLoc, copy, node, gfp, true);
    }
    const target = afterLoc;
    for (const fsv of variants) {
      for (const r of this.reclaimRegs) {
        const frames: Frame[] = [...copy.frames, { proc: r.proc, kind: 'direct-reclaim', enteredAt: { proc: copy.proc.id, node: node.id } }];
        const cb = this.newCopy(r.proc, frames, ['reclaim', 'direct-reclaim', ...this.regContexts(r)], copy, {
          inReclaim: true,
          inFenceCb: copy.inFenceCb,
          fsReclaim: fsv,
          cont: {
            kind: 'return',
            emit: (from, endNode) => {
              const release = releaseUnpinnedPages(this.ctx, this.m, this.notifierMm(r));
              this.addT(from, { guard: TRUE, updates: release, to: target, label: { proc: r.proc, node: endNode, synthetic: 'leave-reclaim' } }, cb.contexts, frames);
            },
          },
        });
        const entry = this.locFor(cb, 0);
        this.addT(loc, {
          guard: and(dr, fsv ? fs : not(fs)),
          updates: beginInvalidation(this.ctx, this.m, this.notifierMm(r)),
          to: entry,
          label: { proc: copy.proc.id, node: node.id, synthetic: 'enter-reclaim' },
          gfp: gi,
          enters: { proc: r.proc, kind: 'direct-reclaim', fs: fsv },
        }, copy.contexts, copy.frames);
      }
    }
  }

  /**
   * Run callbacks inline, one after the other, each only if `cond` holds
   * when its turn comes (first step: the op itself; later: the leave step
   * of the previous callback). `entries[i]` runs in a fresh inlined copy.
   */
  /** Callback copies made by emitDispatch so far (see MAX_INLINED_CALLBACK_RUNS). */
  private dispatchCopies = 0;

  private emitDispatch(
    from: number,
    copy: Copy,
    node: Extract<Node, { kind: 'op' }>,
    entries: { proc: ProcId; cond: BoolExpr; onEnter: { v: VarId; e: IntExpr }[] }[],
    start: number,
    base: { guard: BoolExpr; updates: { v: VarId; e: IntExpr }[]; label: TransitionSpec['label']; op?: Op; outcome?: Outcome; contexts: Context[]; frames: Frame[] },
    frameKind: 'fence-callback' | 'invalidate',
    atomicOnEnter: boolean,
  ): void {
    const skip: BoolExpr[] = [];
    const cont = this.succ(copy, node, 'ok');
    for (let i = start; i < entries.length; i++) {
      const e = entries[i]!;
      const frames: Frame[] = [...copy.frames, { proc: e.proc, kind: frameKind, enteredAt: { proc: copy.proc.id, node: node.id } }];
      // Do not inline a callback into itself (a callback that signals the
      // fence it is registered on): the kernel would recurse on the fence lock.
      if (copy.frames.some((f) => f.proc === e.proc && f.kind === frameKind)) {
        skip.push(not(e.cond));
        continue;
      }
      // Each callback's end dispatches the ones after it afresh, so k
      // callbacks on one fence make up to 2^k inlined copies: stop at a
      // documented limit (LMC462) rather than compile for hours.
      if (++this.dispatchCopies > MAX_INLINED_CALLBACK_RUNS) {
        throw new SemanticsError(
          'LMC462',
          frameKind === 'fence-callback'
            ? `more than ${MAX_INLINED_CALLBACK_RUNS} inlined callback runs: every subset of the callbacks registered on one fence is inlined where it is signalled; register fewer callbacks on one fence`
            : `more than ${MAX_INLINED_CALLBACK_RUNS} inlined callback runs: every subset of the importers' invalidate hooks of one buffer is inlined where it is invalidated; attach fewer importers to one buffer`,
        );
      }
      const extra: Context[] = frameKind === 'fence-callback' ? ['fence-callback', 'atomic'] : ['invalidate-mappings'];
      const inFenceCb = copy.inFenceCb || frameKind === 'fence-callback';
      const cb = this.newCopy(e.proc, frames, extra, copy, {
        inReclaim: copy.inReclaim,
        inFenceCb,
        cont: {
          kind: 'return',
          emit: (endLoc, endNode) => {
            this.emitDispatch(endLoc, copy, node, entries, i + 1, {
              guard: TRUE,
              updates: [],
              label: { proc: e.proc, node: endNode, synthetic: 'leave-callback' },
              contexts: cb.contexts,
              frames,
            }, frameKind, false);
          },
        },
      });
      const entry = this.locFor(cb, 0);
      const ups = [...base.updates, ...e.onEnter];
      if (atomicOnEnter) ups.push(...this.setFlag(FENCE_CB_ATOMIC, true));
      const spec: TransitionSpec = {
        guard: and(base.guard, ...skip, e.cond),
        updates: mergeUpdates(ups),
        to: entry,
        label: base.label,
        enters: { proc: e.proc, kind: frameKind },
      };
      if (base.op) spec.op = base.op;
      if (base.outcome) spec.outcome = base.outcome;
      this.addT(from, spec, base.contexts, base.frames);
      skip.push(not(e.cond));
    }
    // Nothing (more) to run: continue after the op. The outermost fence
    // callback frame turns the atomic flag off again.
    const ups = [...base.updates];
    if (frameKind === 'fence-callback' && !copy.inFenceCb && !atomicOnEnter) ups.push(...this.setFlag(FENCE_CB_ATOMIC, false));
    const spec: TransitionSpec = { guard: and(base.guard, ...skip), updates: mergeUpdates(ups), to: cont, label: base.label };
    if (base.op) spec.op = base.op;
    if (base.outcome) spec.outcome = base.outcome;
    this.addT(from, spec, base.contexts, base.frames);
  }

  private emitSignal(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, fence: InstanceId): void {
    const ctx = this.ctx;
    const f = ctx.fenceVar(fence);
    // dma_fence_signal marks the fence signalled, then runs every
    // registered callback inline (fence lock held, irqs off), each once
    // (the list is detached while signalling).
    const procs = this.fenceCallbacks.get(fence) ?? [];
    const entries = procs.map((p) => {
      const v = ctx.callbackRegisteredVar(fence, p)!;
      return { proc: p, cond: eq(vr(v), cnst(1)), onEnter: [{ v, e: cnst(0) }] };
    });
    this.emitDispatch(loc, copy, node, entries, 0, {
      guard: TRUE,
      updates: f === undefined ? [] : [{ v: f, e: cnst(FENCE_SIGNALLED) }],
      label: { proc: copy.proc.id, node: node.id, outcome: 'ok' },
      op: node.op,
      outcome: 'ok',
      contexts: copy.contexts,
      frames: copy.frames,
    }, 'fence-callback', !copy.inFenceCb);
  }

  private emitInvalidate(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, buf: InstanceId): void {
    const ctx = this.ctx;
    // dma_buf_invalidate_mappings (née move_notify) walks the buffer's
    // attachment list with the resv held and calls each importer's
    // invalidate_mappings; mappings become invalidated (still mapped, no
    // new DMA) until the importer unmaps. Importers without a callback get
    // no notification and keep their state. Attachments that are attached
    // at the time of their turn (in any mapped/unmapped state) are called.
    const atts = this.invalidateAtts.get(buf) ?? [];
    const ups: { v: VarId; e: IntExpr }[] = [];
    for (const at of atts) {
      const v = ctx.attachmentVar(at)!;
      ups.push({ v, e: ite(eq(bitand(vr(v), cnst(ATT_STATE_MASK)), cnst(ATT_MAPPED)), bitor(vr(v), cnst(1)), vr(v)) });
    }
    const entries = atts.map((at) => ({
      proc: this.inst(at).importer!.invalidate!,
      cond: ne(bitand(vr(ctx.attachmentVar(at)!), cnst(ATT_STATE_MASK)), cnst(ATT_DETACHED)),
      onEnter: [] as { v: VarId; e: IntExpr }[],
    }));
    this.emitDispatch(loc, copy, node, entries, 0, {
      guard: TRUE,
      updates: ups,
      label: { proc: copy.proc.id, node: node.id, outcome: 'ok' },
      op: node.op,
      outcome: 'ok',
      contexts: copy.contexts,
      frames: copy.frames,
    }, 'invalidate', false);
  }

  /**
   * A possibly-final put (ORDER-7): either another reference remains (the
   * put returns at once) or this was the last one and the destructor runs
   * inline, in the putting task with everything it holds (drm_gem_object_put
   * -> drm_gem_object_free -> funcs->free; ttm_bo_put -> ttm_bo_release;
   * kref_put -> release; dma_fence_put -> dma_fence_release -> ops->release).
   * A destructor is never inlined into itself.
   */
  private emitFinalPut(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, op: Extract<Op, { kind: 'final_put' }>): void {
    const label = { proc: copy.proc.id, node: node.id, outcome: 'ok' as const };
    const cont = this.succ(copy, node, 'ok');
    this.addT(loc, { guard: TRUE, updates: [], to: cont, label, op, outcome: 'ok' }, copy.contexts, copy.frames);
    const rel = op.release;
    const kind = op.fence ? 'release' : 'destructor';
    if (rel === undefined || copy.frames.some((f) => f.proc === rel && (f.kind === 'release' || f.kind === 'destructor'))) return;
    const frames: Frame[] = [...copy.frames, { proc: rel, kind, enteredAt: { proc: copy.proc.id, node: node.id } }];
    const extra: Context[] = op.fence ? ['fence-release', 'final-put'] : ['final-put'];
    const cb = this.newCopy(rel, frames, extra, copy, {
      inReclaim: copy.inReclaim,
      inFenceCb: copy.inFenceCb,
      cont: {
        kind: 'return',
        emit: (from, endNode) => {
          this.addT(from, { guard: TRUE, updates: [], to: cont, label: { proc: rel, node: endNode, synthetic: 'leave-callback' } }, cb.contexts, frames);
        },
      },
    });
    const entry = this.locFor(cb, 0);
    this.addT(loc, { guard: TRUE, updates: [], to: entry, label, op, outcome: 'ok', enters: { proc: rel, kind } }, copy.contexts, copy.frames);
  }

  /**
   * A synchronous runtime PM call (drivers/base/power/runtime.c): the
   * device may already be in the wanted state (or its usage count keeps it
   * there), so the call returns at once; or rpm_callback() runs the
   * callbacks inline, in order (rpm_idle: ->runtime_idle, then rpm_suspend:
   * ->runtime_suspend), in the calling task with everything it holds.
   * dev->power.lock is dropped around each callback (__rpm_callback), so it
   * is a lock/unlock step of its own before this op. A callback is never
   * inlined into itself (a resume callback that resumes its own device
   * finds it RPM_RESUMING and returns).
   */
  private emitRpmCallbacks(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, op: Extract<Op, { kind: 'pm_runtime' }>): void {
    const label = { proc: copy.proc.id, node: node.id, outcome: 'ok' as const };
    const cont = this.succ(copy, node, 'ok');
    this.addT(loc, { guard: TRUE, updates: [], to: cont, label, op, outcome: 'ok' }, copy.contexts, copy.frames);
    const cbs = op.callbacks.filter((p) => !copy.frames.some((f) => f.proc === p && f.kind === 'rpm'));
    if (cbs.length === 0) return;
    const copies: { cb: Copy; frames: Frame[] }[] = [];
    cbs.forEach((p, i) => {
      const frames: Frame[] = [...copy.frames, { proc: p, kind: 'rpm', enteredAt: { proc: copy.proc.id, node: node.id } }];
      const cb = this.newCopy(p, frames, [], copy, {
        inReclaim: copy.inReclaim,
        inFenceCb: copy.inFenceCb,
        cont: {
          kind: 'return',
          emit: (from, endNode) => {
            const to = i === cbs.length - 1 ? cont : this.locFor(copies[i + 1]!.cb, 0);
            this.addT(from, { guard: TRUE, updates: [], to, label: { proc: p, node: endNode, synthetic: 'leave-callback' } }, cb.contexts, frames);
          },
        },
      });
      copies.push({ cb, frames });
    });
    const entry = this.locFor(copies[0]!.cb, 0);
    this.addT(loc, { guard: TRUE, updates: [], to: entry, label, op, outcome: 'ok', enters: { proc: cbs[0]!, kind: 'rpm' } }, copy.contexts, copy.frames);
  }

  /** vm_operations fault handlers registered for the mm whose lock is `mm`'s. */
  private faultHandlersOf(mm: InstanceId): Registration[] {
    const li = this.ctx.lockInstance(mm);
    return this.m.registrations.filter((r) => r.role === 'vm_fault' && r.mm !== undefined && this.ctx.lockInstance(r.mm) === li);
  }

  /** Interval notifiers watching the mm whose lock is `mm`'s. */
  private notifiersOf(mm: InstanceId): Registration[] {
    const li = this.ctx.lockInstance(mm);
    return this.m.registrations.filter((r) => {
      const watched = r.role === 'mmu_notifier' && r.notifier !== undefined ? this.inst(r.notifier).mm : undefined;
      return watched !== undefined && this.ctx.lockInstance(watched) === li;
    });
  }

  /**
   * A user access that faults on a mapping with a driver fault handler
   * (mm/memory.c handle_mm_fault -> __do_fault -> vma->vm_ops->fault) runs
   * the handler inline with mmap_lock held for read: taken by the fault
   * (lock_mm_and_find_vma) when the task does not hold it, or the caller's
   * own hold for GUP/hmm_range_fault (and for a copy under mmap_read_lock,
   * whose nested down_read queues behind a sleeping writer). The handler-less
   * fault of emitUserAccess stays possible: the access may hit another VMA.
   */
  private emitFaultHandlers(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, op: Extract<Op, { kind: 'user_access' }>): void {
    const handlers = this.faultHandlersOf(op.mm);
    if (handlers.length === 0) return;
    const ctx = this.ctx;
    const t = this.curThread;
    const li = ctx.lockInstance(op.mm);
    const o = ctx.owner.get(li);
    const r = ctx.readers.get(li);
    if (o === undefined || r === undefined) return;
    const pfd = this.flag(PAGEFAULT_DISABLED);
    const cont = this.succ(copy, node, 'ok');
    const label = { proc: copy.proc.id, node: node.id, outcome: 'ok' as const };
    const readHeld = ctx.heldReadBy(li, t);
    const writeHeld = eq(vr(o), cnst(t + 1));
    const callerHolds = CALLER_HOLDS_MMAP_LOCK.has(op.api);
    const bit = cnst(1 << t);
    // pin_user_pages(obj): the pages are pinned once the fault is handled.
    const pin = op.obj !== undefined ? pinEffect(ctx, op.obj) : undefined;
    for (const h of handlers) {
      if (copy.frames.some((f) => f.proc === h.proc && f.kind === 'fault')) continue;
      const frames: Frame[] = [...copy.frames, { proc: h.proc, kind: 'fault', enteredAt: { proc: copy.proc.id, node: node.id } }];
      const run = (enter: { guard: BoolExpr; updates: Update[] }, leave: Update[]): number => {
        const cb = this.newCopy(h.proc, frames, [], copy, {
          inReclaim: copy.inReclaim,
          inFenceCb: copy.inFenceCb,
          cont: {
            kind: 'return',
            emit: (from, endNode) => {
              this.addT(from, { guard: TRUE, updates: [...leave, ...(pin?.updates ?? [])], to: cont, label: { proc: h.proc, node: endNode, synthetic: 'leave-callback' } }, cb.contexts, frames);
            },
          },
        });
        return this.addT(loc, { guard: and(not(pfd), enter.guard, pin?.guard ?? TRUE), updates: enter.updates, to: this.locFor(cb, 0), label, op, outcome: 'ok', enters: { proc: h.proc, kind: 'fault' } }, copy.contexts, copy.frames);
      };
      const held = run({ guard: callerHolds ? or(readHeld, writeHeld) : readHeld, updates: [] }, []);
      if (!callerHolds) this.addReadPatch({ thread: t, loc, lock: li, ok: held, failRest: FALSE });
      const taken = run({ guard: and(not(readHeld), not(writeHeld), eq(vr(o), cnst(0))), updates: [{ v: r, e: bitor(vr(r), bit) }] }, [{ v: r, e: bitclear(vr(r), bit) }]);
      this.addReadPatch({ thread: t, loc, lock: li, ok: taken, failRest: FALSE });
    }
  }

  /**
   * munmap / mprotect / exit_mmap in the calling task (NOTIFIER-1): take
   * mmap_lock (write; exit_mmap reads around unmap_vmas), run every interval
   * notifier of the mm inline, one after the other, outside reclaim (their
   * allocations are real GFP_KERNEL allocations that may reclaim), then
   * drop the lock. Without notifiers the lock is taken and dropped at once.
   */
  private emitMmEvent(loc: number, copy: Copy, node: Extract<Node, { kind: 'op' }>, op: Extract<Op, { kind: 'mm_event' }>): void {
    const ctx = this.ctx;
    const t = this.curThread;
    const li = ctx.lockInstance(op.mm);
    const o = ctx.owner.get(li);
    const r = ctx.readers.get(li);
    if (o === undefined || r === undefined) throw new SemanticsError('LMC461', `${op.api}: instance ${this.inst(op.mm).name} is not an mm`);
    const bit = cnst(1 << t);
    const write = op.mode === 'write';
    const guard = write ? and(eq(vr(o), cnst(0)), eq(vr(r), cnst(0))) : eq(vr(o), cnst(0));
    const take: Update[] = write ? [{ v: o, e: cnst(t + 1) }] : [{ v: r, e: bitor(vr(r), bit) }];
    const drop: Update[] = write ? [{ v: o, e: cnst(0) }] : [{ v: r, e: bitclear(vr(r), bit) }];
    const cont = this.succ(copy, node, 'ok');
    const label = { proc: copy.proc.id, node: node.id, outcome: 'ok' as const };
    const regs = this.notifiersOf(op.mm).filter((g) => !copy.frames.some((f) => f.proc === g.proc && f.kind === 'mm-event'));
    let first: number;
    if (regs.length === 0) {
      first = this.addT(loc, { guard, updates: [], to: cont, label, op, outcome: 'ok' }, copy.contexts, copy.frames);
    } else {
      const copies: Copy[] = [];
      regs.forEach((g, i) => {
        const frames: Frame[] = [...copy.frames, { proc: g.proc, kind: 'mm-event', enteredAt: { proc: copy.proc.id, node: node.id } }];
        const cb = this.newCopy(g.proc, frames, this.regContexts(g), copy, {
          inReclaim: copy.inReclaim,
          inFenceCb: copy.inFenceCb,
          cont: {
            kind: 'return',
            emit: (from, endNode) => {
              const last = i === regs.length - 1;
              const to = last ? cont : this.locFor(copies[i + 1]!, 0);
              this.addT(from, { guard: TRUE, updates: last ? drop : [], to, label: { proc: g.proc, node: endNode, synthetic: 'leave-callback' } }, cb.contexts, frames);
            },
          },
        });
        copies.push(cb);
      });
      first = this.addT(loc, { guard, updates: take, to: this.locFor(copies[0]!, 0), label, op, outcome: 'ok', enters: { proc: regs[0]!.proc, kind: 'mm-event' } }, copy.contexts, copy.frames);
    }
    if (write) this.addWriteWaitSite({ thread: t, pc: loc, lock: li });
    else this.addReadPatch({ thread: t, loc, lock: li, ok: first, failRest: FALSE });
  }

  // -------------------------------------------------------------------------
  // Post passes.

  private patchBounds(): void {
    const ctx = this.ctx;
    ctx.threads.forEach((t) => {
      const v = ctx.vars[ctx.pcVars[t.id]!]!;
      v.max = Math.max(0, ctx.locations[t.id]!.length - 1);
      v.width = widthFor(v.max);
    });
    let maxStamp = 0;
    for (const [cls, k] of ctx.stampCounters) {
      const n = this.initCount.get(cls) ?? 0;
      const v = ctx.vars[k]!;
      v.max = n;
      v.width = widthFor(n);
      maxStamp = Math.max(maxStamp, n);
    }
    for (const v of ctx.ctxVars.values()) {
      ctx.vars[v]!.max = maxStamp;
      ctx.vars[v]!.width = widthFor(maxStamp);
    }
    for (const v of ctx.wwHolder.values()) {
      ctx.vars[v]!.max = maxStamp;
      ctx.vars[v]!.width = widthFor(maxStamp);
    }
    // Resolve the lazily built done placeholders now that locations exist.
    const done = ctx.threads.map((t) => this.realDone(t.id));
    const alg = resolveDoneAlgebra(done);
    const fix = (b: BoolExpr): BoolExpr => foldBool(b, alg);
    const fixInt = (e: IntExpr): IntExpr => foldInt(e, alg);
    for (const t of ctx.transitions) {
      t.guard = fix(t.guard);
      t.updates = t.updates.map((u) => ({ v: u.v, e: fixInt(u.e) }));
    }
  }

  private realDone(thread: number): BoolExpr {
    const ctx = this.ctx;
    const th = ctx.threads[thread]!;
    const locs = ctx.locations[thread]!;
    if (th.kind === 'irq' || th.kind === 'softirq' || th.kind === 'kswapd') return ctx.pcIs(thread, this.idleLoc.get(thread)!);
    // Root-copy end nodes: no outgoing transitions and no frames beyond the root.
    const rootDepth = th.kind === 'work' ? 1 : 0;
    // (An mmu-notifier event thread's end node has one: the mm's notifier-return step.)
    const ends = locs.filter((l) => l.end && l.frames.length === rootDepth && l.out.length === 0).map((l) => ctx.pcIs(thread, l.pc));
    return or(...ends);
  }

  private patchWounds(): void {
    const ctx = this.ctx;
    for (const p of this.woundPatches) {
      const cls = this.wwClassOf(p.lock);
      const waiters: BoolExpr[] = [];
      for (const s of this.wwWaitSites) {
        if (s.thread === p.thread || this.wwClassOf(s.lock) !== cls) continue;
        const o = ctx.owner.get(s.lock)!;
        const h = ctx.wwHolder.get(s.lock)!;
        waiters.push(
          and(
            ctx.pcIs(s.thread, s.pc),
            eq(vr(o), cnst(p.thread + 1)),
            eq(vr(h), vr(p.ctxVar)),
            ne(vr(s.ctxVar), cnst(0)),
            lt(vr(s.ctxVar), vr(p.ctxVar)),
          ),
        );
      }
      const t = ctx.transitions[p.t]!;
      t.guard = and(t.guard, p.base, or(...waiters));
    }
  }

  private makeSystemThreads(): void {
    const ctx = this.ctx;
    for (const t of ctx.threads) {
      let done = this.realDone(t.id);
      let notStarted: BoolExpr = FALSE;
      let liveness: SystemThread['liveness'] = 'mandatory';
      if (t.kind === 'thread' && t.registration !== undefined) {
        liveness = 'optional';
        notStarted = ctx.pcIs(t.id, this.pendingLoc.get(t.id)!);
      } else if (t.kind === 'work' && t.sched !== undefined) {
        // A scheduler's proc is owed its run as soon as it can start (a
        // job whose dependency never signals never runs: no deadlock, but
        // its fence stays unsignalled for fence-finite to see).
        liveness = 'optional';
        notStarted = and(ctx.pcIs(t.id, this.pendingLoc.get(t.id)!), not(this.workStartGuard(t)));
      } else if (t.kind === 'work') {
        liveness = 'optional';
        notStarted = eq(vr(ctx.workVar(t.work!)!), cnst(0));
      } else if (t.kind === 'irq' || t.kind === 'softirq') {
        if (this.irqIsOwed(t.id)) {
          // An irq whose handler signals a fence (or queues work) is how
          // the hardware reports completion: it will fire. It is owed its
          // runs: not done while it can still fire, so a thread waiting for
          // what it does is not a deadlock before it fired, and is one when
          // it cannot fire (every host gone or running with irqs off).
          const fires = ctx.transitions.filter((x) => x.thread === t.id && (x.label.synthetic === 'irq-fire' || x.label.synthetic === 'hw-hang')).map((x) => x.guard);
          done = and(done, not(or(...fires)));
        } else {
          liveness = 'optional';
          notStarted = eq(vr(ctx.irqVars.get(t.id)!.fires), cnst(0));
        }
      } else if (t.kind === 'kswapd') {
        liveness = 'optional';
        notStarted = eq(vr(ctx.kswapdRunsVar!), cnst(0));
      }
      ctx.systemThreads.push({ id: t.id, name: t.name, kind: t.kind, liveness, done, notStarted });
    }
  }

  /** The irq's handler (with what it runs inline) signals a fence for sure or queues work. */
  private irqIsOwed(thread: number): boolean {
    if (this.completionHw(this.ctx.threads[thread]!) !== undefined || this.rcuQueued.has(thread)) return true;
    for (const p of this.scans[thread]!.procs) {
      for (const op of this.ops(this.proc(p))) {
        if ((op.kind === 'fence_signal' && op.guaranteed) || op.kind === 'queue_work') return true;
      }
    }
    return false;
  }


}

/** Inlined callback copies per model (LMC462 past it): 2^12, far above any fixture. */
export const MAX_INLINED_CALLBACK_RUNS = 4096;

/** Later updates of the same variable win (callers only ever repeat identical flag writes). */
function mergeUpdates(ups: { v: VarId; e: IntExpr }[]): { v: VarId; e: IntExpr }[] {
  const m = new Map<VarId, IntExpr>();
  for (const u of ups) m.set(u.v, u.e);
  return [...m].map(([v, e]) => ({ v, e }));
}

/** Placeholder `bit(var -1-t, 0)` marks "thread t done" (no real var id is negative). */
function placeholderThread(b: BoolExpr): number | undefined {
  if (b.k !== 'bit' || b.a.k !== 'var' || b.a.v >= 0) return undefined;
  return -1 - b.a.v;
}

/**
 * Replaces every done placeholder by the thread's real done expression;
 * conjunctions, disjunctions and negations are rebuilt through the smart
 * constructors so the result is flattened like every other guard.
 */
function resolveDoneAlgebra(done: BoolExpr[]): ExprAlgebra<IntExpr, BoolExpr> {
  return {
    const: (e) => e,
    var: (e) => e,
    add: (e, a, b) => ({ k: e.k, a, b }),
    sub: (e, a, b) => ({ k: e.k, a, b }),
    bitor: (e, a, b) => ({ k: e.k, a, b }),
    bitand: (e, a, b) => ({ k: e.k, a, b }),
    bitclear: (e, a, b) => ({ k: e.k, a, b }),
    ite: (_, c, t, f) => ({ k: 'ite', c, t, e: f }),
    true: (e) => e,
    false: (e) => e,
    eq: (e, a, b) => ({ k: e.k, a, b }),
    ne: (e, a, b) => ({ k: e.k, a, b }),
    lt: (e, a, b) => ({ k: e.k, a, b }),
    le: (e, a, b) => ({ k: e.k, a, b }),
    bit: (e, a) => {
      const ph = placeholderThread(e);
      return ph !== undefined ? done[ph]! : { k: 'bit', a, bit: e.bit };
    },
    and: (_, args) => and(...args),
    or: (_, args) => or(...args),
    not: (_, a) => not(a),
  };
}
