/**
 * Schedules → the human trace (report.ts `Trace`).
 *
 * A trace is always built by replaying the schedule on the reference
 * semantics (replay.ts); nothing here trusts an engine. Each transition
 * becomes a step with the thread, the kernel-style call
 * (`mutex_lock(notifier_lock)`, `dma_resv_lock(bo, ctx)` with outcome
 * `-EDEADLK`, `kmalloc(GFP_KERNEL)`), the pseudo-lock role, the source
 * location, the context chain and the locks the thread holds afterwards.
 *
 * Clutter rule: a synthetic *return* step (leaving reclaim, a callback
 * returning, an irq handler returning) that directly follows a step of the
 * same thread is merged into that step: its role is appended (`leave
 * reclaim`) and `held` shows the state after the return. Entering steps
 * stay separate, because they say where a callback was entered from. So a
 * trace can have fewer steps than its schedule; `violatingStep` is a trace
 * index.
 *
 * `held` lists locks in acquisition order as lockdep does, including the
 * pseudo-locks a context implies (`fs_reclaim` in reclaim entered with
 * __GFP_FS or kswapd, `mmu_notifier_invalidate_range_start` in a notifier,
 * `dma_fence_map` inside a signalling section or a fence callback) and live
 * ww acquire contexts.
 *
 * Here: replaying and cutting the schedule, one step per transition
 * (`StepWriter`), merging return steps. The operation texts are in
 * op-text.ts, the final state and what blocked threads wait for in
 * trace-state.ts.
 */

import type { DriverModel, InstanceId, Op, ProcId, SourceMap } from '../model/ir.js';
import type { SourceRef, ThreadInfo, Trace, TraceStep } from './report.js';
import type { Schedule, StepLabel, TransitionSystem, VarId } from './semantics/system.js';
import { prepare, type Evaluator } from './semantics/eval.js';
import { firesFrom } from './semantics/location.js';
import { MEMALLOC_NOFS, MEMALLOC_NOIO } from './semantics/context.js';
import { replay, type ReplayViolation } from './replay.js';
import { encodeSchedule } from './schedule-token.js';
import { nm, opRole, outcomeText, procName, renderOp } from './op-text.js';
import { finalStateOf } from './trace-state.js';

export { renderOp, stepText } from './op-text.js';

/** The schedule does not replay, or does not violate the property: an internal error. */
export class ReplayError extends Error {
  constructor(
    message: string,
    readonly step: number,
  ) {
    super(message);
    this.name = 'ReplayError';
  }
}

type Frame = StepLabel['contexts'][number];

/** Static views of a system the trace needs, built once per system. */
class SystemView {
  readonly pcVar: VarId[] = [];
  /** `byPc[thread][pc]`: transitions leaving that location. */
  readonly byPc: number[][][] = [];
  readonly ownerVar = new Map<InstanceId, VarId>();
  readonly readersVar = new Map<InstanceId, VarId>();
  readonly fenceVar = new Map<InstanceId, VarId>();
  readonly ctxVars: { v: VarId; instance: InstanceId }[] = [];
  readonly sigDepth = new Map<number, VarId>();
  readonly flags = new Map<number, VarId>();
  readonly irqHost = new Map<number, VarId>();

  constructor(
    readonly ts: TransitionSystem,
    readonly model: DriverModel,
  ) {
    for (const v of ts.vars) {
      const r = v.role;
      switch (r.kind) {
        case 'pc':
          this.pcVar[r.thread] = v.id;
          break;
        case 'lock-owner':
          this.ownerVar.set(r.instance, v.id);
          break;
        case 'lock-readers':
          this.readersVar.set(r.instance, v.id);
          break;
        case 'fence':
          this.fenceVar.set(r.instance, v.id);
          break;
        case 'ww-ctx':
          this.ctxVars.push({ v: v.id, instance: r.instance });
          break;
        case 'signalling-depth':
          this.sigDepth.set(r.thread, v.id);
          break;
        case 'thread-flags':
          this.flags.set(r.thread, v.id);
          break;
        default:
          break;
      }
    }
    for (const th of ts.threads) {
      if (th.kind !== 'irq' && th.kind !== 'softirq') continue;
      const v = ts.vars.find((x) => x.role.kind === 'irq-host' && x.role.irq === th.id);
      if (v) this.irqHost.set(th.id, v.id);
    }
    for (let t = 0; t < ts.threads.length; t++) {
      const pv = this.pcVar[t];
      const size = pv === undefined ? 0 : ts.vars[pv].max + 1;
      this.byPc.push(Array.from({ length: size }, () => []));
    }
    for (const tr of ts.transitions) {
      const pv = this.pcVar[tr.thread];
      const from = firesFrom(tr);
      if (pv !== undefined && from !== undefined && from.pcVar === pv) {
        this.byPc[tr.thread][from.pc]?.push(tr.id);
      }
    }
  }

