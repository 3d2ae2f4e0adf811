import { describe, expect, it } from 'vitest';
import type { DriverModel, GfpMask, Instance, Node, Op } from '../../../../model/ir.js';
import { buildLockGraph } from '../../../../checker/engines/lockgraph/index.js';
import { parse } from '../../semantics/properties-helpers.js';
import { cyclesFor } from '../../../../checker/findings.js';

const GFP_KERNEL: GfpMask = { text: 'GFP_KERNEL', directReclaim: true, kswapdReclaim: true, io: true, fs: true, noLockdep: false, noFail: false, mayFail: false };
const GFP_NOFS: GfpMask = { ...GFP_KERNEL, text: 'GFP_NOFS', fs: false };

/** Linear procs only: enough for lockdep facts. */
function model(instances: Omit<Instance, 'id'>[], threads: Op[][], registrations: { role: 'shrinker' | 'mmu_notifier'; ops: Op[] }[] = []): DriverModel {
  const procs = [...threads, ...registrations.map((r) => r.ops)].map((ops, id) => {
    const nodes: Node[] = ops.map((op, i) => ({ kind: 'op', id: i, op, next: op.kind === 'lock' && op.trylock ? { ok: i + 1, fail: i + 1 } : { ok: i + 1 } }));
    nodes.push({ kind: 'end', id: ops.length });
    return { id, name: id < threads.length ? `T${id}` : `cb${id}`, role: id < threads.length ? ('thread' as const) : registrations[id - threads.length].role, nodes };
  });
  return {
    schemaVersion: 1,
    file: 'test.model.ts',
    sourceHash: '0',
    header: { description: '', expect: [], ruleOptions: {} },
    instances: instances.map((x, id) => ({ ...x, id })),
    procs,
    threads: threads.map((_, id) => ({ id, name: `T${id}`, proc: id, kind: 'thread' as const })),
    registrations: registrations.map((r, i) => ({ role: r.role, proc: threads.length + i })),
  };
}

const lock = (l: number, extra: Partial<Extract<Op, { kind: 'lock' }>> = {}): Op => ({ kind: 'lock', api: 'mutex_lock', lock: l, mode: 'write', trylock: false, ...extra });
const unlock = (l: number): Op => ({ kind: 'unlock', api: 'mutex_unlock', lock: l });

