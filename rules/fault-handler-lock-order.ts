/**
 * ORDER-3: a fault handler runs under mmap_lock; it may lock the BO (that
 * is edge P1) but no lock that is ordered above mmap_lock.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { MMAP_LOCK } from './canonical-order.js';
import { allOf } from './lib/lock-patterns.js';

/** Conjunction of lock patterns, spelled with the vocabulary's `not` and `any-of`. */
/** A class some path holds while it takes mmap_lock (a user access under it, an explicit mmap_read_lock). */
const aboveMmapLock: LockPattern = allOf({ kind: 'at-or-above', name: MMAP_LOCK }, { kind: 'not', of: { kind: 'class', name: MMAP_LOCK } });

export const rule = defineRule({
  meta: {
    id: 'fault-handler-lock-order',
    family: 'order',
    severity: 'error',
    summary: 'While holding &mm->mmap_lock (a fault handler, GUP), do not block on a lock that some path holds while it faults or takes mmap_lock.',
    rationale:
      'A GEM/TTM fault handler runs with mmap_lock held for read. Locking the faulting BO there is the order the kernel primes ' +
      '(mmap_lock -> reservation_ww_class_acquire), and TTM\'s ttm_bo_vm_reserve() even prefers dma_resv_trylock and a VM_FAULT_RETRY ' +
      'round so that mmap_lock is not held while a resv holder waits on the GPU. What a fault handler must never do is block on a lock that ' +
      'another path holds across copy_from_user or any other fault: that path records L -> &mm->mmap_lock, the handler records ' +
      '&mm->mmap_lock -> L, and two threads can deadlock with one faulting on the other\'s page.',
    covers: ['ORDER-3'],
    citations: [{ kind: 'kernel', file: 'drivers/gpu/drm/ttm/ttm_bo_vm.c', symbol: 'ttm_bo_vm_reserve' }],
    messages: {
      'lock-above-mmap': '{{api}}({{lock}}) under &mm->mmap_lock, but {{lock}} is held elsewhere while user memory is touched ({{lock}} -> &mm->mmap_lock)',
      cycle: 'possible circular locking dependency: {{chain}}; a lock taken under &mm->mmap_lock is held elsewhere while user memory is touched (ORDER-3)',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'lock-above-mmap',
      on: { op: 'lock', trylock: false, lock: aboveMmapLock },
      when: { kind: 'holds', lock: { kind: 'class', name: MMAP_LOCK }, mode: 'any', who: 'self' },
    },
    // The lockdep view: a cycle with an edge &mm->mmap_lock -> L that a blocking lock records (closedBy
    // `from`, docs/open-requests.md #11), L held elsewhere across a user access. A cycle through
    // mmap_lock whose lock edges are all recorded under other classes (a user access in a signalling
    // section) is not this rule's.
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [{ kind: 'class', name: MMAP_LOCK }],
      closedBy: { op: 'lock', trylock: false, lock: aboveMmapLock, from: { kind: 'class', name: MMAP_LOCK } },
    },
  ],
});
