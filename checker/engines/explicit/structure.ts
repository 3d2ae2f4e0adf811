/**
 * What the explicit engine learns about a transition system before it
 * explores it: each thread's program-counter graph, which transitions can
 * fire at each pc, the *future footprint* of a thread at each pc (every
 * variable a transition reachable from that pc may read or write), which
 * lock-owner variables obey lock semantics, and which transitions are
 * visible to the properties.
 *
 * The partial-order reduction reads all of this; the plain search only
 * uses `transAt` to evaluate just the guards of transitions at each
 * thread's current pc.
 */

import type { BoolExpr, IntExpr, TransitionSystem, VarId } from '../../semantics/system.js';
import { compileBool, conjuncts, constValues, pinnedValues, varsOfBool, varsOfInt, type BoolFn } from './compile-closures.js';
import { simplifySystem } from './value-sets.js';
import { firesFrom } from '../../semantics/location.js';
import { checkBudget, type Budget } from '../../../model/budget.js';
import { computeProfiles, enablingProfiles, NONLOCAL, truthTable, type Profiles } from './profiles.js';
import { maskedReads, protectedVariables } from './own-tests.js';

export interface Structure {
  nThreads: number;
  nTrans: number;
  /** Words per variable bitset. */
  VW: number;
  /** pc variable of each thread, or -1 when the system gives it none. */
  pcVar: Int32Array;
  /** Global pc index of (thread t, pc value p) = pcOffset[t] + p. */
  pcOffset: Int32Array;
  /** Number of pc values per thread (max + 1, or 1 without a pc variable). */
  pcCount: Int32Array;
  /** Transitions that may fire at global pc g: transAtList[transAtStart[g] .. transAtStart[g+1]). */
  transAtStart: Int32Array;
  transAtList: Int32Array;
  /** Per transition, VW words each: read and written variables (augmented, see below). */
  R: Uint32Array;
  W: Uint32Array;
  /** Per global pc, VW words each: the future footprint of that thread from that pc. */
  futR: Uint32Array;
  futW: Uint32Array;
  /**
   * Per global pc: lock-owner variables some future transition of the
   * thread touches without being gated on the lock being free or its own.
   */
  ungatedOwner: Uint32Array;
  /**
   * Lock-owner variables that obey lock semantics: every transition that
   * writes one requires it to be free or held by the writing thread, so
   * while thread h holds it only h can change it.
   */
  lockAware: Uint8Array;
  visible: Uint8Array;
  /**
   * Guard conjuncts per transition (pc tests dropped): closures, the
   * variables each reads, and for a conjunct over one variable x the mask
   * of x's profiles that can make it true (see profiles.ts).
   */
  conj: { fn: BoolFn; vars: number[]; enablers: number }[][];
  profiles: Profiles;
  /** Per global pc and variable: mask of the profiles of that variable in the thread's future (NONLOCAL for opaque touches). */
  futProf: Int32Array;
  /** The state graph is acyclic: every transition moves its own thread's pc forward in a DAG. */
  acyclic: boolean;
  /** Why `acyclic` is false. */
  cyclicReason?: string;
}

/**
 * `forPor: false` computes only what the plain search needs (pc variables
 * and the transitions at each pc); the footprint tables stay empty.
 * `honourVisible: false` ignores the compiler's `visible` flags (sound when
 * only deadlock and terminal properties are checked: every terminal state
 * is kept); visibility then comes from the properties alone.
 */
/**
 * `budget`: the model's wall-clock budget. Parts of the analysis grow
 * faster than the system (futures: a search from every pc), so it is
 * checked at bounded intervals and BudgetExceeded (phase `explicit`) stops
 * the analysis.
 */
/** Shared by the steps of `analyse`: the system, bitset width and the budget tick. */
interface Scope {
  ts: TransitionSystem;
  nThreads: number;
  nTrans: number;
  nVars: number;
  VW: number;
  tick: () => void;
}

const setBit = (a: Uint32Array, base: number, v: number) => {
  a[base + (v >>> 5)] |= 1 << (v & 31);
};
const hasBit = (a: Uint32Array, base: number, v: number) => (a[base + (v >>> 5)] & (1 << (v & 31))) !== 0;

