/**
 * RECLAIM-7: &mapping->i_mmap_rwsem sits below fs_reclaim and above the
 * mmu notifier. The signalling half is fence-signalling-no-unmap.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { I_MMAP_RWSEM } from './canonical-order.js';

const heldAcrossUnmap: LockPattern = { kind: 'held-across', step: { op: 'unmap_mapping_range' } };

export const rule = defineRule({
  meta: {
    id: 'i-mmap-rwsem-placement',
    family: 'reclaim',
    severity: 'error',
    summary: 'No unmap_mapping_range() or i_mmap lock inside an mmu-notifier callback, and no lock held around unmap_mapping_range() taken in one.',
    rationale:
      'Shrinkers zap userspace CPU mappings of a BO before purging it with unmap_mapping_range(), which takes &mapping->i_mmap_rwsem for ' +
      'write; dma_resv_lockdep() primes fs_reclaim -> &mapping->i_mmap_rwsem for exactly that reason. Core rmap walks hold i_mmap_rwsem ' +
      'while calling mmu notifiers (try_to_unmap_one, page_mkclean_one), so i_mmap_rwsem -> mmu_notifier_invalidate_range_start is recorded ' +
      'on every boot. A notifier callback that unmaps, or that takes a driver lock some path holds around unmap_mapping_range(), closes that ' +
      'order into a cycle.',
    covers: ['RECLAIM-7'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep', note: 'step 6 and its comment' },
      { kind: 'list', list: 'dri-devel', date: '2020-07-28', subject: 'dma-resv: lockdep-prime address_space->i_mmap_rwsem for dma-resv', author: 'Daniel Vetter' },
      { kind: 'kernel', file: 'mm/rmap.c', symbol: 'try_to_unmap_one' },
    ],
    messages: {
      'unmap-in-notifier': '{{api}} takes &mapping->i_mmap_rwsem inside an mmu-notifier callback, and rmap calls notifiers under it',
      'i-mmap-lock-in-notifier': '{{api}}({{lock}}) takes &mapping->i_mmap_rwsem inside an mmu-notifier callback',
      'unmap-lock-in-notifier': '{{lock}} is held around unmap_mapping_range() elsewhere and taken here in an mmu-notifier callback',
      cycle: 'acquiring {{lock}} while holding {{held}} closes a cycle through &mapping->i_mmap_rwsem',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'unmap-in-notifier',
      on: { op: 'unmap_mapping_range' },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
    {
      kind: 'step',
      id: 'i-mmap-lock-in-notifier',
      on: { op: 'lock', lock: { kind: 'lock-kind', is: 'address_space' } },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
    {
      kind: 'step',
      id: 'unmap-lock-in-notifier',
      on: { op: 'lock', trylock: false, lock: heldAcrossUnmap },
      when: { kind: 'in-context', context: 'mmu-notifier' },
    },
    { kind: 'lock-cycle', id: 'cycle', through: [{ kind: 'class', name: I_MMAP_RWSEM }], closedBy: { op: 'unmap_mapping_range' } },
  ],
});
