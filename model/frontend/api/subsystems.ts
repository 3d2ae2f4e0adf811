/**
 * Kernel subsystems whose locks are global: the caller names no lock, the
 * call takes one the kernel owns. Each such lock is an instance the front
 * end creates on first use, under the lockdep class the kernel gives it,
 * so it joins the lock graph and can deadlock in an interleaving like a
 * model's own lock:
 *
 * - console_lock() / console_trylock() / console_unlock(): the console
 *   semaphore, which lockdep tracks as the map `console_lock`
 *   (kernel/printk/printk.c down_console_sem(), console_lock_dep_map).
 * - cpus_read_lock() / cpus_write_lock() and unlocks: the percpu rwsem
 *   `cpu_hotplug_lock` (kernel/cpu.c, include/linux/percpu-rwsem.h).
 * - clk_prepare(clk) / clk_unprepare / clk_prepare_enable /
 *   clk_disable_unprepare: the global mutex `prepare_lock`
 *   (drivers/clk/clk.c clk_prepare_lock()), held across the provider's
 *   .prepare op and clk_pm_runtime_get(), which may allocate and resume
 *   the provider's device; enabling takes the spinlock `enable_lock`
 *   with irqs off (clk_enable_lock()).
 * - dev_pm_qos_add_request / dev_pm_qos_update_request /
 *   dev_pm_qos_remove_request: the global mutex `dev_pm_qos_mtx`
 *   (drivers/base/power/qos.c). Adding the first request of a device
 *   allocates its constraints with GFP_KERNEL: under dev_pm_qos_mtx up to
 *   v6.6, before taking it from v6.7 ("PM / QoS: Fix constraints alloc vs
 *   reclaim locking", Rob Clark, 2023), so on LTS kernels a request added
 *   under a lock reclaim needs is a cycle. Checked against the patch (v5
 *   03/11 of "drm/msm+PM+icc: Make job_run() reclaim-safe", 2023-08-22,
 *   Acked-by Rafael J. Wysocki): dev_pm_qos_add_request() calls
 *   dev_pm_qos_constraints_allocate() before mutex_lock(&dev_pm_qos_mtx)
 *   and only publishes the result under it (dev_pm_qos_constraints_set());
 *   the lockdep splat it fixes is the GFP_KERNEL kzalloc in
 *   dev_pm_qos_constraints_allocate() under the mutex. The v6.7 release
 *   it landed in is not confirmed from a tree (the sources at hand are the
 *   list postings): if it landed later, PM_QOS_ALLOC_MOVED moves with it.
 */

import type { Instance, InstanceId, KernelRange, LockMode, Op } from '../../ir.js';
import { gfpMaskOf } from '../../vocabulary.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

interface GlobalLock {
  name: string;
  kind: Extract<Instance['kind'], 'mutex' | 'rwsem' | 'spinlock'>;
}

const CONSOLE_SEM: GlobalLock = { name: 'console_lock', kind: 'mutex' };
const CPU_HOTPLUG_LOCK: GlobalLock = { name: 'cpu_hotplug_lock', kind: 'rwsem' };
const PREPARE_LOCK: GlobalLock = { name: 'prepare_lock', kind: 'mutex' };
const ENABLE_LOCK: GlobalLock = { name: 'enable_lock', kind: 'spinlock' };
const DEV_PM_QOS_MTX: GlobalLock = { name: 'dev_pm_qos_mtx', kind: 'mutex' };

/** The release of dev_pm_qos_mtx-held allocation (drivers/base/power/qos.c __dev_pm_qos_add_request). */
const PM_QOS_ALLOC_MOVED = 'v6.7';

const globals = new WeakMap<ExtractContext, Map<string, InstanceId>>();

/** The kernel's global lock, created once per model on first use. */
function globalLock(cx: ExtractContext, g: GlobalLock): InstanceId {
  let m = globals.get(cx);
  if (!m) globals.set(cx, (m = new Map()));
  let id = m.get(g.name);
  if (id === undefined) {
    id = cx.addInstance({ name: g.name, kind: g.kind, lockClass: g.name }, undefined);
    m.set(g.name, id);
  }
  return id;
}

const lockOp = (api: string, lock: InstanceId, mode: LockMode, more: Partial<Extract<Op, { kind: 'lock' }>> = {}): Op => ({ kind: 'lock', api, lock, mode, trylock: false, ...more });
const unlockOp = (api: string, lock: InstanceId, more: Partial<Extract<Op, { kind: 'unlock' }>> = {}): Op => ({ kind: 'unlock', api, lock, ...more });
const gfpKernel = (api: string): Op => ({ kind: 'alloc', api, gfp: gfpMaskOf(['GFP_KERNEL'], 'GFP_KERNEL') });
const step = (op: Op, kernel?: KernelRange): { op: Op; kernel?: KernelRange } => (kernel ? { op, kernel } : { op });

