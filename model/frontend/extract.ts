/**
 * Source text → DriverModel IR + SourceMap.
 *
 * The model is parsed (ts-morph, in-memory file system, no lib, no type
 * checker) and its syntax tree walked; it is never imported, evaluated or
 * type-checked. This file is the entry point and the order of the walk:
 * the top level first (declarations.ts: instances, registrations,
 * threads), then every requested proc (control-flow.ts: a graph per
 * (function, role), loops unrolled, helpers inlined, `const r = op(...)`
 * continuations specialised per outcome; api-calls.ts: one op per kernel
 * API call; arguments.ts: what each argument names).
 */

import { createHash } from 'node:crypto';
import type { ts as TS } from 'ts-morph';
import { ts } from './typescript.js';
import { diagnosticAt, type Diagnostic } from '../diagnostics.js';
import { IR_SCHEMA_VERSION, type DriverModel, type ExtractedModel, type ModelHeader, type NodeId, type Outcome, type Proc } from '../ir.js';
import { opOutcomes } from '../vocabulary.js';
import { parseHeader } from './header.js';
import { checkNesting, checkText } from './input.js';
import { checkChains } from './chains.js';
import { BudgetExceeded, checkBudget, type Budget } from '../budget.js';
import { ExtractContext } from './context.js';
import { compileProc } from './control-flow.js';
import { addThread, topStatement } from './declarations.js';
import { addSchedThreads } from './api/sched.js';
import { Abort } from './scope.js';
import { isCallTo, skipParens } from './syntax.js';

export interface ExtractInput {
  file: string;
  text: string;
  /** The model's wall-clock budget; `BudgetExceeded` propagates to the caller. */
  budget?: Budget;
}

export interface ExtractResult {
  /** Absent when any error diagnostic was produced. */
  extracted?: ExtractedModel;
  diagnostics: Diagnostic[];
  /**
   * The parsed header, whenever the input was text: a fixture runner needs
   * `@expect error LMCnnn` precisely when extraction failed.
   */
  header?: ModelHeader;
}

export function extractModel(input: ExtractInput): ExtractResult {
  const { file, text, budget } = input;
  try {
    checkBudget(budget, 'front end');
    const bad = checkText(file, text);
    if (bad) return { diagnostics: [bad] };
    const { header, diagnostics: headerDiags } = parseHeader(text, file);
    const nesting = checkNesting(file, text) ?? checkChains(file, text);
    if (nesting) return { diagnostics: [...headerDiags, nesting], header };
    checkBudget(budget, 'front end');
    const cx = new ExtractContext(file, text, header, budget);
    cx.diags.push(...headerDiags);
    const extracted = parseModel(cx);
    const diagnostics = sortDiagnostics(cx.diags);
    const hasError = diagnostics.some((d) => d.severity === 'error');
    return hasError || !extracted ? { diagnostics, header } : { extracted, diagnostics, header };
  } catch (e) {
    // The checker turns a spent budget into an inconclusive verdict.
    if (e instanceof BudgetExceeded) throw e;
    if (e instanceof RangeError) {
      return {
        diagnostics: [
          diagnosticAt('LMC104', 'nesting too deep: the model is nested beyond what the parser can follow', file, undefined, undefined, 'flatten the model: move inner blocks into helper functions'),
        ],
      };
    }
    const msg = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diagnosticAt('LMC900', `internal error in the front end: ${msg}`, file, undefined, undefined, 'please report this with the model file')] };
  }
}

