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
import { effectiveWait, LD_WAIT_CONFIG, LD_WAIT_MAX, UsageTable, type UsageBit, type WaitViolation } from './usage.js';

export interface HeldEntry {
  class: string;
  read: 0 | 1 | 2;
  trylock: boolean;
  instance?: number;
  nest?: string;
  refs: number;
  at?: { proc: ProcId; node: NodeId };
  /** The class's inner wait type (check_wait_context); 0 = not checked. */
  wait?: number;
}

export interface PathState {
  held: HeldEntry[];
  flags: ThreadFlags;
}

export const NO_FLAGS: ThreadFlags = { nofs: 0, noio: 0, noreclaim: 0, pagefaultDisabled: 0, inReclaim: false, hardirqsOff: 0, softirqsOff: 0 };

/** A path's first state: `held` already held (by the context that runs it), nothing acquired in the model. */
export function startState(held: { class: string; read: 0 | 1 | 2 }[], flags: ThreadFlags = NO_FLAGS): PathState {
  return { held: held.map((h) => ({ class: h.class, read: h.read, trylock: false, refs: 1 })), flags };
}

/** Identifies a path state among those reaching one node. */
export function stateKey(s: PathState): string {
  let k = `${s.flags.nofs},${s.flags.noio},${s.flags.noreclaim},${s.flags.pagefaultDisabled},${s.flags.inReclaim ? 1 : 0},${s.flags.hardirqsOff},${s.flags.softirqsOff}|`;
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
  /** The call path of an acquisition written in an inlined helper (report.ts `ChainEdge` source `via`). */
  via?: string[];
}

/** What lockdep records across every path: the dependency graph, recursions, and the classes taken in each context. */
export class Lockdep {
  readonly recursions: Recursion[] = [];
  readonly takenIn = new Map<Context, Set<string>>();
  /** As takenIn, blocking acquisitions only (a trylock records no edge into its class). */
  readonly takenInBlocking = new Map<Context, Set<string>>();
  readonly usage = new UsageTable();
  readonly waitViolations: WaitViolation[] = [];
  /**
   * Some path acquired a lock while holding one, trylocks and same-class
   * acquisitions under a nest lock included: the lock-order and recursion
   * checks have something to judge even when no model edge was recorded
   * (a trylock records none; an edge the primed order already has keeps
   * its primed source).
   */
  nested = false;
  private readonly recursionKeys = new Set<string>();
  private readonly waitKeys = new Set<string>();

  constructor(
    readonly graph: DependencyGraph,
    private readonly file: string,
    private readonly sourceMap?: SourceMap,
    /** CONFIG_PREEMPT_RT (with PROVE_RAW_LOCK_NESTING): LD_WAIT_CONFIG is its own wait type. */
    private readonly preemptRt = false,
  ) {}

  /** Apply one acquisition to a state: recursion check, edges, push or merge. */
  acquire(st: PathState, acq: Acquire, site: AcquireSite): PathState {
    const { at, contexts } = site;
    const a = queuedReaderRule(acq, st, contexts);
    this.graph.classes.add(a.class);
    if (a.role === undefined || a.class !== DMA_FENCE_MAP || a.read !== 0) this.noteTaken(contexts, a.class, !a.trylock);
    if (inSignalling(st)) this.noteTaken(['signalling'], a.class, !a.trylock);
    const top = st.held[st.held.length - 1];
    if (top) this.nested = true;
    // __lock_acquire: a same-class acquisition under the same nest lock on
    // top of the stack only bumps the reference count; no dependency.
    if (top && a.nest && top.class === a.class && top.nest === a.nest) {
      const held = st.held.slice();
      held[held.length - 1] = { ...top, refs: top.refs + 1 };
      return { held, flags: st.flags };
    }
    this.markUsage(st, a, site);
    this.checkWaitContext(st, a, site);
    if (!a.trylock) {
      this.checkDeadlock(st, a, site);
      this.checkPrevsAdd(st, a, site);
    }
    const wait = a.wait?.inner;
    return {
      held: [...st.held, { class: a.class, read: a.read, trylock: a.trylock, instance: a.instance, nest: a.nest, refs: 1, at, ...(wait ? { wait } : {}) }],
      flags: st.flags,
    };
  }

