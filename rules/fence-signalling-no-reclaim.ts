/**
 * FENCE-3.1 / FENCE-11: no allocation that may enter direct reclaim on a
 * fence's signalling path (GFP_NOFS and GFP_NOIO included).
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';
import { DMA_FENCE_MAP } from './canonical-order.js';

/** Inside an annotated section, or on a path that must run for a published fence to signal. */
const signalling: Pred = { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] };

export const rule = defineRule({
  meta: {
    id: 'fence-signalling-no-reclaim',
    family: 'fence',
    severity: 'error',
    summary: 'Code on a fence signalling path must not allocate memory with a mask that may enter direct reclaim, GFP_NOFS and GFP_NOIO included.',
    rationale:
      'Fence waits are allowed in shrinkers and in mmu-notifier callbacks, and both run from direct reclaim of any allocating thread. If the ' +
      'code that must run for a fence to signal (run_job, the IRQ handler, timeout and reset, a commit tail, a recoverable-fault handler) ' +
      'itself enters reclaim, reclaim can wait on the very fence it is trying to signal. GFP_NOFS and GFP_NOIO only drop fs_reclaim: ' +
      'fs_reclaim_acquire() still takes the mmu-notifier map, which is primed before dma_fence_map, so they are violations too. Only masks ' +
      'without __GFP_DIRECT_RECLAIM (GFP_NOWAIT, GFP_ATOMIC) are allowed, with a failure path; better, allocate before the fence is ' +
      'published. For allocate-on-fault the agreed cascade is GFP_NOWAIT, then a pool filled with GFP_KERNEL in the submit ioctl, then ' +
      'GFP_ATOMIC, then failing the job.',
    covers: ['FENCE-3.1', 'FENCE-11', 'FENCE-2', 'FENCE-9', 'RECLAIM-3'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence signalling annotation' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence cross-driver contract' },
      { kind: 'kernel', file: 'mm/page_alloc.c', symbol: 'fs_reclaim_acquire' },
      { kind: 'doc', file: 'Documentation/driver-api/dma-buf.rst', section: 'Recoverable Hardware Page Faults Implications' },
      { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Daniel Vetter' },
      { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 09/18] drm/scheduler: use dma-fence annotations in main thread', author: 'Daniel Vetter' },
    ],
    messages: {
      'reclaim-in-signalling': '{{api}}({{gfp}}) may enter direct reclaim inside a fence signalling path; reclaim may wait on this fence',
      cycle: '{{api}} records {{held}} -> {{lock}}; the primed reclaim order leads from {{lock}} back to {{held}}, closing a cycle',
    },
    hedge:
      'FENCE-11: the 2025 Panthor allocate-on-fault thread (Boris Brezillon, Simona Vetter) is cited without its exact subject. FENCE-9: ' +
      'the drm_sched_main annotation is, as far as verified, not in mainline; lockmc treats run_job and timedout_job as signalling paths ' +
      'through the signalling-path predicate, whether annotated or not.',
  },
  checks: [
    { kind: 'step', id: 'reclaim-in-signalling', on: { op: 'alloc', gfp: { directReclaim: true } }, when: signalling },
    { kind: 'lock-cycle', id: 'cycle', through: [{ kind: 'pseudo', name: DMA_FENCE_MAP }], closedBy: { op: 'alloc' } },
  ],
});
