/**
 * A realised deadlock: an interleaving in which every unfinished thread is
 * blocked forever on a lock, a fence, a ww backoff or a work item.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'deadlock',
    family: 'lockdep',
    severity: 'error',
    summary: 'No interleaving may leave a thread blocked forever on a lock, a fence wait, a ww_mutex or a flushed work item.',
    rationale:
      'Lock-order cycles are possible deadlocks; this rule finds the ones that actually happen, including those lockdep cannot see: a fence ' +
      'wait whose signaller needs a lock the waiter holds (FENCE-12), a flush_work whose handler needs a lock the flusher holds, or a ww ' +
      'transaction that does not back off. The hung-task detector ("INFO: task ... blocked for more than N seconds") is the only thing the ' +
      'kernel prints for these. ww_mutex semantics are exact: reservation_ww_class is Wait-Die, so the younger context gets -EDEADLK and an ' +
      'older one waits; a model that backs off correctly is proved deadlock-free.',
    covers: ['FENCE-12', 'WW-5', 'LOCKDEP-7'],
    citations: [
      { kind: 'doc', file: 'Documentation/locking/ww-mutex-design.rst' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'DEFINE_WD_CLASS(reservation_ww_class)' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: '__dma_fence_might_wait' },
    ],
    messages: {
      deadlock: 'deadlock: {{thread}} and every thread it waits for are blocked forever',
    },
    hedge: 'WW-5: crtc_ww_class being Wound-Wait (DEFINE_WW_CLASS) is from memory of drivers/gpu/drm/drm_modeset_lock.c, not re-verified.',
  },
  checks: [{ kind: 'deadlock', id: 'deadlock' }],
});