  lockInstance(i: InstanceId): InstanceId {
    const inst = this.model.instances[i];
    return inst?.kind === 'dma_buf' && inst.resv !== undefined ? inst.resv : i;
  }

  threadName(t: number): string {
    return this.ts.threads[t]?.name ?? `T${t}`;
  }

  /** Transitions leaving thread `t`'s current location. */
  outOf(s: Uint32Array, t: number): number[] {
    const pv = this.pcVar[t];
    if (pv === undefined) return [];
    return this.byPc[t][s[pv]] ?? [];
  }

  /** Callback frames of thread `t`'s current location. */
  framesAt(s: Uint32Array, t: number): Frame[] {
    const out = this.outOf(s, t);
    if (out.length === 0) return [];
    const l = this.ts.transitions[out[0]].label;
    // Starting steps (from an idle or pending location) carry the frames
    // of the code they start, not of where the thread is.
    if (l.synthetic === 'kswapd-run' || l.synthetic === 'irq-fire' || l.synthetic === 'thread-start') return [];
    return l.contexts;
  }

  nodeOp(proc: ProcId, node: number): Op | undefined {
    const n = this.model.procs[proc]?.nodes[node];
    return n?.kind === 'op' ? n.op : undefined;
  }
}

interface HeldEntry {
  key: string;
  text: string;
}

interface RawStep {
  step: TraceStep;
  synthetic?: StepLabel['synthetic'];
}

/**
 * Build the trace of `schedule`. With `propertyIndex`, the schedule must
 * violate that property (else ReplayError) and is cut at the first
 * violation; without it, the whole schedule is rendered (`lockmc replay`).
 */
export function buildTrace(
  ts: TransitionSystem,
  model: DriverModel,
  sourceMap: SourceMap | undefined,
  schedule: Schedule,
  propertyIndex?: number,
  evaluator?: Evaluator,
): Trace {
  const ev = evaluator ?? prepare(ts);
  const { sched, states, violation } = replayCut(ts, schedule, propertyIndex, ev);
  const view = new SystemView(ts, model);
  const writer = new StepWriter(view, ev, sourceMap);
  const raw: RawStep[] = [];
  let prevThread: number | undefined;
  for (let i = 0; i < sched.length; i++) {
    raw.push(writer.step(sched[i], states[i], states[i + 1], prevThread));
    prevThread = ts.transitions[sched[i]].thread;
  }
  const { steps, traceIndexOfRaw } = mergeReturns(raw);

  const finalState = states[states.length - 1];
  const endsBlocked = violation === undefined || !isStepProperty(ts, violation.property);
  if (endsBlocked) for (const b of writer.blockedSteps(finalState)) steps.push({ ...b, index: steps.length + 1 });
  const trace: Trace = {
    threads: ts.threads.map((t): ThreadInfo => ({ id: t.id, name: t.name, kind: t.kind })),
    steps,
    schedule: encodeSchedule(ts, sched),
    preemptions: steps.filter((s) => s.preemption).length,
    final: finalStateOf(view, ev, finalState, writer.heldOrder, writer.ref),
  };
  if (violation && violation.step > 0 && isStepProperty(ts, violation.property)) trace.violatingStep = traceIndexOfRaw[violation.step - 1];
  return trace;
}

/** A property violated by a step (the trace marks it), rather than by the state a run ends in. */
function isStepProperty(ts: TransitionSystem, property: number): boolean {
  const p = ts.properties[property];
  return p !== undefined && p.kind !== 'terminal' && p.kind !== 'deadlock';
}

