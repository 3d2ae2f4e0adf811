/**
 * WW-2: on -EDEADLK release everything the context holds, then sleep on
 * the contended lock with the _slow variant, then retry. With
 * DEBUG_WW_MUTEXES the kernel checks the same protocol:
 * ww_mutex_lock_slow() warns without a pending -EDEADLK
 * (include/linux/ww_mutex.h, `DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)`),
 * and the first acquisition after -EDEADLK must be the contended lock
 * (kernel/locking/ww_mutex.h ww_mutex_lock_acquired(), "After -EDEADLK you
 * tried to acquire a different ww_mutex? Bad!"; __ww_mutex_kill() records
 * it).
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
      { kind: 'kernel', file: 'include/linux/ww_mutex.h', symbol: 'ww_mutex_lock_slow', note: 'DEBUG_LOCKS_WARN_ON(!ctx->contending_lock)' },
      { kind: 'kernel', file: 'kernel/locking/ww_mutex.h', symbol: 'ww_mutex_lock_acquired', note: 'DEBUG_LOCKS_WARN_ON(ww_ctx->contending_lock != ww)' },
      { kind: 'kernel', file: 'kernel/locking/ww_mutex.h', symbol: '__ww_mutex_kill', note: 'sets ww_ctx->contending_lock' },
    ],
    messages: {
      'slow-while-holding': '{{api}}({{lock}}) sleeps on the contended lock while the context still holds other locks ({{held}})',
      'lock-after-edeadlk': '{{api}}({{lock}}) after -EDEADLK without backing off: unlock everything and use the _slow variant first',
      'slow-without-edeadlk': '{{api}}({{lock}}) without a preceding -EDEADLK in this context: the _slow variant is only for the contended lock after backoff',
      'wrong-contended-lock': '{{api}}({{lock}}) after -EDEADLK on another lock: after -EDEADLK you tried to acquire a different ww_mutex (re-take the contended lock first)',
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
      // ww_mutex_lock_slow(): DEBUG_LOCKS_WARN_ON(!ctx->contending_lock).
      kind: 'step',
      id: 'slow-without-edeadlk',
      on: { op: 'lock', slow: true },
      when: { kind: 'not', of: { kind: 'ww-ctx', state: 'contending' } },
    },
    {
      // ww_mutex_lock_acquired(): the first lock acquired after -EDEADLK is
      // the contended one. While locks are still held lock-after-edeadlk
      // and slow-while-holding already say what is wrong.
      kind: 'step',
      id: 'wrong-contended-lock',
      on: { op: 'lock', ctx: 'some', outcome: 'ok' },
      when: {
        kind: 'and',
        of: [
          { kind: 'ww-ctx', state: 'contending-other' },
          { kind: 'not', of: { kind: 'ww-ctx', state: 'holds-locks' } },
        ],
      },
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