export function analyse(tsIn: TransitionSystem, forPor = true, honourVisible = true, budget?: Budget): Structure {
  let ticks = 0;
  const tick = () => {
    if ((++ticks & 63) === 0) checkBudget(budget, 'explicit');
  };
  // The reduction reasons about reachable states only, so it may read the
  // expressions simplified under what the variables can reach (value-sets.ts).
  const ts = forPor ? simplifySystem(tsIn) : tsIn;
  const nThreads = ts.threads.length;
  const nTrans = ts.transitions.length;
  const nVars = ts.vars.length;
  const VW = Math.max(1, Math.ceil(nVars / 32));
  const sc: Scope = { ts, nThreads, nTrans, nVars, VW, tick };

  // The first reason found wins, in the order the steps below run.
  const pcs = pcVariables(sc);
  const { pcVar, pcCount, pcOffset } = pcs;
  const fp = footprints(sc);
  const { W, stepWhen } = fp;
  const stepReads = stepWhen.map((ws) => {
    const out = new Set<VarId>();
    for (const w of ws) varsOfBool(w, out);
    return out;
  });
  const profiles = computeProfiles(ts, stepReads, forPor);
  const visible = visibility(sc, fp, honourVisible);
  const edges = pcEdges(sc, pcVar, W);
  const counter = monotoneCounters(sc, W);
  const bumpsCounter = (t: number) => ts.transitions[t].updates.some((u) => counter[u.v] === 1);
  const { transAtStart, transAtList } = transitionsAtPcs(sc, pcs, edges.from);
  const graph = pcGraph(sc, pcs, edges, bumpsCounter);
  let cyclicReason = pcs.cyclicReason ?? edges.cyclicReason;
  // Every transition either bumps a monotone counter or moves its own pc
  // along a DAG edge (and never another thread's pc): the pair (sum of
  // counters, sum of topological ranks of the pcs) grows lexicographically
  // at every step, so the state graph has no cycle.
  for (const [t, why] of edges.transReason) {
    if (!bumpsCounter(t)) {
      cyclicReason ??= why;
      break;
    }
  }
  if (!cyclicReason) {
    for (let th = 0; th < nThreads && !cyclicReason; th++) {
      if (hasCycle(pcCount[th], (p) => graph.loopSucc[pcOffset[th] + p])) cyclicReason = `thread ${ts.threads[th].name} has a loop in its pc graph`;
    }
  }

  if (!forPor) {
    return {
      nThreads, nTrans, VW, pcVar, pcOffset, pcCount, transAtStart, transAtList, R: fp.R, W,
      futR: new Uint32Array(0), futW: new Uint32Array(0), ungatedOwner: new Uint32Array(0),
      lockAware: new Uint8Array(nVars), visible, conj: [], profiles, futProf: new Int32Array(0),
      acyclic: cyclicReason === undefined, cyclicReason,
    };
  }

  const { lockAware, ownerVars } = lockAwareOwners(sc, W);
  // From here on R leaves out the reads no other thread's step can change (own-tests.ts).
  const R = ownTestFreeReads(sc, W, lockAware, stepWhen);
  const ungatedT = ungatedOwners(sc, ownerVars, R, W, stepWhen);
  const { futR, futW, ungatedOwner, futProf } = futures(sc, pcs, { transAtStart, transAtList }, graph.succ, { R, W, ungatedT, profiles }, budget);
  const conj = ts.transitions.map((t) => {
    tick();
    const pv = pcVar[t.thread];
    return conjuncts(t.guard)
      .filter((c) => !(pv >= 0 && isPcTest(c, pv)))
      .map((c) => {
        const vars = [...varsOfBool(c)];
        const table = profiles.enabled && vars.length === 1 ? truthTable(ts, c, vars[0]) : undefined;
        return { fn: compileBool(c), vars, enablers: table ? enablingProfiles(profiles, vars[0], table) : -1 };
      });
  });
  return {
    nThreads,
    nTrans,
    VW,
    pcVar,
    pcOffset,
    pcCount,
    transAtStart,
    transAtList,
    R,
    W,
    futR,
    futW,
    ungatedOwner,
    lockAware,
    visible,
    conj,
    profiles,
    futProf,
    acyclic: cyclicReason === undefined,
    cyclicReason,
  };
}

/**
 * Each thread's pc variable, provided it provably stays within 0..max.
 *
 * The engine indexes transitions by pc value and then skips their pc
 * tests, so a pc must provably stay within 0..max: its initial value and
 * every value written to it are constants in range, written by its own
 * thread. Otherwise the thread gets no pc index (its transitions are
 * evaluated whole, at every state) and no reduction is attempted.
 */
