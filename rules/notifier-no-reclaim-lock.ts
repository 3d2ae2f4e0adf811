/**
 * NOTIFIER-2 (and the notifier half of RECLAIM-1): the mmu-notifier map
 * sits below fs_reclaim and above every lock a callback takes.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { MMU_NOTIFIER_MAP } from './canonical-order.js';
import { allOf, driverLock } from './lib/lock-patterns.js';

/** A driver lock a notifier callback takes blocking (ordered after the notifier map; a trylock adds no edge). */
const notifierLock: LockPattern = allOf(driverLock, { kind: 'taken-in', context: 'mmu-notifier', blocking: true }, { kind: 'at-or-below', name: MMU_NOTIFIER_MAP });

export const rule = defineRule({
  meta: {
    id: 'notifier-no-reclaim-lock',
    family: 'notifier',
    severity: 'error',
    summary: 'A lock taken in an mmu-notifier callback must not be held across any allocation that may enter direct reclaim (GFP_NOFS and GFP_NOIO included) or across mmu_interval_read_begin(); the callback itself must not allocate that way or lock a dma_resv.',
    rationale:
      'mmu_notifier_invalidate_range_start() acquires __mmu_notifier_invalidate_range_start_map around the callbacks, and fs_reclaim_acquire() ' +
      'acquires and releases the same map for every allocation that may enter direct reclaim, even GFP_NOFS and GFP_NOIO; ' +
      'mmu_interval_read_begin() does too. So every lock held at such an allocation or at read_begin is ordered before the notifier, and ' +
      'every lock a callback takes is ordered after it. Reclaim really does call notifiers (try_to_unmap_one) in the allocating thread: a ' +
      'thread holding the notifier lock while it allocates can deadlock against its own invalidation. For the same reason the callback ' +
      'must not lock a dma_resv (resv -> fs_reclaim -> notifier is primed) or allocate with direct reclaim.',
    covers: ['NOTIFIER-2', 'NOTIFIER-1', 'RECLAIM-1'],
    citations: [
      { kind: 'kernel', file: 'include/linux/mmu_notifier.h', symbol: 'mmu_notifier_invalidate_range_start' },
      { kind: 'kernel', file: 'mm/mmu_notifier.c', symbol: 'mmu_interval_read_begin' },
      { kind: 'kernel', file: 'mm/page_alloc.c', symbol: 'fs_reclaim_acquire' },
      { kind: 'kernel', file: 'mm/rmap.c', symbol: 'try_to_unmap_one' },
    ],
    messages: {
      'held-across-alloc': '{{api}}({{gfp}}) may enter direct reclaim and the mmu notifier while {{held}}, which the notifier callback takes, is held',
      'held-across-read-begin': '{{api}} enters the mmu-notifier map while {{held}}, which the notifier callback takes, is held',
      'resv-in-notifier': '{{api}}({{lock}}) blocks on a dma_resv inside an mmu-notifier callback',
      'alloc-in-notifier': '{{api}}({{gfp}}) may enter direct reclaim inside an mmu-notifier callback',
      cycle: 'acquiring {{lock}} while holding {{held}} closes a cycle through mmu_notifier_invalidate_range_start',
    },
  },
  checks: [
    { kind: 'step', id: 'held-across-alloc', on: { op: 'alloc', gfp: { directReclaim: true } }, when: { kind: 'holds', lock: notifierLock, who: 'self' } },
    { kind: 'step', id: 'held-across-read-begin', on: { op: 'interval_read_begin' }, when: { kind: 'holds', lock: notifierLock, who: 'self' } },
    {
      kind: 'step',
      id: 'resv-in-notifier',
      on: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'reservation_ww_class' } },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
    { kind: 'step', id: 'alloc-in-notifier', on: { op: 'alloc', gfp: { directReclaim: true } }, when: { kind: 'in-context', context: 'mmu-notifier' } },
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [{ kind: 'pseudo', name: MMU_NOTIFIER_MAP }],
      closedBy: { op: 'lock', trylock: false, lock: notifierLock },
    },
  ],
});
