/**
 * Concrete evaluation of a TransitionSystem: the reference step function
 * used by the explicit engine (millions of calls) and by replay.
 *
 * Every guard and update is compiled once into a JS closure over a
 * `Uint32Array` state (one slot per variable, `vars[i]` at index i). No
 * `eval`/`new Function`, and the hot calls (`enabled`, `successor`,
 * `enabledInto`) allocate nothing.
 *
 * Terminal and deadlock states (the definitions every engine uses):
 *   - a thread is *ignored* when it is done, or when it is optional and
 *     has not started (kswapd that never ran, an irq that never fired, a
 *     work never queued);
 *   - a state is *terminal* when no thread that is not ignored has an
 *     enabled transition (each is done or blocked). Ignored threads may
 *     still have enabled transitions (an irq that could fire): they are
 *     optional and cannot unblock anyone who waits for nothing they do;
 *   - a terminal state is a *deadlock* when some thread that is not done
 *     is mandatory or has started (a queued work, a running irq).
 * This is system.ts's "every mandatory thread done or blocked", with
 * optional threads "ignored until started": once started (queued, fired,
 * running) they are owed progress like mandatory ones. An irq whose
 * handler signals a fence is mandatory and counts as done only while it
 * cannot fire (compile.ts), so waiting for it is no deadlock while it can.
 * Engines (BMC included) must use exactly these definitions; they are
 * expressible from SystemThread's done / notStarted / liveness alone.
 */

import type { BoolExpr, IntExpr, Property, TransitionSystem, VarId } from './system.js';
import { firesFrom } from './location.js';
import { foldBool, foldInt, type ExprAlgebra } from './expr.js';
import { unreachable } from '../../model/ir.js';

type IntFn = (s: Uint32Array) => number;
type BoolFn = (s: Uint32Array) => boolean;

/**
 * The reference closure compiler, an algebra over the fold of expr.ts.
 * Cases whose node has the shape `var ? const` (or `var ? var`, the bulk
 * of guards) read the slots directly instead of calling the compiled
 * children.
 */
