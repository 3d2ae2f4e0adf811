/**
 * FENCE-3.3: no user-memory access, page fault or mmap_lock on a fence
 * signalling path.
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';
import { DMA_FENCE_MAP } from './canonical-order.js';

const signalling: Pred = { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] };

export const rule = defineRule({
  meta: {
    id: 'fence-signalling-no-fault',
    family: 'fence',
    severity: 'error',
    summary: 'Code on a fence signalling path must not touch user memory, fault, or take &mm->mmap_lock.',
    rationale:
      'mmu notifiers may wait on fences, and they run under mmap_lock (munmap, mprotect) and from reclaim. A signalling path that takes ' +
      'mmap_lock, or touches user memory (which takes it through __might_fault), can wait for a munmap that is waiting in a notifier for the ' +
      'fence this path must signal. Copy what the job needs from userspace in the submit ioctl, before the fence is published.',
    covers: ['FENCE-3.3'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence cross-driver contract' },
      { kind: 'kernel', file: 'mm/memory.c', symbol: '__might_fault', note: 'might_lock_read(&current->mm->mmap_lock) only with CONFIG_DEBUG_ATOMIC_SLEEP and when the task has an mm' },
      { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Daniel Vetter' },
    ],
    messages: {
      'fault-in-signalling': '{{api}} may fault on user memory inside a fence signalling path',
      'mmap-lock-in-signalling': '{{api}}({{lock}}) takes &mm->mmap_lock inside a fence signalling path',
      cycle: '{{api}} records dma_fence_map -> &mm->mmap_lock, which leads back to dma_fence_map through the mmu notifier',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'fault-in-signalling',
      on: { op: 'user_access' },
      when: { kind: 'and', of: [signalling, { kind: 'not', of: { kind: 'in-context', context: 'pagefault-disabled' } }] },
    },
    { kind: 'step', id: 'mmap-lock-in-signalling', on: { op: 'lock', trylock: false, lock: { kind: 'lock-kind', is: 'mm' } }, when: signalling },
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [{ kind: 'pseudo', name: DMA_FENCE_MAP }],
      closedBy: { op: 'user_access' },
    },
  ],
});
