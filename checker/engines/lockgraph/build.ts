/**
 * Builds the class-level lock graph the way lockdep would after running
 * every path of the model once: a held-lock stack per path, an edge from
 * held locks to each new acquisition (check_prevs_add), strong-cycle
 * detection when an edge is added (check_noncircular with LOCKDEP-3's
 * read rules), recursion reports (check_deadlock), nest_lock merging.
 *
 * Paths are explored as a dataflow over distinct (held stack, flags)
 * states per node rather than path by path: models are DAGs after
 * unrolling, and distinct states stay few where paths explode.
 *
 * This file walks the paths; acquisitions.ts says what each op does to
 * the held stack, lockdep.ts applies it (recursion, edges, nest locks),
 * dependency-graph.ts keeps the edges and finds the cycles.
 */

import type { DriverModel, NodeId, ProcId, SourceMap } from '../../../model/ir.js';
import { checkBudget, type Budget } from '../../../model/budget.js';
import { DMA_FENCE_MAP, FS_RECLAIM, MMU_NOTIFIER_MAP, primedEdgesFor } from '../../../rules/canonical-order.js';
import { actionsOf, flagsBefore, kernelSemantics, lockClassOf, updateFlags, workClass, type KernelSemantics, type ThreadFlags } from './acquisitions.js';
import { DependencyGraph } from './dependency-graph.js';
import { inSignalling, Lockdep, NO_FLAGS, startState, stateKey, type AcquireSite, type PathState } from './lockdep.js';
import type { Cycle, GraphEdge, Recursion } from './types.js';
import type { UsageSite, UsageTable, WaitViolation } from './usage.js';
import type { Context } from '../../../rules/types.js';
import type { Node, Op } from '../../../model/ir.js';
import { CALLER_HOLDS_MMAP_LOCK } from '../../semantics/ops/locks.js';

/** An op node as visited, for pattern resolution (held-across, taken-in). */
export interface VisitedOp {
  proc: ProcId;
  node: NodeId;
  op: Op;
  outcome?: string;
  held: string[];
  contexts: Context[];
  flags: ThreadFlags;
  signalling: boolean;
}

export interface BuildOptions {
  kernel: string;
  mmuNotifier?: boolean;
  sourceMap?: SourceMap;
  /** Cap on distinct states per proc walk; beyond it the walk is truncated and reported. */
  maxStatesPerProc?: number;
  /** Orders declared in user rule files, recorded like primed edges. */
  declaredOrders?: { before: string; after: string; source: string }[];
  /** The model's wall-clock budget: a walk stops with BudgetExceeded when it runs out. */
  budget?: Budget;
  /** Judge wait types as CONFIG_PREEMPT_RT does (spinlock_t sleeps). */
  preemptRt?: boolean;
}

export interface BuiltGraph {
  classes: string[];
  edges: GraphEdge[];
  cycles: Cycle[];
  recursions: Recursion[];
  visited: VisitedOp[];
  takenIn: Map<Context, Set<string>>;
  /** takenIn restricted to blocking acquisitions. */
  takenInBlocking: Map<Context, Set<string>>;
  truncated: string[];
  sem: KernelSemantics;
  /** Per-class irq usage marks (mark_usage). */
  usage: UsageTable;
  /** Acquisitions check_wait_context rejects. */
  waitViolations: WaitViolation[];
  /** mutex_init / spin_lock_init of a lock the path holds. */
  heldLockInits: HeldLockInit[];
  /** Unlocks of a lock the path does not hold (lock_release finding no held lock). */
  badUnlocks: HeldLockInit[];
  /** Some path acquired a lock while holding one (Lockdep.nested). */
  nested: boolean;
}

/** "held lock freed": a lock (re)initialised while the same path holds it. */
export interface HeldLockInit {
  class: string;
  /** The model's name of the instance. */
  lock?: string;
  site: UsageSite;
  heldAt?: { proc: ProcId; node: NodeId };
}

