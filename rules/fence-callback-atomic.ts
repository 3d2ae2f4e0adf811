/**
 * FENCE-7: fence callbacks and release ops run in atomic context.
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';

const atomicFenceContext: Pred = {
  kind: 'or',
  of: [
    { kind: 'in-context', context: 'fence-callback' },
    { kind: 'in-context', context: 'fence-release' },
  ],
};

export const rule = defineRule({
  meta: {
    id: 'fence-callback-atomic',
    family: 'fence',
    severity: 'error',
    summary: 'dma_fence callbacks and dma_fence_ops.release must not sleep: no mutex, rwsem or resv, no reclaiming allocation, no fence wait, no user access.',
    rationale:
      'Callbacks added with dma_fence_add_callback() run inside dma_fence_signal*() with the fence spinlock held and interrupts off, often ' +
      'from the hard-irq handler that signalled the fence. release may run from any final dma_fence_put(), including one inside a callback ' +
      'or an IRQ handler, and is documented as callable from irq context. Sleeping there is "BUG: sleeping function called from invalid ' +
      'context" or "Invalid wait context"; taking a driver mutex or a resv there is also a lock-order hazard. Defer the work to a worker.',
    covers: ['FENCE-7'],
    citations: [
      { kind: 'kernel', file: 'include/linux/dma-fence.h', symbol: 'struct dma_fence_ops' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'dma_fence_signal_timestamp_locked' },
    ],
    messages: {
      'sleeping-lock': '{{api}}({{lock}}) may sleep, but runs in {{context}} with the fence spinlock held and irqs off',
      'reclaiming-alloc': '{{api}}({{gfp}}) may sleep, but runs in {{context}}; use GFP_ATOMIC or defer to a worker',
      sleep: '{{api}} may sleep, but runs in {{context}} with the fence spinlock held and irqs off',
    },
  },
  checks: [
    { kind: 'step', id: 'sleeping-lock', on: { op: 'lock', lock: { kind: 'sleeping-lock' } }, when: atomicFenceContext },
    { kind: 'step', id: 'reclaiming-alloc', on: { op: 'alloc', gfp: { directReclaim: true } }, when: atomicFenceContext },
    {
      kind: 'step',
      id: 'sleep',
      on: { op: ['fence_wait', 'might_sleep', 'user_access', 'flush_work', 'ww_acquire_init', 'unmap_mapping_range'] },
      when: atomicFenceContext,
    },
  ],
});
