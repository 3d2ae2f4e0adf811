/**
 * The explicit-state engine: breadth-first search over the transition
 * system, with or without partial-order reduction.
 *
 * BFS makes every schedule it returns a shortest one (under the chosen
 * reduction). The hot loop allocates nothing: a state is an index into the
 * packed arena of `StateStore`; expanding it unpacks it into one scratch
 * Int32Array, evaluates only the guards of transitions at each thread's
 * current pc, and builds each successor by patching a copy of the packed
 * words in a per-state successor batch, hashes them all, then inserts
 * them into the store in order. Each pass
 * compiles its tables before the first state: the transitions in
 * transition-table.ts, the properties in property-checks.ts.
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
import type { TransitionSystem } from '../../semantics/system.js';
import { hashWords, layoutOf, OUT_OF_MEMORY, packInto, STATE_LIMIT, StateStore, unpackFrom, type Layout } from './store.js';
import { analyse, type Structure } from './structure.js';
import { PersistentSets } from './por.js';
import { compileTransitions, successorInto, type TransitionTable } from './transition-table.js';
import { activeThreads, checkStateProperties, checkStepProperties, checkTerminal, compilePropertyChecks, Verdicts, type PropertyChecks } from './property-checks.js';

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

/** One search over the properties `propIdx` of `tsAll`. */
async function runPass(tsAll: TransitionSystem, propIdx: number[], mode: PassMode, opts: ExplicitOptions, deadline: number): Promise<PassResult> {
  const ts: TransitionSystem = propIdx.length === tsAll.properties.length ? tsAll : { ...tsAll, properties: propIdx.map((i) => tsAll.properties[i]) };
  const a = analysePass(ts, mode, opts);
  if (a.kind === 'stopped') return skippedPass(propIdx, { status: 'inconclusive', limit: a.limit }, a.limit);
  const layout = layoutOf(ts.vars);
  const pass: CompiledPass = {
    ts,
    layout,
    st: a.st,
    por: a.por,
    table: compileTransitions(ts, layout, a.st.pcVar),
    checks: compilePropertyChecks(ts),
    verdicts: new Verdicts(ts.properties.length, opts.stopAtFirst === true),
  };
  const end = await search(pass, opts, deadline);
  const { store, si, limit } = end;
  const complete = !limit && si >= store.count;
  // Stopped by stopAtFirst: every state of depth < d (d = depth of the
  // state being expanded) was expanded, so every schedule of length < d was
  // checked. Under POR the reduced graph's depths are not the full graph's,
  // so no bound is claimed there.
  const partialBound = !complete && !limit && !a.por ? Math.max(0, store.scheduleTo(Math.min(si, store.count - 1)).length - 1) : 0;
  const out: PropertyResult[] = pass.verdicts.results.map((r) => {
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
    fired: end.fired,
    storeBytes: store.bytes(),
    reduction: a.por ? 'por' : 'none',
    porOff: a.porOff,
    reducedStates: end.reducedStates,
  };
}

type PassAnalysis =
  | { kind: 'stopped'; limit: Limit }
  /** `por` is set when the pass reduces; `porOff` says why a POR pass does not. */
  | { kind: 'analysed'; st: Structure; por?: PersistentSets; porOff?: string };

/**
 * The structure analysis of a pass, and whether it can reduce. The analysis
 * costs time linear in the system (or more) before the first state: the
 * budget is checked around it too.
 */
function analysePass(ts: TransitionSystem, mode: PassMode, opts: ExplicitOptions): PassAnalysis {
  const wantPor = mode !== 'full';
  const before = budgetStop(opts.budget, 'explicit');
  if (before) return { kind: 'stopped', limit: before };
  let st: Structure;
  try {
    st = analyse(ts, wantPor, mode === 'por-declared', opts.budget);
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    return { kind: 'stopped', limit: e.stop };
  }
  const analysed = budgetStop(opts.budget, 'explicit');
  if (analysed) return { kind: 'stopped', limit: analysed };
  if (!wantPor) return { kind: 'analysed', st };
  let porOff: string | undefined;
  if (!st.acyclic) porOff = `the state graph may have cycles (${st.cyclicReason})`;
  else if (ts.threads.length > 30) porOff = 'more than 30 threads';
  else if (ts.transitions.length > 0 && st.visible.every((v) => v === 1)) porOff = 'every transition is visible to the properties';
  if (porOff !== undefined) return { kind: 'analysed', st, porOff };
  return { kind: 'analysed', st, por: new PersistentSets(st, ts.vars.length) };
}

/** Everything a pass's search reads, built once before its first state. */
interface CompiledPass {
  ts: TransitionSystem;
  layout: Layout;
  st: Structure;
  por?: PersistentSets;
  table: TransitionTable;
  checks: PropertyChecks;
  verdicts: Verdicts;
}

interface SearchEnd {
  store: StateStore;
  /** The state the search stopped at (store.count when it ran out of states). */
  si: number;
  limit?: Limit;
  fired: number;
  reducedStates: number;
}

/** Per-state buffers of the enabled transitions. */
interface Enabled {
  /** `stamp[t] === si` when t is enabled in state si (what POR reads). */
  stamp: Int32Array;
  /** The enabled transitions, grouped by thread in thread order. */
  list: Int32Array;
  /** Enabled transitions per thread. */
  count: Int32Array;
}

/**
 * The breadth-first search of one pass: the hot loop. It calls only
 * helpers that take the pass's tables and preallocated buffers, so
 * expanding a state allocates nothing but what a violation records.
 */
async function search(pass: CompiledPass, opts: ExplicitOptions, deadline: number): Promise<SearchEnd> {
  const { ts, layout, st, por, table, checks, verdicts } = pass;
  const W = layout.words;
  const nTrans = ts.transitions.length;
  const store = new StateStore(W, opts.maxMemoryMb, opts.maxStates ?? Infinity);
  const cur = new Int32Array(ts.vars.length);
  const scratch = new Uint32Array(W);
  const en: Enabled = { stamp: new Int32Array(nTrans).fill(-1), list: new Int32Array(Math.max(1, nTrans)), count: new Int32Array(ts.threads.length) };
  const batch = successorBatch(Math.max(1, nTrans), W);
  const onExpand = opts.onExpand;
  const needTerminal = checks.terminalProps.length > 0 || checks.deadlockProps.length > 0 || onExpand !== undefined;
  let fired = 0;
  let reducedStates = 0;

  const init = new Int32Array(ts.vars.length);
  for (const v of ts.vars) init[v.id] = v.init;
  packInto(layout, init, scratch, 0);
  let limit = storeLimit(store.insert(scratch, 0, -1, -1), opts);
  let lastYield = performance.now();
  // A budget already spent stops the search before its first state.
  limit ??= budgetStop(opts.budget, 'explicit');

  let si = 0;
  outer: for (; !limit && si < store.count && !verdicts.finished(); si++) {
    if ((si & 1023) === 1023) {
      const now = performance.now();
      if (now - lastYield >= YIELD_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      limit = clockLimit(opts, now, deadline);
      if (limit) break;
    }
    const base = si * W;
    unpackFrom(layout, store.arena, base, cur);
    checkStateProperties(checks, verdicts, cur, store, si);
    const nEn = enabledTransitions(st, table, cur, si, en);
    checkStepProperties(checks, verdicts, en.list, nEn, cur, store, si);
    const activeMask = por ? activeThreads(checks, cur) : 0;
    if (needTerminal) {
      const terminal = checkTerminal(checks, verdicts, en.count, cur, store, si);
      if (onExpand) onExpand(cur, terminal);
    }
    if (verdicts.finished()) break;

    let expandMask = -1;
    if (por && nEn > 1) {
      expandMask = por.choose(cur, en.stamp, si, en.count, activeMask);
      if (expandMask !== -1) reducedStates++;
    }
    // Build and hash every successor first, touching each one's table
    // slot as it goes, then the stored states those slots name, then
    // insert them in order: the cache misses of the look-ups overlap with
    // each other and with the successor arithmetic instead of stalling
    // one insert at a time. The order of
    // insertion, and so every state index and schedule, is unchanged.
    let n = 0;
    for (let i = 0; i < nEn; i++) {
      const t = en.list[i];
      if (expandMask !== -1 && !((expandMask >>> table.threadOf[t]) & 1)) continue;
      successorInto(table, t, cur, store.arena, base, batch.view[i]);
      const h = hashWords(batch.buf, i * W, W);
      store.touchSlot(h);
      batch.hash[n] = h;
      batch.at[n] = i;
      n++;
    }
    for (let k = 0; k < n; k++) store.touchState(batch.hash[k]);
    for (let k = 0; k < n; k++) {
      const i = batch.at[k];
      fired++;
      limit = storeLimit(store.insertHashed(batch.buf, i * W, batch.hash[k], si, en.list[i]), opts);
      if (limit) break outer;
    }
  }
  return { store, si, limit, fired, reducedStates };
}

/**
 * Room for the successors of one state: successor `i` (the i-th enabled
 * transition) is packed at `buf[i * W ..]`, seen through `view[i]`;
 * `hash` and `at` list the hashes and positions of those to insert.
 */
interface SuccessorBatch {
  buf: Uint32Array;
  view: Uint32Array[];
  hash: Int32Array;
  at: Int32Array;
}

function successorBatch(max: number, W: number): SuccessorBatch {
  const buf = new Uint32Array(max * W);
  const view: Uint32Array[] = [];
  for (let i = 0; i < max; i++) view.push(buf.subarray(i * W, (i + 1) * W));
  return { buf, view, hash: new Int32Array(max), at: new Int32Array(max) };
}

/** Fills `en` with the transitions enabled in state `si` (unpacked in `cur`); returns how many. */
function enabledTransitions(st: Structure, table: TransitionTable, cur: Int32Array, si: number, en: Enabled): number {
  const { pcVar, pcOffset, transAtStart, transAtList } = st;
  const { guard, guardAlways } = table;
  const { stamp, list, count } = en;
  let nEn = 0;
  for (let th = 0; th < count.length; th++) {
    const g = pcOffset[th] + (pcVar[th] >= 0 ? cur[pcVar[th]] : 0);
    const before = nEn;
    for (let i = transAtStart[g], e = transAtStart[g + 1]; i < e; i++) {
      const t = transAtList[i];
      if (guardAlways[t] === 1 || guard[t](cur)) {
        stamp[t] = si;
        list[nEn++] = t;
      }
    }
    count[th] = nEn - before;
  }
  return nEn;
}

/** The limit a store insertion hit, if any. */
function storeLimit(r: number, opts: ExplicitOptions): Limit | undefined {
  if (r === OUT_OF_MEMORY) return { kind: 'memory', mb: opts.maxMemoryMb };
  if (r === STATE_LIMIT) return { kind: 'states', max: opts.maxStates ?? 0 };
  return undefined;
}

/** The limit the clock has reached at `now`, if any. */
function clockLimit(opts: ExplicitOptions, now: number, deadline: number): Limit | undefined {
  // The model's budget (and an interrupt) first: it is what the user set.
  const stop = budgetStop(opts.budget, 'explicit');
  if (stop) return stop;
  if (now > deadline) return { kind: 'timeout', ms: opts.timeoutMs };
  return undefined;
}
