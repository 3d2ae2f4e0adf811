/**
 * Control flow of function bodies: statements, blocks, branches, bounded
 * `for` loops (unrolled), `switch`, `return`/`break`/`continue`, helpers
 * inlined with their arguments bound, `const r = op(...)` continuations
 * specialised per outcome, and the conditions and values that steer them.
 * Each construct consumes the dangling edges that reach it and returns the
 * edges that leave it (graph.ts); kernel API calls are lowered by
 * api-calls.ts.
 */

import type { ts as TS } from 'ts-morph';
import { ts } from './typescript.js';
import { FRONTEND_LIMITS } from '../diagnostics.js';
import { checkBudget } from '../budget.js';
import { API_BY_NAME, CONSTRUCTOR_BY_NAME, GFP_BY_NAME, VALUE_CONSTANTS } from '../vocabulary.js';
import { compileApi } from './api-calls.js';
import {
  TOP_ONLY,
  checkCallee,
  constValue,
  didYouMean,
  noSpread,
  tryGfp,
  tryInstanceRef,
  tryList,
  unknownIdentifier,
} from './arguments.js';
import type { ExtractContext, ProcBuild } from './context.js';
import { ENTRY, mergePairs, ProcAbort, type Edge, type Pair } from './graph.js';
import { Abort, Env, type Binding, type Frame } from './scope.js';
import {
  binaryValue,
  collectDeclared,
  describeExpr,
  flatten,
  isAssignmentOp,
  isComparison,
  skipParens,
  statementName,
  truncate,
  usedInCondition,
  type Item,
} from './syntax.js';

/**
 * The edges to go on with after a statement was refused: the same ones, so
 * later statements are still checked, except the proc entry when the
 * refused statement already created node 0 (the entry is patched once).
 */
function afterAbort(inc: Edge[], nodesBefore: number, p: ProcBuild): Edge[] {
  return p.graph.nodes.length > nodesBefore ? inc.filter((e) => e.n !== -1) : inc;
}

/** A proc's graph from its function body; a proc over the size limit is reported and left out. */
export function compileProc(cx: ExtractContext, p: ProcBuild): void {
  const env = new Env(cx.global);
  for (const prm of p.decl.parameters) {
    if (!ts.isIdentifier(prm.name)) {
      cx.report('LMC102', 'unsupported construct: destructuring parameter', prm, 'name the parameter');
      continue;
    }
    env.set(prm.name.text, { kind: 'opaque', what: `a parameter of ${p.role === 'thread' ? 'thread' : p.role + ' callback'} '${p.name}', which has no value` });
  }
  const frame: Frame = { returns: [], breaks: [], continues: [], chain: [], stack: [p.name], declared: collectDeclared(p.decl) };
  const g = p.graph;
  try {
    const out = compileItems(cx, flatten(p.decl.body!.statements), 0, env, [ENTRY], frame, p, 1);
    const endNode = p.decl.body!.getLastToken(cx.sf) ?? p.decl.body!;
    g.addEnd([...out, ...frame.returns], cx.loc(endNode));
  } catch (e) {
    if (e instanceof ProcAbort) {
      if (e.reported) return;
      cx.report(
        'LMC105',
        `'${p.name}' is too large after unrolling loops and inlining helpers (limit: ${FRONTEND_LIMITS.maxNodesPerProc} nodes per proc)`,
        p.decl.name,
        'reduce loop bounds or split the function; a bound of 2 or 3 shows almost every locking bug',
      );
      return;
    }
    if (e instanceof Abort) return;
    throw e;
  }
}

function tick(cx: ExtractContext, p: ProcBuild): void {
  // Specialised continuations can be re-compiled many times without
  // adding nodes; bound the work as well as the size.
  if (++p.graph.work > FRONTEND_LIMITS.maxNodesPerProc * 10) throw new ProcAbort();
  if ((p.graph.work & 1023) === 0) checkBudget(cx.budget, 'front end');
}

