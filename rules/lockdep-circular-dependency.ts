/**
 * The generic lockdep cycle: any strong cycle in the class-level lock
 * graph, primed edges included. The specific ORDER/RECLAIM/FENCE rules
 * restate the same facts locally; this one reports exactly what lockdep's
 * "possible circular locking dependency detected" would.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-circular-dependency',
    family: 'lockdep',
    severity: 'error',
    summary: 'The lock classes a model acquires must not close a strong cycle with each other or with the primed dma-buf hierarchy.',
    rationale:
      'Lockdep orders classes, not instances: once any path records A -> B, a path that records B -> A (directly or through a chain) is a possible ' +
      'deadlock even if the two never run at the same time on the machine where it was found. dma_resv_lockdep() primes ' +
      '&mm->mmap_lock -> reservation_ww_class_acquire -> reservation_ww_class_mutex -> fs_reclaim -> {&mapping->i_mmap_rwsem, ' +
      'mmu_notifier_invalidate_range_start} -> dma_fence_map at boot, so a single driver path that points upwards in that order is ' +
      'reported on the first run. Trylocks add no edge into the trylocked lock, recursive-read edges only count when the cycle stays ' +
      'strong, and nest_lock-merged ww acquisitions add no edges among themselves: this rule follows those semantics exactly, including ' +
      'the kernel-version dependent ones (dma_fence_begin_signalling as a read trylock since v6.13, the ww context first_lock_dep_map since v6.13).',
    covers: ['ORDER-1', 'LOCKDEP-1', 'LOCKDEP-2', 'LOCKDEP-3', 'LOCKDEP-4', 'LOCKDEP-5', 'WW-7', 'RECLAIM-5', 'RECLAIM-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'validate_chain', note: 'a trylocked acquisition skips check_prevs_add(), so it gets no incoming edge' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'check_noncircular' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'print_circular_bug' },
      { kind: 'doc', file: 'Documentation/locking/lockdep-design.rst', section: 'Recursive read locks' },
      { kind: 'kernel', file: 'include/linux/ww_mutex.h', symbol: 'ww_acquire_init', note: 'first_lock_dep_map since v6.13' },
      { kind: 'list', list: 'dri-devel', date: '2020-07-28', subject: 'dma-resv: lockdep-prime address_space->i_mmap_rwsem for dma-resv', author: 'Daniel Vetter' },
    ],
    messages: {
      cycle: 'possible circular locking dependency: acquiring {{lock}} while holding {{held}} closes a cycle in the lock order',
    },
    hedge:
      'WW-7: the first_lock_dep_map change ("locking/ww_mutex: Adjust to lockdep nest_lock requirements", Oct 2024) is modelled from v6.13 on; ' +
      'stable backports of it were reverted, so a stable kernel may behave like v6.12.',
  },
  checks: [{ kind: 'lock-cycle', id: 'cycle' }],
});
