/**
 * CompileContext: the builder state of `compileSystem` (compile.ts), and
 * the hook surface for the properties compiler (properties.ts).
 *
 * How to use it from a properties hook (`(ctx) => Property[]`): by the time
 * the hook runs, every state variable of the semantics and every
 * transition exists. The hook
 *   - reads `ctx.steps[t]` (one `StepInfo` per transition, same index) to
 *     find the transitions a StepPattern matches (the IR op, its outcome,
 *     the static contexts it runs in, the effective GFP mask ...);
 *   - builds state predicates with the expression helpers below
 *     (`heldBy`, `fenceIs`, `attIn`, `irqsOff`, `inSignalling` ...), which
 *     only read existing variables or create the lazily made per-thread
 *     ones;
 *   - adds monitor variables with `addVar` (role `monitor`), updates them
 *     with `addUpdate(t, v, e)`, may restrict transitions with
 *     `addGuardConjunct`, and marks transitions that matter to a rule with
 *     `markVisible`;
 *   - returns the Property list. compile.ts then recomputes read/write
 *     footprints and the hash.
 *
 * Encodings (exported constants are the contract):
 *   lock owner      0 free, t+1 held exclusively by engine thread t
 *   lock readers    bit t set while thread t holds a read side
 *   ww holder       0 free or held without ctx, else the holder ctx's value
 *   ww ctx          0 not live, else 1 + stamp (per (ctx instance, thread))
 *   fence           FENCE_INIT 0, FENCE_PUBLISHED 1, FENCE_SIGNALLED 2
 *   published.resv  bit i: fence `publishedFences(resv)[i]` was added to resv
 *   attachment      low 2 bits ATT_DETACHED/ATTACHED/MAPPED/INVALIDATED,
 *                   bit ATT_PINNED_BIT: pinned
 *   buffer          BUF_ACTIVE 0, BUF_REVOKED 1
 *   rxq             RXQ_NONE 0, RXQ_DEVMEM 1, RXQ_ZCRX 2
 *   work            0 never queued, 1 queued (progress is the work thread's pc)
 *   thread flags    bits IRQS_OFF, PAGEFAULT_DISABLED, MEMALLOC_NOFS,
 *                   MEMALLOC_NOIO, MEMALLOC_NORECLAIM, FENCE_CB_ATOMIC
 *   userptr pages   low bits PAGES_PRESENT 0, PAGES_PINNED 1, PAGES_RELEASED 2;
 *                   plus PAGES_INVALIDATING (4) times the invalidations of its mm running
 *   rxq buffer      0 none, k + 1: bound to the k-th dma_buf (bufferIndex)
 *   buffer owner    OWNER_NONE 0, OWNER_DEVMEM 1, OWNER_ZCRX 2 (the registration)
 *   phyr            PHYR_UNMAPPED 0, PHYR_MAPPED 1
 */

import type { DiagnosticCode } from '../../model/diagnostics.js';
import type { Context } from '../../rules/types.js';
import type {
  DriverModel,
  GfpMask,
  InstanceId,
  NodeId,
  Op,
  Outcome,
  ProcId,
} from '../../model/ir.js';
import type {
  BoolExpr,
  IntExpr,
  SemanticOptions,
  StateVar,
  StepLabel,
  SystemThread,
  Transition,
  VarId,
  VarRole,
} from './system.js';
import {
  FALSE,
  TRUE,
  and,
  bit,
  bitand,
  cnst,
  eq,
  ne,
  not,
  or,
  vr,
  widthFor,
} from './expr.js';

// ---------------------------------------------------------------------------
// Encodings.

/** Thread flag bits (`threadFlagsVar`). */
export const IRQS_OFF = 0; // local_irq_disable (irqsave nesting is a separate counter)
export const PAGEFAULT_DISABLED = 1;
export const MEMALLOC_NOFS = 2;
export const MEMALLOC_NOIO = 3;
export const MEMALLOC_NORECLAIM = 4; // PF_MEMALLOC via memalloc_noreclaim_save
/** Set while the thread runs fence callbacks inside dma_fence_signal (fence lock held, irqs off). */
export const FENCE_CB_ATOMIC = 5;
export const THREAD_FLAGS_MAX = (1 << 6) - 1;

