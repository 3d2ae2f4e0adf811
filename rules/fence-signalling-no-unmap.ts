/**
 * FENCE-3.6: no unmap_mapping_range() / i_mmap_rwsem on a fence
 * signalling path.
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';
import { DMA_FENCE_MAP } from './canonical-order.js';

const signalling: Pred = { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] };

export const rule = defineRule({
  meta: {
    id: 'fence-signalling-no-unmap',
    family: 'fence',
    severity: 'error',
    summary: 'Code on a fence signalling path must not call unmap_mapping_range() or take &mapping->i_mmap_rwsem.',
    rationale:
      'Core rmap holds i_mmap_rwsem while it calls mmu notifiers, and notifiers may wait on fences, so i_mmap_rwsem is ordered before ' +
      'dma_fence_map. A reset or eviction path that zaps CPU mappings of BOs while it is on the signalling path of the hung jobs can wait ' +
      'on an rmap walk that waits on those jobs. Zap mappings before the fences are published, or from a path that is not needed for them ' +
      'to signal.',
    covers: ['FENCE-3.6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep' },
      { kind: 'kernel', file: 'mm/rmap.c', symbol: 'try_to_unmap_one' },
    ],
    messages: {
      'unmap-in-signalling': '{{api}} takes &mapping->i_mmap_rwsem inside a fence signalling path',
      'i-mmap-lock-in-signalling': '{{api}}({{lock}}) takes &mapping->i_mmap_rwsem inside a fence signalling path',
      cycle: '{{api}} records dma_fence_map -> &mapping->i_mmap_rwsem, which leads back to dma_fence_map through the mmu notifier',
    },
  },
  checks: [
    { kind: 'step', id: 'unmap-in-signalling', on: { op: 'unmap_mapping_range' }, when: signalling },
    { kind: 'step', id: 'i-mmap-lock-in-signalling', on: { op: 'lock', lock: { kind: 'lock-kind', is: 'address_space' } }, when: signalling },
    { kind: 'lock-cycle', id: 'cycle', through: [{ kind: 'pseudo', name: DMA_FENCE_MAP }], closedBy: { op: 'unmap_mapping_range' } },
  ],
});
