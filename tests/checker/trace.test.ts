import { describe, expect, it } from 'vitest';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import { buildTrace, ReplayError, renderOp, stepText } from '../../checker/trace.js';
import { decodeSchedule } from '../../checker/schedule-token.js';
import { waitText } from '../../cli/render/words.js';
import type { Property, TransitionSystem } from '../../checker/semantics/system.js';
import type { DriverModel } from '../../model/ir.js';
import { abba, lock, model, op, end, seq, sourceMapOf, unlock } from './trace-fixtures.js';

const DEADLOCK: Property = { kind: 'deadlock', rule: 'deadlock', check: 'deadlock' };

function sys(m: DriverModel, props: Property[] = [DEADLOCK]): TransitionSystem {
  return compileSystem(m, DEFAULT_SEMANTIC_OPTIONS, () => props);
}

/** Transition of `thread` at (proc, node[, outcome | synthetic]). */
function tr(ts: TransitionSystem, thread: number, node: number, extra: { outcome?: string; synthetic?: string; proc?: number } = {}): number {
  const hits = ts.transitions.filter(
    (t) =>
      t.thread === thread &&
      t.label.node === node &&
      (extra.proc === undefined ? t.label.contexts.length === 0 : t.label.proc === extra.proc) &&
      (extra.outcome === undefined || t.label.outcome === extra.outcome) &&
      (extra.synthetic === undefined ? !t.label.synthetic : t.label.synthetic === extra.synthetic),
  );
  if (hits.length !== 1) throw new Error(`tr(${thread}, ${node}, ${JSON.stringify(extra)}): ${hits.length} hits`);
  return hits[0].id;
}

