/**
 * USERPTR-2/3: the device may only DMA to a userptr object's pages while
 * the mm cannot free them: the notifier waited for the DMA's fence, or
 * the pages are pinned (userptr thread, June 2020).
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'userptr-dma-needs-pin-or-wait',
    family: 'userptr',
    severity: 'error',
    summary: 'A device must not DMA to userptr pages the mm has released: either the mmu notifier waits for the DMA to finish, or the pages are pinned until it does.',
    rationale:
      'Once every invalidate callback of an mmu notifier has returned, the mm goes ahead: reclaim frees the pages, migration moves ' +
      'them, munmap drops them. A driver whose device may still be writing to those pages must therefore either hold the callback ' +
      'until the DMA is over (amdgpu and i915 wait for the userptr BO\'s fences in the callback, which is the position that makes ' +
      'dma_fence part of reclaim) or keep the pages pinned with pin_user_pages() until the DMA is over (Jason Gunthorpe\'s position: ' +
      'FOLL_PIN pages are skipped by reclaim and refused by migration, so the callback has nothing to wait for). A driver that does ' +
      'neither DMAs into memory the mm has already given to someone else. This is the consequence trace of notifier.fence-wait=never ' +
      'followed without pinning: the check fires on the DMA step, after the step where the notifier returned and the mm freed the pages.',
    covers: ['USERPTR-2', 'USERPTR-3'],
    citations: [
      { kind: 'list', list: 'dri-devel, linux-rdma, linux-mm', date: '2020-06-19', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Jason Gunthorpe / Daniel Vetter' },
      { kind: 'kernel', file: 'mm/gup.c', symbol: 'pin_user_pages', note: 'FOLL_PIN; folio_maybe_dma_pinned() keeps reclaim and migration off the folio' },
      { kind: 'kernel', file: 'mm/mmu_notifier.c', symbol: 'mn_itree_invalidate' },
      { kind: 'kernel', file: 'drivers/gpu/drm/amd/amdgpu/amdgpu_hmm.c', symbol: 'amdgpu_hmm_invalidate_gfx', note: 'waits for the BO fences' },
    ],
    messages: {
      'dma-into-released-pages':
        '{{api}}({{obj}}) DMAs into the pages of userptr object {{obj}} after the mm released them: the notifier returned without waiting for this DMA and the pages were not pinned',
    },
    hedge: 'The mm is modelled as freeing every unpinned page of the object once the callbacks return (reclaim, munmap and migration alike); a partial range invalidation is not distinguished.',
  },
  checks: [
    {
      kind: 'step',
      id: 'dma-into-released-pages',
      on: { op: 'gem_access' },
      when: { kind: 'userptr-pages', state: 'released' },
    },
  ],
});