function pcVariables(sc: Scope) {
  const { ts, nThreads, tick } = sc;
  const pcVar = new Int32Array(nThreads).fill(-1);
  let cyclicReason: string | undefined;
  for (const v of ts.vars) {
    if (v.role.kind !== 'pc') continue;
    const th = v.role.thread;
    if (th < 0 || th >= nThreads) continue;
    if (pcVar[th] >= 0) cyclicReason ??= `thread ${ts.threads[th].name} has two pc variables`;
    else pcVar[th] = v.id;
  }
  for (let th = 0; th < nThreads; th++) {
    const pv = pcVar[th];
    if (pv < 0) continue;
    const max = ts.vars[pv].max;
    let ok = ts.vars[pv].init <= max;
    for (const t of ts.transitions) {
      tick();
      for (const u of t.updates) {
        if (u.v !== pv) continue;
        const vals = constValues(u.e);
        if (t.thread !== th || !vals || [...vals].some((x) => x < 0 || x > max)) ok = false;
      }
    }
    if (!ok) {
      pcVar[th] = -1;
      cyclicReason ??= `the pc of thread ${ts.threads[th].name} is not a constant in 0..max`;
    }
  }
  const pcCount = new Int32Array(nThreads);
  const pcOffset = new Int32Array(nThreads + 1);
  for (let th = 0; th < nThreads; th++) {
    pcCount[th] = pcVar[th] >= 0 ? ts.vars[pcVar[th]].max + 1 : 1;
    if (pcVar[th] < 0) cyclicReason ??= `thread ${ts.threads[th].name} has no pc variable`;
    pcOffset[th + 1] = pcOffset[th] + pcCount[th];
  }
  const nPcs = pcOffset[nThreads];
  return { pcVar, pcCount, pcOffset, nPcs, cyclicReason };
}

type PcVariables = ReturnType<typeof pcVariables>;

/**
 * Augmented footprints: the declared ones, what the expressions actually
 * mention, and for step properties the variables of `when` (the check
 * reads them when the transition fires).
 */
function footprints(sc: Scope) {
  const { ts, nTrans, VW, tick } = sc;
  const R = new Uint32Array(nTrans * VW);
  const W = new Uint32Array(nTrans * VW);
  const stepWhen: BoolExpr[][] = ts.transitions.map(() => []);
  const inStep = new Uint8Array(nTrans);
  const stateBadVars = new Set<VarId>();
  for (const p of ts.properties) {
    if (p.kind === 'step') {
      for (const t of p.transitions) {
        if (t >= 0 && t < nTrans) {
          stepWhen[t].push(p.when);
          inStep[t] = 1;
        }
      }
    } else if (p.kind === 'state') {
      varsOfBool(p.bad, stateBadVars);
    }
  }
  for (const t of ts.transitions) {
    tick();
    const base = t.id * VW;
    const reads = new Set<VarId>(t.reads);
    varsOfBool(t.guard, reads);
    for (const u of t.updates) varsOfInt(u.e, reads);
    for (const w of stepWhen[t.id]) varsOfBool(w, reads);
    for (const v of reads) setBit(R, base, v);
    for (const v of t.writes) setBit(W, base, v);
    for (const u of t.updates) setBit(W, base, u.v);
  }
  return { R, W, stepWhen, inStep, stateBadVars };
}

/** Visible transitions: marked by the compiler (when honoured), of a step property, or writing what a state property reads. */
function visibility(sc: Scope, fp: ReturnType<typeof footprints>, honourVisible: boolean): Uint8Array {
  const { ts, nTrans, VW, tick } = sc;
  const { W, inStep, stateBadVars } = fp;
  const visible = new Uint8Array(nTrans);
  for (const t of ts.transitions) {
    tick();
    let vis = (honourVisible && t.visible) || inStep[t.id] === 1;
    if (!vis) for (const v of stateBadVars) if (hasBit(W, t.id * VW, v)) vis = true;
    visible[t.id] = vis ? 1 : 0;
  }

  return visible;
}

