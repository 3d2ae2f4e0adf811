/**
 * ORDER-6 / FENCE-3.5: locks that other paths hold across reclaiming
 * allocations stay out of signalling sections; locks held across user
 * faults stay out of dma_resv sections.
 */

import { defineRule } from './types.js';
import type { LockPattern, Pred } from './types.js';
import { FS_RECLAIM, MMAP_LOCK, MMU_NOTIFIER_MAP } from './canonical-order.js';
import { allOf, driverLock } from './lib/lock-patterns.js';

const signalling: Pred = {
  kind: 'or',
  of: [
    { kind: 'in-context', context: 'signalling' },
    { kind: 'signalling-path' },
  ],
};
/**
 * A driver lock that leads to reclaim: held across a reclaiming allocation
 * itself, or ordered before fs_reclaim / the notifier map through a chain
 * of other locks (L -> M, M held across GFP_KERNEL), which lockdep closes
 * just the same.
 */
const heldAcrossAlloc: LockPattern = {
  kind: 'any-of',
  of: [
    { kind: 'held-across', step: { op: 'alloc', gfp: { directReclaim: true } } },
    allOf(driverLock, { kind: 'any-of', of: [{ kind: 'at-or-above', name: FS_RECLAIM }, { kind: 'at-or-above', name: MMU_NOTIFIER_MAP }] }),
  ],
};
/** A driver lock held across a user access, or ordered before &mm->mmap_lock through a chain. */
const heldAcrossFault: LockPattern = {
  kind: 'any-of',
  of: [{ kind: 'held-across', step: { op: 'user_access' } }, allOf(driverLock, { kind: 'at-or-above', name: MMAP_LOCK })],
};

export const rule = defineRule({
  meta: {
    id: 'infrastructure-locks-outside-signalling',
    family: 'order',
    severity: 'error',
    summary: 'Inside a fence signalling path, do not take a lock that any path holds across a reclaiming allocation; under a dma_resv, do not take a lock that any path holds across a user-memory access.',
    rationale:
      'Runtime-PM, clock (prepare_lock), OPP, dev_pm_qos_mtx, interconnect, console_lock, debugfs/kernfs and firmware-loading locks are ' +
      'routinely held while allocating with GFP_KERNEL, so they sit above fs_reclaim, and fs_reclaim leads to dma_fence_map through the ' +
      'primed notifier edges. Taking one of them in a signalling path (run_job, a reset handler, a commit tail) closes dma_fence_map -> L -> ' +
      'fs_reclaim -> mmu_notifier_invalidate_range_start -> dma_fence_map. Those that are held across copy_to_user (debugfs readdir, sysfs) ' +
      'sit above mmap_lock and must not be taken under a dma_resv either. Nothing local warns: only lockdep\'s transitive closure, once both ' +
      'paths have run. Do runtime-PM get, clock and QoS setup before entering the section or locking BOs, or preallocate.',
    covers: ['ORDER-6', 'FENCE-3.5'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'dma_fence_begin_signalling' },
      { kind: 'kernel', file: 'include/linux/sched/mm.h', symbol: 'might_alloc' },
    ],
    messages: {
      'alloc-lock-in-signalling': '{{lock}} is held across a reclaiming allocation elsewhere (directly or through a chain of locks), so taking it in a fence signalling path leads to fs_reclaim and back to dma_fence_map',
      'fault-lock-under-resv': '{{lock}} is held across a user-memory access elsewhere (directly or through a chain of locks), so taking it under {{held}} orders dma_resv before &mm->mmap_lock',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'alloc-lock-in-signalling',
      on: { op: 'lock', trylock: false, lock: heldAcrossAlloc },
      when: signalling,
    },
    {
      kind: 'step',
      id: 'fault-lock-under-resv',
      on: { op: 'lock', trylock: false, lock: heldAcrossFault },
      when: { kind: 'holds', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, who: 'self' },
    },
  ],
});