const CLOSURES: ExprAlgebra<IntFn, BoolFn> = {
  const: (e) => {
    const v = e.v >>> 0;
    return () => v;
  },
  var: (e) => {
    const i = e.v;
    return (s) => s[i]!;
  },
  add: (e, a, b) => {
    if (e.a.k === 'var' && e.b.k === 'const') {
      const i = e.a.v;
      const c = e.b.v;
      return (s) => s[i]! + c;
    }
    return (s) => a(s) + b(s);
  },
  sub: (e, a, b) => {
    if (e.a.k === 'var' && e.b.k === 'const') {
      const i = e.a.v;
      const c = e.b.v;
      return (s) => s[i]! - c;
    }
    return (s) => a(s) - b(s);
  },
  bitor: (e, a, b) => {
    if (e.a.k === 'var' && e.b.k === 'const') {
      const i = e.a.v;
      const c = e.b.v;
      return (s) => (s[i]! | c) >>> 0;
    }
    return (s) => (a(s) | b(s)) >>> 0;
  },
  bitand: (e, a, b) => {
    if (e.a.k === 'var' && e.b.k === 'const') {
      const i = e.a.v;
      const c = e.b.v;
      return (s) => (s[i]! & c) >>> 0;
    }
    return (s) => (a(s) & b(s)) >>> 0;
  },
  bitclear: (e, a, b) => {
    if (e.a.k === 'var' && e.b.k === 'const') {
      const i = e.a.v;
      const c = ~e.b.v;
      return (s) => (s[i]! & c) >>> 0;
    }
    return (s) => (a(s) & ~b(s)) >>> 0;
  },
  ite: (_, c, t, f) => (s) => (c(s) ? t(s) : f(s)),
  true: () => () => true,
  false: () => () => false,
  eq: (e, a, b) => {
    const i = varSlot(e.a);
    if (i !== undefined && e.b.k === 'const') {
      const c = e.b.v >>> 0;
      return (s) => s[i] === c;
    }
    const j = varSlot(e.b);
    if (i !== undefined && j !== undefined) return (s) => s[i] === s[j];
    return (s) => a(s) === b(s);
  },
  ne: (e, a, b) => {
    const i = varSlot(e.a);
    if (i !== undefined && e.b.k === 'const') {
      const c = e.b.v >>> 0;
      return (s) => s[i] !== c;
    }
    const j = varSlot(e.b);
    if (i !== undefined && j !== undefined) return (s) => s[i] !== s[j];
    return (s) => a(s) !== b(s);
  },
  lt: (e, a, b) => {
    const i = varSlot(e.a);
    if (i !== undefined && e.b.k === 'const') {
      const c = e.b.v >>> 0;
      return (s) => s[i]! < c;
    }
    const j = varSlot(e.b);
    if (i !== undefined && j !== undefined) return (s) => s[i]! < s[j]!;
    return (s) => a(s) < b(s);
  },
  le: (e, a, b) => {
    const i = varSlot(e.a);
    if (i !== undefined && e.b.k === 'const') {
      const c = e.b.v >>> 0;
      return (s) => s[i]! <= c;
    }
    const j = varSlot(e.b);
    if (i !== undefined && j !== undefined) return (s) => s[i]! <= s[j]!;
    return (s) => a(s) <= b(s);
  },
  bit: (e, a) => {
    const m = (1 << e.bit) >>> 0;
    const i = varSlot(e.a);
    if (i !== undefined) return (s) => (s[i]! & m) !== 0;
    return (s) => (a(s) & m) !== 0;
  },
  and: (_, fs) => {
    if (fs.length === 2) {
      const [x, y] = fs as [BoolFn, BoolFn];
      return (s) => x(s) && y(s);
    }
    if (fs.length === 3) {
      const [x, y, z] = fs as [BoolFn, BoolFn, BoolFn];
      return (s) => x(s) && y(s) && z(s);
    }
    return (s) => {
      for (let i = 0; i < fs.length; i++) if (!fs[i]!(s)) return false;
      return true;
    };
  },
  or: (_, fs) => {
    if (fs.length === 2) {
      const [x, y] = fs as [BoolFn, BoolFn];
      return (s) => x(s) || y(s);
    }
    return (s) => {
      for (let i = 0; i < fs.length; i++) if (fs[i]!(s)) return true;
      return false;
    };
  },
  not: (_, a) => (s) => !a(s),
};

/** The slot a `var` node reads, for the specialised shapes above. */
function varSlot(e: IntExpr): VarId | undefined {
  return e.k === 'var' ? e.v : undefined;
}

function compileInt(e: IntExpr): IntFn {
  return foldInt(e, CLOSURES);
}

function compileBool(e: BoolExpr): BoolFn {
  return foldBool(e, CLOSURES);
}

export interface Evaluator {
  readonly ts: TransitionSystem;
  /** Number of state slots (= ts.vars.length). */
  readonly size: number;
  initial(): Uint32Array;
  enabled(s: Uint32Array, t: number): boolean;
  /**
   * The state after firing `t` from `s` (the caller checks `enabled`).
   * Writes into `out` when given (which may be `s` itself), else allocates.
   */
  successor(s: Uint32Array, t: number, out?: Uint32Array): Uint32Array;
  evalBool(e: BoolExpr, s: Uint32Array): boolean;
  evalInt(e: IntExpr, s: Uint32Array): number;
  /** Enabled transition ids in increasing order. */
  enabledTransitions(s: Uint32Array): number[];
  /** Allocation-free variant: writes ids into `out`, returns the count. */
  enabledInto(s: Uint32Array, out: Int32Array): number;
  /** Enabled transitions of one thread into `out` (increasing ids); returns the count. */
  enabledOfThreadInto(s: Uint32Array, thread: number, out: Int32Array, at?: number): number;
  /** Transitions whose guard starts with `pc[thread] == pc` (static; do not mutate). */
  transitionsAt(thread: number, pc: number): Int32Array;
  /** Some transition of `thread` is enabled. */
  threadCanMove(s: Uint32Array, thread: number): boolean;
  threadDone(s: Uint32Array, thread: number): boolean;
  threadNotStarted(s: Uint32Array, thread: number): boolean;
  isTerminal(s: Uint32Array): boolean;
  isDeadlock(s: Uint32Array): boolean;
  /** Mandatory-or-started threads that are not done in a terminal state (empty otherwise). */
  stuckThreads(s: Uint32Array): number[];
  /**
   * Indices (into ts.properties) violated: state, terminal and deadlock
   * properties judged on `s`; step properties judged on firing
   * `firedTransition` *from* `s` (it must be enabled in `s`).
   */
  checkProperties(s: Uint32Array, firedTransition?: number): number[];
  /** Step properties only (`s` is the state before `t`). */
  checkStep(s: Uint32Array, t: number): number[];
  /** State, terminal and deadlock properties only. */
  checkState(s: Uint32Array): number[];
  /** A readable name=value listing (non-initial values only when `diff`). */
  describe(s: Uint32Array, diff?: boolean): string;
}

