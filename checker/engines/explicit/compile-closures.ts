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
import { unreachable } from '../../../model/ir.js';

/** The unpacked state a closure reads: `s[v]` is the value of variable v. */
export type Vals = Int32Array;
export type IntFn = (s: Vals) => number;
export type BoolFn = (s: Vals) => boolean;

export function compileInt(e: IntExpr): IntFn {
  switch (e.k) {
    case 'const': {
      const c = e.v;
      return () => c;
    }
    case 'var': {
      const v = e.v;
      return (s) => s[v];
    }
    case 'add': {
      if (e.b.k === 'const') {
        const a = compileInt(e.a);
        const c = e.b.v;
        return (s) => a(s) + c;
      }
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) + b(s);
    }
    case 'sub': {
      if (e.b.k === 'const') {
        const a = compileInt(e.a);
        const c = e.b.v;
        return (s) => a(s) - c;
      }
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) - b(s);
    }
    case 'bitor': {
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) | b(s);
    }
    case 'bitand': {
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) & b(s);
    }
    case 'bitclear': {
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) & ~b(s);
    }
    case 'ite': {
      const c = compileBool(e.c);
      const t = compileInt(e.t);
      const f = compileInt(e.e);
      return (s) => (c(s) ? t(s) : f(s));
    }
    default:
      return unreachable(e);
  }
}

export function compileBool(e: BoolExpr): BoolFn {
  switch (e.k) {
    case 'true':
      return () => true;
    case 'false':
      return () => false;
    case 'eq': {
      const vc = varConst(e.a, e.b);
      if (vc) {
        const [v, c] = vc;
        return (s) => s[v] === c;
      }
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) === b(s);
    }
    case 'ne': {
      const vc = varConst(e.a, e.b);
      if (vc) {
        const [v, c] = vc;
        return (s) => s[v] !== c;
      }
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) !== b(s);
    }
    case 'lt': {
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) < b(s);
    }
    case 'le': {
      const a = compileInt(e.a);
      const b = compileInt(e.b);
      return (s) => a(s) <= b(s);
    }
    case 'bit': {
      // Values are below 2^31, so bits 31 and up are never set.
      if (e.bit > 30) return () => false;
      const a = compileInt(e.a);
      const m = 1 << e.bit;
      return (s) => (a(s) & m) !== 0;
    }
    case 'and': {
      const fs = e.args.map(compileBool);
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
    }
    case 'or': {
      const fs = e.args.map(compileBool);
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
    }
    case 'not': {
      const a = compileBool(e.a);
      return (s) => !a(s);
    }
    default:
      return unreachable(e);
  }
}

function varConst(a: IntExpr, b: IntExpr): [VarId, number] | undefined {
  if (a.k === 'var' && b.k === 'const') return [a.v, b.v];
  if (a.k === 'const' && b.k === 'var') return [b.v, a.v];
  return undefined;
}

/** Every variable an expression reads. */
export function varsOfInt(e: IntExpr, out: Set<VarId> = new Set()): Set<VarId> {
  switch (e.k) {
    case 'const':
      return out;
    case 'var':
      out.add(e.v);
      return out;
    case 'add':
    case 'sub':
    case 'bitor':
    case 'bitand':
    case 'bitclear':
      varsOfInt(e.a, out);
      varsOfInt(e.b, out);
      return out;
    case 'ite':
      varsOfBool(e.c, out);
      varsOfInt(e.t, out);
      varsOfInt(e.e, out);
      return out;
    default:
      return unreachable(e);
  }
}

export function varsOfBool(e: BoolExpr, out: Set<VarId> = new Set()): Set<VarId> {
  switch (e.k) {
    case 'true':
    case 'false':
      return out;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
      varsOfInt(e.a, out);
      varsOfInt(e.b, out);
      return out;
    case 'bit':
      varsOfInt(e.a, out);
      return out;
    case 'and':
    case 'or':
      for (const a of e.args) varsOfBool(a, out);
      return out;
    case 'not':
      varsOfBool(e.a, out);
      return out;
    default:
      return unreachable(e);
  }
}

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
