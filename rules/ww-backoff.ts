/**
 * WW-2: on -EDEADLK release everything the context holds, then sleep on
 * the contended lock with the _slow variant, then retry.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'ww-backoff',
    family: 'ww',
    severity: 'error',
    summary: 'After -EDEADLK, unlock every ww_mutex held in the context before dma_resv_lock_slow(), and take no other lock of the context until then.',
    rationale:
      'Wait-Die only avoids deadlock if the task that is told to die actually lets go: the younger context receives -EDEADLK so that the ' +
      'older one can take what it holds. Sleeping on the contended lock (the _slow variant) while still holding another lock of the ' +
      'transaction, or carrying on locking other objects, recreates the ABBA the protocol exists to break. The context keeps its stamp ' +
      'across the backoff, so it grows older and eventually wins; drm_exec_until_all_locked() / drm_exec_retry_on_contention() implement ' +
      'the loop. CONFIG_DEBUG_WW_MUTEX_SLOWPATH injects spurious -EDEADLK to exercise it.',
    covers: ['WW-2'],
    citations: [
      { kind: 'doc', file: 'Documentation/locking/ww-mutex-design.rst' },
      { kind: 'kernel', file: 'kernel/locking/ww_mutex.h' },
      { kind: 'kernel', file: 'kernel/locking/mutex.c' },
    ],
    messages: {
      'slow-while-holding': '{{api}}({{lock}}) sleeps on the contended lock while the context still holds other locks ({{held}})',
      'lock-after-edeadlk': '{{api}}({{lock}}) after -EDEADLK without backing off: unlock everything and use the _slow variant first',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'slow-while-holding',
      on: { op: 'lock', slow: true },
      when: { kind: 'ww-ctx', state: 'holds-locks' },
    },
    {
      kind: 'monitor',
      id: 'lock-after-edeadlk',
      monitor: {
        per: 'thread',
        states: ['normal', 'must-back-off', 'bad'],
        initial: 'normal',
        transitions: [
          { from: 'normal', on: { op: 'lock', outcome: 'EDEADLK' }, to: 'must-back-off' },
          { from: 'must-back-off', on: { op: 'lock', slow: true }, to: 'normal' },
          { from: 'must-back-off', on: { op: 'ww_acquire_fini' }, to: 'normal' },
          // After a full release a plain lock is as good as the _slow one
          // (which only skips the -EDEADLK check): nothing is held to die for.
          { from: 'must-back-off', on: { op: 'lock', ctx: 'some', slow: false }, when: { kind: 'not', of: { kind: 'ww-ctx', state: 'holds-locks' } }, to: 'normal' },
          { from: 'must-back-off', on: { op: 'lock', ctx: 'some', slow: false }, to: 'bad' },
        ],
        bad: ['bad'],
      },
    },
  ],
});
