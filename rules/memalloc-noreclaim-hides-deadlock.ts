/**
 * RECLAIM-4 (driver misuse): memalloc_noreclaim_save() is for the reclaim
 * machinery; in a driver it silences lockdep and taps emergency reserves.
 * RECLAIM-3/4 masks and scopes are semantics every allocation rule reads.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'memalloc-noreclaim-hides-deadlock',
    family: 'reclaim',
    severity: 'error',
    summary: 'Driver code must not use memalloc_noreclaim_save() to make allocations "safe" in fence signalling paths or mmu-notifier callbacks.',
    rationale:
      'memalloc_noreclaim_save() sets PF_MEMALLOC: allocations in the scope neither reclaim nor get annotated (fs_reclaim_acquire returns ' +
      'early because __need_reclaim() is false), and they may dip into the emergency reserves kept for the reclaim path itself. Used in a ' +
      'fence signalling section or an mmu notifier it makes lockdep quiet without removing the dependency the fence rules exist for: they ' +
      'need "no reclaim", which GFP_NOWAIT or GFP_ATOMIC with a failure path, or memory preallocated before the fence is published, ' +
      'provide. memalloc_nofs_save() and memalloc_noio_save() are no substitute either: the scoped masks still enter direct reclaim and ' +
      'the mmu-notifier map.',
    covers: ['RECLAIM-3', 'RECLAIM-4'],
    citations: [
      { kind: 'kernel', file: 'include/linux/sched/mm.h', symbol: 'memalloc_noreclaim_save' },
      { kind: 'kernel', file: 'include/linux/sched/mm.h', symbol: 'current_gfp_context' },
      { kind: 'kernel', file: 'mm/page_alloc.c', symbol: '__need_reclaim' },
      { kind: 'kernel', file: 'include/linux/gfp_types.h' },
    ],
    messages: {
      'alloc-in-noreclaim-scope': '{{api}}({{gfp}}) in a memalloc_noreclaim scope inside a fence signalling path: use GFP_NOWAIT with a failure path or preallocate',
      'alloc-in-noreclaim-notifier':
        '{{api}}({{gfp}}) in a memalloc_noreclaim scope inside an mmu-notifier callback: PF_MEMALLOC hides the reclaim dependency and drains the reserves reclaim needs; use GFP_NOWAIT with a failure path or preallocate',
    },
    hedge: 'RECLAIM-3: a scoped PF_MEMALLOC_NORECLAIM was proposed for bcachefs in 2024 and, as far as known, reverted; lockmc does not model it.',
  },
  // Both checks fire at the allocation, not at memalloc_noreclaim_save():
  // a scope that allocates nothing hides nothing (the KFD dqm_lock helper
  // keeps one for as long as its lock is held), and outside signalling
  // paths and notifier callbacks there is no fence or notifier dependency
  // to hide.
  checks: [
    {
      kind: 'step',
      id: 'alloc-in-noreclaim-scope',
      on: { op: 'alloc' },
      when: {
        kind: 'and',
        of: [
          { kind: 'in-context', context: 'memalloc-noreclaim' },
          { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] },
        ],
      },
    },
    {
      kind: 'step',
      id: 'alloc-in-noreclaim-notifier',
      on: { op: 'alloc' },
      when: {
        kind: 'and',
        of: [
          { kind: 'in-context', context: 'memalloc-noreclaim' },
          { kind: 'in-context', context: 'mmu-notifier' },
        ],
      },
    },
  ],
});