export function buildGraph(model: DriverModel, opts: BuildOptions): BuiltGraph {
  const sem = kernelSemantics(opts.kernel, opts.mmuNotifier ?? true);
  const kms = model.instances.some((i) => i.wwClass === 'crtc_ww_class');
  const graph = new DependencyGraph();
  for (const p of primedEdgesFor({ mmuNotifier: sem.mmuNotifier, kms })) {
    graph.insert({ from: p.from, to: p.to, type: p.type, source: { kind: 'primed', id: p.id, where: p.where } });
  }
  for (const o of opts.declaredOrders ?? []) {
    graph.insert({ from: o.before, to: o.after, type: 'EN', source: { kind: 'primed', id: 'declared', where: o.source } });
  }
  const w: Walker = {
    model,
    sem,
    lockdep: new Lockdep(graph, model.file, opts.sourceMap, opts.preemptRt ?? false),
    heldLockInits: [],
    badUnlocks: [],
    wwCtxLocks: wwCtxLocksOf(model),
    maxStates: opts.maxStatesPerProc ?? 20000,
    budget: opts.budget,
    visited: [],
    truncated: [],
    fenceCallbacks: fenceCallbacksOf(model),
    topo: new Map(),
    ...(opts.sourceMap?.via ? { via: opts.sourceMap.via } : {}),
  };
  walkEveryEntry(w);

  // Lock classes of every lockable instance, even those never taken, so
  // patterns resolve against the whole model.
  for (const inst of model.instances) if (inst.lockClass) graph.classes.add(lockClassOf(model, inst.id));

  const cycles = graph.cycles;
  cycles.sort((a, b) => a.edges.length - b.edges.length);
  const { recursions, takenIn, takenInBlocking, usage, waitViolations } = w.lockdep;
  return {
    classes: [...graph.classes].sort(),
    edges: graph.edges(),
    cycles,
    recursions,
    visited: w.visited,
    takenIn,
    takenInBlocking,
    truncated: w.truncated,
    sem,
    usage,
    waitViolations,
    heldLockInits: w.heldLockInits,
    badUnlocks: w.badUnlocks,
    nested: w.lockdep.nested,
  };
}

/** Every path lockdep would see: threads, then registered callbacks in the contexts that run them, then works. */
function walkEveryEntry(w: Walker): void {
  const { model, sem } = w;
  for (const t of model.threads) walk(w, t.proc, startState([]), t.name, [], 0);
  for (const r of model.registrations) {
    const name = model.procs[r.proc].name;
    switch (r.role) {
      case 'shrinker':
        // kswapd / direct reclaim: fs_reclaim held, PF_MEMALLOC set.
        walk(w, r.proc, startState([{ class: FS_RECLAIM, read: 0 }], { ...NO_FLAGS, inReclaim: true }), `kswapd (${name})`, ['shrinker', 'reclaim', 'kswapd'], 0);
        break;
      case 'mmu_notifier':
        walk(w, r.proc, startState(sem.mmuNotifier ? [{ class: MMU_NOTIFIER_MAP, read: 0 }] : []), `mmu notifier (${name})`, r.nonBlocking ? ['mmu-notifier', 'mmu-notifier-nonblocking'] : ['mmu-notifier'], 0);
        break;
      case 'irq':
        // request_threaded_irq's thread_fn: irq_thread() is a plain kthread, so no hard-irq wait-type limit either.
        if (r.threadOf !== undefined) walk(w, r.proc, startState([]), `irq thread (${name})`, [], 0);
        // PREEMPT_RT force-threads the handler (checker/preempt-rt.ts): a task with irqs on.
        else if (r.threaded) walk(w, r.proc, startState([]), `irq thread (${name})`, ['irq-thread'], 0);
        else walk(w, r.proc, startState([]), `irq (${name})`, ['irq', 'atomic'], 0);
        break;
      case 'softirq':
        // __do_softirq(): softirqs off, hard irqs on.
        walk(w, r.proc, startState([], { ...NO_FLAGS, softirqsOff: 1 }), `softirq (${name})`, ['softirq', 'atomic'], 0);
        break;
      case 'vm_fault':
        // A page fault from user space: mm/memory.c __do_fault under mmap_lock read.
        if (r.mm !== undefined) walk(w, r.proc, startState([{ class: lockClassOf(model, r.mm), read: 1 }]), `page fault (${name})`, [], 0);
        break;
    }
  }
  for (const inst of model.instances) {
    if (inst.kind === 'work' && inst.proc !== undefined) {
      walk(w, inst.proc, startState([{ class: workClass(model, inst.id), read: 0 }]), `kworker (${model.procs[inst.proc].name})`, ['work'], 0);
    }
  }
}

