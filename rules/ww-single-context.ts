/**
 * WW-1 / WW-6: several locks of one ww class only inside one acquire
 * context, and one live context per class per task.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'ww-single-context',
    family: 'ww',
    severity: 'error',
    summary: 'Lock a second dma_resv only with the same ww_acquire_ctx (or by trylock), and never start a second acquire context of a class while one is live.',
    rationale:
      'dma_resv_lock(obj, NULL) is a plain mutex acquisition of reservation_ww_class_mutex: no stamp, no -EDEADLK, no wound. A task that ' +
      'holds one BO and blocks on another without a context deadlocks against any task doing the same on the reverse pair, and lockdep ' +
      'reports "possible recursive locking detected" on the class. A ww_acquire_ctx is the nest_lock that makes many same-class locks ' +
      'legal and gives the Wait-Die backoff that resolves contention. Nested transactions of one class break that too: the inner context ' +
      'can wait on a lock held by the outer one of the same task, and lockdep reports recursive locking on <class>_acquire.',
    covers: ['WW-1', 'WW-6'],
    citations: [
      { kind: 'doc', file: 'Documentation/locking/ww-mutex-design.rst' },
      { kind: 'kernel', file: 'include/linux/ww_mutex.h', symbol: 'ww_mutex_lock' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'check_deadlock' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_dynamic_attach', note: 'dma_resv_lock(dmabuf->resv, NULL) around the attachment list (and in dma_buf_detach)' },
    ],
    messages: {
      'second-resv-without-ctx': '{{api}}({{lock}}, NULL) while {{held}} is held: lock both dma_resv objects in one ww_acquire_ctx, or trylock',
      'second-modeset-without-ctx': '{{api}}({{lock}}, NULL) while {{held}} is held: take both modeset locks in one drm_modeset_acquire_ctx',
      'nested-resv-acquire': '{{api}} starts a second ww acquire context while a reservation_ww_class context is live in {{thread}}',
      'attach-under-resv': '{{api}} locks the dma-buf\'s reservation with a NULL context while {{held}} is held: attach and detach outside every dma_resv',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'second-resv-without-ctx',
      on: { op: 'lock', trylock: false, ctx: 'null', lock: { kind: 'ww-class', name: 'reservation_ww_class' } },
      when: { kind: 'holds', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, who: 'self' },
    },
    {
      kind: 'step',
      id: 'second-modeset-without-ctx',
      on: { op: 'lock', trylock: false, ctx: 'null', lock: { kind: 'ww-class', name: 'crtc_ww_class' } },
      when: { kind: 'holds', lock: { kind: 'ww-class', name: 'crtc_ww_class' }, who: 'self' },
    },
    {
      // dma_buf_attach/dma_buf_dynamic_attach/dma_buf_detach (and the
      // _unlocked map/unmap) take dmabuf->resv with a NULL context inside
      // the call: the same second-resv acquisition, hidden in the API.
      kind: 'step',
      id: 'attach-under-resv',
      on: { op: ['dma_buf_attach', 'dma_buf_detach'] },
      when: { kind: 'holds', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, who: 'self' },
    },
    {
      // A step pattern cannot name the ww class a ww_acquire_init starts
      // (docs/open-requests.md #2), so this matches any class: a crtc_ww_class
      // context started under a live reservation one is wrong too (ORDER-8).
      // The crtc-in-crtc case waits for that vocabulary.
      kind: 'step',
      id: 'nested-resv-acquire',
      on: { op: 'ww_acquire_init' },
      when: { kind: 'holds', lock: { kind: 'ww-acquire', name: 'reservation_ww_class' }, who: 'self' },
    },
  ],
});
