/**
 * USERPTR-3: a userptr-backed GEM object is never exported as a dma-buf
 * (userptr thread, June 2020).
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'userptr-never-exported',
    family: 'userptr',
    severity: 'error',
    summary: 'A GEM object backed by userptr pages must never be exported as a dma-buf.',
    rationale:
      'Userptr buffers are tracked by the exporting driver\'s own mmu notifier, and the only fence that notifier may wait on is the ' +
      'driver\'s own. Daniel Vetter, in the 2020 fence annotation thread: such buffers are for slurping in local data and are never ' +
      'shared; even pinned get_user_pages semantics are too different from a normal shared dma-buf to sit behind the dma-buf ' +
      'interfaces. Exported, the buffer\'s lifetime would depend on another driver\'s fences and the notifier would have to wait on ' +
      'them (the cross-driver chain Jason Gunthorpe called madness), and an importer would map pages the mm may free at any ' +
      'invalidation. drm_gem_prime_export() refuses, in the drivers that have userptr, objects created from user memory ' +
      '(amdgpu_gem_prime_export returns -EPERM for an amdgpu_ttm_tt_get_usermm() BO; i915_gem_userptr has no dmabuf export).',
    covers: ['USERPTR-3'],
    citations: [
      { kind: 'list', list: 'dri-devel, linux-rdma, linux-mm', date: '2020-06-19', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Daniel Vetter' },
      { kind: 'kernel', file: 'drivers/gpu/drm/amd/amdgpu/amdgpu_dma_buf.c', symbol: 'amdgpu_gem_prime_export', note: 'returns -EPERM for userptr BOs' },
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_prime.c', symbol: 'drm_gem_prime_export' },
    ],
    messages: {
      'userptr-exported': '{{api}}({{obj}}) exports userptr object {{obj}} as a dma-buf; userptr buffers are local to their driver and its notifier',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'userptr-exported',
      on: { op: 'gem_prime_export' },
      when: { kind: 'gem-userptr', is: true },
    },
  ],
});
