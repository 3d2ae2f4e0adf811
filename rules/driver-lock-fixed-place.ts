/**
 * ORDER-4: every driver lock is either outer (always before any resv) or
 * inner (only ever under a resv), never both.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { RESV_MUTEX } from './canonical-order.js';
import { allOf, driverLock } from './lib/lock-patterns.js';

const resv: LockPattern = { kind: 'ww-class', name: 'reservation_ww_class' };

export const rule = defineRule({
  meta: {
    id: 'driver-lock-fixed-place',
    family: 'order',
    severity: 'error',
    summary: 'A driver lock must have one fixed place relative to dma_resv: either always taken before any BO lock (outer) or only while one may be held (inner).',
    rationale:
      'Per-VM mutexes, queue managers that allocate BOs and reset locks that lock BOs are outer locks; LRU spinlocks, per-BO state locks and ' +
      'the userptr notifier_lock are inner locks. A lock that is taken around BO creation (which reserves the new BO) and also inside a path ' +
      'that already holds a resv is the typical ABBA between two ioctls or an ioctl and a worker. Lockdep only finds it when both paths run ' +
      'in one boot; the model has both paths, so lockmc finds it on the first check.',
    covers: ['ORDER-4'],
    citations: [{ kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep' }],
    messages: {
      'outer-under-resv': '{{lock}} is an outer lock (some path locks a dma_resv under it) but is taken here while {{held}} is held',
      'resv-under-inner': 'dma_resv {{lock}} is locked while holding {{held}}, an inner lock that other paths take under a dma_resv',
      cycle: 'possible circular locking dependency: {{chain}}; a driver lock taken under a dma_resv is also ordered before one (ORDER-4)',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'outer-under-resv',
      on: { op: 'lock', trylock: false, lock: allOf(driverLock, { kind: 'at-or-above', name: RESV_MUTEX }) },
      when: { kind: 'holds', lock: resv, who: 'self' },
    },
    {
      kind: 'step',
      id: 'resv-under-inner',
      on: { op: 'lock', trylock: false, lock: resv },
      when: { kind: 'holds', lock: allOf(driverLock, { kind: 'at-or-below', name: RESV_MUTEX }), who: 'self' },
    },
    // The lockdep view: a cycle with an edge reservation_ww_class_mutex -> <driver lock> that a blocking
    // lock of the driver lock records (closedBy `from`, docs/open-requests.md #11). A cycle whose only
    // driver-lock edges start elsewhere (the lock taken in a signalling section, before a resv) is not
    // this rule's.
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [resv],
      closedBy: { op: 'lock', trylock: false, lock: driverLock, from: resv },
    },
  ],
});
