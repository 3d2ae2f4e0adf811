import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractModel, opOutcomesOf } from './support.js';
import { checkWellFormed, extractOk, op1, opsOf, path, proc } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLE = 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts';

describe('the docs/model-language.md example', () => {
  const text = readFileSync(join(ROOT, EXAMPLE), 'utf8');
  const r = extractModel({ file: EXAMPLE, text });

  test('extracts without diagnostics', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.extracted).toBeDefined();
  });

  const { model, sourceMap } = r.extracted!;

  test('header', () => {
    expect(model.header).toEqual({
      description: "A userptr BO whose mmu notifier waits for the job fence, while the job's run path allocates with GFP_KERNEL.",
      expect: [{ kind: 'violates', rule: 'fence-signalling-no-reclaim', check: 'reclaim-in-signalling', findingLine: 27, line: 4 }],
      ruleOptions: {},
    });
    expect(model.schemaVersion).toBe(1);
    expect(model.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('instances and their lockdep classes', () => {
    expect(model.instances).toEqual([
      { id: 0, name: 'mm', kind: 'mm', lockClass: '&mm->mmap_lock' },
      { id: 1, name: 'bo', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
      { id: 2, name: 'notifier_lock', kind: 'mutex', lockClass: 'notifier_lock' },
      { id: 3, name: 'job', kind: 'dma_fence' },
      { id: 4, name: 'invalidate_notifier', kind: 'interval_notifier', mm: 0, proc: 2 },
      { id: 5, name: 'ctx', kind: 'ww_ctx', lockClass: 'reservation_ww_class_acquire', wwClass: 'reservation_ww_class', local: true },
      { id: 6, name: 'cookie', kind: 'signalling_cookie', local: true },
    ]);
  });

  test('threads, procs and the notifier registration', () => {
    expect(model.threads).toEqual([
      { id: 0, name: 'cs_ioctl', proc: 0, kind: 'thread' },
      { id: 1, name: 'run_job', proc: 1, kind: 'thread' },
    ]);
    expect(model.procs.map((p) => [p.id, p.name, p.role])).toEqual([
      [0, 'cs_ioctl', 'thread'],
      [1, 'run_job', 'thread'],
      [2, 'invalidate', 'mmu_notifier'],
    ]);
    expect(model.registrations).toEqual([{ role: 'mmu_notifier', proc: 2, notifier: 4 }]);
  });

  test('dma_resv_lock has one successor per outcome; -EDEADLK goes to the slow path', () => {
    const cs = proc(model, 'cs_ioctl');
    const lock = op1(cs, 'dma_resv_lock');
    const slow = op1(cs, 'dma_resv_lock_slow');
    const add = op1(cs, 'dma_resv_add_fence');
    expect(lock.op).toEqual({ kind: 'lock', api: 'dma_resv_lock', lock: 1, mode: 'write', trylock: false, ctx: 5 });
    expect(lock.next).toEqual({ ok: add.id, EDEADLK: slow.id, EALREADY: add.id });
    expect(slow.op).toEqual({ kind: 'lock', api: 'dma_resv_lock_slow', lock: 1, mode: 'write', trylock: false, ctx: 5, slow: true });
    expect(slow.next).toEqual({ ok: add.id });
    expect(path(cs)).toEqual([
      'mmap_read_lock',
      'ww_acquire_init',
      'dma_resv_lock',
      'dma_resv_add_fence',
      'dma_resv_unlock',
      'ww_acquire_fini',
      'mmap_read_unlock',
      'end',
    ]);
  });

  test('run_job allocates with GFP_KERNEL inside the signalling section', () => {
    const rj = proc(model, 'run_job');
    expect(path(rj)).toEqual(['dma_fence_begin_signalling', 'kmalloc', 'dma_fence_signal', 'dma_fence_end_signalling', 'end']);
    expect(op1(rj, 'kmalloc').op).toEqual({
      kind: 'alloc',
      api: 'kmalloc',
      gfp: { text: 'GFP_KERNEL', directReclaim: true, kswapdReclaim: true, io: true, fs: true, noLockdep: false, noFail: false, mayFail: false },
    });
  });

  test('source map: 1-based positions for nodes, instances and procs', () => {
    const cs = proc(model, 'cs_ioctl');
    const lock = op1(cs, 'dma_resv_lock');
    expect(sourceMap.nodes[cs.id]![lock.id]).toEqual({ line: 16, col: 7, endLine: 16, endCol: 29 });
    expect(sourceMap.nodes[cs.id]![0]).toEqual({ line: 14, col: 3, endLine: 14, endCol: 21 });
    expect(sourceMap.instances[2]).toEqual({ line: 10, col: 7, endLine: 10, endCol: 20 });
    expect(sourceMap.procs[0]).toEqual({ line: 13, col: 17, endLine: 13, endCol: 25 });
    expect(sourceMap.procs[2]).toEqual({ line: 32, col: 10, endLine: 32, endCol: 20 });
    expect(sourceMap.inlined[cs.id]!.every((c) => c === undefined)).toBe(true);
    expect(sourceMap.nodes.map((n, i) => n.length === model.procs[i]!.nodes.length)).toEqual([true, true, true]);
  });

  test('well-formed and deterministic: same text, byte-identical JSON', () => {
    checkWellFormed(model);
    const again = extractModel({ file: EXAMPLE, text });
    expect(JSON.stringify(again.extracted)).toBe(JSON.stringify(r.extracted));
    // The IR itself round-trips through JSON (the source map has `undefined` holes).
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  test('every op node maps exactly the outcomes its op can have', () => {
    for (const p of model.procs) {
      for (const n of p.nodes) {
        if (n.kind === 'op') expect(Object.keys(n.next)).toEqual(opOutcomesOf(n.op, model.instances));
      }
    }
  });
});

describe('control flow', () => {
  test('trylock failure branch: `if (!mutex_trylock(l)) return;`', () => {
    const m = extractOk(`
const l = mutex();
export function t() {
  if (!mutex_trylock(l)) {
    return;
  }
  mutex_unlock(l);
}`).model;
    const t = proc(m, 't');
    const tl = op1(t, 'mutex_trylock');
    const end = t.nodes.findIndex((n) => n.kind === 'end');
    expect(tl.op).toMatchObject({ kind: 'lock', trylock: true, mode: 'write' });
    expect(tl.next).toEqual({ ok: op1(t, 'mutex_unlock').id, fail: end });
  });

  test('const r = op(); if (r === ...) specialises the continuation per outcome', () => {
    const m = extractOk(`
const a = dma_resv_object();
const b = dma_resv_object();
export function t() {
  const ctx = ww_acquire_init(reservation_ww_class);
  dma_resv_lock(a, ctx);
  const r = dma_resv_lock(b, ctx);
  might_sleep();
  if (r === -EDEADLK) {
    dma_resv_unlock(a);
    dma_resv_lock_slow(b, ctx);
    dma_resv_lock(a, ctx);
  } else if (r === -EALREADY) {
    local_irq_disable();
    local_irq_enable();
  }
  dma_resv_unlock(b);
  dma_resv_unlock(a);
  ww_acquire_fini(ctx);
}`).model;
    const t = proc(m, 't');
    const lockB = opsOf(t, 'dma_resv_lock').find((n) => n.op.kind === 'lock' && n.op.lock === 1)!;
    // One might_sleep per outcome: the continuation was compiled three times.
    expect(opsOf(t, 'might_sleep')).toHaveLength(3);
    expect(path(t, lockB.next.ok!)).toEqual(['might_sleep', 'dma_resv_unlock', 'dma_resv_unlock', 'ww_acquire_fini', 'end']);
    expect(path(t, lockB.next.EDEADLK!)).toEqual([
      'might_sleep',
      'dma_resv_unlock',
      'dma_resv_lock_slow',
      'dma_resv_lock',
      'dma_resv_unlock',
      'dma_resv_unlock',
      'ww_acquire_fini',
      'end',
    ]);
    expect(path(t, lockB.next.EALREADY!)).toEqual(['might_sleep', 'local_irq_disable', 'local_irq_enable', 'dma_resv_unlock', 'dma_resv_unlock', 'ww_acquire_fini', 'end']);
  });

  test('a result nobody tests is not specialised', () => {
    const m = extractOk(`
const a = dma_resv_object();
export function t() {
  const ctx = ww_acquire_init(reservation_ww_class);
  const r = dma_resv_lock(a, ctx);
  might_sleep();
  dma_resv_unlock(a);
  ww_acquire_fini(ctx);
}`).model;
    const t = proc(m, 't');
    expect(opsOf(t, 'might_sleep')).toHaveLength(1);
    const l = op1(t, 'dma_resv_lock');
    expect(l.next).toEqual({ ok: l.id + 1, EDEADLK: l.id + 1, EALREADY: l.id + 1 });
  });

  test('allocation failure: `const p = kmalloc(GFP_NOWAIT); if (!p)`', () => {
    const m = extractOk(`
const l = mutex();
export function t() {
  mutex_lock(l);
  const p = kmalloc(64, GFP_NOWAIT | __GFP_NOWARN);
  if (!p) {
    mutex_unlock(l);
    return;
  }
  might_sleep();
  mutex_unlock(l);
}`).model;
    const t = proc(m, 't');
    const k = op1(t, 'kmalloc');
    expect(k.op).toEqual({
      kind: 'alloc',
      api: 'kmalloc',
      gfp: { text: 'GFP_NOWAIT | __GFP_NOWARN', directReclaim: false, kswapdReclaim: true, io: false, fs: false, noLockdep: false, noFail: false, mayFail: true },
    });
    expect(path(t, k.next.fail!)).toEqual(['mutex_unlock', 'end']);
    expect(path(t, k.next.ok!)).toEqual(['might_sleep', 'mutex_unlock', 'end']);
  });

  test('if (nondet()) / else is a choice: successor 0 is the then-branch', () => {
    const m = extractOk(`
export function t() {
  if (nondet()) {
    local_irq_disable();
  } else {
    might_sleep();
  }
  pagefault_disable();
}`).model;
    const t = proc(m, 't');
    expect(t.nodes[0]).toEqual({ kind: 'choice', id: 0, next: [1, 2] });
    expect(path(t, 0, () => 0)).toEqual(['choice', 'local_irq_disable', 'pagefault_disable', 'end']);
    expect(path(t, 0, () => 1)).toEqual(['choice', 'might_sleep', 'pagefault_disable', 'end']);
  });

  test('switch (nondet(3)) with fall-through, break and default', () => {
    const m = extractOk(`
export function t() {
  switch (nondet(4)) {
    case 0:
      might_sleep();
    case 1:
      local_irq_disable();
      local_irq_enable();
      break;
    case 2:
      break;
    default:
      pagefault_disable();
      pagefault_enable();
  }
  might_sleep();
}`).model;
    const t = proc(m, 't');
    const c = t.nodes[0]!;
    expect(c.kind).toBe('choice');
    expect(path(t, 0, () => 0)).toEqual(['choice', 'might_sleep', 'local_irq_disable', 'local_irq_enable', 'might_sleep', 'end']);
    expect(path(t, 0, () => 1)).toEqual(['choice', 'local_irq_disable', 'local_irq_enable', 'might_sleep', 'end']);
    expect(path(t, 0, () => 2)).toEqual(['choice', 'might_sleep', 'end']);
    expect(path(t, 0, () => 3)).toEqual(['choice', 'pagefault_disable', 'pagefault_enable', 'might_sleep', 'end']);
  });

  test('constant-bound for loops are unrolled, with break and continue; the index is a constant', () => {
    const m = extractOk(`
const l = mutex();
const N = 3;
export function t() {
  for (let i = 0; i < N; i++) {
    if (i === 1) {
      continue;
    }
    mutex_lock_nested(l, i);
    mutex_unlock(l);
    if (nondet()) {
      break;
    }
  }
  might_sleep();
}`).model;
    const t = proc(m, 't');
    const nested = opsOf(t, 'mutex_lock_nested');
    expect(nested.map((n) => (n.op.kind === 'lock' ? n.op.subclass : -1))).toEqual([0, 2]);
    // Always continuing: lock(0), unlock, choice, [i=1 skipped], lock(2), unlock, choice, might_sleep.
    expect(path(t, 0, () => 1)).toEqual(['mutex_lock_nested', 'mutex_unlock', 'choice', 'mutex_lock_nested', 'mutex_unlock', 'choice', 'might_sleep', 'end']);
    expect(path(t, 0, () => 0)).toEqual(['mutex_lock_nested', 'mutex_unlock', 'choice', 'might_sleep', 'end']);
  });

  test('lists of instances indexed in unrolled loops (`bos[i]`, `bos.length`, `bufs[i].resv`)', () => {
    const m = extractOk(`
const a = dma_resv_object();
const b = dma_resv_object();
const buf = dma_buf();
const bos = [a, b, buf.resv];
const bufs = [buf];
export function t() {
  const ctx = ww_acquire_init(reservation_ww_class);
  for (let i = 0; i < bos.length; i++) {
    dma_resv_lock(bos[i], ctx);
  }
  dma_resv_unlock(bufs[0].resv);
  for (let i = 1; i >= 0; i--) {
    dma_resv_unlock(bos[i]);
  }
  ww_acquire_fini(ctx);
}`).model;
    const t = proc(m, 't');
    const names = (api: string) => opsOf(t, api).map((n) => (n.op.kind === 'lock' || n.op.kind === 'unlock' ? m.instances[n.op.lock]!.name : ''));
    expect(names('dma_resv_lock')).toEqual(['a', 'b', 'buf.resv']);
    expect(names('dma_resv_unlock')).toEqual(['buf.resv', 'b', 'a']);
  });

  test('descending loops and `i += k` steps', () => {
    const m = extractOk(`
export function t() {
  for (let i = 6; i > 0; i -= 2) {
    might_sleep();
  }
  for (let j = 0; j <= 4; j += 2) {
    local_irq_disable();
    local_irq_enable();
  }
}`).model;
    const t = proc(m, 't');
    expect(opsOf(t, 'might_sleep')).toHaveLength(3);
    expect(opsOf(t, 'local_irq_disable')).toHaveLength(3);
  });

  test('helpers are inlined with instance arguments; the source map keeps the call chain', () => {
    const m = extractOk(`
const a = mutex();
const b = mutex('shared_class');
const c = mutex('shared_class');
function locked(x, y) {
  mutex_lock(x);
  inner(y);
  mutex_unlock(x);
}
function inner(z) {
  mutex_lock(z);
  mutex_unlock(z);
}
export function t() {
  locked(a, b);
  locked(b, c);
}`);
    const t = proc(m.model, 't');
    const locks = opsOf(t, 'mutex_lock').map((n) => (n.op.kind === 'lock' ? m.model.instances[n.op.lock]!.name : ''));
    expect(locks).toEqual(['a', 'b', 'b', 'c']);
    expect(m.model.instances.map((i) => i.lockClass)).toEqual(['a', 'shared_class', 'shared_class']);
    // The inner mutex_lock(z) of the first call was inlined through two call sites.
    const innerLock = opsOf(t, 'mutex_lock')[1]!;
    expect(m.sourceMap.inlined[t.id]![innerLock.id]).toEqual([
      { line: 20, col: 3, endLine: 20, endCol: 15 },
      { line: 12, col: 3, endLine: 12, endCol: 11 },
    ]);
    expect(m.sourceMap.nodes[t.id]![innerLock.id]).toEqual({ line: 16, col: 3, endLine: 16, endCol: 16 });
    expect(m.sourceMap.inlined[t.id]![0]).toEqual([{ line: 20, col: 3, endLine: 20, endCol: 15 }]);
  });

  test('a helper called for its value: `return op(...)` values flow to the caller', () => {
    const m = extractOk(`
const bo = dma_resv_object();
function lock_bo(o, ctx) {
  if (nondet()) {
    return -EINTR;
  }
  return dma_resv_lock(o, ctx);
}
export function t() {
  const ctx = ww_acquire_init(reservation_ww_class);
  const ret = lock_bo(bo, ctx);
  if (ret === -EINTR) {
    ww_acquire_fini(ctx);
    return;
  }
  if (ret === -EDEADLK) {
    dma_resv_lock_slow(bo, ctx);
  }
  dma_resv_unlock(bo);
  ww_acquire_fini(ctx);
}`).model;
    const t = proc(m, 't');
    const l = op1(t, 'dma_resv_lock');
    expect(path(t, 0, (n) => (n.kind === 'choice' ? 0 : 'ok'))).toEqual(['ww_acquire_init', 'choice', 'ww_acquire_fini', 'end']);
    expect(path(t, l.next.EDEADLK!)).toEqual(['dma_resv_lock_slow', 'dma_resv_unlock', 'ww_acquire_fini', 'end']);
    expect(path(t, l.next.ok!)).toEqual(['dma_resv_unlock', 'ww_acquire_fini', 'end']);
    expect(path(t, l.next.EALREADY!)).toEqual(['dma_resv_unlock', 'ww_acquire_fini', 'end']);
  });

  test('if (helper()) tests the helper\'s returned value; falling off the end is false', () => {
    const m = extractOk(`
const l = mutex();
function try_it() {
  if (mutex_trylock(l)) {
    return true;
  }
}
export function t() {
  if (try_it()) {
    mutex_unlock(l);
  }
}`).model;
    const t = proc(m, 't');
    const tl = op1(t, 'mutex_trylock');
    expect(path(t, tl.next.ok!)).toEqual(['mutex_unlock', 'end']);
    expect(path(t, tl.next.fail!)).toEqual(['end']);
  });

  test('early return inside a helper returns from the helper only', () => {
    const m = extractOk(`
function h() {
  if (nondet()) {
    return;
  }
  might_sleep();
}
export function t() {
  h();
  local_irq_disable();
  local_irq_enable();
}`).model;
    const t = proc(m, 't');
    expect(path(t, 0, () => 0)).toEqual(['choice', 'local_irq_disable', 'local_irq_enable', 'end']);
    expect(path(t, 0, () => 1)).toEqual(['choice', 'might_sleep', 'local_irq_disable', 'local_irq_enable', 'end']);
  });

  test('&& and || short-circuit over outcomes', () => {
    const m = extractOk(`
const a = mutex();
const b = mutex();
export function t() {
  if (mutex_trylock(a) && mutex_trylock(b)) {
    mutex_unlock(b);
    mutex_unlock(a);
  }
}`).model;
    const t = proc(m, 't');
    const [ta, tb] = opsOf(t, 'mutex_trylock');
    expect(ta!.next.ok).toBe(tb!.id);
    const end = t.nodes.findIndex((n) => n.kind === 'end');
    expect(ta!.next.fail).toBe(end);
    expect(tb!.next.fail).toBe(end);
    expect(path(t, tb!.next.ok!)).toEqual(['mutex_unlock', 'mutex_unlock', 'end']);
  });

  test('ret < 0 style tests on ww results', () => {
    const m = extractOk(`
const a = dma_resv_object();
export function t() {
  const ctx = ww_acquire_init(reservation_ww_class);
  if (dma_resv_lock(a, ctx) < 0) {
    might_sleep();
  }
  ww_acquire_fini(ctx);
}`).model;
    const t = proc(m, 't');
    const l = op1(t, 'dma_resv_lock');
    const ms = op1(t, 'might_sleep');
    expect(l.next).toEqual({ ok: op1(t, 'ww_acquire_fini').id, EDEADLK: ms.id, EALREADY: ms.id });
  });

  test('mmu_interval_read_retry has ok / retry outcomes', () => {
    const m = extractOk(`
const mm = mm_struct();
const lock = mutex();
function inv() {
  mutex_lock(lock);
  mmu_interval_set_seq(mni);
  mutex_unlock(lock);
}
const mni = mmu_interval_notifier_insert(mm, inv, { blockable: false });
export function t() {
  const seq = mmu_interval_read_begin(mni);
  hmm_range_fault();
  mutex_lock(lock);
  if (mmu_interval_read_retry(mni, seq)) {
    might_sleep();
  }
  mutex_unlock(lock);
}`).model;
    const t = proc(m, 't');
    const rr = op1(t, 'mmu_interval_read_retry');
    expect(rr.next).toEqual({ ok: op1(t, 'mutex_unlock').id, retry: op1(t, 'might_sleep').id });
    expect(m.registrations).toEqual([{ role: 'mmu_notifier', proc: proc(m, 'inv').id, notifier: 2, nonBlocking: true }]);
    expect(op1(t, 'hmm_range_fault').op).toEqual({ kind: 'user_access', api: 'hmm_range_fault', mm: 0 });
  });
});

describe('instances', () => {
  test('dma_buf creates the buffer and buf.resv; exporter caps', () => {
    const m = extractOk(`
const buf = dma_buf({ movable: true, revocable: true });
export function t() {
  dma_resv_lock(buf.resv, null);
  dma_buf_move_notify(buf);
  dma_resv_unlock(buf.resv);
}`).model;
    expect(m.instances).toEqual([
      { id: 0, name: 'buf', kind: 'dma_buf', resv: 1, exporter: { movable: true, revocable: true, unrevocable: false, pinnable: false, p2pOnly: false } },
      { id: 1, name: 'buf.resv', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
    ]);
    const t = proc(m, 't');
    expect(op1(t, 'dma_resv_lock').op).toEqual({ kind: 'lock', api: 'dma_resv_lock', lock: 1, mode: 'write', trylock: false });
    expect(op1(t, 'dma_resv_lock').next).toEqual({ ok: 1 });
  });

  test('attachments: local inside a thread, static at top level; revocable exporters make map fallible', () => {
    const m = extractOk(`
const buf = dma_buf({ revocable: true });
const early = dma_buf_attach(buf);
function inv() {
  might_sleep();
}
export function t() {
  const a = dma_buf_dynamic_attach(buf, { invalidate_mappings: inv, allow_peer2peer: true });
  dma_resv_lock(buf.resv, null);
  const sgt = dma_buf_map_attachment(a);
  if (!sgt) {
    dma_resv_unlock(buf.resv);
    return;
  }
  dma_resv_unlock(buf.resv);
  device_read(a);
  device_write(early);
}
`).model;
    expect(m.instances.slice(2)).toEqual([
      { id: 2, name: 'early', kind: 'attachment', buf: 0, importer: { dynamic: false, peer2peer: false } },
      { id: 3, name: 'a', kind: 'attachment', buf: 0, importer: { dynamic: true, invalidate: 1, peer2peer: true }, local: true },
    ]);
    const t = proc(m, 't');
    expect(op1(t, 'dma_buf_dynamic_attach').op).toEqual({ kind: 'dma_buf_attach', api: 'dma_buf_dynamic_attach', attachment: 3 });
    expect(Object.keys(op1(t, 'dma_buf_dynamic_attach').next)).toEqual(['ok', 'fail']);
    const map = op1(t, 'dma_buf_map_attachment');
    expect(map.op).toEqual({ kind: 'dma_buf_map', api: 'dma_buf_map_attachment', attachment: 3, unlocked: false });
    expect(path(t, map.next.fail!)).toEqual(['dma_resv_unlock', 'end']);
    expect(path(t, map.next.ok!)).toEqual(['dma_resv_unlock', 'device_read', 'device_write', 'end']);
    expect(m.procs.map((p) => [p.name, p.role])).toEqual([
      ['t', 'thread'],
      ['inv', 'invalidate_mappings'],
    ]);
  });

  test('user access: the only mm_struct, the first argument, or current->mm', () => {
    const one = extractOk(`
const mm = mm_struct();
export function t() { copy_to_user(); }`).model;
    expect(op1(proc(one, 't'), 'copy_to_user').op).toEqual({ kind: 'user_access', api: 'copy_to_user', mm: 0 });
    const two = extractOk(`
const mm1 = mm_struct();
const mm2 = mm_struct();
export function t() {
  get_user_pages(mm2);
  pin_user_pages();
}`).model;
    const t = proc(two, 't');
    expect(op1(t, 'get_user_pages').op).toEqual({ kind: 'user_access', api: 'get_user_pages', mm: 1 });
    expect(op1(t, 'pin_user_pages').op).toEqual({ kind: 'user_access', api: 'pin_user_pages', mm: 2, pin: true });
    expect(two.instances[2]).toEqual({ id: 2, name: 'current->mm', kind: 'mm', lockClass: '&mm->mmap_lock' });
  });

  test('ww_mutex classes and context class checks', () => {
    const m = extractOk(`
const crtc = ww_mutex(crtc_ww_class);
const plane = ww_mutex(crtc_ww_class, 'plane_lock');
export function t() {
  const ctx = ww_acquire_init(crtc_ww_class);
  ww_mutex_lock(crtc, ctx);
  ww_mutex_lock(plane, ctx);
  ww_mutex_unlock(plane);
  ww_mutex_unlock(crtc);
  ww_acquire_fini(ctx);
}`).model;
    expect(m.instances.slice(0, 2)).toEqual([
      { id: 0, name: 'crtc', kind: 'ww_mutex', lockClass: 'crtc_ww_class_mutex', wwClass: 'crtc_ww_class' },
      { id: 1, name: 'plane', kind: 'ww_mutex', lockClass: 'plane_lock', wwClass: 'crtc_ww_class' },
    ]);
    expect(m.instances[2]).toEqual({ id: 2, name: 'ctx', kind: 'ww_ctx', lockClass: 'crtc_ww_class_acquire', wwClass: 'crtc_ww_class', local: true });
  });

  test('local instances with the same name in two threads get distinct names', () => {
    const m = extractOk(`
const bo = dma_resv_object();
export function a() {
  const ctx = ww_acquire_init(reservation_ww_class);
  ww_acquire_fini(ctx);
}
export function b() {
  const ctx = ww_acquire_init(reservation_ww_class);
  const cookie = dma_fence_begin_signalling();
  dma_fence_end_signalling(cookie);
  ww_acquire_fini(ctx);
}`).model;
    expect(m.instances.map((i) => i.name)).toEqual(['bo', 'ctx@a', 'ctx@b', 'cookie']);
  });
});

describe('threads and registrations', () => {
  test('without threads(...), every exported function is a thread, in source order', () => {
    const m = extractOk(`
export function z() {}
function helper() {}
export function a() { helper(); }`).model;
    expect(m.threads.map((t) => t.name)).toEqual(['z', 'a']);
    expect(m.procs.map((p) => p.name)).toEqual(['z', 'a']);
  });

  test('threads(f, f) runs two instances of the same code', () => {
    const m = extractOk(`
function f() {}
threads(f, f);`).model;
    expect(m.threads).toEqual([
      { id: 0, name: 'f', proc: 0, kind: 'thread' },
      { id: 1, name: 'f#2', proc: 0, kind: 'thread' },
    ]);
  });

  test('shrinker, irq, work, fence callback and invalidate_mappings procs', () => {
    const m = extractOk(`
const l = spinlock();
const f = dma_fence();
const buf = dma_buf({ movable: true });
function scan() { if (mutex_trylock(big)) { mutex_unlock(big); } }
const big = mutex();
function irq() { spin_lock(l); dma_fence_signal(f); spin_unlock(l); }
function worker() { might_sleep(); }
function cb() { spin_lock(l); spin_unlock(l); }
function inv() { might_sleep(); }
const w = work(worker);
register_shrinker(scan);
request_irq(irq);
const att = dma_buf_dynamic_attach(buf, { move_notify: inv });
export function ioctl() {
  dma_fence_add_callback(f, cb);
  queue_work(system_wq, w);
  flush_work(w);
}`).model;
    expect(m.procs.map((p) => [p.name, p.role])).toEqual([
      ['ioctl', 'thread'],
      ['worker', 'work'],
      ['scan', 'shrinker'],
      ['irq', 'irq'],
      ['inv', 'invalidate_mappings'],
      ['cb', 'fence_callback'],
    ]);
    expect(m.threads).toEqual([
      { id: 0, name: 'ioctl', proc: 0, kind: 'thread' },
      { id: 1, name: 'worker', proc: 1, kind: 'work' },
    ]);
    expect(m.registrations).toEqual([
      { role: 'shrinker', proc: 2 },
      { role: 'irq', proc: 3 },
    ]);
    expect(m.instances.find((i) => i.name === 'att')).toEqual({ id: 6, name: 'att', kind: 'attachment', buf: 2, importer: { dynamic: true, invalidate: 4, peer2peer: false } });
    expect(op1(proc(m, 'ioctl'), 'dma_fence_add_callback').op).toEqual({ kind: 'fence_add_callback', api: 'dma_fence_add_callback', fence: 1, callback: 5 });
    expect(op1(proc(m, 'ioctl'), 'queue_work').op).toEqual({ kind: 'queue_work', api: 'queue_work', work: 5 });
  });
});

describe('header tags', () => {
  test('all tags', () => {
    const r = extractModel({
      file: 'h.model.ts',
      text: `// SPDX-License-Identifier: MIT
/**
 * First paragraph
 * continues here.
 *
 * Second paragraph is not the description.
 * @kernel v6.12
 * @bound 40
 * @driver drivers/gpu/drm/xe
 * @rule-option revoke.pfn-export=locked
 * @expect holds order-1 fence-2
 * @expect violates ww-backoff
 * @see something else
 */
export function t() {}
`,
    });
    expect(r.extracted!.model.header).toEqual({
      description: 'First paragraph continues here.',
      expect: [
        { kind: 'holds', rules: ['order-1', 'fence-2'], line: 11 },
        { kind: 'violates', rule: 'ww-backoff', line: 12 },
      ],
      kernel: 'v6.12',
      bound: 40,
      driverPath: 'drivers/gpu/drm/xe',
      ruleOptions: { 'revoke.pfn-export': 'locked' },
      ruleOptionAt: { 'revoke.pfn-export': { line: 10, col: 4 } },
    });
  });

  test.each([
    ['@expect', "bad @expect tag: missing holds/violates/error"],
    ['@expect maybe', "bad @expect tag: unknown verdict 'maybe'"],
    ['@expect violates a b', "bad @expect tag: 'violates' takes exactly one rule id (repeat the tag for more)"],
    ['@expect error E12', "bad @expect tag: 'error' takes one code LMCnnn"],
    ['@expect holds Bad_Rule', "bad @expect tag: 'Bad_Rule' is not a rule id"],
    ['@bound -3', "bad @bound tag: expected a positive integer, got '-3'"],
    ['@rule-option novalue', "bad @rule-option tag: expected key=value, got 'novalue'"],
    ['@expect holds all\n * @expect violates ww-backoff', "contradictory @expect tags: 'ww-backoff' cannot both hold and be violated"],
    ['@expect error LMC201\n * @expect holds all', 'contradictory @expect tags: a model expected to be rejected (error) has no verdicts'],
  ])('%s is LMC211', (tag, message) => {
    const r = extractModel({ file: 'h.model.ts', text: `/**\n * x\n * ${tag}\n */\nexport function t() {}\n` });
    expect(r.extracted).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([['LMC211', 2 + tag.split('\n').length, 4, message]]);
    expect(r.header).toBeDefined();
  });
});
