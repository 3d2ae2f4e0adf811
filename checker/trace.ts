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
 */

import type { DriverModel, InstanceId, Op, Outcome, ProcId, SourceMap } from '../model/ir.js';
import type { SourceRef, StateAtViolation, ThreadInfo, Trace, TraceStep } from './report.js';
import type { Schedule, StepLabel, TransitionSystem, VarId } from './semantics/system.js';
import { prepare, type Evaluator } from './semantics/eval.js';
import { firesFrom } from './semantics/location.js';
import { FENCE_PUBLISHED, FENCE_SIGNALLED, MEMALLOC_NOFS, MEMALLOC_NOIO } from './semantics/context.js';
import { replay, type ReplayViolation } from './replay.js';
import { encodeSchedule } from './schedule-token.js';

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

const ALLOC_WITH_MASK = new Set([
  'kmalloc',
  'kzalloc',
  'kvmalloc',
  'kvzalloc',
  'kcalloc',
  'kmalloc_array',
  'alloc_page',
  'alloc_pages',
  'mempool_alloc',
  '__get_free_page',
  '__get_free_pages',
]);

function nm(model: DriverModel, id: InstanceId | undefined): string {
  if (id === undefined) return 'NULL';
  return model.instances[id]?.name ?? `#${id}`;
}

function procName(model: DriverModel, p: ProcId | undefined): string {
  return p === undefined ? '?' : (model.procs[p]?.name ?? `proc${p}`);
}

/** Kernel-style text of an operation, with the model's instance names. */
export function renderOp(op: Op, model: DriverModel): string {
  const call = (...args: string[]) => `${op.api}(${args.join(', ')})`;
  switch (op.kind) {
    case 'lock': {
      const args = [nm(model, op.lock)];
      const takesCtx = /^(dma_resv_lock|ww_mutex_lock)/.test(op.api) && !/trylock/.test(op.api);
      if (op.ctx !== undefined) args.push(nm(model, op.ctx));
      else if (takesCtx) args.push('NULL');
      if (op.subclass !== undefined && /nested/.test(op.api)) args.push(String(op.subclass));
      if (op.nestLock !== undefined) args.push(nm(model, op.nestLock));
      return call(...args);
    }
    case 'unlock':
      return call(nm(model, op.lock));
    case 'ww_acquire_init':
      return call(nm(model, op.ctx), op.wwClass);
    case 'ww_acquire_done':
    case 'ww_acquire_fini':
      return call(nm(model, op.ctx));
    case 'alloc':
      if (ALLOC_WITH_MASK.has(op.api)) return call(op.gfp.text);
      if (op.api === 'vmalloc') return call();
      return `${call()} [${op.gfp.text}]`;
    case 'memalloc_save':
      return call();
    case 'memalloc_restore':
      return call(nm(model, op.cookie));
    case 'user_access':
    case 'pagefault_disable':
    case 'pagefault_enable':
    case 'local_irq_disable':
    case 'local_irq_enable':
    case 'might_sleep':
    case 'signalling_begin':
      return call();
    case 'signalling_end':
      return call(nm(model, op.cookie));
    case 'fence_init':
    case 'fence_signal':
      return call(nm(model, op.fence));
    case 'fence_publish':
      return op.resv !== undefined ? call(nm(model, op.resv), nm(model, op.fence)) : call(nm(model, op.fence));
    case 'fence_wait':
      return call(op.fence !== undefined ? nm(model, op.fence) : nm(model, op.resv));
    case 'fence_add_callback':
      return call(nm(model, op.fence), procName(model, op.callback));
    case 'unmap_mapping_range':
      return call(nm(model, op.mapping));
    case 'interval_read_begin':
    case 'interval_read_retry':
    case 'interval_set_seq':
      return call(nm(model, op.notifier));
    case 'dma_buf_export':
    case 'dma_buf_invalidate':
    case 'dma_buf_revoke':
    case 'dma_buf_unrevoke':
    case 'dma_buf_put':
      return call(nm(model, op.buf));
    case 'dma_buf_attach':
      return call(nm(model, model.instances[op.attachment]?.buf));
    case 'dma_buf_detach':
      return call(nm(model, model.instances[op.attachment]?.buf), nm(model, op.attachment));
    case 'dma_buf_pin':
    case 'dma_buf_unpin':
    case 'dma_buf_map':
    case 'dma_buf_unmap':
    case 'device_access':
    case 'phyr_to_page':
    case 'page_ref_lock':
      return call(nm(model, op.attachment));
    case 'mp_bind':
      return call(nm(model, op.rxq), nm(model, op.buf));
    case 'mp_unbind':
    case 'mp_recv':
      return call(nm(model, op.rxq));
    case 'queue_work':
    case 'flush_work':
      return call(nm(model, op.work));
  }
}