/** Every guard and update compiled once; `scratch` holds a step's new values before they are written. */
function compileSteps(ts: TransitionSystem) {
  const nT = ts.transitions.length;
  const guards: BoolFn[] = new Array(nT);
  const updVars: Int32Array[] = new Array(nT);
  const updFns: IntFn[][] = new Array(nT);
  let maxUpd = 0;
  for (let i = 0; i < nT; i++) {
    const t = ts.transitions[i]!;
    guards[i] = compileBool(t.guard);
    updVars[i] = Int32Array.from(t.updates.map((u) => u.v));
    updFns[i] = t.updates.map((u) => compileInt(u.e));
    maxUpd = Math.max(maxUpd, t.updates.length);
  }
  const scratch = new Float64Array(Math.max(1, maxUpd));

  return { guards, updVars, updFns, scratch };
}

/** Per thread, its transitions by the pc value they leave (see firesFrom); the rest are checked at every pc. */
interface LocationIndex {
  pcVars: Int32Array;
  byPc: Int32Array[][];
  unindexed: number[][];
}

function indexByLocation(ts: TransitionSystem): LocationIndex {
  // Index transitions by the (thread, pc) they leave, as compile.ts records
  // it; anything else (a never-enabled transition) is checked always.
  const pcVarOf = new Map<number, VarId>();
  for (const v of ts.vars) if (v.role.kind === 'pc') pcVarOf.set(v.role.thread, v.id);
  const nThreads = ts.threads.length;
  const byPc: Int32Array[][] = [];
  const unindexed: number[][] = [];
  for (let th = 0; th < nThreads; th++) {
    const pv = pcVarOf.get(th);
    const size = pv === undefined ? 0 : ts.vars[pv]!.max + 1;
    const lists: number[][] = Array.from({ length: size }, () => []);
    const rest: number[] = [];
    for (const t of ts.transitions) {
      if (t.thread !== th) continue;
      const from = firesFrom(t);
      if (pv !== undefined && from !== undefined && from.pcVar === pv && from.pc < size) {
        lists[from.pc]!.push(t.id);
      } else {
        rest.push(t.id);
      }
    }
    byPc.push(lists.map((l) => Int32Array.from(l)));
    unindexed.push(rest);
  }
  const pcVars = Int32Array.from({ length: nThreads }, (_, th) => pcVarOf.get(th) ?? -1);
  return { pcVars, byPc, unindexed };
}

/** The properties by kind, their expressions compiled; step properties by transition. */
function compileProperties(ts: TransitionSystem) {
  const nT = ts.transitions.length;
  const props = ts.properties;
  const stateProps: { i: number; f: BoolFn }[] = [];
  const termProps: { i: number; f: BoolFn }[] = [];
  const deadlockProps: number[] = [];
  const stepByT: { i: number; f: BoolFn }[][] = Array.from({ length: nT }, () => []);
  props.forEach((p: Property, i) => {
    switch (p.kind) {
      case 'state':
        stateProps.push({ i, f: compileBool(p.bad) });
        break;
      case 'terminal':
        termProps.push({ i, f: compileBool(p.bad) });
        break;
      case 'deadlock':
        deadlockProps.push(i);
        break;
      case 'step': {
        const f = compileBool(p.when);
        for (const t of p.transitions) if (t >= 0 && t < nT) stepByT[t]!.push({ i, f });
        break;
      }
      default:
        unreachable(p);
    }
  });

  return { stateProps, termProps, deadlockProps, stepByT };
}

