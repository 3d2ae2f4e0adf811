/**
 * Helpers over the TypeScript syntax tree: no model knowledge beyond the
 * names of kernel APIs (to tell helper calls from operations).
 */

import type { ts as TS } from 'ts-morph';
import { ts } from './typescript.js';
import { FRONTEND_LIMITS } from '../diagnostics.js';
import type { InstanceKind } from '../ir.js';
import { API_BY_NAME } from '../vocabulary.js';

/** A statement, or one declarator of a `const` statement (so continuations can be specialised per binding). */
export type Item = { kind: 'stmt'; s: TS.Statement } | { kind: 'decl'; d: TS.VariableDeclaration };

export function isCallTo(e: TS.CallExpression, name: string): boolean {
  return ts.isIdentifier(e.expression) && e.expression.text === name;
}

export function skipParens(e: TS.Expression): TS.Expression {
  let x = e;
  for (let i = 0; i < 10000 && (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x) || ts.isSatisfiesExpression(x) || ts.isTypeAssertionExpression(x)); i++) x = x.expression;
  return x;
}

export function flatten(stmts: TS.NodeArray<TS.Statement>): Item[] {
  const out: Item[] = [];
  for (const s of stmts) {
    if (ts.isVariableStatement(s) && s.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of s.declarationList.declarations) out.push({ kind: 'decl', d });
    } else out.push({ kind: 'stmt', s });
  }
  return out;
}

export function collectDeclared(fn: TS.FunctionDeclaration): Map<string, TS.VariableDeclaration> {
  const m = new Map<string, TS.VariableDeclaration>();
  const visit = (n: TS.Node, depth: number): void => {
    if (depth > FRONTEND_LIMITS.maxDepth * 2) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && !m.has(n.name.text)) m.set(n.name.text, n);
    if (ts.isFunctionLike(n) && n !== fn) return;
    n.forEachChild((c) => visit(c, depth + 1));
  };
  if (fn.body) visit(fn.body, 0);
  return m;
}

/** Is `name` tested (if/switch condition or a helper argument) in items[from..]? */
export function usedInCondition(name: string, items: Item[], from: number): boolean {
  let found = false;
  const mentions = (n: TS.Node, depth: number): boolean => {
    if (depth > FRONTEND_LIMITS.maxDepth * 2) return true;
    if (ts.isIdentifier(n) && n.text === name) return true;
    return !!n.forEachChild((c) => (mentions(c, depth + 1) ? true : undefined));
  };
  const visit = (n: TS.Node, depth: number): void => {
    if (found || depth > FRONTEND_LIMITS.maxDepth * 2) {
      found ||= depth > FRONTEND_LIMITS.maxDepth * 2;
      return;
    }
    if ((ts.isIfStatement(n) || ts.isSwitchStatement(n)) && mentions(n.expression, 0)) found = true;
    else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && !API_BY_NAME.has(n.expression.text) && n.arguments.some((x) => mentions(x, 0))) found = true;
    else if (ts.isVariableDeclaration(n) && n.initializer && !ts.isCallExpression(skipParens(n.initializer)) && mentions(n.initializer, 0)) found = true;
    else n.forEachChild((c) => visit(c, depth + 1));
  };
  for (let i = from; i < items.length && !found; i++) {
    const it = items[i]!;
    visit(it.kind === 'stmt' ? it.s : it.d, 0);
  }
  return found;
}