/** Statements and `const` declarations in order; a multi-valued `const r = op(...)` tested later specialises the rest per value. */
function compileItems(cx: ExtractContext, items: Item[], idx: number, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
  for (; idx < items.length; idx++) {
    if (inc.length === 0) return inc;
    tick(cx, p);
    const it = items[idx]!;
    const before = p.graph.nodes.length;
    if (it.kind === 'stmt') {
      try {
        inc = compileStmt(cx, it.s, env, inc, F, p, d);
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        inc = afterAbort(inc, before, p);
      }
      continue;
    }
    let res: { pairs: Pair[]; binding: Binding; name: string };
    try {
      res = compileDecl(cx, it.d, env, inc, F, p, d);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      inc = afterAbort(inc, before, p);
      if (ts.isIdentifier(it.d.name)) env.set(it.d.name.text, { kind: 'poison' });
      continue;
    }
    const { pairs, binding, name } = res;
    if (pairs.length > 1 && usedInCondition(name, items, idx + 1)) {
      const out: Edge[] = [];
      for (const pr of pairs) {
        const env2 = new Env(env);
        env2.set(name, binding.kind === 'instance' ? { kind: 'instance', id: binding.id, value: pr.value } : { kind: 'value', value: pr.value });
        // One level deeper per specialised binding: bounds the recursion.
        cx.depthCheck(d + 1, it.d);
        out.push(...compileItems(cx, items, idx + 1, env2, pr.edges, F, p, d + 1));
      }
      return out;
    }
    env.set(name, pairs.length === 1 && binding.kind !== 'instance' && binding.kind !== 'seq' && binding.kind !== 'gfp' && binding.kind !== 'null' ? { kind: 'value', value: pairs[0]!.value } : binding);
    inc = pairs.flatMap((x) => x.edges);
  }
  return inc;
}

/** `const name = ...` in a body: what `name` binds, and the values it has on each path. */
function compileDecl(cx: ExtractContext, decl: TS.VariableDeclaration, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): { pairs: Pair[]; binding: Binding; name: string } {
  if (!ts.isIdentifier(decl.name)) cx.unsupported('destructuring', decl.name, 'bind one value per `const`');
  const name = decl.name.text;
  if (!decl.initializer) cx.unsupported('declaration without initializer', decl, `write \`const ${name} = op(...);\``);
  const e = skipParens(decl.initializer);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
    const callee = e.expression.text;
    const api = API_BY_NAME.get(callee);
    if (api) {
      const r = compileApi(cx, api, e, env, inc, F, p, d, name, decl.name);
      if (r.created !== undefined) return { pairs: r.pairs, binding: { kind: 'instance', id: r.created }, name };
      if (r.seq !== undefined) return { pairs: r.pairs, binding: { kind: 'seq', notifier: r.seq }, name };
      return { pairs: r.pairs, binding: { kind: 'opaque', what: `the result of ${callee}()` }, name };
    }
  }
  const gfp = tryGfp(e, env);
  if (gfp) return { pairs: [{ edges: inc, value: 1 }], binding: { kind: 'gfp', names: gfp }, name };
  const alias = tryInstanceRef(cx, e, env);
  if (alias !== undefined) {
    const b = ts.isIdentifier(e) ? env.get(e.text) : undefined;
    const value = b?.kind === 'instance' ? b.value : undefined;
    return { pairs: [{ edges: inc, value: value ?? 1 }], binding: { kind: 'instance', id: alias, value }, name };
  }
  if (e.kind === ts.SyntaxKind.NullKeyword) return { pairs: [{ edges: inc, value: 0 }], binding: { kind: 'null' }, name };
  const list = tryList(cx, e, env);
  if (list) return { pairs: [{ edges: inc, value: 1 }], binding: { kind: 'list', items: list }, name };
  if (ts.isIdentifier(e)) {
    const b = env.get(e.text);
    if (b && b.kind !== 'value') return { pairs: [{ edges: inc, value: 1 }], binding: b, name };
  }
  const pairs = compileValue(cx, e, env, inc, F, p, d + 1);
  return { pairs, binding: { kind: 'opaque', what: 'a value' }, name };
}

