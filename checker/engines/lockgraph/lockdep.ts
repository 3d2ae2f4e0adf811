/**
 * Lockdep's validators on one path's held-lock stack: an acquisition is
 * checked for recursion (check_deadlock), adds edges from the held locks
 * (check_prevs_add) and is pushed, or merged under its nest lock
 * (__lock_acquire); a release pops the matching entry. Path states are
 * immutable: each step returns a new one, so the walk can keep every
 * distinct state it reaches.
 */

import type { NodeId, ProcId, SourceMap } from '../../../model/ir.js';
import type { ChainEdge, SourceRef } from '../../report.js';
import { DMA_FENCE_MAP, type EdgeType } from '../../../rules/canonical-order.js';
import type { Context } from '../../../rules/types.js';
import type { Acquire, ThreadFlags } from './acquisitions.js';
import type { DependencyGraph } from './dependency-graph.js';
import type { Recursion } from './types.js';

export interface HeldEntry {
  class: string;
  read: 0 | 1 | 2;
  trylock: boolean;
  instance?: number;
  nest?: string;
  refs: number;
  at?: { proc: ProcId; node: NodeId };
}

export interface PathState {
  held: HeldEntry[];
  flags: ThreadFlags;
}

export const NO_FLAGS: ThreadFlags = { nofs: 0, noio: 0, noreclaim: 0, pagefaultDisabled: 0, inReclaim: false };

/** A path's first state: `held` already held (by the context that runs it), nothing acquired in the model. */
export function startState(held: { class: string; read: 0 | 1 | 2 }[], flags: ThreadFlags = NO_FLAGS): PathState {
  return { held: held.map((h) => ({ class: h.class, read: h.read, trylock: false, refs: 1 })), flags };
}

/** Identifies a path state among those reaching one node. */
export function stateKey(s: PathState): string {
  let k = `${s.flags.nofs},${s.flags.noio},${s.flags.noreclaim},${s.flags.pagefaultDisabled},${s.flags.inReclaim ? 1 : 0}|`;
  for (const h of s.held) k += `${h.class}:${h.read}:${h.trylock ? 1 : 0}:${h.instance ?? ''}:${h.nest ?? ''}:${h.refs}:${h.at ? `${h.at.proc}.${h.at.node}` : ''};`;
  return k;
}

/** Whether the path is inside a fence signalling section (dma_fence_map held for read). */
export function inSignalling(s: PathState): boolean {
  return s.held.some((h) => h.class === DMA_FENCE_MAP && h.read > 0);
}

function edgeType(prev: HeldEntry, next: Acquire): EdgeType {
  return `${prev.read > 0 ? 'S' : 'E'}${next.read === 2 ? 'R' : 'N'}` as EdgeType;
}

/** Where an acquisition happens: the node, and the thread and kernel call that make it. */
export interface AcquireSite {
  at: { proc: ProcId; node: NodeId };
  thread: string;
  api: string;
  contexts: Context[];
}

/** What lockdep records across every path: the dependency graph, recursions, and the classes taken in each context. */
export class Lockdep {
  readonly recursions: Recursion[] = [];
  readonly takenIn = new Map<Context, Set<string>>();
  private readonly recursionKeys = new Set<string>();

  constructor(
    readonly graph: DependencyGraph,
    private readonly file: string,
    private readonly sourceMap?: SourceMap,
  ) {}

  /** Apply one acquisition to a state: recursion check, edges, push or merge. */
  acquire(st: PathState, a: Acquire, site: AcquireSite): PathState {
    const { at, contexts } = site;
    this.graph.classes.add(a.class);
    if (a.role === undefined || a.class !== DMA_FENCE_MAP || a.read !== 0) this.noteTaken(contexts, a.class);
    if (inSignalling(st)) this.noteTaken(['signalling'], a.class);
    const top = st.held[st.held.length - 1];
    // __lock_acquire: a same-class acquisition under the same nest lock on
    // top of the stack only bumps the reference count; no dependency.
    if (top && a.nest && top.class === a.class && top.nest === a.nest) {
      const held = st.held.slice();
      held[held.length - 1] = { ...top, refs: top.refs + 1 };
      return { held, flags: st.flags };
    }
    if (!a.trylock) {
      this.checkDeadlock(st, a, site);
      this.checkPrevsAdd(st, a, site);
    }
    return {
      held: [...st.held, { class: a.class, read: a.read, trylock: a.trylock, instance: a.instance, nest: a.nest, refs: 1, at }],
      flags: st.flags,
    };
  }

  /** Pops the innermost entry `cls` (or the instance's entry) names; a state without one is returned as is. */
  release(st: PathState, cls: string, instance?: number): PathState {
    const exact = (h: HeldEntry) => (instance !== undefined && h.instance !== undefined ? h.instance === instance && h.class.startsWith(cls.split('/')[0]) : h.class === cls);
    // match_held_lock(): an entry that merged several same-class locks under
    // one nest lock (references) stands for all of them, so the unlock of
    // the second ww lock of a context drops a reference of the first's entry.
    const merged = (h: HeldEntry) => h.refs > 1 && h.class === cls;
    for (const match of [exact, merged]) {
      for (let i = st.held.length - 1; i >= 0; i--) {
        const h = st.held[i];
        if (!match(h)) continue;
        const held = st.held.slice();
        if (h.refs > 1) held[i] = { ...h, refs: h.refs - 1 };
        else held.splice(i, 1);
        return { held, flags: st.flags };
      }
    }
    return st;
  }

  /** check_deadlock: the class already held, unless both are recursive reads or a nest lock covers it; each site once. */
  private checkDeadlock(st: PathState, a: Acquire, site: AcquireSite): void {
    const { at } = site;
    for (const h of st.held) {
      if (h.class !== a.class) continue;
      if (a.read === 2 && h.read > 0) continue;
      if (a.nest) continue;
      const k = `${a.class}\0${at.proc}.${at.node}`;
      if (!this.recursionKeys.has(k)) {
        this.recursionKeys.add(k);
        this.recursions.push({ class: a.class, first: h.at ?? at, second: at, thread: site.thread });
      }
      break;
    }
  }

  /**
   * check_prevs_add: an edge to the new class from the top of the stack,
   * through trylocked entries, up to and including the first non-trylock
   * entry.
   */
  private checkPrevsAdd(st: PathState, a: Acquire, site: AcquireSite): void {
    const { at } = site;
    for (let i = st.held.length - 1; i >= 0; i--) {
      const h = st.held[i];
      if (h.class !== a.class) {
        const here = this.ref(at.proc, at.node);
        const heldAt = h.at ? this.ref(h.at.proc, h.at.node) : undefined;
        const source: ChainEdge['source'] = {
          kind: 'model',
          thread: site.thread,
          at: here ?? { file: this.file, line: 0, col: 0 },
          ...(heldAt ? { heldAt } : {}),
          api: site.api,
        };
        this.graph.addModelEdge({ from: h.class, to: a.class, type: edgeType(h, a), source, node: at });
      }
      if (!h.trylock) break;
    }
  }

  private noteTaken(contexts: Context[], cls: string): void {
    for (const c of contexts) {
      let s = this.takenIn.get(c);
      if (!s) this.takenIn.set(c, (s = new Set()));
      s.add(cls);
    }
  }

  private ref(proc: ProcId, node: NodeId): SourceRef | undefined {
    const loc = this.sourceMap?.nodes[proc]?.[node];
    return loc ? { file: this.file, line: loc.line, col: loc.col } : undefined;
  }
}