/** Replay `schedule`; with `propertyIndex`, check it violates that property and cut it at the violation. */
function replayCut(
  ts: TransitionSystem,
  schedule: Schedule,
  propertyIndex: number | undefined,
  ev: Evaluator,
): { sched: Schedule; states: Uint32Array[]; violation?: ReplayViolation } {
  const r = replay(ts, schedule, ev);
  if (!r.ok) throw new ReplayError(`schedule does not replay: ${r.reason}`, r.step);
  let violation: ReplayViolation | undefined;
  let cut = schedule.length;
  if (propertyIndex !== undefined) {
    violation = r.violations.find((v) => v.property === propertyIndex);
    if (!violation) {
      const p = ts.properties[propertyIndex];
      throw new ReplayError(
        `schedule replays but does not violate property ${propertyIndex}${p ? ` (${p.rule}/${p.check})` : ''}`,
        schedule.length,
      );
    }
    cut = violation.step;
  }
  return { sched: schedule.slice(0, cut), states: r.states.slice(0, cut + 1), ...(violation ? { violation } : {}) };
}

/** Merge return steps into the step before them (same thread, adjacent); `traceIndexOfRaw[i]`: the trace index schedule step i ended up in. */
function mergeReturns(raw: RawStep[]): { steps: TraceStep[]; traceIndexOfRaw: number[] } {
  const steps: TraceStep[] = [];
  const traceIndexOfRaw: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r0 = raw[i];
    const isReturn = r0.synthetic === 'leave-reclaim' || r0.synthetic === 'leave-callback' || r0.synthetic === 'irq-return';
    const prev = steps[steps.length - 1];
    if (isReturn && prev && prev.thread === r0.step.thread && i > 0 && raw[i - 1].step.thread === r0.step.thread) {
      prev.held = r0.step.held;
      prev.role = prev.role ? `${prev.role}; ${r0.step.role}` : r0.step.role;
      traceIndexOfRaw.push(steps.length);
      continue;
    }
    r0.step.index = steps.length + 1;
    steps.push(r0.step);
    traceIndexOfRaw.push(steps.length);
  }
  return { steps, traceIndexOfRaw };
}

/**
 * Turns one run's transitions into trace steps, in schedule order. It
 * keeps what the state variables alone do not say: which thread owns a
 * ww acquire context, whether a reclaim was entered with __GFP_FS, which
 * thread an irq landed on, and the order each thread took its locks in.
 */
class StepWriter {
  readonly ctxOwner = new Map<VarId, number>();
  readonly reclaimFs = new Map<string, boolean>();
  readonly irqHostOf = new Map<number, number>();

  /** A handler the PREEMPT_RT semantics force-threaded (checker/preempt-rt.ts): it runs on no host. */
  private threadedIrq(proc: number): boolean {
    if (this.threadFn(proc)) return true;
    if (!this.view.ts.semantics.preemptRt) return false;
    return this.view.model.registrations.some((r) => r.role === 'irq' && r.proc === proc && !r.noThread);
  }
  /** request_threaded_irq's thread_fn: an irq thread on every kernel. */
  private threadFn(proc: number): boolean {
    return this.view.model.registrations.some((r) => r.role === 'irq' && r.proc === proc && r.threadOf !== undefined);
  }
  readonly heldOrder: HeldEntry[][];
  private readonly ts: TransitionSystem;
  private readonly model: DriverModel;
  private readonly file: string;

  constructor(
    private readonly view: SystemView,
    private readonly ev: Evaluator,
    private readonly sourceMap: SourceMap | undefined,
  ) {
    this.ts = view.ts;
    this.model = view.model;
    this.file = sourceMap?.file ?? view.model.file;
    this.heldOrder = view.ts.threads.map(() => []);
  }

  readonly ref = (proc: ProcId, node: number): SourceRef | undefined => {
    const loc = this.sourceMap?.nodes[proc]?.[node];
    return loc ? { file: this.file, line: loc.line, col: loc.col } : undefined;
  };

