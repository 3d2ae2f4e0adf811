/**
 * WW-4: init, lock/backoff rounds, optional done, unlock all, fini.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'ww-context-lifecycle',
    family: 'ww',
    severity: 'error',
    summary: 'A ww_acquire_ctx takes no locks after ww_acquire_done(), holds none at ww_acquire_fini(), and is finished before its task ends.',
    rationale:
      'ww_acquire_init() starts a transaction and takes the <class>_acquire lockdep map; ww_acquire_done() promises no further acquisition ' +
      '(a debug check enforces it); ww_acquire_fini() checks that every lock of the context was released. A context is per task and lives ' +
      'on its stack: one that is never finished keeps the acquire map held, and locks left held at fini escape the transaction that ' +
      'protected them from deadlock.',
    covers: ['WW-4'],
    citations: [
      { kind: 'kernel', file: 'include/linux/ww_mutex.h', symbol: 'ww_acquire_init' },
      { kind: 'kernel', file: 'include/linux/ww_mutex.h', symbol: 'ww_acquire_done' },
      { kind: 'kernel', file: 'include/linux/ww_mutex.h', symbol: 'ww_acquire_fini' },
      { kind: 'doc', file: 'Documentation/locking/ww-mutex-design.rst' },
    ],
    messages: {
      'lock-after-done': '{{api}}({{lock}}) after ww_acquire_done(): the context promised to take no further locks',
      'fini-with-locks': '{{api}} while the context still holds {{held}}',
      'never-finished': 'a ww_acquire_ctx of {{thread}} is still live when the thread ends: missing ww_acquire_fini()',
      'done-twice': '{{api}} of a context already marked done: ww_acquire_done() is called once per transaction',
      'fini-not-live': '{{api}} of a context that is not live: finished twice, or never initialised',
    },
  },
  checks: [
    { kind: 'step', id: 'lock-after-done', on: { op: 'lock', ctx: 'some' }, when: { kind: 'ww-ctx', state: 'done' } },
    { kind: 'step', id: 'fini-with-locks', on: { op: 'ww_acquire_fini' }, when: { kind: 'ww-ctx', state: 'holds-locks' } },
    // ww_acquire_done(): DEBUG_LOCKS_WARN_ON(ctx->done_acquire).
    { kind: 'step', id: 'done-twice', on: { op: 'ww_acquire_done' }, when: { kind: 'ww-ctx', state: 'done' } },
    // ww_acquire_fini() releases the context's acquire map: a second fini is
    // lockdep's bad unlock balance (and, without lockdep, the poisoned
    // acquire_class of DEBUG_WW_MUTEXES).
    { kind: 'step', id: 'fini-not-live', on: { op: 'ww_acquire_fini' }, when: { kind: 'not', of: { kind: 'ww-ctx', state: 'live' } } },
    {
      // A terminal state includes threads a deadlock left blocked; a blocked
      // thread's context is live because the thread never got to fini, which
      // is the deadlock's finding, not a lifecycle bug. Only a thread that
      // returned with its context live has skipped ww_acquire_fini().
      kind: 'terminal',
      id: 'never-finished',
      bad: {
        kind: 'and',
        of: [
          { kind: 'ww-ctx', state: 'live' },
          { kind: 'thread', state: 'done' },
        ],
      },
    },
  ],
});
