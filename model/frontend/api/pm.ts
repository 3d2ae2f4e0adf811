/**
 * Runtime PM (#13 item 8): a device's dev_pm_ops runtime callbacks and the
 * pm_runtime_* calls that run them (drivers/base/power/runtime.c,
 * include/linux/pm_runtime.h).
 *
 * `const dev = dev_pm_ops({ runtime_resume, runtime_suspend, runtime_idle? })`
 * declares the device. Its spinlock `dev->power.lock` (one lockdep class
 * for every device: device_pm_init_common() spin_lock_init) is the
 * instance `dev.power.lock`; the work item `dev->power.work` that pm_wq
 * runs for an asynchronous request (pm_runtime_work) is `dev.power.work`,
 * whose handler is runtime_suspend.
 *
 * - Synchronous calls (pm_runtime_get_sync, pm_runtime_resume_and_get,
 *   pm_runtime_resume, pm_runtime_put_sync, pm_runtime_put_sync_suspend,
 *   pm_runtime_suspend, pm_runtime_idle): spin_lock_irqsave(power.lock),
 *   then rpm_resume / rpm_idle / rpm_suspend, which may run the callback
 *   inline after dropping the lock (__rpm_callback): the op `pm_runtime`.
 * - Asynchronous ones (pm_runtime_put, pm_runtime_put_autosuspend): the
 *   request is queued on pm_wq (rpm_idle/rpm_suspend with RPM_ASYNC:
 *   queue_work(pm_wq, &dev->power.work)), so runtime_suspend runs later in
 *   a kworker. The autosuspend timer is folded into the queueing.
 * - pm_runtime_get_noresume / pm_runtime_put_noidle only count.
 */

import type { ts } from 'ts-morph';
import type { InstanceId, Op, ProcId } from '../../ir.js';
import { options } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

/** The lockdep class of dev->power.lock: one static key for every device. */
export const POWER_LOCK_CLASS = '&dev->power.lock';

const CALLBACKS = ['runtime_resume', 'runtime_suspend', 'runtime_idle'] as const;

/** `const dev = dev_pm_ops({ runtime_resume, runtime_suspend, runtime_idle? })`. */
export function constructPmDevice(cx: ExtractContext, name: string, d: ts.VariableDeclaration, call: ts.CallExpression): void {
  const arg = call.arguments[0];
  if (!arg) cx.fail('LMC202', 'dev_pm_ops expects an options object { runtime_resume, runtime_suspend, runtime_idle? }', call, `write \`const ${name} = dev_pm_ops({ runtime_resume: my_resume, runtime_suspend: my_suspend });\``);
  const fns = new Map<string, { fn: string; node: ts.Node }>();
  for (const [k, v] of options(cx, arg, [...CALLBACKS], 'dev_pm_ops')) {
    if (typeof v === 'boolean') cx.fail('LMC202', `dev_pm_ops: option '${k}' must name a function`, arg, `write \`dev_pm_ops({ ${k}: my_${k} })\``);
    fns.set(k, v);
  }
  if (!fns.has('runtime_resume') && !fns.has('runtime_suspend')) {
    cx.fail('LMC202', 'dev_pm_ops names no runtime_resume nor runtime_suspend', arg, 'write `dev_pm_ops({ runtime_resume: my_resume, runtime_suspend: my_suspend })`');
  }
  const rpmProc = (k: string): ProcId | undefined => {
    const f = fns.get(k);
    return f === undefined ? undefined : cx.requestProc(f.fn, 'rpm_callback', f.node);
  };
  const lock = cx.addInstance({ name: `${name}.power.lock`, kind: 'spinlock', lockClass: POWER_LOCK_CLASS }, d.name);
  const id = cx.addInstance({ name, kind: 'pm_device' }, d.name);
  const resume = rpmProc('runtime_resume');
  const suspend = rpmProc('runtime_suspend');
  const idle = rpmProc('runtime_idle');
  // dev->power.work exists for every device; without a runtime_suspend it runs nothing.
  const work = cx.addInstance({ name: `${name}.power.work`, kind: 'work' }, d.name);
  const s = fns.get('runtime_suspend');
  if (s !== undefined) {
    const wp = cx.requestProc(s.fn, 'work', s.node);
    if (wp !== undefined) cx.instances[work]!.proc = wp;
  }
  const inst = cx.instances[id]!;
  if (resume !== undefined) inst.proc = resume;
  inst.rpm = { lock, work, ...(suspend !== undefined ? { suspend } : {}), ...(idle !== undefined ? { idle } : {}) };
  cx.global.set(name, { kind: 'instance', id });
}

type Transition = 'resume' | 'idle' | 'suspend';

/** What each synchronous call may run (rpm_idle falls through to rpm_suspend when ->runtime_idle returns 0). */
const SYNC: Readonly<Record<string, Transition>> = {
  pm_runtime_get_sync: 'resume',
  pm_runtime_resume_and_get: 'resume',
  pm_runtime_resume: 'resume',
  pm_runtime_put_sync: 'idle',
  pm_runtime_idle: 'idle',
  pm_runtime_put_sync_suspend: 'suspend',
  pm_runtime_suspend: 'suspend',
};

function callbacksOf(cx: ExtractContext, dev: InstanceId, t: Transition): ProcId[] {
  const i = cx.instances[dev]!;
  const r = i.rpm;
  if (t === 'resume') return i.proc === undefined ? [] : [i.proc];
  const out: ProcId[] = [];
  if (t === 'idle' && r?.idle !== undefined) out.push(r.idle);
  if (r?.suspend !== undefined) out.push(r.suspend);
  return out;
}

/** spin_lock_irqsave(&dev->power.lock) ... spin_unlock_irqrestore around the state check (__pm_runtime_resume etc.). */
function powerLock(api: string, lock: InstanceId): { op: Op }[] {
  return [
    { op: { kind: 'lock', api, lock, mode: 'write', trylock: false, irqsave: true } },
    { op: { kind: 'unlock', api, lock, irqrestore: true } },
  ];
}

function pmRuntime(cx: ExtractContext, c: ApiCall): Lowered {
  const dev = c.inst(0);
  const lock = cx.instances[dev]!.rpm!.lock;
  const t = SYNC[c.name];
  if (t !== undefined) return { pre: powerLock(c.name, lock), op: { kind: 'pm_runtime', api: c.name, dev, callbacks: callbacksOf(cx, dev, t) } };
  if (c.name === 'pm_runtime_put' || c.name === 'pm_runtime_put_autosuspend') {
    return { pre: powerLock(c.name, lock), op: { kind: 'queue_work', api: c.name, work: cx.instances[dev]!.rpm!.work } };
  }
  // pm_runtime_get_noresume / pm_runtime_put_noidle: atomic counter updates, no lock, no callback.
  return { op: { kind: 'pm_runtime', api: c.name, dev, callbacks: [] } };
}

/** Lowerings chosen by API name (one op kind, several behaviours). */
export const PM_LOWERINGS: Readonly<Record<string, Lowering>> = Object.fromEntries(
  ['pm_runtime_get_sync', 'pm_runtime_resume_and_get', 'pm_runtime_resume', 'pm_runtime_put_sync', 'pm_runtime_idle', 'pm_runtime_put_sync_suspend', 'pm_runtime_suspend', 'pm_runtime_put', 'pm_runtime_put_autosuspend', 'pm_runtime_get_noresume', 'pm_runtime_put_noidle'].map((n) => [n, pmRuntime]),
);
