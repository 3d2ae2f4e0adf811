/**
 * Completion hardware and the DRM GPU scheduler (#13 items 3 and 4).
 *
 * State, per instance:
 *   - `hardware`: `hw.<name>` HW_IDLE / HW_KICKED / HW_HUNG. hw_submit()
 *     kicks the engine (a hung engine stays hung); its completion irq may
 *     fire only while kicked, and firing clears the kick. While kicked the
 *     irq is owed: a state where it could still fire (or hang) is not
 *     terminal (compile.ts makeSystemThreads), which is the fairness the
 *     kernel's "the hardware raises its end-of-pipe interrupt" gives.
 *   - `drm_sched`: `sched.<name>` (the job was pushed) and `deps.<name>`
 *     (which of its dependencies were added). run_job starts once the job
 *     was pushed and every added dependency signalled
 *     (sched_main.c drm_sched_job_add_dependency(), drm_sched_entity_pop_job()
 *     skipping a job while drm_sched_job_dependency() returns a fence);
 *     timedout_job starts once run_job started and the job's fence is
 *     published but unsignalled (drm_sched_job_begin() arms the timeout,
 *     drm_sched_job_timedout() runs ops->timedout_job). Checked against
 *     sched_main.c: drm_sched_run_job_work() calls drm_sched_job_begin()
 *     (list_add_tail to pending_list, then drm_sched_start_timeout() under
 *     job_list_lock) just before ops->run_job(), so the TDR is armed as
 *     run_job starts. Matthew Brost's "drm/sched: Submit job before
 *     starting TDR" (Aug 2023), which would arm it after run_job returns,
 *     is a posted patch; the mainline run_job work still begins the job
 *     first. Either way timedout_job can only run after run_job started.
 */

import type { DriverModel, InstanceId, Op } from '../../../model/ir.js';
import type { CompileContext } from '../context.js';
import { FENCE_PUBLISHED, FENCE_SIGNALLED } from '../context.js';
import { FALSE, TRUE, and, bitor, cnst, eq, ite, not, or, vr } from '../expr.js';
import type { BoolExpr, VarId } from '../system.js';
import type { OpOf, OpSite } from './site.js';

export const HW_IDLE = 0;
export const HW_KICKED = 1;
export const HW_HUNG = 2;

interface SchedVars {
  hw: Map<InstanceId, VarId>;
  pushed: Map<InstanceId, VarId>;
  /** The scheduler's job dependencies, in bit order. */
  deps: Map<InstanceId, { v: VarId; fences: InstanceId[] }>;
}

const VARS = new WeakMap<CompileContext, SchedVars>();

function vars(ctx: CompileContext): SchedVars {
  let s = VARS.get(ctx);
  if (!s) {
    s = { hw: new Map(), pushed: new Map(), deps: new Map() };
    VARS.set(ctx, s);
  }
  return s;
}

/** The variables of every hardware and scheduler instance, in model order. */
export function makeSchedVars(ctx: CompileContext, m: DriverModel): void {
  const s = vars(ctx);
  for (const i of m.instances) {
    if (i.kind === 'hardware') {
      s.hw.set(i.id, ctx.addVar(`hw.${i.name}`, i.mayHang ? HW_HUNG : HW_KICKED, HW_IDLE, { kind: 'hw-engine', instance: i.id }));
    } else if (i.kind === 'drm_sched' && i.job !== undefined) {
      s.pushed.set(i.id, ctx.addVar(`sched.${i.name}`, 1, 0, { kind: 'sched-pushed', instance: i.id }));
      const fences: InstanceId[] = [];
      for (const p of m.procs) {
        for (const n of p.nodes) {
          if (n.kind === 'op' && n.op.kind === 'sched_add_dependency' && n.op.job === i.job && !fences.includes(n.op.fence)) fences.push(n.op.fence);
        }
      }
      if (fences.length > 0) {
        const v = ctx.addVar(`deps.${i.name}`, 2 ** fences.length - 1, 0, { kind: 'sched-deps', instance: i.id });
        s.deps.set(i.id, { v, fences });
      }
    }
  }
}

/** The engine variable of a hardware instance. */
export function hwVar(ctx: CompileContext, hw: InstanceId): VarId | undefined {
  return vars(ctx).hw.get(hw);
}

/** The scheduler that runs the job whose finished fence is `job`. */
function schedOfJob(ctx: CompileContext, job: InstanceId): InstanceId | undefined {
  return ctx.model.instances.find((i) => i.kind === 'drm_sched' && i.job === job)?.id;
}

/** run_job may start: the job was pushed and every dependency added so far signalled. */
export function runJobReady(ctx: CompileContext, sched: InstanceId): BoolExpr {
  const s = vars(ctx);
  const pushed = s.pushed.get(sched);
  if (pushed === undefined) return FALSE;
  const deps = s.deps.get(sched);
  const waits = (deps?.fences ?? []).map((f, i) => or(not({ k: 'bit', a: vr(deps!.v), bit: i }), ctx.fenceIs(f, FENCE_SIGNALLED)));
  return and(eq(vr(pushed), cnst(1)), ...waits);
}

/** timedout_job may start: run_job started (`runJobStarted`) and the job's fence is still unsignalled. */
export function timeoutReady(ctx: CompileContext, sched: InstanceId, runJobStarted: BoolExpr): BoolExpr {
  const job = ctx.model.instances[sched]?.job;
  if (job === undefined) return FALSE;
  return and(runJobStarted, ctx.fenceIs(job, FENCE_PUBLISHED));
}

export function emitSchedOp(site: OpSite<OpOf<'hw_submit' | 'sched_add_dependency' | 'sched_push'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const s = vars(ctx);
  switch (op.kind) {
    case 'hw_submit': {
      const v = s.hw.get(op.hw);
      site.emit('ok', TRUE, v === undefined ? [] : [{ v, e: ite(eq(vr(v), cnst(HW_HUNG)), cnst(HW_HUNG), cnst(HW_KICKED)) }]);
      return;
    }
    case 'sched_push': {
      const v = s.pushed.get(op.sched);
      site.emit('ok', TRUE, v === undefined ? [] : [{ v, e: cnst(1) }]);
      return;
    }
    case 'sched_add_dependency': {
      const sched = schedOfJob(ctx, op.job);
      const deps = sched === undefined ? undefined : s.deps.get(sched);
      const bit = deps?.fences.indexOf(op.fence) ?? -1;
      site.emit('ok', TRUE, deps === undefined || bit < 0 ? [] : [{ v: deps.v, e: bitor(vr(deps.v), cnst(1 << bit)) }]);
      return;
    }
  }
}

/** Ops of this family (for the compiler's dispatch). */
export function isSchedOp(op: Op): op is OpOf<'hw_submit' | 'sched_add_dependency' | 'sched_push'> {
  return op.kind === 'hw_submit' || op.kind === 'sched_add_dependency' || op.kind === 'sched_push';
}

