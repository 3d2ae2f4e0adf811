/**
 * Partial-order reduction: a persistent set per state, built thread by
 * thread from footprints, that knows lock semantics.
 *
 * A set P of threads gives the candidate set T = the enabled transitions
 * of P. T is persistent (no path from the state that avoids T can contain
 * a transition dependent on T) when the closure below holds:
 *
 * - for an enabled transition t of a thread in P, every other thread whose
 *   *future* footprint (what it may touch from its current pc on) conflicts
 *   with t (write/read, read/write or write/write on one variable) is in P;
 * - for a disabled transition t at the current pc of a thread in P, some
 *   guard conjunct of t is false, and every thread that could change one
 *   of its variables is in P (a necessary enabling set), so t cannot be
 *   enabled from outside P and no thread of P moves on a path avoiding T.
 *
 * Lock semantics sharpen both rules. While thread h holds lock L
 * (`owner.L == h + 1`) only h can change `owner.L` (checked statically:
 * every writer of the variable requires it free or held by itself). So
 * - a disabled acquisition of L needs only h in P, not every thread that
 *   may ever take L;
 * - when h is in P, L stays held on every path that avoids T, so a future
 *   acquisition or release of L by an outside thread k can never fire
 *   there: if every transition of k touching `owner.L` is gated on
 *   `owner.L` being 0 or k + 1, it is no conflict;
 * - a thread's test of its own ownership (`owner.L == k + 1`, and what a
 *   conjunction with it reads of variables L protects, such as the ww
 *   holder) is never in its read footprint: no other thread's step can
 *   change its value (own-tests.ts). -EDEADLK's "this context holds a
 *   lock" thus depends on no other thread's lock steps.
 *
 * Visibility: a set that contains a visible transition (one the compiler
 * marks, one of a step property, or one that writes a variable of a state
 * property) is only used if it is every enabled transition (condition C2).
 * No cycle proviso (C3): lockmc systems are loop-free and `analyse`
 * proves it (every transition moves its own thread's pc forward in a DAG);
 * when it cannot, the engine does not reduce at all.
 *
 * Terminal states: a terminal state ignores optional threads that have
 * not started, so it is a deadlock of the subsystem without them, not of
 * the whole system. Each seed is a thread that is active (started or
 * mandatory) and enabled, so T always contains a transition of an active
 * thread when one exists; restricted to any subsystem that drops some
 * unstarted optional threads T stays persistent and non-empty, and every
 * terminal state (with exactly those threads unstarted) stays reachable.
 * When no active thread is enabled the state is fully expanded.
 */

import type { Structure } from './structure.js';
import { MAX_PROFILES, NONLOCAL } from './profiles.js';

export class PersistentSets {
  private readonly st: Structure;
  private readonly n: number;
  /** Per variable, per state: writers mask cache (valid when stamp matches). */
  private readonly wmStamp: Int32Array;
  private readonly wmVal: Int32Array;
  private stamp = 0;
  private readonly stack: Int32Array;

  constructor(st: Structure, nVars: number) {
    this.st = st;
    this.n = st.nThreads;
    this.wmStamp = new Int32Array(nVars).fill(-1);
    this.wmVal = new Int32Array(nVars);
    this.stack = new Int32Array(Math.max(1, this.n));
  }

  /**
   * Chooses the threads whose enabled transitions to expand.
   * `enStamp[t] === curStamp` marks the enabled transitions of the state;
   * `enCount[th]` counts them per thread; `activeMask` has the threads
   * that are started or mandatory. Returns a thread mask, or -1 to expand
   * every enabled transition.
   */
  choose(cur: Int32Array, enStamp: Int32Array, curStamp: number, enCount: Int32Array, activeMask: number): number {
    const st = this.st;
    const n = this.n;
    this.stamp++;
    let total = 0;
    let seeds = 0;
    for (let th = 0; th < n; th++) {
      total += enCount[th];
      if (enCount[th] > 0 && (activeMask >>> th) & 1) seeds |= 1 << th;
    }
    if (seeds === 0) return -1;
    let best = -1;
    let bestCount = total;
    const { transAtStart, transAtList, pcOffset, pcVar, visible } = st;
    for (let seed = 0; seed < n; seed++) {
      if (!((seeds >>> seed) & 1)) continue;
      let P = 1 << seed;
      let count = enCount[seed];
      let vis = false;
      let sp = 0;
      this.stack[sp++] = seed;
      let abandoned = count >= bestCount && best >= 0;
      while (sp > 0 && !abandoned) {
        const j = this.stack[--sp];
        const g = pcOffset[j] + (pcVar[j] >= 0 ? cur[pcVar[j]] : 0);
        for (let i = transAtStart[g]; i < transAtStart[g + 1]; i++) {
          const t = transAtList[i];
          let add = 0;
          if (enStamp[t] === curStamp) {
            if (visible[t]) vis = true;
            for (let k = 0; k < n; k++) {
              if ((P >>> k) & 1) continue;
              if (this.conflict(t, k, P, cur)) add |= 1 << k;
            }
          } else {
            add = this.enablers(t, cur) & ~P;
          }
          if (add !== 0) {
            for (let k = 0; k < n; k++) {
              if ((add >>> k) & 1) {
                P |= 1 << k;
                count += enCount[k];
                this.stack[sp++] = k;
              }
            }
            if (best >= 0 ? count >= bestCount : count >= total) {
              abandoned = true;
              break;
            }
          }
        }
      }
      if (abandoned) continue;
      if (vis && count < total) continue;
      if (count < bestCount || best < 0) {
        best = P;
        bestCount = count;
        if (bestCount <= 1) break;
      }
    }
    if (best < 0 || bestCount >= total) return -1;
    return best;
  }

