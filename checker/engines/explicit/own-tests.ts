/**
 * Reads that another thread's lock operations can never change: the
 * footprint the reduction compares (structure.ts `R`), with a thread's
 * tests of its *own* ownership left out.
 *
 * Let x be a lock-aware owner variable (structure.ts: every writer j
 * changes x only while x ∈ {0, j+1} and writes only 0, j+1 or x). Then in
 * every state where a thread j ≠ k changes x, x ≠ k+1 before and after.
 * So a test `x == k+1` (or `x != k+1`) by thread k has the same value
 * before and after any other thread's step: it reads nothing that step
 * can change. The ww_mutex code is full of such tests: -EDEADLK only
 * kills a context that holds some lock (`__ww_mutex_kill` checks
 * `ctx->acquired > 0`), which the semantics spells as "some owner.y is
 * mine and its ww holder is my context" over every lock y of the class,
 * and -EALREADY tests "x is mine".
 *
 * The same goes for a conjunction with a conjunct `x == k+1`: it is false
 * before and after every other thread's change of x, and of any variable
 * y *protected by* x (every writer j of y changes it only while
 * x ∈ {0, j+1}, as the ww holder `wwholder.x` is written only by whoever
 * takes or releases x). Its reads of x and of such y are left out too, and
 * likewise the then-branch of `ite(x == k+1 ..., a, b)`, which other
 * threads' steps always see as b.
 *
 * Only reads are left out: writes stay in `W`, and every other read
 * (`x != 0`, "held by someone else") stays, so a contender still depends
 * on the holder's release.
 */

import { unreachable } from '../../../model/ir.js';
import type { BoolExpr, IntExpr, Transition, TransitionSystem, VarId } from '../../semantics/system.js';
import { pinnedValues } from './compile-closures.js';

/** What the masking needs to know about the system's variables. */
export interface OwnTestScope {
  /** Lock-aware owner variables (structure.ts lockAwareOwners). */
  lockAware: Uint8Array;
  /** Per variable: the lock-aware owner variable that protects it, or -1. */
  protectedBy: Int32Array;
}

/**
 * `protectedBy[y] = x` when y is not an owner variable, and every
 * transition that writes y is gated on x being free or its own: its guard
 * pins x to {0, own}, or its update of y is `ite(c, e, y)` with c pinning x
 * to {0, own}. The first such x wins (one is enough for the argument).
 */
export function protectedVariables(ts: TransitionSystem, lockAware: Uint8Array, writers: number[][]): Int32Array {
  const nVars = ts.vars.length;
  const out = new Int32Array(nVars).fill(-1);
  const owners: number[] = [];
  for (let x = 0; x < nVars; x++) if (lockAware[x]) owners.push(x);
  if (owners.length === 0) return out;
  for (let y = 0; y < nVars; y++) {
    if (lockAware[y] || ts.vars[y].role.kind === 'lock-owner' || writers[y].length === 0) continue;
    for (const x of owners) {
      if (writers[y].every((t) => writeGatedOn(ts.transitions[t], y, x))) {
        out[y] = x;
        break;
      }
    }
  }
  return out;
}

function writeGatedOn(t: Transition, y: VarId, x: VarId): boolean {
  const allowed = [0, t.thread + 1];
  const within = (p: Set<number> | undefined) => p !== undefined && [...p].every((v) => allowed.includes(v));
  if (within(pinnedValues(t.guard, x))) return true;
  const u = t.updates.find((w) => w.v === y);
  // A write the compiler declared without an update, or one that is not an
  // ite whose else-branch keeps y: not gated.
  if (!u) return false;
  return u.e.k === 'ite' && u.e.e.k === 'var' && u.e.e.v === y && within(pinnedValues(u.e.c, x));
}

/** Adds to `out` the variables t's guard and updates read, less the own tests (see the header). */
export function maskedReads(t: Transition, sc: OwnTestScope, out: Set<VarId>): void {
  const own = t.thread + 1;
  const w = new ReadWalker(sc, own, out);
  w.bool(t.guard, []);
  for (const u of t.updates) w.int(u.e, []);
}

class ReadWalker {
  constructor(
    private readonly sc: OwnTestScope,
    private readonly own: number,
    private readonly out: Set<VarId>,
  ) {}

  /** The lock-aware owner x when e is `x == own` (either side), else -1. */
  private ownTest(e: BoolExpr): number {
    if (e.k !== 'eq' && e.k !== 'ne') return -1;
    const x = e.a.k === 'var' && e.b.k === 'const' ? e.a.v : e.b.k === 'var' && e.a.k === 'const' ? e.b.v : -1;
    const c = e.a.k === 'const' ? e.a.v : e.b.k === 'const' ? e.b.v : -1;
    return x >= 0 && this.sc.lockAware[x] === 1 && c === this.own ? x : -1;
  }

  /** Owners x of the conjuncts `x == own` of e (e itself, or the direct arguments of a conjunction). */
  private falseUnlessOwn(e: BoolExpr): number[] {
    if (e.k === 'eq') {
      const x = this.ownTest(e);
      return x >= 0 ? [x] : [];
    }
    if (e.k !== 'and') return [];
    const xs: number[] = [];
    for (const a of e.args) if (a.k === 'eq' && this.ownTest(a) >= 0) xs.push(this.ownTest(a));
    return xs;
  }

  private read(v: VarId, masks: readonly number[]): void {
    if (masks.includes(v)) return;
    const p = this.sc.protectedBy[v];
    if (p >= 0 && masks.includes(p)) return;
    this.out.add(v);
  }

  bool(e: BoolExpr, masks: readonly number[]): void {
    switch (e.k) {
      case 'true':
      case 'false':
        return;
      case 'eq':
      case 'ne':
        if (this.ownTest(e) >= 0) return;
        this.int(e.a, masks);
        this.int(e.b, masks);
        return;
      case 'lt':
      case 'le':
        this.int(e.a, masks);
        this.int(e.b, masks);
        return;
      case 'bit':
        this.int(e.a, masks);
        return;
      case 'and': {
        const inner = [...masks, ...this.falseUnlessOwn(e)];
        for (const a of e.args) this.bool(a, inner);
        return;
      }
      case 'or':
        for (const a of e.args) this.bool(a, masks);
        return;
      case 'not':
        this.bool(e.a, masks);
        return;
      default:
        return unreachable(e);
    }
  }

  int(e: IntExpr, masks: readonly number[]): void {
    switch (e.k) {
      case 'const':
        return;
      case 'var':
        this.read(e.v, masks);
        return;
      case 'add':
      case 'sub':
      case 'bitor':
      case 'bitand':
      case 'bitclear':
        this.int(e.a, masks);
        this.int(e.b, masks);
        return;
      case 'ite':
        this.bool(e.c, masks);
        this.int(e.t, [...masks, ...this.falseUnlessOwn(e.c)]);
        this.int(e.e, masks);
        return;
      default:
        return unreachable(e);
    }
  }
}
