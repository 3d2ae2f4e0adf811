/**
 * NOTIFIER-5 / USERPTR-3: dma_fence waits in mmu notifiers, by position
 * in the 2020 debate.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'notifier-fence-wait-gpu-only',
    family: 'notifier',
    severity: 'error',
    summary: 'Only drivers under drivers/gpu may wait on a dma_fence in an mmu-notifier callback (option notifier.fence-wait picks the position).',
    rationale:
      'A fence wait in a notifier pulls everything that fence depends on into reclaim: its signalling path must then obey every reclaim ' +
      'rule. GPU drivers that follow the full fence contract accept that (amdgpu waits for userptr BOs\' fences in its invalidate callback). ' +
      'Daniel Vetter proposed, in the 2020 dma-fence lockdep annotation series, that a dma_fence wait in an mmu notifier outside drivers/gpu ' +
      'be treated as a bug; Jason Gunthorpe argued that devices needing dma_fences to progress should not use notifiers at all and should ' +
      'pin instead (FOLL_LONGTERM), waiting only on driver-local completions; Jérôme Glisse that HMM users update device page tables ' +
      'asynchronously. The option notifier.fence-wait selects gpu-only (default), never, or allowed.',
    covers: ['NOTIFIER-5', 'USERPTR-3'],
    citations: [
      { kind: 'list', list: 'dri-devel, linux-mm', date: '2020-06', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Daniel Vetter' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'DOC: fence cross-driver contract' },
    ],
    options: [
      {
        key: 'notifier.fence-wait',
        summary: 'Who may wait on a dma_fence inside an mmu-notifier callback.',
        values: [
          {
            value: 'gpu-only',
            summary: 'Only drivers under drivers/gpu (declared with @driver), which obey the full fence contract.',
            citation: { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Daniel Vetter' },
            consequence: 'fixtures/debates/userptr-notifiers/violates-notifier-waits-on-allocating-job.model.ts',
          },
          {
            value: 'never',
            summary: 'No notifier waits on a dma_fence; non-faulting devices pin, others wait only on driver-local completions.',
            citation: { kind: 'list', list: 'dri-devel, linux-rdma, linux-mm', date: '2020-06', subject: '[PATCH 04/18] dma-fence: prime lockdep annotations', author: 'Jason Gunthorpe' },
            consequence: 'fixtures/rules/userptr-dma-needs-pin-or-wait/violates-never-wait-no-pin.model.ts',
          },
          {
            value: 'allowed',
            summary: 'Any driver may wait; the other fence rules still apply to what the fence depends on.',
            consequence: 'fixtures/debates/userptr-notifiers/violates-allowed-rdma-notifier-waits.model.ts',
          },
        ],
        default: 'gpu-only',
      },
    ],
    messages: {
      'fence-wait-in-notifier': '{{api}} waits on a dma_fence inside an mmu-notifier callback, which the chosen notifier.fence-wait position does not allow for this driver',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'fence-wait-in-notifier',
      on: { op: 'fence_wait' },
      when: {
        kind: 'and',
        of: [
          { kind: 'in-context', context: 'mmu-notifier' },
          {
            kind: 'or',
            of: [
              { kind: 'option', key: 'notifier.fence-wait', is: 'never' },
              {
                kind: 'and',
                of: [
                  { kind: 'option', key: 'notifier.fence-wait', is: 'gpu-only' },
                  { kind: 'not', of: { kind: 'driver-under', prefix: 'drivers/gpu/' } },
                ],
              },
            ],
          },
        ],
      },
    },
  ],
});
