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
 */

import type { DriverModel, NodeId, ProcId, SourceMap } from '../../../model/ir.js';
import { checkBudget, type Budget } from '../../../model/budget.js';
import type { ChainEdge, SourceRef } from '../../report.js';
import { DMA_FENCE_MAP, FS_RECLAIM, MMU_NOTIFIER_MAP, primedEdgesFor, type EdgeType } from '../../../rules/canonical-order.js';
import { actionsOf, kernelSemantics, lockClassOf, updateFlags, workClass, type Acquire, type KernelSemantics, type ThreadFlags } from './acquisitions.js';
import type { Cycle, GraphEdge, Recursion } from './types.js';
import type { Context } from '../../../rules/types.js';
import type { Op } from '../../../model/ir.js';

interface HeldEntry {
  class: string;
  read: 0 | 1 | 2;
  trylock: boolean;
  instance?: number;
  nest?: string;
  refs: number;
  at?: { proc: ProcId; node: NodeId };
}

interface PathState {
  held: HeldEntry[];
  flags: ThreadFlags;
}

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
}

export interface BuiltGraph {
  classes: string[];
  edges: GraphEdge[];
  cycles: Cycle[];
  recursions: Recursion[];
  visited: VisitedOp[];
  takenIn: Map<Context, Set<string>>;
  truncated: string[];
  sem: KernelSemantics;
}

const NO_FLAGS: ThreadFlags = { nofs: 0, noio: 0, noreclaim: 0, pagefaultDisabled: 0, inReclaim: false };

function edgeType(prev: HeldEntry, next: Acquire): EdgeType {
  return `${prev.read > 0 ? 'S' : 'E'}${next.read === 2 ? 'R' : 'N'}` as EdgeType;
}

function stateKey(s: PathState): string {
  let k = `${s.flags.nofs},${s.flags.noio},${s.flags.noreclaim},${s.flags.pagefaultDisabled},${s.flags.inReclaim ? 1 : 0}|`;
  for (const h of s.held) k += `${h.class}:${h.read}:${h.trylock ? 1 : 0}:${h.instance ?? ''}:${h.nest ?? ''}:${h.refs}:${h.at ? `${h.at.proc}.${h.at.node}` : ''};`;
  return k;
}

