/**
 * Completion hardware and the DRM GPU scheduler (#13 items 3 and 4).
 *
 * `hardware({ irq, may_hang })` is a device engine: `hw_submit(hw)` kicks
 * it and its completion irq then surely fires (unless `may_hang`).
 * `drm_gpu_scheduler({ run_job, timedout_job })` is a scheduler whose
 * run_job runs once the job pushed to it (`drm_sched_entity_push_job`) has
 * every dependency (`drm_sched_job_add_dependency`) signalled, and whose
 * timedout_job runs when the job's fence does not signal in time
 * (drivers/gpu/drm/scheduler/sched_main.c).
 */

import type { ts } from 'ts-morph';
import type { OpKind } from '../../ir.js';
import { options } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

/** The option keys of each constructor, and which of them name a function. */
const CTOR_OPTIONS: Record<'hardware' | 'drm_gpu_scheduler', { keys: string[]; fn: string[]; required: string }> = {
  hardware: { keys: ['irq', 'may_hang'], fn: ['irq'], required: 'irq' },
  drm_gpu_scheduler: { keys: ['run_job', 'timedout_job'], fn: ['run_job', 'timedout_job'], required: 'run_job' },
};

/**
 * `const hw = hardware({ irq, may_hang? })`: the engine and its completion
 * irq handler, registered as a hard-irq handler (as request_irq would).
 * `const sched = drm_gpu_scheduler({ run_job, timedout_job? })`: the
 * scheduler; its procs run as work items (since v6.8 run_job and the
 * timeout handler are work items: drm_sched_run_job_work, drm_sched_job_timedout).
 * Checked: commit a6149f039369 ("drm/sched: Convert drm scheduler to use a
 * work queue rather than kthread", Matthew Brost) is in v6.8-rc1; the
 * timeout was already a delayed work (sched->work_tdr) before it, and
 * free_job got its own work item in the same series ("drm/sched: Split
 * free_job into own work item").
 */
export function constructSched(cx: ExtractContext, name: string, d: ts.VariableDeclaration, call: ts.CallExpression, callee: 'hardware' | 'drm_gpu_scheduler'): void {
  const spec = CTOR_OPTIONS[callee];
  const arg = call.arguments[0];
  if (!arg) cx.fail('LMC202', `${callee} expects an options object { ${spec.keys.join(', ')} }`, call, `write \`const ${name} = ${callee}({ ${spec.required}: my_${spec.required} });\``);
  const fns = new Map<string, { fn: string; node: ts.Node }>();
  let mayHang = false;
  for (const [k, v] of options(cx, arg, spec.keys, callee)) {
    if (spec.fn.includes(k)) {
      if (typeof v === 'boolean') cx.fail('LMC202', `${callee}: option '${k}' must name a function`, arg, `write \`${callee}({ ${k}: my_${k} })\``);
      fns.set(k, v);
    } else {
      if (typeof v !== 'boolean') cx.fail('LMC202', `${callee}: option '${k}' must be true or false`, arg, `write \`${callee}({ ${spec.required}: my_${spec.required}, ${k}: true })\``);
      mayHang = v;
    }
  }
  const main = fns.get(spec.required);
  if (!main) cx.fail('LMC202', `${callee} names no ${spec.required} function`, arg, `write \`${callee}({ ${spec.required}: my_${spec.required} })\``);
  // The kernel runs these procs (as an irq, as work items): a model thread
  // running the same function would run it a second time, unordered.
  for (const [k, v] of fns) {
    if (cx.threads.some((t) => cx.procs[t.proc]!.name === v.fn)) {
      cx.fail('LMC202', `${callee}: ${k} '${v.fn}' is also a model thread`, v.node, `the kernel runs it: do not export '${v.fn}' nor list it in threads(...)`);
    }
  }
  if (callee === 'hardware') {
    const id = cx.addInstance({ name, kind: 'hardware', ...(mayHang ? { mayHang: true as const } : {}) }, d.name);
    const proc = cx.requestProc(main.fn, 'irq', main.node);
    if (proc !== undefined) {
      cx.instances[id]!.proc = proc;
      cx.registrations.push({ role: 'irq', proc, hardware: id });
    }
    cx.global.set(name, { kind: 'instance', id });
    return;
  }
  const id = cx.addInstance({ name, kind: 'drm_sched' }, d.name);
  const run = cx.requestProc(main.fn, 'work', main.node);
  if (run !== undefined) cx.instances[id]!.proc = run;
  const tdr = fns.get('timedout_job');
  if (tdr) {
    const p = cx.requestProc(tdr.fn, 'work', tdr.node);
    if (p !== undefined) cx.instances[id]!.timedout = p;
  }
  cx.global.set(name, { kind: 'instance', id });
}

/** The scheduler's procs run as work threads: run_job, then timedout_job. */
export function addSchedThreads(cx: ExtractContext): void {
  for (const inst of cx.instances) {
    if (inst.kind !== 'drm_sched') continue;
    for (const p of [inst.proc, inst.timedout]) {
      if (p === undefined) continue;
      const base = cx.procs[p]!.name;
      const same = cx.threads.filter((t) => t.proc === p).length;
      cx.threads.push({ id: cx.threads.length, name: same === 0 ? base : `${base}#${same + 1}`, proc: p, kind: 'work' });
    }
  }
}

function hwSubmit(_cx: ExtractContext, c: ApiCall): Lowered {
  return { op: { kind: 'hw_submit', api: c.name, hw: c.inst(0) } };
}

function addDependency(_cx: ExtractContext, c: ApiCall): Lowered {
  return { op: { kind: 'sched_add_dependency', api: c.name, job: c.inst(0), fence: c.inst(1) } };
}

/** A model pushes one job per scheduler: the scheduler's run_job is that job's. */
function pushJob(cx: ExtractContext, c: ApiCall): Lowered {
  const job = c.inst(0);
  const sched = c.inst(1);
  const s = cx.instances[sched]!;
  if (s.job !== undefined && s.job !== job) {
    cx.fail('LMC202', `drm_sched_entity_push_job: ${s.name} already runs the job of fence ${cx.instances[s.job]!.name}; a model pushes one job per scheduler`, c.call, 'declare a second drm_gpu_scheduler for the second job');
  }
  s.job = job;
  return { op: { kind: 'sched_push', api: c.name, job, sched } };
}

export const SCHED_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  hw_submit: hwSubmit,
  sched_add_dependency: addDependency,
  sched_push: pushJob,
};
