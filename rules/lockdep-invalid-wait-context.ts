/**
 * Lockdep's "BUG: Invalid wait context": a lock whose wait type is larger
 * than what the held locks and the context allow (a mutex under a
 * spinlock, in an irq handler or an RCU read-side section; on
 * PREEMPT_RT, a spinlock_t under a raw_spinlock_t).
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-invalid-wait-context',
    family: 'lockdep',
    severity: 'error',
    summary: 'A lock must not be taken where its wait type is not allowed: no sleeping lock under a spinlock, in an RCU read-side section or in interrupt context, and on PREEMPT_RT no spinlock_t under a raw_spinlock_t.',
    rationale:
      'Every lock class has a wait type: raw_spinlock_t LD_WAIT_SPIN, spinlock_t and rwlock_t LD_WAIT_CONFIG (they become sleeping ' +
      'locks on PREEMPT_RT), mutexes and rwsems LD_WAIT_SLEEP; rcu_read_lock() allows LD_WAIT_CONFIG inside. Hard-irq handlers allow ' +
      'LD_WAIT_CONFIG when they can be force-threaded (LD_WAIT_SPIN otherwise), softirqs LD_WAIT_CONFIG. check_wait_context() ' +
      'rejects a lock whose outer wait type exceeds the smallest inner wait type of the locks held in the same context. Without ' +
      'CONFIG_PROVE_RAW_LOCK_NESTING, LD_WAIT_CONFIG counts as LD_WAIT_SPIN; check with `--kernel-config PREEMPT_RT` (or the model\'s ' +
      '`@kernel-config PREEMPT_RT`) to judge as PREEMPT_RT does, where a spinlock_t taken under a raw_spinlock_t is a sleeping lock in atomic context. ' +
      'The rule option `lockdep.preempt-rt=on` keeps its narrower meaning: wait types judged as RT does (CONFIG_PROVE_RAW_LOCK_NESTING) ' +
      'on a kernel that is otherwise !RT (irq handlers not threaded, irqsave disabling irqs); --kernel-config PREEMPT_RT implies it. ' +
      'A trylock is never rejected.',
    covers: ['LOCKDEP-6'],
    citations: [
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'check_wait_context' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'task_wait_context', note: 'hard irq LD_WAIT_SPIN or, threaded, LD_WAIT_CONFIG; softirq LD_WAIT_CONFIG' },
      { kind: 'kernel', file: 'include/linux/lockdep_types.h', symbol: 'lockdep_wait_type' },
      { kind: 'kernel', file: 'kernel/rcu/update.c', symbol: 'rcu_lock_map', note: 'wait_type_outer LD_WAIT_FREE, wait_type_inner LD_WAIT_CONFIG' },
      { kind: 'doc', file: 'Documentation/locking/locktypes.rst', section: 'Lock types and their rules' },
    ],
    messages: {
      wait: 'invalid wait context: {{thread}} takes {{lock}} ({{outer}}) with {{api}} where {{held}} allows only {{inner}}',
    },
    options: [
      {
        key: 'lockdep.preempt-rt',
        summary: 'Judge wait types as a CONFIG_PREEMPT_RT kernel (CONFIG_PROVE_RAW_LOCK_NESTING) does? Only the wait types: --kernel-config PREEMPT_RT selects the whole RT semantics and implies this.',
        default: 'off',
        values: [
          { value: 'off', summary: 'spinlock_t spins: LD_WAIT_CONFIG counts as LD_WAIT_SPIN (include/linux/lockdep_types.h without CONFIG_PROVE_RAW_LOCK_NESTING).' },
          {
            value: 'on',
            summary: 'spinlock_t and rwlock_t sleep (PREEMPT_RT): they may not nest inside a raw_spinlock_t.',
            citation: { kind: 'doc', file: 'Documentation/locking/locktypes.rst', section: 'raw_spinlock_t on RT' },
          },
        ],
      },
    ],
  },
  checks: [{ kind: 'lockdep-report', id: 'wait', report: 'invalid-wait-context' }],
});