function compileStmt(cx: ExtractContext, s: TS.Statement, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
  cx.depthCheck(d, s);
  if (inc.length === 0) return inc;
  tick(cx, p);
  if (ts.isBlock(s)) return compileItems(cx, flatten(s.statements), 0, new Env(env), inc, F, p, d + 1);
  if (ts.isExpressionStatement(s)) return compileExprStmt(cx, s.expression, env, inc, F, p, d + 1);
  if (ts.isVariableStatement(s)) {
    // Reached only for `let`/`var` (consts are flattened into items).
    cx.unsupported(`'${s.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}' declaration`, s, 'bind values with `const`; a model has no mutable variables');
  }
  if (ts.isIfStatement(s)) {
    const c = compileCond(cx, s.expression, env, inc, F, p, d + 1);
    const t = compileStmt(cx, s.thenStatement, new Env(env), c.t, F, p, d + 1);
    const f = s.elseStatement ? compileStmt(cx, s.elseStatement, new Env(env), c.f, F, p, d + 1) : c.f;
    return [...t, ...f];
  }
  if (ts.isForStatement(s)) return compileFor(cx, s, env, inc, F, p, d + 1);
  if (ts.isSwitchStatement(s)) return compileSwitch(cx, s, env, inc, F, p, d + 1);
  if (ts.isReturnStatement(s)) {
    let out = inc;
    if (s.expression) {
      // The returned value means nothing to a thread or callback; only a
      // call in the return expression is an operation.
      const e = skipParens(s.expression);
      if (F.values) {
        F.values.push(...compileValue(cx, e, env, inc, F, p, d + 1));
        return [];
      }
      if (ts.isCallExpression(e)) out = compileExprStmt(cx, e, env, inc, F, p, d + 1);
    }
    F.returns.push(...out);
    return [];
  }
  if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
    const kw = ts.isBreakStatement(s) ? 'break' : 'continue';
    if (s.label) cx.unsupported(`labelled ${kw}`, s, `use an unlabelled ${kw}`);
    if (ts.isBreakStatement(s)) {
      const tgt = F.breaks[F.breaks.length - 1];
      if (!tgt) cx.unsupported('break outside a loop or switch', s, 'use `return` to leave the function');
      tgt.push(...inc);
    } else {
      let tgt: Edge[] | null | undefined;
      for (let i = F.continues.length - 1; i >= 0; i--) {
        if (F.continues[i]) {
          tgt = F.continues[i];
          break;
        }
      }
      if (!tgt) cx.unsupported('continue outside a loop', s, 'use `return` to leave the function');
      tgt.push(...inc);
    }
    return [];
  }
  if (ts.isEmptyStatement(s)) return inc;
  const kw = s.getFirstToken(cx.sf) ?? s;
  if (ts.isWhileStatement(s) || ts.isDoStatement(s)) {
    cx.unsupported(`'${ts.isWhileStatement(s) ? 'while' : 'do ... while'}' loop`, kw, 'write a bounded loop: `for (let i = 0; i < 3; i++) { ... }`');
  }
  if (ts.isForOfStatement(s) || ts.isForInStatement(s)) {
    cx.fail('LMC103', `unbounded loop: '${ts.isForOfStatement(s) ? 'for ... of' : 'for ... in'}' has no constant bound`, kw, 'write `for (let i = 0; i < N; i++)` with N a number or a top-level const');
  }
  if (ts.isFunctionDeclaration(s)) cx.unsupported('closure (nested function)', s.name ?? kw, 'declare helpers at top level; they are inlined where called');
  if (ts.isClassDeclaration(s)) cx.unsupported('class', kw, 'a model has no classes: declare instances at top level');
  cx.unsupported(statementName(s), kw, 'see docs/model-language.md for the statements a model may use');
}

