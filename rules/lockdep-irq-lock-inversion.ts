/**
 * Lockdep's "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" (and the
 * SOFTIRQ variant): an irq-safe lock ordered before an irq-unsafe one.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'lockdep-irq-lock-inversion',
    family: 'lockdep',
    severity: 'error',
    summary: 'A lock class used in hard-irq (softirq) context must not be held while taking a class that is taken with hard irqs (softirqs) enabled.',
    rationale:
      'Let S be taken in an interrupt handler (irq-safe) and U be taken somewhere with that interrupt enabled (irq-unsafe). If any path ' +
      'takes U while holding S (directly or through a chain of locks), then: CPU0 holds U with interrupts on; CPU1 holds S and waits ' +
      'for U; the interrupt arrives on CPU0 and its handler waits for S. Nobody can proceed. lockdep checks every new dependency ' +
      'against the usage states of the locks before and after it (check_irq_usage) and reports the safe -> unsafe order without ' +
      'needing the interrupt to arrive. lockmc checks the final dependency graph of every path the same way, reads included ' +
      '(only a read-safe against a read-unsafe use is harmless).',
    covers: ['LOCKDEP-6'],
    citations: [
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'check_irq_usage', note: 'backward search for irq-safe, forward search for irq-unsafe usage' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'print_bad_irq_dependency' },
      { kind: 'kernel', file: 'kernel/locking/lockdep.c', symbol: 'exclusive_mask' },
      { kind: 'doc', file: 'Documentation/locking/lockdep-design.rst', section: 'Multi-lock dependency rules' },
    ],
    messages: {
      hardirq: 'HARDIRQ-safe -> HARDIRQ-unsafe lock order: {{held}} {{safe}} is held while {{thread}} takes {{lock}} {{unsafe}} via {{chain}}',
      softirq: 'SOFTIRQ-safe -> SOFTIRQ-unsafe lock order: {{held}} {{safe}} is held while {{thread}} takes {{lock}} {{unsafe}} via {{chain}}',
    },
  },
  checks: [
    { kind: 'lockdep-report', id: 'hardirq', report: 'irq-lock-inversion', irq: 'HARDIRQ' },
    { kind: 'lockdep-report', id: 'softirq', report: 'irq-lock-inversion', irq: 'SOFTIRQ' },
  ],
});
