/**
 * RECLAIM-1 / RECLAIM-6: a lock that a shrinker (or anything else run from
 * reclaim) blocks on is never held across an allocation that may reclaim.
 * The mmu-notifier half of RECLAIM-1 is notifier-no-reclaim-lock.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { FS_RECLAIM } from './canonical-order.js';
import { allOf } from './lib/lock-patterns.js';

/**
 * Locks a shrinker takes *blocking* (a trylock records no fs_reclaim -> L
 * edge, so a lock the shrinker only trylocks may be held across
 * GFP_KERNEL), and so ordered after fs_reclaim. Minus dma_resv:
 * shrinker-trylock-resv reports a blocking resv in reclaim, and holding a
 * resv across GFP_KERNEL is the primed, legal order.
 */
const reclaimLock: LockPattern = allOf(
  { kind: 'taken-in', context: 'shrinker', blocking: true },
  { kind: 'at-or-below', name: FS_RECLAIM },
  { kind: 'not', of: { kind: 'ww-class', name: 'reservation_ww_class' } },
);

export const rule = defineRule({
  meta: {
    id: 'reclaim-lock-not-held-across-alloc',
    family: 'reclaim',
    severity: 'error',
    summary: 'A lock that a shrinker or other reclaim path takes must not be held across an allocation that may enter direct reclaim with __GFP_FS.',
    rationale:
      'Direct reclaim runs shrinkers in the allocating thread, with every lock that thread holds, and kswapd runs them concurrently: a thread ' +
      'that holds the shrinker\'s lock and allocates with GFP_KERNEL can deadlock against itself. Lockdep sees it without memory pressure ' +
      'because every allocation site acquires and releases fs_reclaim (might_alloc / fs_reclaim_acquire in the slab and page allocator ' +
      'hooks), recording L -> fs_reclaim, while the shrinker records fs_reclaim -> L. Helpers allocate too: idr_alloc, xa_alloc, kvmalloc, ' +
      'dma_resv_reserve_fences, drm_sched_job_init, device_add, debugfs file creation. Allocate before taking the lock, use GFP_NOWAIT with a ' +
      'failure path, or make the shrinker trylock and skip.',
    covers: ['RECLAIM-1', 'RECLAIM-5', 'RECLAIM-6'],
    citations: [
      { kind: 'kernel', file: 'mm/page_alloc.c', symbol: 'fs_reclaim_acquire' },
      { kind: 'kernel', file: 'mm/page_alloc.c', symbol: '__perform_reclaim' },
      { kind: 'kernel', file: 'mm/vmscan.c', symbol: 'balance_pgdat' },
      { kind: 'kernel', file: 'include/linux/sched/mm.h', symbol: 'might_alloc' },
      { kind: 'kernel', file: 'mm/slub.c', symbol: 'slab_pre_alloc_hook' },
    ],
    messages: {
      'held-across-alloc': '{{api}}({{gfp}}) may enter direct reclaim and run a shrinker that takes {{held}}, which is held here',
      cycle: 'possible circular locking dependency: {{chain}}; a shrinker blocks on a lock that is held across a reclaiming allocation (RECLAIM-1)',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'held-across-alloc',
      on: { op: 'alloc', gfp: { fs: true } },
      when: { kind: 'holds', lock: reclaimLock, who: 'self' },
    },
    // The lockdep view: a cycle through fs_reclaim with an edge fs_reclaim -> L recorded by a blocking
    // lock in a shrinker (closedBy `context` and `from`, docs/open-requests.md #11); the allocation
    // under L records the other half. The same classes ordered after fs_reclaim elsewhere (a lock
    // taken in a signalling section that a shrinker waits for) are not this rule's.
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [{ kind: 'pseudo', name: FS_RECLAIM }],
      closedBy: { op: 'lock', trylock: false, lock: reclaimLock, context: 'shrinker', from: { kind: 'pseudo', name: FS_RECLAIM } },
    },
  ],
});
