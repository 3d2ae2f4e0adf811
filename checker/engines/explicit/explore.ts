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
 *
 * The search runs on the main thread, where a signal handler can only run
 * between tasks: at the same 1024-expansion points it yields to the event
 * loop once YIELD_MS of search have passed since the last yield, so an
 * interrupt (the model's budget's AbortSignal) stops it within about that.
 */

import type { Limit } from '../../report.js';
import { BudgetExceeded, budgetStop, type Budget } from '../../../model/budget.js';
import type { EngineResult, PropertyResult } from '../types.js';
import type { BoolExpr, TransitionSystem } from '../../semantics/system.js';
import { compileBool, compileInt, conjuncts, pinnedValues, varsOfBool, type BoolFn, type IntFn } from './compile-closures.js';
import { layoutOf, OUT_OF_MEMORY, packInto, STATE_LIMIT, StateStore, unpackFrom } from './store.js';
import { analyse } from './structure.js';
import { PersistentSets } from './por.js';

export interface ExplicitOptions {
  /** This search's own wall-clock limit (a share of the model's budget, or a re-search's cap). */
  timeoutMs: number;
  /**
   * The model's budget: when it runs out or is interrupted, the search
   * stops with that limit (`phase: 'explicit'`), whatever `timeoutMs` says.
   */
  budget?: Budget;
  maxMemoryMb: number;
  maxStates?: number;
  reduction: 'none' | 'por';
  /** Stop as soon as one property is violated. */
  stopAtFirst?: boolean;
  /**
   * Which transitions the reduction treats as visible (see
   * exploreExplicitDetailed). `properties` (default): those of step
   * properties and the writers of variables that state properties read,
   * which is what preserving those verdicts needs. `declared`: also every
   * transition the compiler flags `visible` (it flags the writers of
   * everything any property reads, terminal and step `when` conditions
   * included: on real rule sets, every transition).
   */
  visibility?: 'properties' | 'declared';
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
  /** The searches run (two under POR with `visibility: 'declared'`). */
  passes: { properties: number; states: number; reduction: 'none' | 'por' }[];
}

export async function exploreExplicit(ts: TransitionSystem, opts: ExplicitOptions): Promise<EngineResult> {
  return (await exploreExplicitDetailed(ts, opts)).result;
}

/**
 * Search time between two yields to the event loop. Long enough that the
 * yields cost nothing measurable (bench/explicit.ts), short enough that
 * an interrupt is seen well within a second.
 */
const YIELD_MS = 50;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Visibility under POR. Deadlock and terminal properties need none: the
 * reduction keeps every reachable terminal state (see por.ts). State and
 * step properties need condition C2 for the transitions of step properties
 * and the writers of the variables state properties read. A step property
 * is a state property over a history bit that only its transitions set,
 * reading `when` as they fire: those transitions are visible and read the
 * variables of `when` (structure.ts), while the writers of those variables
 * need not be visible.
 *
 * With `visibility: 'properties'` (default) that is all the engine asks
 * for, in one search. With `visibility: 'declared'` the compiler's
 * `visible` flags count too; since the compiler flags the writers of
 * everything any property reads, the properties are then checked in two
 * searches: deadlock and terminal properties without visibility, then the
 * others with it. Every search shares the time budget; results keep the
 * order of `ts.properties`. A search in which every transition is visible
 * runs without reduction.
 */
export async function exploreExplicitDetailed(ts: TransitionSystem, opts: ExplicitOptions): Promise<{ result: EngineResult; detail: ExplicitDetail }> {
  const t0 = performance.now();
  const deadline = t0 + opts.timeoutMs;
  const all = ts.properties.map((_, i) => i);
  if (opts.reduction === 'none') return finish(ts, [await runPass(ts, all, 'full', opts, deadline)], t0);
  if (opts.visibility !== 'declared') return finish(ts, [await runPass(ts, all, 'por-properties', opts, deadline)], t0);
  const terminalIdx: number[] = [];
  const otherIdx: number[] = [];
  ts.properties.forEach((p, i) => (p.kind === 'deadlock' || p.kind === 'terminal' ? terminalIdx : otherIdx).push(i));
  const passes: PassResult[] = [];
  if (terminalIdx.length > 0 || otherIdx.length === 0) passes.push(await runPass(ts, terminalIdx, 'por-properties', opts, deadline));
  const stopped = opts.stopAtFirst === true && passes.some((p) => p.results.some((r) => r?.status === 'violated'));
  if (otherIdx.length > 0) {
    if (stopped) passes.push(skippedPass(otherIdx, { status: 'holds', exhaustive: false, bound: 0 }));
    else if (passes.length > 0 && passes[0].limit) passes.push(skippedPass(otherIdx, { status: 'inconclusive', limit: passes[0].limit }));
    else passes.push(await runPass(ts, otherIdx, 'por-declared', opts, deadline));
  }
  return finish(ts, passes, t0);
}

