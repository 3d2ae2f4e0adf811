/**
 * The top level of a model: imports, function declarations (checked here,
 * compiled by control-flow.ts), `const x = constructor(...)` declarations
 * that become instances (locks, fences, buffers, work items, ...),
 * constants and lists, registrations (`threads`, shrinkers, irq handlers,
 * interval notifiers) and top-level attachments.
 */

import type { ts as TS } from 'ts-morph';
import { ts } from './typescript.js';
import type { InstanceId, Registration, Thread } from '../ir.js';
import { API_BY_NAME, CONSTRUCTOR_BY_NAME, EXPORTER_OPTIONS, RESV_CLASS } from '../vocabulary.js';
import {
  KIND_CTOR,
  TOP_ONLY,
  checkCallee,
  constValue,
  didYouMean,
  fnArg,
  ignoredArg,
  importerOf,
  instanceArg,
  noSpread,
  options,
  tryGfp,
  tryInstanceRef,
  tryList,
  wwClassArg,
} from './arguments.js';
import { gemObject } from './api/userptr.js';
import { constructSched } from './api/sched.js';
import { phyrObject } from './api/phyr.js';
import { constructPmDevice } from './api/pm.js';
import type { ExtractContext } from './context.js';
import { Abort } from './scope.js';
import { arityText, describeExpr, isAssignmentOp, skipParens, statementName } from './syntax.js';

/** One top-level statement; functions are collected by the driver beforehand and only checked here. */
export function topStatement(cx: ExtractContext, s: TS.Statement): void {
  if (ts.isImportDeclaration(s)) return topImport(cx, s);
  if (ts.isFunctionDeclaration(s)) {
    if (!s.name) cx.unsupported('anonymous default-exported function', s, 'declare `export function name() { ... }`');
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) cx.unsupported('default export', s, 'use a named `export function`');
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) cx.unsupported('async function', s, 'write a plain function; the model has no promises');
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) cx.unsupported('declare', s, 'kernel APIs are declared by lockmc/kernel; declare nothing');
    if (s.asteriskToken) cx.unsupported('generator function', s, 'write a plain function');
    if (!s.body) cx.unsupported('function without a body', s, 'give the function a body');
    return;
  }
  if (ts.isVariableStatement(s)) return topVariables(cx, s);
  if (ts.isExpressionStatement(s)) return topExpression(cx, s);
  if (ts.isExportDeclaration(s)) {
    if (!s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.length === 0) return;
    cx.unsupported('export declaration', s, 'export functions with `export function f() { ... }`');
  }
  if (ts.isEmptyStatement(s)) return;
  cx.unsupported(statementName(s) + ' at top level', s.getFirstToken(cx.sf) ?? s, 'the top level holds `const x = constructor(...)` declarations, registrations, functions and `threads(...)`');
}

function topImport(cx: ExtractContext, s: TS.ImportDeclaration): void {
  const spec = ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : '';
  const kernelLike = spec === 'lockmc/kernel' || /(^|\/)kernel(\.d)?(\.js|\.ts)?$/.test(spec);
  const clause = s.importClause;
  const typeOnly = !clause || clause.isTypeOnly;
  if (kernelLike && spec === 'lockmc/kernel' && typeOnly) return;
  if (kernelLike && spec.startsWith('.') && typeOnly) return;
  if (kernelLike && clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length === 0) return;
  cx.unsupported(`import of '${spec}'`, s, "a model never imports: write only `import type {} from 'lockmc/kernel';`");
}

function topVariables(cx: ExtractContext, s: TS.VariableStatement): void {
  if (!(s.declarationList.flags & ts.NodeFlags.Const)) {
    cx.unsupported(`'${s.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'}' declaration`, s, 'declare instances with `const`');
  }
  if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) cx.unsupported('declare', s, 'kernel APIs are declared by lockmc/kernel; declare nothing');
  for (const d of s.declarationList.declarations) {
    try {
      topDeclaration(cx, d);
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      if (ts.isIdentifier(d.name)) cx.global.set(d.name.text, { kind: 'poison' });
    }
  }
}