function outcomeText(op: Op | undefined, o: Outcome): string {
  switch (o) {
    case 'ok':
      return 'ok';
    case 'fail':
      return op?.kind === 'fence_wait' ? 'times out' : 'fails';
    case 'EDEADLK':
      return '-EDEADLK';
    case 'EALREADY':
      return '-EALREADY';
    case 'retry':
      return 'retry';
  }
}

/** One line for a step: `dma_resv_lock(bo, ctx) = -EDEADLK`. */
export function stepText(step: Pick<TraceStep, 'op' | 'outcome'>): string {
  return step.outcome ? `${step.op} = ${step.outcome}` : step.op;
}

function lockWord(kind: string | undefined): string {
  switch (kind) {
    case 'mm':
      return 'mmap_lock of';
    case 'address_space':
      return 'i_mmap_rwsem of';
    case undefined:
      return 'lock';
    default:
      return kind;
  }
}

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
      if (th.kind !== 'irq') continue;
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
  const sched = schedule.slice(0, cut);
  const states = r.states.slice(0, cut + 1);
  const view = new SystemView(ts, model);
  const file = sourceMap?.file ?? model.file;

  const ref = (proc: ProcId, node: number): SourceRef | undefined => {
    const loc = sourceMap?.nodes[proc]?.[node];
    return loc ? { file, line: loc.line, col: loc.col } : undefined;
  };
  const short = (proc: ProcId, node: number): string => {
    const loc = sourceMap?.nodes[proc]?.[node];
    return loc ? `${file}:${loc.line}` : `${file}`;
  };
  const regText = (p: ProcId): string => {
    const role = model.procs[p]?.role;
    if (role === 'shrinker') return `shrinker ${procName(model, p)}`;
    if (role === 'mmu_notifier') return `mmu notifier invalidate ${procName(model, p)}`;
    return procName(model, p);
  };

  // Per-run tracking: held-lock order, ctx owners, reclaim fs, irq hosts.
  const ctxOwner = new Map<VarId, number>();
  const reclaimFs = new Map<string, boolean>();
  const irqHostOf = new Map<number, number>();
  const heldOrder: HeldEntry[][] = ts.threads.map(() => []);

  const frameText = (f: Frame, thread: number): string => {
    const from = f.enteredAt ? view.nodeOp(f.enteredAt.proc, f.enteredAt.node) : undefined;
    const fromText = f.enteredAt && from ? ` from ${renderOp(from, model)} at ${short(f.enteredAt.proc, f.enteredAt.node)}` : '';
    switch (f.kind) {
      case 'direct-reclaim':
        return `direct reclaim${fromText} (${regText(f.proc)})`;
      case 'kswapd':
        return `kswapd (${regText(f.proc)})`;
      case 'irq': {
        const host = irqHostOf.get(thread);
        return `hard irq ${procName(model, f.proc)}${host !== undefined ? ` on ${view.threadName(host)}` : ''}`;
      }
      case 'fence-callback':
        return `fence callback ${procName(model, f.proc)}${fromText}`;
      case 'invalidate':
        return `invalidate_mappings ${procName(model, f.proc)}${fromText}`;
      case 'release':
        return `fence release ${procName(model, f.proc)}${fromText}`;
      case 'work':
        return `work ${procName(model, f.proc)}`;
    }
  };

  const currentHeld = (s: Uint32Array, t: number): HeldEntry[] => {
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
      if (s[c.v] !== 0 && ctxOwner.get(c.v) === t) {
        const ww = model.instances[c.instance]?.wwClass ?? 'reservation_ww_class';
        out.push({ key: `C${c.v}`, text: `${nm(model, c.instance)} (${ww}_acquire)` });
      }
    }
    const frames = view.framesAt(s, t);
    const fsHeld =
      ts.threads[t]?.kind === 'kswapd' ? frames.length > 0
      : frames.some((f) => f.kind === 'kswapd' || (f.kind === 'direct-reclaim' && reclaimFs.get(`${t}|${JSON.stringify(f)}`) === true));
    if (fsHeld) out.push({ key: 'Pfs_reclaim', text: 'fs_reclaim' });
    if (frames.some((f) => model.procs[f.proc]?.role === 'mmu_notifier')) {
      out.push({ key: 'Pmmu_notifier', text: 'mmu_notifier_invalidate_range_start' });
    }
    const sd = view.sigDepth.get(t);
    if ((sd !== undefined && s[sd] > 0) || frames.some((f) => f.kind === 'fence-callback')) {
      out.push({ key: 'Pdma_fence_map', text: 'dma_fence_map' });
    }
    return out;
  };

  const syncHeld = (s: Uint32Array, t: number): void => {
    const now = currentHeld(s, t);
    const keys = new Set(now.map((h) => h.key));
    const kept = heldOrder[t].filter((h) => keys.has(h.key));
    const have = new Set(kept.map((h) => h.key));
    const added = now.filter((h) => !have.has(h.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    heldOrder[t] = [...kept, ...added];
  };

  // Outcome is shown when the op node could have turned out otherwise.
  const severalOutcomes = (tid: number): boolean => {
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
  };

  const raw: RawStep[] = [];
  let prevThread: number | undefined;
  for (let i = 0; i < sched.length; i++) {
    const tid = sched[i];
    const tr = ts.transitions[tid];
    const t = tr.thread;
    const before = states[i];
    const after = states[i + 1];
    const l = tr.label;

    // Attribution of state that the variables alone do not say.
    for (const c of view.ctxVars) {
      if (before[c.v] === 0 && after[c.v] !== 0) ctxOwner.set(c.v, t);
      if (after[c.v] === 0) ctxOwner.delete(c.v);
    }
    if (l.synthetic === 'enter-reclaim') {
      const op = view.nodeOp(l.proc, l.node);
      const fv = view.flags.get(t);
      const scoped = fv !== undefined && (((before[fv] >>> MEMALLOC_NOFS) & 1) === 1 || ((before[fv] >>> MEMALLOC_NOIO) & 1) === 1);
      const fs = op?.kind === 'alloc' && op.gfp.directReclaim && op.gfp.fs && !scoped;
      const inner = view.framesAt(after, t);
      const last = inner[inner.length - 1];
      if (last) reclaimFs.set(`${t}|${JSON.stringify(last)}`, fs);
    }
    if (l.synthetic === 'irq-fire') {
      const hv = view.irqHost.get(t);
      if (hv !== undefined && after[hv] > 0) irqHostOf.set(t, after[hv] - 1);
    }

    const preemption =
      prevThread !== undefined && prevThread !== t && !ev.threadDone(before, prevThread) && ev.threadCanMove(before, prevThread);

    const op = l.synthetic ? undefined : view.nodeOp(l.proc, l.node);
    const node = model.procs[l.proc]?.nodes[l.node];
    let opText: string;
    let role: string | undefined;
    switch (l.synthetic) {
      case 'enter-reclaim': {
        const a = view.nodeOp(l.proc, l.node);
        opText = a ? renderOp(a, model) : `${procName(model, l.proc)}()`;
        const inner = view.framesAt(after, t);
        const last = inner[inner.length - 1];
        role = `enter reclaim${last ? ` (${regText(last.proc)})` : ''}`;
        break;
      }
      case 'kswapd-run':
        opText = 'balance_pgdat()';
        role = `kswapd runs ${regText(l.proc)}`;
        break;
      case 'leave-reclaim':
        opText = `${procName(model, l.proc)}() returns`;
        role = 'leave reclaim';
        break;
      case 'enter-callback':
        opText = `${procName(model, l.proc)}()`;
        role = 'callback';
        break;
      case 'leave-callback':
        opText = `${procName(model, l.proc)}() returns`;
        role = model.procs[l.proc]?.role === 'fence_callback' ? 'fence callback returns' : 'callback returns';
        break;
      case 'irq-fire': {
        opText = `${procName(model, l.proc)}()`;
        const host = irqHostOf.get(t);
        role = `irq fires on ${host !== undefined ? view.threadName(host) : '?'}`;
        break;
      }
      case 'irq-return':
        opText = `${procName(model, l.proc)}() returns`;
        role = 'irq returns';
        break;
      case 'thread-start':
        opText = `${procName(model, l.proc)}()`;
        role = `work ${model.instances.find((i) => i.kind === 'work' && i.proc === l.proc)?.name ?? procName(model, l.proc)} starts`;
        break;
      case undefined:
        if (op) {
          opText = renderOp(op, model);
          role = opRole(op, model);
          // Entering a callback inline (fence callbacks, invalidate_mappings).
          const inner = view.framesAt(after, t);
          if (inner.length > l.contexts.length && l.contexts.every((f, k) => JSON.stringify(f) === JSON.stringify(inner[k]))) {
            const f = inner[inner.length - 1];
            const enter =
              f.kind === 'fence-callback' ? `fence callback ${procName(model, f.proc)}`
              : f.kind === 'invalidate' ? `invalidate_mappings ${procName(model, f.proc)}`
              : `${f.kind} ${procName(model, f.proc)}`;
            role = role ? `${role}; ${enter}` : enter;
          }
        } else if (node?.kind === 'choice') {
          opText = `nondet() = ${l.branch ?? 0}`;
        } else {
          opText = `${procName(model, l.proc)}: node ${l.node}`;
        }
        break;
      default:
        opText = `${l.synthetic}`;
    }

    for (let u = 0; u < ts.threads.length; u++) syncHeld(after, u);

    const step: TraceStep = {
      index: 0,
      thread: t,
      threadName: view.threadName(t),
      op: opText,
      context: l.contexts.map((f) => frameText(f, t)),
      held: heldOrder[t].map((h) => h.text),
      preemption,
    };
    if (l.outcome !== undefined && severalOutcomes(tid)) step.outcome = outcomeText(op, l.outcome);
    if (role) step.role = role;
    const at = ref(l.proc, l.node);
    if (at) step.at = at;
    raw.push({ step, synthetic: l.synthetic });
    prevThread = t;
  }

  // Merge return steps into the step before them (same thread, adjacent).
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

  const finalState = states[states.length - 1];
  const trace: Trace = {
    threads: ts.threads.map((t): ThreadInfo => ({ id: t.id, name: t.name, kind: t.kind })),
    steps,
    schedule: encodeSchedule(ts, sched),
    preemptions: steps.filter((s) => s.preemption).length,
    final: finalStateOf(view, ev, finalState, heldOrder, ref),
  };
  if (violation && violation.step > 0) {
    const p = ts.properties[violation.property];
    if (p && p.kind !== 'terminal' && p.kind !== 'deadlock') trace.violatingStep = traceIndexOfRaw[violation.step - 1];
  }
  return trace;
}

function opRole(op: Op, model: DriverModel): string | undefined {
  switch (op.kind) {
    case 'signalling_begin':
      return 'enter fence signalling';
    case 'signalling_end':
      return 'leave fence signalling';
    case 'fence_wait':
      return op.fence !== undefined ? `wait on fence ${nm(model, op.fence)}` : `wait on fences of ${nm(model, op.resv)}`;
    case 'fence_signal':
      return `signal fence ${nm(model, op.fence)}`;
    case 'fence_publish':
      return `publish fence ${nm(model, op.fence)}`;
    case 'ww_acquire_init':
      return 'begin ww transaction';
    case 'ww_acquire_fini':
      return 'end ww transaction';
    default:
      return undefined;
  }
}

function fenceText(v: number): string {
  return v === FENCE_SIGNALLED ? 'signalled' : v === FENCE_PUBLISHED ? 'published, unsignalled' : 'unpublished';
}

function waitingFor(view: SystemView, s: Uint32Array, t: number): string | undefined {
  const { model } = view;
  for (const [irq, hv] of view.irqHost) {
    if (irq !== t && s[hv] === t + 1) return `irq ${view.threadName(irq)} running on its CPU`;
  }
  for (const tid of view.outOf(s, t)) {
    const l = view.ts.transitions[tid].label;
    if (l.synthetic) continue;
    const op = view.nodeOp(l.proc, l.node);
    if (!op) continue;
    const heldText = (inst: InstanceId): string | undefined => {
      const li = view.lockInstance(inst);
      const o = view.ownerVar.get(li);
      const r = view.readersVar.get(li);
      const who: string[] = [];
      if (o !== undefined && s[o] > 0) who.push(`held by ${view.threadName(s[o] - 1)}${s[o] - 1 === t ? ' (itself)' : ''}`);
      if (r !== undefined && s[r] !== 0) {
        const rs: string[] = [];
        for (let u = 0; u < view.ts.threads.length; u++) if (((s[r] >>> u) & 1) === 1) rs.push(view.threadName(u));
        who.push(`held for read by ${rs.join(', ')}`);
      }
      if (who.length === 0) return undefined;
      return `${lockWord(model.instances[li]?.kind)} ${nm(model, li)} ${who.join(', ')}`;
    };
    switch (op.kind) {
      case 'lock':
      case 'user_access':
      case 'unmap_mapping_range': {
        const inst = op.kind === 'lock' ? op.lock : op.kind === 'user_access' ? op.mm : op.mapping;
        const h = heldText(inst);
        if (h) return h;
        break;
      }
      case 'fence_wait': {
        if (op.fence !== undefined) {
          const fv = view.fenceVar.get(op.fence);
          return `fence ${nm(model, op.fence)} (${fenceText(fv === undefined ? 0 : s[fv])})`;
        }
        const resv = op.resv;
        const fences = new Set<InstanceId>();
        for (const p of model.procs) for (const n of p.nodes) if (n.kind === 'op' && n.op.kind === 'fence_publish' && n.op.resv === resv) fences.add(n.op.fence);
        const pending = [...fences]
          .sort((a, b) => a - b)
          .filter((f) => {
            const fv = view.fenceVar.get(f);
            return fv !== undefined && s[fv] !== FENCE_SIGNALLED;
          })
          .map((f) => `${nm(model, f)} (${fenceText(s[view.fenceVar.get(f)!])})`);
        return `fences of ${nm(model, resv)}: ${pending.join(', ') || 'none pending'}`;
      }
      case 'flush_work': {
        const wt = view.ts.threads.find((x) => x.kind === 'work' && x.name === `work:${nm(model, op.work)}`);
        return `work ${nm(model, op.work)}${wt ? ` (handler on ${wt.name} not finished)` : ''}`;
      }
      default:
        break;
    }
    return renderOp(op, model);
  }
  return undefined;
}

function finalStateOf(
  view: SystemView,
  ev: Evaluator,
  s: Uint32Array,
  heldOrder: HeldEntry[][],
  ref: (proc: ProcId, node: number) => SourceRef | undefined,
): StateAtViolation {
  const { ts, model } = view;
  const threads: StateAtViolation['threads'] = ts.threads.map((th) => {
    // An idle kswapd or irq counts as done; one that never ran is not-started.
    const status: 'running' | 'blocked' | 'done' | 'not-started' =
      th.liveness === 'optional' && ev.threadNotStarted(s, th.id)
        ? 'not-started'
        : ev.threadDone(s, th.id)
          ? 'done'
          : ev.threadCanMove(s, th.id)
          ? 'running'
          : 'blocked';
    // A thread that has not started or has finished holds nothing, whatever
    // context its entry point would run in (kswapd's fs_reclaim).
    const held = status === 'not-started' || status === 'done' ? [] : heldOrder[th.id].map((h) => h.text);
    const entry: StateAtViolation['threads'][number] = { thread: th.name, status, held };
    if (status === 'running' || status === 'blocked') {
      const out = view.outOf(s, th.id);
      const l = out.length > 0 ? ts.transitions[out[0]].label : undefined;
      const at = l && !l.synthetic ? ref(l.proc, l.node) : undefined;
      if (at) entry.at = at;
    }
    if (status === 'blocked') {
      const w = waitingFor(view, s, th.id);
      if (w) entry.waitingFor = w;
    }
    return entry;
  });
  const fences: StateAtViolation['fences'] = model.instances
    .filter((i) => i.kind === 'dma_fence')
    .map((i) => {
      const fv = view.fenceVar.get(i.id);
      const v = fv === undefined ? 0 : s[fv];
      return { name: i.name, state: v === FENCE_SIGNALLED ? 'signalled' : v === FENCE_PUBLISHED ? 'published' : 'unpublished' };
    });
  const other: Record<string, string> = {};
  for (const v of ts.vars) {
    if (s[v.id] === v.init) continue;
    const r = v.role;
    if (r.kind === 'buffer') other[`buffer ${nm(model, r.instance)}`] = s[v.id] === 1 ? 'revoked' : 'active';
    else if (r.kind === 'attachment') {
      const st = ['detached', 'attached', 'mapped', 'invalidated'][s[v.id] & 3];
      other[`attachment ${nm(model, r.instance)}`] = `${st}${(s[v.id] & 4) !== 0 ? ', pinned' : ''}`;
    } else if (r.kind === 'rxq') other[`rx queue ${nm(model, r.instance)}`] = ['unbound', 'devmem', 'zcrx'][s[v.id]] ?? String(s[v.id]);
    else if (r.kind === 'monitor') other[v.name] = String(s[v.id]);
  }
  return { threads, fences, other };
}