/** A call that takes a global lock and returns with it held (or drops one). */
function takes(g: GlobalLock, mode: LockMode, trylock = false): Lowering {
  return (cx, c) => {
    c.ignoreFrom(0);
    return { op: { kind: 'lock', api: c.name, lock: globalLock(cx, g), mode, trylock } };
  };
}

function drops(g: GlobalLock): Lowering {
  return (cx, c) => {
    c.ignoreFrom(0);
    return { op: unlockOp(c.name, globalLock(cx, g)) };
  };
}

/** clk_prepare(clk): prepare_lock around the provider's .prepare, which may allocate. */
function clkPrepare(cx: ExtractContext, c: ApiCall): Lowered {
  c.ignoreFrom(0);
  const l = globalLock(cx, PREPARE_LOCK);
  const pre = [step(lockOp(c.name, l, 'write')), step(gfpKernel(c.name))];
  if (c.name === 'clk_prepare') return { pre, op: unlockOp(c.name, l) };
  // clk_prepare_enable: then clk_enable() under enable_lock with irqs off.
  const e = globalLock(cx, ENABLE_LOCK);
  return { pre: [...pre, step(unlockOp(c.name, l)), step(lockOp(c.name, e, 'write', { irqsave: true }))], op: unlockOp(c.name, e, { irqrestore: true }) };
}

/** clk_unprepare(clk) / clk_disable_unprepare(clk): (enable_lock, then) prepare_lock. */
function clkUnprepare(cx: ExtractContext, c: ApiCall): Lowered {
  c.ignoreFrom(0);
  const l = globalLock(cx, PREPARE_LOCK);
  const pre: { op: Op }[] = [];
  if (c.name === 'clk_disable_unprepare') {
    const e = globalLock(cx, ENABLE_LOCK);
    pre.push(step(lockOp(c.name, e, 'write', { irqsave: true })), step(unlockOp(c.name, e, { irqrestore: true })));
  }
  return { pre: [...pre, step(lockOp(c.name, l, 'write'))], op: unlockOp(c.name, l) };
}

/** dev_pm_qos_add_request: the device's constraints are allocated under dev_pm_qos_mtx before v6.7, before it since. */
function pmQosAdd(cx: ExtractContext, c: ApiCall): Lowered {
  c.ignoreFrom(0);
  const l = globalLock(cx, DEV_PM_QOS_MTX);
  return {
    pre: [
      step(gfpKernel(c.name), { since: PM_QOS_ALLOC_MOVED }),
      step(lockOp(c.name, l, 'write')),
      step(gfpKernel(c.name), { before: PM_QOS_ALLOC_MOVED }),
    ],
    op: unlockOp(c.name, l),
  };
}

/** dev_pm_qos_update_request / _remove_request: under dev_pm_qos_mtx. */
function pmQosLocked(cx: ExtractContext, c: ApiCall): Lowered {
  c.ignoreFrom(0);
  const l = globalLock(cx, DEV_PM_QOS_MTX);
  return { pre: [step(lockOp(c.name, l, 'write'))], op: unlockOp(c.name, l) };
}

/** Lowerings chosen by API name (they name no lock argument), ahead of the op kind's. */
export const SUBSYSTEM_LOWERINGS: Readonly<Record<string, Lowering>> = {
  console_lock: takes(CONSOLE_SEM, 'write'),
  console_trylock: takes(CONSOLE_SEM, 'write', true),
  console_unlock: drops(CONSOLE_SEM),
  cpus_read_lock: takes(CPU_HOTPLUG_LOCK, 'read'),
  cpus_read_unlock: drops(CPU_HOTPLUG_LOCK),
  cpus_write_lock: takes(CPU_HOTPLUG_LOCK, 'write'),
  cpus_write_unlock: drops(CPU_HOTPLUG_LOCK),
  clk_prepare: clkPrepare,
  clk_prepare_enable: clkPrepare,
  clk_unprepare: clkUnprepare,
  clk_disable_unprepare: clkUnprepare,
  dev_pm_qos_add_request: pmQosAdd,
  dev_pm_qos_update_request: pmQosLocked,
  dev_pm_qos_remove_request: pmQosLocked,
};
