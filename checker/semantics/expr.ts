/**
 * Small constructors and utilities for the expression language of
 * system.ts. The compiler, the properties compiler and the tests build
 * every guard and update through these, so constant folding and
 * flattening happen in one place and the JSON dump stays readable.
 */

import { unreachable } from '../../model/ir.js';
import type { BoolExpr, IntExpr, VarId } from './system.js';

export const TRUE: BoolExpr = { k: 'true' };
export const FALSE: BoolExpr = { k: 'false' };

export function cnst(v: number): IntExpr {
  return { k: 'const', v };
}

export function vr(v: VarId): IntExpr {
  return { k: 'var', v };
}

function isConst(e: IntExpr): e is { k: 'const'; v: number } {
  return e.k === 'const';
}

export function add(a: IntExpr, b: IntExpr): IntExpr {
  if (isConst(a) && isConst(b)) return cnst(a.v + b.v);
  if (isConst(b) && b.v === 0) return a;
  return { k: 'add', a, b };
}

export function sub(a: IntExpr, b: IntExpr): IntExpr {
  if (isConst(a) && isConst(b)) return cnst(a.v - b.v);
  if (isConst(b) && b.v === 0) return a;
  return { k: 'sub', a, b };
}

export function bitor(a: IntExpr, b: IntExpr): IntExpr {
  if (isConst(a) && isConst(b)) return cnst((a.v | b.v) >>> 0);
  if (isConst(b) && b.v === 0) return a;
  return { k: 'bitor', a, b };
}

export function bitand(a: IntExpr, b: IntExpr): IntExpr {
  if (isConst(a) && isConst(b)) return cnst((a.v & b.v) >>> 0);
  return { k: 'bitand', a, b };
}

/** a & ~b */
export function bitclear(a: IntExpr, b: IntExpr): IntExpr {
  if (isConst(a) && isConst(b)) return cnst((a.v & ~b.v) >>> 0);
  if (isConst(b) && b.v === 0) return a;
  return { k: 'bitclear', a, b };
}

export function ite(c: BoolExpr, t: IntExpr, e: IntExpr): IntExpr {
  if (c.k === 'true') return t;
  if (c.k === 'false') return e;
  if (isConst(t) && isConst(e) && t.v === e.v) return t;
  return { k: 'ite', c, t, e };
}

export function eq(a: IntExpr, b: IntExpr): BoolExpr {
  if (isConst(a) && isConst(b)) return a.v === b.v ? TRUE : FALSE;
  return { k: 'eq', a, b };
}

export function ne(a: IntExpr, b: IntExpr): BoolExpr {
  if (isConst(a) && isConst(b)) return a.v !== b.v ? TRUE : FALSE;
  return { k: 'ne', a, b };
}

export function lt(a: IntExpr, b: IntExpr): BoolExpr {
  if (isConst(a) && isConst(b)) return a.v < b.v ? TRUE : FALSE;
  return { k: 'lt', a, b };
}

export function le(a: IntExpr, b: IntExpr): BoolExpr {
  if (isConst(a) && isConst(b)) return a.v <= b.v ? TRUE : FALSE;
  return { k: 'le', a, b };
}

export function bit(a: IntExpr, b: number): BoolExpr {
  if (isConst(a)) return ((a.v >>> b) & 1) === 1 ? TRUE : FALSE;
  return { k: 'bit', a, bit: b };
}

/** Conjunction with `true` dropped, nested `and`s flattened, `false` absorbing. */
export function and(...args: BoolExpr[]): BoolExpr {
  const out: BoolExpr[] = [];
  for (const a of args) {
    if (a.k === 'true') continue;
    if (a.k === 'false') return FALSE;
    if (a.k === 'and') out.push(...a.args);
    else out.push(a);
  }
  if (out.length === 0) return TRUE;
  if (out.length === 1) return out[0]!;
  return { k: 'and', args: out };
}

export function or(...args: BoolExpr[]): BoolExpr {
  const out: BoolExpr[] = [];
  for (const a of args) {
    if (a.k === 'false') continue;
    if (a.k === 'true') return TRUE;
    if (a.k === 'or') out.push(...a.args);
    else out.push(a);
  }
  if (out.length === 0) return FALSE;
  if (out.length === 1) return out[0]!;
  return { k: 'or', args: out };
}

export function not(a: BoolExpr): BoolExpr {
  if (a.k === 'true') return FALSE;
  if (a.k === 'false') return TRUE;
  if (a.k === 'not') return a.a;
  if (a.k === 'eq') return { k: 'ne', a: a.a, b: a.b };
  if (a.k === 'ne') return { k: 'eq', a: a.a, b: a.b };
  return { k: 'not', a };
}

// ---------------------------------------------------------------------------
// The one walk over expressions.

type IntNode<K extends IntExpr['k']> = Extract<IntExpr, { k: K }>;
type BoolNode<K extends BoolExpr['k']> = Extract<BoolExpr, { k: K }>;

/**
 * What to make of each node kind, given the node itself and its children
 * already folded (`I` for integer children, `B` for boolean ones). Every
 * evaluator, closure compiler, encoder, simplifier and printer of the
 * expression language is one of these; a case may look at the node's own
 * children (`e.a.k === 'var'`) to specialise.
 */
