/**
 * Lockdep's "bad unlock balance detected!": a lock released where the
 * task does not hold it (a second unlock, an unlock after a failed
 * trylock or -EDEADLK).
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-bad-unlock-balance',
    family: 'lockdep',
    severity: 'error',
    summary: 'A task must release only locks it holds: no second unlock, and no unlock after a trylock failed or a ww_mutex_lock returned -EDEADLK.',
    rationale:
      'Releasing a lock one does not hold corrupts it: a mutex or spinlock is handed to nobody (or released under its real owner), a ' +
      'ww_mutex unlocked twice frees the reservation another transaction holds. lock_release() looks the lock up in the task\'s held ' +
      'locks and, when it is not there, prints "bad unlock balance detected!". lockmc checks every path: an unlock of a lock the path ' +
      'does not hold at that point is reported, with the path that leads there. (Unlocking a lock no path ever takes is a malformed ' +
      'model, LMC205.)',
    covers: ['LOCKDEP-6', 'WW-3'],
    citations: [
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'lock_release', note: 'find_held_lock() fails: print_unlock_imbalance_bug()' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'print_unlock_imbalance_bug' },
      { kind: 'doc', file: 'Documentation/locking/ww-mutex-design.rst' },
    ],
    messages: {
      unlock: 'bad unlock balance: {{thread}} releases {{lock}} with {{api}}, but does not hold it here on some path',
    },
  },
  checks: [{ kind: 'lockdep-report', id: 'unlock', report: 'bad-unlock-balance' }],
});