/** What the walks share: the model, what lockdep records, and the walks' own records. */
interface Walker {
  model: DriverModel;
  sem: KernelSemantics;
  lockdep: Lockdep;
  maxStates: number;
  budget?: Budget;
  visited: VisitedOp[];
  truncated: string[];
  /** Fence callbacks registered anywhere for a fence (static over-approximation). */
  fenceCallbacks: Map<number, Set<ProcId>>;
  /** Topological order of each proc walked so far. */
  topo: Map<ProcId, NodeId[]>;
  /** `via[proc][node]`: helpers an op was inlined through (SourceMap `via`), for the chain's call paths. */
  via?: SourceMap['via'];
  heldLockInits: HeldLockInit[];
  badUnlocks: HeldLockInit[];
  /** Instances some op locks with a ww acquire context. */
  wwCtxLocks: Set<number>;
}

/** Reached path states per node, one per distinct key. */
type Pending = Map<NodeId, Map<string, PathState>>;

function addPending(pending: Pending, node: NodeId, s: PathState): void {
  let m = pending.get(node);
  if (!m) pending.set(node, (m = new Map()));
  m.set(stateKey(s), s);
}

/**
 * Runs every path of `proc` from `entry` as a dataflow in topological
 * order, each distinct state once per node; `depth` counts the callbacks
 * this walk runs inside.
 */
function walk(w: Walker, proc: ProcId, entry: PathState, threadName: string, contexts: Context[], depth: number): void {
  const p = w.model.procs[proc];
  const pending: Pending = new Map();
  addPending(pending, 0, entry);
  let count = 0;
  for (const nodeId of topoOrder(w, proc)) {
    const m = pending.get(nodeId);
    if (!m) continue;
    const states = [...m.values()];
    pending.delete(nodeId);
    const node = p.nodes[nodeId];
    for (const s of states) {
      // Every 256 path states: cheap next to the walk, bounded in time.
      if ((count & 255) === 255) checkBudget(w.budget, 'lock graph');
      if (++count > w.maxStates) {
        w.truncated.push(`${p.name}: more than ${w.maxStates} distinct held-lock states`);
        return;
      }
      if (node.kind === 'end') continue;
      if (node.kind === 'choice') {
        for (const n of node.next) addPending(pending, n, s);
        continue;
      }
      const helpers = w.via?.[proc]?.[nodeId];
      const site: AcquireSite = {
        at: { proc, node: nodeId },
        thread: threadName,
        api: node.op.api,
        contexts,
        ...(helpers && helpers.length > 0 ? { via: [p.name, ...helpers] } : {}),
      };
      for (const [outcome, next] of Object.entries(node.next)) {
        if (next === undefined) continue;
        addPending(pending, next, stepOp(w, node.op, outcome, s, site, depth));
      }
    }
  }
}

/** The state after `op` ends with `outcome`, the callbacks lockdep sees running inside it included. */
function stepOp(w: Walker, op: Op, outcome: string, s: PathState, site: AcquireSite, depth: number): PathState {
  const { at, contexts } = site;
  const signalling = inSignalling(s);
  w.visited.push({ proc: at.proc, node: at.node, op, outcome, held: s.held.map((h) => h.class), contexts, flags: s.flags, signalling });
  if (op.kind === 'lock_init') noteLockInit(w, op.lock, s, site);
  if (op.kind === 'unlock') noteUnlock(w, op.lock, s, site);
  let st: PathState = { held: s.held, flags: flagsBefore(op, outcome, s.flags) };
  // GUP and hmm_range_fault are called with mmap_lock held (mmap_assert_locked): they take nothing more.
  const callerHolds = op.kind === 'user_access' && CALLER_HOLDS_MMAP_LOCK.has(op.api) && s.held.some((h) => h.class === lockClassOf(w.model, op.mm));
  for (const act of callerHolds ? [] : actionsOf(w.model, op, outcome, s.flags, w.sem, signalling)) {
    st = act.kind === 'acquire' ? w.lockdep.acquire(st, act, site) : w.lockdep.release(st, act.class, act.instance);
  }
  if (depth < 4) runCallbacks(w, op, st, signalling, site, depth);
  if (depth < 4) runMmCallbacks(w, op, st, site, depth);
  return { held: st.held, flags: updateFlags(op, st.flags) };
}

