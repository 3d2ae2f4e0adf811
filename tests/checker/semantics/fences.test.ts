import { describe, expect, it } from 'vitest';
import type { Op } from '../../../model/ir.js';
import type { CompileContext } from '../../../checker/semantics/context.js';
import { FENCE_CB_ATOMIC } from '../../../checker/semantics/context.js';
import { ModelBuilder, enabledDesc, fire, lock, run, unlock, val } from './builder.js';

const wait = (fence: number, timeout: 'infinite' | 'bounded' = 'infinite'): Op => ({ kind: 'fence_wait', api: 'dma_fence_wait', fence, timeout });
const waitResv = (resv: number): Op => ({ kind: 'fence_wait', api: 'dma_resv_wait_timeout', resv, timeout: 'infinite' });
const signal = (fence: number): Op => ({ kind: 'fence_signal', api: 'dma_fence_signal', fence, guaranteed: true });
const publish = (fence: number, resv?: number): Op => ({ kind: 'fence_publish', api: 'dma_resv_add_fence', fence, ...(resv === undefined ? {} : { resv }) });

describe('fences', () => {
  it('a wait blocks until the fence is signalled', () => {
    const b = new ModelBuilder();
    const F = b.inst('dma_fence', 'F');
    b.thread('W', [wait(F)]);
    b.thread('S', [publish(F), signal(F)]);
    const { ts, ev } = b.compile();
    let s = ev.initial();
    expect(enabledDesc(ts, ev, s)).toEqual(['S:1.0:ok']);
    s = fire(ts, ev, s, 'S:1.0:ok');
    expect(val(ts, s, 'fence.F')).toBe(1);
    s = fire(ts, ev, s, 'S:1.1:ok');
    expect(val(ts, s, 'fence.F')).toBe(2);
    expect(enabledDesc(ts, ev, s)).toEqual(['W:0.0:ok']);
  });

  it('a wait nobody signals is a deadlock; a bounded wait times out instead', () => {
    const b = new ModelBuilder();
    const F = b.inst('dma_fence', 'F');
    b.thread('W', [wait(F)]);
    const { ev } = b.compile();
    expect(ev.isDeadlock(ev.initial())).toBe(true);
    const b2 = new ModelBuilder();
    const F2 = b2.inst('dma_fence', 'F');
    b2.thread('W', [wait(F2, 'bounded')]);
    b2.thread('S', [signal(F2)]);
    const r = b2.compile();
    expect(enabledDesc(r.ts, r.ev, r.ev.initial())).toEqual(['W:0.0:fail', 'S:1.0:ok']);
    const s = fire(r.ts, r.ev, r.ev.initial(), 'S:1.0:ok');
    // Once signalled only the normal return remains.
    expect(enabledDesc(r.ts, r.ev, s)).toEqual(['W:0.0:ok']);
  });

  it('a resv wait waits for every fence published into the resv', () => {
    const b = new ModelBuilder();
    const R = b.inst('dma_resv', 'R');
    const F = b.inst('dma_fence', 'F');
    const G = b.inst('dma_fence', 'G');
    b.thread('P', [publish(F, R), publish(G, R)]);
    b.thread('W', [waitResv(R)]);
    b.thread('S', [signal(F), signal(G)]);
    const { ts, ev } = b.compile();
    expect(enabledDesc(ts, ev, ev.initial())).toEqual(['P:0.0:ok', 'W:1.0:ok', 'S:2.0:ok']);
    let s = run(ts, ev, ['P:0.0:ok']);
    expect(val(ts, s, 'published.R')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['P:0.1:ok', 'S:2.0:ok']);
    s = run(ts, ev, ['P:0.0:ok', 'P:0.1:ok', 'S:2.0:ok']);
    expect(enabledDesc(ts, ev, s)).toEqual(['S:2.1:ok']);
    s = fire(ts, ev, s, 'S:2.1:ok');
    expect(enabledDesc(ts, ev, s)).toEqual(['W:1.0:ok']);
  });

  it('publishing a signalled fence keeps it signalled', () => {
    const b = new ModelBuilder();
    const F = b.inst('dma_fence', 'F');
    b.thread('T', [signal(F), publish(F)]);
    const { ts, ev } = b.compile();
    expect(val(ts, run(ts, ev, ['T:0.0:ok', 'T:0.1:ok']), 'fence.F')).toBe(2);
  });

  it('callbacks run inline in the signaller, atomically, once', () => {
    const b = new ModelBuilder();
    const F = b.inst('dma_fence', 'F');
    const L = b.mutex('L');
    const cb = b.seq('cb', 'fence_callback', [lock(L), unlock(L)]);
    b.thread('A', [{ kind: 'fence_add_callback', api: 'dma_fence_add_callback', fence: F, callback: cb }]);
    b.thread('S', [signal(F)]);
    let ctx!: CompileContext;
    const { ts, ev } = b.compile({}, (c) => {
      ctx = c;
      return [];
    });
    // Registered before the signal: runs inside dma_fence_signal.
    let s = run(ts, ev, ['A:1.0:ok']);
    expect(val(ts, s, 'cb.F.cb')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['S:2.0:ok']);
    s = fire(ts, ev, s, 'S:2.0:ok');
    expect(val(ts, s, 'cb.F.cb')).toBe(0);
    expect((val(ts, s, 'flags.S') >> FENCE_CB_ATOMIC) & 1).toBe(1);
    const loc = ctx.locations[1]![val(ts, s, 'pc.S')]!;
    expect(loc.contexts).toEqual(['fence-callback', 'atomic']);
    expect(loc.frames).toEqual([{ proc: 0, kind: 'fence-callback', enteredAt: { proc: 2, node: 0 } }]);
    s = run(ts, ev, ['A:1.0:ok', 'S:2.0:ok', 'S:0.0:ok', 'S:0.1:ok', 'S:0.2:leave-callback']);
    expect(val(ts, s, 'flags.S')).toBe(0);
    expect(ev.threadDone(s, 1)).toBe(true);
    // Not registered: the signal goes straight on.
    s = run(ts, ev, ['S:2.0:ok']);
    expect(ev.threadDone(s, 1)).toBe(true);
    // Adding a callback to a signalled fence fails (-ENOENT) and registers nothing.
    expect(enabledDesc(ts, ev, s)).toEqual(['A:1.0:fail']);
    s = fire(ts, ev, s, 'A:1.0:fail');
    expect(val(ts, s, 'cb.F.cb')).toBe(0);
    expect(ts.completenessBound).toBe(1 + 4);
  });
});

