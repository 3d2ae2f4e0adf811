import { describe, expect, test } from 'vitest';
import { loadModel, validateModel, type ExtractedModel } from '../../model/index.js';
import { extractOk, HEADER } from './helpers.js';

function check(body: string): [string, number | undefined, number | undefined, string][] {
  const ex = extractOk(body);
  return validateModel(ex, HEADER + body).map((d) => [d.code, d.line, d.col, d.message]);
}

const LOCKS = 'const a = mutex();\nconst b = mutex();\nconst s = rw_semaphore();\nconst rw = rwlock();\n';
// Bodies below start at line 6; LOCKS takes lines 6-9.

describe('validateModel: lock balance per path', () => {
  test('balanced branches are clean', () => {
    expect(
      check(LOCKS + 'export function t() {\n  mutex_lock(a);\n  if (nondet()) {\n    mutex_unlock(a);\n    return;\n  }\n  mutex_unlock(a);\n}\n'),
    ).toEqual([]);
  });

  test('lock on one branch only: the unlock is a finding (lockdep-bad-unlock-balance), not a model error', () => {
    expect(check(LOCKS + 'export function t() {\n  if (nondet()) {\n    mutex_lock(a);\n  }\n  mutex_unlock(a);\n}\n')).toEqual([]);
  });

  test('an unlock of a lock no path ever takes: LMC205', () => {
    expect(check(LOCKS + 'export function t() {\n  mutex_unlock(b);\n}\n')).toEqual([
      ['LMC205', 11, 3, "mutex_unlock() releases 'b', which no path of the model ever acquires"],
    ]);
  });

  test('a second acquisition of a held lock is a finding (lockdep-recursive-locking), not a model error; its unlocks balance', () => {
    expect(check(LOCKS + 'export function t() {\n  read_lock(rw);\n  read_lock(rw);\n  read_unlock(rw);\n  read_unlock(rw);\n}\n')).toEqual([]);
    expect(check(LOCKS + 'export function t() {\n  down_read(s);\n  down_read(s);\n  up_read(s);\n  up_read(s);\n}\n')).toEqual([]);
  });

  test('the success branch of a trylock of a held lock cannot happen: LMC207', () => {
    expect(check(LOCKS + 'export function t() {\n  mutex_lock(a);\n  if (mutex_trylock(a)) {\n    mutex_unlock(a);\n  }\n  mutex_unlock(a);\n}\n')).toEqual([
      ['LMC207', 12, 7, "mutex_trylock() succeeds on 'a' although thread 't' already holds it on some path"],
    ]);
  });

  test('callbacks are checked too, and named by their role', () => {
    expect(check(LOCKS + 'function scan() {\n  if (!mutex_trylock(a)) {\n    return;\n  }\n}\nregister_shrinker(scan);\nexport function t() {}\n')).toEqual([
      ['LMC206', 11, 8, "'a' is still held when shrinker 'scan' returns on some path"],
    ]);
  });

  test('ww: an unhandled -EDEADLK or a duplicate skipped on -EALREADY is left to the ww rules', () => {
    const ww = 'const x = dma_resv_object();\nconst y = dma_resv_object();\n';
    expect(
      check(
        ww +
          'export function t() {\n  const ctx = ww_acquire_init(reservation_ww_class);\n  dma_resv_lock(x, ctx);\n  dma_resv_lock(y, ctx);\n  dma_resv_unlock(y);\n  dma_resv_unlock(x);\n  ww_acquire_fini(ctx);\n}\n',
      ),
    ).toEqual([]);
    expect(
      check(
        ww +
          'export function t() {\n  const ctx = ww_acquire_init(reservation_ww_class);\n  dma_resv_lock(x, ctx);\n  if (dma_resv_lock(x, ctx) === -EALREADY) {\n  }\n  dma_resv_unlock(x);\n  ww_acquire_fini(ctx);\n}\n',
      ),
    ).toEqual([]);
  });

  test('a ww lock without a context taken twice is a self-deadlock the rules report, not a model error', () => {
    expect(check('const x = dma_resv_object();\nexport function t() {\n  dma_resv_lock(x, null);\n  dma_resv_lock(x, null);\n  dma_resv_unlock(x);\n  dma_resv_unlock(x);\n}\n')).toEqual([]);
  });
});

describe('validateModel: annotations', () => {
  test('dma_fence_end_signalling twice: the second has no matching begin', () => {
    expect(
      check('export function t() {\n  const c = dma_fence_begin_signalling();\n  dma_fence_end_signalling(c);\n  dma_fence_end_signalling(c);\n}\n'),
    ).toEqual([['LMC208', 9, 3, 'dma_fence_end_signalling(c) has no matching dma_fence_begin_signalling() on some path']]);
  });

  test('memalloc scopes: out of order, and never restored', () => {
    expect(
      check(
        'export function t() {\n  const f = memalloc_nofs_save();\n  const g = memalloc_noio_save();\n  memalloc_nofs_restore(f);\n  memalloc_noio_restore(g);\n}\n',
      ),
    ).toEqual([['LMC209', 9, 3, 'memalloc_nofs_restore(f) restores an outer scope while an inner one is open']]);
    expect(check('export function t() {\n  const f = memalloc_noreclaim_save();\n  if (nondet()) {\n    memalloc_noreclaim_restore(f);\n  }\n}\n')).toEqual([
      ['LMC209', 7, 13, "memalloc_noreclaim_save() is not restored before thread 't' returns on some path"],
    ]);
  });

  test('LMC210 on the IR: a context used on a path where it was never created', () => {
    // Hand-built: the front end cannot produce this from source (consts are
    // block-scoped), but a pass that rewrites the IR could.
    const ex: ExtractedModel = {
      model: {
        schemaVersion: 1,
        file: 'ir.model.ts',
        sourceHash: '0',
        header: { description: '', expect: [], ruleOptions: {} },
        instances: [
          { id: 0, name: 'bo', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
          { id: 1, name: 'ctx', kind: 'ww_ctx', lockClass: 'reservation_ww_class_acquire', wwClass: 'reservation_ww_class', local: true },
        ],
        procs: [
          {
            id: 0,
            name: 't',
            role: 'thread',
            nodes: [
              { kind: 'choice', id: 0, next: [1, 2] },
              { kind: 'op', id: 1, op: { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: 1, wwClass: 'reservation_ww_class' }, next: { ok: 2 } },
              { kind: 'op', id: 2, op: { kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx: 1 }, next: { ok: 3 } },
              { kind: 'end', id: 3 },
            ],
          },
        ],
        threads: [{ id: 0, name: 't', proc: 0, kind: 'thread' }],
        registrations: [],
      },
      sourceMap: { file: 'ir.model.ts', nodes: [[undefined, undefined, { line: 4, col: 3, endLine: 4, endCol: 23 }, undefined]], instances: [], procs: [], inlined: [[]] },
    };
    expect(validateModel(ex).map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['LMC210', 4, 3, "'ctx' is used by ww_acquire_fini() before it is created on some path"],
    ]);
  });

  test('loadModel runs validation and drops the IR on errors', () => {
    const r = loadModel('v.model.ts', HEADER + 'const a = mutex();\nexport function t() {\n  mutex_lock(a);\n}\n');
    expect(r.extracted).toBeUndefined();
    expect(r.header?.expect).toEqual([{ kind: 'holds', rules: 'all', line: 3 }]);
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.sourceLine, d.caret])).toEqual([
      ['LMC206', 8, 3, '  mutex_lock(a);', '  ^^^^^^^^^^^^^'],
    ]);
  });
});