/** Walks the callbacks that run inside `op` (fence callbacks, importers' invalidate) from state `st`. */
function runCallbacks(w: Walker, op: Op, st: PathState, signalling: boolean, site: AcquireSite, depth: number): void {
  const { thread, contexts } = site;
  if (op.kind === 'fence_signal') {
    const cbs = w.fenceCallbacks.get(op.fence);
    if (cbs && cbs.size) {
      // dma_fence_signal wraps itself in begin/end_signalling.
      const inner = signalling ? st : w.lockdep.acquire(st, { kind: 'acquire', class: DMA_FENCE_MAP, read: 1, trylock: true }, site);
      // Callbacks run under spin_lock_irqsave(fence->lock): irqs off.
      const irqsOff = { held: inner.held, flags: { ...inner.flags, hardirqsOff: inner.flags.hardirqsOff + 1 } };
      for (const cb of cbs) walk(w, cb, irqsOff, thread, [...contexts, 'fence-callback', 'atomic'], depth + 1);
    }
  } else if (op.kind === 'final_put' && op.release !== undefined) {
    // A final put runs the destructor in the putting context (ORDER-7).
    const extra: Context[] = op.fence ? ['fence-release', 'final-put'] : ['final-put'];
    walk(w, op.release, st, thread, [...contexts, ...extra], depth + 1);
  } else if (op.kind === 'pm_runtime') {
    // rpm_callback() drops dev->power.lock around the callback: it runs with what the caller holds.
    for (const cb of op.callbacks) walk(w, cb, st, thread, contexts, depth + 1);
  } else if (op.kind === 'dma_buf_invalidate') {
    for (const inst of w.model.instances) {
      if (inst.kind === 'attachment' && inst.buf === op.buf && inst.importer?.invalidate !== undefined) {
        walk(w, inst.importer.invalidate, st, thread, [...contexts, 'invalidate-mappings'], depth + 1);
      }
    }
  }
}

/**
 * print_unlock_imbalance_bug(): lock_release() finds no held lock of the
 * instance on this path. find_held_lock() also matches by class (ww locks
 * merged under their context's nest lock share one entry), so a held lock
 * of the same class counts as a match.
 */
function noteUnlock(w: Walker, lock: number, s: PathState, site: AcquireSite): void {
  // A ww lock taken with an acquire context may come back -EDEADLK or
  // -EALREADY on paths the model does not branch on; how the model copes
  // with those is for the ww rules (ww-ealready's unlock-not-held), as in
  // model/validate.ts.
  if (w.wwCtxLocks.has(lock)) return;
  const cls = lockClassOf(w.model, lock);
  if (s.held.some((x) => x.instance === lock || x.class.split('/')[0] === cls)) return;
  if (w.badUnlocks.some((x) => x.site.at.proc === site.at.proc && x.site.at.node === site.at.node)) return;
  w.badUnlocks.push({ class: cls, lock: w.model.instances[lock]?.name, site: { at: site.at, thread: site.thread, api: site.api } });
}

/** debug_check_no_locks_freed() from mutex_init & co.: the path holds the very instance it re-initialises. */
function noteLockInit(w: Walker, lock: number, s: PathState, site: AcquireSite): void {
  const h = s.held.find((x) => x.instance === lock);
  if (!h) return;
  if (w.heldLockInits.some((x) => x.site.at.proc === site.at.proc && x.site.at.node === site.at.node)) return;
  w.heldLockInits.push({ class: h.class, site: { at: site.at, thread: site.thread, api: site.api }, ...(h.at ? { heldAt: h.at } : {}) });
}

