/**
 * FENCE-8: an opportunistic signal is not part of a signalling section.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'fence-opportunistic-signal',
    family: 'fence',
    severity: 'error',
    summary: 'Opportunistic signalling (a waiter noticing the seqno passed) must not be annotated as a signalling critical section.',
    rationale:
      'Code that signals a fence only because it noticed the hardware already completed it (the signaled op, a wait path) is not needed for ' +
      'forward progress, so the locks it holds do not have to obey the signalling-path rules. Wrapping it in ' +
      'dma_fence_begin_signalling()/end_signalling() pulls those locks into dma_fence_map\'s order and produces reports about a path that ' +
      'can never block a fence. lockmc lets a model mark such sites with dma_fence_signal(f, { opportunistic: true }); only the guaranteed ' +
      'signal sites make a path a signalling path.',
    covers: ['FENCE-8'],
    citations: [{ kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence signalling annotation' }],
    messages: {
      'annotated-opportunistic': '{{api}}({{fence}}) is an opportunistic signal inside an annotated signalling section; annotate only the guaranteed signalling path',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'annotated-opportunistic',
      on: { op: 'fence_signal', guaranteed: false },
      when: { kind: 'in-context', context: 'signalling' },
    },
  ],
});
