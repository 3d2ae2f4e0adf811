/**
 * Resolving call arguments: what an argument expression names (an
 * instance, a list element, a buffer's reservation, a function, a GFP
 * mask, a compile-time constant, an options object), with the diagnostic
 * that says what was expected when it names something else. Shared by the
 * top level and function bodies; builds no control flow.
 */

import type { ts as TS } from 'ts-morph';
import { ts } from './typescript.js';
import { FRONTEND_LIMITS } from '../diagnostics.js';
import type { Instance, InstanceId, InstanceKind } from '../ir.js';
import { API_BY_NAME, CONSTRUCTOR_BY_NAME, GFP_BY_NAME, IMPORTER_CAP_OPTIONS, VALUE_CONSTANTS, WW_CLASSES, type ArgSpec } from '../vocabulary.js';
import type { ExtractContext } from './context.js';
import type { Env, Frame } from './scope.js';
import { article, binaryValue, describeExpr, editDistance, skipParens, truncate } from './syntax.js';

/** How each kind is declared, for hints that show the constructor to write. */
export const KIND_CTOR: Partial<Record<InstanceKind, string>> = {
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
  gem_object: 'userptr_object(mm)',
  ww_ctx: 'ww_acquire_init(reservation_ww_class)',
  signalling_cookie: 'dma_fence_begin_signalling()',
  memalloc_cookie: 'memalloc_nofs_save()',
  attachment: 'dma_buf_attach(buf)',
  interval_notifier: 'mmu_interval_notifier_insert(mm, fn)',
  hardware: 'hardware({ irq })',
  drm_sched: 'drm_gpu_scheduler({ run_job })',
  phyr: 'phyr_from_pages()',
  pm_device: 'dev_pm_ops({ runtime_resume, runtime_suspend })',
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

/** Calls written only at top level (threads and registrations). */
export const TOP_ONLY = new Set(['threads', 'register_shrinker', 'request_irq', 'request_threaded_irq', 'mmu_interval_notifier_insert', 'open_softirq', 'tasklet_setup', 'timer_setup']);

// --- call shape and callbacks ------------------------------------------------

/** `f(...xs)` has no fixed arguments to resolve. */
export function noSpread(cx: ExtractContext, call: TS.CallExpression): void {
  for (const a of call.arguments) if (ts.isSpreadElement(a)) cx.unsupported('spread argument', a, 'pass each argument explicitly');
}

/** Reject callees that are not plain identifiers, naming the construct. */
export function checkCallee(cx: ExtractContext, e: TS.CallExpression): void {
  const c = e.expression;
  if (c.kind === ts.SyntaxKind.ImportKeyword) cx.unsupported('dynamic import()', e, "a model never imports: write only `import type {} from 'lockmc/kernel';`");
  if (ts.isIdentifier(c)) {
    if (c.text === 'eval') cx.unsupported('eval', e, 'a model is never executed; write the operations directly');
    if (c.text === 'require') cx.unsupported('require', e, "a model never imports: write only `import type {} from 'lockmc/kernel';`");
    if (c.text === 'Function') cx.unsupported('Function constructor', e, 'write a function declaration');
    return;
  }
  if (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) {
    cx.unsupported(`method call '${truncate(c.getText(cx.sf))}(...)'`, c, 'call kernel APIs as plain functions, e.g. `mutex_lock(l)`; the only property is `buf.resv`');
  }
  cx.unsupported(`call of ${describeExpr(c)}`, c, 'call a kernel API or a function of this file by name');
}

/** A callback argument: the name of a function of this file. */
export function fnArg(cx: ExtractContext, a: TS.Expression, api: string): string {
  const e = skipParens(a);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) cx.unsupported('closure', e, 'declare the callback as a top-level `function name() { ... }` and pass its name');
  if (!ts.isIdentifier(e)) cx.fail('LMC202', `${api} expects a function of this file, got ${describeExpr(e)}`, e, 'pass the name of a top-level function');
  if (!cx.functions.has(e.text)) {
    if (cx.global.get(e.text)) cx.fail('LMC202', `${api} expects a function, but '${e.text}' is an instance`, e, 'pass the name of a top-level function');
    const near = [...cx.functions.keys()].sort().find((f) => editDistance(f, e.text, 3) < 3);
    cx.fail('LMC201', `unknown function '${e.text}'`, e, near ? `did you mean '${near}'?` : `declare it in this file: \`function ${e.text}() { ... }\``);
  }
  return e.text;
}