function compileExprStmt(cx: ExtractContext, expr: TS.Expression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
  cx.depthCheck(d, expr);
  const e = skipParens(expr);
  if (ts.isCallExpression(e)) {
    noSpread(cx, e);
    checkCallee(cx, e);
    const callee = (e.expression as TS.Identifier).text;
    const fn = cx.functions.get(callee);
    if (fn && !env.get(callee)) return inline(cx, fn.decl, e, env, inc, F, p, d + 1);
    return compileValue(cx, e, env, inc, F, p, d + 1).flatMap((x) => x.edges);
  }
  if (ts.isBinaryExpression(e) && isAssignmentOp(e.operatorToken.kind)) {
    const target = skipParens(e.left);
    const what = ts.isIdentifier(target) && env.get(target.text)?.kind === 'instance' ? 'assignment to an instance' : 'assignment';
    cx.unsupported(what, e, 'bind values once with `const`; instances are never reassigned');
  }
  if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
    cx.unsupported('assignment (increment)', e, 'a model has no mutable variables; loops are unrolled from their header');
  }
  if (ts.isDeleteExpression(e)) cx.unsupported('delete', e, 'a model has no objects to delete');
  if (ts.isNewExpression(e)) cx.unsupported('new', e, 'declare instances with constructors at top level: `const l = mutex();`');
  if (ts.isVoidExpression(e)) cx.unsupported('void', e, 'call the operation directly');
  // Bare expressions have no effect; refusing them catches typos such as `mutex_lock;`.
  cx.unsupported(`expression statement (${describeExpr(e)})`, e, 'a statement is an operation call, a helper call, a declaration or control flow');
}

function inline(cx: ExtractContext, decl: TS.FunctionDeclaration, call: TS.CallExpression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
  return inlineCall(cx, decl, call, env, inc, F, p, d, false).flatMap((x) => x.edges);
}

/**
 * Inline a helper. For its value (`if (helper())`, `const r = helper()`),
 * each `return e;` contributes e's values on its paths and falling off
 * the end returns 0 (C's `void`/`NULL` reads as false).
 */
function inlineCall(cx: ExtractContext, decl: TS.FunctionDeclaration, call: TS.CallExpression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number, wantValue: boolean): Pair[] {
  const name = decl.name!.text;
  if (F.stack.includes(name)) {
    const cycle = [...F.stack.slice(F.stack.indexOf(name)), name].join(' -> ');
    cx.fail('LMC203', `recursion: ${cycle}`, call, 'helpers are inlined, so they cannot recurse; unroll the recursion by hand');
  }
  if (F.stack.length > FRONTEND_LIMITS.maxInlineDepth) {
    cx.report('LMC105', `helper calls nested more than ${FRONTEND_LIMITS.maxInlineDepth} deep (the inlining limit)`, call, 'flatten the helper chain');
    throw new ProcAbort(true);
  }
  const params = decl.parameters;
  if (call.arguments.length !== params.length) {
    cx.fail('LMC202', `${name} expects ${params.length} argument${params.length === 1 ? '' : 's'}, got ${call.arguments.length}`, call, `call it as \`${name}(${params.map((x) => x.name.getText(cx.sf)).join(', ')})\``);
  }
  const callee = new Env(cx.global);
  params.forEach((prm, i) => {
    if (!ts.isIdentifier(prm.name)) cx.unsupported('destructuring parameter', prm, 'name the parameter');
    if (prm.initializer) cx.unsupported('default parameter value', prm, 'pass every argument explicitly');
    callee.set(prm.name.text, argBinding(cx, call.arguments[i]!, env, F));
  });
  const frame: Frame = {
    returns: [],
    breaks: [],
    continues: [],
    chain: [...F.chain, cx.loc(call)],
    stack: [...F.stack, name],
    declared: collectDeclared(decl),
  };
  if (wantValue) frame.values = [];
  const out = compileItems(cx, flatten(decl.body!.statements), 0, callee, inc, frame, p, d + 1);
  if (!wantValue) return [{ edges: [...out, ...frame.returns], value: 0 }];
  return mergePairs([...frame.values!, { edges: [...out, ...frame.returns], value: 0 }].filter((x) => x.edges.length > 0));
}

