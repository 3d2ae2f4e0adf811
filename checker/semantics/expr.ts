/**
 * Small constructors and utilities for the expression language of
 * system.ts. The compiler, the properties compiler and the tests build
 * every guard and update through these, so constant folding and
 * flattening happen in one place and the JSON dump stays readable.
 */

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

/** Variables an expression reads, added to `into`. */
export function intVars(e: IntExpr, into: Set<VarId>): Set<VarId> {
  switch (e.k) {
    case 'const':
      return into;
    case 'var':
      into.add(e.v);
      return into;
    case 'add':
    case 'sub':
    case 'bitor':
    case 'bitand':
    case 'bitclear':
      intVars(e.a, into);
      intVars(e.b, into);
      return into;
    case 'ite':
      boolVars(e.c, into);
      intVars(e.t, into);
      intVars(e.e, into);
      return into;
  }
}

export function boolVars(e: BoolExpr, into: Set<VarId>): Set<VarId> {
  switch (e.k) {
    case 'true':
    case 'false':
      return into;
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
      intVars(e.a, into);
      intVars(e.b, into);
      return into;
    case 'bit':
      intVars(e.a, into);
      return into;
    case 'and':
    case 'or':
      for (const a of e.args) boolVars(a, into);
      return into;
    case 'not':
      boolVars(e.a, into);
      return into;
  }
}

/** Bits needed to hold `max` (at least 1). */
export function widthFor(max: number): number {
  let w = 1;
  while (w < 32 && max > 2 ** w - 1) w++;
  return w;
}
