/**
 * The state a trace ends in (report.ts `StateAtViolation`): per thread
 * its status, position, held locks and, for a blocked one, what it waits
 * for as data (report.ts `Wait`); the fences; other model state that
 * differs from its initial value.
 */

import type { DriverModel, InstanceId, Op, ProcId } from '../model/ir.js';
import type { FenceState, SourceRef, StateAtViolation, Wait } from './report.js';
import type { TransitionSystem, VarId } from './semantics/system.js';
import type { Evaluator } from './semantics/eval.js';
import { FENCE_PUBLISHED, FENCE_SIGNALLED } from './semantics/context.js';
import { nm, renderOp } from './op-text.js';

/** What this module reads of the trace's static view of the system (trace.ts `SystemView`). */
export interface StateView {
  readonly ts: TransitionSystem;
  readonly model: DriverModel;
  readonly ownerVar: Map<InstanceId, VarId>;
  readonly readersVar: Map<InstanceId, VarId>;
  readonly fenceVar: Map<InstanceId, VarId>;
  readonly irqHost: Map<number, VarId>;
  lockInstance(i: InstanceId): InstanceId;
  threadName(t: number): string;
  outOf(s: Uint32Array, t: number): number[];
  nodeOp(proc: ProcId, node: number): Op | undefined;
}

/** A fence variable's value as the report names it. */
export function fenceState(v: number): FenceState {
  return v === FENCE_SIGNALLED ? 'signalled' : v === FENCE_PUBLISHED ? 'published' : 'unpublished';
}

/** Who holds lock instance `inst` in state `s`, as a `lock` wait; undefined when nobody does. */
function lockWait(view: StateView, s: Uint32Array, inst: InstanceId, mode: Extract<Wait, { kind: 'lock' }>['mode']): Wait | undefined {
  const { model } = view;
  const li = view.lockInstance(inst);
  const o = view.ownerVar.get(li);
  const r = view.readersVar.get(li);
  const owner = o !== undefined && s[o] > 0 ? view.threadName(s[o] - 1) : undefined;
  const readers: string[] = [];
  if (r !== undefined && s[r] !== 0) {
    for (let u = 0; u < view.ts.threads.length; u++) if (((s[r] >>> u) & 1) === 1) readers.push(view.threadName(u));
  }
  if (owner === undefined && readers.length === 0) return undefined;
  const inst0 = model.instances[li];
  return {
    kind: 'lock',
    lock: nm(model, li),
    lockClass: inst0?.lockClass ?? nm(model, li),
    ...(inst0?.kind !== undefined ? { lockKind: inst0.kind } : {}),
    ...(mode !== undefined ? { mode } : {}),
    ...(owner !== undefined ? { owner } : {}),
    ...(readers.length > 0 ? { readers } : {}),
  };
}

/** What blocked thread `t` waits for in state `s`; undefined when no operation of it explains the block. */
export function waitOf(view: StateView, s: Uint32Array, t: number): Wait | undefined {
  const { model } = view;
  for (const [irq, hv] of view.irqHost) {
    if (irq !== t && s[hv] === t + 1) return { kind: 'irq', irq: view.threadName(irq) };
  }
  for (const tid of view.outOf(s, t)) {
    const l = view.ts.transitions[tid].label;
    if (l.synthetic) continue;
    const op = view.nodeOp(l.proc, l.node);
    if (!op) continue;
    switch (op.kind) {
      case 'lock':
      case 'user_access':
      case 'unmap_mapping_range': {
        const inst = op.kind === 'lock' ? op.lock : op.kind === 'user_access' ? op.mm : op.mapping;
        const w = lockWait(view, s, inst, op.kind === 'lock' ? op.mode : undefined);
        if (w) return w;
        break;
      }
      case 'fence_wait': {
        if (op.fence !== undefined) {
          const fv = view.fenceVar.get(op.fence);
          return { kind: 'fence', fence: nm(model, op.fence), state: fenceState(fv === undefined ? 0 : s[fv]) };
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
          .map((f) => ({ fence: nm(model, f), state: fenceState(s[view.fenceVar.get(f)!]) }));
        return { kind: 'resv-fences', resv: nm(model, resv), pending };
      }
      case 'flush_work': {
        const wt = view.ts.threads.find((x) => x.kind === 'work' && x.name === `work:${nm(model, op.work)}`);
        return { kind: 'work', work: nm(model, op.work), ...(wt ? { worker: wt.name } : {}) };
      }
      default:
        break;
    }
    return { kind: 'op', op: renderOp(op, model) };
  }
  return undefined;
}

/** The final state of a trace; `heldOrder[t]`: thread t's held locks in acquisition order (trace.ts tracks it). */
export function finalStateOf(
  view: StateView,
  ev: Evaluator,
  s: Uint32Array,
  heldOrder: { text: string }[][],
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
      const w = waitOf(view, s, th.id);
      if (w) entry.waitingFor = w;
    }
    return entry;
  });
  const fences: StateAtViolation['fences'] = model.instances
    .filter((i) => i.kind === 'dma_fence')
    .map((i) => {
      const fv = view.fenceVar.get(i.id);
      return { name: i.name, state: fenceState(fv === undefined ? 0 : s[fv]) };
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
    // A userptr object's pages when they are not simply present: pinned (what a pin leak leaves), or released by the mm.
    else if (r.kind === 'userptr-pages') other[`pages ${nm(model, r.instance)}`] = ['present', 'pinned', 'released', 'present'][s[v.id] & 3]! + (s[v.id] >= 4 ? ', invalidation running' : '');
    // Monitor variables (`mon.<rule>.<check>…`) are the checker's own
    // bookkeeping for a rule, not kernel state: no output names them.
  }
  return { threads, fences, other };
}