/** What a helper parameter is bound to: the argument's binding, resolved now. */
function argBinding(cx: ExtractContext, a: TS.Expression, env: Env, F: Frame): Binding {
  const e = skipParens(a);
  if (ts.isIdentifier(e)) {
    const b = env.get(e.text);
    if (b) return b;
    if (Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, e.text)) return { kind: 'value', value: VALUE_CONSTANTS[e.text]! };
    if (GFP_BY_NAME.has(e.text)) return { kind: 'gfp', names: [e.text] };
    unknownIdentifier(cx, e, F);
  }
  if (e.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null' };
  const inst = tryInstanceRef(cx, e, env);
  if (inst !== undefined) return { kind: 'instance', id: inst };
  const gfp = tryGfp(e, env);
  if (gfp) return { kind: 'gfp', names: gfp };
  const v = constValue(cx, e, env);
  if (v !== undefined) return { kind: 'value', value: v };
  if (ts.isPropertyAccessExpression(e)) cx.unsupported(`property access '${truncate(e.getText(cx.sf))}'`, e, 'the only property in a model is `buf.resv`');
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) cx.unsupported('closure', e, 'declare the callback as a top-level function');
  if (ts.isCallExpression(e)) cx.unsupported(`nested call '${truncate(e.getText(cx.sf))}' as an argument`, e, 'bind the result first: `const x = op(...);` then pass `x`');
  cx.unsupported(describeExpr(e) + ' as a helper argument', e, 'pass instances, numbers, GFP masks or null');
}

// --- conditions and values ----------------------------------------------------

function compileCond(cx: ExtractContext, expr: TS.Expression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): { t: Edge[]; f: Edge[] } {
  cx.depthCheck(d, expr);
  const e = skipParens(expr);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const r = compileCond(cx, e.operand, env, inc, F, p, d + 1);
    return { t: r.f, f: r.t };
  }
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === ts.SyntaxKind.AmpersandAmpersandToken) {
      const a = compileCond(cx, e.left, env, inc, F, p, d + 1);
      const b = a.t.length ? compileCond(cx, e.right, env, a.t, F, p, d + 1) : { t: [], f: [] };
      return { t: b.t, f: [...a.f, ...b.f] };
    }
    if (k === ts.SyntaxKind.BarBarToken) {
      const a = compileCond(cx, e.left, env, inc, F, p, d + 1);
      const b = a.f.length ? compileCond(cx, e.right, env, a.f, F, p, d + 1) : { t: [], f: [] };
      return { t: [...a.t, ...b.t], f: b.f };
    }
  }
  const pairs = compileValue(cx, e, env, inc, F, p, d + 1);
  const t: Edge[] = [];
  const f: Edge[] = [];
  for (const pr of pairs) (pr.value !== 0 ? t : f).push(...pr.edges);
  return { t, f };
}

