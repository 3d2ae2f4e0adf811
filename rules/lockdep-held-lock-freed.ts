/**
 * Lockdep's "held lock freed!": a lock re-initialised (mutex_init,
 * spin_lock_init, ...) while the task that does it holds it.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-held-lock-freed',
    family: 'lockdep',
    severity: 'error',
    summary: 'A lock must not be initialised (mutex_init, spin_lock_init, init_rwsem, rwlock_init) while it is held.',
    rationale:
      'Initialising a lock overwrites its state: the holder\'s later unlock releases a lock nobody holds, and waiters are lost. The ' +
      'lock initialisers call debug_check_no_locks_freed() on the lock\'s memory, and lockdep reports any held lock inside it. ' +
      'lockmc reports an initialisation of an instance the same path holds.',
    covers: ['LOCKDEP-6'],
    citations: [
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'debug_check_no_locks_freed' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'print_freed_lock_bug' },
      { kind: 'kernel', file: 'kernel/locking/mutex-debug.c', symbol: 'debug_mutex_init' },
    ],
    messages: {
      init: 'held lock freed: {{thread}} calls {{api}} on {{lock}}, which it holds (taken at line {{heldAt}})',
    },
  },
  checks: [{ kind: 'lockdep-report', id: 'init', report: 'held-lock-freed' }],
});
