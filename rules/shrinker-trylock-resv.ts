/**
 * RECLAIM-2 / WW-6 (reclaim half): from reclaim, a dma_resv is only ever
 * trylocked and no reservation ww transaction is started.
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';
import { FS_RECLAIM } from './canonical-order.js';

const inReclaim: Pred = {
  kind: 'or',
  of: [
    { kind: 'in-context', context: 'shrinker' },
    { kind: 'in-context', context: 'reclaim' },
  ],
};

export const rule = defineRule({
  meta: {
    id: 'shrinker-trylock-resv',
    family: 'reclaim',
    severity: 'error',
    summary: 'Shrinkers and other reclaim paths may only trylock a dma_resv and must not call ww_acquire_init on reservation_ww_class.',
    rationale:
      'Allocating with GFP_KERNEL under a BO lock is legal and primed (reservation_ww_class_mutex -> fs_reclaim), so reclaim must never ' +
      'wait for a BO lock: a blocking dma_resv_lock in a shrinker records fs_reclaim -> reservation_ww_class_mutex, and a ww_acquire_init ' +
      'records fs_reclaim -> reservation_ww_class_acquire; both close cycles at boot, and both deadlock when the lock holder is the thread ' +
      'that entered direct reclaim. dma_resv_trylock (or ww_mutex_trylock with the caller\'s ticket, as drm_gem_lru_scan does) records ' +
      'nothing; skip the object when it is contended. Shrinkers may still wait for fences and call unmap_mapping_range() on a BO they ' +
      'trylocked. A ticketed GEM LRU scan (drm_gem_lru_scan() given a ww_acquire_ctx) is legal for its trylocks, but starting the ticket ' +
      'with ww_acquire_init() in reclaim is a non-try acquisition of the ticket\'s lockdep map (fs_reclaim -> ' +
      'reservation_ww_class_acquire), which closes a cycle with the primed reservation_ww_class_acquire -> reservation_ww_class_mutex -> ' +
      'fs_reclaim; the ticket must come from outside reclaim, so ww-acquire-in-reclaim keeps reporting it.',
    covers: ['RECLAIM-2', 'WW-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep' },
      {
        kind: 'kernel',
        file: 'drivers/gpu/drm/drm_gem.c',
        symbol: 'drm_gem_lru_scan',
        note: 'ticket added by "drm/gem: Add ww_acquire_ctx support to drm_gem_lru_scan()" (Rob Clark, msm VM_BIND series, 2025): per object, after dropping lru->lock, ww_acquire_init(ticket, &reservation_ww_class), ww_mutex_trylock(&obj->resv->lock, ticket), ww_acquire_fini() after the unlock; msm_gem_shrinker_scan() passes its ticket from reclaim',
      },
    ],
    messages: {
      'blocking-resv-in-reclaim': '{{api}}({{lock}}) blocks on a dma_resv in {{context}} context; reclaim may only trylock it',
      'ww-acquire-in-reclaim': '{{api}} starts a ww transaction in {{context}} context',
      cycle: 'possible circular locking dependency: {{chain}}; a dma_resv lock in reclaim records fs_reclaim -> reservation_ww_class_mutex (RECLAIM-2)',
      'cycle-acquire':
        'possible circular locking dependency: {{chain}}; ww_acquire_init in reclaim records fs_reclaim -> reservation_ww_class_acquire (RECLAIM-2)',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'blocking-resv-in-reclaim',
      on: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'reservation_ww_class' } },
      when: inReclaim,
    },
    {
      kind: 'step',
      id: 'ww-acquire-in-reclaim',
      on: { op: 'ww_acquire_init', wwClass: 'reservation_ww_class' },
      when: inReclaim,
    },
    // The lockdep view: a cycle through fs_reclaim with an edge a blocking resv lock (or a reservation
    // ww_acquire_init) records in reclaim, i.e. fs_reclaim -> reservation_ww_class_{mutex,acquire} or a
    // driver lock the shrinker holds -> the resv. The same classes on a cycle whose resv edge is recorded
    // elsewhere (a resv locked in a fence signalling section) are fence-signalling-no-resv's.
    {
      kind: 'lock-cycle',
      id: 'cycle',
      through: [{ kind: 'pseudo', name: FS_RECLAIM }],
      closedBy: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'reservation_ww_class' }, context: 'reclaim' },
    },
    {
      kind: 'lock-cycle',
      id: 'cycle-acquire',
      through: [{ kind: 'pseudo', name: FS_RECLAIM }],
      closedBy: { op: 'ww_acquire_init', wwClass: 'reservation_ww_class', context: 'reclaim' },
    },
  ],
});
