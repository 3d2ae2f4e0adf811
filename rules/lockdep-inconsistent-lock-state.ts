/**
 * Lockdep's "inconsistent lock state": one lock class used in an
 * interrupt context and also taken with that interrupt enabled.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-inconsistent-lock-state',
    family: 'lockdep',
    severity: 'error',
    summary: 'A lock class taken in hard-irq (softirq) context must never be taken with hard irqs (softirqs) enabled, unless both uses are reads.',
    rationale:
      'If a task holds the lock with interrupts enabled and the interrupt arrives on the same CPU, the handler spins on a lock its own CPU ' +
      'holds and never returns to release it. lockdep records, per class, the usage states {IN-HARDIRQ-W}, {HARDIRQ-ON-W} and their ' +
      'read and SOFTIRQ variants from every acquisition it sees, and reports the class as soon as it carries two exclusive states, ' +
      'whether or not an interrupt ever hit the window. lockmc computes the same states over every path of the model: hard-irq handlers ' +
      '(request_irq), softirq handlers (open_softirq, tasklets, timers), spin_lock_irq*/spin_lock_bh and local_irq_disable/local_bh_disable ' +
      'regions. A trylock marks no IN state; two read uses do not conflict. The fix is the _irqsave (_bh) variant in process context.',
    covers: ['LOCKDEP-6'],
    citations: [
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'mark_usage', note: 'IN-<irq> in interrupt context (not for trylocks), <irq>-ON with the interrupt enabled' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'mark_lock_irq', note: 'valid_state() against exclusive_bit(): print_usage_bug()' },
      { kind: 'kernel', file: 'include/linux/lockdep_states.h', note: 'LOCKDEP_STATE(HARDIRQ), LOCKDEP_STATE(SOFTIRQ)' },
      { kind: 'doc', file: 'Documentation/locking/lockdep-design.rst', section: 'Single-lock state rules' },
    ],
    messages: {
      hardirq: 'inconsistent {{safe}} -> {{unsafe}} usage: {{lock}} is taken in hard-irq context and by {{thread}} with hard irqs enabled ({{api}})',
      softirq: 'inconsistent {{safe}} -> {{unsafe}} usage: {{lock}} is taken in softirq context and by {{thread}} with softirqs enabled ({{api}})',
    },
  },
  checks: [
    { kind: 'lockdep-report', id: 'hardirq', report: 'inconsistent-lock-state', irq: 'HARDIRQ' },
    { kind: 'lockdep-report', id: 'softirq', report: 'inconsistent-lock-state', irq: 'SOFTIRQ' },
  ],
});
