/**
 * USERPTR-2: whichever way the invalidation is honoured (wait for fences
 * or evict queues), the callback takes no lock that is held elsewhere
 * around allocation, faults or BO reservation.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'userptr-invalidate-locks',
    family: 'userptr',
    severity: 'error',
    summary: 'A userptr invalidate callback (or the eviction/quiesce helpers it calls) must not take a lock that any path holds across a reclaiming allocation, a user-memory access, or a dma_resv lock.',
    rationale:
      'Invalidation runs from reclaim and under mmap_lock. gfx userptr waits for the BO\'s fences in the callback, KFD evicts the process\'s ' +
      'queues instead; either way, the locks the callback takes are ordered after mmu_notifier_invalidate_range_start. A driver lock that ' +
      'some ioctl holds around get_user/copy_*_user, around a GFP_KERNEL allocation, or while reserving BOs is ordered before ' +
      'mmap_lock, fs_reclaim or the resv, all of which are ordered before the notifier: taking it in the callback, directly or through the ' +
      'quiesce helper, closes a cycle. The classic case is a process-wide mutex taken by both the queue-manager ioctl and kgd2kfd_quiesce_mm.',
    covers: ['USERPTR-2'],
    citations: [
      { kind: 'kernel', file: 'drivers/gpu/drm/amd/amdgpu/amdgpu_hmm.c', note: 'gfx vs hsa invalidate' },
      { kind: 'kernel', file: 'drivers/gpu/drm/amd/amdkfd/kfd_device.c', symbol: 'kgd2kfd_quiesce_mm' },
    ],
    messages: {
      'alloc-lock-in-invalidate': '{{api}}({{lock}}) in an mmu-notifier callback, but {{lock}} is held elsewhere across a reclaiming allocation',
      'fault-lock-in-invalidate': '{{api}}({{lock}}) in an mmu-notifier callback, but {{lock}} is held elsewhere across a user-memory access',
      'resv-lock-in-invalidate': '{{api}}({{lock}}) in an mmu-notifier callback, but {{lock}} is held elsewhere while a dma_resv is locked',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'alloc-lock-in-invalidate',
      on: { op: 'lock', trylock: false, lock: ({ kind: 'held-across', step: { op: 'alloc', gfp: { directReclaim: true } } }) },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
    {
      kind: 'step',
      id: 'fault-lock-in-invalidate',
      on: { op: 'lock', trylock: false, lock: ({ kind: 'held-across', step: { op: 'user_access' } }) },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
    {
      kind: 'step',
      id: 'resv-lock-in-invalidate',
      on: {
        op: 'lock',
        trylock: false,
        lock: ({ kind: 'held-across', step: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'reservation_ww_class' } } }),
      },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
  ],
});
