/**
 * Guards and updates of the transition system turned into closures over an
 * unpacked state (one Int32Array slot per variable).
 *
 * The explicit engine evaluates millions of guards per second, so it does
 * not walk the expression trees of system.ts in its hot loop: each tree is
 * compiled once into nested closures, with the shapes the compiler emits
 * most (`var == const`, conjunctions of two or three tests) specialised.
 * The closures implement exactly the expression semantics of system.ts;
 * a test cross-checks them against the reference evaluator on random
 * states.
 *
 * Values are unsigned and below 2^31 (the layout rejects wider variables),
 * so they live in Int32Array slots and the bit operations below, which JS
 * performs on signed 32-bit integers, never see a sign bit.
 */

import type { BoolExpr, IntExpr, VarId } from '../../semantics/system.js';
import { foldBool, foldInt, type ExprAlgebra } from '../../semantics/expr.js';

/** The unpacked state a closure reads: `s[v]` is the value of variable v. */
export type Vals = Int32Array;
export type IntFn = (s: Vals) => number;
export type BoolFn = (s: Vals) => boolean;

/**
 * The closure compiler as an algebra over the fold of expr.ts: each case
 * gets its children already compiled and may look at the node's own
 * children to pick a specialised closure (the unused compiled child is
 * dropped; compilation happens once per expression).
 */
const CLOSURES: ExprAlgebra<IntFn, BoolFn> = {
  const: (e) => {
    const c = e.v;
    return () => c;
  },
  var: (e) => {
    const v = e.v;
    return (s) => s[v];
  },
  add: (e, a, b) => {
    if (e.b.k === 'const') {
      const c = e.b.v;
      return (s) => a(s) + c;
    }
    return (s) => a(s) + b(s);
  },
  sub: (e, a, b) => {
    if (e.b.k === 'const') {
      const c = e.b.v;
      return (s) => a(s) - c;
    }
    return (s) => a(s) - b(s);
  },
  bitor: (_, a, b) => (s) => a(s) | b(s),
  bitand: (_, a, b) => (s) => a(s) & b(s),
  bitclear: (_, a, b) => (s) => a(s) & ~b(s),
  ite: (_, c, t, f) => (s) => (c(s) ? t(s) : f(s)),
  true: () => () => true,
  false: () => () => false,
  eq: (e, a, b) => {
    const vc = varConst(e.a, e.b);
    if (vc) {
      const [v, c] = vc;
      return (s) => s[v] === c;
    }
    return (s) => a(s) === b(s);
  },
  ne: (e, a, b) => {
    const vc = varConst(e.a, e.b);
    if (vc) {
      const [v, c] = vc;
      return (s) => s[v] !== c;
    }
    return (s) => a(s) !== b(s);
  },
  lt: (_, a, b) => (s) => a(s) < b(s),
  le: (_, a, b) => (s) => a(s) <= b(s),
  bit: (e, a) => {
    // Values are below 2^31, so bits 31 and up are never set.
    if (e.bit > 30) return () => false;
    const m = 1 << e.bit;
    return (s) => (a(s) & m) !== 0;
  },
  and: (_, fs) => {
    if (fs.length === 0) return () => true;
    if (fs.length === 1) return fs[0];
    if (fs.length === 2) {
      const [a, b] = fs;
      return (s) => a(s) && b(s);
    }
    if (fs.length === 3) {
      const [a, b, c] = fs;
      return (s) => a(s) && b(s) && c(s);
    }
    return (s) => {
      for (let i = 0; i < fs.length; i++) if (!fs[i](s)) return false;
      return true;
    };
  },
  or: (_, fs) => {
    if (fs.length === 0) return () => false;
    if (fs.length === 1) return fs[0];
    if (fs.length === 2) {
      const [a, b] = fs;
      return (s) => a(s) || b(s);
    }
    return (s) => {
      for (let i = 0; i < fs.length; i++) if (fs[i](s)) return true;
      return false;
    };
  },
  not: (_, a) => (s) => !a(s),
};

export function compileInt(e: IntExpr): IntFn {
  return foldInt(e, CLOSURES);
}

export function compileBool(e: BoolExpr): BoolFn {
  return foldBool(e, CLOSURES);
}

function varConst(a: IntExpr, b: IntExpr): [VarId, number] | undefined {
  if (a.k === 'var' && b.k === 'const') return [a.v, b.v];
  if (a.k === 'const' && b.k === 'var') return [b.v, a.v];
  return undefined;
}

/** Every variable an expression reads (one definition, in expr.ts). */
export { intVars as varsOfInt, boolVars as varsOfBool } from '../../semantics/expr.js';

/** Top-level conjuncts of a guard, nested `and`s flattened. */
export function conjuncts(e: BoolExpr, out: BoolExpr[] = []): BoolExpr[] {
  if (e.k === 'and') {
    for (const a of e.args) conjuncts(a, out);
  } else if (e.k !== 'true') {
    out.push(e);
  }
  return out;
}

/**
 * The values of `v` a guard allows, read from its `v == c` conjuncts and
 * disjunctions of them; `undefined` when the guard does not pin `v` down.
 */
export function pinnedValues(e: BoolExpr, v: VarId): Set<number> | undefined {
  switch (e.k) {
    case 'eq': {
      const vc = varConst(e.a, e.b);
      if (vc && vc[0] === v) return new Set([vc[1]]);
      return undefined;
    }
    case 'false':
      return new Set();
    case 'and': {
      let acc: Set<number> | undefined;
      for (const a of e.args) {
        const p = pinnedValues(a, v);
        if (!p) continue;
        acc = acc ? new Set([...acc].filter((x) => p.has(x))) : p;
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<number>();
      for (const a of e.args) {
        const p = pinnedValues(a, v);
        if (!p) return undefined;
        for (const x of p) acc.add(x);
      }
      return acc;
    }
    default:
      return undefined;
  }
}

/** The values an update expression can produce, when it is built from constants. */
export function constValues(e: IntExpr): Set<number> | undefined {
  if (e.k === 'const') return new Set([e.v]);
  if (e.k === 'ite') {
    const t = constValues(e.t);
    const f = constValues(e.e);
    if (!t || !f) return undefined;
    return new Set([...t, ...f]);
  }
  return undefined;
}