function topDeclaration(cx: ExtractContext, d: TS.VariableDeclaration): void {
  if (!ts.isIdentifier(d.name)) cx.unsupported('destructuring', d.name, 'bind one instance per `const`');
  const name = d.name.text;
  const init = d.initializer;
  if (!init) cx.unsupported('declaration without initializer', d, `write \`const ${name} = mutex();\` or another constructor`);
  const e = skipParens(init);
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
    const callee = e.expression.text;
    const ctor = CONSTRUCTOR_BY_NAME.get(callee);
    if (ctor) return construct(cx, name, d, e, callee);
    if (callee === 'mmu_interval_notifier_insert') {
      const id = registerNotifier(cx, e, name);
      cx.global.set(name, { kind: 'instance', id });
      return;
    }
    if (callee === 'dma_buf_attach' || callee === 'dma_buf_dynamic_attach') {
      const id = topAttach(cx, e, name, d);
      cx.global.set(name, { kind: 'instance', id });
      return;
    }
    if (API_BY_NAME.has(callee)) {
      cx.unsupported(`operation '${callee}' at top level`, e, 'operations run inside functions; call it from a thread');
    }
    checkCallee(cx, e);
    if (cx.functions.has(callee)) cx.unsupported(`call of '${callee}' at top level`, e, 'a model never runs code at top level; instances come from constructors such as `mutex()`');
    if (callee !== 'nondet' && !TOP_ONLY.has(callee)) {
      cx.fail('LMC201', `unknown identifier '${callee}'`, e.expression, didYouMean(cx, callee, 'call') ?? 'constructors are listed in docs/model-language.md (`mutex()`, `dma_resv_object()`, ...)');
    }
  }
  // Plain constants: numbers (loop bounds, subclasses), GFP masks, aliases.
  const gfp = tryGfp(e, cx.global);
  if (gfp) {
    cx.global.set(name, { kind: 'gfp', names: gfp });
    return;
  }
  const v = constValue(cx, e, cx.global);
  if (v !== undefined) {
    cx.global.set(name, { kind: 'value', value: v });
    return;
  }
  const alias = tryInstanceRef(cx, e, cx.global);
  if (alias !== undefined) {
    cx.global.set(name, { kind: 'instance', id: alias });
    return;
  }
  const list = tryList(cx, e, cx.global);
  if (list) {
    cx.global.set(name, { kind: 'list', items: list });
    return;
  }
  cx.unsupported(describeExpr(e) + ' as a top-level value', e, 'top-level consts hold constructors (`mutex()`, `dma_resv_object()`, ...), numbers or GFP masks');
}

