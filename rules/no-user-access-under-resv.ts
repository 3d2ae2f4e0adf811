/**
 * ORDER-2: user memory is touched before any BO is locked, never under a
 * dma_resv, a ww acquire context, or a lock nested inside them.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { MMAP_LOCK, RESV_ACQUIRE } from './canonical-order.js';
import { allOf } from './lib/lock-patterns.js';

/**
 * Locks at or below the reservation acquire context in the lock graph, the
 * context itself included. The pseudo-locks are below it by the primed
 * order too; user access in reclaim, notifier or signalling context is the
 * business of the rules for those contexts (fence-signalling-no-fault).
 */
const belowResv: LockPattern = allOf(
  {
    kind: 'any-of',
    of: [
      { kind: 'at-or-below', name: RESV_ACQUIRE },
      { kind: 'ww-acquire', name: 'reservation_ww_class' },
      { kind: 'ww-class', name: 'reservation_ww_class' },
    ],
  },
  { kind: 'not', of: { kind: 'pseudo', name: 'fs_reclaim' } },
  { kind: 'not', of: { kind: 'pseudo', name: 'mmu_notifier_invalidate_range_start' } },
  { kind: 'not', of: { kind: 'pseudo', name: 'dma_fence_map' } },
);

export const rule = defineRule({
  meta: {
    id: 'no-user-access-under-resv',
    family: 'order',
    severity: 'error',
    summary: 'No copy_{to,from}_user, get/put_user, GUP or hmm_range_fault while holding a dma_resv, a reservation acquire context, or any lock taken under them.',
    rationale:
      'With CONFIG_DEBUG_ATOMIC_SLEEP (and lockdep) every user access from a task with an mm runs __might_fault(), which records might_lock_read(&mm->mmap_lock) even when the page is ' +
      'present, so the access is an acquisition of mmap_lock at that point. dma_resv_lockdep() primes &mm->mmap_lock -> ' +
      'reservation_ww_class_acquire (P1) because page-fault handlers lock the faulting BO under mmap_lock; a user access under a BO lock ' +
      'therefore closes a cycle on the first run, and a real fault on a BO mapping of the same object deadlocks. Copy user data before ' +
      'locking, or use pagefault_disable() with the _inatomic copies and on failure drop every lock, prefault and restart.',
    covers: ['ORDER-2'],
    citations: [
      { kind: 'kernel', file: 'mm/memory.c', symbol: '__might_fault', note: 'might_lock_read(&current->mm->mmap_lock) only with CONFIG_DEBUG_ATOMIC_SLEEP and when the task has an mm' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep', note: 'primed edge P1' },
    ],
    messages: {
      'user-access': '{{api}} may fault and take &mm->mmap_lock while {{held}} is held; mmap_lock is ordered before dma_resv',
      cycle: 'possible circular locking dependency: {{chain}}; a user access under a dma_resv (or a lock under it) records it -> &mm->mmap_lock (ORDER-2)',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'user-access',
      on: { op: 'user_access' },
      when: {
        kind: 'and',
        of: [
          { kind: 'holds', lock: belowResv, who: 'self' },
          { kind: 'not', of: { kind: 'in-context', context: 'pagefault-disabled' } },
        ],
      },
    },
    // The lockdep view: a cycle through &mm->mmap_lock with an edge a user access records from a lock at
    // or below the reservation acquire context (closedBy `from`, docs/open-requests.md #11). A user access
    // in a signalling section records dma_fence_map -> &mm->mmap_lock, a cycle with the resv classes on it
    // (through the primed orders) that is fence-signalling-no-fault's, not this rule's.
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [{ kind: 'class', name: MMAP_LOCK }],
      closedBy: { op: 'user_access', from: belowResv },
    },
  ],
});
