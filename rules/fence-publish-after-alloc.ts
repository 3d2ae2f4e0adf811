/**
 * FENCE-6: what the signalling path needs is allocated before the fence
 * is published, and the publishing call itself cannot fail.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'fence-publish-after-alloc',
    family: 'fence',
    severity: 'error',
    summary: 'Reserve fence slots with dma_resv_reserve_fences() before dma_resv_add_fence(), initialise a scheduler job before drm_sched_job_arm(), and allocate nothing that may reclaim on the signalling path after publication (run_job included).',
    rationale:
      'Publishing a fence is the point of no return: from then on everything its signalling needs must already exist. ' +
      'dma_resv_add_fence() cannot fail and must not allocate, so the slot has to be reserved earlier, under the same resv lock, with ' +
      'dma_resv_reserve_fences() (which may allocate with GFP_KERNEL because no fence is published yet). Likewise drm_sched_job_init() and ' +
      'the job\'s dependencies are allocated before drm_sched_job_arm(). Lazy allocation after publication either needs a reclaiming mask ' +
      '(fence-signalling-no-reclaim) or a failure path that cannot exist because the fence is already promised.',
    covers: ['FENCE-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_reserve_fences' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_add_fence' },
      { kind: 'kernel', file: 'drivers/gpu/drm/scheduler/sched_main.c', symbol: 'drm_sched_job_arm' },
    ],
    messages: {
      'add-without-reserve': '{{api}}({{fence}}) without a prior dma_resv_reserve_fences() under the same resv lock',
      'arm-without-init': '{{api}}({{fence}}) arms a job that drm_sched_job_init() did not initialise first',
      'alloc-after-publish':
        '{{api}}({{gfp}}) in {{thread}} may reclaim after the fence it signals was published: allocate before drm_sched_job_arm() / dma_resv_add_fence(), or use GFP_NOWAIT with a fallback',
    },
  },
  checks: [
    {
      kind: 'monitor',
      id: 'add-without-reserve',
      monitor: {
        per: 'thread',
        states: ['none', 'reserved', 'bad'],
        initial: 'none',
        transitions: [
          { from: 'none', on: { op: 'alloc', api: ['dma_resv_reserve_fences'] }, to: 'reserved' },
          // The reservation is only good while the resv stays locked.
          { from: 'reserved', on: { op: 'unlock', lock: { kind: 'ww-class', name: 'reservation_ww_class' } }, to: 'none' },
          { from: 'none', on: { op: 'fence_publish', api: ['dma_resv_add_fence'] }, to: 'bad' },
        ],
        bad: ['bad'],
      },
    },
    {
      kind: 'monitor',
      id: 'arm-without-init',
      monitor: {
        per: 'thread',
        states: ['none', 'initialised', 'bad'],
        initial: 'none',
        transitions: [
          { from: 'none', on: { op: 'alloc', api: ['drm_sched_job_init'] }, to: 'initialised' },
          { from: 'initialised', on: { op: 'fence_publish', api: ['drm_sched_job_arm'] }, to: 'none' },
          { from: 'none', on: { op: 'fence_publish', api: ['drm_sched_job_arm'] }, to: 'bad' },
        ],
        bad: ['bad'],
      },
    },
    {
      // The other half of FENCE-6: after publication (drm_sched_job_arm, an
      // add_fence, a sync_file) the thread that will signal the fence (run_job
      // included) must not allocate in a way that can reclaim or that has no
      // failure path. signalling-path is exactly "a published fence this
      // thread surely signals later" (checker/semantics/properties.ts).
      kind: 'step',
      id: 'alloc-after-publish',
      on: { op: 'alloc', gfp: { directReclaim: true } },
      when: { kind: 'signalling-path' },
    },
  ],
});
