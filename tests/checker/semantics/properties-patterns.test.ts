import { describe, expect, it } from 'vitest';
import { effectiveGfp, gfpMatches, holdableMatches, lockMatches, opMatchesStep, PatternNeedsGraphError } from '../../../checker/semantics/patterns.js';
import type { GfpMask, Op } from '../../../model/ir.js';
import { model, seq } from '../trace-fixtures.js';
import { fakeGraph } from './properties-helpers.js';

const GFP_KERNEL: GfpMask = { text: 'GFP_KERNEL', directReclaim: true, kswapdReclaim: true, io: true, fs: true, noLockdep: false, noFail: false, mayFail: false };
const GFP_NOWAIT: GfpMask = { text: 'GFP_NOWAIT', directReclaim: false, kswapdReclaim: true, io: false, fs: false, noLockdep: false, noFail: false, mayFail: true };

const m = model({
  instances: [
    { id: 0, name: 'vm_lock', kind: 'mutex', lockClass: 'vm_lock' },
    { id: 1, name: 'bo', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
    { id: 2, name: 'mm', kind: 'mm', lockClass: '&mm->mmap_lock' },
    { id: 3, name: 'lru', kind: 'spinlock', lockClass: 'lru' },
    { id: 4, name: 'ctx', kind: 'ww_ctx', wwClass: 'reservation_ww_class' },
    { id: 5, name: 'mode', kind: 'ww_mutex', lockClass: 'crtc_ww_class_mutex', wwClass: 'crtc_ww_class' },
  ],
  procs: [seq(0, 't', [])],
});

describe('effectiveGfp', () => {
  it('applies memalloc scopes like current_gfp_context', () => {
    expect(effectiveGfp(GFP_KERNEL, ['nofs'])).toEqual({ ...GFP_KERNEL, fs: false });
    expect(effectiveGfp(GFP_KERNEL, ['noio'])).toEqual({ ...GFP_KERNEL, fs: false, io: false });
    expect(effectiveGfp(GFP_KERNEL, { noreclaim: true })).toEqual({ ...GFP_KERNEL, directReclaim: false });
    expect(effectiveGfp(GFP_KERNEL, [])).toEqual(GFP_KERNEL);
  });

  it('feeds GFP patterns', () => {
    expect(gfpMatches(GFP_KERNEL, { fs: true })).toBe(true);
    expect(gfpMatches(effectiveGfp(GFP_KERNEL, ['nofs']), { fs: true })).toBe(false);
    expect(gfpMatches(effectiveGfp(GFP_KERNEL, ['nofs']), { directReclaim: true })).toBe(true);
    expect(gfpMatches(GFP_NOWAIT, { directReclaim: true })).toBe(false);
    // fs without direct reclaim never takes fs_reclaim.
    expect(gfpMatches({ ...GFP_NOWAIT, fs: true }, { fs: true })).toBe(false);
  });
});

describe('lockMatches', () => {
  it('reads lock-kind the kernel way', () => {
    expect(lockMatches(1, { kind: 'lock-kind', is: 'ww_mutex' }, m)).toBe(true);
    expect(lockMatches(1, { kind: 'lock-kind', is: 'dma_resv' }, m)).toBe(true);
    expect(lockMatches(2, { kind: 'lock-kind', is: 'rwsem' }, m)).toBe(true);
    expect(lockMatches(0, { kind: 'lock-kind', is: 'rwsem' }, m)).toBe(false);
    expect(lockMatches(3, { kind: 'sleeping-lock' }, m)).toBe(false);
    expect(lockMatches(2, { kind: 'sleeping-lock' }, m)).toBe(true);
  });

  it('matches classes, ww classes, negations and unions', () => {
    expect(lockMatches(1, { kind: 'class', name: 'reservation_ww_class_mutex' }, m)).toBe(true);
    expect(lockMatches(5, { kind: 'ww-class', name: 'crtc_ww_class' }, m)).toBe(true);
    expect(lockMatches(1, { kind: 'ww-class', name: 'crtc_ww_class' }, m)).toBe(false);
    expect(lockMatches(0, { kind: 'not', of: { kind: 'any-of', of: [{ kind: 'class', name: 'lru' }, { kind: 'ww-class', name: 'reservation_ww_class' }] } }, m)).toBe(true);
    expect(lockMatches(3, { kind: 'not', of: { kind: 'any-of', of: [{ kind: 'class', name: 'lru' }] } }, m)).toBe(false);
    expect(lockMatches(5, { kind: 'all-of', of: [{ kind: 'lock-kind', is: 'ww_mutex' }, { kind: 'ww-class', name: 'crtc_ww_class' }] }, m)).toBe(true);
    expect(lockMatches(1, { kind: 'all-of', of: [{ kind: 'lock-kind', is: 'ww_mutex' }, { kind: 'ww-class', name: 'crtc_ww_class' }] }, m)).toBe(false);
    expect(lockMatches(0, { kind: 'operand' }, m, undefined, 0)).toBe(true);
    expect(lockMatches(0, { kind: 'operand' }, m, undefined, 1)).toBe(false);
  });

  it('treats ww contexts and pseudo-locks as holdables', () => {
    expect(holdableMatches({ kind: 'ctx', id: 4 }, { kind: 'ww-acquire', name: 'reservation_ww_class' }, m)).toBe(true);
    expect(holdableMatches({ kind: 'ctx', id: 4 }, { kind: 'class', name: 'reservation_ww_class_acquire' }, m)).toBe(true);
    expect(holdableMatches({ kind: 'pseudo', name: 'fs_reclaim' }, { kind: 'class', name: 'fs_reclaim' }, m)).toBe(true);
    expect(holdableMatches({ kind: 'pseudo', name: 'fs_reclaim' }, { kind: 'any-lock' }, m)).toBe(false);
    expect(holdableMatches({ kind: 'instance', id: 4 }, { kind: 'ww-class', name: 'reservation_ww_class' }, m)).toBe(false);
  });

  it('needs the graph for graph-dependent patterns', () => {
    expect(() => lockMatches(0, { kind: 'at-or-below', name: 'x' }, m)).toThrow(PatternNeedsGraphError);
    const g = fakeGraph({ below: ['vm_lock'], across: ['lru'] });
    expect(lockMatches(0, { kind: 'at-or-below', name: 'x' }, m, g)).toBe(true);
    expect(lockMatches(3, { kind: 'held-across', step: { op: 'fence_wait' } }, m, g)).toBe(true);
    expect(lockMatches(0, { kind: 'held-across', step: { op: 'fence_wait' } }, m, g)).toBe(false);
  });
});

describe('opMatchesStep', () => {
  const wwLock: Op = { kind: 'lock', api: 'dma_resv_lock', lock: 1, mode: 'write', trylock: false, ctx: 4 };
  const nullLock: Op = { kind: 'lock', api: 'dma_resv_lock', lock: 1, mode: 'write', trylock: false };
  const mutexLock: Op = { kind: 'lock', api: 'mutex_lock', lock: 0, mode: 'write', trylock: false };
  const trylock: Op = { kind: 'lock', api: 'dma_resv_trylock', lock: 1, mode: 'write', trylock: true };

  it('checks op kind, lock, ctx, trylock, outcome and api', () => {
    expect(opMatchesStep(wwLock, 'EDEADLK', { op: 'lock', ctx: 'some', outcome: 'EDEADLK' }, m)).toBe(true);
    expect(opMatchesStep(wwLock, 'ok', { op: 'lock', outcome: 'EDEADLK' }, m)).toBe(false);
    expect(opMatchesStep(nullLock, 'ok', { op: 'lock', ctx: 'null' }, m)).toBe(true);
    // A mutex has no ww context at all: ctx patterns do not apply to it.
    expect(opMatchesStep(mutexLock, 'ok', { op: 'lock', ctx: 'null' }, m)).toBe(false);
    expect(opMatchesStep(trylock, 'ok', { op: ['lock', 'unlock'], trylock: false }, m)).toBe(false);
    expect(opMatchesStep(trylock, undefined, { op: 'lock', trylock: true, outcome: 'ok' }, m)).toBe(true);
    expect(opMatchesStep(mutexLock, 'ok', { op: 'lock', api: ['mutex_lock_nested'] }, m)).toBe(false);
    expect(opMatchesStep(mutexLock, 'ok', { op: 'lock', lock: { kind: 'ww-class', name: 'reservation_ww_class' } }, m)).toBe(false);
    expect(opMatchesStep({ kind: 'unlock', api: 'mutex_unlock', lock: 0 }, 'ok', { op: 'unlock', mode: 'write' }, m)).toBe(false);
  });

  it('uses the effective mask when given one', () => {
    const alloc: Op = { kind: 'alloc', api: 'kmalloc', gfp: GFP_KERNEL };
    expect(opMatchesStep(alloc, 'ok', { op: 'alloc', gfp: { fs: true } }, m)).toBe(true);
    expect(opMatchesStep(alloc, 'ok', { op: 'alloc', gfp: { fs: true } }, m, undefined, effectiveGfp(GFP_KERNEL, ['nofs']))).toBe(false);
    expect(opMatchesStep(alloc, 'ok', { op: 'alloc', mode: 'write' }, m)).toBe(false);
  });

  it('checks the fields of fence, dma-buf and provider ops', () => {
    expect(opMatchesStep({ kind: 'fence_wait', api: 'dma_fence_wait_timeout', fence: 0, timeout: 'bounded' }, 'ok', { op: 'fence_wait', timeout: 'infinite' }, m)).toBe(false);
    expect(opMatchesStep({ kind: 'fence_signal', api: 'dma_fence_signal', fence: 0, guaranteed: false }, 'ok', { op: 'fence_signal', guaranteed: false }, m)).toBe(true);
    expect(opMatchesStep({ kind: 'dma_buf_map', api: 'dma_buf_map_attachment_unlocked', attachment: 0, unlocked: true }, 'ok', { op: 'dma_buf_map', unlocked: false }, m)).toBe(false);
    expect(opMatchesStep({ kind: 'mp_recv', api: 'io_zcrx_recv_frag', rxq: 0, provider: 'zcrx', checked: false }, 'ok', { op: 'mp_recv', checked: false, provider: 'zcrx' }, m)).toBe(true);
    expect(opMatchesStep({ kind: 'device_access', api: 'device_read', attachment: 0, write: false }, 'ok', { op: 'device_access', write: true }, m)).toBe(false);
  });

  it('matches the ww class of a transaction step or of a ww lock (wwClass)', () => {
    const crtcInit: Op = { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx: 4, wwClass: 'crtc_ww_class' };
    const resvFini: Op = { kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx: 4 };
    const modeLock: Op = { kind: 'lock', api: 'ww_mutex_lock', lock: 5, mode: 'write', trylock: false };
    expect(opMatchesStep(crtcInit, 'ok', { op: 'ww_acquire_init', wwClass: 'reservation_ww_class' }, m)).toBe(false);
    expect(opMatchesStep(crtcInit, 'ok', { op: 'ww_acquire_init', wwClass: 'crtc_ww_class' }, m)).toBe(true);
    expect(opMatchesStep(resvFini, 'ok', { op: 'ww_acquire_fini', wwClass: 'reservation_ww_class' }, m)).toBe(true);
    expect(opMatchesStep(modeLock, 'ok', { op: 'lock', wwClass: 'crtc_ww_class' }, m)).toBe(true);
    expect(opMatchesStep(wwLock, 'ok', { op: 'lock', wwClass: 'crtc_ww_class' }, m)).toBe(false);
    // A dma_resv without a declared ww class is reservation_ww_class; a mutex has none.
    expect(opMatchesStep(mutexLock, 'ok', { op: 'lock', wwClass: 'reservation_ww_class' }, m)).toBe(false);
  });
});
