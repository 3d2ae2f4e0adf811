/**
 * NOTIFIER-3: a non-blockable invalidation (OOM reaper) must not sleep.
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';

const nonBlocking: Pred = { kind: 'in-context', context: 'mmu-notifier-nonblocking' };

export const rule = defineRule({
  meta: {
    id: 'notifier-nonblocking',
    family: 'notifier',
    severity: 'error',
    summary: 'When mmu_notifier_range_blockable() is false the callback must not sleep: trylock and bail out instead of blocking, and never wait on a fence.',
    rationale:
      'The OOM reaper invalidates with mmu_notifier_invalidate_range_start_nonblock() to free a dying task\'s memory without waiting for ' +
      'anything that might itself need memory. A callback that blocks there can stall the reaper behind the very allocation that is ' +
      'waiting for it. The callback must use mutex_trylock and return -EAGAIN (legacy notifiers) or false (interval notifier invalidate) when ' +
      'it would have to wait, and must not wait on fences at all in that mode.',
    covers: ['NOTIFIER-3'],
    citations: [
      { kind: 'kernel', file: 'include/linux/mmu_notifier.h', symbol: 'mmu_notifier_range_blockable' },
      { kind: 'kernel', file: 'mm/oom_kill.c', symbol: '__oom_reap_task_mm' },
    ],
    messages: {
      'blocking-lock': '{{api}}({{lock}}) may sleep in a non-blockable mmu-notifier invalidation; use a trylock and return false',
      'fence-wait': '{{api}} waits on a fence in a non-blockable mmu-notifier invalidation',
      'reclaiming-alloc': '{{api}}({{gfp}}) may sleep in a non-blockable mmu-notifier invalidation',
      sleep: '{{api}} may sleep in a non-blockable mmu-notifier invalidation',
    },
  },
  checks: [
    { kind: 'step', id: 'blocking-lock', on: { op: 'lock', trylock: false, lock: { kind: 'sleeping-lock' } }, when: nonBlocking },
    { kind: 'step', id: 'fence-wait', on: { op: 'fence_wait' }, when: nonBlocking },
    { kind: 'step', id: 'reclaiming-alloc', on: { op: 'alloc', gfp: { directReclaim: true } }, when: nonBlocking },
    { kind: 'step', id: 'sleep', on: { op: ['might_sleep', 'user_access', 'flush_work', 'unmap_mapping_range'] }, when: nonBlocking },
  ],
});