export const FENCE_INIT = 0;
export const FENCE_PUBLISHED = 1;
export const FENCE_SIGNALLED = 2;

export const ATT_DETACHED = 0;
export const ATT_ATTACHED = 1;
export const ATT_MAPPED = 2;
export const ATT_INVALIDATED = 3;
export const ATT_PINNED_BIT = 2;
export const ATT_STATE_MASK = 3;

export const BUF_ACTIVE = 0;
export const BUF_REVOKED = 1;

export const RXQ_NONE = 0;
export const RXQ_DEVMEM = 1;
export const RXQ_ZCRX = 2;

/** A userptr object's pages: faulted in, pinned (FOLL_PIN), or released by the mm after an invalidation. */
export const PAGES_PRESENT = 0;
export const PAGES_PINNED = 1;
export const PAGES_RELEASED = 2;
export const PAGES_STATE_MASK = 3;
/** Added per invalidation running (between invalidate_range_start and the callbacks' return). */
export const PAGES_INVALIDATING = 4;

/** Who holds a dma-buf's memory-provider registration (register-without-use, transfer): same codes as the rxq owner. */
export const OWNER_NONE = RXQ_NONE;
export const OWNER_DEVMEM = RXQ_DEVMEM;
export const OWNER_ZCRX = RXQ_ZCRX;

/** A phyr's DMA mapping by its importer. */
export const PHYR_UNMAPPED = 0;
export const PHYR_MAPPED = 1;

export type Frame = StepLabel['contexts'][number];

/** Engine-thread description, richer than SystemThread. */
export interface EngineThread {
  id: number;
  name: string;
  kind: SystemThread['kind'];
  /** Root proc: the thread's, the work handler, the irq handler; none for kswapd. */
  proc?: ProcId;
  /** work threads: the work instance. */
  work?: InstanceId;
  /**
   * irq threads, and mmu-notifier event threads (kind 'thread'): index
   * into model.registrations.
   */
  registration?: number;
  /** Irqs may fire on this thread (model threads, works, kswapd and softirqs). */
  canHostIrq: boolean;
  /** Scheduler work threads (kind 'work'): the drm_sched instance and which of its procs runs. */
  sched?: InstanceId;
  schedRole?: 'run_job' | 'timedout_job';
  /**
   * RCU callback threads (call_rcu): how many times it may run, instead of
   * `irqFires` (each run consumes one queueing; `irqFires` per call_rcu site).
   */
  maxFires?: number;
}

/** A program point of one engine thread: a value of its pc variable. */
export interface LocationInfo {
  thread: number;
  pc: number;
  /**
   * `node`: at an IR node of `proc`; `alloc-after`: the allocation at
   * `node` after an inline reclaim returned (it can no longer reclaim);
   * `pending`: a work not yet started; `idle`: an irq or kswapd between runs.
   */
  kind: 'node' | 'alloc-after' | 'pending' | 'idle';
  proc?: ProcId;
  node?: NodeId;
  /** Callback contexts entered to get here, outermost first. */
  frames: Frame[];
  /** Static contexts (rules vocabulary) of code at this location. */
  contexts: Context[];
  /** The proc's end node (a thread end or a callback return). */
  end: boolean;
  /**
   * Inside reclaim with fs_reclaim held (kswapd, or direct reclaim entered
   * from an allocation whose effective mask had __GFP_FS). Static: copies
   * are specialised per answer.
   */
  fsReclaim: boolean;
  /** Outgoing transition ids. */
  out: number[];
}

/** Effective GFP mask of an allocation step. */
export interface GfpInfo {
  declared: GfpMask;
  /** Each is a constant when statically known, else a test of the thread flags. */
  directReclaim: BoolExpr;
  fs: BoolExpr;
  io: BoolExpr;
  /** Present when all three are statically known. */
  static?: { directReclaim: boolean; fs: boolean; io: boolean };
}

