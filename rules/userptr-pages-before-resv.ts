/**
 * USERPTR-1: pages are faulted in outside every BO and notifier lock;
 * validation and fence publication happen under the notifier lock, which
 * nests inside the resv and outside the signalling section.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';
import { allOf } from './lib/lock-patterns.js';

/** The driver lock the invalidate callback takes (notifier_lock); never mmap_lock or i_mmap_rwsem. */
const notifierLock: LockPattern = allOf(
  // blocking in the callback: a trylock records no notifier -> lock edge
  { kind: 'taken-in', context: 'mmu-notifier', blocking: true },
  { kind: 'at-or-below', name: 'mmu_notifier_invalidate_range_start' },
  { kind: 'any-of', of: [{ kind: 'lock-kind', is: 'mutex' }, { kind: 'lock-kind', is: 'spinlock' }, { kind: 'lock-kind', is: 'rwsem' }] },
  { kind: 'not', of: { kind: 'lock-kind', is: 'mm' } },
  { kind: 'not', of: { kind: 'lock-kind', is: 'address_space' } },
);
const resvOrCtx: LockPattern = {
  kind: 'any-of',
  of: [
    { kind: 'ww-class', name: 'reservation_ww_class' },
    { kind: 'ww-acquire', name: 'reservation_ww_class' },
  ],
};

export const rule = defineRule({
  meta: {
    id: 'userptr-pages-before-resv',
    family: 'userptr',
    severity: 'error',
    summary: 'Fault userptr pages in (hmm_range_fault, GUP) before locking any BO and outside the notifier lock; take the notifier lock after the BO locks and before the signalling section.',
    rationale:
      'The userptr notifier callback takes the driver\'s notifier_lock and waits on the BO\'s fences, so the order is ' +
      'mmu_notifier_invalidate_range_start -> notifier_lock -> dma_fence_map, and submission takes it after the resv locks: resv -> ' +
      'notifier_lock. Faulting pages under a BO lock inverts mmap_lock -> resv; faulting them under the notifier lock inverts the notifier ' +
      'order (the fault may invalidate); blocking on a resv under the notifier lock inverts resv -> notifier_lock; and entering the ' +
      'signalling section before taking the notifier lock orders dma_fence_map before a lock that is held across fence waits. amdgpu_cs ' +
      'takes the notifier lock, checks mmu_interval_read_retry() for every userptr BO, then publishes the job fence.',
    covers: ['USERPTR-1'],
    citations: [
      { kind: 'kernel', file: 'drivers/gpu/drm/amd/amdgpu/amdgpu_cs.c', symbol: 'amdgpu_cs_submit' },
      { kind: 'kernel', file: 'drivers/gpu/drm/amd/amdgpu/amdgpu_hmm.c', note: 'invalidate callbacks' },
      { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 10/18] drm/amdgpu: use dma-fence annotations in cs_submit()', author: 'Daniel Vetter' },
    ],
    messages: {
      'pages-under-resv': '{{api}} faults userptr pages while {{held}} is held; get the pages before reserving BOs',
      'pages-under-notifier-lock': '{{api}} faults userptr pages while {{held}}, which the invalidate callback takes, is held',
      'resv-under-notifier-lock': '{{api}}({{lock}}) blocks on a dma_resv while holding {{held}}; the notifier lock nests inside the resv',
      'notifier-lock-in-section': '{{api}}({{lock}}) takes the notifier lock inside a signalling section; begin signalling after taking it',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'pages-under-resv',
      on: { op: 'user_access', api: ['hmm_range_fault', 'get_user_pages', 'pin_user_pages'] },
      when: { kind: 'holds', lock: resvOrCtx, who: 'self' },
    },
    { kind: 'step', id: 'pages-under-notifier-lock', on: { op: 'user_access' }, when: { kind: 'holds', lock: notifierLock, who: 'self' } },
    {
      kind: 'step',
      id: 'resv-under-notifier-lock',
      on: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'reservation_ww_class' } },
      when: { kind: 'holds', lock: notifierLock, who: 'self' },
    },
    { kind: 'step', id: 'notifier-lock-in-section', on: { op: 'lock', trylock: false, lock: notifierLock }, when: { kind: 'in-context', context: 'signalling' } },
  ],
});
