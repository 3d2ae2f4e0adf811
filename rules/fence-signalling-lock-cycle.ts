/**
 * FENCE-3.4 / FENCE-4 / FENCE-5 / FENCE-12: a signalling path must not
 * take a lock that anyone holds while waiting on a fence, as lockdep sees
 * it through dma_fence_map.
 */

import { defineRule } from './types.js';
import type { LockPattern, Pred } from './types.js';
import { DMA_FENCE_MAP } from './canonical-order.js';
import { allOf, driverLock } from './lib/lock-patterns.js';

/**
 * Locks that may be held when a section begins: a driver's own, and the
 * modeset locks (crtc_ww_class) drm_atomic_helper_commit() holds around
 * commit_tail(), the case the read-trylock annotation was made for.
 */
const heldAtBegin: LockPattern = { kind: 'any-of', of: [driverLock, { kind: 'ww-class', name: 'crtc_ww_class' }] };
const signalling: Pred = { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] };
export const rule = defineRule({
  meta: {
    id: 'fence-signalling-lock-cycle',
    family: 'fence',
    severity: 'error',
    summary: 'A fence signalling path must not take a lock that any thread holds while waiting on a fence.',
    rationale:
      'Thread W holds lock L and waits on fence F; if F\'s signalling path needs L, neither makes progress. Lockdep sees it through the ' +
      'dma_fence_map pseudo-lock: dma_fence_begin_signalling() takes it for read, every fence wait takes it for write (__dma_fence_might_wait), ' +
      'so L held across a wait records L -> dma_fence_map and L taken in a section records dma_fence_map -> L. The userptr notifier_lock ' +
      '(held by the notifier while it waits), a reset lock held across a wait, and VM locks in run_job are the usual L. Shrinking the ' +
      'annotated section so that L falls outside it hides the cycle without fixing it. Since v6.13 begin_signalling is a read trylock, so ' +
      'locks already held when the section begins get no edge; up to v6.12 every such lock recorded L -> dma_fence_map and lockdep reported ' +
      'cycles for locks merely held around a section (modeset locks in drm_atomic_helper_commit).',
    covers: ['FENCE-3.4', 'FENCE-4', 'FENCE-5', 'FENCE-12', 'FENCE-9'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'dma_fence_begin_signalling' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: '__dma_fence_might_wait' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'dma_fence_wait_timeout' },
      {
        kind: 'commit',
        id: '2facdd6002ad',
        subject: 'dma-buf/dma-fence: Use a successful read_trylock() annotation for dma_fence_begin_signalling()',
        version: 'v6.13',
      },
      { kind: 'list', list: 'dri-devel', date: '2020-06', subject: '[PATCH 03/18] dma-fence: basic lockdep annotations', author: 'Daniel Vetter' },
    ],
    messages: {
      'lock-held-across-wait': '{{api}}({{lock}}) inside a fence signalling path, but {{lock}} is held elsewhere across a fence wait',
      'held-at-begin': '{{api}} while holding {{held}}: before v6.13 begin_signalling is a plain read acquisition, so a held lock that is also taken inside a signalling section closes a cycle through dma_fence_map',
      cycle: 'acquiring {{lock}} while holding {{held}} closes a cycle through dma_fence_map: a lock held across a fence wait (or before begin_signalling) is taken on a signalling path',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'lock-held-across-wait',
      on: { op: 'lock', trylock: false, lock: { kind: 'held-across', step: { op: 'fence_wait' } } },
      when: signalling,
    },
    {
      kind: 'step',
      id: 'held-at-begin',
      on: { op: 'signalling_begin' },
      when: {
        kind: 'and',
        of: [
          { kind: 'kernel', before: 'v6.13' },
          { kind: 'not', of: { kind: 'in-context', context: 'signalling' } },
          // taken blocking inside some section (a trylock there records no dma_fence_map -> L edge)
          { kind: 'holds', lock: allOf(heldAtBegin, { kind: 'taken-in', context: 'signalling' }, { kind: 'at-or-below', name: DMA_FENCE_MAP }), who: 'self' },
        ],
      },
    },
    { kind: 'lock-cycle', id: 'cycle', through: [{ kind: 'pseudo', name: DMA_FENCE_MAP }], closedBy: { op: 'lock', trylock: false, lock: driverLock } },
  ],
});