/** What a transition does, for properties and traces. */
export interface StepInfo {
  id: number;
  thread: number;
  /** pc values before and after. */
  from: number;
  to: number;
  /** The IR op this step executes; undefined for synthetic and choice steps. */
  op?: Op;
  outcome?: Outcome;
  label: StepLabel;
  /** Static contexts of the step (the location's). */
  contexts: Context[];
  /** The step runs with fs_reclaim held (its location's `fsReclaim`). */
  fsReclaim: boolean;
  frames: Frame[];
  /** alloc steps and enter-reclaim steps. */
  gfp?: GfpInfo;
  /** The value this thread writes into lock owner variables (thread + 1). */
  actor: number;
  /** enter-* steps: the callback proc being entered and why. */
  enters?: { proc: ProcId; kind: Frame['kind']; fs?: boolean };
  /** fence_wait timeout transition (returns without the signal). */
  timedOut?: boolean;
}

export interface ContextOptions {
  model: DriverModel;
  options: SemanticOptions;
}

/** Error for models the semantics cannot encode (too many threads, cyclic CFG). */
export class SemanticsError extends Error {
  readonly code: DiagnosticCode;
  constructor(code: DiagnosticCode, message: string) {
    super(message);
    this.code = code;
    this.name = 'SemanticsError';
  }
}

/** Readers bitmasks and owners live in 32-bit words. */
export const MAX_ENGINE_THREADS = 31;

export class CompileContext {
  readonly model: DriverModel;
  readonly options: SemanticOptions;
  readonly threads: EngineThread[] = [];
  readonly systemThreads: SystemThread[] = [];
  readonly vars: StateVar[] = [];
  readonly transitions: Transition[] = [];
  /** `steps[t]` describes `transitions[t]`. */
  readonly steps: StepInfo[] = [];
  /** `locations[thread][pc]`. */
  readonly locations: LocationInfo[][] = [];

  // Variable tables, filled by compile.ts (and lazily by the getters).
  readonly pcVars: VarId[] = [];
  readonly owner = new Map<InstanceId, VarId>();
  readonly readers = new Map<InstanceId, VarId>();
  readonly wwHolder = new Map<InstanceId, VarId>();
  readonly ctxVars = new Map<string, VarId>(); // `${ctx}:${thread}`
  readonly ctxDoneVars = new Map<string, VarId>();
  /** Per ctx and thread: 1 + the lock that returned -EDEADLK, until the context next acquires one (DEBUG_WW_MUTEXES contending_lock). */
  readonly ctxContendingVars = new Map<string, VarId>();
  readonly stampCounters = new Map<string, VarId>(); // ww class
  readonly fences = new Map<InstanceId, VarId>();
  readonly published = new Map<InstanceId, { v: VarId; fences: InstanceId[] }>();
  readonly callbackVars = new Map<string, VarId>(); // `${fence}:${proc}`
  readonly attachments = new Map<InstanceId, VarId>();
  readonly buffers = new Map<InstanceId, VarId>();
  readonly rxqs = new Map<InstanceId, VarId>();
  /** rx_queue -> the dma_buf it is bound to (0 none, bufferIndex + 1). */
  readonly rxqBufs = new Map<InstanceId, VarId>();
  /** dma_buf -> who holds its provider registration (OWNER_*); only in models with register/transfer calls. */
  readonly bufOwners = new Map<InstanceId, VarId>();
  /** phyr -> PHYR_UNMAPPED / PHYR_MAPPED. */
  readonly phyrs = new Map<InstanceId, VarId>();
  /** userptr gem_object -> its pages' state (PAGES_*). */
  readonly userptrPages = new Map<InstanceId, VarId>();
  readonly works = new Map<InstanceId, VarId>();
  readonly notifierSeq = new Map<InstanceId, VarId>();
  readonly memallocCookies = new Map<string, VarId>(); // `${cookie}:${thread}`
  readonly flagVars = new Map<number, VarId>();
  readonly sigDepthVars = new Map<number, VarId>();
  readonly irqsaveVars = new Map<number, VarId>();
  /** irq thread id -> { host var (0 none, h+1 running on h), fires var }. */
  readonly irqVars = new Map<number, { host: VarId; fires: VarId }>();
  /** Threads a softirq may land on -> their local_bh_disable nesting (0: softirqs may run). */
  readonly bhDepthVars = new Map<number, VarId>();
  kswapdRunsVar: VarId | undefined;
  /** Set by compile.ts: see TransitionSystem.completenessBound. */
  completenessBound = 0;