export interface ExprAlgebra<I, B> {
  const(e: IntNode<'const'>): I;
  var(e: IntNode<'var'>): I;
  add(e: IntNode<'add'>, a: I, b: I): I;
  sub(e: IntNode<'sub'>, a: I, b: I): I;
  bitor(e: IntNode<'bitor'>, a: I, b: I): I;
  bitand(e: IntNode<'bitand'>, a: I, b: I): I;
  bitclear(e: IntNode<'bitclear'>, a: I, b: I): I;
  ite(e: IntNode<'ite'>, c: B, t: I, f: I): I;
  true(e: BoolNode<'true'>): B;
  false(e: BoolNode<'false'>): B;
  eq(e: BoolNode<'eq'>, a: I, b: I): B;
  ne(e: BoolNode<'ne'>, a: I, b: I): B;
  lt(e: BoolNode<'lt'>, a: I, b: I): B;
  le(e: BoolNode<'le'>, a: I, b: I): B;
  bit(e: BoolNode<'bit'>, a: I): B;
  and(e: BoolNode<'and'>, args: B[]): B;
  or(e: BoolNode<'or'>, args: B[]): B;
  not(e: BoolNode<'not'>, a: B): B;
}

/**
 * Folds `e` bottom-up. Children are folded left to right, except that an
 * `ite` folds its branches before its condition: the BMC encoder makes Z3
 * terms in fold order, and Z3's choices depend on the order terms are
 * created in, so this keeps the order its hand-written walk had.
 */
export function foldInt<I, B>(e: IntExpr, alg: ExprAlgebra<I, B>): I {
  switch (e.k) {
    case 'const':
      return alg.const(e);
    case 'var':
      return alg.var(e);
    case 'add':
      return alg.add(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'sub':
      return alg.sub(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'bitor':
      return alg.bitor(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'bitand':
      return alg.bitand(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'bitclear':
      return alg.bitclear(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'ite': {
      const t = foldInt(e.t, alg);
      const f = foldInt(e.e, alg);
      return alg.ite(e, foldBool(e.c, alg), t, f);
    }
    default:
      return unreachable(e);
  }
}

export function foldBool<I, B>(e: BoolExpr, alg: ExprAlgebra<I, B>): B {
  switch (e.k) {
    case 'true':
      return alg.true(e);
    case 'false':
      return alg.false(e);
    case 'eq':
      return alg.eq(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'ne':
      return alg.ne(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'lt':
      return alg.lt(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'le':
      return alg.le(e, foldInt(e.a, alg), foldInt(e.b, alg));
    case 'bit':
      return alg.bit(e, foldInt(e.a, alg));
    case 'and':
      return alg.and(e, e.args.map((x) => foldBool(x, alg)));
    case 'or':
      return alg.or(e, e.args.map((x) => foldBool(x, alg)));
    case 'not':
      return alg.not(e, foldBool(e.a, alg));
    default:
      return unreachable(e);
  }
}

/** Either kind of expression (the two kind sets are disjoint). */
export function isBoolExpr(e: IntExpr | BoolExpr): e is BoolExpr {
  switch (e.k) {
    case 'true':
    case 'false':
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'bit':
    case 'and':
    case 'or':
    case 'not':
      return true;
    default:
      return false;
  }
}

const NO_VARS: readonly VarId[] = [];

/** Lists joined without copying when one side is empty (the common case: `var == const`). */
function cat(a: readonly VarId[], b: readonly VarId[]): readonly VarId[] {
  return a.length === 0 ? b : b.length === 0 ? a : a.concat(b);
}

/**
 * The variables read, as a list in left-to-right order of the leaves (an
 * `ite` lists its condition first), so footprints keep the order their
 * readers have always seen whatever order the fold runs in. Lists are
 * shared between nodes, never mutated.
 */
const VARS: ExprAlgebra<readonly VarId[], readonly VarId[]> = {
  const: () => NO_VARS,
  var: (e) => [e.v],
  add: (_, a, b) => cat(a, b),
  sub: (_, a, b) => cat(a, b),
  bitor: (_, a, b) => cat(a, b),
  bitand: (_, a, b) => cat(a, b),
  bitclear: (_, a, b) => cat(a, b),
  ite: (_, c, t, f) => cat(c, cat(t, f)),
  true: () => NO_VARS,
  false: () => NO_VARS,
  eq: (_, a, b) => cat(a, b),
  ne: (_, a, b) => cat(a, b),
  lt: (_, a, b) => cat(a, b),
  le: (_, a, b) => cat(a, b),
  bit: (_, a) => a,
  and: (_, args) => args.reduce(cat, NO_VARS),
  or: (_, args) => args.reduce(cat, NO_VARS),
  not: (_, a) => a,
};

/** Variables an expression reads, added to `into`. The one such function: every footprint comes from here. */
export function intVars(e: IntExpr, into: Set<VarId> = new Set()): Set<VarId> {
  for (const v of foldInt(e, VARS)) into.add(v);
  return into;
}

export function boolVars(e: BoolExpr, into: Set<VarId> = new Set()): Set<VarId> {
  for (const v of foldBool(e, VARS)) into.add(v);
  return into;
}

/** Variables of any number of expressions of either kind. */
export function exprVars(es: Iterable<IntExpr | BoolExpr>, into: Set<VarId> = new Set()): Set<VarId> {
  for (const e of es) {
    if (isBoolExpr(e)) boolVars(e, into);
    else intVars(e, into);
  }
  return into;
}

/** Bits needed to hold `max` (at least 1). */
export function widthFor(max: number): number {
  let w = 1;
  while (w < 32 && max > 2 ** w - 1) w++;
  return w;
}