describe('buildTrace: ABBA', () => {
  const m = abba();
  const ts = sys(m);
  const schedule = [tr(ts, 0, 0), tr(ts, 1, 0)];

  it('renders every field of the deadlock trace', () => {
    const t = buildTrace(ts, m, sourceMapOf(m), schedule, 0);
    expect(t).toEqual({
      threads: [
        { id: 0, name: 'ioctl', kind: 'thread' },
        { id: 1, name: 'run_job', kind: 'thread' },
      ],
      steps: [
        {
          index: 1,
          thread: 0,
          threadName: 'ioctl',
          op: 'mutex_lock(notifier_lock)',
          at: { file: 'fixtures/test.model.ts', line: 10, col: 3 },
          context: [],
          held: ['notifier_lock (notifier_lock)'],
          preemption: false,
        },
        {
          index: 2,
          thread: 1,
          threadName: 'run_job',
          op: 'mutex_lock(vm_lock)',
          at: { file: 'fixtures/test.model.ts', line: 20, col: 3 },
          context: [],
          held: ['vm_lock (vm_lock)'],
          preemption: true,
        },
        // Each blocked thread's wait, as a numbered step of its own.
        {
          index: 3,
          thread: 0,
          threadName: 'ioctl',
          op: 'mutex_lock(vm_lock)',
          at: { file: 'fixtures/test.model.ts', line: 11, col: 3 },
          context: [],
          held: ['notifier_lock (notifier_lock)'],
          preemption: false,
          blocks: true,
        },
        {
          index: 4,
          thread: 1,
          threadName: 'run_job',
          op: 'mutex_lock(notifier_lock)',
          at: { file: 'fixtures/test.model.ts', line: 21, col: 3 },
          context: [],
          held: ['vm_lock (vm_lock)'],
          preemption: false,
          blocks: true,
        },
      ],
      schedule: t.schedule,
      preemptions: 1,
      final: {
        threads: [
          {
            thread: 'ioctl',
            status: 'blocked',
            at: { file: 'fixtures/test.model.ts', line: 11, col: 3 },
            held: ['notifier_lock (notifier_lock)'],
            waitingFor: { kind: 'lock', lock: 'vm_lock', lockClass: 'vm_lock', lockKind: 'mutex', mode: 'write', owner: 'run_job' },
          },
          {
            thread: 'run_job',
            status: 'blocked',
            at: { file: 'fixtures/test.model.ts', line: 21, col: 3 },
            held: ['vm_lock (vm_lock)'],
            waitingFor: { kind: 'lock', lock: 'notifier_lock', lockClass: 'notifier_lock', lockKind: 'mutex', mode: 'write', owner: 'ioctl' },
          },
        ],
        fences: [],
        other: {},
      },
    });
    expect(t.final.threads.map((x) => waitText(x.waitingFor!, x.thread))).toEqual(['mutex vm_lock held by run_job', 'mutex notifier_lock held by ioctl']);
    expect(decodeSchedule(ts, t.schedule)).toEqual(schedule);
    expect(t.schedule.slice(0, 8)).toBe(ts.hash.slice(0, 8));
  });

  it('cuts the schedule at the first violation of the property', () => {
    // Extra steps after the deadlock cannot exist, but a state property
    // violated early cuts a longer schedule.
    const held: Property = { kind: 'state', rule: 'r', check: 'c', bad: { k: 'ne', a: { k: 'var', v: 2 }, b: { k: 'const', v: 0 } } };
    const ts2 = sys(m, [held]);
    const t = buildTrace(ts2, m, sourceMapOf(m), [tr(ts2, 0, 0), tr(ts2, 1, 0)], 0);
    expect(t.steps.map(stepText)).toEqual(['mutex_lock(notifier_lock)']);
    expect(t.violatingStep).toBe(1);
    expect(decodeSchedule(ts2, t.schedule)).toEqual([tr(ts2, 0, 0)]);
  });

  it('refuses a schedule that does not violate the property', () => {
    expect(() => buildTrace(ts, m, sourceMapOf(m), [tr(ts, 0, 0)], 0)).toThrow(
      new ReplayError('schedule replays but does not violate property 0 (deadlock/deadlock)', 1),
    );
  });

  it('refuses a schedule that does not replay', () => {
    expect(() => buildTrace(ts, m, sourceMapOf(m), [tr(ts, 0, 0), tr(ts, 1, 0), tr(ts, 0, 1)], 0)).toThrow(
      'schedule does not replay: step 3: transition 1 of ioctl: proc 0 node 1 (ok) is not enabled',
    );
  });

  it('renders a whole schedule without a property', () => {
    const full = [tr(ts, 0, 0), tr(ts, 0, 1), tr(ts, 0, 2), tr(ts, 0, 3), tr(ts, 1, 0)];
    const t = buildTrace(ts, m, sourceMapOf(m), full);
    expect(t.steps.map((s) => `${s.index} ${s.threadName} ${stepText(s)} [${s.held.join(', ')}]${s.preemption ? ' P' : ''}`)).toEqual([
      '1 ioctl mutex_lock(notifier_lock) [notifier_lock (notifier_lock)]',
      '2 ioctl mutex_lock(vm_lock) [notifier_lock (notifier_lock), vm_lock (vm_lock)]',
      '3 ioctl mutex_unlock(vm_lock) [notifier_lock (notifier_lock)]',
      '4 ioctl mutex_unlock(notifier_lock) []',
      '5 run_job mutex_lock(vm_lock) [vm_lock (vm_lock)]',
    ]);
    expect(t.preemptions).toBe(0);
    expect(t.violatingStep).toBeUndefined();
    expect(t.final.threads.map((x) => `${x.thread}:${x.status}`)).toEqual(['ioctl:done', 'run_job:running']);
  });
});