/** A ww class argument (`reservation_ww_class`), by name or string. */
export function wwClassArg(cx: ExtractContext, a: TS.Expression, api: string): string {
  const e = skipParens(a);
  if (ts.isIdentifier(e) && (WW_CLASSES as readonly string[]).includes(e.text)) return e.text;
  if (ts.isStringLiteral(e) && (WW_CLASSES as readonly string[]).includes(e.text)) return e.text;
  const unknown = firstUnknown(cx, e, cx.global);
  if (unknown) unknownIdentifier(cx, unknown);
  cx.fail('LMC202', `${api} expects a ww class (${WW_CLASSES.join(' or ')}), got ${describeExpr(e)}`, e, `write \`${api}(reservation_ww_class)\``);
}

/** `{ key: true, cb: fn }` → entries; values are booleans or function names. */
export function options(cx: ExtractContext, a: TS.Expression, keys: readonly string[], api: string): [string, boolean | { fn: string; node: TS.Node }][] {
  const e = skipParens(a);
  if (!ts.isObjectLiteralExpression(e)) cx.fail('LMC202', `${api} expects an options object { ${keys.join(', ')} }, got ${describeExpr(e)}`, e, `write \`{ ${keys[0]}: true }\``);
  const out: [string, boolean | { fn: string; node: TS.Node }][] = [];
  for (const p of e.properties) {
    let key: string | undefined;
    let value: TS.Expression | undefined;
    if (ts.isPropertyAssignment(p)) {
      if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) key = p.name.text;
      value = p.initializer;
    } else if (ts.isShorthandPropertyAssignment(p)) {
      key = p.name.text;
      value = p.name;
    } else {
      cx.unsupported(`${ts.isSpreadAssignment(p) ? 'spread' : 'method'} in an options object`, p, `write \`{ ${keys[0]}: ... }\``);
    }
    if (key === undefined || !keys.includes(key)) {
      cx.fail('LMC202', `${api}: unknown option '${key ?? p.getText(cx.sf)}'`, p, `the options are: ${keys.join(', ')}`);
    }
    const v = skipParens(value!);
    if (v.kind === ts.SyntaxKind.TrueKeyword) out.push([key, true]);
    else if (v.kind === ts.SyntaxKind.FalseKeyword) out.push([key, false]);
    else if (ts.isIdentifier(v) && cx.functions.has(v.text)) out.push([key, { fn: v.text, node: v }]);
    else if (ts.isArrowFunction(v) || ts.isFunctionExpression(v)) cx.unsupported('closure', v, 'declare the callback as a top-level function and pass its name');
    else cx.fail('LMC202', `${api}: option '${key}' must be true, false or a function name, got ${describeExpr(v)}`, v, `write \`{ ${key}: true }\``);
  }
  out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return out;
}

