/**
 * NOTIFIER-4: read_begin, populate, lock, read_retry, program, unlock.
 */

import { defineRule } from './types.js';
import type { LockPattern, Pred } from './types.js';

/** The driver lock the invalidate callback takes (notifier_lock). */
const notifierLock: LockPattern = { kind: 'taken-in', context: 'mmu-notifier' };
const holdsNotifierLock: Pred = { kind: 'holds', lock: notifierLock, who: 'self' };

export const rule = defineRule({
  meta: {
    id: 'notifier-sequence-protocol',
    family: 'notifier',
    severity: 'error',
    summary: 'Pages obtained after mmu_interval_read_begin() may be programmed into the device or covered by a published fence only after mmu_interval_read_retry() said "no retry" under the lock the invalidate callback takes, and only while that lock is still held.',
    rationale:
      'An invalidation can run at any time between mmu_interval_read_begin() and the moment the device uses the pages. The interval ' +
      'notifier protocol closes that window: the callback takes the driver lock and bumps the sequence with mmu_interval_set_seq(); the ' +
      'user takes the same lock, checks mmu_interval_read_retry(), and programs the device or publishes the job fence before dropping it. ' +
      'Skipping the check, checking without the lock, or publishing after unlocking lets the device use pages that were already unmapped: ' +
      'a use-after-free that no lockdep report will ever show.',
    covers: ['NOTIFIER-4'],
    citations: [
      { kind: 'kernel', file: 'mm/mmu_notifier.c', symbol: 'mmu_interval_read_begin' },
      { kind: 'kernel', file: 'include/linux/mmu_notifier.h', symbol: 'mmu_interval_set_seq' },
      { kind: 'doc', file: 'Documentation/mm/hmm.rst' },
    ],
    messages: {
      'use-without-retry-check': '{{api}} uses pages from mmu_interval_read_begin() without a successful mmu_interval_read_retry() under the notifier lock',
    },
  },
  checks: [
    {
      kind: 'monitor',
      id: 'use-without-retry-check',
      monitor: {
        per: 'thread',
        states: ['idle', 'begun', 'populated', 'validated', 'bad'],
        initial: 'idle',
        transitions: [
          { from: ['idle', 'begun', 'populated', 'validated'], on: { op: 'interval_read_begin' }, to: 'begun' },
          { from: 'begun', on: { op: 'user_access' }, to: 'populated' },
          { from: 'populated', on: { op: 'interval_read_retry', outcome: 'ok' }, when: holdsNotifierLock, to: 'validated' },
          { from: 'populated', on: { op: 'interval_read_retry', outcome: 'retry' }, to: 'idle' },
          // Dropping the lock makes the check stale again.
          { from: 'validated', on: { op: 'unlock', lock: notifierLock }, to: 'populated' },
          { from: 'populated', on: { op: ['fence_publish', 'device_access'] }, to: 'bad' },
        ],
        bad: ['bad'],
      },
    },
  ],
});