/** Where each transition can fire and where it leaves its thread, with why that is not a plain forward pc edge. */
function pcEdges(sc: Scope, pcVar: Int32Array, W: Uint32Array) {
  const { ts, nThreads, VW, tick } = sc;
  let cyclicReason: string | undefined;
  const transReason = new Map<number, string>();
  const from: (Set<number> | undefined)[] = [];
  const to: (Set<number> | 'same' | undefined)[] = [];
  for (const t of ts.transitions) {
    tick();
    const pv = pcVar[t.thread];
    if (pv < 0) {
      from.push(undefined);
      to.push(undefined);
      continue;
    }
    // The location the compiler recorded. A guard the value sets made
    // `false` fires nowhere; one whose pc test they made `true` (the pc can
    // take no other value) no longer reads the pc and fires at any pc.
    const src = firesFrom(t);
    const testsPc = t.from.pcVar === pv && (src === undefined || varsOfBool(t.guard).has(pv));
    from.push(!testsPc ? undefined : src === undefined ? new Set() : new Set([src.pc]));
    if (!testsPc) transReason.set(t.id, `transition ${t.id} does not test its thread's pc`);
    // An update of the pc that the simplification dropped was the identity.
    if (!t.updates.some((u) => u.v === pv)) {
      to.push('same');
      if (!transReason.has(t.id)) transReason.set(t.id, `transition ${t.id} does not move its thread's pc`);
    } else {
      to.push(t.to.pcVar === pv ? new Set([t.to.pc]) : undefined);
      if (t.to.pcVar !== pv && !transReason.has(t.id)) transReason.set(t.id, `transition ${t.id} computes its thread's pc`);
    }
    for (let th = 0; th < nThreads; th++) {
      if (th !== t.thread && pcVar[th] >= 0 && hasBit(W, t.id * VW, pcVar[th])) {
        cyclicReason ??= `transition ${t.id} writes the pc of another thread`;
      }
    }
  }
  return { from, to, transReason, cyclicReason };
}

/**
 * Monotone counters (kswapd runs, irq fires): every writer adds a
 * positive constant. A transition that bumps one cannot lie on a cycle of
 * the state graph, so its pc edges do not count as loops.
 */
function monotoneCounters(sc: Scope, W: Uint32Array): Uint8Array {
  const { ts, nVars, VW, tick } = sc;
  const counter = new Uint8Array(nVars);
  for (const v of ts.vars) counter[v.id] = 1;
  for (const t of ts.transitions) {
    tick();
    for (let v = 0; v < nVars; v++) {
      if (!counter[v] || !hasBit(W, t.id * VW, v)) continue;
      const u = t.updates.find((x) => x.v === v);
      const e = u?.e;
      const bumps = e !== undefined && e.k === 'add' && e.a.k === 'var' && e.a.v === v && e.b.k === 'const' && e.b.v >= 1;
      if (!bumps) counter[v] = 0;
    }
  }

  return counter;
}

/** Transitions per global pc. */
function transitionsAtPcs(sc: Scope, pcs: PcVariables, from: (Set<number> | undefined)[]) {
  const { ts, tick } = sc;
  const { pcCount, pcOffset, nPcs } = pcs;
  const lists: number[][] = Array.from({ length: nPcs }, () => []);
  for (const t of ts.transitions) {
    tick();
    const th = t.thread;
    const f = from[t.id];
    for (let p = 0; p < pcCount[th]; p++) {
      if (!f || f.has(p)) lists[pcOffset[th] + p].push(t.id);
    }
  }
  const transAtStart = new Int32Array(nPcs + 1);
  for (let g = 0; g < nPcs; g++) transAtStart[g + 1] = transAtStart[g] + lists[g].length;
  const transAtList = new Int32Array(transAtStart[nPcs]);
  for (let g = 0; g < nPcs; g++) transAtList.set(lists[g], transAtStart[g]);
  return { transAtStart, transAtList };
}

/**
 * The pc graph of each thread, and reachability over it.
 * `succ`: every pc edge (futures follow them all); `loopSucc`: the edges
 * that could close a cycle of the state graph.
 */
function pcGraph(sc: Scope, pcs: PcVariables, edges: ReturnType<typeof pcEdges>, bumpsCounter: (t: number) => boolean) {
  const { ts, tick } = sc;
  const { pcCount, pcOffset, nPcs } = pcs;
  const { from, to } = edges;
  const succ: Set<number>[] = Array.from({ length: nPcs }, () => new Set<number>());
  const loopSucc: Set<number>[] = Array.from({ length: nPcs }, () => new Set<number>());
  for (const t of ts.transitions) {
    tick();
    const th = t.thread;
    const f = from[t.id];
    const d = to[t.id];
    const bump = bumpsCounter(t.id);
    for (let p = 0; p < pcCount[th]; p++) {
      if (f && !f.has(p)) continue;
      const targets: number[] = d === undefined ? Array.from({ length: pcCount[th] }, (_, q) => q) : d === 'same' ? [p] : [...d].filter((q) => q < pcCount[th]);
      for (const q of targets) {
        succ[pcOffset[th] + p].add(q);
        if (!bump) loopSucc[pcOffset[th] + p].add(q);
      }
    }
  }
  return { succ, loopSucc };
}