/** The buffer and importer of `dma_buf_attach(buf)` / `dma_buf_dynamic_attach(buf, ops)`, at top level or in a body. */
export function importerOf(cx: ExtractContext, call: TS.CallExpression, api: string, env: Env): { buf: InstanceId; importer: NonNullable<Instance['importer']> } {
  noSpread(cx, call);
  const dynamic = api === 'dma_buf_dynamic_attach';
  const max = dynamic ? 2 : 1;
  if (call.arguments.length < 1 || call.arguments.length > max) {
    cx.fail('LMC202', `${api} expects ${dynamic ? '1 or 2 arguments (dmabuf, importer_ops?)' : '1 argument (dmabuf)'}, got ${call.arguments.length}`, call, dynamic ? 'write `dma_buf_dynamic_attach(buf, { invalidate_mappings: fn })`' : 'write `dma_buf_attach(buf)`');
  }
  const buf = instanceArg(cx, call.arguments[0]!, env, { kind: 'instance', name: 'dmabuf', kinds: ['dma_buf'] }, api, 1);
  const importer: NonNullable<Instance['importer']> = { dynamic, peer2peer: false };
  if (dynamic && call.arguments[1]) {
    for (const [k, v] of options(cx, call.arguments[1], ['invalidate_mappings', 'move_notify', 'allow_peer2peer', ...Object.keys(IMPORTER_CAP_OPTIONS)], api)) {
      if (k in IMPORTER_CAP_OPTIONS) {
        if (typeof v !== 'boolean') cx.fail('LMC202', `${api}: option '${k}' must be true or false`, call.arguments[1], `write \`{ ${k}: true }\``);
        const field = IMPORTER_CAP_OPTIONS[k]!;
        // `faultable: false` is the declaration; every other capability is declared `true`.
        if (field === 'unfaultable' ? !v : v) (importer.caps ??= {})[field] = true;
      } else if (k === 'allow_peer2peer') {
        if (typeof v !== 'boolean') cx.fail('LMC202', `${api}: option 'allow_peer2peer' must be true or false`, call.arguments[1], 'write `{ allow_peer2peer: true }`');
        importer.peer2peer = v;
      } else {
        if (typeof v !== 'object') cx.fail('LMC202', `${api}: option '${k}' must name a function of this file`, call.arguments[1], `write \`{ ${k}: my_invalidate }\``);
        const proc = cx.requestProc(v.fn, 'invalidate_mappings', v.node);
        if (proc !== undefined) importer.invalidate = proc;
      }
    }
  }
  // Stable key order in JSON.
  const ordered: NonNullable<Instance['importer']> = (importer.invalidate !== undefined
    ? { dynamic: importer.dynamic, invalidate: importer.invalidate, peer2peer: importer.peer2peer }
    : { dynamic: importer.dynamic, peer2peer: importer.peer2peer }) satisfies NonNullable<Instance['importer']>;
  if (importer.caps) ordered.caps = importer.caps;
  return { buf, importer: ordered };
}

// --- names ------------------------------------------------------------------

/** Report a name that resolves to nothing, saying why (used before its declaration, a function, a host object, a typo). */
export function unknownIdentifier(cx: ExtractContext, id: TS.Identifier, frame?: Frame): never {
  const name = id.text;
  const local = frame?.declared.get(name);
  if (local) {
    const init = local.initializer && skipParens(local.initializer);
    const creator = init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) ? API_BY_NAME.get(init.expression.text) : undefined;
    if (creator?.creates && creator.creates !== 'seq') {
      cx.fail('LMC210', `'${name}' is used before it is created by ${creator.api}()`, id, `move \`const ${name} = ${creator.api}(...)\` before its first use`);
    }
    cx.fail('LMC201', `'${name}' is used before its declaration`, id, `move \`const ${name} = ...\` before its first use`);
  }
  if (cx.topDeclared.has(name)) {
    cx.fail('LMC201', `'${name}' is used before its declaration`, id, `move \`const ${name} = ...\` above this line`);
  }
  if (cx.functions.has(name)) {
    cx.fail('LMC202', `'${name}' is a function, not a value`, id, `call it (\`${name}();\`) or pass it where a callback is expected`);
  }
  if (name === 'undefined' || name === 'NaN' || name === 'Infinity') cx.unsupported(`'${name}'`, id, 'use `null` or a number');
  if (name === 'globalThis' || name === 'process' || name === 'window' || name === 'Object' || name === 'Reflect' || name === 'Proxy') {
    cx.unsupported(`host object '${name}'`, id, 'a model only uses kernel APIs from lockmc/kernel');
  }
  cx.fail('LMC201', `unknown identifier '${name}'`, id, didYouMean(cx, name, 'value', frame) ?? `declare it at top level, e.g. \`const ${name} = mutex();\``);
}