function wwCtxLocksOf(model: DriverModel): Set<number> {
  const out = new Set<number>();
  for (const p of model.procs) for (const n of p.nodes) if (n.kind === 'op' && n.op.kind === 'lock' && n.op.ctx !== undefined) out.add(n.op.lock);
  return out;
}

/**
 * The mm callbacks an op runs: a user access's fault handler (under
 * mmap_lock read, the caller's or the fault's own), and the interval
 * notifiers munmap/mprotect/exit_mmap run under mmap_lock and the
 * notifier map.
 */
function runMmCallbacks(w: Walker, op: Op, st: PathState, site: AcquireSite, depth: number): void {
  const { model } = w;
  const { thread, contexts } = site;
  if (op.kind === 'user_access') {
    if (st.flags.pagefaultDisabled > 0) return;
    const mmClass = lockClassOf(model, op.mm);
    const handlers = model.registrations.filter((r) => r.role === 'vm_fault' && r.mm !== undefined && lockClassOf(model, r.mm) === mmClass);
    if (handlers.length === 0) return;
    const inner = st.held.some((h) => h.class === mmClass) ? st : w.lockdep.acquire(st, { kind: 'acquire', class: mmClass, read: 1, trylock: false, instance: op.mm, role: 'page fault' }, site);
    for (const h of handlers) walk(w, h.proc, inner, thread, contexts, depth + 1);
  } else if (op.kind === 'mm_event') {
    const mmClass = lockClassOf(model, op.mm);
    let inner = w.lockdep.acquire(st, { kind: 'acquire', class: mmClass, read: op.mode === 'write' ? 0 : 1, trylock: false, instance: op.mm }, site);
    if (w.sem.mmuNotifier) inner = w.lockdep.acquire(inner, { kind: 'acquire', class: MMU_NOTIFIER_MAP, read: 0, trylock: false, role: 'mmu notifier invalidate' }, site);
    for (const r of model.registrations) {
      if (r.role !== 'mmu_notifier' || r.notifier === undefined) continue;
      const watched = model.instances[r.notifier].mm;
      if (watched === undefined || lockClassOf(model, watched) !== mmClass) continue;
      walk(w, r.proc, inner, thread, [...contexts, ...(r.nonBlocking ? ['mmu-notifier', 'mmu-notifier-nonblocking'] as Context[] : ['mmu-notifier'] as Context[])], depth + 1);
    }
  }
}

function fenceCallbacksOf(model: DriverModel): Map<number, Set<ProcId>> {
  const fenceCallbacks = new Map<number, Set<ProcId>>();
  for (const p of model.procs) {
    for (const n of p.nodes) {
      if (n.kind === 'op' && n.op.kind === 'fence_add_callback') {
        let s = fenceCallbacks.get(n.op.fence);
        if (!s) fenceCallbacks.set(n.op.fence, (s = new Set()));
        s.add(n.op.callback);
      }
    }
  }
  return fenceCallbacks;
}

/** Kahn's algorithm: procs are DAGs once loops are unrolled. */
function topoOrder(w: Walker, proc: ProcId): NodeId[] {
  const cached = w.topo.get(proc);
  if (cached) return cached;
  const nodes = w.model.procs[proc].nodes;
  const indeg = new Array<number>(nodes.length).fill(0);
  const succ = (n: Node): NodeId[] => (n.kind === 'op' ? (Object.values(n.next).filter((x) => x !== undefined) as NodeId[]) : n.kind === 'choice' ? n.next : []);
  for (const n of nodes) for (const t of new Set(succ(n))) indeg[t]++;
  const order: NodeId[] = [];
  const ready = nodes.filter((n) => indeg[n.id] === 0).map((n) => n.id);
  while (ready.length) {
    ready.sort((a, b) => b - a);
    const id = ready.pop()!;
    order.push(id);
    for (const t of new Set(succ(nodes[id]))) if (--indeg[t] === 0) ready.push(t);
  }
  w.topo.set(proc, order);
  return order;
}