function compileValue(cx: ExtractContext, expr: TS.Expression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Pair[] {
  cx.depthCheck(d, expr);
  const e = skipParens(expr);
  if (ts.isNumericLiteral(e)) return [{ edges: inc, value: Number(e.text) }];
  if (e.kind === ts.SyntaxKind.TrueKeyword) return [{ edges: inc, value: 1 }];
  if (e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return [{ edges: inc, value: 0 }];
  if (ts.isIdentifier(e)) {
    const b = env.get(e.text);
    if (!b) {
      if (Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, e.text)) return [{ edges: inc, value: VALUE_CONSTANTS[e.text]! }];
      if (GFP_BY_NAME.has(e.text)) cx.unsupported(`GFP mask '${e.text}' as a value`, e, 'pass GFP masks to allocation calls');
      unknownIdentifier(cx, e, F);
    }
    switch (b.kind) {
      case 'value':
        return [{ edges: inc, value: b.value }];
      case 'instance':
        return [{ edges: inc, value: b.value ?? 1 }];
      case 'null':
        return [{ edges: inc, value: 0 }];
      case 'opaque':
        cx.fail('LMC102', `unsupported construct: testing '${e.text}', ${b.what}`, e, `branch on the operation directly, or bind it with \`const ${e.text} = op(...)\` in the same block as the test`);
      // falls through (fail never returns)
      case 'seq':
      case 'gfp':
      case 'list':
        cx.unsupported(`testing '${e.text}'`, e, 'only operation results, nondet() and constants can be tested');
    }
  }
  if (ts.isPropertyAccessExpression(e)) {
    const id = tryInstanceRef(cx, e, env);
    if (id !== undefined) return [{ edges: inc, value: 1 }];
    const len = constValue(cx, e, env);
    if (len !== undefined) return [{ edges: inc, value: len }];
    cx.unsupported(`property access '${truncate(e.getText(cx.sf))}'`, e, 'the only property in a model is a dma_buf\'s reservation, `buf.resv`');
  }
  if (ts.isPrefixUnaryExpression(e)) {
    const op = e.operator;
    if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) cx.unsupported('assignment (increment)', e, 'a model has no mutable variables');
    const inner = skipParens(e.operand);
    if (op !== ts.SyntaxKind.ExclamationToken && ts.isIdentifier(inner) && env.get(inner.text)?.kind === 'instance') cx.unsupported('arithmetic on instances', e, 'instances are not numbers');
    const pairs = compileValue(cx, e.operand, env, inc, F, p, d + 1);
    return pairs.map((x) => ({
      edges: x.edges,
      value: op === ts.SyntaxKind.MinusToken ? -x.value : op === ts.SyntaxKind.ExclamationToken ? (x.value ? 0 : 1) : op === ts.SyntaxKind.TildeToken ? ~x.value : x.value,
    }));
  }
  if (ts.isPostfixUnaryExpression(e)) cx.unsupported('assignment (increment)', e, 'a model has no mutable variables');
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (isAssignmentOp(k)) cx.unsupported('assignment', e, 'bind values once with `const`');
    if (k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken) {
      const c = compileCond(cx, e, env, inc, F, p, d + 1);
      const out: Pair[] = [];
      if (c.t.length) out.push({ edges: c.t, value: 1 });
      if (c.f.length) out.push({ edges: c.f, value: 0 });
      return out;
    }
    if (!isComparison(k)) {
      for (const side of [e.left, e.right]) {
        const s = skipParens(side);
        if (ts.isIdentifier(s) && env.get(s.text)?.kind === 'instance') cx.unsupported('arithmetic on instances', e, 'instances are not numbers');
        if (ts.isPropertyAccessExpression(s)) cx.unsupported('arithmetic on instances', e, 'instances are not numbers');
      }
    }
    if (binaryValue(k, 1, 1) === undefined) cx.unsupported(`operator '${e.operatorToken.getText(cx.sf)}'`, e.operatorToken, 'use comparisons (===, !==, <, ...), !, && and ||');
    const out: Pair[] = [];
    for (const l of compileValue(cx, e.left, env, inc, F, p, d + 1)) {
      for (const r of compileValue(cx, e.right, env, l.edges, F, p, d + 1)) {
        out.push({ edges: r.edges, value: binaryValue(k, l.value, r.value)! });
      }
    }
    return mergePairs(out);
  }
  if (ts.isCallExpression(e)) {
    noSpread(cx, e);
    checkCallee(cx, e);
    const callee = (e.expression as TS.Identifier).text;
    if (callee === 'nondet') return compileNondet(cx, e, env, inc, F, p);
    const api = API_BY_NAME.get(callee);
    if (api) return compileApi(cx, api, e, env, inc, F, p, d + 1, undefined, undefined).pairs;
    const fn = cx.functions.get(callee);
    if (fn) return inlineCall(cx, fn.decl, e, env, inc, F, p, d + 1, true);
    if (CONSTRUCTOR_BY_NAME.has(callee)) cx.unsupported(`constructor '${callee}' inside a function`, e, `declare instances at top level: \`const x = ${callee}(...);\``);
    if (TOP_ONLY.has(callee)) cx.unsupported(`'${callee}' inside a function`, e, 'registrations are written at top level');
    cx.fail('LMC201', `unknown identifier '${callee}'`, e.expression, didYouMean(cx, callee, 'call') ?? 'kernel APIs are listed in docs/model-language.md; helpers are declared as `function name() { ... }`');
  }
  if (ts.isConditionalExpression(e)) cx.unsupported('conditional expression (?:)', e, 'write an `if` statement');
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) cx.unsupported('closure', e, 'declare functions at top level; they are inlined where called');
  if (ts.isNewExpression(e)) cx.unsupported('new', e, 'declare instances with constructors at top level');
  if (ts.isClassExpression(e)) cx.unsupported('class', e, 'a model has no classes');
  if (ts.isElementAccessExpression(e)) {
    if (tryInstanceRef(cx, e, env) !== undefined) return [{ edges: inc, value: 1 }];
    cx.unsupported('element access', e, 'index a list of instances with a constant: `bos[i]` in an unrolled loop');
  }
  if (ts.isStringLiteral(e) || ts.isTemplateExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) cx.unsupported('string value', e, 'strings only name lockdep classes in constructors');
  cx.unsupported(describeExpr(e), e, 'see docs/model-language.md for the expressions a model may use');
}

