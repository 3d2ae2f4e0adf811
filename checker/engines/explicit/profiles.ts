/**
 * Per-variable effect profiles: what the reduction knows about fences,
 * publication bits and every other small shared variable beyond "read"
 * and "written".
 *
 * A transition is *local* in variable x when x appears only in guard
 * conjuncts that mention nothing but x and in x's own update, whose
 * expression mentions nothing but x. Its interaction with x is then a
 * guard g: dom(x) -> bool and an effect f: dom(x) -> dom(x), computed by
 * evaluating the expressions on every value of x (domains are small).
 *
 * Two local profiles p, q of x are independent when, at every value where
 * both guards hold, both orders give the same value and neither effect
 * falsifies the other's guard. A fence shows why this matters:
 * `dma_resv_add_fence` (f: 0,1 -> 1, 2 -> 2, no guard) commutes with
 * every other publication, with `dma_fence_signal` (f: -> 2) and with a
 * wait (guard x == 2), so threads that publish the same fence do not
 * depend on each other; only the signal and the waits do. Per-variable
 * independence composes: two transitions that are local in every variable
 * they share, and independent in each, are independent.
 *
 * For a disabled transition, a guard conjunct over x alone can only become
 * true through a profile that maps some value where it is false to one
 * where it holds: a fence wait needs the signaller, never a publisher.
 */

import type { BoolExpr, Transition, TransitionSystem } from '../../semantics/system.js';
import { compileBool, compileInt, conjuncts, varsOfBool, varsOfInt } from './compile-closures.js';

/** Largest domain (max + 1) profiled; larger variables are treated as opaque. */
const MAX_DOMAIN = 64;
/** Profile ids per variable fit in bits 0..29; bit 30 marks "some non-local touch". */
export const MAX_PROFILES = 30;
export const NONLOCAL = 1 << 30;

export interface Profiles {
  enabled: boolean;
  nVars: number;
  /** `prof[t * nVars + x]`: profile id of t in x, -1 when t is not local in x (or does not touch it). */
  prof: Int32Array;
  /** `indep[x * MAX_PROFILES + p]`: mask of profiles of x independent of p. */
  indep: Int32Array;
  /** Per profile: its guard truth table and effect, for enabling questions. */
  guardOf: (x: number, p: number) => Uint8Array;
  effectOf: (x: number, p: number) => Int32Array;
  /** Number of profiles per variable. */
  count: Int32Array;
}

export function computeProfiles(ts: TransitionSystem, stepReads: Set<number>[], wanted = true): Profiles {
  const nVars = ts.vars.length;
  const nTrans = ts.transitions.length;
  const off: Profiles = {
    enabled: false,
    nVars,
    prof: new Int32Array(0),
    indep: new Int32Array(0),
    guardOf: () => new Uint8Array(0),
    effectOf: () => new Int32Array(0),
    count: new Int32Array(nVars),
  };
  if (!wanted || nTrans * nVars > 8_000_000) return off;

  const prof = new Int32Array(nTrans * nVars).fill(-1);
  const guards: Uint8Array[][] = Array.from({ length: nVars }, () => []);
  const effects: Int32Array[][] = Array.from({ length: nVars }, () => []);
  const keys: Map<string, number>[] = Array.from({ length: nVars }, () => new Map());
  const vals = new Int32Array(nVars);

  for (const t of ts.transitions) {
    const shape = shapeOf(t);
    for (const x of shape.touched) {
      const dom = ts.vars[x].max + 1;
      if (dom > MAX_DOMAIN) continue;
      const local = localIn(t, shape, x, stepReads[t.id]);
      if (!local) continue;
      const { g, f } = tabulate(shape, local, t, x, dom, vals);
      const key = `${g.join('')}|${f.join(',')}`;
      let id = keys[x].get(key);
      if (id === undefined) {
        if (keys[x].size >= MAX_PROFILES) continue;
        id = keys[x].size;
        keys[x].set(key, id);
        guards[x].push(g);
        effects[x].push(f);
      }
      prof[t.id * nVars + x] = id;
    }
  }

  return {
    enabled: true,
    nVars,
    prof,
    indep: independence(ts, guards, effects),
    guardOf: (x, p) => guards[x][p],
    effectOf: (x, p) => effects[x][p],
    count: Int32Array.from(keys, (k) => k.size),
  };
}

/** A transition's guard conjuncts and update expressions with the variables each mentions. */
interface Shape {
  cs: BoolExpr[];
  csVars: Set<number>[];
  updReads: Set<number>[];
  /** Every variable a conjunct mentions or an update writes. */
  touched: Set<number>;
}