  private readonly varNames = new Set<string>();

  constructor(init: ContextOptions) {
    this.model = init.model;
    this.options = init.options;
  }

  // -------------------------------------------------------------------------
  // Variables and transitions.

  /** Add a state variable; names are made unique by suffixing `#n`. */
  addVar(name: string, max: number, init: number, role: VarRole): VarId {
    let n = name;
    for (let i = 2; this.varNames.has(n); i++) n = `${name}#${i}`;
    this.varNames.add(n);
    const id = this.vars.length;
    const m = Math.max(0, Math.floor(max));
    this.vars.push({ id, name: n, width: widthFor(m), max: m, init, role });
    return id;
  }

  /**
   * Add an update to a transition. A transition assigns a variable at most
   * once (updates are simultaneous): adding a second update of the same
   * variable is a compiler bug and throws.
   */
  addUpdate(transition: number, v: VarId, e: IntExpr): void {
    const t = this.transitions[transition]!;
    if (t.updates.some((u) => u.v === v)) {
      throw new Error(`transition ${transition} already updates ${this.vars[v]!.name}`);
    }
    t.updates.push({ v, e });
  }

  /** Restrict a transition with one more conjunct (kept after the pc test). */
  addGuardConjunct(transition: number, b: BoolExpr): void {
    const t = this.transitions[transition]!;
    t.guard = and(t.guard, b);
  }

  markVisible(transition: number): void {
    this.transitions[transition]!.visible = true;
  }

  // -------------------------------------------------------------------------
  // Lookups. Getters return undefined for objects the model does not have;
  // the per-thread ones create their variable on first use (init 0, never
  // updated unless the thread has the ops), so a property may ask for any
  // thread.

  ownerVar(instance: InstanceId): VarId | undefined {
    return this.owner.get(this.lockInstance(instance));
  }

  readersVar(instance: InstanceId): VarId | undefined {
    return this.readers.get(this.lockInstance(instance));
  }

  wwHolderVar(instance: InstanceId): VarId | undefined {
    return this.wwHolder.get(this.lockInstance(instance));
  }

  /** A dma_buf's lock is its resv; every other instance is its own lock. */
  lockInstance(instance: InstanceId): InstanceId {
    const inst = this.model.instances[instance];
    if (inst && inst.kind === 'dma_buf' && inst.resv !== undefined) return inst.resv;
    return instance;
  }

  fenceVar(fence: InstanceId): VarId | undefined {
    return this.fences.get(fence);
  }

  /** The ctx variable of `ctx` as used by engine thread `thread`. */
  ctxVar(ctx: InstanceId, thread: number): VarId | undefined {
    return this.ctxVars.get(`${ctx}:${thread}`);
  }

  /** Every (thread, variable) instantiation of a ww_ctx instance. */
  ctxVarsOf(ctx: InstanceId): { thread: number; v: VarId }[] {
    const out: { thread: number; v: VarId }[] = [];
    for (const [k, v] of this.ctxVars) {
      const [c, t] = k.split(':').map(Number);
      if (c === ctx) out.push({ thread: t!, v });
    }
    return out.sort((a, b) => a.thread - b.thread);
  }