interface PassResult {
  /** Indices into ts.properties, and their results in that order. */
  props: number[];
  results: PropertyResult[];
  limit?: Limit;
  states: number;
  fired: number;
  storeBytes: number;
  reduction: 'none' | 'por';
  porOff?: string;
  reducedStates: number;
}

function skippedPass(props: number[], r: PropertyResult, limit?: Limit): PassResult {
  return { props, results: props.map(() => r), ...(limit ? { limit } : {}), states: 0, fired: 0, storeBytes: 0, reduction: 'none', reducedStates: 0 };
}

function finish(ts: TransitionSystem, passes: PassResult[], t0: number): { result: EngineResult; detail: ExplicitDetail } {
  const results: PropertyResult[] = new Array(ts.properties.length);
  for (const p of passes) p.props.forEach((i, k) => (results[i] = p.results[k]));
  const states = passes.reduce((a, p) => a + p.states, 0);
  const fired = passes.reduce((a, p) => a + p.fired, 0);
  const ms = performance.now() - t0;
  const porOff = passes.map((p) => p.porOff).find((x) => x !== undefined);
  return {
    result: { engine: 'explicit', results, stats: { ms, states, transitionsFired: fired } },
    detail: {
      states,
      transitionsFired: fired,
      storeBytes: passes.reduce((a, p) => Math.max(a, p.storeBytes), 0),
      reduction: passes.some((p) => p.reduction === 'por') ? 'por' : 'none',
      porOff,
      reducedStates: passes.reduce((a, p) => a + p.reducedStates, 0),
      passes: passes.filter((p) => p.states > 0).map((p) => ({ properties: p.props.length, states: p.states, reduction: p.reduction })),
    },
  };
}

type PassMode = 'full' | 'por-properties' | 'por-declared';

async function runPass(tsAll: TransitionSystem, propIdx: number[], mode: PassMode, opts: ExplicitOptions, deadline: number): Promise<PassResult> {
  const ts: TransitionSystem = propIdx.length === tsAll.properties.length ? tsAll : { ...tsAll, properties: propIdx.map((i) => tsAll.properties[i]) };
  const nVars = ts.vars.length;
  const nThreads = ts.threads.length;
  const nTrans = ts.transitions.length;
  const layout = layoutOf(ts.vars);
  const W = layout.words;
  const wantPor = mode !== 'full';
  // The analysis and the closures cost time linear in the system before
  // the first state: the budget is checked around them too.
  const before = budgetStop(opts.budget, 'explicit');
  if (before) return skippedPass(propIdx, { status: 'inconclusive', limit: before }, before);
  let st: ReturnType<typeof analyse>;
  try {
    st = analyse(ts, wantPor, mode === 'por-declared', opts.budget);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return skippedPass(propIdx, { status: 'inconclusive', limit: e.stop }, e.stop);
  }
  const analysed = budgetStop(opts.budget, 'explicit');
  if (analysed) return skippedPass(propIdx, { status: 'inconclusive', limit: analysed }, analysed);

  let porOff: string | undefined;
  if (wantPor) {
    if (!st.acyclic) porOff = `the state graph may have cycles (${st.cyclicReason})`;
    else if (nThreads > 30) porOff = 'more than 30 threads';
    else if (nTrans > 0 && st.visible.every((v) => v === 1)) porOff = 'every transition is visible to the properties';
  }
  const por = wantPor && porOff === undefined ? new PersistentSets(st, nVars) : undefined;
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

  const budget = opts.budget;
  let lastYield = performance.now();
  // A budget already spent stops the search before its first state.
  limit ??= budgetStop(budget, 'explicit');

  let si = 0;
  outer: for (; !limit && si < store.count && !finished(); si++) {
    if ((si & 1023) === 1023) {
      const now = performance.now();
      if (now - lastYield >= YIELD_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      // The model's budget (and an interrupt) first: it is what the user set.
      const stop = budgetStop(budget, 'explicit');
      if (stop) {
        limit = stop;
        break;
      }
      if (now > deadline) {
        limit = { kind: 'timeout', ms: opts.timeoutMs };
        break;
      }
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
  return {
    props: propIdx,
    results: out,
    limit,
    states: store.count,
    fired,
    storeBytes: store.bytes(),
    reduction: por ? 'por' : 'none',
    porOff,
    reducedStates,
  };
}

/** A conjunct that only tests the thread's own pc (true wherever the transition is listed). */
function isOwnPcTest(c: BoolExpr, pv: number): boolean {
  const vars = varsOfBool(c);
  return vars.size === 1 && vars.has(pv) && pinnedValues(c, pv) !== undefined;
}
