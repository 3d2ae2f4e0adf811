/**
 * The transitions of one search pass, compiled for the hot loop of
 * explore.ts: flat typed arrays indexed by transition id, built once per
 * pass so that firing a transition allocates nothing.
 *
 * The hot loop only evaluates transitions listed at their thread's current
 * pc, so guard conjuncts that merely test that pc are true there and are
 * dropped (`guardAlways` when nothing is left). Constant updates are folded
 * into per-word patches (keep mask, set bits); only the others run
 * closures.
 */

import type { BoolExpr, TransitionSystem } from '../../semantics/system.js';
import { compileBool, compileInt, conjuncts, pinnedValues, varsOfBool, type BoolFn, type IntFn } from './compile-closures.js';
import type { Layout } from './store.js';

export interface TransitionTable {
  /** Per transition: its guard, own-pc tests dropped when the thread has a pc variable. */
  guard: BoolFn[];
  /** 1 when the guard is nothing but own-pc tests (true wherever the transition is listed). */
  guardAlways: Uint8Array;
  /** Constant updates of transition t: patches patchStart[t] .. patchStart[t+1) on word patchWord[p]. */
  patchStart: Int32Array;
  patchWord: Int32Array;
  patchKeep: Int32Array;
  patchSet: Int32Array;
  /** Other updates of transition t: updStart[t] .. updStart[t+1), each one packed field. */
  updStart: Int32Array;
  updWord: Int32Array;
  updShift: Int32Array;
  updMask: Int32Array;
  updFn: IntFn[];
  /** Scratch for the values of one transition's non-constant updates. */
  dyn: Float64Array;
  /** Thread of each transition. */
  threadOf: Int32Array;
}

/** `pcVar`: each thread's pc variable, -1 for a thread the search does not index by pc (structure.ts). */
export function compileTransitions(ts: TransitionSystem, layout: Layout, pcVar: Int32Array): TransitionTable {
  const nTrans = ts.transitions.length;
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
  const updWord: number[] = [];
  const updShift: number[] = [];
  const updMask: number[] = [];
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
        updWord.push(w);
        updShift.push(sh);
        updMask.push(m);
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
  return {
    guard,
    guardAlways,
    patchStart,
    patchWord: Int32Array.from(patchWord),
    patchKeep: Int32Array.from(patchKeep),
    patchSet: Int32Array.from(patchSet),
    updStart,
    updWord: Int32Array.from(updWord),
    updShift: Int32Array.from(updShift),
    updMask: Int32Array.from(updMask),
    updFn,
    dyn: new Float64Array(ts.transitions.reduce((m, t) => Math.max(m, t.updates.length), 1)),
    threadOf: Int32Array.from(ts.transitions, (t) => t.thread),
  };
}

/**
 * The successor of the state `cur` (unpacked; packed at `src[base..base+W)`)
 * by transition t, packed into `out[0..W)`.
 */
export function successorInto(tt: TransitionTable, t: number, cur: Int32Array, src: Uint32Array, base: number, out: Uint32Array): void {
  const W = out.length;
  for (let w = 0; w < W; w++) out[w] = src[base + w];
  // Simultaneous assignment: every right-hand side reads `cur`, the
  // state before the step, so the order of the patches does not matter.
  const { updFn, updWord, updShift, updMask, patchWord, patchKeep, patchSet, dyn } = tt;
  const u0 = tt.updStart[t];
  const u1 = tt.updStart[t + 1];
  for (let u = u0; u < u1; u++) dyn[u - u0] = updFn[u](cur);
  for (let p = tt.patchStart[t], e = tt.patchStart[t + 1]; p < e; p++) {
    const w = patchWord[p];
    out[w] = (out[w] & patchKeep[p]) | patchSet[p];
  }
  for (let u = u0; u < u1; u++) {
    const w = updWord[u];
    const sh = updShift[u];
    const m = updMask[u];
    out[w] = (out[w] & ~(m << sh)) | ((dyn[u - u0] & m) << sh);
  }
}

/** A conjunct that only tests the thread's own pc (true wherever the transition is listed). */
function isOwnPcTest(c: BoolExpr, pv: number): boolean {
  const vars = varsOfBool(c);
  return vars.size === 1 && vars.has(pv) && pinnedValues(c, pv) !== undefined;
}