/** Levenshtein distance, giving up (returning `limit`) once it reaches `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return Math.min(prev[b.length]!, limit);
}


export function isAssignmentOp(k: TS.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

export function isComparison(k: TS.SyntaxKind): boolean {
  return (
    k === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    k === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    k === ts.SyntaxKind.EqualsEqualsToken ||
    k === ts.SyntaxKind.ExclamationEqualsToken ||
    k === ts.SyntaxKind.LessThanToken ||
    k === ts.SyntaxKind.LessThanEqualsToken ||
    k === ts.SyntaxKind.GreaterThanToken ||
    k === ts.SyntaxKind.GreaterThanEqualsToken
  );
}

export function binaryValue(k: TS.SyntaxKind, l: number, r: number): number | undefined {
  switch (k) {
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
      return l === r ? 1 : 0;
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken:
      return l !== r ? 1 : 0;
    case ts.SyntaxKind.LessThanToken:
      return l < r ? 1 : 0;
    case ts.SyntaxKind.LessThanEqualsToken:
      return l <= r ? 1 : 0;
    case ts.SyntaxKind.GreaterThanToken:
      return l > r ? 1 : 0;
    case ts.SyntaxKind.GreaterThanEqualsToken:
      return l >= r ? 1 : 0;
    case ts.SyntaxKind.PlusToken:
      return l + r;
    case ts.SyntaxKind.MinusToken:
      return l - r;
    case ts.SyntaxKind.AsteriskToken:
      return l * r;
    case ts.SyntaxKind.SlashToken:
      return r === 0 ? undefined : Math.trunc(l / r);
    case ts.SyntaxKind.PercentToken:
      return r === 0 ? undefined : l % r;
    case ts.SyntaxKind.BarToken:
      return l | r;
    case ts.SyntaxKind.AmpersandToken:
      return l & r;
    case ts.SyntaxKind.LessThanLessThanToken:
      return l << r;
    case ts.SyntaxKind.GreaterThanGreaterThanToken:
      return l >> r;
    default:
      return undefined;
  }
}

export function arityText([min, max]: [number, number]): string {
  const n = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  if (min === max) return n(min);
  if (max === Infinity) return `at least ${n(min)}`;
  return `${min} to ${n(max)}`;
}

export function article(kinds: readonly InstanceKind[]): string {
  return kinds.map((k) => (/^[aeiou]/.test(k) ? `an ${k}` : `a ${k}`)).join(' or ');
}

export function truncate(s: string): string {
  const one = normaliseSpace(s);
  return one.length > 40 ? one.slice(0, 37) + '...' : one;
}

export function normaliseSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function describeExpr(e: TS.Node): string {
  switch (e.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
      return 'a string';
    case ts.SyntaxKind.NumericLiteral:
      return 'a number';
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.FunctionExpression:
      return 'a closure';
    case ts.SyntaxKind.ObjectLiteralExpression:
      return 'an object literal';
    case ts.SyntaxKind.ArrayLiteralExpression:
      return 'an array literal';
    case ts.SyntaxKind.NewExpression:
      return "a 'new' expression";
    case ts.SyntaxKind.ClassExpression:
      return 'a class';
    case ts.SyntaxKind.PropertyAccessExpression:
      return 'a property access';
    case ts.SyntaxKind.ElementAccessExpression:
      return 'an element access';
    case ts.SyntaxKind.CallExpression:
      return 'a call';
    case ts.SyntaxKind.AwaitExpression:
      return "'await'";
    case ts.SyntaxKind.YieldExpression:
      return "'yield'";
    case ts.SyntaxKind.TaggedTemplateExpression:
      return 'a tagged template';
    case ts.SyntaxKind.NullKeyword:
      return 'null';
    case ts.SyntaxKind.ThisKeyword:
      return "'this'";
    case ts.SyntaxKind.Identifier:
      return `'${(e as TS.Identifier).text}'`;
    case ts.SyntaxKind.BinaryExpression:
      return 'an arithmetic expression';
    case ts.SyntaxKind.ConditionalExpression:
      return 'a conditional expression';
    case ts.SyntaxKind.TypeOfExpression:
      return "'typeof'";
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.PostfixUnaryExpression:
      return 'a unary expression';
    default:
      return `a ${ts.SyntaxKind[e.kind] ?? 'construct'}`;
  }
}

export function statementName(s: TS.Statement): string {
  if (ts.isClassDeclaration(s)) return 'class';
  if (ts.isWhileStatement(s)) return "'while' loop";
  if (ts.isDoStatement(s)) return "'do ... while' loop";
  if (ts.isTryStatement(s)) return "'try' statement";
  if (ts.isThrowStatement(s)) return "'throw' statement";
  if (ts.isLabeledStatement(s)) return 'label';
  if (ts.isWithStatement(s)) return "'with' statement";
  if (ts.isDebuggerStatement(s)) return "'debugger' statement";
  if (ts.isInterfaceDeclaration(s)) return 'interface declaration';
  if (ts.isTypeAliasDeclaration(s)) return 'type alias';
  if (ts.isEnumDeclaration(s)) return 'enum';
  if (ts.isModuleDeclaration(s)) return 'namespace';
  if (ts.isImportEqualsDeclaration(s)) return "'import =' (require)";
  if (ts.isExportAssignment(s)) return "'export default' / 'export ='";
  if (ts.isIfStatement(s)) return "'if' statement";
  if (ts.isForStatement(s) || ts.isForOfStatement(s) || ts.isForInStatement(s)) return "'for' loop";
  if (ts.isSwitchStatement(s)) return "'switch' statement";
  if (ts.isReturnStatement(s)) return "'return' statement";
  if (ts.isBlock(s)) return 'block';
  return ts.SyntaxKind[s.kind] ?? 'statement';
}