describe('dma-buf attachments', () => {
  function bufModel(threads: (ids: { buf: number; a: number; s: number }) => [string, Op[]][]) {
    const b = new ModelBuilder();
    const R = b.inst('dma_resv', 'buf.resv');
    const caps = { movable: true, revocable: true, unrevocable: true, pinnable: true, p2pOnly: false };
    const buf = b.inst('dma_buf', 'buf', { resv: R, exporter: caps });
    const inv = b.seq('inv', 'invalidate_mappings', []);
    const a = b.inst('attachment', 'a', { buf, importer: { dynamic: true, invalidate: inv, peer2peer: false } });
    const st = b.inst('attachment', 's', { buf, local: true, importer: { dynamic: false, peer2peer: false } });
    for (const [name, ops] of threads({ buf, a, s: st })) b.thread(name, ops);
    return b.compile();
  }
  const map = (attachment: number): Op => ({ kind: 'dma_buf_map', api: 'dma_buf_map_attachment', attachment, unlocked: false });
  const unmap = (attachment: number): Op => ({ kind: 'dma_buf_unmap', api: 'dma_buf_unmap_attachment', attachment, unlocked: false });

  it('top-level attachments start attached, local ones detached', () => {
    const { ts, ev } = bufModel(() => [['T', []]]);
    const s = ev.initial();
    expect(val(ts, s, 'att.a')).toBe(1);
    expect(val(ts, s, 'att.s')).toBe(0);
  });

  it('map and attach fail while the buffer is revoked (REVOKE-5); unrevoke re-enables', () => {
    const { ts, ev } = bufModel(({ buf, a, s: st }) => [
      ['X', [{ kind: 'dma_buf_revoke', api: 'dma_buf_revoke', buf }, { kind: 'dma_buf_unrevoke', api: 'dma_buf_unrevoke', buf }]],
      ['I', [map(a), { kind: 'dma_buf_attach', api: 'dma_buf_attach', attachment: st }]],
    ]);
    let s = run(ts, ev, ['X:1.0:ok']);
    expect(val(ts, s, 'buf.buf')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['X:1.1:ok', 'I:2.0:fail']);
    s = fire(ts, ev, s, 'I:2.0:fail');
    expect(val(ts, s, 'att.a')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['X:1.1:ok', 'I:2.1:fail']);
    s = run(ts, ev, ['X:1.0:ok', 'X:1.1:ok', 'I:2.0:ok', 'I:2.1:ok']);
    expect(val(ts, s, 'att.a')).toBe(2);
    expect(val(ts, s, 'att.s')).toBe(1);
  });

  it('invalidate runs the importer callback inline and moves mapped to invalidated', () => {
    const { ts, ev } = bufModel(({ buf, a }) => [
      ['T', [map(a), { kind: 'dma_buf_invalidate', api: 'dma_buf_invalidate_mappings', buf }, unmap(a)]],
    ]);
    let s = run(ts, ev, ['T:1.0:ok']);
    expect(val(ts, s, 'att.a')).toBe(2);
    s = fire(ts, ev, s, 'T:1.1:ok');
    expect(val(ts, s, 'att.a')).toBe(3);
    expect(enabledDesc(ts, ev, s)).toEqual(['T:0.0:leave-callback']);
    s = run(ts, ev, ['T:1.0:ok', 'T:1.1:ok', 'T:0.0:leave-callback', 'T:1.2:ok']);
    expect(val(ts, s, 'att.a')).toBe(1);
  });

  it('pin sets and unpin clears the pinned bit; a static importer is pinned by map', () => {
    const { ts, ev } = bufModel(({ a, s: st }) => [
      ['T', [{ kind: 'dma_buf_pin', api: 'dma_buf_pin', attachment: a }, { kind: 'dma_buf_attach', api: 'dma_buf_attach', attachment: st }, map(st), unmap(st), { kind: 'dma_buf_unpin', api: 'dma_buf_unpin', attachment: a }, { kind: 'dma_buf_detach', api: 'dma_buf_detach', attachment: st }]],
    ]);
    const at = (n: number) => run(ts, ev, ['T:1.0:ok', 'T:1.1:ok', 'T:1.2:ok', 'T:1.3:ok', 'T:1.4:ok', 'T:1.5:ok'].slice(0, n));
    expect(val(ts, at(1), 'att.a')).toBe(1 | 4);
    expect(val(ts, at(3), 'att.s')).toBe(2 | 4);
    expect(val(ts, at(4), 'att.s')).toBe(1);
    expect(val(ts, at(5), 'att.a')).toBe(1);
    expect(val(ts, at(6), 'att.s')).toBe(0);
  });
});

