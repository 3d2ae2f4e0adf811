/**
 * The properties of one search pass, compiled for the hot loop of
 * explore.ts, and the checks it runs on every expanded state (the rules
 * are in explore.ts's header): state properties on the state, step
 * properties on its enabled transitions, terminal and deadlock properties
 * when it is terminal. Each check takes the unpacked state and the pass's
 * tables and allocates nothing unless it finds a violation.
 */

import type { PropertyResult } from '../types.js';
import type { TransitionSystem } from '../../semantics/system.js';
import { compileBool, type BoolFn } from './compile-closures.js';
import type { StateStore } from './store.js';

export interface PropertyChecks {
  /** Indices `i` are into the pass's `ts.properties`. */
  stateProps: { i: number; bad: BoolFn }[];
  terminalProps: { i: number; bad: BoolFn }[];
  deadlockProps: number[];
  /** Per transition: the step properties it fires, and 1 in `hasStep` when there is one. */
  stepAt: { i: number; when: BoolFn }[][];
  hasStep: Uint8Array;
  /** Per thread: done, and for an optional thread not started (undefined for a mandatory one). */
  done: BoolFn[];
  notStarted: (BoolFn | undefined)[];
}

export function compilePropertyChecks(ts: TransitionSystem): PropertyChecks {
  const nTrans = ts.transitions.length;
  const checks: PropertyChecks = {
    stateProps: [],
    terminalProps: [],
    deadlockProps: [],
    stepAt: Array.from({ length: nTrans }, () => []),
    hasStep: new Uint8Array(nTrans),
    done: ts.threads.map((th) => compileBool(th.done)),
    notStarted: ts.threads.map((th) => (th.liveness === 'optional' ? compileBool(th.notStarted) : undefined)),
  };
  ts.properties.forEach((p, i) => {
    switch (p.kind) {
      case 'state':
        checks.stateProps.push({ i, bad: compileBool(p.bad) });
        break;
      case 'terminal':
        checks.terminalProps.push({ i, bad: compileBool(p.bad) });
        break;
      case 'deadlock':
        checks.deadlockProps.push(i);
        break;
      case 'step': {
        const when = compileBool(p.when);
        for (const t of new Set(p.transitions)) {
          if (t >= 0 && t < nTrans) {
            checks.stepAt[t].push({ i, when });
            checks.hasStep[t] = 1;
          }
        }
        break;
      }
    }
  });
  return checks;
}

/** The first violation found of each property of a pass; the others are still open. */
export class Verdicts {
  readonly results: (PropertyResult | undefined)[];
  private open: number;

  constructor(
    private readonly nProps: number,
    private readonly stopAtFirst: boolean,
  ) {
    this.results = new Array(nProps).fill(undefined);
    this.open = nProps;
  }

  violate(i: number, schedule: number[]): void {
    if (this.results[i] !== undefined) return;
    this.results[i] = { status: 'violated', schedule };
    this.open--;
  }

  /** With no property at all the search still runs to the end (benchmarks, state counts). */
  finished(): boolean {
    return this.open < this.nProps && (this.open === 0 || this.stopAtFirst);
  }
}

/** State properties on state `si` (unpacked in `cur`). */
export function checkStateProperties(pc: PropertyChecks, v: Verdicts, cur: Int32Array, store: StateStore, si: number): void {
  const { stateProps } = pc;
  const results = v.results;
  for (let p = 0; p < stateProps.length; p++) {
    const sp = stateProps[p];
    if (results[sp.i] === undefined && sp.bad(cur)) v.violate(sp.i, store.scheduleTo(si));
  }
}

/** Step properties on the `nEn` enabled transitions `enList` of state `si`. */
export function checkStepProperties(pc: PropertyChecks, v: Verdicts, enList: Int32Array, nEn: number, cur: Int32Array, store: StateStore, si: number): void {
  const { hasStep, stepAt } = pc;
  const results = v.results;
  for (let i = 0; i < nEn; i++) {
    const t = enList[i];
    if (hasStep[t] === 0) continue;
    const checks = stepAt[t];
    for (let c = 0; c < checks.length; c++) {
      const sc = checks[c];
      if (results[sc.i] === undefined && sc.when(cur)) {
        const sched = store.scheduleTo(si);
        sched.push(t);
        v.violate(sc.i, sched);
      }
    }
  }
}

/** Mask of the active threads: mandatory, or optional and started. */
export function activeThreads(pc: PropertyChecks, cur: Int32Array): number {
  const { notStarted } = pc;
  let activeMask = 0;
  for (let th = 0; th < notStarted.length; th++) {
    const ns = notStarted[th];
    if (ns === undefined || !ns(cur)) activeMask |= 1 << th;
  }
  return activeMask;
}

/**
 * Whether state `si` is terminal (`enCount`: enabled transitions per
 * thread), and if so the terminal and deadlock properties on it.
 */
export function checkTerminal(pc: PropertyChecks, v: Verdicts, enCount: Int32Array, cur: Int32Array, store: StateStore, si: number): boolean {
  const { done, notStarted } = pc;
  const nThreads = done.length;
  // Terminal: no active thread that is not done has an enabled
  // transition. Usually the first thread with one settles it.
  let terminal = true;
  for (let th = 0; th < nThreads && terminal; th++) {
    if (enCount[th] === 0) continue;
    const ns = notStarted[th];
    if (ns !== undefined && ns(cur)) continue;
    if (!done[th](cur)) terminal = false;
  }
  if (!terminal) return false;
  let unfinished = false;
  for (let th = 0; th < nThreads && !unfinished; th++) {
    const ns = notStarted[th];
    if (ns !== undefined && ns(cur)) continue;
    if (!done[th](cur)) unfinished = true;
  }
  for (const tp of pc.terminalProps) {
    if (v.results[tp.i] === undefined && tp.bad(cur)) v.violate(tp.i, store.scheduleTo(si));
  }
  if (unfinished) for (const i of pc.deadlockProps) v.violate(i, store.scheduleTo(si));
  return true;
}
