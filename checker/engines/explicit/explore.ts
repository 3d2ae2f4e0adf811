/**
 * The explicit-state engine: breadth-first search over the transition
 * system, with or without partial-order reduction.
 *
 * BFS makes every schedule it returns a shortest one (under the chosen
 * reduction). The hot loop allocates nothing: a state is an index into the
 * packed arena of `StateStore`; expanding it unpacks it into one scratch
 * Int32Array, evaluates only the guards of transitions at each thread's
 * current pc, and builds each successor by patching a copy of the packed
 * words in a scratch buffer before hashing it into the store.
 *
 * Properties (system.ts, with the thread rules of eval.ts): a state
 * property is checked on every stored state, a step property on every
 * enabled transition of every expanded state, terminal and deadlock
 * properties on every expanded state that is terminal. A thread is
 * *active* unless it is optional and has not started; a state is terminal
 * when every active thread is done or has no enabled transition, and a
 * deadlock when it is terminal and some active thread is not done (a
 * mandatory thread, or an optional one that started: a queued work, a
 * running irq). All checks happen when a state is expanded, which
 * BFS does in order of depth, so the first violation found for a
 * property has a shortest schedule.
 *
 * Limits: the clock is read every 1024 expansions, memory is checked
 * before every growth of the store, and `maxStates` caps the store. A run
 * that stops at a limit answers `inconclusive` naming it for every property
 * it has not already found violated.
 */

import type { Limit } from '../../report.js';
import type { EngineResult, PropertyResult } from '../types.js';
import type { BoolExpr, TransitionSystem } from '../../semantics/system.js';
import { compileBool, compileInt, conjuncts, pinnedValues, varsOfBool, type BoolFn, type IntFn } from './compile-closures.js';
import { layoutOf, OUT_OF_MEMORY, packInto, STATE_LIMIT, StateStore, unpackFrom } from './store.js';
import { analyse } from './structure.js';
import { PersistentSets } from './por.js';

export interface ExplicitOptions {
  timeoutMs: number;
  maxMemoryMb: number;
  maxStates?: number;
  reduction: 'none' | 'por';
  /** Stop as soon as one property is violated. */
  stopAtFirst?: boolean;
  /**
   * Called with every expanded state (unpacked; valid only during the
   * call) and whether it is terminal. For tests and debugging.
   */
  onExpand?: (vals: Int32Array, terminal: boolean) => void;
}

/** Counters beyond EngineStats, for benchmarks and tests. */
export interface ExplicitDetail {
  states: number;
  transitionsFired: number;
  /** Bytes held by the state store at the end. */
  storeBytes: number;
  /** The reduction actually used; `none` when POR was asked for but could not be applied. */
  reduction: 'none' | 'por';
  /** Why POR was not applied. */
  porOff?: string;
  /** States whose expansion POR reduced. */
  reducedStates: number;
}

export function exploreExplicit(ts: TransitionSystem, opts: ExplicitOptions): EngineResult {
  return exploreExplicitDetailed(ts, opts).result;
}