function shapeOf(t: Transition): Shape {
  const cs = conjuncts(t.guard);
  const csVars = cs.map((c) => varsOfBool(c));
  const touched = new Set<number>();
  for (const vs of csVars) for (const v of vs) touched.add(v);
  const updReads = t.updates.map((u) => varsOfInt(u.e));
  for (const u of t.updates) touched.add(u.v);
  return { cs, csVars, updReads, touched };
}

/**
 * Whether t is local in x (see the header; a step property reading x
 * makes it not): if so, its conjuncts over x alone and its update of x
 * (-1 for none).
 */
function localIn(t: Transition, shape: Shape, x: number, stepReads: Set<number>): { own: number[]; upd: number } | undefined {
  const { csVars, updReads } = shape;
  let local = true;
  const own: number[] = [];
  csVars.forEach((vs, i) => {
    if (!vs.has(x)) return;
    if (vs.size === 1) own.push(i);
    else local = false;
  });
  const upd = t.updates.findIndex((u) => u.v === x);
  t.updates.forEach((_, i) => {
    if (i === upd) {
      for (const v of updReads[i]) if (v !== x) local = false;
    } else if (updReads[i].has(x)) {
      local = false;
    }
  });
  if (stepReads.has(x)) local = false;
  return local ? { own, upd } : undefined;
}

/** The guard g and effect f of a local transition on every value of x; `vals` is scratch, left all zero. */
function tabulate(shape: Shape, local: { own: number[]; upd: number }, t: Transition, x: number, dom: number, vals: Int32Array): { g: Uint8Array; f: Int32Array } {
  const gfs = local.own.map((i) => compileBool(shape.cs[i]));
  const ffn = local.upd >= 0 ? compileInt(t.updates[local.upd].e) : undefined;
  const g = new Uint8Array(dom);
  const f = new Int32Array(dom);
  for (let v = 0; v < dom; v++) {
    vals[x] = v;
    g[v] = gfs.every((fn) => fn(vals)) ? 1 : 0;
    f[v] = ffn ? ffn(vals) : v;
  }
  vals[x] = 0;
  return { g, f };
}

/** `indep[x * MAX_PROFILES + p]`: mask of the profiles of x independent of p (see the header). */
function independence(ts: TransitionSystem, guards: Uint8Array[][], effects: Int32Array[][]): Int32Array {
  const nVars = ts.vars.length;
  const indep = new Int32Array(nVars * MAX_PROFILES);
  for (let x = 0; x < nVars; x++) {
    const n = guards[x].length;
    const dom = ts.vars[x].max + 1;
    for (let p = 0; p < n; p++) {
      let m = 0;
      for (let q = 0; q < n; q++) {
        if (commute(guards[x][p], effects[x][p], guards[x][q], effects[x][q], dom)) m |= 1 << q;
      }
      indep[x * MAX_PROFILES + p] = m;
    }
  }
  return indep;
}

/** Profiles (gp, fp) and (gq, fq) commute at every value where both guards hold, and neither disables the other. */
function commute(gp: Uint8Array, fp: Int32Array, gq: Uint8Array, fq: Int32Array, dom: number): boolean {
  for (let v = 0; v < dom; v++) {
    if (!gp[v] || !gq[v]) continue;
    const a = fp[v];
    const b = fq[v];
    // Out-of-domain results (should not happen) make it dependent.
    if (a < 0 || a >= dom || b < 0 || b >= dom) return false;
    if (fq[a] !== fp[b] || !gq[a] || !gp[b]) return false;
  }
  return true;
}

/** Truth table of a condition over x alone, on x's domain; undefined if the domain is too large. */
export function truthTable(ts: TransitionSystem, c: BoolExpr, x: number): Uint8Array | undefined {
  const dom = ts.vars[x].max + 1;
  if (dom > MAX_DOMAIN) return undefined;
  const fn = compileBool(c);
  const vals = new Int32Array(ts.vars.length);
  const table = new Uint8Array(dom);
  for (let v = 0; v < dom; v++) {
    vals[x] = v;
    table[v] = fn(vals) ? 1 : 0;
  }
  return table;
}

/**
 * Mask of profiles of x that can make `table` true: some value where the
 * profile's guard holds and the table is false is mapped to one where it
 * is true. NONLOCAL is always included (opaque writers may do anything).
 */
export function enablingProfiles(pr: Profiles, x: number, table: Uint8Array): number {
  let m = NONLOCAL;
  for (let p = 0; p < pr.count[x]; p++) {
    const g = pr.guardOf(x, p);
    const f = pr.effectOf(x, p);
    for (let v = 0; v < table.length; v++) {
      if (g[v] && !table[v] && f[v] >= 0 && f[v] < table.length && table[f[v]]) {
        m |= 1 << p;
        break;
      }
    }
  }
  return m;
}
