import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Op } from '../../../model/ir.js';
import { GFP_KERNEL, GFP_NOFS, GFP_NOWAIT, ModelBuilder, lock, unlock } from './builder.js';

/** Random models over a fixed instance set, every op kind the semantics knows. */
function buildRandom(threadOps: number[][], extras: { shrinker: number[]; irq: number[]; work: number[]; cb: number[]; inv: number[] }) {
  const b = new ModelBuilder();
  const M = b.mutex('M');
  const S = b.inst('spinlock', 'S');
  const RW = b.inst('rwsem', 'RW');
  const RL = b.inst('rwlock', 'RL');
  const X = b.inst('dma_resv', 'X', { wwClass: 'reservation_ww_class' });
  const Y = b.inst('dma_resv', 'Y', { wwClass: 'reservation_ww_class' });
  const C1 = b.inst('ww_mutex', 'C1', { wwClass: 'crtc_ww_class' });
  const C2 = b.inst('ww_mutex', 'C2', { wwClass: 'crtc_ww_class' });
  const F = b.inst('dma_fence', 'F');
  const G = b.inst('dma_fence', 'G');
  const mm = b.inst('mm', 'mm');
  const as = b.inst('address_space', 'mapping');
  const caps = { movable: true, revocable: true, unrevocable: true, pinnable: true, p2pOnly: false };
  const buf = b.inst('dma_buf', 'buf', { resv: X, exporter: caps });
  const q = b.inst('rx_queue', 'q');
  const ctx = b.inst('ww_ctx', 'ctx', { local: true });
  const cctx = b.inst('ww_ctx', 'cctx', { local: true });
  const cookie = b.inst('memalloc_cookie', 'ck', { local: true });
  const sig = b.inst('signalling_cookie', 'sc', { local: true });
  const mni = b.inst('interval_notifier', 'mni', { mm });
  const mk = (i: number): Op => {
    const ops: Op[] = [
      lock(M),
      unlock(M),
      lock(S, { irqsave: true }),
      unlock(S, { irqrestore: true }),
      lock(RW, { mode: 'read' }),
      lock(RW),
      unlock(RW),
      lock(RL, { mode: 'recursive_read' }),
      unlock(RL),
      { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx, wwClass: 'reservation_ww_class' },
      lock(X, { ctx }),
      lock(Y, { ctx }),
      lock(Y, { ctx, slow: true }),
      unlock(X),
      unlock(Y),
      { kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx },
      { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: cctx, wwClass: 'crtc_ww_class' },
      lock(C1, { ctx: cctx }),
      lock(C2, { ctx: cctx }),
      unlock(C1),
      unlock(C2),
      lock(X, { trylock: true }),
      { kind: 'alloc', api: 'kmalloc', gfp: GFP_KERNEL },
      { kind: 'alloc', api: 'kmalloc', gfp: GFP_NOFS },
      { kind: 'alloc', api: 'kmalloc', gfp: GFP_NOWAIT },
      { kind: 'memalloc_save', api: 'memalloc_nofs_save', scope: 'nofs', cookie },
      { kind: 'memalloc_restore', api: 'memalloc_nofs_restore', scope: 'nofs', cookie },
      { kind: 'user_access', api: 'copy_to_user', mm },
      { kind: 'pagefault_disable', api: 'pagefault_disable' },
      { kind: 'pagefault_enable', api: 'pagefault_enable' },
      { kind: 'local_irq_disable', api: 'local_irq_disable' },
      { kind: 'local_irq_enable', api: 'local_irq_enable' },
      { kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie: sig },
      { kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie: sig },
      { kind: 'fence_publish', api: 'dma_resv_add_fence', fence: F, resv: X },
      { kind: 'fence_publish', api: 'dma_resv_add_fence', fence: G, resv: X },
      { kind: 'fence_signal', api: 'dma_fence_signal', fence: F, guaranteed: true },
      { kind: 'fence_signal', api: 'dma_fence_signal', fence: G, guaranteed: true },
      { kind: 'fence_wait', api: 'dma_fence_wait', fence: F, timeout: 'bounded' },
      { kind: 'fence_wait', api: 'dma_resv_wait_timeout', resv: X, timeout: 'bounded' },
      { kind: 'unmap_mapping_range', api: 'unmap_mapping_range', mapping: as },
      { kind: 'interval_read_begin', api: 'mmu_interval_read_begin', notifier: mni },
      { kind: 'interval_read_retry', api: 'mmu_interval_read_retry', notifier: mni },
      { kind: 'interval_set_seq', api: 'mmu_interval_set_seq', notifier: mni },
      { kind: 'dma_buf_revoke', api: 'dma_buf_revoke', buf },
      { kind: 'dma_buf_unrevoke', api: 'dma_buf_unrevoke', buf },
      { kind: 'dma_buf_invalidate', api: 'dma_buf_move_notify', buf },
      { kind: 'mp_bind', api: 'net_devmem_bind_dmabuf', rxq: q, buf, provider: 'devmem' },
      { kind: 'mp_bind', api: 'io_zcrx_register', rxq: q, buf, provider: 'zcrx' },
      { kind: 'mp_unbind', api: 'io_zcrx_unregister', rxq: q, provider: 'zcrx' },
      { kind: 'might_sleep', api: 'might_sleep' },
    ];
    return ops[i % ops.length]!;
  };
  const cbProc = b.seq('cb', 'fence_callback', extras.cb.map(mk));
  const inv = b.seq('inv', 'invalidate_mappings', extras.inv.map(mk));
  const att = b.inst('attachment', 'a', { buf, importer: { dynamic: true, invalidate: inv, peer2peer: false } });
  const work = b.inst('work', 'w', { proc: b.seq('wfn', 'work', extras.work.map(mk)) });
  const extraOps = (i: number): Op =>
    [
      { kind: 'fence_add_callback', api: 'dma_fence_add_callback', fence: F, callback: cbProc } as Op,
      { kind: 'dma_buf_map', api: 'dma_buf_map_attachment', attachment: att, unlocked: false } as Op,
      { kind: 'dma_buf_unmap', api: 'dma_buf_unmap_attachment', attachment: att, unlocked: false } as Op,
      { kind: 'dma_buf_pin', api: 'dma_buf_pin', attachment: att } as Op,
      { kind: 'queue_work', api: 'queue_work', work } as Op,
      { kind: 'flush_work', api: 'flush_work', work } as Op,
    ][i % 6]!;
  b.register('shrinker', b.seq('shrink', 'shrinker', extras.shrinker.map(mk)));
  b.register('irq', b.seq('irqh', 'irq', extras.irq.map(mk)));
  threadOps.forEach((ops, i) => b.thread(`T${i}`, ops.map((x) => (x >= 1000 ? extraOps(x - 1000) : mk(x)))));
  return b;
}