/** `did you mean 'mutex_lock'?` for a near miss (edit distance <= 2), else undefined. */
export function didYouMean(cx: ExtractContext, name: string, what: 'call' | 'value', frame?: Frame): string | undefined {
  const pool: string[] =
    what === 'call'
      ? [...API_BY_NAME.keys(), ...cx.functions.keys(), ...CONSTRUCTOR_BY_NAME.keys(), ...TOP_ONLY, 'nondet', 'dma_buf_dynamic_attach']
      : [...cx.topDeclared.keys(), ...(frame ? frame.declared.keys() : []), ...Object.keys(VALUE_CONSTANTS), ...GFP_BY_NAME.keys(), ...WW_CLASSES];
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
export function firstUnknown(cx: ExtractContext, e: TS.Node, env: Env, depth = 0): TS.Identifier | undefined {
  if (depth > FRONTEND_LIMITS.maxDepth) return undefined;
  if (ts.isIdentifier(e)) {
    const n = e.text;
    const known = env.get(n) || GFP_BY_NAME.has(n) || Object.prototype.hasOwnProperty.call(VALUE_CONSTANTS, n) || cx.functions.has(n) || API_BY_NAME.has(n) || CONSTRUCTOR_BY_NAME.has(n) || (WW_CLASSES as readonly string[]).includes(n);
    return known ? undefined : e;
  }
  if (ts.isPropertyAccessExpression(e)) return firstUnknown(cx, e.expression, env, depth + 1);
  let found: TS.Identifier | undefined;
  e.forEachChild((c) => {
    found ??= firstUnknown(cx, c, env, depth + 1);
  });
  return found;
}

// --- instances --------------------------------------------------------------

/** An instance reference, or undefined if `e` is not one (no diagnostic). */
export function tryInstanceRef(cx: ExtractContext, e: TS.Expression, env: Env, depth = 0): InstanceId | undefined {
  e = skipParens(e);
  if (depth > FRONTEND_LIMITS.maxDepth) cx.depthCheck(depth, e);
  if (ts.isIdentifier(e)) {
    const b = env.get(e.text);
    return b?.kind === 'instance' ? b.id : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'resv') {
    const base = tryInstanceRef(cx, e.expression, env, depth + 1);
    return base === undefined ? undefined : cx.instances[base]!.resv;
  }
  if (ts.isElementAccessExpression(e) && ts.isIdentifier(skipParens(e.expression))) {
    const b = env.get((skipParens(e.expression) as TS.Identifier).text);
    const i = b?.kind === 'list' ? constValue(cx, e.argumentExpression, env, depth + 1) : undefined;
    return b?.kind === 'list' && i !== undefined ? b.items[i] : undefined;
  }
  return undefined;
}

/** `bos[i]` as an argument: the list, a constant index, in range. */
function elementArg(cx: ExtractContext, e: TS.ElementAccessExpression, env: Env, api: string, frame?: Frame): InstanceId {
  const base = skipParens(e.expression);
  if (!ts.isIdentifier(base)) cx.unsupported(`element access '${truncate(e.getText(cx.sf))}'`, e, 'index a top-level or local list: `const bos = [a, b]; ... bos[i]`');
  const b = env.get(base.text);
  if (!b) unknownIdentifier(cx, base, frame);
  if (b.kind !== 'list') cx.fail('LMC202', `${api}: '${base.text}' is not a list of instances`, base, `declare it as \`const ${base.text} = [a, b];\``);
  const i = constValue(cx, e.argumentExpression, env);
  if (i === undefined) cx.fail('LMC103', `non-constant index '${truncate(e.argumentExpression.getText(cx.sf))}'`, e.argumentExpression, 'index with a number or the variable of an unrolled `for` loop');
  if (!Number.isInteger(i) || i < 0 || i >= b.items.length) {
    cx.fail('LMC202', `${api}: index ${i} is out of range for '${base.text}' (${b.items.length} element${b.items.length === 1 ? '' : 's'})`, e, `use an index from 0 to ${b.items.length - 1}`);
  }
  return b.items[i]!;
}

/** `[a, b.resv, c]` → the instances, or undefined if some element is not one. */
export function tryList(cx: ExtractContext, e: TS.Expression, env: Env): InstanceId[] | undefined {
  e = skipParens(e);
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  const ids: InstanceId[] = [];
  for (const x of e.elements) {
    const id = ts.isSpreadElement(x) ? undefined : tryInstanceRef(cx, x, env);
    if (id === undefined) {
      const bad = ts.isSpreadElement(x) ? x : skipParens(x);
      const unknown = firstUnknown(cx, bad, env);
      if (unknown) unknownIdentifier(cx, unknown);
      cx.unsupported(`${describeExpr(bad)} in a list`, bad, 'a list holds instances only: `const bos = [a, b];`');
    }
    ids.push(id);
  }
  return ids;
}

/** Argument `pos` of `api` as an instance of one of `spec.kinds`, or the diagnostic that says what it is instead. */
export function instanceArg(cx: ExtractContext, a: TS.Expression, env: Env, spec: Extract<ArgSpec, { kind: 'instance' }>, api: string, pos: number, frame?: Frame): InstanceId {
  const e = skipParens(a);
  let id: InstanceId | undefined;
  if (ts.isIdentifier(e)) {
    const b = env.get(e.text);
    if (!b) {
      if (e.text in VALUE_CONSTANTS || GFP_BY_NAME.has(e.text)) cx.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got the constant ${e.text}`, e, kindHint(api, spec.kinds, undefined));
      unknownIdentifier(cx, e, frame);
    }
    if (b.kind !== 'instance') {
      const what = b.kind === 'opaque' ? b.what : b.kind === 'null' ? 'null' : b.kind === 'seq' ? 'a notifier sequence' : b.kind === 'list' ? 'a list: index it' : 'a constant';
      cx.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got '${e.text}' (${what})`, e, kindHint(api, spec.kinds, undefined));
    }
    id = b.id;
  } else if (ts.isElementAccessExpression(e)) {
    id = elementArg(cx, e, env, api, frame);
  } else if (ts.isPropertyAccessExpression(e) && e.name.text === 'resv' && ts.isElementAccessExpression(skipParens(e.expression))) {
    const base = elementArg(cx, skipParens(e.expression) as TS.ElementAccessExpression, env, api, frame);
    if (cx.instances[base]!.resv === undefined) {
      cx.fail('LMC202', `'.resv' applies to a dma_buf, but '${cx.instances[base]!.name}' is a ${cx.instances[base]!.kind}`, e, 'pass the dma_resv itself, or declare the object with `dma_buf()`');
    }
    id = cx.instances[base]!.resv!;
  } else if (ts.isPropertyAccessExpression(e)) {
    if (e.name.text !== 'resv' || !ts.isIdentifier(e.expression)) {
      cx.unsupported(`property access '${truncate(e.getText(cx.sf))}'`, e, 'the only property in a model is a dma_buf\'s reservation, `buf.resv`');
    }
    const b = env.get(e.expression.text);
    if (!b) unknownIdentifier(cx, e.expression, frame);
    if (b.kind !== 'instance' || cx.instances[b.id]!.resv === undefined) {
      cx.fail('LMC202', `'.resv' applies to a dma_buf, but '${e.expression.text}' is ${b.kind === 'instance' ? `a ${cx.instances[b.id]!.kind}` : 'not an instance'}`, e, 'pass the dma_resv itself, or declare the object with `dma_buf()`');
    }
    id = cx.instances[b.id]!.resv!;
  } else if (e.kind === ts.SyntaxKind.NullKeyword) {
    cx.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got null`, e, kindHint(api, spec.kinds, undefined));
  } else if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    cx.unsupported('closure', e, 'declare the callback as a top-level function and pass its name');
  } else if (ts.isBinaryExpression(e) || ts.isPrefixUnaryExpression(e)) {
    cx.unsupported('arithmetic on instances', e, 'pass the instance itself');
  } else if (ts.isCallExpression(e)) {
    cx.unsupported(`nested call '${truncate(e.getText(cx.sf))}' as an argument`, e, 'bind the result first: `const x = op(...);` then pass `x`');
  } else {
    cx.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got ${describeExpr(e)}`, e, kindHint(api, spec.kinds, undefined));
  }
  const inst = cx.instances[id]!;
  if (!spec.kinds.includes(inst.kind)) {
    cx.fail('LMC202', `${api} expects ${article(spec.kinds)} as argument ${pos} (${spec.name}), got ${inst.kind} '${inst.name}'`, e, kindHint(api, spec.kinds, inst));
  }
  return id;
}