/** `const name = constructor(...)`: the instance (a dma_buf brings its reservation, a work item its handler proc). */
function construct(cx: ExtractContext, name: string, d: TS.VariableDeclaration, call: TS.CallExpression, callee: string): void {
  const ctor = CONSTRUCTOR_BY_NAME.get(callee)!;
  const args = call.arguments;
  noSpread(cx, call);
  if (args.length < ctor.arity[0] || args.length > ctor.arity[1]) {
    cx.fail('LMC202', `${callee} expects ${arityText(ctor.arity)}, got ${args.length}`, call, `write \`const ${name} = ${KIND_CTOR[ctor.kind] ?? callee + '()'};\``);
  }
  let lockClass: string | undefined;
  let wwClass: string | undefined;
  if (ctor.wwClassArg !== undefined) {
    wwClass = wwClassArg(cx, args[ctor.wwClassArg]!, callee);
  }
  if (ctor.defaultClass === '$var') lockClass = name;
  else if (ctor.defaultClass === '$ww') lockClass = `${wwClass}_mutex`;
  else if (ctor.defaultClass) lockClass = ctor.defaultClass;
  if (ctor.classArg !== undefined && args[ctor.classArg]) {
    const a = args[ctor.classArg]!;
    if (!ts.isStringLiteral(a) && !ts.isNoSubstitutionTemplateLiteral(a)) {
      cx.fail('LMC202', `${callee}: the lockdep class must be a string literal`, a, `write \`${callee}('my_class')\`; instances with the same class string share a class`);
    }
    if (a.text.length === 0) cx.fail('LMC202', `${callee}: the lockdep class must not be empty`, a, `write \`${callee}('my_class')\``);
    lockClass = a.text;
  }
  if (ctor.kind === 'dma_resv') wwClass = 'reservation_ww_class';
  if (ctor.kind === 'dma_buf') {
    const exporter = { movable: false, revocable: false, unrevocable: false, pinnable: false, p2pOnly: false };
    if (args[0]) {
      const opts = options(cx, args[0], Object.keys(EXPORTER_OPTIONS), callee);
      for (const [k, v] of opts) {
        if (typeof v !== 'boolean') cx.fail('LMC202', `${callee}: option '${k}' must be true or false`, args[0], `write \`dma_buf({ ${k}: true })\``);
        exporter[EXPORTER_OPTIONS[k]!] = v;
      }
    }
    const bufId = cx.addInstance({ name, kind: 'dma_buf', exporter }, d.name);
    const resv = cx.addInstance({ name: `${name}.resv`, kind: 'dma_resv', lockClass: RESV_CLASS, wwClass: 'reservation_ww_class' }, d.name);
    cx.instances[bufId]!.resv = resv;
    // Keep field order stable: id, name, kind, resv, exporter.
    const b = cx.instances[bufId]!;
    cx.instances[bufId] = { id: b.id, name: b.name, kind: b.kind, resv, exporter };
    cx.global.set(name, { kind: 'instance', id: bufId });
    return;
  }
  if (ctor.kind === 'gem_object' || ctor.kind === 'dma_fence') {
    releaseObject(cx, name, d, call, callee, ctor.kind);
    return;
  }
  if (ctor.kind === 'hardware' || ctor.kind === 'drm_sched') {
    constructSched(cx, name, d, call, callee as 'hardware' | 'drm_gpu_scheduler');
    return;
  }
  if (ctor.kind === 'pm_device') {
    constructPmDevice(cx, name, d, call);
    return;
  }
  if (ctor.kind === 'phyr') {
    const id = cx.addInstance(phyrObject(cx, name, callee, args), d.name);
    cx.global.set(name, { kind: 'instance', id });
    return;
  }
  if (ctor.kind === 'work') {
    const fnName = fnArg(cx, args[0]!, callee);
    const id = cx.addInstance({ name, kind: 'work' }, d.name);
    const proc = cx.requestProc(fnName, 'work', args[0]!);
    if (proc !== undefined) cx.instances[id]!.proc = proc;
    cx.global.set(name, { kind: 'instance', id });
    return;
  }
  const id = cx.addInstance({ name, kind: ctor.kind, lockClass, wwClass, ...(ctor.raw ? { raw: true } : {}), ...(ctor.percpu ? { percpu: true } : {}) }, d.name);
  cx.global.set(name, { kind: 'instance', id });
}

/** The option naming the destructor a final put runs, per constructor (see releaseObject). */
const RELEASE_OPTION: Record<string, string> = { drm_gem_object: 'free', ttm_buffer_object: 'destroy', dma_fence: 'release' };

/**
 * `drm_gem_object({ free })`, `ttm_buffer_object({ destroy })`, `dma_fence({ release })`:
 * the object, its destructor proc (run inline by a final put), and for a
 * GEM/TTM object its own reservation `obj.resv` (drm_gem_private_object_init
 * points obj->resv at the embedded obj->_resv).
 */