  /** 1 once ww_acquire_done ran on the ctx (cleared by fini). */
  ctxDoneVar(ctx: InstanceId, thread: number): VarId | undefined {
    return this.ctxDoneVars.get(`${ctx}:${thread}`);
  }

  ctxContendingVar(ctx: InstanceId, thread: number): VarId | undefined {
    return this.ctxContendingVars.get(`${ctx}:${thread}`);
  }

  attachmentVar(att: InstanceId): VarId | undefined {
    return this.attachments.get(att);
  }

  bufferVar(buf: InstanceId): VarId | undefined {
    return this.buffers.get(buf);
  }

  rxqVar(rxq: InstanceId): VarId | undefined {
    return this.rxqs.get(rxq);
  }

  workVar(work: InstanceId): VarId | undefined {
    return this.works.get(work);
  }

  /** Engine thread running a work instance's handler. */
  workThread(work: InstanceId): number | undefined {
    return this.threads.find((t) => t.work === work)?.id;
  }

  callbackRegisteredVar(fence: InstanceId, proc: ProcId): VarId | undefined {
    return this.callbackVars.get(`${fence}:${proc}`);
  }

  /** Fences that some op may publish into `resv`, in bit order of `publishedVar`. */
  publishedFences(resv: InstanceId): InstanceId[] {
    return this.published.get(resv)?.fences ?? [];
  }

  publishedVar(resv: InstanceId): VarId | undefined {
    return this.published.get(resv)?.v;
  }

  threadFlagsVar(thread: number): VarId {
    let v = this.flagVars.get(thread);
    if (v === undefined) {
      v = this.addVar(`flags.${this.threadName(thread)}`, THREAD_FLAGS_MAX, 0, {
        kind: 'thread-flags',
        thread,
      });
      this.flagVars.set(thread, v);
    }
    return v;
  }

  signallingDepthVar(thread: number, max = 3): VarId {
    let v = this.sigDepthVars.get(thread);
    if (v === undefined) {
      v = this.addVar(`sigdepth.${this.threadName(thread)}`, max, 0, {
        kind: 'signalling-depth',
        thread,
      });
      this.sigDepthVars.set(thread, v);
    }
    return v;
  }

  /** spin_lock_irqsave nesting depth of a thread (only threads that use it have one). */
  irqsaveDepthVar(thread: number): VarId | undefined {
    return this.irqsaveVars.get(thread);
  }

  threadName(thread: number): string {
    return this.threads[thread]?.name ?? `T${thread}`;
  }

  // -------------------------------------------------------------------------
  // Expression helpers.

  pcIs(thread: number, pc: number): BoolExpr {
    return eq(vr(this.pcVars[thread]!), cnst(pc));
  }

  /** `thread` holds `instance` exclusively. */
  heldWriteBy(instance: InstanceId, thread: number): BoolExpr {
    const o = this.ownerVar(instance);
    return o === undefined ? FALSE : eq(vr(o), cnst(thread + 1));
  }

  /** `thread` holds a read side of `instance`. */
  heldReadBy(instance: InstanceId, thread: number): BoolExpr {
    const r = this.readersVar(instance);
    return r === undefined ? FALSE : bit(vr(r), thread);
  }

  /** `thread` holds `instance` in any mode. */
  heldBy(instance: InstanceId, thread: number): BoolExpr {
    return or(this.heldWriteBy(instance, thread), this.heldReadBy(instance, thread));
  }

  heldByAnyone(instance: InstanceId): BoolExpr {
    const o = this.ownerVar(instance);
    const r = this.readersVar(instance);
    return or(o === undefined ? FALSE : ne(vr(o), cnst(0)), r === undefined ? FALSE : ne(vr(r), cnst(0)));
  }

  /** Some thread other than `thread` holds `instance` in any mode. */
  heldByOther(instance: InstanceId, thread: number): BoolExpr {
    const o = this.ownerVar(instance);
    const r = this.readersVar(instance);
    return or(
      o === undefined ? FALSE : and(ne(vr(o), cnst(0)), ne(vr(o), cnst(thread + 1))),
      r === undefined ? FALSE : ne(bitand(vr(r), cnst(~(1 << thread) >>> 0)), cnst(0)),
    );
  }

