/**
 * A tiny builder of transition systems for the explicit engine's tests:
 * threads are straight-line programs over locks and small shared
 * variables, with forward jumps only (loop-free, like every lockmc system).
 *
 * Each op at pc p becomes one or two transitions guarded by `pc == p`.
 * Locks follow system.ts: `owner.L` is 0 when free and t + 1 when held by
 * thread t; acquisitions require it free, releases require it held by the
 * releasing thread.
 */

import type { BoolExpr, IntExpr, Property, StateVar, Transition, TransitionSystem } from '../../../../checker/semantics/system.js';

export type Op =
  | { op: 'lock'; l: string }
  | { op: 'unlock'; l: string }
  /** ok: takes the lock, goes on; fail (lock held): jumps to `onFail` (default: next op). */
  | { op: 'trylock'; l: string; onFail?: number }
  | { op: 'set'; v: string; val: number }
  /** Blocks until `v == val`. */
  | { op: 'await'; v: string; val: number }
  /** v := min(v + 1, max). */
  | { op: 'inc'; v: string }
  /** Nondeterministic forward jump to one of `to` (pcs, each > current). */
  | { op: 'choice'; to: number[] };

export interface ThreadSpec {
  name: string;
  ops: Op[];
  optional?: boolean;
}

export interface SystemSpec {
  locks: string[];
  vars?: Record<string, { max: number; init?: number }>;
  threads: ThreadSpec[];
  /** Marks every transition that writes one of these vars visible (as monitors would be). */
  visibleVars?: string[];
}

export interface Built {
  ts: TransitionSystem;
  /** Variable id by name: `owner.A`, `pc.T0`, or a shared var name. */
  v: (name: string) => number;
  /** Transition ids of thread `th` at pc `pc` (ok before fail for trylock). */
  at: (th: number, pc: number) => number[];
  /** Adds properties (keeps ids stable). */
  withProps: (props: Property[]) => TransitionSystem;
}

const c = (v: number): IntExpr => ({ k: 'const', v });
const vr = (v: number): IntExpr => ({ k: 'var', v });
export const eq = (a: number, val: number): BoolExpr => ({ k: 'eq', a: vr(a), b: c(val) });
export const ne = (a: number, val: number): BoolExpr => ({ k: 'ne', a: vr(a), b: c(val) });
export const and = (...args: BoolExpr[]): BoolExpr => ({ k: 'and', args });
export const or = (...args: BoolExpr[]): BoolExpr => ({ k: 'or', args });
export const not = (a: BoolExpr): BoolExpr => ({ k: 'not', a });

function widthOf(max: number): number {
  let w = 0;
  while ((1 << w) - 1 < max) w++;
  return w;
}