/**
 * Lock semantics, read off the expressions rather than assumed.
 * `lockAware[x]`: every transition that writes owner variable x can only
 * change it while x is free or its own (guard pins x to {0, own}, or the
 * update is `ite(x == own-or-0 ..., e, x)`), and only ever writes 0, its
 * own id or x itself. Then while thread h holds x only h changes it.
 */
function lockAwareOwners(sc: Scope, W: Uint32Array) {
  const { ts, nVars, VW, tick } = sc;
  const lockAware = new Uint8Array(nVars);
  const ownerVars: number[] = [];
  for (const v of ts.vars) {
    if (v.role.kind !== 'lock-owner') continue;
    ownerVars.push(v.id);
    lockAware[v.id] = 1;
  }
  for (const t of ts.transitions) {
    tick();
    const own = t.thread + 1;
    for (const x of ownerVars) {
      if (!hasBit(W, t.id * VW, x)) continue;
      const u = t.updates.find((y) => y.v === x);
      const values = u ? valuesOrSelf(u.e, x) : 'any';
      const writesOk = values !== 'any' && [...values].every((val) => val === 'self' || val === 0 || val === own);
      let changesOnlyWhenOurs = guardGated(ts, t.id, x);
      if (!changesOnlyWhenOurs && u && u.e.k === 'ite' && u.e.e.k === 'var' && u.e.e.v === x) {
        changesOnlyWhenOurs = subset(pinnedValues(u.e.c, x), [0, own]);
      }
      if (!writesOk || !changesOnlyWhenOurs) lockAware[x] = 0;
    }
  }
  return { lockAware, ownerVars };
}

const subset = (p: Set<number> | undefined, allowed: number[]) => p !== undefined && [...p].every((x) => allowed.includes(x));
const guardGated = (ts: TransitionSystem, t: number, x: number) => subset(pinnedValues(ts.transitions[t].guard, x), [0, ts.transitions[t].thread + 1]);

/**
 * The read footprints the reduction compares: each transition's guard and
 * updates without its own-ownership tests (own-tests.ts), plus the `when`
 * of its step properties, read whole (the property reads them as it fires).
 */
function ownTestFreeReads(sc: Scope, W: Uint32Array, lockAware: Uint8Array, stepWhen: BoolExpr[][]): Uint32Array {
  const { ts, nTrans, nVars, VW, tick } = sc;
  const writers: number[][] = Array.from({ length: nVars }, () => []);
  for (const t of ts.transitions) for (let v = 0; v < nVars; v++) if (hasBit(W, t.id * VW, v)) writers[v].push(t.id);
  const scope = { lockAware, protectedBy: protectedVariables(ts, lockAware, writers) };
  const R = new Uint32Array(nTrans * VW);
  for (const t of ts.transitions) {
    tick();
    const reads = new Set<VarId>(t.reads);
    maskedReads(t, scope, reads);
    for (const w of stepWhen[t.id]) varsOfBool(w, reads);
    for (const v of reads) setBit(R, t.id * VW, v);
  }
  return R;
}

/**
 * `ungatedT[t]`: owner variables t touches in a way that matters while
 * another thread holds the lock. Gated touches: a guard that pins x to
 * {0, own} (cannot fire then), or reads of x only in conditions `x == own`
 * of updates `y := ite(c, e, y)` (the identity then), x not in the guard.
 */
function ungatedOwners(sc: Scope, ownerVars: number[], R: Uint32Array, W: Uint32Array, stepWhen: BoolExpr[][]): Uint32Array {
  const { ts, nTrans, VW, tick } = sc;
  const ungatedT = new Uint32Array(nTrans * VW);
  for (const t of ts.transitions) {
    tick();
    const own = t.thread + 1;
    for (const x of ownerVars) {
      if (!hasBit(R, t.id * VW, x) && !hasBit(W, t.id * VW, x)) continue;
      if (guardGated(ts, t.id, x)) continue;
      let gatedByUpdates = !varsOfBool(t.guard).has(x);
      for (const u of t.updates) {
        if (!gatedByUpdates) break;
        if (!varsOfInt(u.e).has(x)) continue;
        gatedByUpdates =
          u.e.k === 'ite' && u.e.e.k === 'var' && u.e.e.v === u.v && !varsOfInt(u.e.t).has(x) && subset(pinnedValues(u.e.c, x), [own]);
      }
      // Step-property `when` expressions read at firing time count as reads too.
      for (const w of stepWhen[t.id]) if (varsOfBool(w).has(x)) gatedByUpdates = false;
      if (!gatedByUpdates) setBit(ungatedT, t.id * VW, x);
    }
  }

  return ungatedT;
}