describe('lock graph (lockdep semantics)', () => {
  it('finds an ABBA cycle between two threads, closing edge last', () => {
    const m = model(
      [{ name: 'a', kind: 'mutex', lockClass: 'a' }, { name: 'b', kind: 'mutex', lockClass: 'b' }],
      [
        [lock(0), lock(1), unlock(1), unlock(0)],
        [lock(1), lock(0), unlock(0), unlock(1)],
      ],
    );
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    expect(g.cycles).toHaveLength(1);
    expect(g.cycles[0].edges.map((e) => `${e.from}->${e.to}`)).toEqual(['a->b', 'b->a']);
    expect(g.cycles[0].edges[1].source).toMatchObject({ kind: 'model', thread: 'T1', api: 'mutex_lock' });
  });

  it('a single thread that inverts the primed order closes a cycle with P1 (ORDER-2)', () => {
    const m = model(
      [{ name: 'mm', kind: 'mm', lockClass: '&mm->mmap_lock' }, { name: 'bo', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' }],
      [[lock(1, { api: 'dma_resv_lock' }), { kind: 'user_access', api: 'copy_to_user', mm: 0 }, unlock(1)]],
    );
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    expect(g.cycles).toHaveLength(1);
    expect(g.cycles[0].edges.map((e) => (e.source.kind === 'primed' ? e.source.id : 'model'))).toEqual(['P1', 'P2', 'model']);
    expect(g.cycles[0].edges[2]).toMatchObject({ from: 'reservation_ww_class_mutex', to: '&mm->mmap_lock', type: 'EN' });
  });

  it('a trylock adds no edge into the trylocked lock but later locks get edges from it', () => {
    const m = model(
      [{ name: 'a', kind: 'mutex', lockClass: 'a' }, { name: 'b', kind: 'mutex', lockClass: 'b' }, { name: 'c', kind: 'mutex', lockClass: 'c' }],
      [[lock(0), lock(1, { trylock: true, api: 'mutex_trylock' }), lock(2), unlock(2), unlock(1), unlock(0)]],
    );
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    const model_edges = g.edges.filter((e) => e.source.kind === 'model').map((e) => `${e.from}->${e.to}`).sort();
    expect(model_edges).toEqual(['a->c', 'b->c']);
  });

  it('a shrinker blocking on dma_resv closes fs_reclaim -> resv -> fs_reclaim (RECLAIM-2); trylock does not', () => {
    const insts = [{ name: 'bo', kind: 'dma_resv' as const, lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' }];
    const bad = buildLockGraph(model(insts, [[]], [{ role: 'shrinker', ops: [lock(0, { api: 'dma_resv_lock' }), unlock(0)] }]), { kernel: 'v7.0' });
    expect(bad.cycles.map((c) => c.classes)).toEqual([['reservation_ww_class_mutex', 'fs_reclaim']]);
    const good = buildLockGraph(model(insts, [[]], [{ role: 'shrinker', ops: [lock(0, { api: 'dma_resv_trylock', trylock: true }), unlock(0)] }]), { kernel: 'v7.0' });
    expect(good.cycles).toEqual([]);
  });

  it('GFP_NOFS under a notifier lock still reaches the notifier map (NOTIFIER-2)', () => {
    const m = model(
      [{ name: 'nl', kind: 'mutex', lockClass: 'notifier_lock' }],
      [[lock(0), { kind: 'alloc', api: 'kzalloc', gfp: GFP_NOFS }, unlock(0)]],
      [{ role: 'mmu_notifier', ops: [lock(0), unlock(0)] }],
    );
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    expect(g.cycles).toHaveLength(1);
    expect(new Set(g.cycles[0].classes)).toEqual(new Set(['notifier_lock', 'mmu_notifier_invalidate_range_start']));
  });

  it('begin_signalling is a read-trylock since v6.13: locks held at begin get no edge (FENCE-5)', () => {
    // lock(L); begin_signalling; end; unlock   +   L taken under a fence wait elsewhere
    const insts = [{ name: 'L', kind: 'mutex' as const, lockClass: 'L' }, { name: 'f', kind: 'dma_fence' as const }, { name: 'c', kind: 'signalling_cookie' as const }];
    const ops: Op[][] = [
      [lock(0), { kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie: 2 }, { kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie: 2 }, unlock(0)],
      [{ kind: 'fence_wait', api: 'dma_fence_wait', fence: 1, timeout: 'infinite' }, lock(0), unlock(0)],
    ];
    // After the wait nothing is held, so the second thread adds no L edge;
    // make it hold L across the wait instead: L -> dma_fence_map.
    ops[1] = [lock(0), { kind: 'fence_wait', api: 'dma_fence_wait', fence: 1, timeout: 'infinite' }, unlock(0)];
    const newer = buildLockGraph(model(insts, ops), { kernel: 'v6.13' });
    expect(newer.edges.filter((e) => e.source.kind === 'model').map((e) => `${e.from}->${e.to}:${e.type}`)).toEqual(['L->dma_fence_map:EN']);
    const older = buildLockGraph(model(insts, ops), { kernel: 'v6.12' });
    expect(older.edges.filter((e) => e.source.kind === 'model').map((e) => `${e.from}->${e.to}:${e.type}`)).toEqual(['L->dma_fence_map:EN']);
    // Before v6.13 (commit 2facdd6002ad came with the v6.13 merge) the plain read acquisition at begin records L -> dma_fence_map too (same edge, EN).
    expect(older.cycles).toEqual([]);
  });

  it('a lock taken inside a signalling section and held across a wait is a strong cycle', () => {
    const insts = [{ name: 'L', kind: 'mutex' as const, lockClass: 'L' }, { name: 'f', kind: 'dma_fence' as const }, { name: 'c', kind: 'signalling_cookie' as const }];
    const ops: Op[][] = [
      [{ kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie: 2 }, lock(0), unlock(0), { kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie: 2 }],
      [lock(0), { kind: 'fence_wait', api: 'dma_fence_wait', fence: 1, timeout: 'infinite' }, unlock(0)],
    ];
    const g = buildLockGraph(model(insts, ops), { kernel: 'v7.0' });
    expect(g.cycles).toHaveLength(1);
    expect(g.cycles[0].edges.map((e) => `${e.from}-(${e.type})->${e.to}`)).toEqual(['dma_fence_map-(SN)->L', 'L-(EN)->dma_fence_map']);
  });

  it('reports recursive locking of one class without a nest lock (WW-1), not with a ctx', () => {
    const insts = [
      { name: 'A', kind: 'dma_resv' as const, lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
      { name: 'B', kind: 'dma_resv' as const, lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
      { name: 'ctx', kind: 'ww_ctx' as const, wwClass: 'reservation_ww_class' },
    ];
    const plain = buildLockGraph(model(insts, [[lock(0), lock(1), unlock(1), unlock(0)]]), { kernel: 'v7.0' });
    expect(plain.recursions.map((r) => r.class)).toEqual(['reservation_ww_class_mutex']);
    const withCtx = buildLockGraph(
      model(insts, [
        [
          { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: 2, wwClass: 'reservation_ww_class' },
          lock(0, { ctx: 2 }),
          lock(1, { ctx: 2 }),
          unlock(1),
          unlock(0),
          { kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx: 2 },
        ],
      ]),
      { kernel: 'v7.0' },
    );
    expect(withCtx.recursions).toEqual([]);
    expect(withCtx.cycles).toEqual([]);
  });

  it('resolves graph-dependent patterns', () => {
    const m = model([{ name: 'drv', kind: 'mutex', lockClass: 'drv_lock' }], [[lock(0), { kind: 'fence_wait', api: 'dma_fence_wait', fence: 0, timeout: 'infinite' }, unlock(0)]]);
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    expect([...g.classesAtOrBelow('reservation_ww_class_mutex')].sort()).toEqual(
      ['&mapping->i_mmap_rwsem', 'dma_fence_map', 'fs_reclaim', 'mmu_notifier_invalidate_range_start', 'reservation_ww_class_mutex'].sort(),
    );
    expect([...g.classesHeldAcross({ op: 'fence_wait' })]).toEqual(['drv_lock']);
    expect(g.patternMatchesClass({ kind: 'sleeping-lock' }, 'drv_lock')).toBe(true);
  });
});

describe('taken-in, blocking acquisitions only', () => {
  it('leaves out a lock a shrinker only trylocks', () => {
    const m = parse(`
const obj_lock = mutex();
const lru_lock = mutex();
function scan() {
  if (mutex_trylock(obj_lock)) { mutex_unlock(obj_lock); }
  mutex_lock(lru_lock);
  mutex_unlock(lru_lock);
}
register_shrinker(scan);
export function t0() { mutex_lock(obj_lock); mutex_unlock(obj_lock); }
`);
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    expect([...g.classesTakenIn('shrinker')].sort()).toEqual(['lru_lock', 'obj_lock']);
    expect([...g.classesTakenIn('shrinker', true)]).toEqual(['lru_lock']);
    expect(g.patternMatchesClass({ kind: 'taken-in', context: 'shrinker', blocking: true }, 'obj_lock')).toBe(false);
    expect(g.patternMatchesClass({ kind: 'all-of', of: [{ kind: 'taken-in', context: 'shrinker' }, { kind: 'lock-kind', is: 'mutex' }] }, 'obj_lock')).toBe(true);
  });
});

describe('closedBy with the context and held class of the edge (open request 11)', () => {
  // run_job locks the BO in a signalling section (dma_fence_map -> resv),
  // the shrinker waits for the job (fs_reclaim -> dma_fence_map): the cycle
  // through fs_reclaim has a resv lock edge, recorded in signalling only.
  const src = (shrinkerLocksBo: boolean) => `
const bo = dma_resv_object();
const job = dma_fence();
export function run_job() {
  const cookie = dma_fence_begin_signalling();
  dma_resv_lock(bo, null);
  dma_resv_unlock(bo);
  dma_fence_signal(job);
  dma_fence_end_signalling(cookie);
}
function scan() {
  dma_fence_wait(job);${shrinkerLocksBo ? '\n  dma_resv_lock(bo, null);\n  dma_resv_unlock(bo);' : ''}
}
register_shrinker(scan);
`;
  const resvLock = { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'reservation_ww_class' } } as const;
  const through = [{ kind: 'pseudo', name: 'fs_reclaim' }] as const;
  const select = (m: DriverModel, closedBy: Parameters<typeof cyclesFor>[1]['closedBy']) => {
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    return cyclesFor(g, { kind: 'lock-cycle', id: 'c', through: [...through], closedBy }, m).map((c) => c.edges.map((e) => `${e.from}>${e.to}`).join(' '));
  };

  it('records every site of an edge with the contexts it was walked in', () => {
    const m = parse(src(true));
    const g = buildLockGraph(m, { kernel: 'v7.0' });
    const sites = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.recordings?.map((r) => [...r.contexts].sort().join(','));
    expect(sites('dma_fence_map', 'reservation_ww_class_mutex')).toEqual(['signalling']);
    expect(sites('fs_reclaim', 'dma_fence_map')).toEqual(['kswapd,reclaim,shrinker']);
    expect(sites('fs_reclaim', 'reservation_ww_class_mutex')).toEqual(['kswapd,reclaim,shrinker']);
  });

  it('selects a cycle by its resv lock edge only when that edge is recorded in the context asked for', () => {
    const m = parse(src(false));
    const both = [
      'dma_fence_map>reservation_ww_class_mutex reservation_ww_class_mutex>fs_reclaim fs_reclaim>dma_fence_map',
      'reservation_ww_class_mutex>fs_reclaim fs_reclaim>mmu_notifier_invalidate_range_start mmu_notifier_invalidate_range_start>dma_fence_map dma_fence_map>reservation_ww_class_mutex',
    ];
    expect(select(m, resvLock)).toEqual(both);
    expect(select(m, { ...resvLock, context: 'reclaim' })).toEqual([]);
    expect(select(m, { ...resvLock, context: 'shrinker' })).toEqual([]);
    expect(select(m, { ...resvLock, context: 'signalling' })).toEqual(both);
    // A shrinker that locks the BO itself records fs_reclaim -> resv in reclaim.
    expect(select(parse(src(true)), { ...resvLock, context: 'shrinker' })).toEqual(['reservation_ww_class_mutex>fs_reclaim fs_reclaim>reservation_ww_class_mutex']);
  });

  it('selects by the held class of the edge', () => {
    const m = parse(src(false));
    expect(select(m, { ...resvLock, from: { kind: 'pseudo', name: 'dma_fence_map' } })).toHaveLength(2);
    expect(select(m, { ...resvLock, from: { kind: 'pseudo', name: 'fs_reclaim' } })).toEqual([]);
  });
});