/** How to obtain an instance `api` accepts, given what was passed. */
function kindHint(api: string, kinds: readonly InstanceKind[], got: Instance | undefined): string {
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
export function ignoredArg(cx: ExtractContext, a: TS.Expression, env: Env, frame?: Frame): void {
  const e = skipParens(a);
  if (ts.isIdentifier(e)) {
    if (env.get(e.text) || e.text in VALUE_CONSTANTS || GFP_BY_NAME.has(e.text) || e.text === 'true' || e.text === 'false') return;
    unknownIdentifier(cx, e, frame);
  }
  if (ts.isNumericLiteral(e) || ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return;
  if (e.kind === ts.SyntaxKind.NullKeyword || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword) return;
  if (ts.isPropertyAccessExpression(e)) {
    tryInstanceRef(cx, e, env) ?? cx.unsupported(`property access '${truncate(e.getText(cx.sf))}'`, e, "the only property in a model is `buf.resv`");
    return;
  }
  if (constValue(cx, e, env) !== undefined || tryGfp(e, env)) return;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) cx.unsupported('closure', e, 'declare the callback as a top-level function and pass its name');
  if (ts.isCallExpression(e)) cx.unsupported(`nested call '${truncate(e.getText(cx.sf))}' as an argument`, e, 'bind the result first: `const x = op(...);` then pass `x`');
  cx.unsupported(describeExpr(e) + ' as an argument', e, 'pass an instance, a number or a constant');
}

// --- constants --------------------------------------------------------------

/** A GFP mask (`GFP_KERNEL | __GFP_NOWARN`, or a const bound to one) as its flag names, or undefined. Never reports. */
export function tryGfp(e: TS.Expression, env: Env): string[] | undefined {
  e = skipParens(e);
  if (ts.isIdentifier(e)) {
    if (GFP_BY_NAME.has(e.text)) return [e.text];
    const b = env.get(e.text);
    return b?.kind === 'gfp' ? b.names : undefined;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarToken) {
    const l = tryGfp(e.left, env);
    const r = l && tryGfp(e.right, env);
    return l && r ? [...l, ...r] : undefined;
  }
  return undefined;
}

/** A compile-time integer, or undefined. Never reports. */
export function constValue(cx: ExtractContext, e: TS.Expression, env: Env, depth = 0): number | undefined {
  if (depth > FRONTEND_LIMITS.maxDepth) cx.depthCheck(depth, e);
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
    const v = constValue(cx, e.operand, env, depth + 1);
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
    const l = constValue(cx, e.left, env, depth + 1);
    const r = l === undefined ? undefined : constValue(cx, e.right, env, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    return binaryValue(e.operatorToken.kind, l, r);
  }
  return undefined;
}