function compileNondet(cx: ExtractContext, e: TS.CallExpression, env: Env, inc: Edge[], F: Frame, p: ProcBuild): Pair[] {
  let n = 2;
  if (e.arguments.length > 1) cx.fail('LMC202', `nondet expects 0 or 1 arguments, got ${e.arguments.length}`, e, 'write `nondet()` or `nondet(3)`');
  if (e.arguments.length === 1) {
    const v = constValue(cx, e.arguments[0]!, env);
    if (v === undefined || !Number.isInteger(v) || v < 2 || v > FRONTEND_LIMITS.maxDepth) {
      cx.fail('LMC202', `nondet(n) needs a constant n between 2 and ${FRONTEND_LIMITS.maxDepth}`, e.arguments[0]!, 'write `nondet(3)` for a choice among 0, 1 and 2');
    }
    n = v;
  }
  const id = p.graph.addChoice(n, inc, cx.loc(e), F.chain, F.stack.slice(1));
  if (e.arguments.length === 0) {
    // `if (nondet())`: successor 0 is the then-branch.
    return [
      { edges: [{ n: id, c: 0 }], value: 1 },
      { edges: [{ n: id, c: 1 }], value: 0 },
    ];
  }
  return Array.from({ length: n }, (_, i) => ({ edges: [{ n: id, c: i }], value: i }));
}

// --- loops and switches ---------------------------------------------------------

