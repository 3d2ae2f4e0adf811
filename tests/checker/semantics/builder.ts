/**
 * A tiny IR builder for semantics tests: instances by kind, procs as op
 * sequences (every outcome falls through) or as raw node graphs.
 */

import type {
  DriverModel,
  GfpMask,
  Instance,
  InstanceId,
  Node,
  Op,
  ProcId,
  ProcRole,
  Registration,
} from '../../../model/ir.js';
import { compileSystem, type PropertiesHook } from '../../../checker/semantics/compile.js';
import type { SemanticOptions, TransitionSystem } from '../../../checker/semantics/system.js';
import { prepare, type Evaluator } from '../../../checker/semantics/eval.js';

export const GFP_KERNEL: GfpMask = {
  text: 'GFP_KERNEL',
  directReclaim: true,
  kswapdReclaim: true,
  io: true,
  fs: true,
  noLockdep: false,
  noFail: false,
  mayFail: false,
};
export const GFP_NOFS: GfpMask = { ...GFP_KERNEL, text: 'GFP_NOFS', fs: false };
export const GFP_NOWAIT: GfpMask = {
  text: 'GFP_NOWAIT',
  directReclaim: false,
  kswapdReclaim: true,
  io: false,
  fs: false,
  noLockdep: false,
  noFail: false,
  mayFail: true,
};

export const OPTS: SemanticOptions = { kernel: 'v7.0', kswapdRuns: 0, irqFires: 1, directReclaim: true };

export class ModelBuilder {
  readonly instances: Instance[] = [];
  readonly procs: { id: ProcId; name: string; role: ProcRole; nodes: Node[] }[] = [];
  readonly threads: DriverModel['threads'] = [];
  readonly registrations: Registration[] = [];

  inst(kind: Instance['kind'], name: string, extra: Partial<Instance> = {}): InstanceId {
    const id = this.instances.length;
    const lockClass =
      kind === 'dma_resv' ? 'reservation_ww_class_mutex' : ['mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space'].includes(kind) ? name : undefined;
    const i: Instance = { id, name, kind, ...extra };
    if (lockClass !== undefined && i.lockClass === undefined) i.lockClass = lockClass;
    this.instances.push(i);
    return id;
  }

  mutex(name: string): InstanceId {
    return this.inst('mutex', name);
  }

  /** A proc from an op sequence; every outcome falls through to the next op. */
  seq(name: string, role: ProcRole, ops: Op[]): ProcId {
    const nodes: Node[] = ops.map((op, i) => ({ kind: 'op', id: i, op, next: { ok: i + 1 } }));
    nodes.push({ kind: 'end', id: ops.length });
    return this.raw(name, role, nodes);
  }

  raw(name: string, role: ProcRole, nodes: Node[]): ProcId {
    const id = this.procs.length;
    this.procs.push({ id, name, role, nodes });
    return id;
  }

  thread(name: string, ops: Op[]): number {
    const p = this.seq(name, 'thread', ops);
    return this.threadOf(name, p);
  }

  threadOf(name: string, proc: ProcId): number {
    const id = this.threads.length;
    this.threads.push({ id, name, proc, kind: 'thread' });
    return id;
  }

  register(role: Registration['role'], proc: ProcId, extra: Partial<Registration> = {}): void {
    this.registrations.push({ role, proc, ...extra });
  }

  build(): DriverModel {
    return {
      schemaVersion: 1,
      file: 'test.model.ts',
      sourceHash: '0',
      header: { description: 'test', expect: [], ruleOptions: {} },
      instances: this.instances,
      procs: this.procs,
      threads: this.threads,
      registrations: this.registrations,
    };
  }

  compile(opts: Partial<SemanticOptions> = {}, hook?: PropertiesHook): { ts: TransitionSystem; ev: Evaluator } {
    const ts = compileSystem(this.build(), { ...OPTS, ...opts }, hook ?? deadlockOnly);
    return { ts, ev: prepare(ts) };
  }
}

export const deadlockOnly: PropertiesHook = () => [{ kind: 'deadlock', rule: 'deadlock', check: 'deadlock' }];

// Op shorthands.
export const lock = (l: InstanceId, extra: Partial<Extract<Op, { kind: 'lock' }>> = {}): Op => ({
  kind: 'lock',
  api: 'mutex_lock',
  lock: l,
  mode: 'write',
  trylock: false,
  ...extra,
});
export const unlock = (l: InstanceId, extra: Partial<Extract<Op, { kind: 'unlock' }>> = {}): Op => ({ kind: 'unlock', api: 'mutex_unlock', lock: l, ...extra });
export const alloc = (gfp: GfpMask = GFP_KERNEL): Op => ({ kind: 'alloc', api: 'kmalloc', gfp });

/** Var value by name. */
export function val(ts: TransitionSystem, s: Uint32Array, name: string): number {
  const v = ts.vars.find((x) => x.name === name);
  if (!v) throw new Error(`no var ${name}: ${ts.vars.map((x) => x.name).join(', ')}`);
  return s[v.id]!;
}

/** Short description of a transition, for exact assertions. */
export function desc(ts: TransitionSystem, id: number): string {
  const t = ts.transitions[id]!;
  const l = t.label;
  const what = l.synthetic ?? (l.branch !== undefined ? `branch${l.branch}` : (l.outcome ?? 'step'));
  return `${ts.threads[t.thread]!.name}:${l.proc}.${l.node}:${what}`;
}

export function enabledDesc(ts: TransitionSystem, ev: Evaluator, s: Uint32Array): string[] {
  return ev.enabledTransitions(s).map((t) => desc(ts, t));
}

/** Fire the unique enabled transition matching `d` (throws otherwise). */
export function fire(ts: TransitionSystem, ev: Evaluator, s: Uint32Array, d: string): Uint32Array {
  const m = ev.enabledTransitions(s).filter((t) => desc(ts, t) === d);
  if (m.length !== 1) throw new Error(`expected one enabled ${d}, have: ${enabledDesc(ts, ev, s).join(', ')}`);
  return ev.successor(s, m[0]!);
}

/** Run a schedule of descriptions from the initial state. */
export function run(ts: TransitionSystem, ev: Evaluator, steps: string[]): Uint32Array {
  let s = ev.initial();
  for (const d of steps) s = fire(ts, ev, s, d);
  return s;
}

/** Exhaustive reachability (small models): every reachable state, as keys. */
export function explore(ev: Evaluator, visit?: (s: Uint32Array) => void): number {
  const seen = new Set<string>();
  const stack = [ev.initial()];
  seen.add(stack[0]!.join(','));
  while (stack.length) {
    const s = stack.pop()!;
    visit?.(s);
    for (const t of ev.enabledTransitions(s)) {
      const n = ev.successor(s, t);
      const k = n.join(',');
      if (!seen.has(k)) {
        seen.add(k);
        stack.push(n);
      }
    }
  }
  return seen.size;
}