  /**
   * mark_usage: IN-<irq> in that interrupt context (not for a trylock),
   * <irq>-ON with that interrupt enabled. Lockdep's own annotations
   * (reclaim, fence signalling, RCU maps) carry no irq-usage meaning here:
   * dma_fence_begin_signalling() skips the annotation in atomic context.
   */
  private markUsage(st: PathState, a: Acquire, site: AcquireSite): void {
    if (a.role !== undefined || a.class === DMA_FENCE_MAP) return;
    const ctx = irqContext(site.contexts);
    const read = a.read > 0;
    const mark = (irq: UsageBit['irq'], dir: UsageBit['dir']) =>
      this.usage.mark(a.class, { irq, dir, read }, { at: site.at, thread: site.thread, api: site.api });
    if (!a.trylock) {
      if (ctx === 'hardirq') mark('HARDIRQ', 'IN');
      if (ctx === 'softirq') mark('SOFTIRQ', 'IN');
    }
    // In hard-irq context irqs are off; in softirq context softirqs are.
    const hardirqsOff = ctx === 'hardirq' || st.flags.hardirqsOff > 0;
    const softirqsOff = ctx !== 'process' || st.flags.softirqsOff > 0;
    if (!hardirqsOff) {
      mark('HARDIRQ', 'ON');
      if (!softirqsOff) mark('SOFTIRQ', 'ON');
    }
  }

  /** check_wait_context: the new class's outer wait type against the innermost held one and the context's. */
  private checkWaitContext(st: PathState, a: Acquire, site: AcquireSite): void {
    if (!a.wait || a.trylock) return;
    const rt = this.preemptRt;
    const outer = effectiveWait(a.wait.outer ?? a.wait.inner, rt);
    const ctx = irqContext(site.contexts);
    // task_wait_context(): request_irq handlers may be force-threaded
    // (lockdep_hardirq_threaded), so both irq contexts allow LD_WAIT_CONFIG.
    // A force-threaded handler (PREEMPT_RT) keeps the hard-irq limit: lockdep_hardirq_threaded().
    const threaded = site.contexts.includes('irq-thread');
    let inner = ctx === 'process' && !threaded ? LD_WAIT_MAX : effectiveWait(LD_WAIT_CONFIG, rt);
    let limitedBy: WaitViolation['limitedBy'] = { kind: 'context', context: ctx === 'hardirq' || threaded ? 'hardirq' : 'softirq' };
    for (const h of st.held) {
      if (!h.wait) continue;
      const w = effectiveWait(h.wait, rt);
      if (w < inner) {
        inner = w;
        limitedBy = { kind: 'lock', class: h.class, ...(h.at ? { at: h.at } : {}) };
      }
    }
    if (outer <= inner) return;
    const k = `${a.class}\0${site.at.proc}.${site.at.node}`;
    if (this.waitKeys.has(k)) return;
    this.waitKeys.add(k);
    this.waitViolations.push({
      class: a.class,
      outer,
      inner,
      limitedBy,
      site: { at: site.at, thread: site.thread, api: site.api },
      held: st.held.map((h) => ({ class: h.class, inner: effectiveWait(h.wait ?? 0, rt) })),
    });
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
    const recorded: Context[] = inSignalling(st) && !site.contexts.includes('signalling') ? [...site.contexts, 'signalling'] : site.contexts;
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
          ...(site.via ? { via: site.via } : {}),
          ...(a.read > 0 ? { read: true } : {}),
        };
        this.graph.addModelEdge({ from: h.class, to: a.class, type: edgeType(h, a), source, node: at, recordings: [{ node: at, contexts: recorded }] });
      }
      if (!h.trylock) break;
    }
  }

  private noteTaken(contexts: Context[], cls: string, blocking: boolean): void {
    for (const c of contexts) {
      for (const map of blocking ? [this.takenIn, this.takenInBlocking] : [this.takenIn]) {
        let s = map.get(c);
        if (!s) map.set(c, (s = new Set()));
        s.add(cls);
      }
    }
  }

  private ref(proc: ProcId, node: NodeId): SourceRef | undefined {
    const loc = this.sourceMap?.nodes[proc]?.[node];
    return loc ? { file: this.file, line: loc.line, col: loc.col } : undefined;
  }
}

/** The interrupt context a walk runs in: hard irq handlers, softirq handlers (and what they call), or a task. */
export function irqContext(contexts: readonly Context[]): 'hardirq' | 'softirq' | 'process' {
  if (contexts.includes('irq')) return 'hardirq';
  if (contexts.includes('softirq')) return 'softirq';
  return 'process';
}

/**
 * read_lock_is_recursive() (kernel/locking/lockdep.c): a queued rwlock's
 * reader is recursive only in_interrupt() — hard irq, softirq, or with
 * softirqs disabled; in a task it queues behind a waiting writer, so
 * lockdep takes it as a non-recursive read.
 */
function queuedReaderRule(a: Acquire, st: PathState, contexts: readonly Context[]): Acquire {
  if (!a.queuedReader || a.read !== 2) return a;
  const inInterrupt = irqContext(contexts) !== 'process' || st.flags.softirqsOff > 0;
  return inInterrupt ? a : { ...a, read: 1 };
}
