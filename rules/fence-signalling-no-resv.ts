/**
 * FENCE-3.2 / FENCE-10: no blocking dma_resv_lock and no reservation ww
 * transaction on a fence signalling path.
 */

import { defineRule } from './types.js';
import type { LockPattern, Pred } from './types.js';
import { DMA_FENCE_MAP } from './canonical-order.js';

const signalling: Pred = { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] };
const resv: LockPattern = { kind: 'ww-class', name: 'reservation_ww_class' };

export const rule = defineRule({
  meta: {
    id: 'fence-signalling-no-resv',
    family: 'fence',
    severity: 'error',
    summary: 'Code on a fence signalling path must not block on a dma_resv or start a reservation_ww_class transaction.',
    rationale:
      'TTM eviction and command submission wait for fences while holding dma_resv locks, which the cross-driver contract explicitly allows. ' +
      'A signalling path that blocks on a resv can therefore wait for a thread that is waiting for the fence this path must signal. The ' +
      'atomic commit tail is such a path once the commit passed its point of no return: fetch tiling or encryption flags in prepare_fb or ' +
      'read them locklessly. A trylock is tolerated by lockdep, but a failed trylock must not stall signalling.',
    covers: ['FENCE-3.2', 'FENCE-10', 'FENCE-4'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence cross-driver contract' },
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_atomic_helper.c', symbol: 'commit_tail', note: 'dma_fence_begin_signalling() around the commit tail; drm_atomic_helper_commit() annotates the blocking path' },
      { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 07/18] drm/atomic-helper: Add dma-fence annotations', author: 'Daniel Vetter' },
    ],
    messages: {
      'resv-in-signalling': '{{api}}({{lock}}) blocks on a dma_resv inside a fence signalling path; resv holders may wait on this fence',
      'ww-acquire-in-signalling': '{{api}} starts a ww transaction inside a fence signalling path',
      cycle: '{{api}} records dma_fence_map -> {{lock}}, which is primed the other way round',
      'cycle-acquire': '{{api}} records dma_fence_map -> reservation_ww_class_acquire, which is primed the other way round',
    },
  },
  checks: [
    { kind: 'step', id: 'resv-in-signalling', on: { op: 'lock', trylock: false, lock: resv }, when: signalling },
    {
      kind: 'step',
      id: 'ww-acquire-in-signalling',
      // Any ww class: a crtc_ww_class transaction in a signalling path is just as wrong (FENCE-10).
      on: { op: 'ww_acquire_init' },
      when: signalling,
    },
    { kind: 'lock-cycle', id: 'cycle', through: [{ kind: 'pseudo', name: DMA_FENCE_MAP }], closedBy: { op: 'lock', trylock: false, lock: resv } },
    { kind: 'lock-cycle', id: 'cycle-acquire', through: [{ kind: 'pseudo', name: DMA_FENCE_MAP }], closedBy: { op: 'ww_acquire_init', wwClass: 'reservation_ww_class' } },
  ],
});