export function buildSystem(spec: SystemSpec): Built {
  const vars: StateVar[] = [];
  const byName = new Map<string, number>();
  const addVar = (name: string, max: number, init: number, role: StateVar['role']) => {
    const id = vars.length;
    vars.push({ id, name, width: widthOf(max), max, init, role });
    byName.set(name, id);
    return id;
  };
  const nT = spec.threads.length;
  spec.threads.forEach((t, i) => addVar(`pc.${t.name}`, t.ops.length, 0, { kind: 'pc', thread: i }));
  spec.locks.forEach((l, i) => addVar(`owner.${l}`, nT, 0, { kind: 'lock-owner', instance: i }));
  for (const [name, d] of Object.entries(spec.vars ?? {})) addVar(name, d.max, d.init ?? 0, { kind: 'aux', note: name });
  const v = (name: string) => {
    const id = byName.get(name);
    if (id === undefined) throw new Error(`no var ${name}`);
    return id;
  };
  const visibleVars = new Set((spec.visibleVars ?? []).map(v));

  const transitions: Transition[] = [];
  const atMap = new Map<string, number[]>();
  spec.threads.forEach((th, ti) => {
    const pc = v(`pc.${th.name}`);
    th.ops.forEach((op, p) => {
      const add = (extra: BoolExpr[], updates: { v: number; e: IntExpr }[], outcome?: 'ok' | 'fail', branch?: number) => {
        const guard = and(eq(pc, p), ...extra);
        const reads = new Set<number>([pc]);
        const walk = (e: BoolExpr | IntExpr): void => {
          const x = e as { k: string; v?: number; a?: unknown; b?: unknown; args?: unknown[]; c?: unknown; t?: unknown; e?: unknown };
          if (x.k === 'var') reads.add(x.v!);
          for (const k of ['a', 'b', 'c', 't', 'e'] as const) if (x[k] && typeof x[k] === 'object') walk(x[k] as BoolExpr);
          if (x.args) for (const a of x.args) walk(a as BoolExpr);
        };
        walk(guard);
        for (const u of updates) walk(u.e);
        const writes = updates.map((u) => u.v);
        const id = transitions.length;
        const pcUpdate = updates.find((u) => u.v === pc)!.e;
        transitions.push({
          id,
          thread: ti,
          from: { pcVar: pc, pc: p },
          to: { pcVar: pc, pc: pcUpdate.k === 'const' ? pcUpdate.v : p },
          guard,
          updates,
          label: { proc: ti, node: p, outcome, branch, contexts: [] },
          reads: [...reads].sort((a, b) => a - b),
          writes,
          visible: writes.some((w) => visibleVars.has(w)),
        });
        const key = `${ti}:${p}`;
        atMap.set(key, [...(atMap.get(key) ?? []), id]);
      };
      const next = { v: pc, e: c(p + 1) };
      switch (op.op) {
        case 'lock':
          add([eq(v(`owner.${op.l}`), 0)], [next, { v: v(`owner.${op.l}`), e: c(ti + 1) }]);
          break;
        case 'unlock':
          add([eq(v(`owner.${op.l}`), ti + 1)], [next, { v: v(`owner.${op.l}`), e: c(0) }]);
          break;
        case 'trylock':
          add([eq(v(`owner.${op.l}`), 0)], [next, { v: v(`owner.${op.l}`), e: c(ti + 1) }], 'ok');
          add([ne(v(`owner.${op.l}`), 0)], [{ v: pc, e: c(op.onFail ?? p + 1) }], 'fail');
          break;
        case 'set':
          add([], [next, { v: v(op.v), e: c(op.val) }]);
          break;
        case 'await':
          add([eq(v(op.v), op.val)], [next]);
          break;
        case 'inc': {
          const x = v(op.v);
          const max = vars[x].max;
          add([], [next, { v: x, e: { k: 'ite', c: { k: 'lt', a: vr(x), b: c(max) }, t: { k: 'add', a: vr(x), b: c(1) }, e: vr(x) } }]);
          break;
        }
        case 'choice':
          op.to.forEach((target, i) => {
            if (target <= p) throw new Error('choice must jump forward');
            add([], [{ v: pc, e: c(target) }], undefined, i);
          });
          break;
      }
    });
  });

  const threads = spec.threads.map((th, i) => {
    const pc = v(`pc.${th.name}`);
    return {
      id: i,
      name: th.name,
      kind: 'thread' as const,
      liveness: th.optional ? ('optional' as const) : ('mandatory' as const),
      done: eq(pc, th.ops.length),
      notStarted: th.optional ? eq(pc, 0) : ({ k: 'false' } as BoolExpr),
    };
  });
  const completenessBound = spec.threads.reduce((s, t) => s + t.ops.length, 0);
  const mk = (properties: Property[]): TransitionSystem => ({
    hash: 'test',
    vars,
    threads,
    transitions,
    properties,
    completenessBound,
    semantics: { kernel: 'v7.0', kswapdRuns: 1, irqFires: 1, directReclaim: true },
  });
  return {
    ts: mk([{ kind: 'deadlock', rule: 'deadlock', check: 'deadlock' }]),
    v,
    at: (th, p) => atMap.get(`${th}:${p}`) ?? [],
    withProps: mk,
  };
}

export const deadlockProp: Property = { kind: 'deadlock', rule: 'deadlock', check: 'deadlock' };