/** Which transitions are enabled: only those at each thread's current pc are evaluated. */
function enabledness(ix: LocationIndex, guards: BoolFn[]) {
  const { pcVars, byPc, unindexed } = ix;
  const nThreads = pcVars.length;
  const threadCanMove = (s: Uint32Array, th: number): boolean => {
    const pv = pcVars[th]!;
    if (pv >= 0) {
      const lists = byPc[th]!;
      const pc = s[pv]!;
      if (pc < lists.length) {
        const l = lists[pc]!;
        for (let k = 0; k < l.length; k++) if (guards[l[k]!]!(s)) return true;
      }
    }
    const r = unindexed[th]!;
    for (let k = 0; k < r.length; k++) if (guards[r[k]!]!(s)) return true;
    return false;
  };

  const enabledInto = (s: Uint32Array, out: Int32Array): number => {
    let c = 0;
    for (let th = 0; th < nThreads; th++) {
      const pv = pcVars[th]!;
      if (pv >= 0) {
        const lists = byPc[th]!;
        const pc = s[pv]!;
        if (pc < lists.length) {
          const l = lists[pc]!;
          for (let k = 0; k < l.length; k++) if (guards[l[k]!]!(s)) out[c++] = l[k]!;
        }
      }
      const r = unindexed[th]!;
      for (let k = 0; k < r.length; k++) if (guards[r[k]!]!(s)) out[c++] = r[k]!;
    }
    // Threads are visited in id order and transitions of a thread have
    // increasing ids per list; a final insertion sort keeps the contract
    // (increasing ids) when unindexed transitions interleave.
    for (let i = 1; i < c; i++) {
      const x = out[i]!;
      let j = i - 1;
      while (j >= 0 && out[j]! > x) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = x;
    }
    return c;
  };
  const enabledOfThreadInto = (s: Uint32Array, th: number, out: Int32Array, at = 0): number => {
    let c = at;
    const pv = pcVars[th]!;
    if (pv >= 0) {
      const lists = byPc[th]!;
      const pc = s[pv]!;
      if (pc < lists.length) {
        const l = lists[pc]!;
        for (let k = 0; k < l.length; k++) if (guards[l[k]!]!(s)) out[c++] = l[k]!;
      }
    }
    const r = unindexed[th]!;
    for (let k = 0; k < r.length; k++) if (guards[r[k]!]!(s)) out[c++] = r[k]!;
    return c - at;
  };

  return { threadCanMove, enabledInto, enabledOfThreadInto };
}

/** Terminal and deadlock states, as the header of this file defines them. */
function termination(ts: TransitionSystem, threadCanMove: (s: Uint32Array, th: number) => boolean) {
  const nThreads = ts.threads.length;
  const doneFns = ts.threads.map((t) => compileBool(t.done));
  const notStartedFns = ts.threads.map((t) => compileBool(t.notStarted));
  const optional = ts.threads.map((t) => t.liveness === 'optional');

  const isTerminal = (s: Uint32Array): boolean => {
    for (let th = 0; th < nThreads; th++) {
      if (doneFns[th]!(s)) continue;
      if (optional[th] && notStartedFns[th]!(s)) continue;
      if (threadCanMove(s, th)) return false;
    }
    return true;
  };

  const stuckThreads = (s: Uint32Array): number[] => {
    if (!isTerminal(s)) return [];
    const out: number[] = [];
    for (let th = 0; th < nThreads; th++) {
      if (doneFns[th]!(s)) continue;
      if (optional[th] && notStartedFns[th]!(s)) continue;
      out.push(th);
    }
    return out;
  };

  const isDeadlock = (s: Uint32Array): boolean => {
    if (!isTerminal(s)) return false;
    for (let th = 0; th < nThreads; th++) {
      if (doneFns[th]!(s)) continue;
      if (optional[th] && notStartedFns[th]!(s)) continue;
      return true;
    }
    return false;
  };

  return { doneFns, notStartedFns, isTerminal, stuckThreads, isDeadlock };
}

