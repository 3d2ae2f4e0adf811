import { describe, expect, test } from 'vitest';
import { extractModel } from '../../../model/frontend/index.js';
import { HEADER } from '../helpers.js';

/** Body lines start at line 6 (the shared header has 5 lines). */
function diags(body: string): [string, number | undefined, number | undefined, string][] {
  const r = extractModel({ file: 'r.model.ts', text: HEADER + body });
  expect(r.extracted).toBeUndefined();
  for (const d of r.diagnostics) expect(d.hint, d.message).toBeTruthy();
  return r.diagnostics.map((d) => [d.code, d.line, d.col, d.message]);
}

const L = 'const l = mutex();\n';

describe('unsupported constructs are LMC102 with the construct named', () => {
  test.each([
    ['eval', "export function t() {\n  eval('mutex_lock(l)');\n}\n", [['LMC102', 7, 3, 'unsupported construct: eval']]],
    ['require', "const fs = require('node:fs');\n", [['LMC102', 6, 12, 'unsupported construct: require']]],
    ['import', "import * as fs from 'node:fs';\n", [['LMC102', 6, 1, "unsupported construct: import of 'node:fs'"]]],
    ['import =', "import fs = require('fs');\n", [['LMC102', 6, 1, "unsupported construct: 'import =' (require) at top level"]]],
    ['dynamic import', "export function t() {\n  import('node:fs');\n}\n", [['LMC102', 7, 3, 'unsupported construct: dynamic import()']]],
    ['class', 'class Foo {}\n', [['LMC102', 6, 1, 'unsupported construct: class at top level']]],
    ['class in a function', 'export function t() {\n  class Foo {}\n}\n', [['LMC102', 7, 3, 'unsupported construct: class']]],
    ['closure const', 'const f = () => {};\n', [['LMC102', 6, 11, 'unsupported construct: a closure as a top-level value']]],
    ['closure callback', 'register_shrinker(() => {});\n', [['LMC102', 6, 19, 'unsupported construct: closure']]],
    ['nested function', 'export function t() {\n  function inner() {}\n}\n', [['LMC102', 7, 12, 'unsupported construct: closure (nested function)']]],
    ['property access', L + 'export function t() {\n  mutex_lock(l.inner);\n}\n', [['LMC102', 8, 14, "unsupported construct: property access 'l.inner'"]]],
    ['method call', L + 'export function t() {\n  l.lock();\n}\n', [['LMC102', 8, 3, "unsupported construct: method call 'l.lock(...)'"]]],
    ['assignment to an instance', L + 'const m = mutex();\nexport function t() {\n  l = m;\n}\n', [['LMC102', 9, 3, 'unsupported construct: assignment to an instance']]],
    ['arithmetic on instances', L + 'export function t() {\n  mutex_lock(l + 1);\n}\n', [['LMC102', 8, 14, 'unsupported construct: arithmetic on instances']]],
    ['Function constructor', "export function t() {\n  Function('return 1');\n}\n", [['LMC102', 7, 3, 'unsupported construct: Function constructor']]],
    ['new Function', "export function t() {\n  new Function('return 1');\n}\n", [['LMC102', 7, 3, 'unsupported construct: new']]],
    ['prototype assignment', 'Object.prototype.toString = null;\n', [['LMC102', 6, 1, 'unsupported construct: assignment']]],
    ['globalThis', 'export function t() {\n  globalThis.process.exit(1);\n}\n', [['LMC102', 7, 3, "unsupported construct: method call 'globalThis.process.exit(...)'"]]],
    ['__proto__ object', 'const o = { __proto__: null };\n', [['LMC102', 6, 11, 'unsupported construct: an object literal as a top-level value']]],
    ['while', 'export function t() {\n  while (nondet()) {}\n}\n', [['LMC102', 7, 3, "unsupported construct: 'while' loop"]]],
    ['do', 'export function t() {\n  do {} while (nondet());\n}\n', [['LMC102', 7, 3, "unsupported construct: 'do ... while' loop"]]],
    ['try', 'export function t() {\n  try {} catch {}\n}\n', [['LMC102', 7, 3, "unsupported construct: 'try' statement"]]],
    ['let', 'export function t() {\n  let x = 1;\n}\n', [['LMC102', 7, 3, "unsupported construct: 'let' declaration"]]],
    ['top-level let', 'let l = mutex();\n', [['LMC102', 6, 1, "unsupported construct: 'let' declaration"]]],
    ['top-level operation', L + 'mutex_lock(l);\n', [['LMC102', 7, 1, "unsupported construct: operation 'mutex_lock' at top level"]]],
    ['top-level call of a function', 'function f() {}\nf();\n', [['LMC102', 7, 1, "unsupported construct: call of 'f' at top level"]]],
    ['async function', 'export async function t() {}\n', [['LMC102', 6, 1, 'unsupported construct: async function']]],
    ['second threads()', 'function f() {}\nthreads(f);\nthreads(f);\n', [['LMC102', 8, 1, 'unsupported construct: a second threads(...) call']]],
    ['conditional expression', 'export function t() {\n  const x = nondet() ? 1 : 2;\n}\n', [['LMC102', 7, 13, 'unsupported construct: conditional expression (?:)']]],
    ['increment', 'export function t() {\n  const x = 1;\n  x++;\n}\n', [['LMC102', 8, 3, 'unsupported construct: assignment (increment)']]],
    ['labelled break', 'export function t() {\n  outer: for (let i = 0; i < 2; i++) { break outer; }\n}\n', [['LMC102', 7, 3, "unsupported construct: label"]]],
  ])('%s', (_name, body, expected) => {
    expect(diags(body)).toEqual(expected);
  });
});