  /** The call path of node `node` of `proc` when it was written in an inlined helper. */
  readonly via = (proc: ProcId, node: number): string[] | undefined => {
    const helpers = this.sourceMap?.via?.[proc]?.[node];
    return helpers && helpers.length > 0 ? [procName(this.model, proc), ...helpers] : undefined;
  };

  private short(proc: ProcId, node: number): string {
    const loc = this.sourceMap?.nodes[proc]?.[node];
    return loc ? `${this.file}:${loc.line}` : `${this.file}`;
  }

  private regText(p: ProcId): string {
    const { model } = this;
    const role = model.procs[p]?.role;
    if (role === 'shrinker') return `shrinker ${procName(model, p)}()`;
    if (role === 'mmu_notifier') return `mmu notifier ${procName(model, p)}()`;
    return procName(model, p);
  }

  /** The trace step of transition `tid`, taken by its thread from state `before` to `after`. */
  step(tid: number, before: Uint32Array, after: Uint32Array, prevThread: number | undefined): RawStep {
    const { ts, view, ev } = this;
    const tr = ts.transitions[tid];
    const t = tr.thread;
    const l = tr.label;
    this.track(tid, before, after);

    const preemption =
      prevThread !== undefined && prevThread !== t && !ev.threadDone(before, prevThread) && ev.threadCanMove(before, prevThread);

    const op = l.synthetic ? undefined : view.nodeOp(l.proc, l.node);
    const { opText, role } = this.describe(tid, after);

    for (let u = 0; u < ts.threads.length; u++) this.syncHeld(after, u);

    const step: TraceStep = {
      index: 0,
      thread: t,
      threadName: view.threadName(t),
      op: opText,
      context: l.contexts.map((f) => this.frameText(f, t)),
      held: this.heldOrder[t].map((h) => h.text),
      preemption,
    };
    if (l.outcome !== undefined && this.severalOutcomes(tid)) step.outcome = outcomeText(op, l.outcome);
    if (role) step.role = role;
    const at = this.ref(l.proc, l.node);
    if (at) step.at = at;
    const via = l.synthetic ? undefined : this.via(l.proc, l.node);
    if (via) step.via = via;
    return { step, synthetic: l.synthetic };
  }

  /**
   * One step per thread blocked in `s`: the operation it is stuck in, as a
   * step of its own, so a wait that never returns is numbered like every
   * other call (`blocks`). Threads in thread order; those blocked on no
   * operation of the model (an irq holding their CPU) have none.
   */
  blockedSteps(s: Uint32Array): TraceStep[] {
    const { ts, view, ev } = this;
    const out: TraceStep[] = [];
    for (let t = 0; t < ts.threads.length; t++) {
      if (ev.threadDone(s, t) || ev.threadCanMove(s, t)) continue;
      if (ts.threads[t].liveness === 'optional' && ev.threadNotStarted(s, t)) continue;
      // Interrupted, not waiting: the irq handler on its CPU is the one stuck.
      if ([...view.irqHost].some(([irq, hv]) => irq !== t && s[hv] === t + 1)) continue;
      const tid = view.outOf(s, t).find((x) => !ts.transitions[x].label.synthetic);
      if (tid === undefined) continue;
      const l = ts.transitions[tid].label;
      const op = view.nodeOp(l.proc, l.node);
      if (!op) continue;
      const at = this.ref(l.proc, l.node);
      const role = opRole(op, this.model);
      const via = this.via(l.proc, l.node);
      out.push({
        index: 0,
        thread: t,
        threadName: view.threadName(t),
        op: renderOp(op, this.model),
        ...(role ? { role } : {}),
        ...(at ? { at } : {}),
        ...(via ? { via } : {}),
        context: l.contexts.map((f) => this.frameText(f, t)),
        held: this.heldOrder[t].map((h) => h.text),
        preemption: false,
        blocks: true,
      });
    }
    return out;
  }

