/**
 * ORDER-7: a possibly-final put runs the destructor, and the dma-buf
 * destructor path locks the dma-buf's resv.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'final-put-is-acquisition',
    family: 'order',
    severity: 'error',
    summary: 'Do not drop a possibly-final dma-buf, GEM, TTM, kref or fence reference under a dma_resv, in a fence callback or release op, or inside a fence signalling path.',
    rationale:
      'Dropping the last reference runs destructor code synchronously: for a dma-buf, the importer\'s detach (dma_buf_detach locks ' +
      'dmabuf->resv with a NULL context) and the exporter\'s release. Under another BO\'s resv that is a second reservation_ww_class_mutex ' +
      'without context (recursive locking, ABBA with the mirror path); in a fence callback it sleeps in atomic context; in a signalling path ' +
      'it takes a resv that is ordered before dma_fence_map. Defer the put to a worker, drop references after all locks are released, or ' +
      'use dma_resv_trylock in the release path.',
    covers: ['ORDER-7'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_detach' },
      { kind: 'kernel', file: 'include/linux/dma-fence.h', symbol: 'dma_fence_ops.release', note: 'documented as callable from irq context' },
      { kind: 'kernel', file: 'drivers/gpu/drm/ttm/ttm_bo.c', note: 'TTM delayed-delete design' },
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_gem.c', symbol: 'drm_gem_object_free', note: 'drm_gem_object_put runs obj->funcs->free synchronously on the last reference' },
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_gem_shmem_helper.c', symbol: 'drm_gem_shmem_free', note: 'locks obj->resv with a NULL context' },
    ],
    messages: {
      'put-under-resv': '{{api}}({{buf}}) may be the final put, whose destructor locks a dma_resv, while {{held}} is held',
      'put-in-atomic': '{{api}}({{buf}}) may be the final put and sleep in its destructor, but runs in {{context}} context',
      'put-in-signalling': '{{api}}({{buf}}) may be the final put, whose destructor locks a dma_resv, inside a fence signalling path',
      'release-under-resv': 'the destructor run by a possibly-final put takes {{lock}} with {{api}} while {{held}} is held',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'put-under-resv',
      on: { op: 'dma_buf_put' },
      when: { kind: 'holds', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, who: 'self' },
    },
    {
      kind: 'step',
      id: 'put-in-atomic',
      on: { op: 'dma_buf_put' },
      when: {
        kind: 'or',
        of: [
          { kind: 'in-context', context: 'fence-callback' },
          { kind: 'in-context', context: 'fence-release' },
          { kind: 'in-context', context: 'irq' },
        ],
      },
    },
    {
      kind: 'step',
      id: 'put-in-signalling',
      on: { op: 'dma_buf_put' },
      when: { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] },
    },
    {
      // drm_gem_object_put / ttm_bo_put / kref_put / dma_fence_put run the
      // registered destructor inline (final_put): a resv it locks while the
      // putting task already holds one is the ORDER-7 acquisition.
      kind: 'step',
      id: 'release-under-resv',
      // A trylock (TTM's release path) gets neither a lockdep chain nor a deadlock.
      on: { op: 'lock', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, trylock: false },
      when: {
        kind: 'and',
        of: [
          { kind: 'in-context', context: 'final-put' },
          { kind: 'holds', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, who: 'self' },
        ],
      },
    },
  ],
});