  flag(thread: number, flagBit: number): BoolExpr {
    if (this.threads[thread]?.kind === 'irq') {
      // Hard-irq handlers run with irqs off; other flags are the irq's own.
      if (flagBit === IRQS_OFF) return TRUE;
    }
    const v = this.flagVars.get(thread);
    return v === undefined ? FALSE : bit(vr(v), flagBit);
  }

  /** Interrupts are off on `thread`: local_irq_disable, an irqsave lock, a fence callback, or hard-irq context. */
  irqsOff(thread: number): BoolExpr {
    if (this.threads[thread]?.kind === 'irq') return TRUE;
    const d = this.irqsaveVars.get(thread);
    return or(
      this.flag(thread, IRQS_OFF),
      this.flag(thread, FENCE_CB_ATOMIC),
      d === undefined ? FALSE : ne(vr(d), cnst(0)),
    );
  }

  /**
   * Softirqs cannot start on `thread`: bh disabled (local_bh_disable,
   * spin_lock_bh), or the thread is itself a softirq or hard irq
   * (in_interrupt(): kernel/softirq.c runs pending softirqs only from
   * irq_exit and local_bh_enable, never nested in one another).
   */
  bhOff(thread: number): BoolExpr {
    const k = this.threads[thread]?.kind;
    if (k === 'irq' || k === 'softirq') return TRUE;
    const d = this.bhDepthVars.get(thread);
    return d === undefined ? FALSE : ne(vr(d), cnst(0));
  }

  pagefaultsDisabled(thread: number): BoolExpr {
    return this.flag(thread, PAGEFAULT_DISABLED);
  }

  /** Inside at least one begin/end_signalling section (dynamic depth > 0). */
  inSignalling(thread: number): BoolExpr {
    const v = this.sigDepthVars.get(thread);
    return v === undefined ? FALSE : ne(vr(v), cnst(0));
  }

  fenceIs(fence: InstanceId, state: number): BoolExpr {
    const v = this.fenceVar(fence);
    if (v === undefined) return state === FENCE_INIT ? TRUE : FALSE;
    return eq(vr(v), cnst(state));
  }

  /** Attachment state (low two bits). */
  attState(att: InstanceId): IntExpr {
    const v = this.attachmentVar(att);
    return v === undefined ? cnst(ATT_DETACHED) : bitand(vr(v), cnst(ATT_STATE_MASK));
  }

  attIn(att: InstanceId, states: number[]): BoolExpr {
    const s = this.attState(att);
    return or(...states.map((x) => eq(s, cnst(x))));
  }

  attPinned(att: InstanceId): BoolExpr {
    const v = this.attachmentVar(att);
    return v === undefined ? FALSE : bit(vr(v), ATT_PINNED_BIT);
  }

  bufRevoked(buf: InstanceId): BoolExpr {
    const v = this.bufferVar(buf);
    return v === undefined ? FALSE : eq(vr(v), cnst(BUF_REVOKED));
  }

  /** The userptr object's pages are in state `state` (PAGES_*); a non-userptr object's pages are always present. */
  pagesIs(obj: InstanceId, state: number): BoolExpr {
    const v = this.userptrPages.get(obj);
    if (v === undefined) return state === PAGES_PRESENT ? TRUE : FALSE;
    return eq(bitand(vr(v), cnst(PAGES_STATE_MASK)), cnst(state));
  }

  /** The position of a dma_buf among the model's dma_bufs: an rxq's buffer variable holds it plus one. */
  bufferIndex(buf: InstanceId): number {
    return this.model.instances.filter((i) => i.kind === 'dma_buf').findIndex((i) => i.id === buf);
  }

  /** `rxq` is bound to `buf` (by a bind or a transfer). */
  rxqBoundTo(rxq: InstanceId, buf: InstanceId): BoolExpr {
    const v = this.rxqBufs.get(rxq);
    return v === undefined ? FALSE : eq(vr(v), cnst(this.bufferIndex(buf) + 1));
  }

