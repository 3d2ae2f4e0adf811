/**
 * FENCE-1 / NOTIFIER-6 / FENCE-3.7: a published fence signals, whatever
 * the interleaving; nobody waits on a fence that will never signal.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'fence-finite',
    family: 'fence',
    severity: 'error',
    summary: 'Every published dma_fence must be signalled on every path, and no thread may wait on a fence that never signals.',
    rationale:
      'Once a dma_fence is visible to anyone else, other drivers, the shrinker, mmu notifiers and process exit may wait on it, so it must ' +
      'signal in bounded time independent of userspace: a timeout and reset path force-signals the fences of hung work. Future fences, ' +
      'proxy fences whose target may never come, user-queue completion wrapped as a dma_fence and end-of-batch fences of long-running ' +
      'compute all break that, and the kernel then hangs in reclaim or in exit_mmap waiting in a notifier release. Lockdep cannot see any ' +
      'of it: the hung-task detector is the only report. In a model, a path that publishes a fence and can end without signalling it, or a ' +
      'wait that can never be satisfied, is the violation.',
    covers: ['FENCE-1', 'FENCE-3.7', 'NOTIFIER-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence cross-driver contract' },
      { kind: 'doc', file: 'Documentation/driver-api/dma-buf.rst', section: 'Indefinite DMA Fences' },
      { kind: 'kernel', file: 'mm/mmu_notifier.c', symbol: '__mmu_notifier_release' },
      // A hung job is signalled by the timeout handler; a dependency that never signals keeps run_job from running.
      { kind: 'kernel', file: 'drivers/gpu/drm/scheduler/sched_main.c', symbol: 'drm_sched_job_timedout' },
      { kind: 'kernel', file: 'drivers/gpu/drm/scheduler/sched_main.c', symbol: 'drm_sched_job_add_dependency' },
    ],
    messages: {
      'published-unsignalled': 'fence {{fence}} was published but this interleaving ends without signalling it',
      'wait-never-signalled': '{{thread}} waits on fence {{fence}}, which is never signalled',
    },
  },
  checks: [
    { kind: 'terminal', id: 'published-unsignalled', bad: { kind: 'fence', subject: 'any', state: 'published' } },
    { kind: 'terminal', id: 'wait-never-signalled', bad: { kind: 'fence', subject: 'any', state: 'has-waiter' } },
  ],
});
