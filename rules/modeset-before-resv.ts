/**
 * ORDER-8: crtc_ww_class (modeset locks) before reservation_ww_class (BO
 * locks), never the other way, and never inside a signalling path.
 */

import { defineRule } from './types.js';
import type { Pred } from './types.js';
import { CRTC_MUTEX } from './canonical-order.js';

const holdsResv: Pred = {
  kind: 'or',
  of: [
    { kind: 'holds', lock: { kind: 'ww-class', name: 'reservation_ww_class' }, who: 'self' },
    { kind: 'holds', lock: { kind: 'ww-acquire', name: 'reservation_ww_class' }, who: 'self' },
  ],
};

export const rule = defineRule({
  meta: {
    id: 'modeset-before-resv',
    family: 'order',
    severity: 'error',
    summary: 'Take modeset locks (crtc_ww_class) before BO locks (reservation_ww_class), never under a BO lock or inside a fence signalling path.',
    rationale:
      'Display code holds drm_modeset_lock()s and then pins scanout BOs in prepare_fb, so the order is crtc_ww_class_* -> ' +
      'reservation_ww_class_*. On every KMS driver drmm_mode_config_init() primes crtc_ww_class_acquire -> crtc_ww_class_mutex -> ' +
      'reservation_ww_class_acquire -> reservation_ww_class_mutex at boot (and crtc_ww_class_mutex -> &mm->mmap_lock through might_fault(), ' +
      'which takes and drops mmap_lock), so a modeset lock taken under a BO lock is ' +
      'reported on the first run. A GPU reset path that does a full modeset suspend/resume takes modeset locks inside the signalling path ' +
      'of every job on the hung ring, which FENCE-10 forbids.',
    covers: ['ORDER-8', 'FENCE-10'],
    citations: [
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_mode_config.c', symbol: 'drmm_mode_config_init' },
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_atomic_helper.c', symbol: 'drm_atomic_helper_prepare_planes' },
      { kind: 'kernel', file: 'drivers/gpu/drm/drm_atomic_helper.c', symbol: 'commit_tail', note: 'dma_fence_begin_signalling() around the commit tail; drm_atomic_helper_commit() annotates the blocking path' },
    ],
    messages: {
      'modeset-under-resv': '{{api}}({{lock}}) takes a modeset lock while {{held}} is held; modeset locks come before BO locks',
      'modeset-in-signalling': '{{api}}({{lock}}) takes a modeset lock inside a fence signalling path',
      cycle: 'acquiring {{lock}} while holding {{held}} closes a cycle with the primed crtc_ww_class_mutex -> reservation_ww_class_acquire order',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'modeset-under-resv',
      on: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'crtc_ww_class' } },
      when: holdsResv,
    },
    {
      kind: 'step',
      id: 'modeset-in-signalling',
      on: { op: 'lock', trylock: false, lock: { kind: 'ww-class', name: 'crtc_ww_class' } },
      when: { kind: 'or', of: [{ kind: 'in-context', context: 'signalling' }, { kind: 'signalling-path' }] },
    },
    { kind: 'lock-cycle', id: 'cycle', through: [{ kind: 'class', name: CRTC_MUTEX }] },
  ],
});