  /** Who holds `buf`'s provider registration (OWNER_*). */
  bufOwnerIs(buf: InstanceId, owner: number): BoolExpr {
    const v = this.bufOwners.get(buf);
    if (v === undefined) return owner === OWNER_NONE ? TRUE : FALSE;
    return eq(vr(v), cnst(owner));
  }

  /** Some queue is bound to `buf`, or a provider holds its registration. */
  bufferInUse(buf: InstanceId): BoolExpr {
    return or(not(this.bufOwnerIs(buf, OWNER_NONE)), ...[...this.rxqBufs.keys()].map((q) => this.rxqBoundTo(q, buf)));
  }

  phyrIs(phyr: InstanceId, state: number): BoolExpr {
    const v = this.phyrs.get(phyr);
    if (v === undefined) return state === PHYR_UNMAPPED ? TRUE : FALSE;
    return eq(vr(v), cnst(state));
  }

  rxqOwnerIs(rxq: InstanceId, owner: number): BoolExpr {
    const v = this.rxqVar(rxq);
    if (v === undefined) return owner === RXQ_NONE ? TRUE : FALSE;
    return eq(vr(v), cnst(owner));
  }

  ctxLive(ctx: InstanceId, thread: number): BoolExpr {
    const v = this.ctxVar(ctx, thread);
    return v === undefined ? FALSE : ne(vr(v), cnst(0));
  }

  /**
   * `ctx` (as used by `thread`) holds at least one ww_mutex. Stamps are per
   * class, so only locks of the context's own ww class are compared.
   */
  ctxHoldsLocks(ctx: InstanceId, thread: number): BoolExpr {
    const c = this.ctxVar(ctx, thread);
    if (c === undefined) return FALSE;
    const cls = this.ctxClass(ctx);
    const parts: BoolExpr[] = [];
    for (const [inst, h] of this.wwHolder) {
      if (this.wwClassOfLock(inst) !== cls) continue;
      parts.push(and(eq(vr(this.owner.get(inst)!), cnst(thread + 1)), eq(vr(h), vr(c)), ne(vr(c), cnst(0))));
    }
    return or(...parts);
  }

  /** ww class of a ww_mutex / dma_resv (or a dma_buf's resv). */
  wwClassOfLock(instance: InstanceId): string {
    const i = this.model.instances[this.lockInstance(instance)];
    return i?.wwClass ?? 'reservation_ww_class';
  }

  private ctxClasses: Map<InstanceId, string> | undefined;

  /** ww class of an acquire context: from its ww_acquire_init, else the instance. */
  ctxClass(ctx: InstanceId): string {
    if (!this.ctxClasses) {
      this.ctxClasses = new Map();
      for (const p of this.model.procs) {
        for (const n of p.nodes) {
          if (n.kind === 'op' && n.op.kind === 'ww_acquire_init' && !this.ctxClasses.has(n.op.ctx)) this.ctxClasses.set(n.op.ctx, n.op.wwClass);
        }
      }
    }
    return this.ctxClasses.get(ctx) ?? this.model.instances[ctx]?.wwClass ?? 'reservation_ww_class';
  }

  done(thread: number): BoolExpr {
    return this.systemThreads[thread]?.done ?? FALSE;
  }

  notStarted(thread: number): BoolExpr {
    return this.systemThreads[thread]?.notStarted ?? FALSE;
  }

  /** Location a transition starts from. */
  fromLocation(transition: number): LocationInfo {
    const s = this.steps[transition]!;
    return this.locations[s.thread]![s.from]!;
  }

  toLocation(transition: number): LocationInfo {
    const s = this.steps[transition]!;
    return this.locations[s.thread]![s.to]!;
  }

  /** Negation helper re-exported for hook authors. */
  not(b: BoolExpr): BoolExpr {
    return not(b);
  }
}