function compileFor(cx: ExtractContext, s: TS.ForStatement, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
  const hint = 'write `for (let i = 0; i < N; i++)` with N a number or a top-level const';
  const init = s.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) cx.fail('LMC103', 'unbounded loop: the for loop has no `let i = <constant>` initialiser', s, hint);
  const decl = init.declarations[0]!;
  if (!ts.isIdentifier(decl.name) || !decl.initializer) cx.fail('LMC103', 'unbounded loop: the for loop has no `let i = <constant>` initialiser', s, hint);
  const iv = decl.name.text;
  const start = constValue(cx, decl.initializer, env);
  if (start === undefined) cx.fail('LMC103', `non-constant loop start '${truncate(decl.initializer.getText(cx.sf))}'`, decl.initializer, hint);
  const cond = s.condition && skipParens(s.condition);
  if (!cond) cx.fail('LMC103', 'unbounded loop: the for loop has no condition', s, hint);
  if (!ts.isBinaryExpression(cond) || !isComparison(cond.operatorToken.kind) || !ts.isIdentifier(skipParens(cond.left)) || (skipParens(cond.left) as TS.Identifier).text !== iv) {
    cx.fail('LMC103', `unbounded loop: the condition must compare '${iv}' with a constant`, cond, hint);
  }
  const bound = constValue(cx, cond.right, env);
  if (bound === undefined) cx.fail('LMC103', `non-constant loop bound '${truncate(cond.right.getText(cx.sf))}'`, cond.right, hint);
  const inc2 = s.incrementor && skipParens(s.incrementor);
  let step: number | undefined;
  if (inc2 && (ts.isPostfixUnaryExpression(inc2) || ts.isPrefixUnaryExpression(inc2)) && ts.isIdentifier(inc2.operand) && inc2.operand.text === iv) {
    if (inc2.operator === ts.SyntaxKind.PlusPlusToken) step = 1;
    if (inc2.operator === ts.SyntaxKind.MinusMinusToken) step = -1;
  } else if (inc2 && ts.isBinaryExpression(inc2) && ts.isIdentifier(inc2.left) && inc2.left.text === iv) {
    const v = constValue(cx, inc2.right, env);
    if (v !== undefined && inc2.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) step = v;
    if (v !== undefined && inc2.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) step = -v;
  }
  if (step === undefined || step === 0) cx.fail('LMC103', `unbounded loop: the step must be ${iv}++, ${iv}--, ${iv} += k or ${iv} -= k with k a non-zero constant`, inc2 ?? s, hint);
  const values: number[] = [];
  for (let v = start; binaryValue(cond.operatorToken.kind, v, bound) === 1; v += step) {
    if (values.length >= FRONTEND_LIMITS.maxUnroll) {
      const diverges = (step > 0 && (cond.operatorToken.kind === ts.SyntaxKind.GreaterThanToken || cond.operatorToken.kind === ts.SyntaxKind.GreaterThanEqualsToken)) || (step < 0 && (cond.operatorToken.kind === ts.SyntaxKind.LessThanToken || cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken)) || cond.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || cond.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
      if (diverges) cx.fail('LMC103', `unbounded loop: '${iv}' moves away from the bound and the loop never ends`, s, hint);
      cx.report('LMC105', `loop unrolls to more than ${FRONTEND_LIMITS.maxUnroll} iterations (the unroll limit)`, s, 'use a smaller bound; 2 or 3 iterations show almost every locking bug');
      throw new ProcAbort(true);
    }
    values.push(v);
  }
  const breaks: Edge[] = [];
  let cur = inc;
  for (const v of values) {
    if (cur.length === 0) break;
    const continues: Edge[] = [];
    F.breaks.push(breaks);
    F.continues.push(continues);
    try {
      const body = new Env(env);
      body.set(iv, { kind: 'value', value: v });
      cur = [...compileStmt(cx, s.statement, body, cur, F, p, d + 1), ...continues];
    } finally {
      F.breaks.pop();
      F.continues.pop();
    }
  }
  return [...cur, ...breaks];
}

function compileSwitch(cx: ExtractContext, s: TS.SwitchStatement, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
  const pairs = compileValue(cx, s.expression, env, inc, F, p, d + 1);
  const clauses = s.caseBlock.clauses;
  const labels: (number | 'default')[] = clauses.map((c) => {
    if (ts.isDefaultClause(c)) return 'default';
    const v = constValue(cx, c.expression, env);
    if (v === undefined) cx.fail('LMC102', 'unsupported construct: non-constant case label', c.expression, 'case labels are numbers or constants such as -EDEADLK');
    return v;
  });
  const entering: Edge[][] = clauses.map(() => []);
  const exit: Edge[] = [];
  for (const pr of pairs) {
    let k = labels.findIndex((l) => l === pr.value);
    if (k < 0) k = labels.indexOf('default');
    if (k < 0) exit.push(...pr.edges);
    else entering[k]!.push(...pr.edges);
  }
  const breaks: Edge[] = [];
  F.breaks.push(breaks);
  F.continues.push(null);
  let fall: Edge[] = [];
  try {
    const scope = new Env(env);
    clauses.forEach((c, k) => {
      const incoming = [...entering[k]!, ...fall];
      fall = compileItems(cx, flatten(c.statements), 0, scope, incoming, F, p, d + 1);
    });
  } finally {
    F.breaks.pop();
    F.continues.pop();
  }
  return [...exit, ...fall, ...breaks];
}