function releaseObject(cx: ExtractContext, name: string, d: TS.VariableDeclaration, call: TS.CallExpression, callee: string, kind: 'gem_object' | 'dma_fence'): void {
  const key = RELEASE_OPTION[callee];
  let fn: { fn: string; node: TS.Node } | undefined;
  const arg = call.arguments[0];
  // userptr_object(mm) names its mm, not a destructor (api/userptr.ts).
  if (arg && key !== undefined) {
    for (const [k, v] of options(cx, arg, [key], callee)) {
      if (typeof v === 'boolean') cx.fail('LMC202', `${callee}: option '${k}' must name a function`, arg, `write \`${callee}({ ${key}: my_${key} })\``);
      fn = v;
    }
  }
  const id = cx.addInstance(kind === 'gem_object' ? gemObject(cx, name, callee, call.arguments) : { name, kind }, d.name);
  if (kind === 'gem_object') {
    const resv = cx.addInstance({ name: `${name}.resv`, kind: 'dma_resv', lockClass: RESV_CLASS, wwClass: 'reservation_ww_class' }, d.name);
    cx.instances[id]!.resv = resv;
  }
  if (fn) {
    const proc = cx.requestProc(fn.fn, kind === 'dma_fence' ? 'fence_release' : 'release', fn.node);
    if (proc !== undefined) cx.instances[id]!.proc = proc;
  }
  cx.global.set(name, { kind: 'instance', id });
}

