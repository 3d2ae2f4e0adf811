/**
 * Lockdep's "possible recursive locking detected": the same class taken
 * twice by one task without a nest_lock, a subclass or a trylock.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-recursive-locking',
    family: 'lockdep',
    severity: 'error',
    summary: 'A task must not acquire a lock class it already holds unless the second acquisition is a trylock, a recursive read, nested under a nest_lock, or annotated with a subclass.',
    rationale:
      'Two instances of one class are indistinguishable to lockdep, and for good reason: if task 1 takes A then B and task 2 takes B then A, ' +
      'both of the same class, they deadlock, and nothing in the class order says which instance comes first. Every dma_resv is a ' +
      'reservation_ww_class_mutex, so two BOs locked with a NULL context, dma_buf_attach/detach (which lock the dma-buf resv with a NULL ' +
      'context) called under a BO lock, or a nested ww_acquire_init, are all reported as recursive locking. A ww acquire context is the ' +
      'nest_lock that makes many locks of one class legal; mutex_lock_nested() states an order between two instances the model guarantees.',
    covers: ['LOCKDEP-6', 'LOCKDEP-4'],
    citations: [
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'check_deadlock' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'print_deadlock_bug' },
      { kind: 'doc', file: 'Documentation/locking/lockdep-design.rst' },
    ],
    messages: {
      recursion: 'possible recursive locking: {{lock}} acquired while {{held}} of the same class is already held, with no ww context, subclass or trylock',
    },
  },
  checks: [{ kind: 'lock-recursion', id: 'recursion' }],
});
