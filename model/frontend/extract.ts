/**
 * Source text → DriverModel IR + SourceMap.
 *
 * The model is parsed (ts-morph, in-memory file system, no lib, no type
 * checker) and its syntax tree walked; it is never imported, evaluated or
 * type-checked. Control flow becomes a graph per (function, role): loops
 * unrolled, helpers inlined with their instance arguments substituted,
 * `const r = op(...)` continuations specialised per outcome.
 */

import { createHash } from 'node:crypto';
import { Project, ts } from 'ts-morph';
import { diagnosticAt, FRONTEND_LIMITS, type Diagnostic, type DiagnosticCode } from '../diagnostics.js';
import {
  IR_SCHEMA_VERSION,
  type DriverModel,
  type ExtractedModel,
  type Instance,
  type InstanceId,
  type InstanceKind,
  type Loc,
  type ModelHeader,
  type NodeId,
  type Op,
  type Outcome,
  type Proc,
  type ProcId,
  type ProcRole,
  type Registration,
  type Thread,
} from '../ir.js';
import {
  API_BY_NAME,
  CONSTRUCTOR_BY_NAME,
  EXPORTER_OPTIONS,
  GFP_BY_NAME,
  MMAP_LOCK_CLASS,
  RESV_CLASS,
  VALUE_CONSTANTS,
  WW_CLASSES,
  gfpMaskOf,
  opOutcomes,
  outcomeValue,
  type ApiEntry,
  type ArgSpec,
} from '../vocabulary.js';
import { ENTRY, mergePairs, ProcAbort, ProcGraph, type Edge, type Pair } from './graph.js';
import { parseHeader } from './header.js';
import { checkNesting, checkText } from './input.js';
import { checkChains } from './chains.js';
import { BudgetExceeded, checkBudget, type Budget } from '../budget.js';
import {
  arityText,
  article,
  binaryValue,
  collectDeclared,
  describeExpr,
  editDistance,
  flatten,
  isAssignmentOp,
  isCallTo,
  isComparison,
  normaliseSpace,
  skipParens,
  statementName,
  truncate,
  usedInCondition,
  type Item,
} from './syntax.js';

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

// ---------------------------------------------------------------------------

/** Thrown after a diagnostic was recorded: abandons the current statement. */
class Abort extends Error {}
type Binding =
  | { kind: 'instance'; id: InstanceId; value?: number }
  | { kind: 'value'; value: number }
  | { kind: 'gfp'; names: string[] }
  | { kind: 'seq'; notifier: InstanceId }
  /** `const bos = [a, b, c];`: indexed with a constant (`bos[i]` in an unrolled loop). */
  | { kind: 'list'; items: InstanceId[] }
  | { kind: 'null' }
  /** An operation result nobody branches on, or an entry function's parameter. */
  | { kind: 'opaque'; what: string }
  /** A declaration that already failed with a diagnostic: uses are skipped silently. */
  | { kind: 'poison' };

class Env {
  private readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Env) {}
  /** Looking up a poisoned name abandons the statement: its error is already reported. */
  get(name: string): Exclude<Binding, { kind: 'poison' }> | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const b = e.vars.get(name);
      if (b?.kind === 'poison') throw new Abort();
      if (b) return b;
    }
    return undefined;
  }
  set(name: string, b: Binding): void {
    this.vars.set(name, b);
  }
}

interface Frame {
  returns: Edge[];
  /** Set when the helper was called for its value: `return x;` values, per path. */
  values?: Pair[];
  breaks: Edge[][];
  continues: (Edge[] | null)[];
  chain: Loc[];
  stack: string[];
  /** Names declared anywhere in this function (for use-before-declaration). */
  declared: Map<string, ts.VariableDeclaration>;
}

interface ProcBuild {
  id: ProcId;
  name: string;
  role: ProcRole;
  decl: ts.FunctionDeclaration;
  graph: ProcGraph;
  loc: Loc;
}


const CREATES_DEFAULT_NAME: Record<string, string> = {
  ww_ctx: 'ctx',
  signalling_cookie: 'cookie',
  memalloc_cookie: 'flags',
  attachment: 'attach',
};

const KIND_CTOR: Partial<Record<InstanceKind, string>> = {
  mutex: 'mutex()',
  spinlock: 'spinlock()',
  rwsem: 'rw_semaphore()',
  rwlock: 'rwlock()',
  ww_mutex: 'ww_mutex(reservation_ww_class)',
  mm: 'mm_struct()',
  address_space: 'address_space()',
  dma_resv: 'dma_resv_object()',
  dma_fence: 'dma_fence()',
  dma_buf: 'dma_buf()',
  rx_queue: 'netdev_rx_queue()',
  work: 'work(fn)',
  ww_ctx: 'ww_acquire_init(reservation_ww_class)',
  signalling_cookie: 'dma_fence_begin_signalling()',
  memalloc_cookie: 'memalloc_nofs_save()',
  attachment: 'dma_buf_attach(buf)',
  interval_notifier: 'mmu_interval_notifier_insert(mm, fn)',
};

const KIND_LOCK_API: Partial<Record<InstanceKind, string>> = {
  mutex: 'mutex_lock',
  spinlock: 'spin_lock',
  rwsem: 'down_read / down_write',
  rwlock: 'read_lock / write_lock',
  ww_mutex: 'ww_mutex_lock',
  mm: 'mmap_read_lock / mmap_write_lock',
  address_space: 'i_mmap_lock_read / i_mmap_lock_write',
  dma_resv: 'dma_resv_lock',
};

const TOP_ONLY = new Set(['threads', 'register_shrinker', 'request_irq', 'mmu_interval_notifier_insert']);

let sharedProject: Project | undefined;
function project(): Project {
  sharedProject ??= new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    compilerOptions: { noLib: true, target: ts.ScriptTarget.ES2022, allowJs: false },
  });
  return sharedProject;
}

// ---------------------------------------------------------------------------

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
    const ex = new Extractor(file, text, header, budget);
    ex.diags.push(...headerDiags);
    const extracted = ex.run();
    const diagnostics = sortDiagnostics(ex.diags);
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

/**
 * The edges to go on with after a statement was refused: the same ones, so
 * later statements are still checked, except the proc entry when the
 * refused statement already created node 0 (the entry is patched once).
 */