  /** Attribution of state that the variables alone do not say. */
  private track(tid: number, before: Uint32Array, after: Uint32Array): void {
    const { view } = this;
    const tr = this.ts.transitions[tid];
    const t = tr.thread;
    const l = tr.label;
    for (const c of view.ctxVars) {
      if (before[c.v] === 0 && after[c.v] !== 0) this.ctxOwner.set(c.v, t);
      if (after[c.v] === 0) this.ctxOwner.delete(c.v);
    }
    if (l.synthetic === 'enter-reclaim') {
      const op = view.nodeOp(l.proc, l.node);
      const fv = view.flags.get(t);
      const scoped = fv !== undefined && (((before[fv] >>> MEMALLOC_NOFS) & 1) === 1 || ((before[fv] >>> MEMALLOC_NOIO) & 1) === 1);
      const fs = op?.kind === 'alloc' && op.gfp.directReclaim && op.gfp.fs && !scoped;
      const inner = view.framesAt(after, t);
      const last = inner[inner.length - 1];
      if (last) this.reclaimFs.set(`${t}|${JSON.stringify(last)}`, fs);
    }
    if (l.synthetic === 'irq-fire') {
      const hv = view.irqHost.get(t);
      if (hv !== undefined && after[hv] > 0) this.irqHostOf.set(t, after[hv] - 1);
      else this.irqHostOf.delete(t); // a completion irq on a CPU no model thread occupies
    }
  }

  /** The step's operation text and pseudo-lock role. */
  private describe(tid: number, after: Uint32Array): { opText: string; role?: string } {
    const { view, model } = this;
    const tr = this.ts.transitions[tid];
    const t = tr.thread;
    const l = tr.label;
    switch (l.synthetic) {
      case 'enter-reclaim': {
        const a = view.nodeOp(l.proc, l.node);
        const inner = view.framesAt(after, t);
        const last = inner[inner.length - 1];
        // lockdep's view (mm/page_alloc.c fs_reclaim_acquire): the allocation
        // takes fs_reclaim when it may recurse into the filesystem, and only
        // the notifier it then runs takes mmu_notifier_invalidate_range_start.
        const fs = last ? this.reclaimFs.get(`${t}|${JSON.stringify(last)}`) === true : false;
        const parts = [fs ? 'enter reclaim, acquire fs_reclaim' : 'enter reclaim (no __GFP_FS: no fs_reclaim)'];
        if (last) {
          const notifier = model.procs[last.proc]?.role === 'mmu_notifier';
          parts.push(`run ${this.regText(last.proc)}${notifier ? ' under mmu_notifier_invalidate_range_start' : ''}`);
        }
        return { opText: a ? renderOp(a, model) : `${procName(model, l.proc)}()`, role: parts.join('; ') };
      }
      case 'kswapd-run':
        return { opText: 'balance_pgdat()', role: `kswapd runs ${this.regText(l.proc)}` };
      case 'leave-reclaim':
        return { opText: `${procName(model, l.proc)}() returns`, role: freesUserptrPages(model, l.proc) ? 'leave reclaim; the mm frees the unpinned userptr pages' : 'leave reclaim' };
      case 'notifier-return':
        return { opText: `${procName(model, l.proc)}() returns`, role: 'the mm frees the unpinned userptr pages' };
      case 'enter-callback':
        return { opText: `${procName(model, l.proc)}()`, role: 'callback' };
      case 'leave-callback':
        return {
          opText: `${procName(model, l.proc)}() returns`,
          role: model.procs[l.proc]?.role === 'fence_callback' ? 'fence callback returns' : 'callback returns',
        };
      case 'irq-fire': {
        // PREEMPT_RT: a force-threaded handler runs as its own task, on no host.
        if (this.threadedIrq(l.proc)) return { opText: `${procName(model, l.proc)}()`, role: 'irq thread runs the handler' };
        const host = this.irqHostOf.get(t);
        const what = this.ts.threads[t]?.kind === 'softirq' ? 'softirq runs' : 'irq fires';
        return { opText: `${procName(model, l.proc)}()`, role: `${what} on ${host !== undefined ? view.threadName(host) : 'an idle CPU'}` };
      }
      case 'hw-hang': {
        const hw = model.instances.find((i) => i.kind === 'hardware' && i.proc === l.proc);
        return { opText: `hardware ${hw?.name ?? '?'} hangs`, role: `its irq ${procName(model, l.proc)}() will never fire` };
      }
      case 'irq-return':
        return { opText: `${procName(model, l.proc)}() returns`, role: this.ts.threads[t]?.kind === 'softirq' ? 'softirq returns' : 'irq returns' };
      case 'thread-start': {
        const sched = model.instances.find((i) => i.kind === 'drm_sched' && (i.proc === l.proc || i.timedout === l.proc));
        if (sched) {
          const job = sched.job !== undefined ? model.instances[sched.job]?.name : undefined;
          return {
            opText: `${procName(model, l.proc)}()`,
            role: sched.proc === l.proc ? `${sched.name} runs the job of fence ${job ?? '?'}` : `the job of fence ${job ?? '?'} timed out (drm_sched_job_timedout)`,
          };
        }
        // Two kinds of thread start at a step: a queued work item, and an mm event (munmap, reclaim of the mm's pages...) that runs the notifier.
        const work = model.instances.find((i) => i.kind === 'work' && i.proc === l.proc);
        return {
          opText: `${procName(model, l.proc)}()`,
          role: work ? `work ${work.name} starts` : `an mm event starts ${this.regText(l.proc)}`,
        };
      }
      case undefined:
        return this.describeOp(tid, after);
      default:
        return { opText: `${l.synthetic}` };
    }
  }