/** A top-level call: `threads(...)` or a registration. */
function topExpression(cx: ExtractContext, s: TS.ExpressionStatement): void {
  const e = skipParens(s.expression);
  if (!ts.isCallExpression(e)) {
    if (ts.isBinaryExpression(e) && isAssignmentOp(e.operatorToken.kind)) cx.unsupported('assignment', e, 'instances are declared once with `const` and never assigned');
    cx.unsupported(describeExpr(e) + ' at top level', e, 'the top level holds declarations, registrations and `threads(...)`');
  }
  checkCallee(cx, e);
  const callee = (e.expression as TS.Identifier).text;
  switch (callee) {
    case 'threads': {
      if (cx.threadsCall) cx.fail('LMC102', 'unsupported construct: a second threads(...) call', e, 'list every thread in one `threads(f, g, ...)` call');
      cx.threadsCall = e;
      noSpread(cx, e);
      if (e.arguments.length === 0) cx.fail('LMC204', 'threads() names no thread', e, 'write `threads(f, g)` with the entry-point functions');
      for (const a of e.arguments) {
        try {
          const fn = fnArg(cx, a, 'threads');
          addThread(cx, fn, a, 'thread');
        } catch (err) {
          if (!(err instanceof Abort)) throw err;
        }
      }
      return;
    }
    case 'register_shrinker': {
      noSpread(cx, e);
      if (e.arguments.length < 1) cx.fail('LMC202', 'register_shrinker expects 1 argument (the scan callback), got 0', e, 'write `register_shrinker(my_shrinker_scan);`');
      const fn = fnArg(cx, e.arguments[0]!, callee);
      for (const a of e.arguments.slice(1)) ignoredArg(cx, a, cx.global);
      const proc = cx.requestProc(fn, 'shrinker', e.arguments[0]!);
      if (proc !== undefined) cx.registrations.push({ role: 'shrinker', proc });
      return;
    }
    case 'request_irq': {
      noSpread(cx, e);
      const fns = e.arguments.filter((a) => ts.isIdentifier(a) && cx.functions.has(a.text));
      if (fns.length !== 1) cx.fail('LMC202', `request_irq expects one handler function, got ${fns.length}`, e, 'write `request_irq(my_irq_handler);`');
      for (const a of e.arguments) if (a !== fns[0]) ignoredArg(cx, a, cx.global);
      const proc = cx.requestProc((fns[0] as TS.Identifier).text, 'irq', fns[0]!);
      // The flags argument naming IRQF_NO_THREAD (alone or or-ed): no forced threading on PREEMPT_RT.
      const noThread = e.arguments.some((a) => a !== fns[0] && mentionsIdentifier(a, 'IRQF_NO_THREAD'));
      if (proc !== undefined) cx.registrations.push({ role: 'irq', proc, ...(noThread ? { noThread: true } : {}) });
      return;
    }
    case 'request_threaded_irq': {
      // kernel/irq/manage.c: `handler` in hard-irq context, `thread_fn` in the irq thread once the handler woke it.
      noSpread(cx, e);
      const fns = e.arguments.filter((a) => ts.isIdentifier(a) && cx.functions.has(a.text)) as TS.Identifier[];
      if (fns.length !== 2) cx.fail('LMC202', `request_threaded_irq expects a handler and a thread function, got ${fns.length} functions`, e, 'write `request_threaded_irq(irq, my_handler, my_thread_fn, IRQF_ONESHOT);`');
      for (const a of e.arguments) if (!fns.includes(a as TS.Identifier)) ignoredArg(cx, a, cx.global);
      const hard = cx.requestProc(fns[0]!.text, 'irq', fns[0]!);
      const thread = cx.requestProc(fns[1]!.text, 'irq', fns[1]!);
      // irq_setup_forced_threading() leaves an IRQF_NO_THREAD or IRQF_ONESHOT handler in hard-irq context on PREEMPT_RT.
      const noThread = e.arguments.some((a) => !fns.includes(a as TS.Identifier) && (mentionsIdentifier(a, 'IRQF_NO_THREAD') || mentionsIdentifier(a, 'IRQF_ONESHOT')));
      if (hard !== undefined) cx.registrations.push({ role: 'irq', proc: hard, ...(noThread ? { noThread: true } : {}) });
      if (hard !== undefined && thread !== undefined) cx.registrations.push({ role: 'irq', proc: thread, threaded: true, threadOf: hard });
      return;
    }
    case 'open_softirq':
    case 'tasklet_setup':
    case 'timer_setup': {
      // kernel/softirq.c, kernel/time/timer.c: the handler runs in softirq context.
      noSpread(cx, e);
      const fns = e.arguments.filter((a) => ts.isIdentifier(a) && cx.functions.has(a.text));
      if (fns.length !== 1) cx.fail('LMC202', `${callee} expects one handler function, got ${fns.length}`, e, `write \`${callee}(my_handler);\``);
      for (const a of e.arguments) if (a !== fns[0]) ignoredArg(cx, a, cx.global);
      const proc = cx.requestProc((fns[0] as TS.Identifier).text, 'softirq', fns[0]!);
      if (proc !== undefined) cx.registrations.push({ role: 'softirq', proc });
      return;
    }
    case 'mmu_interval_notifier_insert':
      registerNotifier(cx, e, undefined);
      return;
    case 'vm_operations':
      registerFaultHandler(cx, e);
      return;
    case 'dma_buf_attach':
    case 'dma_buf_dynamic_attach':
      topAttach(cx, e, undefined, e);
      return;
    default:
      if (CONSTRUCTOR_BY_NAME.has(callee)) cx.unsupported(`constructor '${callee}' whose instance is not bound`, e, `write \`const x = ${callee}(...);\``);
      if (API_BY_NAME.has(callee)) cx.unsupported(`operation '${callee}' at top level`, e, 'operations run inside functions; call it from a thread');
      if (cx.functions.has(callee)) cx.unsupported(`call of '${callee}' at top level`, e, `a model never runs code at top level: list it as a thread with \`threads(${callee})\``);
      if (callee === 'nondet') cx.unsupported('nondet() at top level', e, 'use nondet() inside functions');
      cx.fail('LMC201', `unknown identifier '${callee}'`, e.expression, didYouMean(cx, callee, 'call') ?? 'kernel APIs and registrations are listed in docs/model-language.md');
  }
}

