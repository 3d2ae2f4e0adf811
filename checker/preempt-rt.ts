/**
 * The model as a CONFIG_PREEMPT_RT kernel runs it (model/kernel-config.ts).
 * One transform, read by the lock graph and by the semantics alike, so the
 * two cannot disagree about what RT changes:
 *
 * - `spin_lock_irqsave` / `spin_lock_irq` (and the rwlock_t variants) on a
 *   spinlock_t or rwlock_t leave interrupts enabled: on RT they map to
 *   rt_spin_lock() / rt_read_lock() and the flags are a dummy
 *   (include/linux/spinlock_rt.h spin_lock_irqsave: `flags = 0`). The
 *   `raw_spin_*` variants still disable interrupts.
 * - request_irq() handlers are force-threaded (kernel/irq/manage.c
 *   irq_setup_forced_threading(): `force_irqthreads()` is always true on
 *   RT) unless registered with IRQF_NO_THREAD: they run in a kthread, as a
 *   task with irqs on, so they neither preempt a thread nor mark lockdep's
 *   IN-HARDIRQ usage (kernel/irq/manage.c irq_thread_fn; lockdep sees
 *   `lockdep_hardirq_threaded()` only for the wait context).
 *
 * What stays in the lock graph's wait-type rule (lockdep.ts
 * checkWaitContext): spinlock_t's LD_WAIT_CONFIG is its own wait type
 * (CONFIG_PROVE_RAW_LOCK_NESTING, which RT implies).
 */

import type { DriverModel, Node, Op } from '../model/ir.js';

export function preemptRtModel(model: DriverModel): DriverModel {
  const sleeping = new Set(model.instances.filter((i) => (i.kind === 'spinlock' && !i.raw) || i.kind === 'rwlock').map((i) => i.id));
  const op = (o: Op): Op => {
    if (o.kind === 'lock' && o.irqsave && sleeping.has(o.lock)) {
      const { irqsave: _i, ...rest } = o;
      return rest;
    }
    if (o.kind === 'unlock' && o.irqrestore && sleeping.has(o.lock)) {
      const { irqrestore: _i, ...rest } = o;
      return rest;
    }
    return o;
  };
  const node = (n: Node): Node => (n.kind === 'op' && n.op ? { ...n, op: op(n.op) } : n);
  return {
    ...model,
    procs: model.procs.map((p) => ({ ...p, nodes: p.nodes.map(node) })),
    registrations: model.registrations.map((r) => (r.role === 'irq' && !r.noThread ? { ...r, threaded: true } : r)),
  };
}