  /** A step of the model's own code: its operation, a nondeterministic choice, or a bare node. */
  private describeOp(tid: number, after: Uint32Array): { opText: string; role?: string } {
    const { view, model } = this;
    const tr = this.ts.transitions[tid];
    const t = tr.thread;
    const l = tr.label;
    const op = view.nodeOp(l.proc, l.node);
    const node = model.procs[l.proc]?.nodes[l.node];
    if (op) {
      let role = opRole(op, model);
      // Entering a callback inline (fence callbacks, invalidate_mappings).
      const inner = view.framesAt(after, t);
      if (inner.length > l.contexts.length && l.contexts.every((f, k) => JSON.stringify(f) === JSON.stringify(inner[k]))) {
        const f = inner[inner.length - 1];
        const enter =
          f.kind === 'fence-callback' ? `fence callback ${procName(model, f.proc)}`
          : f.kind === 'invalidate' ? `invalidate_mappings ${procName(model, f.proc)}`
          : f.kind === 'rpm' ? `runtime PM runs ${procName(model, f.proc)}`
          : `${f.kind} ${procName(model, f.proc)}`;
        role = role ? `${role}; ${enter}` : enter;
      }
      return { opText: renderOp(op, model), ...(role ? { role } : {}) };
    }
    if (node?.kind === 'choice') return { opText: `nondet() = ${l.branch ?? 0}` };
    return { opText: `${procName(model, l.proc)}: node ${l.node}` };
  }

  private frameText(f: Frame, thread: number): string {
    const { view, model } = this;
    const from = f.enteredAt ? view.nodeOp(f.enteredAt.proc, f.enteredAt.node) : undefined;
    const fromText = f.enteredAt && from ? ` from ${renderOp(from, model)} at ${this.short(f.enteredAt.proc, f.enteredAt.node)}` : '';
    switch (f.kind) {
      case 'direct-reclaim':
        return `direct reclaim${fromText} (${this.regText(f.proc)})`;
      case 'kswapd':
        return `kswapd (${this.regText(f.proc)})`;
      case 'irq':
      case 'softirq': {
        if (f.kind === 'irq' && this.threadedIrq(f.proc)) return `irq thread ${procName(model, f.proc)}${this.threadFn(f.proc) ? '' : ' (PREEMPT_RT)'}`;
        const host = this.irqHostOf.get(thread);
        return `${f.kind === 'irq' ? 'hard irq' : 'softirq'} ${procName(model, f.proc)}${host !== undefined ? ` on ${view.threadName(host)}` : ''}`;
      }
      case 'fence-callback':
        return `fence callback ${procName(model, f.proc)}${fromText}`;
      case 'invalidate':
        return `invalidate_mappings ${procName(model, f.proc)}${fromText}`;
      case 'release':
        return `fence release ${procName(model, f.proc)}${fromText}`;
      case 'work':
        return `work ${procName(model, f.proc)}`;
      case 'destructor':
        return `release ${procName(model, f.proc)}${fromText}`;
      case 'fault':
        return `fault handler ${procName(model, f.proc)}${fromText}`;
      case 'mm-event':
        return `mmu notifier ${procName(model, f.proc)}${fromText}`;
      case 'rpm':
        return `runtime PM ${procName(model, f.proc)}${fromText}`;
    }
  }