const opIdx = fc.oneof(fc.nat(60), fc.integer({ min: 1000, max: 1005 }));
const seqArb = fc.array(opIdx, { maxLength: 7 });
const small = fc.array(fc.nat(60), { maxLength: 3 });

describe('random walks', () => {
  it('successor stays within every variable\'s range; the indexed enabled set equals the guards', () => {
    fc.assert(
      fc.property(
        fc.array(seqArb, { minLength: 1, maxLength: 3 }),
        fc.record({ shrinker: small, irq: small, work: small, cb: small, inv: small }),
        fc.array(fc.nat(1000), { minLength: 10, maxLength: 60 }),
        fc.integer({ min: 0, max: 2 }),
        (threads, extras, choices, kswapdRuns) => {
          const { ts, ev } = buildRandom(threads, extras).compile({ kswapdRuns, irqFires: 2 });
          let s = ev.initial();
          for (const c of choices) {
            for (const v of ts.vars) {
              expect(s[v.id]!).toBeLessThanOrEqual(v.max);
              expect(v.max).toBeLessThan(2 ** v.width);
            }
            const en = ev.enabledTransitions(s);
            const naive = ts.transitions.filter((t) => ev.enabled(s, t.id)).map((t) => t.id);
            expect(en).toEqual(naive);
            if (en.length === 0) {
              expect(ev.isTerminal(s)).toBe(true);
              break;
            }
            const t = en[c % en.length]!;
            // Footprints are exact: a transition writes only what it declares.
            const before = s.slice();
            s = ev.successor(s, t);
            const tr = ts.transitions[t]!;
            for (let i = 0; i < s.length; i++) if (s[i] !== before[i]) expect(tr.writes).toContain(i);
          }
          // In-place successor equals the allocating one.
          const en = ev.enabledTransitions(s);
          if (en.length > 0) {
            const a = ev.successor(s, en[0]!);
            const inPlace = s.slice();
            ev.successor(inPlace, en[0]!, inPlace);
            expect(Array.from(inPlace)).toEqual(Array.from(a));
          }
        },
      ),
      { numRuns: 80, seed: 42 },
    );
  });

  it('the completeness bound covers the longest run of a random walk', () => {
    fc.assert(
      fc.property(
        fc.array(seqArb, { minLength: 1, maxLength: 3 }),
        fc.record({ shrinker: small, irq: small, work: small, cb: small, inv: small }),
        fc.array(fc.nat(1000), { minLength: 200, maxLength: 200 }),
        (threads, extras, choices) => {
          const { ts, ev } = buildRandom(threads, extras).compile({ kswapdRuns: 1, irqFires: 1 });
          let s = ev.initial();
          let steps = 0;
          for (const c of choices) {
            const en = ev.enabledTransitions(s);
            if (en.length === 0) break;
            s = ev.successor(s, en[c % en.length]!);
            steps++;
          }
          expect(steps).toBeLessThanOrEqual(ts.completenessBound);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });
});