/** `mmu_interval_notifier_insert(mm, fn, opts?)`: the notifier instance and its invalidate callback. */
function registerNotifier(cx: ExtractContext, e: TS.CallExpression, bound: string | undefined): InstanceId {
  noSpread(cx, e);
  const args = e.arguments;
  if (args.length < 2 || args.length > 3) cx.fail('LMC202', `mmu_interval_notifier_insert expects 2 or 3 arguments (mm, invalidate, options?), got ${args.length}`, e, 'write `mmu_interval_notifier_insert(mm, invalidate);`');
  const mm = instanceArg(cx, args[0]!, cx.global, { kind: 'instance', name: 'mm', kinds: ['mm'] }, 'mmu_interval_notifier_insert', 1);
  const fn = fnArg(cx, args[1]!, 'mmu_interval_notifier_insert');
  let nonBlocking = false;
  if (args[2]) {
    for (const [k, v] of options(cx, args[2], ['blockable'], 'mmu_interval_notifier_insert')) {
      if (typeof v !== 'boolean') cx.fail('LMC202', `mmu_interval_notifier_insert: option '${k}' must be true or false`, args[2], 'write `{ blockable: false }`');
      if (k === 'blockable') nonBlocking = !v;
    }
  }
  const id = cx.addInstance({ name: bound ?? `${fn}_notifier`, kind: 'interval_notifier', mm }, bound ? e.parent && ts.isVariableDeclaration(e.parent) ? e.parent.name : e : e);
  const proc = cx.requestProc(fn, 'mmu_notifier', args[1]!);
  if (proc !== undefined) {
    cx.instances[id]!.proc = proc;
    const reg: Registration = { role: 'mmu_notifier', proc, notifier: id };
    if (nonBlocking) reg.nonBlocking = true;
    cx.registrations.push(reg);
  }
  return id;
}

/**
 * `vm_operations(mm, { fault })`: the `.fault` of a mapping in `mm`. A user
 * access of `mm` that faults (copy_*_user, get/put_user, GUP,
 * hmm_range_fault) runs it under mmap_lock read (mm/memory.c __do_fault).
 */
function registerFaultHandler(cx: ExtractContext, e: TS.CallExpression): void {
  noSpread(cx, e);
  const args = e.arguments;
  if (args.length !== 2) cx.fail('LMC202', `vm_operations expects 2 arguments (mm, { fault }), got ${args.length}`, e, 'write `vm_operations(mm, { fault: my_gem_fault });`');
  const mm = instanceArg(cx, args[0]!, cx.global, { kind: 'instance', name: 'mm', kinds: ['mm'] }, 'vm_operations', 1);
  let fn: { fn: string; node: TS.Node } | undefined;
  for (const [k, v] of options(cx, args[1]!, ['fault'], 'vm_operations')) {
    if (typeof v === 'boolean') cx.fail('LMC202', `vm_operations: option '${k}' must name a function`, args[1]!, 'write `{ fault: my_gem_fault }`');
    fn = v;
  }
  if (!fn) cx.fail('LMC202', 'vm_operations names no fault handler', args[1]!, 'write `{ fault: my_gem_fault }`');
  const proc = cx.requestProc(fn.fn, 'vm_fault', fn.node);
  if (proc !== undefined) cx.registrations.push({ role: 'vm_fault', proc, mm });
}

/** A top-level `dma_buf_attach(buf)`: an attachment instance every thread shares. */
function topAttach(cx: ExtractContext, e: TS.CallExpression, bound: string | undefined, at: TS.Node): InstanceId {
  const api = (e.expression as TS.Identifier).text;
  const { buf, importer } = importerOf(cx, e, api, cx.global);
  return cx.addInstance({ name: bound ?? `${cx.instances[buf]!.name}_attach`, kind: 'attachment', buf, importer }, ts.isVariableDeclaration(at) ? at.name : at);
}

/** A thread running `name`; a function listed twice runs as two threads (`f`, `f#2`). */
export function addThread(cx: ExtractContext, name: string, at: TS.Node, kind: Thread['kind']): void {
  const proc = cx.requestProc(name, 'thread', at);
  if (proc === undefined) return;
  const same = cx.threads.filter((t) => t.proc === proc).length;
  cx.threads.push({ id: cx.threads.length, name: same === 0 ? name : `${name}#${same + 1}`, proc, kind });
}

/** Whether `e` names `name` anywhere (a flags expression such as `IRQF_SHARED | IRQF_NO_THREAD`). */
function mentionsIdentifier(e: TS.Node, name: string): boolean {
  if (ts.isIdentifier(e)) return e.text === name;
  return ts.forEachChild(e, (c) => (mentionsIdentifier(c, name) ? true : undefined)) ?? false;
}