  /** What thread `t` holds in state `s`, in no particular order (`syncHeld` orders it). */
  private currentHeld(s: Uint32Array, t: number): HeldEntry[] {
    const { ts, view, model } = this;
    const out: HeldEntry[] = [];
    const cls = (i: InstanceId) => model.instances[i]?.lockClass ?? nm(model, i);
    for (const [i, v] of view.ownerVar) {
      const rv = view.readersVar.get(i);
      const mine = s[v] === t + 1 || (rv !== undefined && ((s[rv] >>> t) & 1) === 1);
      if (mine) out.push({ key: `L${i}`, text: `${nm(model, i)} (${cls(i)})` });
    }
    for (const [i, rv] of view.readersVar) {
      if (view.ownerVar.has(i)) continue;
      if (((s[rv] >>> t) & 1) === 1) out.push({ key: `L${i}`, text: `${nm(model, i)} (${cls(i)})` });
    }
    for (const c of view.ctxVars) {
      if (s[c.v] !== 0 && this.ctxOwner.get(c.v) === t) {
        const ww = model.instances[c.instance]?.wwClass ?? 'reservation_ww_class';
        out.push({ key: `C${c.v}`, text: `${nm(model, c.instance)} (${ww}_acquire)` });
      }
    }
    const frames = view.framesAt(s, t);
    const fsHeld =
      ts.threads[t]?.kind === 'kswapd' ? frames.length > 0
      : frames.some((f) => f.kind === 'kswapd' || (f.kind === 'direct-reclaim' && this.reclaimFs.get(`${t}|${JSON.stringify(f)}`) === true));
    if (fsHeld) out.push({ key: 'Pfs_reclaim', text: 'fs_reclaim' });
    if (frames.some((f) => model.procs[f.proc]?.role === 'mmu_notifier')) {
      out.push({ key: 'Pmmu_notifier', text: 'mmu_notifier_invalidate_range_start' });
    }
    const sd = view.sigDepth.get(t);
    if ((sd !== undefined && s[sd] > 0) || frames.some((f) => f.kind === 'fence-callback')) {
      out.push({ key: 'Pdma_fence_map', text: 'dma_fence_map' });
    }
    return out;
  }

  /** Keep thread `t`'s held list in acquisition order: what it still holds stays in place, what is new goes last. */
  private syncHeld(s: Uint32Array, t: number): void {
    const now = this.currentHeld(s, t);
    const keys = new Set(now.map((h) => h.key));
    const kept = this.heldOrder[t].filter((h) => keys.has(h.key));
    const have = new Set(kept.map((h) => h.key));
    const added = now.filter((h) => !have.has(h.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.heldOrder[t] = [...kept, ...added];
  }

  // Outcome is shown when the op node could have turned out otherwise.
  private severalOutcomes(tid: number): boolean {
    const { ts, view } = this;
    const tr = ts.transitions[tid];
    const l = tr.label;
    if (l.outcome === undefined) return false;
    if (l.outcome !== 'ok') return true;
    const pv = view.pcVar[tr.thread];
    const from = firesFrom(tr);
    if (pv === undefined || from === undefined) return false;
    return (view.byPc[tr.thread][from.pc] ?? []).some((o) => {
      const ol = ts.transitions[o].label;
      return ol.proc === l.proc && ol.node === l.node && !ol.synthetic && ol.outcome !== undefined && ol.outcome !== l.outcome;
    });
  }
}

/** An mmu-notifier proc watching an mm that backs some userptr object: its return lets the mm free their unpinned pages. */
function freesUserptrPages(model: DriverModel, proc: number): boolean {
  if (model.procs[proc]?.role !== 'mmu_notifier') return false;
  const mms = new Set(model.instances.filter((i) => i.kind === 'interval_notifier' && i.proc === proc).map((i) => i.mm));
  return model.instances.some((i) => i.kind === 'gem_object' && i.userptr && mms.has(i.mm));
}