describe('memory providers', () => {
  it('one provider per rx queue; only the owner unbinds (OWN-1/2)', () => {
    const b = new ModelBuilder();
    const q = b.inst('rx_queue', 'q');
    const buf = b.inst('dma_buf', 'buf');
    b.thread('D', [{ kind: 'mp_bind', api: 'net_devmem_bind_dmabuf', rxq: q, buf, provider: 'devmem' }, { kind: 'mp_unbind', api: 'net_devmem_unbind_dmabuf', rxq: q, provider: 'devmem' }]);
    b.thread('Z', [{ kind: 'mp_bind', api: 'io_zcrx_register', rxq: q, buf, provider: 'zcrx' }, { kind: 'mp_unbind', api: 'io_zcrx_unregister', rxq: q, provider: 'zcrx' }]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['D:0.0:ok']);
    expect(val(ts, s, 'rxq.q')).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['D:0.1:ok', 'Z:1.0:fail']);
    s = run(ts, ev, ['D:0.0:ok', 'Z:1.0:fail', 'Z:1.1:ok']);
    expect(val(ts, s, 'rxq.q')).toBe(1);
    s = fire(ts, ev, s, 'D:0.1:ok');
    expect(val(ts, s, 'rxq.q')).toBe(0);
  });
});

void lock;
void unlock;

