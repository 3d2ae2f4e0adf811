/**
 * Kernel configuration switches that change locking semantics, named as
 * the kernel's Kconfig spells them without the CONFIG_ prefix. Selected by
 * `--kernel-config`, the config file's `kernelConfig` or a model's
 * `@kernel-config` header tag; the checker validates the names (LMC329)
 * and the lock graph and the semantics read the resolved set.
 *
 * PREEMPT_RT (kernel/Kconfig.preempt; Documentation/locking/locktypes.rst):
 * spinlock_t and rwlock_t become rtmutex-based sleeping locks
 * (include/linux/spinlock_rt.h), so lockdep's LD_WAIT_CONFIG resolves to
 * LD_WAIT_SLEEP (include/linux/lockdep_types.h); spin_lock_irqsave() does
 * not disable interrupts; request_irq() handlers are force-threaded
 * (kernel/irq/manage.c irq_setup_forced_threading(), forced on RT by
 * `force_irqthreads()`) unless registered with IRQF_NO_THREAD; local_lock_t
 * is a per-CPU spinlock_t (include/linux/local_lock_internal.h).
 */

export const KERNEL_CONFIGS = ['PREEMPT_RT'] as const;
export type KernelConfig = (typeof KERNEL_CONFIGS)[number];

export function isKernelConfig(name: string): name is KernelConfig {
  return (KERNEL_CONFIGS as readonly string[]).includes(name);
}

/** Split `PREEMPT_RT,FOO` / `CONFIG_PREEMPT_RT` into names (the CONFIG_ prefix is accepted and dropped). */
export function splitKernelConfig(words: readonly string[]): string[] {
  return words
    .flatMap((w) => w.split(','))
    .map((w) => w.trim())
    .filter((w) => w !== '')
    .map((w) => w.replace(/^CONFIG_/, ''));
}

/** Sorted, without duplicates: the spelling reports, cache keys and replay lines use. */
export function normaliseKernelConfig(names: readonly string[]): string[] {
  return [...new Set(names)].sort();
}