function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of ds) {
    const k = `${d.code}|${d.line}|${d.col}|${d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(d);
  }
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.col ?? 0) - (b.d.col ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

/** Parse the text; on a syntax error report the parser's diagnostics, else build the model. */
function parseModel(cx: ExtractContext): ExtractedModel | undefined {
  // The parser alone (no ts-morph Project, no Program, no libs): the
  // front end reads syntax only, with parent links set as the walk needs.
  cx.sf = ts.createSourceFile('/model.ts', cx.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  // The parser's own diagnostics live on the SourceFile; asking a Program
  // for syntactic diagnostics would build one (and load libs) per model.
  const parseDiags = (cx.sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (parseDiags.length > 0) {
    for (const d of parseDiags.slice(0, 20)) {
      const lc = cx.sf.getLineAndCharacterOfPosition(d.start);
      const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      cx.diags.push(
        diagnosticAt('LMC101', `syntax error: ${msg}`, cx.file, cx.text, { line: lc.line + 1, col: lc.character + 1, width: Math.max(1, d.length) }, 'fix the syntax; models are TypeScript'),
      );
    }
    return undefined;
  }
  return buildModel(cx);
}

/** The walk: top level (threads first), work items' kworkers, then every requested proc; undefined on any error. */
function buildModel(cx: ExtractContext): ExtractedModel | undefined {
  const stmts = cx.sf.statements;
  hoistNames(cx, stmts);
  walkTopLevel(cx, stmts);
  addWorkThreads(cx);
  addSchedThreads(cx);
  const errorsSoFar = cx.diags.some((d) => d.severity === 'error');
  if (cx.threads.filter((t) => t.kind === 'thread').length === 0 && !errorsSoFar) {
    cx.report(
      'LMC204',
      'the model has no threads',
      cx.threadsCall ?? undefined,
      'add `threads(f, g)` naming the entry points, or `export` the entry-point functions',
    );
  }
  // Compile every requested proc; compiling may request more (callbacks).
  for (let i = 0; i < cx.procs.length; i++) {
    checkBudget(cx.budget, 'front end');
    compileProc(cx, cx.procs[i]!);
  }
  if (cx.diags.some((d) => d.severity === 'error')) return undefined;
  disambiguateNames(cx);
  normaliseSuccessors(cx);
  return extracted(cx);
}

/** Functions are hoisted: registrations may name functions declared later; consts are known for use-before-declaration. */
function hoistNames(cx: ExtractContext, stmts: readonly TS.Statement[]): void {
  for (const s of stmts) {
    // A body-less `declare function` is refused by topStatement; it is
    // no function of the model (nothing to run or inline).
    if (ts.isFunctionDeclaration(s) && s.name && s.body) {
      const exported = !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (cx.functions.has(s.name.text)) {
        cx.report('LMC102', `unsupported construct: a second declaration of function '${s.name.text}'`, s.name, 'give every function a distinct name (overloads are not part of the model language)');
        continue;
      }
      cx.functions.set(s.name.text, { decl: s, exported });
    }
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) cx.topDeclared.set(d.name.text, d);
    }
  }
}

function walkTopLevel(cx: ExtractContext, stmts: readonly TS.Statement[]): void {
  // Threads first, so thread procs get the first ids: threads(...) in its
  // order, or every exported function in source order.
  const threadStmts = stmts.filter(
    (s) => ts.isExpressionStatement(s) && ts.isCallExpression(skipParens(s.expression)) && isCallTo(skipParens(s.expression) as TS.CallExpression, 'threads'),
  );
  for (const s of threadStmts) {
    try {
      topStatement(cx, s);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
    }
  }
  if (threadStmts.length === 0) {
    for (const [name, f] of cx.functions) {
      if (!f.exported) continue;
      addThread(cx, name, f.decl.name!, 'thread');
    }
  }
  for (const s of stmts) {
    if (threadStmts.includes(s)) continue;
    checkBudget(cx.budget, 'front end');
    try {
      topStatement(cx, s);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
    }
  }
}

/** Work handlers run in their own kworker once queued. */
function addWorkThreads(cx: ExtractContext): void {
  for (const inst of cx.instances) {
    if (inst.kind === 'work' && inst.proc !== undefined) {
      const base = cx.procs[inst.proc]!.name;
      const same = cx.threads.filter((t) => t.kind === 'work' && t.proc === inst.proc).length;
      cx.threads.push({ id: cx.threads.length, name: same === 0 ? base : `${base}#${same + 1}`, proc: inst.proc, kind: 'work' });
    }
  }
}

/** The IR and its side source map. */
function extracted(cx: ExtractContext): ExtractedModel {
  const model: DriverModel = {
    schemaVersion: IR_SCHEMA_VERSION,
    file: cx.file,
    sourceHash: createHash('sha256').update(cx.text, 'utf8').digest('hex'),
    header: cx.header,
    instances: cx.instances,
    procs: cx.procs.map((p): Proc => ({ id: p.id, name: p.name, role: p.role, nodes: p.graph.nodes })),
    threads: cx.threads,
    registrations: cx.registrations,
  };
  return {
    model,
    sourceMap: {
      file: cx.file,
      nodes: cx.procs.map((p) => p.graph.locs),
      instances: cx.instLocs,
      procs: cx.procs.map((p) => p.loc),
      inlined: cx.procs.map((p) => p.graph.inlined),
      via: cx.procs.map((p) => p.graph.via),
    },
  };
}

/** `next` in outcome order, and every outcome of every op has a successor. */
function normaliseSuccessors(cx: ExtractContext): void {
  for (const p of cx.procs) {
    for (const n of p.graph.nodes) {
      if (n.kind === 'op') {
        const next: Partial<Record<Outcome, NodeId>> = {};
        for (const o of opOutcomes(n.op, cx.instances)) {
          const t = n.next[o];
          if (t === undefined) throw new Error(`${p.name}: node ${n.id} (${n.op.api}) has no successor for outcome ${o}`);
          next[o] = t;
        }
        n.next = next;
      } else if (n.kind === 'choice' && n.next.some((t) => t < 0)) {
        throw new Error(`${p.name}: choice node ${n.id} has a missing successor`);
      }
    }
  }
}

function disambiguateNames(cx: ExtractContext): void {
  const count = new Map<string, number>();
  for (const i of cx.instances) count.set(i.name, (count.get(i.name) ?? 0) + 1);
  const used = new Set<string>();
  for (const i of cx.instances) if (!i.local) used.add(i.name);
  for (const i of cx.instances) {
    if (!i.local) continue;
    if (count.get(i.name) === 1) {
      used.add(i.name);
      continue;
    }
    const owner = cx.localOwner.get(i.id);
    let name = owner ? `${i.name}@${owner}` : i.name;
    let k = 2;
    const base = name;
    while (used.has(name)) name = `${base}#${k++}`;
    used.add(name);
    i.name = name;
  }
}