/** Prepare a system for evaluation: compiles every guard and update once. */
export function prepare(ts: TransitionSystem): Evaluator {
  const n = ts.vars.length;
  const nT = ts.transitions.length;
  const { guards, updVars, updFns, scratch } = compileSteps(ts);
  const ix = indexByLocation(ts);
  const { threadCanMove, enabledInto, enabledOfThreadInto } = enabledness(ix, guards);
  const { doneFns, notStartedFns, isTerminal, stuckThreads, isDeadlock } = termination(ts, threadCanMove);
  const { stateProps, termProps, deadlockProps, stepByT } = compileProperties(ts);
  const init = Uint32Array.from(ts.vars.map((v) => v.init));
  // Ad-hoc expressions (replay, trace rendering) compile once per object.
  const boolCache = new WeakMap<BoolExpr, BoolFn>();
  const intCache = new WeakMap<IntExpr, IntFn>();
  const enabledBuf = new Int32Array(Math.max(1, nT));
  const empty = new Int32Array(0);
  const byPc = ix.byPc;

  const checkStep = (s: Uint32Array, t: number): number[] => {
    const out: number[] = [];
    const l = stepByT[t];
    if (!l || l.length === 0 || !guards[t]!(s)) return out;
    for (const p of l) if (p.f(s)) out.push(p.i);
    return out;
  };

  const checkState = (s: Uint32Array): number[] => {
    const out: number[] = [];
    for (const p of stateProps) if (p.f(s)) out.push(p.i);
    if (termProps.length > 0 || deadlockProps.length > 0) {
      if (isTerminal(s)) {
        for (const p of termProps) if (p.f(s)) out.push(p.i);
        if (deadlockProps.length > 0 && isDeadlock(s)) out.push(...deadlockProps);
      }
    }
    return out.sort((a, b) => a - b);
  };

  return {
    ts,
    size: n,
    initial: () => init.slice(),
    enabled: (s, t) => guards[t]!(s),
    successor: (s, t, out) => {
      const vs = updVars[t]!;
      const fs = updFns[t]!;
      const m = vs.length;
      for (let k = 0; k < m; k++) scratch[k] = fs[k]!(s);
      const o = out ?? new Uint32Array(n);
      if (o !== s) o.set(s);
      for (let k = 0; k < m; k++) o[vs[k]!] = scratch[k]!;
      return o;
    },
    evalBool: (e, s) => {
      let f = boolCache.get(e);
      if (!f) boolCache.set(e, (f = compileBool(e)));
      return f(s);
    },
    evalInt: (e, s) => {
      let f = intCache.get(e);
      if (!f) intCache.set(e, (f = compileInt(e)));
      return f(s);
    },
    enabledTransitions: (s) => {
      const c = enabledInto(s, enabledBuf);
      return Array.from(enabledBuf.subarray(0, c));
    },
    enabledInto,
    enabledOfThreadInto,
    transitionsAt: (th, pc) => byPc[th]?.[pc] ?? empty,
    threadCanMove,
    threadDone: (s, th) => doneFns[th]!(s),
    threadNotStarted: (s, th) => notStartedFns[th]!(s),
    isTerminal,
    isDeadlock,
    stuckThreads,
    checkProperties: (s, fired) => {
      const out = checkState(s);
      if (fired !== undefined) out.push(...checkStep(s, fired));
      return out.sort((a, b) => a - b);
    },
    checkStep,
    checkState,
    describe: (s, diff = false) =>
      ts.vars
        .filter((v) => !diff || s[v.id] !== v.init)
        .map((v) => `${v.name}=${s[v.id]}`)
        .join(' '),
  };
}