export function buildGraph(model: DriverModel, opts: BuildOptions): BuiltGraph {
  const sem = kernelSemantics(opts.kernel, opts.mmuNotifier ?? true);
  const kms = model.instances.some((i) => i.wwClass === 'crtc_ww_class');
  const maxStates = opts.maxStatesPerProc ?? 20000;
  const sm = opts.sourceMap;

  const edgeMap = new Map<string, GraphEdge>(); // key from\0to\0type
  const adjacency = new Map<string, GraphEdge[]>();
  const classes = new Set<string>();
  const cycles: Cycle[] = [];
  const cycleKeys = new Set<string>();
  const recursions: Recursion[] = [];
  const recursionKeys = new Set<string>();
  const visited: VisitedOp[] = [];
  const takenIn = new Map<Context, Set<string>>();
  const truncated: string[] = [];

  const ref = (proc: ProcId, node: NodeId): SourceRef | undefined => {
    const loc = sm?.nodes[proc]?.[node];
    return loc ? { file: model.file, line: loc.line, col: loc.col } : undefined;
  };

  const insertEdge = (e: GraphEdge): boolean => {
    const key = `${e.from}\0${e.to}\0${e.type}`;
    if (edgeMap.has(key)) return false;
    edgeMap.set(key, e);
    classes.add(e.from);
    classes.add(e.to);
    let list = adjacency.get(e.from);
    if (!list) adjacency.set(e.from, (list = []));
    list.push(e);
    return true;
  };

  for (const p of primedEdgesFor({ mmuNotifier: sem.mmuNotifier, kms })) {
    insertEdge({ from: p.from, to: p.to, type: p.type, source: { kind: 'primed', id: p.id, where: p.where } });
  }
  for (const o of opts.declaredOrders ?? []) {
    insertEdge({ from: o.before, to: o.after, type: 'EN', source: { kind: 'primed', id: 'declared', where: o.source } });
  }

  /**
   * A strong path from `start` to `goal` whose first edge may follow an
   * edge ending in R iff `startR`, and whose last edge may precede `closing`.
   * Lockdep's rule (LOCKDEP-3): no -(xR)-> immediately followed by -(Sx)->.
   */
  const strongPath = (start: string, goal: string, startR: boolean, closing: EdgeType): GraphEdge[] | undefined => {
    type Item = { cls: string; r: boolean };
    const key = (i: Item) => `${i.cls}\0${i.r ? 1 : 0}`;
    const prev = new Map<string, { from: string; edge: GraphEdge }>();
    const seen = new Set<string>([key({ cls: start, r: startR })]);
    let frontier: Item[] = [{ cls: start, r: startR }];
    while (frontier.length) {
      const next: Item[] = [];
      for (const it of frontier) {
        for (const e of adjacency.get(it.cls) ?? []) {
          if (it.r && e.type[0] === 'S') continue;
          const r = e.type[1] === 'R';
          const item = { cls: e.to, r };
          const k = key(item);
          if (seen.has(k)) continue;
          seen.add(k);
          prev.set(k, { from: key(it), edge: e });
          if (e.to === goal && !(r && closing[0] === 'S')) {
            const path: GraphEdge[] = [];
            let cur = k;
            while (prev.has(cur)) {
              const p = prev.get(cur)!;
              path.unshift(p.edge);
              cur = p.from;
            }
            return path;
          }
          next.push(item);
        }
      }
      frontier = next;
    }
    return undefined;
  };

  const addModelEdge = (e: GraphEdge) => {
    if (!insertEdge(e)) return;
    const path = strongPath(e.to, e.from, e.type[1] === 'R', e.type);
    if (!path) return;
    const edges = [...path, e];
    const cls = edges.map((x) => x.from);
    const key = [...cls].sort().join('\0') + '|' + edges.map((x) => x.type).join('');
    if (cycleKeys.has(key)) return;
    cycleKeys.add(key);
    cycles.push({ edges, classes: cls });
  };

  const noteTaken = (contexts: Context[], cls: string) => {
    for (const c of contexts) {
      let s = takenIn.get(c);
      if (!s) takenIn.set(c, (s = new Set()));
      s.add(cls);
    }
  };

  /** Apply one acquisition to a state: recursion check, edges, push or merge. */
  const acquire = (st: PathState, a: Acquire, at: { proc: ProcId; node: NodeId }, threadName: string, api: string, contexts: Context[]): PathState => {
    classes.add(a.class);
    if (a.role === undefined || a.class !== DMA_FENCE_MAP || a.read !== 0) noteTaken(contexts, a.class);
    if (st.held.some((h) => h.class === DMA_FENCE_MAP && h.read > 0)) noteTaken(['signalling'], a.class);
    const top = st.held[st.held.length - 1];
    // __lock_acquire: a same-class acquisition under the same nest lock on
    // top of the stack only bumps the reference count; no dependency.
    if (top && a.nest && top.class === a.class && top.nest === a.nest) {
      const held = st.held.slice();
      held[held.length - 1] = { ...top, refs: top.refs + 1 };
      return { held, flags: st.flags };
    }
    if (!a.trylock) {
      // check_deadlock
      for (const h of st.held) {
        if (h.class !== a.class) continue;
        if (a.read === 2 && h.read > 0) continue;
        if (a.nest) continue;
        const k = `${a.class}\0${at.proc}.${at.node}`;
        if (!recursionKeys.has(k)) {
          recursionKeys.add(k);
          recursions.push({ class: a.class, first: h.at ?? at, second: at, thread: threadName });
        }
        break;
      }
      // check_prevs_add: from the top, through trylocked entries, up to and
      // including the first non-trylock entry.
      for (let i = st.held.length - 1; i >= 0; i--) {
        const h = st.held[i];
        if (h.class !== a.class) {
          const here = ref(at.proc, at.node);
          const heldAt = h.at ? ref(h.at.proc, h.at.node) : undefined;
          const source: ChainEdge['source'] = {
            kind: 'model',
            thread: threadName,
            at: here ?? { file: model.file, line: 0, col: 0 },
            ...(heldAt ? { heldAt } : {}),
            api,
          };
          addModelEdge({ from: h.class, to: a.class, type: edgeType(h, a), source, node: at });
        }
        if (!h.trylock) break;
      }
    }
    return {
      held: [...st.held, { class: a.class, read: a.read, trylock: a.trylock, instance: a.instance, nest: a.nest, refs: 1, at }],
      flags: st.flags,
    };
  };

  const release = (st: PathState, cls: string, instance?: number): PathState => {
    for (let i = st.held.length - 1; i >= 0; i--) {
      const h = st.held[i];
      const match = instance !== undefined && h.instance !== undefined ? h.instance === instance && h.class.startsWith(cls.split('/')[0]) : h.class === cls;
      if (!match) continue;
      const held = st.held.slice();
      if (h.refs > 1) held[i] = { ...h, refs: h.refs - 1 };
      else held.splice(i, 1);
      return { held, flags: st.flags };
    }
    return st;
  };

  /** Fence callbacks registered anywhere for a fence (static over-approximation). */
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

  const topoCache = new Map<ProcId, NodeId[]>();
  /** Kahn's algorithm: procs are DAGs once loops are unrolled. */
  const topoOrder = (proc: ProcId): NodeId[] => {
    const cached = topoCache.get(proc);
    if (cached) return cached;
    const nodes = model.procs[proc].nodes;
    const indeg = new Array<number>(nodes.length).fill(0);
    const succ = (n: (typeof nodes)[number]): NodeId[] =>
      n.kind === 'op' ? (Object.values(n.next).filter((x) => x !== undefined) as NodeId[]) : n.kind === 'choice' ? n.next : [];
    for (const n of nodes) for (const t of new Set(succ(n))) indeg[t]++;
    const order: NodeId[] = [];
    const ready = nodes.filter((n) => indeg[n.id] === 0).map((n) => n.id);
    while (ready.length) {
      ready.sort((a, b) => b - a);
      const id = ready.pop()!;
      order.push(id);
      for (const t of new Set(succ(nodes[id]))) if (--indeg[t] === 0) ready.push(t);
    }
    topoCache.set(proc, order);
    return order;
  };

  const walk = (proc: ProcId, entry: PathState, threadName: string, contexts: Context[], depth: number): PathState[] => {
    const p = model.procs[proc];
    const pending = new Map<NodeId, Map<string, PathState>>();
    const add = (node: NodeId, s: PathState) => {
      let m = pending.get(node);
      if (!m) pending.set(node, (m = new Map()));
      m.set(stateKey(s), s);
    };
    add(0, entry);
    const exits = new Map<string, PathState>();
    let count = 0;
    for (const nodeId of topoOrder(proc)) {
      const m = pending.get(nodeId);
      if (!m) continue;
      const states = [...m.values()];
      pending.delete(nodeId);
      const node = p.nodes[nodeId];
      for (const s of states) {
        // Every 256 path states: cheap next to the walk, bounded in time.
        if ((count & 255) === 255) checkBudget(opts.budget, 'lock graph');
        if (++count > maxStates) {
          truncated.push(`${p.name}: more than ${maxStates} distinct held-lock states`);
          return [...exits.values()];
        }
        if (node.kind === 'end') {
          exits.set(stateKey(s), s);
          continue;
        }
        if (node.kind === 'choice') {
          for (const n of node.next) add(n, s);
          continue;
        }
        const signalling = s.held.some((h) => h.class === DMA_FENCE_MAP && h.read > 0);
        for (const [outcome, next] of Object.entries(node.next)) {
          if (next === undefined) continue;
          visited.push({ proc, node: nodeId, op: node.op, outcome, held: s.held.map((h) => h.class), contexts, flags: s.flags, signalling });
          let st = s;
          const at = { proc, node: nodeId };
          for (const act of actionsOf(model, node.op, outcome, s.flags, sem, signalling)) {
            st = act.kind === 'acquire' ? acquire(st, act, at, threadName, node.op.api, contexts) : release(st, act.class, act.instance);
          }
          // Callbacks lockdep sees running inside this op.
          if (depth < 4) {
            if (node.op.kind === 'fence_signal') {
              const cbs = fenceCallbacks.get(node.op.fence);
              if (cbs && cbs.size) {
                // dma_fence_signal wraps itself in begin/end_signalling.
                const inner = signalling ? st : acquire(st, { kind: 'acquire', class: DMA_FENCE_MAP, read: 1, trylock: true }, at, threadName, node.op.api, contexts);
                for (const cb of cbs) walk(cb, inner, threadName, [...contexts, 'fence-callback', 'atomic'], depth + 1);
              }
            } else if (node.op.kind === 'dma_buf_invalidate') {
              for (const inst of model.instances) {
                if (inst.kind === 'attachment' && inst.buf === node.op.buf && inst.importer?.invalidate !== undefined) {
                  walk(inst.importer.invalidate, st, threadName, [...contexts, 'invalidate-mappings'], depth + 1);
                }
              }
            }
          }
          st = { held: st.held, flags: updateFlags(node.op, st.flags) };
          add(next, st);
        }
      }
    }
    return [...exits.values()];
  };

  const start = (held: { class: string; read: 0 | 1 | 2 }[], flags: ThreadFlags = NO_FLAGS): PathState => ({
    held: held.map((h) => ({ class: h.class, read: h.read, trylock: false, refs: 1 })),
    flags,
  });

  for (const t of model.threads) walk(t.proc, start([]), t.name, [], 0);
  for (const r of model.registrations) {
    const name = model.procs[r.proc].name;
    switch (r.role) {
      case 'shrinker':
        // kswapd / direct reclaim: fs_reclaim held, PF_MEMALLOC set.
        walk(r.proc, start([{ class: FS_RECLAIM, read: 0 }], { ...NO_FLAGS, inReclaim: true }), `kswapd (${name})`, ['shrinker', 'reclaim', 'kswapd'], 0);
        break;
      case 'mmu_notifier':
        walk(r.proc, start(sem.mmuNotifier ? [{ class: MMU_NOTIFIER_MAP, read: 0 }] : []), `mmu notifier (${name})`, r.nonBlocking ? ['mmu-notifier', 'mmu-notifier-nonblocking'] : ['mmu-notifier'], 0);
        break;
      case 'irq':
        walk(r.proc, start([]), `irq (${name})`, ['irq', 'atomic'], 0);
        break;
    }
  }
  for (const inst of model.instances) {
    if (inst.kind === 'work' && inst.proc !== undefined) {
      walk(inst.proc, start([{ class: workClass(model, inst.id), read: 0 }]), `kworker (${model.procs[inst.proc].name})`, ['work'], 0);
    }
  }

  // Lock classes of every lockable instance, even those never taken, so
  // patterns resolve against the whole model.
  for (const inst of model.instances) if (inst.lockClass) classes.add(lockClassOf(model, inst.id));

  cycles.sort((a, b) => a.edges.length - b.edges.length);
  return { classes: [...classes].sort(), edges: [...edgeMap.values()], cycles, recursions, visited, takenIn, truncated, sem };
}