describe('loops', () => {
  test.each([
    ['for ... of', 'export function t() {\n  for (const x of [1, 2]) {}\n}\n', [['LMC103', 7, 3, "unbounded loop: 'for ... of' has no constant bound"]]],
    ['for (;;)', 'export function t() {\n  for (;;) {}\n}\n', [['LMC103', 7, 3, 'unbounded loop: the for loop has no `let i = <constant>` initialiser']]],
    ['no condition', 'export function t() {\n  for (let i = 0; ; i++) {}\n}\n', [['LMC103', 7, 3, 'unbounded loop: the for loop has no condition']]],
    ['diverging', 'export function t() {\n  for (let i = 0; i < 10; i--) {}\n}\n', [['LMC103', 7, 3, "unbounded loop: 'i' moves away from the bound and the loop never ends"]]],
    ['non-constant step', 'const N = 2;\nexport function t() {\n  for (let i = 0; i < N; i += nondet()) {}\n}\n', [['LMC103', 8, 26, 'unbounded loop: the step must be i++, i--, i += k or i -= k with k a non-zero constant']]],
  ])('%s is LMC103', (_name, body, expected) => {
    expect(diags(body)).toEqual(expected);
  });
});

describe('semantic errors found while extracting', () => {
  test.each([
    ['unknown function', L + 'export function t() {\n  frobnicate(l);\n}\n', [['LMC201', 8, 3, "unknown identifier 'frobnicate'"]]],
    ['unknown thread', 'threads(nope);\n', [['LMC201', 6, 9, "unknown function 'nope'"]]],
    ['use before top-level declaration', 'function inv() {}\nmmu_interval_notifier_insert(mm, inv);\nconst mm = mm_struct();\nexport function t() {}\n', [['LMC201', 7, 30, "'mm' is used before its declaration"]]],
    ['wrong arity', L + 'export function t() {\n  mutex_lock(l, l);\n}\n', [['LMC202', 8, 3, 'mutex_lock expects 1 argument, got 2']]],
    ['dma_buf for dma_resv', 'const buf = dma_buf();\nexport function t() {\n  dma_resv_lock(buf, null);\n}\n', [['LMC202', 8, 17, "dma_resv_lock expects a dma_resv as argument 1 (obj), got dma_buf 'buf'"]]],
    [
      'ww class mismatch',
      'const bo = dma_resv_object();\nexport function t() {\n  const ctx = ww_acquire_init(crtc_ww_class);\n  dma_resv_lock(bo, ctx);\n  dma_resv_unlock(bo);\n  ww_acquire_fini(ctx);\n}\n',
      [['LMC202', 9, 21, "dma_resv_lock: the acquire context 'ctx' is of crtc_ww_class, but 'bo' is a reservation_ww_class lock"]],
    ],
    ['GFP mask missing', 'export function t() {\n  kmalloc(42);\n}\n', [['LMC202', 7, 11, 'kmalloc expects a GFP mask as its last argument, got a number']]],
    ['unknown exporter option', 'const buf = dma_buf({ moveable: true });\n', [['LMC202', 6, 23, "dma_buf: unknown option 'moveable'"]]],
    ['non-literal class', "const n = 'x';\n", [['LMC102', 6, 11, 'unsupported construct: a string as a top-level value']]],
    ['class must be a string literal', 'const l = mutex(42);\n', [['LMC202', 6, 17, 'mutex: the lockdep class must be a string literal']]],
    ['nondet(1)', 'export function t() {\n  if (nondet(1)) {}\n}\n', [['LMC202', 7, 14, 'nondet(n) needs a constant n between 2 and 64']]],
    ['helper arity', 'function h(x) {}\nexport function t() {\n  h();\n}\n', [['LMC202', 8, 3, 'h expects 1 argument, got 0']]],
    ['entry parameter used as a lock', 'export function t(l) {\n  mutex_lock(l);\n}\n', [['LMC202', 7, 14, "mutex_lock expects a mutex as argument 1 (lock), got 'l' (a parameter of thread 't', which has no value)"]]],
    ['self recursion', 'export function t() {\n  t();\n}\n', [['LMC203', 7, 3, 'recursion: t -> t']]],
    ['detach from the wrong buffer', 'const a = dma_buf();\nconst b = dma_buf();\nconst att = dma_buf_attach(a);\nexport function t() {\n  dma_buf_detach(b, att);\n}\n', [['LMC202', 10, 21, "dma_buf_detach: attachment 'att' belongs to 'a', not 'b'"]]],
    ['list index out of range', 'const a = mutex();\nconst ls = [a];\nexport function t() {\n  mutex_lock(ls[1]);\n}\n', [['LMC202', 9, 14, "mutex_lock: index 1 is out of range for 'ls' (1 element)"]]],
    ['non-constant list index', 'const a = mutex();\nconst ls = [a];\nexport function t(n) {\n  mutex_lock(ls[n]);\n}\n', [['LMC103', 9, 17, "non-constant index 'n'"]]],
    ['non-instance in a list', 'const a = mutex();\nconst ls = [a, 3];\n', [['LMC102', 7, 16, 'unsupported construct: a number in a list']]],
    ['empty model', '', [['LMC204', undefined, undefined, 'the model has no threads']]],
    ['threads() with nothing', 'threads();\n', [['LMC204', 6, 1, 'threads() names no thread']]],
  ])('%s', (_name, body, expected) => {
    expect(diags(body)).toEqual(expected);
  });

  test('several independent errors are all reported, in source order', () => {
    expect(diags(L + 'export function t() {\n  mutex_lock(a);\n  mutex_lock(b);\n  while (nondet()) {}\n}\n')).toEqual([
      ['LMC201', 8, 14, "unknown identifier 'a'"],
      ['LMC201', 9, 14, "unknown identifier 'b'"],
      ['LMC102', 10, 3, "unsupported construct: 'while' loop"],
    ]);
  });
});