  /** Does enabled transition t conflict with thread k's future, given that P's held locks stay held? */
  private conflict(t: number, k: number, P: number, cur: Int32Array): boolean {
    const st = this.st;
    const VW = st.VW;
    const g = st.pcOffset[k] + (st.pcVar[k] >= 0 ? cur[st.pcVar[k]] : 0);
    const tb = t * VW;
    const gb = g * VW;
    const pr = st.profiles;
    const nVars = pr.nVars;
    for (let w = 0; w < VW; w++) {
      let x = (st.W[tb + w] & (st.futR[gb + w] | st.futW[gb + w])) | (st.R[tb + w] & st.futW[gb + w]);
      while (x !== 0) {
        const b = 31 - Math.clz32(x & -x);
        x &= x - 1;
        const v = (w << 5) | b;
        if (st.lockAware[v]) {
          const o = cur[v];
          if (o > 0 && o <= 31 && (P >>> (o - 1)) & 1 && !(st.ungatedOwner[gb + w] & (1 << b))) continue;
        }
        if (pr.enabled) {
          const p = pr.prof[t * nVars + v];
          if (p >= 0) {
            const fm = st.futProf[g * nVars + v];
            if ((fm & NONLOCAL) === 0 && (fm & ~pr.indep[v * MAX_PROFILES + p]) === 0) continue;
          }
        }
        return true;
      }
    }
    return false;
  }

  /** The smallest set of threads that must move before disabled t can become enabled. */
  private enablers(t: number, cur: Int32Array): number {
    const cs = this.st.conj[t];
    let best = -1;
    let bestPop = 33;
    for (let c = 0; c < cs.length; c++) {
      const cj = cs[c];
      if (cj.fn(cur)) continue;
      let m = 0;
      if (cj.enablers !== -1) {
        // One variable: only threads whose future can make this conjunct true.
        const x = cj.vars[0];
        m = this.profileChangers(x, cj.enablers, cur);
        const h = this.holder(x, cur);
        if (h !== 0 && popcount(h) < popcount(m)) m = h;
      } else {
        for (let i = 0; i < cj.vars.length; i++) m |= this.changers(cj.vars[i], cur);
      }
      const pop = popcount(m);
      if (pop < bestPop) {
        best = m;
        bestPop = pop;
        if (pop <= 1) break;
      }
    }
    // Every conjunct true yet the guard false cannot happen; be safe anyway.
    return best < 0 ? (this.n >= 31 ? -1 : (1 << this.n) - 1) : best;
  }

  /** While a lock-aware owner variable is held, its holder is the only thread that can change it; else 0. */
  private holder(v: number, cur: Int32Array): number {
    if (!this.st.lockAware[v]) return 0;
    const o = cur[v];
    return o > 0 && o <= this.n ? 1 << (o - 1) : 0;
  }

  /** Threads whose future holds a profile of x in `mask`. */
  private profileChangers(x: number, mask: number, cur: Int32Array): number {
    const st = this.st;
    const nVars = st.profiles.nVars;
    let m = 0;
    for (let k = 0; k < this.n; k++) {
      const g = st.pcOffset[k] + (st.pcVar[k] >= 0 ? cur[st.pcVar[k]] : 0);
      if (st.futProf[g * nVars + x] & mask) m |= 1 << k;
    }
    return m;
  }

  /** Threads that can change variable v from the current state on. */
  private changers(v: number, cur: Int32Array): number {
    const st = this.st;
    const h = this.holder(v, cur);
    if (h !== 0) return h;
    if (this.wmStamp[v] === this.stamp) return this.wmVal[v];
    let m = 0;
    const w = v >>> 5;
    const bit = 1 << (v & 31);
    for (let k = 0; k < this.n; k++) {
      const g = st.pcOffset[k] + (st.pcVar[k] >= 0 ? cur[st.pcVar[k]] : 0);
      if (st.futW[g * st.VW + w] & bit) m |= 1 << k;
    }
    this.wmStamp[v] = this.stamp;
    this.wmVal[v] = m;
    return m;
  }
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