function afterAbort(inc: Edge[], nodesBefore: number, p: ProcBuild): Edge[] {
  return p.graph.nodes.length > nodesBefore ? inc.filter((e) => e.n !== -1) : inc;
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

class Extractor {
  readonly diags: Diagnostic[] = [];
  private sf!: ts.SourceFile;
  private readonly instances: Instance[] = [];
  private readonly instLocs: (Loc | undefined)[] = [];
  private readonly global = new Env();
  private readonly functions = new Map<string, { decl: ts.FunctionDeclaration; exported: boolean }>();
  /** Top-level consts declared later than the current statement (TDZ). */
  private readonly topDeclared = new Map<string, ts.Node>();
  private readonly procs: ProcBuild[] = [];
  private readonly procKey = new Map<string, ProcId>();
  private readonly localKey = new Map<string, InstanceId>();
  /** Local instance → the proc that creates it (to disambiguate names). */
  private readonly localOwner = new Map<InstanceId, string>();
  private readonly threads: Thread[] = [];
  private readonly registrations: Registration[] = [];
  private implicitMm: InstanceId | undefined;
  private threadsCall: ts.CallExpression | undefined;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly header: ModelHeader,
    private readonly budget?: Budget,
  ) {
    this.global.set('NULL', { kind: 'null' });
  }

  // --- diagnostics ---------------------------------------------------------

  private loc(node: ts.Node): Loc {
    const s = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    const e = this.sf.getLineAndCharacterOfPosition(node.getEnd());
    return { line: s.line + 1, col: s.character + 1, endLine: e.line + 1, endCol: e.character + 1 };
  }

  private report(code: DiagnosticCode, message: string, node: ts.Node | undefined, hint?: string): void {
    if (!node) {
      this.diags.push(diagnosticAt(code, message, this.file, this.text, undefined, hint));
      return;
    }
    const l = this.loc(node);
    const width = l.endLine === l.line ? (l.endCol ?? l.col + 1) - l.col : Number.MAX_SAFE_INTEGER;
    this.diags.push(diagnosticAt(code, message, this.file, this.text, { line: l.line, col: l.col, width }, hint));
  }

  private fail(code: DiagnosticCode, message: string, node: ts.Node | undefined, hint?: string): never {
    this.report(code, message, node, hint);
    throw new Abort();
  }

  private unsupported(what: string, node: ts.Node, hint: string): never {
    this.fail('LMC102', `unsupported construct: ${what}`, node, hint);
  }

  // --- driver --------------------------------------------------------------

  run(): ExtractedModel | undefined {
    const p = project();
    const name = '/model.ts';
    const sfw = p.createSourceFile(name, this.text, { overwrite: true, scriptKind: ts.ScriptKind.TS });
    this.sf = sfw.compilerNode;
    try {
      // The parser's own diagnostics live on the SourceFile; asking a Program
      // for syntactic diagnostics would build one (and load libs) per model.
      const parseDiags = (this.sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
      if (parseDiags.length > 0) {
        for (const d of parseDiags.slice(0, 20)) {
          const lc = this.sf.getLineAndCharacterOfPosition(d.start);
          const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
          this.diags.push(
            diagnosticAt('LMC101', `syntax error: ${msg}`, this.file, this.text, { line: lc.line + 1, col: lc.character + 1, width: Math.max(1, d.length) }, 'fix the syntax; models are TypeScript'),
          );
        }
        return undefined;
      }
      return this.extract();
    } finally {
      p.removeSourceFile(sfw);
    }
  }

  private extract(): ExtractedModel | undefined {
    const stmts = this.sf.statements;
    // Functions are hoisted: registrations may name functions declared later.
    for (const s of stmts) {
      // A body-less `declare function` is refused by topStatement; it is
      // no function of the model (nothing to run or inline).
      if (ts.isFunctionDeclaration(s) && s.name && s.body) {
        const exported = !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        if (this.functions.has(s.name.text)) {
          this.report('LMC102', `unsupported construct: a second declaration of function '${s.name.text}'`, s.name, 'give every function a distinct name (overloads are not part of the model language)');
          continue;
        }
        this.functions.set(s.name.text, { decl: s, exported });
      }
      if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) this.topDeclared.set(d.name.text, d);
      }
    }
    // Threads first, so thread procs get the first ids: threads(...) in its
    // order, or every exported function in source order.
    const threadStmts = stmts.filter(
      (s) => ts.isExpressionStatement(s) && ts.isCallExpression(skipParens(s.expression)) && isCallTo(skipParens(s.expression) as ts.CallExpression, 'threads'),
    );
    for (const s of threadStmts) {
      try {
        this.topStatement(s);
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
      }
    }
    if (threadStmts.length === 0) {
      for (const [name, f] of this.functions) {
        if (!f.exported) continue;
        this.addThread(name, f.decl.name!, 'thread');
      }
    }
    for (const s of stmts) {
      if (threadStmts.includes(s)) continue;
      checkBudget(this.budget, 'front end');
      try {
        this.topStatement(s);
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
      }
    }
    // Work handlers run in their own kworker once queued.
    for (const inst of this.instances) {
      if (inst.kind === 'work' && inst.proc !== undefined) {
        const base = this.procs[inst.proc]!.name;
        const same = this.threads.filter((t) => t.kind === 'work' && t.proc === inst.proc).length;
        this.threads.push({ id: this.threads.length, name: same === 0 ? base : `${base}#${same + 1}`, proc: inst.proc, kind: 'work' });
      }
    }
    const errorsSoFar = this.diags.some((d) => d.severity === 'error');
    if (this.threads.filter((t) => t.kind === 'thread').length === 0 && !errorsSoFar) {
      this.report(
        'LMC204',
        'the model has no threads',
        this.threadsCall ?? undefined,
        'add `threads(f, g)` naming the entry points, or `export` the entry-point functions',
      );
    }
    // Compile every requested proc; compiling may request more (callbacks).
    for (let i = 0; i < this.procs.length; i++) {
      checkBudget(this.budget, 'front end');
      this.compileProc(this.procs[i]!);
    }
    if (this.diags.some((d) => d.severity === 'error')) return undefined;
    this.disambiguateNames();
    this.normaliseSuccessors();
    const model: DriverModel = {
      schemaVersion: IR_SCHEMA_VERSION,
      file: this.file,
      sourceHash: createHash('sha256').update(this.text, 'utf8').digest('hex'),
      header: this.header,
      instances: this.instances,
      procs: this.procs.map((p): Proc => ({ id: p.id, name: p.name, role: p.role, nodes: p.graph.nodes })),
      threads: this.threads,
      registrations: this.registrations,
    };
    return {
      model,
      sourceMap: {
        file: this.file,
        nodes: this.procs.map((p) => p.graph.locs),
        instances: this.instLocs,
        procs: this.procs.map((p) => p.loc),
        inlined: this.procs.map((p) => p.graph.inlined),
      },
    };
  }

  /** `next` in outcome order, and every outcome of every op has a successor. */
  private normaliseSuccessors(): void {
    for (const p of this.procs) {
      for (const n of p.graph.nodes) {
        if (n.kind === 'op') {
          const next: Partial<Record<Outcome, NodeId>> = {};
          for (const o of opOutcomes(n.op, this.instances)) {
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

  private disambiguateNames(): void {
    const count = new Map<string, number>();
    for (const i of this.instances) count.set(i.name, (count.get(i.name) ?? 0) + 1);
    const used = new Set<string>();
    for (const i of this.instances) if (!i.local) used.add(i.name);
    for (const i of this.instances) {
      if (!i.local) continue;
      if (count.get(i.name) === 1) {
        used.add(i.name);
        continue;
      }
      const owner = this.localOwner.get(i.id);
      let name = owner ? `${i.name}@${owner}` : i.name;
      let k = 2;
      const base = name;
      while (used.has(name)) name = `${base}#${k++}`;
      used.add(name);
      i.name = name;
    }
  }

  private addThread(name: string, at: ts.Node, kind: Thread['kind']): void {
    const proc = this.requestProc(name, 'thread', at);
    if (proc === undefined) return;
    const same = this.threads.filter((t) => t.proc === proc).length;
    this.threads.push({ id: this.threads.length, name: same === 0 ? name : `${name}#${same + 1}`, proc, kind });
  }

  private requestProc(name: string, role: ProcRole, at: ts.Node): ProcId | undefined {
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

  private addInstance(inst: Omit<Instance, 'id'>, at: ts.Node | undefined): InstanceId {
    const id = this.instances.length;
    const clean: Instance = { id, name: inst.name, kind: inst.kind };
    for (const [k, v] of Object.entries(inst)) if (v !== undefined && k !== 'name' && k !== 'kind') (clean as unknown as Record<string, unknown>)[k] = v;
    this.instances.push(clean);
    this.instLocs.push(at ? this.loc(at) : undefined);
    return id;
  }

  // --- top level -----------------------------------------------------------

  private topStatement(s: ts.Statement): void {
    if (ts.isImportDeclaration(s)) return this.topImport(s);
    if (ts.isFunctionDeclaration(s)) {
      if (!s.name) this.unsupported('anonymous default-exported function', s, 'declare `export function name() { ... }`');
      if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) this.unsupported('default export', s, 'use a named `export function`');
      if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) this.unsupported('async function', s, 'write a plain function; the model has no promises');
      if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) this.unsupported('declare', s, 'kernel APIs are declared by lockmc/kernel; declare nothing');
      if (s.asteriskToken) this.unsupported('generator function', s, 'write a plain function');
      if (!s.body) this.unsupported('function without a body', s, 'give the function a body');
      return;
    }
    if (ts.isVariableStatement(s)) return this.topVariables(s);
    if (ts.isExpressionStatement(s)) return this.topExpression(s);
    if (ts.isExportDeclaration(s)) {
      if (!s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.length === 0) return;
      this.unsupported('export declaration', s, 'export functions with `export function f() { ... }`');
    }
    if (ts.isEmptyStatement(s)) return;
    this.unsupported(statementName(s) + ' at top level', s.getFirstToken(this.sf) ?? s, 'the top level holds `const x = constructor(...)` declarations, registrations, functions and `threads(...)`');
  }

  private topImport(s: ts.ImportDeclaration): void {
    const spec = ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : '';
    const kernelLike = spec === 'lockmc/kernel' || /(^|\/)kernel(\.d)?(\.js|\.ts)?$/.test(spec);
    const clause = s.importClause;
    const typeOnly = !clause || clause.isTypeOnly;
    if (kernelLike && spec === 'lockmc/kernel' && typeOnly) return;
    if (kernelLike && spec.startsWith('.') && typeOnly) return;
    if (kernelLike && clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length === 0) return;
    this.unsupported(`import of '${spec}'`, s, "a model never imports: write only `import type {} from 'lockmc/kernel';`");
  }

  private topVariables(s: ts.VariableStatement): void {
    if (!(s.declarationList.flags & ts.NodeFlags.Const)) {
      this.unsupported(`'${s.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}' declaration`, s, 'declare instances with `const`');
    }
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) this.unsupported('declare', s, 'kernel APIs are declared by lockmc/kernel; declare nothing');
    for (const d of s.declarationList.declarations) {
      try {
        this.topDeclaration(d);
      } catch (e) {
        if (!(e instanceof Abort)) throw e;
        if (ts.isIdentifier(d.name)) this.global.set(d.name.text, { kind: 'poison' });
      }
    }
  }

  private topDeclaration(d: ts.VariableDeclaration): void {
    if (!ts.isIdentifier(d.name)) this.unsupported('destructuring', d.name, 'bind one instance per `const`');
    const name = d.name.text;
    const init = d.initializer;
    if (!init) this.unsupported('declaration without initializer', d, `write \`const ${name} = mutex();\` or another constructor`);
    const e = skipParens(init);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
      const callee = e.expression.text;
      const ctor = CONSTRUCTOR_BY_NAME.get(callee);
      if (ctor) return this.construct(name, d, e, callee);
      if (callee === 'mmu_interval_notifier_insert') {
        const id = this.registerNotifier(e, name);
        this.global.set(name, { kind: 'instance', id });
        return;
      }
      if (callee === 'dma_buf_attach' || callee === 'dma_buf_dynamic_attach') {
        const id = this.topAttach(e, name, d);
        this.global.set(name, { kind: 'instance', id });
        return;
      }
      if (API_BY_NAME.has(callee)) {
        this.unsupported(`operation '${callee}' at top level`, e, 'operations run inside functions; call it from a thread');
      }
      this.checkCallee(e);
      if (this.functions.has(callee)) this.unsupported(`call of '${callee}' at top level`, e, 'a model never runs code at top level; instances come from constructors such as `mutex()`');
      if (callee !== 'nondet' && !TOP_ONLY.has(callee)) {
        this.fail('LMC201', `unknown identifier '${callee}'`, e.expression, this.didYouMean(callee, 'call') ?? 'constructors are listed in docs/model-language.md (`mutex()`, `dma_resv_object()`, ...)');
      }
    }
    // Plain constants: numbers (loop bounds, subclasses), GFP masks, aliases.
    const gfp = this.tryGfp(e, this.global);
    if (gfp) {
      this.global.set(name, { kind: 'gfp', names: gfp });
      return;
    }
    const v = this.constValue(e, this.global);
    if (v !== undefined) {
      this.global.set(name, { kind: 'value', value: v });
      return;
    }
    const alias = this.tryInstanceRef(e, this.global);
    if (alias !== undefined) {
      this.global.set(name, { kind: 'instance', id: alias });
      return;
    }
    const list = this.tryList(e, this.global);
    if (list) {
      this.global.set(name, { kind: 'list', items: list });
      return;
    }
    this.unsupported(describeExpr(e) + ' as a top-level value', e, 'top-level consts hold constructors (`mutex()`, `dma_resv_object()`, ...), numbers or GFP masks');
  }

  private construct(name: string, d: ts.VariableDeclaration, call: ts.CallExpression, callee: string): void {
    const ctor = CONSTRUCTOR_BY_NAME.get(callee)!;
    const args = call.arguments;
    this.noSpread(call);
    if (args.length < ctor.arity[0] || args.length > ctor.arity[1]) {
      this.fail('LMC202', `${callee} expects ${arityText(ctor.arity)}, got ${args.length}`, call, `write \`const ${name} = ${KIND_CTOR[ctor.kind] ?? callee + '()'};\``);
    }
    let lockClass: string | undefined;
    let wwClass: string | undefined;
    if (ctor.wwClassArg !== undefined) {
      wwClass = this.wwClassArg(args[ctor.wwClassArg]!, callee);
    }
    if (ctor.defaultClass === '$var') lockClass = name;
    else if (ctor.defaultClass === '$ww') lockClass = `${wwClass}_mutex`;
    else if (ctor.defaultClass) lockClass = ctor.defaultClass;
    if (ctor.classArg !== undefined && args[ctor.classArg]) {
      const a = args[ctor.classArg]!;
      if (!ts.isStringLiteral(a) && !ts.isNoSubstitutionTemplateLiteral(a)) {
        this.fail('LMC202', `${callee}: the lockdep class must be a string literal`, a, `write \`${callee}('my_class')\`; instances with the same class string share a class`);
      }
      if (a.text.length === 0) this.fail('LMC202', `${callee}: the lockdep class must not be empty`, a, `write \`${callee}('my_class')\``);
      lockClass = a.text;
    }
    if (ctor.kind === 'dma_resv') wwClass = 'reservation_ww_class';
    if (ctor.kind === 'dma_buf') {
      const exporter = { movable: false, revocable: false, unrevocable: false, pinnable: false, p2pOnly: false };
      if (args[0]) {
        const opts = this.options(args[0], Object.keys(EXPORTER_OPTIONS), callee);
        for (const [k, v] of opts) {
          if (typeof v !== 'boolean') this.fail('LMC202', `${callee}: option '${k}' must be true or false`, args[0], `write \`dma_buf({ ${k}: true })\``);
          exporter[EXPORTER_OPTIONS[k]!] = v;
        }
      }
      const bufId = this.addInstance({ name, kind: 'dma_buf', exporter }, d.name);
      const resv = this.addInstance({ name: `${name}.resv`, kind: 'dma_resv', lockClass: RESV_CLASS, wwClass: 'reservation_ww_class' }, d.name);
      this.instances[bufId]!.resv = resv;
      // Keep field order stable: id, name, kind, resv, exporter.
      const b = this.instances[bufId]!;
      this.instances[bufId] = { id: b.id, name: b.name, kind: b.kind, resv, exporter };
      this.global.set(name, { kind: 'instance', id: bufId });
      return;
    }
    if (ctor.kind === 'work') {
      const fnName = this.fnArg(args[0]!, callee);
      const id = this.addInstance({ name, kind: 'work' }, d.name);
      const proc = this.requestProc(fnName, 'work', args[0]!);
      if (proc !== undefined) this.instances[id]!.proc = proc;
      this.global.set(name, { kind: 'instance', id });
      return;
    }
    const id = this.addInstance({ name, kind: ctor.kind, lockClass, wwClass }, d.name);
    this.global.set(name, { kind: 'instance', id });
  }

  private topExpression(s: ts.ExpressionStatement): void {
    const e = skipParens(s.expression);
    if (!ts.isCallExpression(e)) {
      if (ts.isBinaryExpression(e) && isAssignmentOp(e.operatorToken.kind)) this.unsupported('assignment', e, 'instances are declared once with `const` and never assigned');
      this.unsupported(describeExpr(e) + ' at top level', e, 'the top level holds declarations, registrations and `threads(...)`');
    }
    this.checkCallee(e);
    const callee = (e.expression as ts.Identifier).text;
    switch (callee) {
      case 'threads': {
        if (this.threadsCall) this.fail('LMC102', 'unsupported construct: a second threads(...) call', e, 'list every thread in one `threads(f, g, ...)` call');
        this.threadsCall = e;
        this.noSpread(e);
        if (e.arguments.length === 0) this.fail('LMC204', 'threads() names no thread', e, 'write `threads(f, g)` with the entry-point functions');
        for (const a of e.arguments) {
          try {
            const fn = this.fnArg(a, 'threads');
            this.addThread(fn, a, 'thread');
          } catch (err) {
            if (!(err instanceof Abort)) throw err;
          }
        }
        return;
      }
      case 'register_shrinker': {
        this.noSpread(e);
        if (e.arguments.length < 1) this.fail('LMC202', 'register_shrinker expects 1 argument (the scan callback), got 0', e, 'write `register_shrinker(my_shrinker_scan);`');
        const fn = this.fnArg(e.arguments[0]!, callee);
        for (const a of e.arguments.slice(1)) this.ignoredArg(a, this.global);
        const proc = this.requestProc(fn, 'shrinker', e.arguments[0]!);
        if (proc !== undefined) this.registrations.push({ role: 'shrinker', proc });
        return;
      }
      case 'request_irq': {
        this.noSpread(e);
        const fns = e.arguments.filter((a) => ts.isIdentifier(a) && this.functions.has(a.text));
        if (fns.length !== 1) this.fail('LMC202', `request_irq expects one handler function, got ${fns.length}`, e, 'write `request_irq(my_irq_handler);`');
        for (const a of e.arguments) if (a !== fns[0]) this.ignoredArg(a, this.global);
        const proc = this.requestProc((fns[0] as ts.Identifier).text, 'irq', fns[0]!);
        if (proc !== undefined) this.registrations.push({ role: 'irq', proc });
        return;
      }
      case 'mmu_interval_notifier_insert':
        this.registerNotifier(e, undefined);
        return;
      case 'dma_buf_attach':
      case 'dma_buf_dynamic_attach':
        this.topAttach(e, undefined, e);
        return;
      default:
        if (CONSTRUCTOR_BY_NAME.has(callee)) this.unsupported(`constructor '${callee}' whose instance is not bound`, e, `write \`const x = ${callee}(...);\``);
        if (API_BY_NAME.has(callee)) this.unsupported(`operation '${callee}' at top level`, e, 'operations run inside functions; call it from a thread');
        if (this.functions.has(callee)) this.unsupported(`call of '${callee}' at top level`, e, `a model never runs code at top level: list it as a thread with \`threads(${callee})\``);
        if (callee === 'nondet') this.unsupported('nondet() at top level', e, 'use nondet() inside functions');
        this.fail('LMC201', `unknown identifier '${callee}'`, e.expression, this.didYouMean(callee, 'call') ?? 'kernel APIs and registrations are listed in docs/model-language.md');
    }
  }

  private registerNotifier(e: ts.CallExpression, bound: string | undefined): InstanceId {
    this.noSpread(e);
    const args = e.arguments;
    if (args.length < 2 || args.length > 3) this.fail('LMC202', `mmu_interval_notifier_insert expects 2 or 3 arguments (mm, invalidate, options?), got ${args.length}`, e, 'write `mmu_interval_notifier_insert(mm, invalidate);`');
    const mm = this.instanceArg(args[0]!, this.global, { kind: 'instance', name: 'mm', kinds: ['mm'] }, 'mmu_interval_notifier_insert', 1);
    const fn = this.fnArg(args[1]!, 'mmu_interval_notifier_insert');
    let nonBlocking = false;
    if (args[2]) {
      for (const [k, v] of this.options(args[2], ['blockable'], 'mmu_interval_notifier_insert')) {
        if (typeof v !== 'boolean') this.fail('LMC202', `mmu_interval_notifier_insert: option '${k}' must be true or false`, args[2], 'write `{ blockable: false }`');
        if (k === 'blockable') nonBlocking = !v;
      }
    }
    const id = this.addInstance({ name: bound ?? `${fn}_notifier`, kind: 'interval_notifier', mm }, bound ? e.parent && ts.isVariableDeclaration(e.parent) ? e.parent.name : e : e);
    const proc = this.requestProc(fn, 'mmu_notifier', args[1]!);
    if (proc !== undefined) {
      this.instances[id]!.proc = proc;
      const reg: Registration = { role: 'mmu_notifier', proc, notifier: id };
      if (nonBlocking) reg.nonBlocking = true;
      this.registrations.push(reg);
    }
    return id;
  }

  private importerOf(call: ts.CallExpression, api: string, env: Env): { buf: InstanceId; importer: NonNullable<Instance['importer']> } {
    this.noSpread(call);
    const dynamic = api === 'dma_buf_dynamic_attach';
    const max = dynamic ? 2 : 1;
    if (call.arguments.length < 1 || call.arguments.length > max) {
      this.fail('LMC202', `${api} expects ${dynamic ? '1 or 2 arguments (dmabuf, importer_ops?)' : '1 argument (dmabuf)'}, got ${call.arguments.length}`, call, dynamic ? 'write `dma_buf_dynamic_attach(buf, { invalidate_mappings: fn })`' : 'write `dma_buf_attach(buf)`');
    }
    const buf = this.instanceArg(call.arguments[0]!, env, { kind: 'instance', name: 'dmabuf', kinds: ['dma_buf'] }, api, 1);
    const importer: NonNullable<Instance['importer']> = { dynamic, peer2peer: false };
    if (dynamic && call.arguments[1]) {
      for (const [k, v] of this.options(call.arguments[1], ['invalidate_mappings', 'move_notify', 'allow_peer2peer'], api)) {
        if (k === 'allow_peer2peer') {
          if (typeof v !== 'boolean') this.fail('LMC202', `${api}: option 'allow_peer2peer' must be true or false`, call.arguments[1], 'write `{ allow_peer2peer: true }`');
          importer.peer2peer = v;
        } else {
          if (typeof v !== 'object') this.fail('LMC202', `${api}: option '${k}' must name a function of this file`, call.arguments[1], `write \`{ ${k}: my_invalidate }\``);
          const proc = this.requestProc(v.fn, 'invalidate_mappings', v.node);
          if (proc !== undefined) importer.invalidate = proc;
        }
      }
    }
    // Stable key order in JSON.
    const ordered = (importer.invalidate !== undefined
      ? { dynamic: importer.dynamic, invalidate: importer.invalidate, peer2peer: importer.peer2peer }
      : { dynamic: importer.dynamic, peer2peer: importer.peer2peer }) satisfies NonNullable<Instance['importer']>;
    return { buf, importer: ordered };
  }

  private topAttach(e: ts.CallExpression, bound: string | undefined, at: ts.Node): InstanceId {
    const api = (e.expression as ts.Identifier).text;
    const { buf, importer } = this.importerOf(e, api, this.global);
    return this.addInstance({ name: bound ?? `${this.instances[buf]!.name}_attach`, kind: 'attachment', buf, importer }, ts.isVariableDeclaration(at) ? at.name : at);
  }

  // --- arguments shared by top level and bodies ------------------------------

  private noSpread(call: ts.CallExpression): void {
    for (const a of call.arguments) if (ts.isSpreadElement(a)) this.unsupported('spread argument', a, 'pass each argument explicitly');
  }

  /** Reject callees that are not plain identifiers, naming the construct. */
  private checkCallee(e: ts.CallExpression): void {
    const c = e.expression;
    if (c.kind === ts.SyntaxKind.ImportKeyword) this.unsupported('dynamic import()', e, "a model never imports: write only `import type {} from 'lockmc/kernel';`");
    if (ts.isIdentifier(c)) {
      if (c.text === 'eval') this.unsupported('eval', e, 'a model is never executed; write the operations directly');
      if (c.text === 'require') this.unsupported('require', e, "a model never imports: write only `import type {} from 'lockmc/kernel';`");
      if (c.text === 'Function') this.unsupported('Function constructor', e, 'write a function declaration');
      return;
    }
    if (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) {
      this.unsupported(`method call '${truncate(c.getText(this.sf))}(...)'`, c, 'call kernel APIs as plain functions, e.g. `mutex_lock(l)`; the only property is `buf.resv`');
    }
    this.unsupported(`call of ${describeExpr(c)}`, c, 'call a kernel API or a function of this file by name');
  }

  private fnArg(a: ts.Expression, api: string): string {
    const e = skipParens(a);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) this.unsupported('closure', e, 'declare the callback as a top-level `function name() { ... }` and pass its name');
    if (!ts.isIdentifier(e)) this.fail('LMC202', `${api} expects a function of this file, got ${describeExpr(e)}`, e, 'pass the name of a top-level function');
    if (!this.functions.has(e.text)) {
      if (this.global.get(e.text)) this.fail('LMC202', `${api} expects a function, but '${e.text}' is an instance`, e, 'pass the name of a top-level function');
      const near = [...this.functions.keys()].sort().find((f) => editDistance(f, e.text, 3) < 3);
      this.fail('LMC201', `unknown function '${e.text}'`, e, near ? `did you mean '${near}'?` : `declare it in this file: \`function ${e.text}() { ... }\``);
    }
    return e.text;
  }

  private wwClassArg(a: ts.Expression, api: string): string {
    const e = skipParens(a);
    if (ts.isIdentifier(e) && (WW_CLASSES as readonly string[]).includes(e.text)) return e.text;
    if (ts.isStringLiteral(e) && (WW_CLASSES as readonly string[]).includes(e.text)) return e.text;
    const unknown = this.firstUnknown(e, this.global);
    if (unknown) this.unknownIdentifier(unknown);
    this.fail('LMC202', `${api} expects a ww class (${WW_CLASSES.join(' or ')}), got ${describeExpr(e)}`, e, `write \`${api}(reservation_ww_class)\``);
  }

  /** `{ key: true, cb: fn }` → entries; values are booleans or function names. */
  private options(a: ts.Expression, keys: readonly string[], api: string): [string, boolean | { fn: string; node: ts.Node }][] {
    const e = skipParens(a);
    if (!ts.isObjectLiteralExpression(e)) this.fail('LMC202', `${api} expects an options object { ${keys.join(', ')} }, got ${describeExpr(e)}`, e, `write \`{ ${keys[0]}: true }\``);
    const out: [string, boolean | { fn: string; node: ts.Node }][] = [];
    for (const p of e.properties) {
      let key: string | undefined;
      let value: ts.Expression | undefined;
      if (ts.isPropertyAssignment(p)) {
        if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) key = p.name.text;
        value = p.initializer;
      } else if (ts.isShorthandPropertyAssignment(p)) {
        key = p.name.text;
        value = p.name;
      } else {
        this.unsupported(`${ts.isSpreadAssignment(p) ? 'spread' : 'method'} in an options object`, p, `write \`{ ${keys[0]}: ... }\``);
      }
      if (key === undefined || !keys.includes(key)) {
        this.fail('LMC202', `${api}: unknown option '${key ?? p.getText(this.sf)}'`, p, `the options are: ${keys.join(', ')}`);
      }
      const v = skipParens(value!);
      if (v.kind === ts.SyntaxKind.TrueKeyword) out.push([key, true]);
      else if (v.kind === ts.SyntaxKind.FalseKeyword) out.push([key, false]);
      else if (ts.isIdentifier(v) && this.functions.has(v.text)) out.push([key, { fn: v.text, node: v }]);
      else if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) this.unsupported('closure', v, 'declare the callback as a top-level function and pass its name');
      else this.fail('LMC202', `${api}: option '${key}' must be true, false or a function name, got ${describeExpr(v)}`, v, `write \`{ ${key}: true }\``);
    }
    out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    return out;
  }

  private unknownIdentifier(id: ts.Identifier, frame?: Frame): never {
    const name = id.text;
    const local = frame?.declared.get(name);
    if (local) {
      const init = local.initializer && skipParens(local.initializer);
      const creator = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? API_BY_NAME.get(init.expression.text) : undefined;
      if (creator?.creates && creator.creates !== 'seq') {
        this.fail('LMC210', `'${name}' is used before it is created by ${creator.api}()`, id, `move \`const ${name} = ${creator.api}(...)\` before its first use`);
      }
      this.fail('LMC201', `'${name}' is used before its declaration`, id, `move \`const ${name} = ...\` before its first use`);
    }
    if (this.topDeclared.has(name)) {
      this.fail('LMC201', `'${name}' is used before its declaration`, id, `move \`const ${name} = ...\` above this line`);
    }
    if (this.functions.has(name)) {
      this.fail('LMC202', `'${name}' is a function, not a value`, id, `call it (\`${name}();\`) or pass it where a callback is expected`);
    }
    if (name === 'undefined' || name === 'NaN' || name === 'Infinity') this.unsupported(`'${name}'`, id, 'use `null` or a number');
    if (name === 'globalThis' || name === 'process' || name === 'window' || name === 'Object' || name === 'Reflect' || name === 'Proxy') {
      this.unsupported(`host object '${name}'`, id, 'a model only uses kernel APIs from lockmc/kernel');
    }
    this.fail('LMC201', `unknown identifier '${name}'`, id, this.didYouMean(name, 'value', frame) ?? `declare it at top level, e.g. \`const ${name} = mutex();\``);
  }

  /** `did you mean 'mutex_lock'?` for a near miss (edit distance <= 2), else undefined. */
  private didYouMean(name: string, what: 'call' | 'value', frame?: Frame): string | undefined {
    const pool: string[] =
      what === 'call'
        ? [...API_BY_NAME.keys(), ...this.functions.keys(), ...CONSTRUCTOR_BY_NAME.keys(), ...TOP_ONLY, 'nondet', 'dma_buf_dynamic_attach']
        : [...this.topDeclared.keys(), ...(frame ? frame.declared.keys() : []), ...Object.keys(VALUE_CONSTANTS), ...GFP_BY_NAME.keys(), ...WW_CLASSES];
    let best: string | undefined;
    let bestD = 3;
    for (const c of [...new Set(pool)].sort()) {
      const dist = editDistance(name, c, bestD);
      if (dist < bestD) {
        best = c;
        bestD = dist;
      }
    }
    return best === undefined ? undefined : `did you mean '${best}'?`;
  }

  /** The first identifier in `e` that names nothing (for a better diagnostic than "wrong argument"). */
  private firstUnknown(e: ts.Node, env: Env, depth = 0): ts.Identifier | undefined {
    if (depth > FRONTEND_LIMITS.maxDepth) return undefined;
    if (ts.isIdentifier(e)) {
      const n = e.text;
      const known = env.get(n) || GFP_BY_NAME.has(n) || Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, n) || this.functions.has(n) || API_BY_NAME.has(n) || CONSTRUCTOR_BY_NAME.has(n) || (WW_CLASSES as readonly string[]).includes(n);
      return known ? undefined : e;
    }
    if (ts.isPropertyAccessExpression(e)) return this.firstUnknown(e.expression, env, depth + 1);
    let found: ts.Identifier | undefined;
    e.forEachChild((c) => {
      found ??= this.firstUnknown(c, env, depth + 1);
    });
    return found;
  }

  /** An instance reference, or undefined if `e` is not one (no diagnostic). */
  private tryInstanceRef(e: ts.Expression, env: Env, depth = 0): InstanceId | undefined {
    e = skipParens(e);
    if (depth > FRONTEND_LIMITS.maxDepth) this.depthCheck(depth, e);
    if (ts.isIdentifier(e)) {
      const b = env.get(e.text);
      return b?.kind === 'instance' ? b.id : undefined;
    }
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'resv') {
      const base = this.tryInstanceRef(e.expression, env, depth + 1);
      return base === undefined ? undefined : this.instances[base]!.resv;
    }
    if (ts.isElementAccessExpression(e) && ts.isIdentifier(skipParens(e.expression))) {
      const b = env.get((skipParens(e.expression) as ts.Identifier).text);
      const i = b?.kind === 'list' ? this.constValue(e.argumentExpression, env, depth + 1) : undefined;
      return b?.kind === 'list' && i !== undefined ? b.items[i] : undefined;
    }
    return undefined;
  }

  /** `bos[i]` as an argument: the list, a constant index, in range. */
  private elementArg(e: ts.ElementAccessExpression, env: Env, api: string, frame?: Frame): InstanceId {
    const base = skipParens(e.expression);
    if (!ts.isIdentifier(base)) this.unsupported(`element access '${truncate(e.getText(this.sf))}'`, e, 'index a top-level or local list: `const bos = [a, b]; ... bos[i]`');
    const b = env.get(base.text);
    if (!b) this.unknownIdentifier(base, frame);
    if (b.kind !== 'list') this.fail('LMC202', `${api}: '${base.text}' is not a list of instances`, base, `declare it as \`const ${base.text} = [a, b];\``);
    const i = this.constValue(e.argumentExpression, env);
    if (i === undefined) this.fail('LMC103', `non-constant index '${truncate(e.argumentExpression.getText(this.sf))}'`, e.argumentExpression, 'index with a number or the variable of an unrolled `for` loop');
    if (!Number.isInteger(i) || i < 0 || i >= b.items.length) {
      this.fail('LMC202', `${api}: index ${i} is out of range for '${base.text}' (${b.items.length} element${b.items.length === 1 ? '' : 's'})`, e, `use an index from 0 to ${b.items.length - 1}`);
    }
    return b.items[i]!;
  }

  /** `[a, b.resv, c]` → the instances, or undefined if some element is not one. */
  private tryList(e: ts.Expression, env: Env): InstanceId[] | undefined {
    e = skipParens(e);
    if (!ts.isArrayLiteralExpression(e)) return undefined;
    const ids: InstanceId[] = [];
    for (const x of e.elements) {
      const id = ts.isSpreadElement(x) ? undefined : this.tryInstanceRef(x, env);
      if (id === undefined) {
        const bad = ts.isSpreadElement(x) ? x : skipParens(x);
        const unknown = this.firstUnknown(bad, env);
        if (unknown) this.unknownIdentifier(unknown);
        this.unsupported(`${describeExpr(bad)} in a list`, bad, 'a list holds instances only: `const bos = [a, b];`');
      }
      ids.push(id);
    }
    return ids;
  }

  private instanceArg(a: ts.Expression, env: Env, spec: Extract<ArgSpec, { kind: 'instance' }>, api: string, pos: number, frame?: Frame): InstanceId {
    const e = skipParens(a);
    let id: InstanceId | undefined;
    if (ts.isIdentifier(e)) {
      const b = env.get(e.text);
      if (!b) {
        if (e.text in VALUE_CONSTANTS || GFP_BY_NAME.has(e.text)) this.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got the constant ${e.text}`, e, this.kindHint(api, spec.kinds, undefined));
        this.unknownIdentifier(e, frame);
      }
      if (b.kind !== 'instance') {
        const what = b.kind === 'opaque' ? b.what : b.kind === 'null' ? 'null' : b.kind === 'seq' ? 'a notifier sequence' : b.kind === 'list' ? 'a list: index it' : 'a constant';
        this.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got '${e.text}' (${what})`, e, this.kindHint(api, spec.kinds, undefined));
      }
      id = b.id;
    } else if (ts.isElementAccessExpression(e)) {
      id = this.elementArg(e, env, api, frame);
    } else if (ts.isPropertyAccessExpression(e) && e.name.text === 'resv' && ts.isElementAccessExpression(skipParens(e.expression))) {
      const base = this.elementArg(skipParens(e.expression) as ts.ElementAccessExpression, env, api, frame);
      if (this.instances[base]!.resv === undefined) {
        this.fail('LMC202', `'.resv' applies to a dma_buf, but '${this.instances[base]!.name}' is a ${this.instances[base]!.kind}`, e, 'pass the dma_resv itself, or declare the object with `dma_buf()`');
      }
      id = this.instances[base]!.resv!;
    } else if (ts.isPropertyAccessExpression(e)) {
      if (e.name.text !== 'resv' || !ts.isIdentifier(e.expression)) {
        this.unsupported(`property access '${truncate(e.getText(this.sf))}'`, e, 'the only property in a model is a dma_buf\'s reservation, `buf.resv`');
      }
      const b = env.get(e.expression.text);
      if (!b) this.unknownIdentifier(e.expression, frame);
      if (b.kind !== 'instance' || this.instances[b.id]!.resv === undefined) {
        this.fail('LMC202', `'.resv' applies to a dma_buf, but '${e.expression.text}' is ${b.kind === 'instance' ? `a ${this.instances[b.id]!.kind}` : 'not an instance'}`, e, 'pass the dma_resv itself, or declare the object with `dma_buf()`');
      }
      id = this.instances[b.id]!.resv!;
    } else if (e.kind === ts.SyntaxKind.NullKeyword) {
      this.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got null`, e, this.kindHint(api, spec.kinds, undefined));
    } else if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      this.unsupported('closure', e, 'declare the callback as a top-level function and pass its name');
    } else if (ts.isBinaryExpression(e) || ts.isPrefixUnaryExpression(e)) {
      this.unsupported('arithmetic on instances', e, 'pass the instance itself');
    } else if (ts.isCallExpression(e)) {
      this.unsupported(`nested call '${truncate(e.getText(this.sf))}' as an argument`, e, 'bind the result first: `const x = op(...);` then pass `x`');
    } else {
      this.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got ${describeExpr(e)}`, e, this.kindHint(api, spec.kinds, undefined));
    }
    const inst = this.instances[id]!;
    if (!spec.kinds.includes(inst.kind)) {
      this.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got ${inst.kind} '${inst.name}'`, e, this.kindHint(api, spec.kinds, inst));
    }
    return id;
  }

  private kindHint(api: string, kinds: readonly InstanceKind[], got: Instance | undefined): string {
    if (got?.kind === 'dma_buf' && kinds.includes('dma_resv')) return `pass the buffer's reservation: \`${got.name}.resv\``;
    const want = kinds.map((k) => KIND_CTOR[k] ?? k).join(' or ');
    if (got) {
      const lockApi = KIND_LOCK_API[got.kind];
      if (lockApi && API_BY_NAME.get(api)?.op === 'lock') return `a ${got.kind} is taken with ${lockApi}; ${api} takes an instance declared with ${want}`;
      return `${api} takes an instance declared with ${want}`;
    }
    return `${api} takes an instance declared with ${want}`;
  }

  /** Arguments kept for realism: anything simple whose identifiers resolve. */
  private ignoredArg(a: ts.Expression, env: Env, frame?: Frame): void {
    const e = skipParens(a);
    if (ts.isIdentifier(e)) {
      if (env.get(e.text) || e.text in VALUE_CONSTANTS || GFP_BY_NAME.has(e.text) || e.text === 'true' || e.text === 'false') return;
      this.unknownIdentifier(e, frame);
    }
    if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return;
    if (e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return;
    if (ts.isPropertyAccessExpression(e)) {
      this.tryInstanceRef(e, env) ?? this.unsupported(`property access '${truncate(e.getText(this.sf))}'`, e, "the only property in a model is `buf.resv`");
      return;
    }
    if (this.constValue(e, env) !== undefined || this.tryGfp(e, env)) return;
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) this.unsupported('closure', e, 'declare the callback as a top-level function and pass its name');
    if (ts.isCallExpression(e)) this.unsupported(`nested call '${truncate(e.getText(this.sf))}' as an argument`, e, 'bind the result first: `const x = op(...);` then pass `x`');
    this.unsupported(describeExpr(e) + ' as an argument', e, 'pass an instance, a number or a constant');
  }

  private tryGfp(e: ts.Expression, env: Env): string[] | undefined {
    e = skipParens(e);
    if (ts.isIdentifier(e)) {
      if (GFP_BY_NAME.has(e.text)) return [e.text];
      const b = env.get(e.text);
      return b?.kind === 'gfp' ? b.names : undefined;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarToken) {
      const l = this.tryGfp(e.left, env);
      const r = l && this.tryGfp(e.right, env);
      return l && r ? [...l, ...r] : undefined;
    }
    return undefined;
  }

  /** A compile-time integer, or undefined. Never reports. */
  private constValue(e: ts.Expression, env: Env, depth = 0): number | undefined {
    if (depth > FRONTEND_LIMITS.maxDepth) this.depthCheck(depth, e);
    e = skipParens(e);
    if (ts.isNumericLiteral(e)) {
      const v = Number(e.text);
      return Number.isFinite(v) ? v : undefined;
    }
    if (e.kind === ts.SyntaxKind.TrueKeyword) return 1;
    if (e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return 0;
    if (ts.isIdentifier(e)) {
      const b = env.get(e.text);
      if (b?.kind === 'value') return b.value;
      if (b?.kind === 'null') return 0;
      if (!b && Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, e.text)) return VALUE_CONSTANTS[e.text];
      return undefined;
    }
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'length' && ts.isIdentifier(e.expression)) {
      const b = env.get(e.expression.text);
      return b?.kind === 'list' ? b.items.length : undefined;
    }
    if (ts.isPrefixUnaryExpression(e)) {
      const v = this.constValue(e.operand, env, depth + 1);
      if (v === undefined) return undefined;
      switch (e.operator) {
        case ts.SyntaxKind.MinusToken:
          return -v;
        case ts.SyntaxKind.PlusToken:
          return v;
        case ts.SyntaxKind.ExclamationToken:
          return v ? 0 : 1;
        case ts.SyntaxKind.TildeToken:
          return ~v;
        default:
          return undefined;
      }
    }
    if (ts.isBinaryExpression(e)) {
      const l = this.constValue(e.left, env, depth + 1);
      const r = l === undefined ? undefined : this.constValue(e.right, env, depth + 1);
      if (l === undefined || r === undefined) return undefined;
      return binaryValue(e.operatorToken.kind, l, r);
    }
    return undefined;
  }

  // --- procs -----------------------------------------------------------------

  private compileProc(p: ProcBuild): void {
    const env = new Env(this.global);
    for (const prm of p.decl.parameters) {
      if (!ts.isIdentifier(prm.name)) {
        this.report('LMC102', 'unsupported construct: destructuring parameter', prm, 'name the parameter');
        continue;
      }
      env.set(prm.name.text, { kind: 'opaque', what: `a parameter of ${p.role === 'thread' ? 'thread' : p.role + ' callback'} '${p.name}', which has no value` });
    }
    const frame: Frame = { returns: [], breaks: [], continues: [], chain: [], stack: [p.name], declared: collectDeclared(p.decl) };
    const g = p.graph;
    try {
      const out = this.compileItems(flatten(p.decl.body!.statements), 0, env, [ENTRY], frame, p, 1);
      const endNode = p.decl.body!.getLastToken(this.sf) ?? p.decl.body!;
      g.addEnd([...out, ...frame.returns], this.loc(endNode));
    } catch (e) {
      if (e instanceof ProcAbort) {
        if (e.reported) return;
        this.report(
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

  private depthCheck(d: number, node: ts.Node): void {
    if (d > FRONTEND_LIMITS.maxDepth) {
      this.fail('LMC104', `nesting too deep: more than ${FRONTEND_LIMITS.maxDepth} levels`, node, 'flatten the model: move inner blocks into helper functions');
    }
  }

  private tick(p: ProcBuild): void {
    // Specialised continuations can be re-compiled many times without
    // adding nodes; bound the work as well as the size.
    if (++p.graph.work > FRONTEND_LIMITS.maxNodesPerProc * 10) throw new ProcAbort();
    if ((p.graph.work & 1023) === 0) checkBudget(this.budget, 'front end');
  }

  private compileItems(items: Item[], idx: number, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
    for (; idx < items.length; idx++) {
      if (inc.length === 0) return inc;
      this.tick(p);
      const it = items[idx]!;
      const before = p.graph.nodes.length;
      if (it.kind === 'stmt') {
        try {
          inc = this.compileStmt(it.s, env, inc, F, p, d);
        } catch (e) {
          if (!(e instanceof Abort)) throw e;
          inc = afterAbort(inc, before, p);
        }
        continue;
      }
      let res: { pairs: Pair[]; binding: Binding; name: string };
      try {
        res = this.compileDecl(it.d, env, inc, F, p, d);
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
          this.depthCheck(d + 1, it.d);
          out.push(...this.compileItems(items, idx + 1, env2, pr.edges, F, p, d + 1));
        }
        return out;
      }
      env.set(name, pairs.length === 1 && binding.kind !== 'instance' && binding.kind !== 'seq' && binding.kind !== 'gfp' && binding.kind !== 'null' ? { kind: 'value', value: pairs[0]!.value } : binding);
      inc = pairs.flatMap((x) => x.edges);
    }
    return inc;
  }

  private compileDecl(decl: ts.VariableDeclaration, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): { pairs: Pair[]; binding: Binding; name: string } {
    if (!ts.isIdentifier(decl.name)) this.unsupported('destructuring', decl.name, 'bind one value per `const`');
    const name = decl.name.text;
    if (!decl.initializer) this.unsupported('declaration without initializer', decl, `write \`const ${name} = op(...);\``);
    const e = skipParens(decl.initializer);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
      const callee = e.expression.text;
      const api = API_BY_NAME.get(callee);
      if (api) {
        const r = this.compileApi(api, e, env, inc, F, p, d, name, decl.name);
        if (r.created !== undefined) return { pairs: r.pairs, binding: { kind: 'instance', id: r.created }, name };
        if (r.seq !== undefined) return { pairs: r.pairs, binding: { kind: 'seq', notifier: r.seq }, name };
        return { pairs: r.pairs, binding: { kind: 'opaque', what: `the result of ${callee}()` }, name };
      }
    }
    const gfp = this.tryGfp(e, env);
    if (gfp) return { pairs: [{ edges: inc, value: 1 }], binding: { kind: 'gfp', names: gfp }, name };
    const alias = this.tryInstanceRef(e, env);
    if (alias !== undefined) {
      const b = ts.isIdentifier(e) ? env.get(e.text) : undefined;
      const value = b?.kind === 'instance' ? b.value : undefined;
      return { pairs: [{ edges: inc, value: value ?? 1 }], binding: { kind: 'instance', id: alias, value }, name };
    }
    if (e.kind === ts.SyntaxKind.NullKeyword) return { pairs: [{ edges: inc, value: 0 }], binding: { kind: 'null' }, name };
    const list = this.tryList(e, env);
    if (list) return { pairs: [{ edges: inc, value: 1 }], binding: { kind: 'list', items: list }, name };
    if (ts.isIdentifier(e)) {
      const b = env.get(e.text);
      if (b && b.kind !== 'value') return { pairs: [{ edges: inc, value: 1 }], binding: b, name };
    }
    const pairs = this.compileValue(e, env, inc, F, p, d + 1);
    return { pairs, binding: { kind: 'opaque', what: 'a value' }, name };
  }

  private compileStmt(s: ts.Statement, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
    this.depthCheck(d, s);
    if (inc.length === 0) return inc;
    this.tick(p);
    if (ts.isBlock(s)) return this.compileItems(flatten(s.statements), 0, new Env(env), inc, F, p, d + 1);
    if (ts.isExpressionStatement(s)) return this.compileExprStmt(s.expression, env, inc, F, p, d + 1);
    if (ts.isVariableStatement(s)) {
      // Reached only for `let`/`var` (consts are flattened into items).
      this.unsupported(`'${s.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}' declaration`, s, 'bind values with `const`; a model has no mutable variables');
    }
    if (ts.isIfStatement(s)) {
      const c = this.compileCond(s.expression, env, inc, F, p, d + 1);
      const t = this.compileStmt(s.thenStatement, new Env(env), c.t, F, p, d + 1);
      const f = s.elseStatement ? this.compileStmt(s.elseStatement, new Env(env), c.f, F, p, d + 1) : c.f;
      return [...t, ...f];
    }
    if (ts.isForStatement(s)) return this.compileFor(s, env, inc, F, p, d + 1);
    if (ts.isSwitchStatement(s)) return this.compileSwitch(s, env, inc, F, p, d + 1);
    if (ts.isReturnStatement(s)) {
      let out = inc;
      if (s.expression) {
        // The returned value means nothing to a thread or callback; only a
        // call in the return expression is an operation.
        const e = skipParens(s.expression);
        if (F.values) {
          F.values.push(...this.compileValue(e, env, inc, F, p, d + 1));
          return [];
        }
        if (ts.isCallExpression(e)) out = this.compileExprStmt(e, env, inc, F, p, d + 1);
      }
      F.returns.push(...out);
      return [];
    }
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      const kw = ts.isBreakStatement(s) ? 'break' : 'continue';
      if (s.label) this.unsupported(`labelled ${kw}`, s, `use an unlabelled ${kw}`);
      if (ts.isBreakStatement(s)) {
        const tgt = F.breaks[F.breaks.length - 1];
        if (!tgt) this.unsupported('break outside a loop or switch', s, 'use `return` to leave the function');
        tgt.push(...inc);
      } else {
        let tgt: Edge[] | null | undefined;
        for (let i = F.continues.length - 1; i >= 0; i--) {
          if (F.continues[i]) {
            tgt = F.continues[i];
            break;
          }
        }
        if (!tgt) this.unsupported('continue outside a loop', s, 'use `return` to leave the function');
        tgt.push(...inc);
      }
      return [];
    }
    if (ts.isEmptyStatement(s)) return inc;
    const kw = s.getFirstToken(this.sf) ?? s;
    if (ts.isWhileStatement(s) || ts.isDoStatement(s)) {
      this.unsupported(`'${ts.isWhileStatement(s) ? 'while' : 'do ... while'}' loop`, kw, 'write a bounded loop: `for (let i = 0; i < 3; i++) { ... }`');
    }
    if (ts.isForOfStatement(s) || ts.isForInStatement(s)) {
      this.fail('LMC103', `unbounded loop: '${ts.isForOfStatement(s) ? 'for ... of' : 'for ... in'}' has no constant bound`, kw, 'write `for (let i = 0; i < N; i++)` with N a number or a top-level const');
    }
    if (ts.isFunctionDeclaration(s)) this.unsupported('closure (nested function)', s.name ?? kw, 'declare helpers at top level; they are inlined where called');
    if (ts.isClassDeclaration(s)) this.unsupported('class', kw, 'a model has no classes: declare instances at top level');
    this.unsupported(statementName(s), kw, 'see docs/model-language.md for the statements a model may use');
  }

  private compileExprStmt(expr: ts.Expression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
    this.depthCheck(d, expr);
    const e = skipParens(expr);
    if (ts.isCallExpression(e)) {
      this.noSpread(e);
      this.checkCallee(e);
      const callee = (e.expression as ts.Identifier).text;
      const fn = this.functions.get(callee);
      if (fn && !env.get(callee)) return this.inline(fn.decl, e, env, inc, F, p, d + 1);
      return this.compileValue(e, env, inc, F, p, d + 1).flatMap((x) => x.edges);
    }
    if (ts.isBinaryExpression(e) && isAssignmentOp(e.operatorToken.kind)) {
      const target = skipParens(e.left);
      const what = ts.isIdentifier(target) && env.get(target.text)?.kind === 'instance' ? 'assignment to an instance' : 'assignment';
      this.unsupported(what, e, 'bind values once with `const`; instances are never reassigned');
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken)) {
      this.unsupported('assignment (increment)', e, 'a model has no mutable variables; loops are unrolled from their header');
    }
    if (ts.isDeleteExpression(e)) this.unsupported('delete', e, 'a model has no objects to delete');
    if (ts.isNewExpression(e)) this.unsupported('new', e, 'declare instances with constructors at top level: `const l = mutex();`');
    if (ts.isVoidExpression(e)) this.unsupported('void', e, 'call the operation directly');
    // Bare expressions have no effect; refusing them catches typos such as `mutex_lock;`.
    this.unsupported(`expression statement (${describeExpr(e)})`, e, 'a statement is an operation call, a helper call, a declaration or control flow');
  }

  private inline(decl: ts.FunctionDeclaration, call: ts.CallExpression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
    return this.inlineCall(decl, call, env, inc, F, p, d, false).flatMap((x) => x.edges);
  }

  /**
   * Inline a helper. For its value (`if (helper())`, `const r = helper()`),
   * each `return e;` contributes e's values on its paths and falling off
   * the end returns 0 (C's `void`/`NULL` reads as false).
   */
  private inlineCall(decl: ts.FunctionDeclaration, call: ts.CallExpression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number, wantValue: boolean): Pair[] {
    const name = decl.name!.text;
    if (F.stack.includes(name)) {
      const cycle = [...F.stack.slice(F.stack.indexOf(name)), name].join(' -> ');
      this.fail('LMC203', `recursion: ${cycle}`, call, 'helpers are inlined, so they cannot recurse; unroll the recursion by hand');
    }
    if (F.stack.length > FRONTEND_LIMITS.maxInlineDepth) {
      this.report('LMC105', `helper calls nested more than ${FRONTEND_LIMITS.maxInlineDepth} deep (the inlining limit)`, call, 'flatten the helper chain');
      throw new ProcAbort(true);
    }
    const params = decl.parameters;
    if (call.arguments.length !== params.length) {
      this.fail('LMC202', `${name} expects ${params.length} argument${params.length === 1 ? '' : 's'}, got ${call.arguments.length}`, call, `call it as \`${name}(${params.map((x) => x.name.getText(this.sf)).join(', ')})\``);
    }
    const callee = new Env(this.global);
    params.forEach((prm, i) => {
      if (!ts.isIdentifier(prm.name)) this.unsupported('destructuring parameter', prm, 'name the parameter');
      if (prm.initializer) this.unsupported('default parameter value', prm, 'pass every argument explicitly');
      callee.set(prm.name.text, this.argBinding(call.arguments[i]!, env, F));
    });
    const frame: Frame = {
      returns: [],
      breaks: [],
      continues: [],
      chain: [...F.chain, this.loc(call)],
      stack: [...F.stack, name],
      declared: collectDeclared(decl),
    };
    if (wantValue) frame.values = [];
    const out = this.compileItems(flatten(decl.body!.statements), 0, callee, inc, frame, p, d + 1);
    if (!wantValue) return [{ edges: [...out, ...frame.returns], value: 0 }];
    return mergePairs([...frame.values!, { edges: [...out, ...frame.returns], value: 0 }].filter((x) => x.edges.length > 0));
  }

  /** What a helper parameter is bound to: the argument's binding, resolved now. */
  private argBinding(a: ts.Expression, env: Env, F: Frame): Binding {
    const e = skipParens(a);
    if (ts.isIdentifier(e)) {
      const b = env.get(e.text);
      if (b) return b;
      if (Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, e.text)) return { kind: 'value', value: VALUE_CONSTANTS[e.text]! };
      if (GFP_BY_NAME.has(e.text)) return { kind: 'gfp', names: [e.text] };
      this.unknownIdentifier(e, F);
    }
    if (e.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null' };
    const inst = this.tryInstanceRef(e, env);
    if (inst !== undefined) return { kind: 'instance', id: inst };
    const gfp = this.tryGfp(e, env);
    if (gfp) return { kind: 'gfp', names: gfp };
    const v = this.constValue(e, env);
    if (v !== undefined) return { kind: 'value', value: v };
    if (ts.isPropertyAccessExpression(e)) this.unsupported(`property access '${truncate(e.getText(this.sf))}'`, e, 'the only property in a model is `buf.resv`');
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) this.unsupported('closure', e, 'declare the callback as a top-level function');
    if (ts.isCallExpression(e)) this.unsupported(`nested call '${truncate(e.getText(this.sf))}' as an argument`, e, 'bind the result first: `const x = op(...);` then pass `x`');
    this.unsupported(describeExpr(e) + ' as a helper argument', e, 'pass instances, numbers, GFP masks or null');
  }

  // --- conditions and values ----------------------------------------------------

  private compileCond(expr: ts.Expression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): { t: Edge[]; f: Edge[] } {
    this.depthCheck(d, expr);
    const e = skipParens(expr);
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      const r = this.compileCond(e.operand, env, inc, F, p, d + 1);
      return { t: r.f, f: r.t };
    }
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      if (k === ts.SyntaxKind.AmpersandAmpersandToken) {
        const a = this.compileCond(e.left, env, inc, F, p, d + 1);
        const b = a.t.length ? this.compileCond(e.right, env, a.t, F, p, d + 1) : { t: [], f: [] };
        return { t: b.t, f: [...a.f, ...b.f] };
      }
      if (k === ts.SyntaxKind.BarBarToken) {
        const a = this.compileCond(e.left, env, inc, F, p, d + 1);
        const b = a.f.length ? this.compileCond(e.right, env, a.f, F, p, d + 1) : { t: [], f: [] };
        return { t: [...a.t, ...b.t], f: b.f };
      }
    }
    const pairs = this.compileValue(e, env, inc, F, p, d + 1);
    const t: Edge[] = [];
    const f: Edge[] = [];
    for (const pr of pairs) (pr.value !== 0 ? t : f).push(...pr.edges);
    return { t, f };
  }

  private compileValue(expr: ts.Expression, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Pair[] {
    this.depthCheck(d, expr);
    const e = skipParens(expr);
    if (ts.isNumericLiteral(e)) return [{ edges: inc, value: Number(e.text) }];
    if (e.kind === ts.SyntaxKind.TrueKeyword) return [{ edges: inc, value: 1 }];
    if (e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return [{ edges: inc, value: 0 }];
    if (ts.isIdentifier(e)) {
      const b = env.get(e.text);
      if (!b) {
        if (Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, e.text)) return [{ edges: inc, value: VALUE_CONSTANTS[e.text]! }];
        if (GFP_BY_NAME.has(e.text)) this.unsupported(`GFP mask '${e.text}' as a value`, e, 'pass GFP masks to allocation calls');
        this.unknownIdentifier(e, F);
      }
      switch (b.kind) {
        case 'value':
          return [{ edges: inc, value: b.value }];
        case 'instance':
          return [{ edges: inc, value: b.value ?? 1 }];
        case 'null':
          return [{ edges: inc, value: 0 }];
        case 'opaque':
          this.fail('LMC102', `unsupported construct: testing '${e.text}', ${b.what}`, e, `branch on the operation directly, or bind it with \`const ${e.text} = op(...)\` in the same block as the test`);
        // falls through (fail never returns)
        case 'seq':
        case 'gfp':
        case 'list':
          this.unsupported(`testing '${e.text}'`, e, 'only operation results, nondet() and constants can be tested');
      }
    }
    if (ts.isPropertyAccessExpression(e)) {
      const id = this.tryInstanceRef(e, env);
      if (id !== undefined) return [{ edges: inc, value: 1 }];
      const len = this.constValue(e, env);
      if (len !== undefined) return [{ edges: inc, value: len }];
      this.unsupported(`property access '${truncate(e.getText(this.sf))}'`, e, 'the only property in a model is a dma_buf\'s reservation, `buf.resv`');
    }
    if (ts.isPrefixUnaryExpression(e)) {
      const op = e.operator;
      if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) this.unsupported('assignment (increment)', e, 'a model has no mutable variables');
      const inner = skipParens(e.operand);
      if (op !== ts.SyntaxKind.ExclamationToken && ts.isIdentifier(inner) && env.get(inner.text)?.kind === 'instance') this.unsupported('arithmetic on instances', e, 'instances are not numbers');
      const pairs = this.compileValue(e.operand, env, inc, F, p, d + 1);
      return pairs.map((x) => ({
        edges: x.edges,
        value: op === ts.SyntaxKind.MinusToken ? -x.value : op === ts.SyntaxKind.ExclamationToken ? (x.value ? 0 : 1) : op === ts.SyntaxKind.TildeToken ? ~x.value : x.value,
      }));
    }
    if (ts.isPostfixUnaryExpression(e)) this.unsupported('assignment (increment)', e, 'a model has no mutable variables');
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      if (isAssignmentOp(k)) this.unsupported('assignment', e, 'bind values once with `const`');
      if (k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.BarBarToken) {
        const c = this.compileCond(e, env, inc, F, p, d + 1);
        const out: Pair[] = [];
        if (c.t.length) out.push({ edges: c.t, value: 1 });
        if (c.f.length) out.push({ edges: c.f, value: 0 });
        return out;
      }
      if (!isComparison(k)) {
        for (const side of [e.left, e.right]) {
          const s = skipParens(side);
          if (ts.isIdentifier(s) && env.get(s.text)?.kind === 'instance') this.unsupported('arithmetic on instances', e, 'instances are not numbers');
          if (ts.isPropertyAccessExpression(s)) this.unsupported('arithmetic on instances', e, 'instances are not numbers');
        }
      }
      if (binaryValue(k, 1, 1) === undefined) this.unsupported(`operator '${e.operatorToken.getText(this.sf)}'`, e.operatorToken, 'use comparisons (===, !==, <, ...), !, && and ||');
      const out: Pair[] = [];
      for (const l of this.compileValue(e.left, env, inc, F, p, d + 1)) {
        for (const r of this.compileValue(e.right, env, l.edges, F, p, d + 1)) {
          out.push({ edges: r.edges, value: binaryValue(k, l.value, r.value)! });
        }
      }
      return mergePairs(out);
    }
    if (ts.isCallExpression(e)) {
      this.noSpread(e);
      this.checkCallee(e);
      const callee = (e.expression as ts.Identifier).text;
      if (callee === 'nondet') return this.compileNondet(e, env, inc, F, p);
      const api = API_BY_NAME.get(callee);
      if (api) return this.compileApi(api, e, env, inc, F, p, d + 1, undefined, undefined).pairs;
      const fn = this.functions.get(callee);
      if (fn) return this.inlineCall(fn.decl, e, env, inc, F, p, d + 1, true);
      if (CONSTRUCTOR_BY_NAME.has(callee)) this.unsupported(`constructor '${callee}' inside a function`, e, `declare instances at top level: \`const x = ${callee}(...);\``);
      if (TOP_ONLY.has(callee)) this.unsupported(`'${callee}' inside a function`, e, 'registrations are written at top level');
      this.fail('LMC201', `unknown identifier '${callee}'`, e.expression, this.didYouMean(callee, 'call') ?? 'kernel APIs are listed in docs/model-language.md; helpers are declared as `function name() { ... }`');
    }
    if (ts.isConditionalExpression(e)) this.unsupported('conditional expression (?:)', e, 'write an `if` statement');
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) this.unsupported('closure', e, 'declare functions at top level; they are inlined where called');
    if (ts.isNewExpression(e)) this.unsupported('new', e, 'declare instances with constructors at top level');
    if (ts.isClassExpression(e)) this.unsupported('class', e, 'a model has no classes');
    if (ts.isElementAccessExpression(e)) {
      if (this.tryInstanceRef(e, env) !== undefined) return [{ edges: inc, value: 1 }];
      this.unsupported('element access', e, 'index a list of instances with a constant: `bos[i]` in an unrolled loop');
    }
    if (ts.isStringLiteral(e) || ts.isTemplateExpression(e) || ts.isNoSubstitutionTemplateLiteral(e)) this.unsupported('string value', e, 'strings only name lockdep classes in constructors');
    this.unsupported(describeExpr(e), e, 'see docs/model-language.md for the expressions a model may use');
  }

  private compileNondet(e: ts.CallExpression, env: Env, inc: Edge[], F: Frame, p: ProcBuild): Pair[] {
    let n = 2;
    if (e.arguments.length > 1) this.fail('LMC202', `nondet expects 0 or 1 arguments, got ${e.arguments.length}`, e, 'write `nondet()` or `nondet(3)`');
    if (e.arguments.length === 1) {
      const v = this.constValue(e.arguments[0]!, env);
      if (v === undefined || !Number.isInteger(v) || v < 2 || v > FRONTEND_LIMITS.maxDepth) {
        this.fail('LMC202', `nondet(n) needs a constant n between 2 and ${FRONTEND_LIMITS.maxDepth}`, e.arguments[0]!, 'write `nondet(3)` for a choice among 0, 1 and 2');
      }
      n = v;
    }
    const id = p.graph.addChoice(n, inc, this.loc(e), F.chain);
    if (e.arguments.length === 0) {
      // `if (nondet())`: successor 0 is the then-branch.
      return [
        { edges: [{ n: id, c: 0 }], value: 1 },
        { edges: [{ n: id, c: 1 }], value: 0 },
      ];
    }
    return Array.from({ length: n }, (_, i) => ({ edges: [{ n: id, c: i }], value: i }));
  }

  // --- operations ------------------------------------------------------------------

  private compileApi(
    api: ApiEntry,
    call: ts.CallExpression,
    env: Env,
    inc: Edge[],
    F: Frame,
    p: ProcBuild,
    d: number,
    declName: string | undefined,
    declNode: ts.Node | undefined,
  ): { pairs: Pair[]; created?: InstanceId; seq?: InstanceId } {
    this.depthCheck(d, call);
    this.noSpread(call);
    const a = call.arguments;
    const name = api.api;
    let created: InstanceId | undefined;
    let seq: InstanceId | undefined;
    const local = (kind: InstanceKind, extra: Partial<Instance>): InstanceId => {
      const key = `${p.id}:${call.getStart(this.sf)}`;
      const got = this.localKey.get(key);
      if (got !== undefined) return got;
      const id = this.addInstance({ name: declName ?? CREATES_DEFAULT_NAME[kind] ?? kind, kind, ...extra, local: true }, declNode ?? call);
      this.localOwner.set(id, p.name);
      this.localKey.set(key, id);
      return id;
    };
    // Arity.
    const specs = api.args;
    const min = specs.filter((s) => !s.optional).length;
    let max = api.variadicIgnored || api.gfpLast ? Infinity : specs.length;
    if (name === 'queue_work') max = 2;
    if (a.length < min || a.length > max) {
      this.fail('LMC202', `${name} expects ${arityText([min, max])}, got ${a.length}`, call, `write \`${name}(${specs.map((s) => (s.optional ? s.name + '?' : s.name)).join(', ')})\``);
    }
    const inst = (i: number, spec?: ArgSpec): InstanceId => {
      const s = spec ?? specs[i]!;
      if (s.kind !== 'instance') throw new Error(`spec ${i} of ${name} is not an instance`);
      return this.instanceArg(a[i]!, env, s, name, i + 1, F);
    };
    const ctxArg = (i: number): InstanceId | undefined => {
      const x = a[i] && skipParens(a[i]!);
      if (!x || x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && (x.text === 'NULL' || env.get(x.text)?.kind === 'null'))) return undefined;
      return this.instanceArg(x, env, { kind: 'instance', name: 'ctx', kinds: ['ww_ctx'] }, name, i + 1, F);
    };
    const ignoreFrom = (from: number) => {
      for (let i = from; i < a.length; i++) this.ignoredArg(a[i]!, env, F);
    };
    let op: Op;
    switch (api.op) {
      case 'lock': {
        const lock = inst(0);
        const l: Extract<Op, { kind: 'lock' }> = { kind: 'lock', api: name, lock, mode: api.mode!, trylock: !!api.trylock };
        const ctxSpec = specs[1];
        if (ctxSpec && (ctxSpec.kind === 'ctx-or-null' || (ctxSpec.kind === 'instance' && ctxSpec.kinds.includes('ww_ctx')))) {
          const ctx = ctxSpec.kind === 'instance' ? inst(1) : ctxArg(1);
          if (ctx !== undefined) {
            const want = this.instances[lock]!.wwClass;
            const have = this.instances[ctx]!.wwClass;
            if (want !== have) {
              this.fail('LMC202', `${name}: the acquire context '${this.instances[ctx]!.name}' is of ${have}, but '${this.instances[lock]!.name}' is a ${want} lock`, a[1]!, `initialise the context with \`ww_acquire_init(${want})\``);
            }
            l.ctx = ctx;
          }
        }
        if (api.slow) l.slow = true;
        if (api.subclassArg) {
          const v = this.constValue(a[1]!, env);
          if (v === undefined || !Number.isInteger(v) || v < 0 || v > 7) this.fail('LMC202', `${name}: the subclass must be a constant between 0 and 7`, a[1]!, `write \`${name}(lock, 1)\` (lockdep has 8 subclasses)`);
          l.subclass = v;
        }
        if (api.nestLockArg) l.nestLock = inst(1);
        if (api.irqsave) l.irqsave = true;
        if (name === 'spin_lock_irqsave') ignoreFrom(1);
        op = l;
        break;
      }
      case 'unlock': {
        const u: Extract<Op, { kind: 'unlock' }> = { kind: 'unlock', api: name, lock: inst(0) };
        if (api.irqrestore) u.irqrestore = true;
        ignoreFrom(1);
        op = u;
        break;
      }
      case 'ww_acquire_init': {
        const wwClass = this.wwClassArg(a[0]!, name);
        created = local('ww_ctx', { lockClass: `${wwClass}_acquire`, wwClass });
        op = { kind: 'ww_acquire_init', api: name, ctx: created, wwClass };
        break;
      }
      case 'ww_acquire_done':
        op = { kind: 'ww_acquire_done', api: name, ctx: inst(0) };
        break;
      case 'ww_acquire_fini':
        op = { kind: 'ww_acquire_fini', api: name, ctx: inst(0) };
        break;
      case 'alloc': {
        let names: string[];
        let text: string;
        if (api.gfpLast) {
          const g = a[a.length - 1]!;
          const got = this.tryGfp(g, env);
          if (!got) {
            const unknown = this.firstUnknown(g, env);
            if (unknown) this.unknownIdentifier(unknown, F);
            this.fail('LMC202', `${name} expects a GFP mask as its last argument, got ${describeExpr(skipParens(g))}`, g, `write \`${name}(GFP_KERNEL)\` or \`${name}(size, GFP_NOWAIT | __GFP_NOWARN)\``);
          }
          for (let i = 0; i < a.length - 1; i++) this.ignoredArg(a[i]!, env, F);
          names = got;
          text = ts.isIdentifier(skipParens(g)) && !GFP_BY_NAME.has((skipParens(g) as ts.Identifier).text) ? got.join(' | ') : normaliseSpace(skipParens(g).getText(this.sf));
        } else {
          if (specs[0]) inst(0);
          ignoreFrom(specs.length);
          names = [api.fixedGfp!];
          text = api.fixedGfp!;
        }
        op = { kind: 'alloc', api: name, gfp: gfpMaskOf(names, text) };
        break;
      }
      case 'memalloc_save':
        created = local('memalloc_cookie', {});
        op = { kind: 'memalloc_save', api: name, scope: api.scope!, cookie: created };
        break;
      case 'memalloc_restore':
        op = { kind: 'memalloc_restore', api: name, scope: api.scope!, cookie: inst(0) };
        break;
      case 'user_access': {
        let mm: InstanceId | undefined;
        const first = a[0];
        if (first) {
          const id = this.tryInstanceRef(first, env);
          if (id !== undefined && this.instances[id]!.kind === 'mm') mm = id;
        }
        for (const x of a) if (this.tryInstanceRef(x, env) === undefined) this.ignoredArg(x, env, F);
        if (mm === undefined) {
          const mms = this.instances.filter((i) => i.kind === 'mm' && i.name !== 'current->mm');
          if (mms.length === 1) mm = mms[0]!.id;
          else {
            this.implicitMm ??= this.addInstance({ name: 'current->mm', kind: 'mm', lockClass: MMAP_LOCK_CLASS }, undefined);
            mm = this.implicitMm;
          }
        }
        const u: Extract<Op, { kind: 'user_access' }> = { kind: 'user_access', api: name, mm };
        if (api.pin) u.pin = true;
        op = u;
        break;
      }
      case 'pagefault_disable':
      case 'pagefault_enable':
      case 'local_irq_disable':
      case 'local_irq_enable':
      case 'might_sleep':
        op = { kind: api.op, api: name };
        break;
      case 'signalling_begin':
        created = local('signalling_cookie', {});
        op = { kind: 'signalling_begin', api: name, cookie: created };
        break;
      case 'signalling_end':
        op = { kind: 'signalling_end', api: name, cookie: inst(0) };
        break;
      case 'fence_init':
        op = { kind: 'fence_init', api: name, fence: inst(0) };
        ignoreFrom(1);
        break;
      case 'fence_publish':
        if (name === 'dma_resv_add_fence') {
          const resv = inst(0);
          op = { kind: 'fence_publish', api: name, fence: inst(1), resv };
          ignoreFrom(2);
        } else op = { kind: 'fence_publish', api: name, fence: inst(0) };
        break;
      case 'fence_signal': {
        let guaranteed = true;
        if (a[1]) for (const [k, v] of this.options(a[1], ['opportunistic'], name)) if (k === 'opportunistic') guaranteed = v !== true;
        op = { kind: 'fence_signal', api: name, fence: inst(0), guaranteed };
        break;
      }
      case 'fence_wait': {
        const target = inst(0);
        let tArg: ts.Expression | undefined;
        if (api.timeoutArg === -1) tArg = a.length >= 2 ? a[a.length - 1] : undefined;
        else if (api.timeoutArg !== undefined) tArg = a[api.timeoutArg];
        for (let i = 1; i < a.length; i++) if (a[i] !== tArg) this.ignoredArg(a[i]!, env, F);
        let timeout: 'infinite' | 'bounded' = 'infinite';
        if (tArg) {
          const t = skipParens(tArg);
          if (!(ts.isIdentifier(t) && t.text === 'MAX_SCHEDULE_TIMEOUT')) {
            this.ignoredArg(t, env, F);
            timeout = 'bounded';
          }
        }
        op = this.instances[target]!.kind === 'dma_resv' ? { kind: 'fence_wait', api: name, resv: target, timeout } : { kind: 'fence_wait', api: name, fence: target, timeout };
        break;
      }
      case 'fence_add_callback': {
        const fence = inst(0);
        const fn = this.fnArg(a[1]!, name);
        const cb = this.requestProc(fn, 'fence_callback', a[1]!);
        if (cb === undefined) throw new Abort();
        op = { kind: 'fence_add_callback', api: name, fence, callback: cb };
        break;
      }
      case 'unmap_mapping_range':
        op = { kind: 'unmap_mapping_range', api: name, mapping: inst(0) };
        ignoreFrom(1);
        break;
      case 'interval_read_begin':
        seq = inst(0);
        op = { kind: 'interval_read_begin', api: name, notifier: seq };
        break;
      case 'interval_read_retry': {
        const notifier = inst(0);
        if (a[1]) {
          const s = skipParens(a[1]);
          const b = ts.isIdentifier(s) ? env.get(s.text) : undefined;
          if (!b && ts.isIdentifier(s)) this.unknownIdentifier(s, F);
          if (b?.kind !== 'seq') this.fail('LMC202', `${name} expects the sequence returned by mmu_interval_read_begin as argument 2`, a[1], 'write `const seq = mmu_interval_read_begin(mni); ... mmu_interval_read_retry(mni, seq)`');
          if (b.notifier !== notifier) this.fail('LMC202', `${name}: the sequence was read from another notifier`, a[1], 'pass the notifier the sequence was read from');
        }
        op = { kind: 'interval_read_retry', api: name, notifier };
        break;
      }
      case 'interval_set_seq':
        op = { kind: 'interval_set_seq', api: name, notifier: inst(0) };
        ignoreFrom(1);
        break;
      case 'dma_buf_export':
        op = { kind: 'dma_buf_export', api: name, buf: inst(0) };
        break;
      case 'dma_buf_attach': {
        const { buf, importer } = this.importerOf(call, name, env);
        created = local('attachment', { buf, importer });
        op = { kind: 'dma_buf_attach', api: name, attachment: created };
        break;
      }
      case 'dma_buf_detach': {
        const buf = inst(0);
        const att = inst(1);
        if (this.instances[att]!.buf !== buf) {
          this.fail('LMC202', `${name}: attachment '${this.instances[att]!.name}' belongs to '${this.instances[this.instances[att]!.buf!]!.name}', not '${this.instances[buf]!.name}'`, a[1]!, 'detach from the buffer the attachment was made to');
        }
        op = { kind: 'dma_buf_detach', api: name, attachment: att };
        break;
      }
      case 'dma_buf_pin':
      case 'dma_buf_unpin':
      case 'phyr_to_page':
      case 'page_ref_lock':
        op = { kind: api.op, api: name, attachment: inst(0) };
        break;
      case 'dma_buf_map':
      case 'dma_buf_unmap':
        op = { kind: api.op, api: name, attachment: inst(0), unlocked: !!api.unlocked };
        ignoreFrom(1);
        break;
      case 'device_access':
        op = { kind: 'device_access', api: name, attachment: inst(0), write: !!api.write };
        break;
      case 'dma_buf_invalidate':
      case 'dma_buf_revoke':
      case 'dma_buf_unrevoke':
      case 'dma_buf_put':
        op = { kind: api.op, api: name, buf: inst(0) };
        break;
      case 'mp_bind': {
        const rxq = inst(0);
        op = { kind: 'mp_bind', api: name, rxq, buf: inst(1), provider: api.provider! };
        ignoreFrom(2);
        break;
      }
      case 'mp_unbind':
        op = { kind: 'mp_unbind', api: name, rxq: inst(0), provider: api.provider! };
        break;
      case 'mp_recv': {
        let checked = false;
        if (a[1]) for (const [k, v] of this.options(a[1], ['checked'], name)) if (k === 'checked') checked = v === true;
        op = { kind: 'mp_recv', api: name, rxq: inst(0), provider: api.provider!, checked };
        break;
      }
      case 'queue_work':
      case 'flush_work': {
        if (a.length === 2) this.ignoredArg(a[0]!, env, F);
        const w = this.instanceArg(a[a.length - 1]!, env, specs[0] as Extract<ArgSpec, { kind: 'instance' }>, name, a.length, F);
        op = { kind: api.op, api: name, work: w };
        break;
      }
      default:
        throw new Error(`vocabulary entry ${name} lowers to ${api.op}, which the front end does not build`);
    }
    const outcomes = opOutcomes(op, this.instances);
    const id = p.graph.addOp(op, inc, this.loc(call), F.chain);
    const pairs = outcomes.map((o) => ({ edges: [{ n: id, o }], value: outcomeValue(op, o) }));
    const r: { pairs: Pair[]; created?: InstanceId; seq?: InstanceId } = { pairs: mergePairs(pairs) };
    if (created !== undefined) r.created = created;
    if (seq !== undefined) r.seq = seq;
    return r;
  }

  // --- loops and switches ------------------------------------------------------------

  private compileFor(s: ts.ForStatement, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
    const hint = 'write `for (let i = 0; i < N; i++)` with N a number or a top-level const';
    const init = s.initializer;
    if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) this.fail('LMC103', 'unbounded loop: the for loop has no `let i = <constant>` initialiser', s, hint);
    const decl = init.declarations[0]!;
    if (!ts.isIdentifier(decl.name) || !decl.initializer) this.fail('LMC103', 'unbounded loop: the for loop has no `let i = <constant>` initialiser', s, hint);
    const iv = decl.name.text;
    const start = this.constValue(decl.initializer, env);
    if (start === undefined) this.fail('LMC103', `non-constant loop start '${truncate(decl.initializer.getText(this.sf))}'`, decl.initializer, hint);
    const cond = s.condition && skipParens(s.condition);
    if (!cond) this.fail('LMC103', 'unbounded loop: the for loop has no condition', s, hint);
    if (!ts.isBinaryExpression(cond) || !isComparison(cond.operatorToken.kind) || !ts.isIdentifier(skipParens(cond.left)) || (skipParens(cond.left) as ts.Identifier).text !== iv) {
      this.fail('LMC103', `unbounded loop: the condition must compare '${iv}' with a constant`, cond, hint);
    }
    const bound = this.constValue(cond.right, env);
    if (bound === undefined) this.fail('LMC103', `non-constant loop bound '${truncate(cond.right.getText(this.sf))}'`, cond.right, hint);
    const inc2 = s.incrementor && skipParens(s.incrementor);
    let step: number | undefined;
    if (inc2 && (ts.isPostfixUnaryExpression(inc2) || ts.isPrefixUnaryExpression(inc2)) && ts.isIdentifier(inc2.operand) && inc2.operand.text === iv) {
      if (inc2.operator === ts.SyntaxKind.PlusPlusToken) step = 1;
      if (inc2.operator === ts.SyntaxKind.MinusMinusToken) step = -1;
    } else if (inc2 && ts.isBinaryExpression(inc2) && ts.isIdentifier(inc2.left) && inc2.left.text === iv) {
      const v = this.constValue(inc2.right, env);
      if (v !== undefined && inc2.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) step = v;
      if (v !== undefined && inc2.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) step = -v;
    }
    if (step === undefined || step === 0) this.fail('LMC103', `unbounded loop: the step must be ${iv}++, ${iv}--, ${iv} += k or ${iv} -= k with k a non-zero constant`, inc2 ?? s, hint);
    const values: number[] = [];
    for (let v = start; binaryValue(cond.operatorToken.kind, v, bound) === 1; v += step) {
      if (values.length >= FRONTEND_LIMITS.maxUnroll) {
        const diverges = (step > 0 && (cond.operatorToken.kind === ts.SyntaxKind.GreaterThanToken || cond.operatorToken.kind === ts.SyntaxKind.GreaterThanEqualsToken)) || (step < 0 && (cond.operatorToken.kind === ts.SyntaxKind.LessThanToken || cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken)) || cond.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || cond.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
        if (diverges) this.fail('LMC103', `unbounded loop: '${iv}' moves away from the bound and the loop never ends`, s, hint);
        this.report('LMC105', `loop unrolls to more than ${FRONTEND_LIMITS.maxUnroll} iterations (the unroll limit)`, s, 'use a smaller bound; 2 or 3 iterations show almost every locking bug');
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
        cur = [...this.compileStmt(s.statement, body, cur, F, p, d + 1), ...continues];
      } finally {
        F.breaks.pop();
        F.continues.pop();
      }
    }
    return [...cur, ...breaks];
  }

  private compileSwitch(s: ts.SwitchStatement, env: Env, inc: Edge[], F: Frame, p: ProcBuild, d: number): Edge[] {
    const pairs = this.compileValue(s.expression, env, inc, F, p, d + 1);
    const clauses = s.caseBlock.clauses;
    const labels: (number | 'default')[] = clauses.map((c) => {
      if (ts.isDefaultClause(c)) return 'default';
      const v = this.constValue(c.expression, env);
      if (v === undefined) this.fail('LMC102', 'unsupported construct: non-constant case label', c.expression, 'case labels are numbers or constants such as -EDEADLK');
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
        fall = this.compileItems(flatten(c.statements), 0, scope, incoming, F, p, d + 1);
      });
    } finally {
      F.breaks.pop();
      F.continues.pop();
    }
    return [...exit, ...fall, ...breaks];
  }
}