describe('buildTrace: ww, fences, reclaim', () => {
  // cs: ww transaction on bo with -EDEADLK backoff, publishes job, allocates
  // under the resv with GFP_KERNEL (a shrinker may run inline).
  // run_job: signalling section around dma_fence_signal(job).
  // shrink: waits on job under shrinker_lock.
  function m(): DriverModel {
    return model({
      instances: [
        { id: 0, name: 'bo', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
        { id: 1, name: 'ctx', kind: 'ww_ctx', wwClass: 'reservation_ww_class', local: true },
        { id: 2, name: 'job', kind: 'dma_fence' },
        { id: 3, name: 'cookie', kind: 'signalling_cookie', local: true },
        { id: 4, name: 'shrinker_lock', kind: 'mutex', lockClass: 'shrinker_lock' },
      ],
      procs: [
        {
          id: 0,
          name: 'cs_ioctl',
          role: 'thread',
          nodes: [
            op(0, { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: 1, wwClass: 'reservation_ww_class' }, 1),
            op(1, { kind: 'lock', api: 'dma_resv_lock', lock: 0, mode: 'write', trylock: false, ctx: 1 }, { ok: 2, EDEADLK: 2, EALREADY: 2 }),
            op(2, { kind: 'fence_publish', api: 'dma_resv_add_fence', fence: 2, resv: 0 }, 3),
            op(3, { kind: 'alloc', api: 'kmalloc', gfp: { text: 'GFP_KERNEL', directReclaim: true, kswapdReclaim: true, io: true, fs: true, noLockdep: false, noFail: false, mayFail: false } }, 4),
            op(4, unlock(0, 'dma_resv_unlock'), 5),
            op(5, { kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx: 1 }, 6),
            end(6),
          ],
        },
        seq(1, 'run_job', [
          { kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie: 3 },
          { kind: 'fence_signal', api: 'dma_fence_signal', fence: 2, guaranteed: true },
          { kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie: 3 },
        ]),
        seq(2, 'shrink', [lock(4), { kind: 'fence_wait', api: 'dma_fence_wait', fence: 2, timeout: 'infinite' }, unlock(4)], 'shrinker'),
      ],
      threads: ['cs_ioctl', 'run_job'],
      registrations: [{ role: 'shrinker', proc: 2 }],
    });
  }

  it('names roles, contexts, pseudo-locks and merges the return from reclaim', () => {
    const mm = m();
    const ts = sys(mm, []);
    const enter = ts.transitions.find((t) => t.thread === 0 && t.label.synthetic === 'enter-reclaim' && JSON.stringify(t.guard).length > 0);
    expect(enter).toBeDefined();
    // Find a schedule by walking: cs does everything up to the allocation,
    // enters reclaim (first variant that is enabled), the shrinker runs and
    // blocks on job; run_job signals; the shrinker finishes.
    const s: number[] = [tr(ts, 0, 0), tr(ts, 0, 1, { outcome: 'ok' }), tr(ts, 0, 2)];
    const enters = ts.transitions.filter((t) => t.thread === 0 && t.label.synthetic === 'enter-reclaim');
    s.push(enters[0].id);
    const inShrink = (node: number, synthetic?: string) =>
      ts.transitions.find((t) => t.thread === 0 && t.label.proc === 2 && t.label.node === node && (synthetic ? t.label.synthetic === synthetic : !t.label.synthetic) && t.label.contexts.length === 1)!.id;
    s.push(inShrink(0), tr(ts, 1, 0), tr(ts, 1, 1), inShrink(1), inShrink(2), inShrink(3, 'leave-reclaim'));
    const t = buildTrace(ts, mm, sourceMapOf(mm), s);
    const lines = t.steps.map(
      (x) => `${x.index} ${x.threadName} ${stepText(x)}${x.role ? ` {${x.role}}` : ''} [${x.held.join(', ')}]${x.context.length ? ` <${x.context.join(' / ')}>` : ''}${x.preemption ? ' P' : ''}`,
    );
    expect(lines).toEqual([
      '1 cs_ioctl ww_acquire_init(ctx, reservation_ww_class) {begin ww transaction} [ctx (reservation_ww_class_acquire)]',
      '2 cs_ioctl dma_resv_lock(bo, ctx) = ok [ctx (reservation_ww_class_acquire), bo (reservation_ww_class_mutex)]',
      '3 cs_ioctl dma_resv_add_fence(bo, job) {publish fence job} [ctx (reservation_ww_class_acquire), bo (reservation_ww_class_mutex)]',
      '4 cs_ioctl kmalloc(GFP_KERNEL) {enter reclaim, acquire fs_reclaim; run shrinker shrink()} [ctx (reservation_ww_class_acquire), bo (reservation_ww_class_mutex), fs_reclaim]',
      '5 cs_ioctl mutex_lock(shrinker_lock) [ctx (reservation_ww_class_acquire), bo (reservation_ww_class_mutex), fs_reclaim, shrinker_lock (shrinker_lock)] <direct reclaim from kmalloc(GFP_KERNEL) at fixtures/test.model.ts:13 (shrinker shrink())>',
      '6 run_job dma_fence_begin_signalling() {enter fence signalling} [dma_fence_map]',
      '7 run_job dma_fence_signal(job) {signal fence job} [dma_fence_map]',
      '8 cs_ioctl dma_fence_wait(job) {wait on fence job} [ctx (reservation_ww_class_acquire), bo (reservation_ww_class_mutex), fs_reclaim, shrinker_lock (shrinker_lock)] <direct reclaim from kmalloc(GFP_KERNEL) at fixtures/test.model.ts:13 (shrinker shrink())> P',
      '9 cs_ioctl mutex_unlock(shrinker_lock) {leave reclaim} [ctx (reservation_ww_class_acquire), bo (reservation_ww_class_mutex)] <direct reclaim from kmalloc(GFP_KERNEL) at fixtures/test.model.ts:13 (shrinker shrink())>',
    ]);
    expect(t.final.fences).toEqual([{ name: 'job', state: 'signalled' }]);
    expect(t.final.threads.map((x) => `${x.thread}:${x.status}`)).toEqual(['cs_ioctl:running', 'run_job:running', 'kswapd:not-started']);
  });

  it('says what a blocked fence waiter waits for', () => {
    const mm = m();
    const ts = sys(mm, [DEADLOCK]);
    const enters = ts.transitions.filter((t) => t.thread === 0 && t.label.synthetic === 'enter-reclaim');
    const inShrink = (node: number) =>
      ts.transitions.find((t) => t.thread === 0 && t.label.proc === 2 && t.label.node === node && !t.label.synthetic && t.label.contexts.length === 1)!.id;
    // The shrinker, inside cs_ioctl's allocation, waits on job; run_job has not started.
    const s = [tr(ts, 0, 0), tr(ts, 0, 1, { outcome: 'ok' }), tr(ts, 0, 2), enters[0].id, inShrink(0)];
    const t = buildTrace(ts, mm, sourceMapOf(mm), s);
    const cs = t.final.threads[0];
    expect(cs).toEqual({
      thread: 'cs_ioctl',
      status: 'blocked',
      at: { file: 'fixtures/test.model.ts', line: 31, col: 3 },
      held: ['ctx (reservation_ww_class_acquire)', 'bo (reservation_ww_class_mutex)', 'fs_reclaim', 'shrinker_lock (shrinker_lock)'],
      waitingFor: { kind: 'fence', fence: 'job', state: 'published' },
    });
    expect(waitText(cs.waitingFor!, cs.thread)).toBe('fence job (published, unsignalled)');
    expect(renderOp({ kind: 'fence_wait', api: 'dma_resv_wait_timeout', resv: 0, timeout: 'bounded' }, mm)).toBe('dma_resv_wait_timeout(bo)');
    expect(renderOp({ kind: 'lock', api: 'dma_resv_lock', lock: 0, mode: 'write', trylock: false }, mm)).toBe('dma_resv_lock(bo, NULL)');
    expect(renderOp({ kind: 'lock', api: 'mutex_lock_nested', lock: 4, mode: 'write', trylock: false, subclass: 1 }, mm)).toBe('mutex_lock_nested(shrinker_lock, 1)');
  });
});

describe('buildTrace: irqs, works, notifiers', () => {
  it('shows the irq landing on its host and what the host then waits for', async () => {
    const { parse } = await import('./semantics/properties-helpers.js');
    const m = parse(`
const l = spinlock();
function handler() { spin_lock(l); spin_unlock(l); }
request_irq(handler);
export function t0() { spin_lock(l); spin_unlock(l); }`);
    const ts = sys(m, [DEADLOCK]);
    const lockT0 = ts.transitions.find((t) => t.thread === 0 && !t.label.synthetic && t.label.node === 0)!.id;
    const fire = ts.transitions.find((t) => t.label.synthetic === 'irq-fire')!.id;
    const t = buildTrace(ts, m, undefined, [lockT0, fire], 0);
    expect(t.steps.map((x) => `${x.index} ${x.threadName} ${stepText(x)}${x.role ? ` {${x.role}}` : ''} [${x.held.join(', ')}]${x.context.length ? ` <${x.context.join(' / ')}>` : ''}${x.preemption ? ' P' : ''}`)).toEqual([
      '1 t0 spin_lock(l) [l (l)]',
      '2 irq:handler handler() {irq fires on t0} [] <hard irq handler on t0> P',
      // The handler's wait is a step; t0 is interrupted, not waiting, so it has none.
      '3 irq:handler spin_lock(l) [] <hard irq handler on t0>',
    ]);
    expect(t.final.threads).toEqual([
      { thread: 't0', status: 'blocked', held: ['l (l)'], waitingFor: { kind: 'irq', irq: 'irq:handler' } },
      { thread: 'irq:handler', status: 'blocked', held: [], waitingFor: { kind: 'lock', lock: 'l', lockClass: 'l', lockKind: 'spinlock', mode: 'write', owner: 't0' } },
    ]);
    expect(t.final.threads.map((x) => waitText(x.waitingFor!, x.thread))).toEqual(['irq irq:handler running on its CPU', 'spinlock l held by t0']);
  });

  it('names work starts, kswapd runs and notifier contexts', async () => {
    const { parse } = await import('./semantics/properties-helpers.js');
    const m = parse(`
const mm = mm_struct();
const nl = mutex();
function inv() { mutex_lock(nl); mutex_unlock(nl); }
mmu_interval_notifier_insert(mm, inv);
function free_job() { mutex_lock(nl); mutex_unlock(nl); }
const w = work(free_job);
export function t0() { queue_work(w); }`);
    const ts = sys(m, []);
    const pick = (f: (l: (typeof ts.transitions)[number]) => boolean) => ts.transitions.find(f)!.id;
    const s = [
      pick((t) => t.thread === 0 && t.label.node === 0 && !t.label.synthetic),
      pick((t) => t.label.synthetic === 'thread-start'),
      pick((t) => t.label.synthetic === 'kswapd-run'),
      pick((t) => ts.threads[t.thread].kind === 'kswapd' && t.label.node === 0 && !t.label.synthetic),
      pick((t) => ts.threads[t.thread].kind === 'kswapd' && t.label.node === 1 && !t.label.synthetic),
      pick((t) => t.label.synthetic === 'leave-reclaim'),
    ];
    const t = buildTrace(ts, m, undefined, s);
    expect(t.steps.map((x) => `${x.index} ${x.threadName} ${stepText(x)}${x.role ? ` {${x.role}}` : ''} [${x.held.join(', ')}]${x.context.length ? ` <${x.context.join(' / ')}>` : ''}${x.preemption ? ' P' : ''}`)).toEqual([
      '1 t0 queue_work(w) []',
      '2 free_job free_job() {work w starts} [] <work free_job>',
      '3 kswapd balance_pgdat() {kswapd runs mmu notifier inv()} [fs_reclaim, mmu_notifier_invalidate_range_start] <kswapd (mmu notifier inv())> P',
      '4 kswapd mutex_lock(nl) [fs_reclaim, mmu_notifier_invalidate_range_start, nl (nl)] <kswapd (mmu notifier inv())>',
      '5 kswapd mutex_unlock(nl) {leave reclaim} [] <kswapd (mmu notifier inv())>',
    ]);
    expect(t.final.threads.find((x) => x.thread === 'kswapd')).toEqual({ thread: 'kswapd', status: 'done', held: [] });
  });

  it('names the start of an mm event thread as the mm event it is, not as a work item', async () => {
    const { parse } = await import('./semantics/properties-helpers.js');
    const m = parse(`
const mm = mm_struct();
const nl = mutex();
function inv() { mutex_lock(nl); mutex_unlock(nl); }
mmu_interval_notifier_insert(mm, inv);
export function t0() { mutex_lock(nl); mutex_unlock(nl); }`);
    const ts = sys(m, []);
    const start = ts.transitions.find((t) => t.label.synthetic === 'thread-start' && ts.threads[t.thread].kind === 'thread');
    expect(start).toBeDefined();
    const t = buildTrace(ts, m, undefined, [start!.id]);
    expect(t.steps.map((x) => `${x.threadName} ${stepText(x)} {${x.role}}`)).toEqual(['mmu:inv inv() {an mm event starts mmu notifier inv()}']);
  });

  it('shows a fence callback entered from dma_fence_signal and merges its return', async () => {
    const { parse } = await import('./semantics/properties-helpers.js');
    const m = parse(`
const job = dma_fence();
const l = spinlock();
function cb() { spin_lock(l); spin_unlock(l); }
export function t0() {
  dma_fence_add_callback(job, cb);
  const c = dma_fence_begin_signalling();
  dma_fence_signal(job);
  dma_fence_end_signalling(c);
}`);
    const ts = sys(m, []);
    const ev = (await import('../../checker/semantics/eval.js')).prepare(ts);
    // Run t0 to the end, always taking its only enabled transition.
    const s: number[] = [];
    let st = ev.initial();
    for (;;) {
      const en = ev.enabledTransitions(st).filter((t) => ts.transitions[t].thread === 0);
      if (en.length === 0) break;
      s.push(en[0]);
      st = ev.successor(st, en[0]);
    }
    const sm = { file: 't.model.ts', nodes: m.procs.map((p) => p.nodes.map((n) => (n.kind === 'op' ? { line: 100 + 10 * p.id + n.id, col: 1 } : undefined))), instances: [], procs: [], inlined: [] };
    const t = buildTrace(ts, m, sm, s);
    expect(t.steps.map((x) => `${x.index} ${stepText(x)}${x.role ? ` {${x.role}}` : ''} [${x.held.join(', ')}]${x.context.length ? ` <${x.context.join(' / ')}>` : ''}`)).toEqual([
      '1 dma_fence_add_callback(job, cb) = ok []',
      '2 dma_fence_begin_signalling() {enter fence signalling} [dma_fence_map]',
      '3 dma_fence_signal(job) {signal fence job; fence callback cb} [dma_fence_map]',
      '4 spin_lock(l) [dma_fence_map, l (l)] <fence callback cb from dma_fence_signal(job) at t.model.ts:102>',
      '5 spin_unlock(l) {fence callback returns} [dma_fence_map] <fence callback cb from dma_fence_signal(job) at t.model.ts:102>',
      '6 dma_fence_end_signalling(c) {leave fence signalling} []',
    ]);
  });
});


describe('buildTrace on random walks', () => {
  it('renders every replayable schedule deterministically', async () => {
    const fc = (await import('fast-check')).default;
    const { parse } = await import('./semantics/properties-helpers.js');
    const { prepare } = await import('../../checker/semantics/eval.js');
    const m = parse(`
const bo = dma_resv_object();
const l = mutex();
const job = dma_fence();
function shrink() { if (dma_resv_trylock(bo)) { dma_fence_wait(job); dma_resv_unlock(bo); } }
register_shrinker(shrink);
export function cs() {
  const ctx = ww_acquire_init(reservation_ww_class);
  if (dma_resv_lock(bo, ctx) === -EDEADLK) { dma_resv_lock_slow(bo, ctx); }
  dma_resv_add_fence(bo, job);
  kmalloc(GFP_KERNEL);
  dma_resv_unlock(bo);
  ww_acquire_fini(ctx);
}
export function run_job() { const c = dma_fence_begin_signalling(); mutex_lock(l); dma_fence_signal(job); mutex_unlock(l); dma_fence_end_signalling(c); }`);
    const ts = sys(m, [DEADLOCK]);
    const ev = prepare(ts);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (choices) => {
        const s: number[] = [];
        let st = ev.initial();
        for (const c of choices) {
          const en = ev.enabledTransitions(st);
          if (en.length === 0) break;
          const t = en[c % en.length];
          s.push(t);
          st = ev.successor(st, t);
        }
        const a = buildTrace(ts, m, sourceMapOf(m), s, undefined, ev);
        const b = buildTrace(ts, m, sourceMapOf(m), s);
        expect(b).toEqual(a);
        expect(decodeSchedule(ts, a.schedule)).toEqual(s);
        // Blocked threads' waits are steps of their own, with no transition.
        expect(a.steps.filter((x) => !x.blocks).length).toBeLessThanOrEqual(s.length);
        expect(a.steps.map((x) => x.index)).toEqual(a.steps.map((_, i) => i + 1));
        expect(a.preemptions).toBe(a.steps.filter((x) => x.preemption).length);
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
