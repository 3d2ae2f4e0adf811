/**
 * The state of one extraction, shared by the declaration, argument,
 * control-flow and API-call passes: the source, the IR built so far, the
 * procs requested, and the diagnostics with their locations. Every part
 * of the extractor is a function of this context; only here is the IR
 * appended to.
 */

import type { ts } from 'ts-morph';
import { diagnosticAt, FRONTEND_LIMITS, type Diagnostic } from '../diagnostics.js';
import type { Instance, InstanceId, Loc, ModelHeader, ProcId, ProcRole, Registration, Thread } from '../ir.js';
import type { Budget } from '../budget.js';
import { ProcGraph } from './graph.js';
import { Abort, Env } from './scope.js';

/** Whatever code type the diagnostics table declares (literal codes type-check against it). */
type DiagnosticCode = Parameters<typeof diagnosticAt>[0];

/** A proc being compiled: one per (function, role). */
export interface ProcBuild {
  id: ProcId;
  name: string;
  role: ProcRole;
  decl: ts.FunctionDeclaration;
  graph: ProcGraph;
  loc: Loc;
}

export class ExtractContext {
  readonly diags: Diagnostic[] = [];
  /** Set by the driver once the text is parsed. */
  sf!: ts.SourceFile;
  readonly instances: Instance[] = [];
  readonly instLocs: (Loc | undefined)[] = [];
  readonly global = new Env();
  readonly functions = new Map<string, { decl: ts.FunctionDeclaration; exported: boolean }>();
  /** Top-level consts declared later than the current statement (TDZ). */
  readonly topDeclared = new Map<string, ts.Node>();
  readonly procs: ProcBuild[] = [];
  readonly procKey = new Map<string, ProcId>();
  readonly localKey = new Map<string, InstanceId>();
  /** Local instance → the proc that creates it (to disambiguate names). */
  readonly localOwner = new Map<InstanceId, string>();
  readonly threads: Thread[] = [];
  readonly registrations: Registration[] = [];
  implicitMm: InstanceId | undefined;
  threadsCall: ts.CallExpression | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly header: ModelHeader,
    readonly budget?: Budget,
  ) {
    this.global.set('NULL', { kind: 'null' });
  }

  // --- diagnostics ---------------------------------------------------------

  loc(node: ts.Node): Loc {
    const s = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    const e = this.sf.getLineAndCharacterOfPosition(node.getEnd());
    return { line: s.line + 1, col: s.character + 1, endLine: e.line + 1, endCol: e.character + 1 };
  }

  report(code: DiagnosticCode, message: string, node: ts.Node | undefined, hint?: string): void {
    if (!node) {
      this.diags.push(diagnosticAt(code, message, this.file, this.text, undefined, hint));
      return;
    }
    const l = this.loc(node);
    const width = l.endLine === l.line ? (l.endCol ?? l.col + 1) - l.col : Number.MAX_SAFE_INTEGER;
    this.diags.push(diagnosticAt(code, message, this.file, this.text, { line: l.line, col: l.col, width }, hint));
  }

  fail(code: DiagnosticCode, message: string, node: ts.Node | undefined, hint?: string): never {
    this.report(code, message, node, hint);
    throw new Abort();
  }

  unsupported(what: string, node: ts.Node, hint: string): never {
    this.fail('LMC102', `unsupported construct: ${what}`, node, hint);
  }

  depthCheck(d: number, node: ts.Node): void {
    if (d > FRONTEND_LIMITS.maxDepth) {
      this.fail('LMC104', `nesting too deep: more than ${FRONTEND_LIMITS.maxDepth} levels`, node, 'flatten the model: move inner blocks into helper functions');
    }
  }

  // --- the IR under construction ---------------------------------------------

  /** The proc compiling `name` in `role`, requested once; compiled later by the driver. */
  requestProc(name: string, role: ProcRole, at: ts.Node): ProcId | undefined {
    const f = this.functions.get(name);
    if (!f) {
      this.report('LMC201', `unknown function '${name}'`, at, `declare it in this file: \`function ${name}() { ... }\``);
      return undefined;
    }
    const key = `${name}\u0000${role}`;
    const got = this.procKey.get(key);
    if (got !== undefined) return got;
    const id = this.procs.length;
    this.procKey.set(key, id);
    this.procs.push({ id, name, role, decl: f.decl, graph: new ProcGraph(), loc: this.loc(f.decl.name!) });
    return id;
  }

  addInstance(inst: Omit<Instance, 'id'>, at: ts.Node | undefined): InstanceId {
    const id = this.instances.length;
    const clean: Instance = { id, name: inst.name, kind: inst.kind };
    for (const [k, v] of Object.entries(inst)) if (v !== undefined && k !== 'name' && k !== 'kind') (clean as unknown as Record<string, unknown>)[k] = v;
    this.instances.push(clean);
    this.instLocs.push(at ? this.loc(at) : undefined);
    return id;
  }
}