describe('callback dispatch order', () => {
  it('runs registered callbacks in proc order, skipping unregistered ones, atomic throughout', () => {
    const b = new ModelBuilder();
    const F = b.inst('dma_fence', 'F');
    const cb1 = b.seq('cb1', 'fence_callback', [{ kind: 'might_sleep', api: 'might_sleep' }]);
    const cb2 = b.seq('cb2', 'fence_callback', [{ kind: 'might_sleep', api: 'might_sleep' }]);
    const cb3 = b.seq('cb3', 'fence_callback', [{ kind: 'might_sleep', api: 'might_sleep' }]);
    const add = (callback: number): Op => ({ kind: 'fence_add_callback', api: 'dma_fence_add_callback', fence: F, callback });
    b.thread('A', [add(cb1), add(cb3)]);
    b.thread('B', [add(cb2)]);
    b.thread('S', [signal(F)]);
    const { ts, ev } = b.compile();
    let s = run(ts, ev, ['A:3.0:ok', 'A:3.1:ok', 'S:5.0:ok']);
    // cb1 runs first; cb2 is not registered; then cb3. (B can only fail now.)
    expect(enabledDesc(ts, ev, s)).toEqual(['B:4.0:fail', 'S:0.0:ok']);
    s = run(ts, ev, ['A:3.0:ok', 'A:3.1:ok', 'S:5.0:ok', 'S:0.0:ok', 'S:0.1:leave-callback']);
    expect((val(ts, s, 'flags.S') >> FENCE_CB_ATOMIC) & 1).toBe(1);
    expect(enabledDesc(ts, ev, s)).toEqual(['B:4.0:fail', 'S:2.0:ok']);
    s = run(ts, ev, ['A:3.0:ok', 'A:3.1:ok', 'S:5.0:ok', 'S:0.0:ok', 'S:0.1:leave-callback', 'S:2.0:ok', 'S:2.1:leave-callback']);
    expect(val(ts, s, 'flags.S')).toBe(0);
    expect(ev.threadDone(s, 2)).toBe(true);
    // B registered after the signal: -ENOENT.
    expect(enabledDesc(ts, ev, s)).toEqual(['B:4.0:fail']);
  });

  it('invalidate calls each still-attached importer in turn', () => {
    const b = new ModelBuilder();
    const R = b.inst('dma_resv', 'buf.resv');
    const buf = b.inst('dma_buf', 'buf', { resv: R });
    const inv1 = b.seq('inv1', 'invalidate_mappings', []);
    const inv2 = b.seq('inv2', 'invalidate_mappings', []);
    const a1 = b.inst('attachment', 'a1', { buf, importer: { dynamic: true, invalidate: inv1, peer2peer: false } });
    b.inst('attachment', 'a2', { buf, importer: { dynamic: true, invalidate: inv2, peer2peer: false } });
    b.thread('T', [
      lock(R, { api: 'dma_resv_lock' }),
      { kind: 'dma_buf_detach', api: 'dma_buf_detach', attachment: a1 },
      { kind: 'dma_buf_invalidate', api: 'dma_buf_invalidate_mappings', buf },
      unlock(R),
    ]);
    const { ts, ev } = b.compile();
    const s = run(ts, ev, ['T:2.0:ok', 'T:2.1:ok', 'T:2.2:ok']);
    // a1 is detached: straight to inv2.
    expect(enabledDesc(ts, ev, s)).toEqual(['T:1.0:leave-callback']);
    const s2 = fire(ts, ev, s, 'T:1.0:leave-callback');
    expect(enabledDesc(ts, ev, s2)).toEqual(['T:2.3:ok']);
  });
});