/** Per global pc, the future footprint of its thread: what every transition reachable from there reads, writes and how. */
function futures(
  sc: Scope,
  pcs: PcVariables,
  at: { transAtStart: Int32Array; transAtList: Int32Array },
  succ: Set<number>[],
  per: { R: Uint32Array; W: Uint32Array; ungatedT: Uint32Array; profiles: Profiles },
  budget: Budget | undefined,
) {
  const { ts, nThreads, nVars, VW } = sc;
  const { pcCount, pcOffset, nPcs } = pcs;
  const { transAtStart, transAtList } = at;
  const { R, W, ungatedT, profiles } = per;
  const futProf = new Int32Array(profiles.enabled ? nPcs * nVars : 0);
  // Per transition: pairs (variable, profile bit) it contributes to futures.
  const touchProf: number[][] = ts.transitions.map((t) => {
    const out: number[] = [];
    if (!profiles.enabled) return out;
    for (let x = 0; x < nVars; x++) {
      if (!hasBit(R, t.id * VW, x) && !hasBit(W, t.id * VW, x)) continue;
      const p = profiles.prof[t.id * nVars + x];
      out.push(x, p >= 0 ? 1 << p : NONLOCAL);
    }
    return out;
  });
  const futR = new Uint32Array(nPcs * VW);
  const futW = new Uint32Array(nPcs * VW);
  const ungatedOwner = new Uint32Array(nPcs * VW);
  for (let th = 0; th < nThreads; th++) {
    for (let p = 0; p < pcCount[th]; p++) {
      // One search per pc: quadratic in a long thread, so checked per pc.
      checkBudget(budget, 'explicit');
      const g = pcOffset[th] + p;
      const seen = new Set<number>([p]);
      const stack = [p];
      while (stack.length) {
        const q = stack.pop()!;
        const gq = pcOffset[th] + q;
        for (let i = transAtStart[gq]; i < transAtStart[gq + 1]; i++) {
          const t = transAtList[i];
          for (let w = 0; w < VW; w++) {
            futR[g * VW + w] |= R[t * VW + w];
            futW[g * VW + w] |= W[t * VW + w];
          }
          for (let w = 0; w < VW; w++) ungatedOwner[g * VW + w] |= ungatedT[t * VW + w];
          const tt = touchProf[t];
          for (let i = 0; i < tt.length; i += 2) futProf[g * nVars + tt[i]] |= tt[i + 1];
        }
        for (const r of succ[gq]) {
          if (!seen.has(r)) {
            seen.add(r);
            stack.push(r);
          }
        }
      }
    }
  }
  return { futR, futW, ungatedOwner, futProf };
}

/** The values an update can write: constants, `self` for x itself, or `any`. */
function valuesOrSelf(e: IntExpr, x: VarId): Set<number | 'self'> | 'any' {
  if (e.k === 'const') return new Set([e.v]);
  if (e.k === 'var' && e.v === x) return new Set(['self']);
  if (e.k === 'ite') {
    const a = valuesOrSelf(e.t, x);
    const b = valuesOrSelf(e.e, x);
    if (a === 'any' || b === 'any') return 'any';
    return new Set([...a, ...b]);
  }
  return 'any';
}

function isPcTest(c: BoolExpr, pv: number): boolean {
  const vars = varsOfBool(c);
  return vars.size === 1 && vars.has(pv) && pinnedValues(c, pv) !== undefined;
}

function hasCycle(n: number, succ: (p: number) => Iterable<number>): boolean {
  // 0 = unseen, 1 = on the stack, 2 = finished.
  const state = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    const stack: [number, Iterator<number>][] = [[s, succ(s)[Symbol.iterator]()]];
    state[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const nx = top[1].next();
      if (nx.done) {
        state[top[0]] = 2;
        stack.pop();
        continue;
      }
      const q = nx.value;
      if (q < 0 || q >= n) continue;
      if (state[q] === 1) return true;
      if (state[q] === 0) {
        state[q] = 1;
        stack.push([q, succ(q)[Symbol.iterator]()]);
      }
    }
  }
  return false;
}