describe('hints for near misses', () => {
  test.each([
    ['const l = mutex();\nexport function t() {\n  mutex_lcok(l);\n}\n', "unknown identifier 'mutex_lcok'", "did you mean 'mutex_lock'?"],
    ['const notifier_lock = mutex();\nexport function t() {\n  mutex_lock(notifer_lock);\n}\n', "unknown identifier 'notifer_lock'", "did you mean 'notifier_lock'?"],
    ['export function t() {\n  kmalloc(GFP_KERNL);\n}\n', "unknown identifier 'GFP_KERNL'", "did you mean 'GFP_KERNEL'?"],
    ['export function t() {\n  const ctx = ww_acquire_init(reservation_ww_class);\n  ww_acquire_fini(ctxx);\n}\n', "unknown identifier 'ctxx'", "did you mean 'ctx'?"],
    ['export function t() {\n  const ctx = ww_acquire_init(reservaton_ww_class);\n  ww_acquire_fini(ctx);\n}\n', "unknown identifier 'reservaton_ww_class'", "did you mean 'reservation_ww_class'?"],
    ['function run_job() {}\nthreads(run_jb);\n', "unknown function 'run_jb'", "did you mean 'run_job'?"],
  ])('%#', (body, message, hint) => {
    const r = extractModel({ file: 'r.model.ts', text: HEADER + body });
    expect(r.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([['LMC201', message, hint]]);
  });
});

describe('no cascades', () => {
  test('a failed declaration is reported once, not at every use', () => {
    expect(diags('const l = mutx();\nexport function t() {\n  mutex_lock(l);\n  mutex_unlock(l);\n}\n')).toEqual([['LMC201', 6, 11, "unknown identifier 'mutx'"]]);
    expect(
      diags('const bo = dma_resv_object();\nexport function t() {\n  const ctx = ww_acquire_init(42);\n  dma_resv_lock(bo, ctx);\n  dma_resv_unlock(bo);\n  ww_acquire_fini(ctx);\n}\n'),
    ).toEqual([['LMC202', 8, 31, 'ww_acquire_init expects a ww class (reservation_ww_class or crtc_ww_class), got a number']]);
  });
});