export function exploreExplicitDetailed(ts: TransitionSystem, opts: ExplicitOptions): { result: EngineResult; detail: ExplicitDetail } {
  const t0 = performance.now();
  const deadline = t0 + opts.timeoutMs;
  const nVars = ts.vars.length;
  const nThreads = ts.threads.length;
  const nTrans = ts.transitions.length;
  const layout = layoutOf(ts.vars);
  const W = layout.words;
  const st = analyse(ts, opts.reduction === 'por');

  let porOff: string | undefined;
  if (opts.reduction === 'por') {
    if (!st.acyclic) porOff = `the state graph may have cycles (${st.cyclicReason})`;
    else if (nThreads > 30) porOff = 'more than 30 threads';
  }
  const por = opts.reduction === 'por' && porOff === undefined ? new PersistentSets(st, nVars) : undefined;
  const { pcVar, pcOffset, transAtStart, transAtList } = st;

  // Compiled transitions. The hot loop only evaluates transitions listed
  // at their thread's current pc, so guard conjuncts that merely test that
  // pc are true there and are dropped (`guardAlways` when nothing is left).
  // Constant updates are folded into per-word patches (keep mask, set
  // bits); only the others run closures.
  const guard: BoolFn[] = [];
  const guardAlways = new Uint8Array(nTrans);
  for (const t of ts.transitions) {
    const pv = pcVar[t.thread];
    const rest = conjuncts(t.guard).filter((c) => !(pv >= 0 && isOwnPcTest(c, pv)));
    if (pv >= 0 && rest.length === 0) guardAlways[t.id] = 1;
    guard.push(pv >= 0 ? compileBool({ k: 'and', args: rest }) : compileBool(t.guard));
  }
  const patchStart = new Int32Array(nTrans + 1);
  const patchWord: number[] = [];
  const patchKeep: number[] = [];
  const patchSet: number[] = [];
  const updStart = new Int32Array(nTrans + 1);
  const updWordL: number[] = [];
  const updShiftL: number[] = [];
  const updMaskL: number[] = [];
  const updFn: IntFn[] = [];
  for (const t of ts.transitions) {
    const perWord = new Map<number, { keep: number; set: number }>();
    for (const u of t.updates) {
      const w = layout.word[u.v];
      const sh = layout.shift[u.v];
      const m = layout.mask[u.v];
      if (m === 0) continue;
      if (u.e.k === 'const') {
        const pw = perWord.get(w) ?? { keep: -1, set: 0 };
        pw.keep &= ~(m << sh);
        pw.set = (pw.set & ~(m << sh)) | ((u.e.v & m) << sh);
        perWord.set(w, pw);
      } else {
        updWordL.push(w);
        updShiftL.push(sh);
        updMaskL.push(m);
        updFn.push(compileInt(u.e));
      }
    }
    for (const [w, pw] of perWord) {
      patchWord.push(w);
      patchKeep.push(pw.keep);
      patchSet.push(pw.set);
    }
    patchStart[t.id + 1] = patchWord.length;
    updStart[t.id + 1] = updFn.length;
  }
  const pWord = Int32Array.from(patchWord);
  const pKeep = Int32Array.from(patchKeep);
  const pSet = Int32Array.from(patchSet);
  const updWord = Int32Array.from(updWordL);
  const updShift = Int32Array.from(updShiftL);
  const updMask = Int32Array.from(updMaskL);
  const dyn = new Float64Array(ts.transitions.reduce((m, t) => Math.max(m, t.updates.length), 1));
  const threadOf = Int32Array.from(ts.transitions, (t) => t.thread);

  // Properties.
  const nProps = ts.properties.length;
  const results: (PropertyResult | undefined)[] = new Array(nProps).fill(undefined);
  let open = nProps;
  const stateProps: { i: number; bad: BoolFn }[] = [];
  const terminalProps: { i: number; bad: BoolFn }[] = [];
  const deadlockProps: number[] = [];
  const stepAt: { i: number; when: BoolFn }[][] = Array.from({ length: nTrans }, () => []);
  const hasStep = new Uint8Array(nTrans);
  ts.properties.forEach((p, i) => {
    switch (p.kind) {
      case 'state':
        stateProps.push({ i, bad: compileBool(p.bad) });
        break;
      case 'terminal':
        terminalProps.push({ i, bad: compileBool(p.bad) });
        break;
      case 'deadlock':
        deadlockProps.push(i);
        break;
      case 'step': {
        const when = compileBool(p.when);
        for (const t of new Set(p.transitions)) {
          if (t >= 0 && t < nTrans) {
            stepAt[t].push({ i, when });
            hasStep[t] = 1;
          }
        }
        break;
      }
    }
  });
  const onExpand = opts.onExpand;
  const needTerminal = terminalProps.length > 0 || deadlockProps.length > 0 || onExpand !== undefined;
  const done: BoolFn[] = ts.threads.map((th) => compileBool(th.done));
  const notStarted: (BoolFn | undefined)[] = ts.threads.map((th) => (th.liveness === 'optional' ? compileBool(th.notStarted) : undefined));

  const store = new StateStore(W, opts.maxMemoryMb, opts.maxStates ?? Infinity);
  const cur = new Int32Array(nVars);
  const scratch = new Uint32Array(W);
  const enStamp = new Int32Array(nTrans).fill(-1);
  const enList = new Int32Array(Math.max(1, nTrans));
  const enCount = new Int32Array(nThreads);

  let limit: Limit | undefined;
  let fired = 0;
  let reducedStates = 0;

  const violate = (i: number, schedule: number[]) => {
    if (results[i] !== undefined) return;
    results[i] = { status: 'violated', schedule };
    open--;
  };
  // With no property at all the search still runs to the end (benchmarks, state counts).
  const finished = () => open < nProps && (open === 0 || opts.stopAtFirst === true);

  const init = new Int32Array(nVars);
  for (const v of ts.vars) init[v.id] = v.init;
  packInto(layout, init, scratch, 0);
  const first = store.insert(scratch, 0, -1, -1);
  if (first === OUT_OF_MEMORY) limit = { kind: 'memory', mb: opts.maxMemoryMb };
  else if (first === STATE_LIMIT) limit = { kind: 'states', max: opts.maxStates ?? 0 };

  let si = 0;
  outer: for (; !limit && si < store.count && !finished(); si++) {
    if ((si & 1023) === 1023 && performance.now() > deadline) {
      limit = { kind: 'timeout', ms: opts.timeoutMs };
      break;
    }
    const base = si * W;
    unpackFrom(layout, store.arena, base, cur);

    for (let p = 0; p < stateProps.length; p++) {
      const sp = stateProps[p];
      if (results[sp.i] === undefined && sp.bad(cur)) violate(sp.i, store.scheduleTo(si));
    }

    // Enabled transitions, grouped by thread in thread order.
    let nEn = 0;
    for (let th = 0; th < nThreads; th++) {
      const g = pcOffset[th] + (pcVar[th] >= 0 ? cur[pcVar[th]] : 0);
      const before = nEn;
      for (let i = transAtStart[g], e = transAtStart[g + 1]; i < e; i++) {
        const t = transAtList[i];
        if (guardAlways[t] === 1 || guard[t](cur)) {
          enStamp[t] = si;
          enList[nEn++] = t;
        }
      }
      enCount[th] = nEn - before;
    }

    for (let i = 0; i < nEn; i++) {
      const t = enList[i];
      if (hasStep[t] === 0) continue;
      const checks = stepAt[t];
      for (let c = 0; c < checks.length; c++) {
        const sc = checks[c];
        if (results[sc.i] === undefined && sc.when(cur)) {
          const sched = store.scheduleTo(si);
          sched.push(t);
          violate(sc.i, sched);
        }
      }
    }

    let activeMask = 0;
    if (por) {
      for (let th = 0; th < nThreads; th++) {
        const ns = notStarted[th];
        if (ns === undefined || !ns(cur)) activeMask |= 1 << th;
      }
    }
    if (needTerminal) {
      // Terminal: no active thread that is not done has an enabled
      // transition. Usually the first thread with one settles it.
      let terminal = true;
      for (let th = 0; th < nThreads && terminal; th++) {
        if (enCount[th] === 0) continue;
        const ns = notStarted[th];
        if (ns !== undefined && ns(cur)) continue;
        if (!done[th](cur)) terminal = false;
      }
      if (terminal) {
        let unfinished = false;
        for (let th = 0; th < nThreads && !unfinished; th++) {
          const ns = notStarted[th];
          if (ns !== undefined && ns(cur)) continue;
          if (!done[th](cur)) unfinished = true;
        }
        for (const tp of terminalProps) {
          if (results[tp.i] === undefined && tp.bad(cur)) violate(tp.i, store.scheduleTo(si));
        }
        if (unfinished) for (const i of deadlockProps) violate(i, store.scheduleTo(si));
      }
      if (onExpand) onExpand(cur, terminal);
    }
    if (finished()) break;

    let expandMask = -1;
    if (por && nEn > 1) {
      expandMask = por.choose(cur, enStamp, si, enCount, activeMask);
      if (expandMask !== -1) reducedStates++;
    }

    for (let i = 0; i < nEn; i++) {
      const t = enList[i];
      if (expandMask !== -1 && !((expandMask >>> threadOf[t]) & 1)) continue;
      const arena = store.arena;
      for (let w = 0; w < W; w++) scratch[w] = arena[base + w];
      // Simultaneous assignment: every right-hand side reads `cur`, the
      // state before the step, so the order of the patches does not matter.
      const u0 = updStart[t];
      const u1 = updStart[t + 1];
      for (let u = u0; u < u1; u++) dyn[u - u0] = updFn[u](cur);
      for (let p = patchStart[t], e = patchStart[t + 1]; p < e; p++) {
        const w = pWord[p];
        scratch[w] = (scratch[w] & pKeep[p]) | pSet[p];
      }
      for (let u = u0; u < u1; u++) {
        const w = updWord[u];
        const sh = updShift[u];
        const m = updMask[u];
        scratch[w] = (scratch[w] & ~(m << sh)) | ((dyn[u - u0] & m) << sh);
      }
      fired++;
      const r = store.insert(scratch, 0, si, t);
      if (r === OUT_OF_MEMORY) {
        limit = { kind: 'memory', mb: opts.maxMemoryMb };
        break outer;
      }
      if (r === STATE_LIMIT) {
        limit = { kind: 'states', max: opts.maxStates ?? 0 };
        break outer;
      }
    }
  }

  const complete = !limit && si >= store.count;
  // Stopped by stopAtFirst: every state of depth < d (d = depth of the
  // state being expanded) was expanded, so every schedule of length < d was
  // checked. Under POR the reduced graph's depths are not the full graph's,
  // so no bound is claimed there.
  const partialBound = !complete && !limit && !por ? Math.max(0, store.scheduleTo(Math.min(si, store.count - 1)).length - 1) : 0;
  const out: PropertyResult[] = results.map((r) => {
    if (r) return r;
    if (complete) return { status: 'holds', exhaustive: true };
    if (limit) return { status: 'inconclusive', limit };
    return { status: 'holds', exhaustive: false, bound: partialBound };
  });
  const ms = performance.now() - t0;
  return {
    result: {
      engine: 'explicit',
      results: out,
      stats: { ms, states: store.count, transitionsFired: fired },
    },
    detail: {
      states: store.count,
      transitionsFired: fired,
      storeBytes: store.bytes(),
      reduction: por ? 'por' : 'none',
      porOff,
      reducedStates,
    },
  };
}

/** A conjunct that only tests the thread's own pc (true wherever the transition is listed). */
function isOwnPcTest(c: BoolExpr, pv: number): boolean {
  const vars = varsOfBool(c);
  return vars.size === 1 && vars.has(pv) && pinnedValues(c, pv) !== undefined;
}
