/**
 * Hand-built transition systems of plain mutex threads, for the BMC tests
 * and benchmark while (and after) the compiler exists: they pin the
 * engine's behaviour on systems whose every transition id is known.
 *
 * Per thread `pc.<name>` counts executed ops; per lock `owner.<lock>` is 0
 * when free, else 1 + the owning thread. A lock op waits for a free lock.
 */

import type { BoolExpr, IntExpr, Property, StateVar, Transition, TransitionSystem } from '../checker/semantics/system.js';

export type LockOp = { op: 'lock'; lock: string } | { op: 'unlock'; lock: string };

export interface LockThread {
  name: string;
  ops: LockOp[];
  optional?: boolean;
}

export const lock = (l: string): LockOp => ({ op: 'lock', lock: l });
export const unlock = (l: string): LockOp => ({ op: 'unlock', lock: l });

function bits(n: number): number {
  let w = 1;
  while (2 ** w <= n) w++;
  return w;
}

export const c = (v: number): IntExpr => ({ k: 'const', v });
export const v = (id: number): IntExpr => ({ k: 'var', v: id });
export const eq = (a: IntExpr, b: IntExpr): BoolExpr => ({ k: 'eq', a, b });
export const and = (...args: BoolExpr[]): BoolExpr => ({ k: 'and', args });

export interface LockSystemHandles {
  /** Variable id of `owner.<lock>`. */
  owner(lock: string): number;
  /** Variable id of `pc.<thread>`. */
  pc(thread: number): number;
  /** Transition id of op `index` of thread `thread`. */
  step(thread: number, index: number): number;
}

export function lockSystem(
  threads: LockThread[],
  props: (h: LockSystemHandles) => Property[] = () => [{ kind: 'deadlock', rule: 'deadlock', check: 'deadlock' }],
): TransitionSystem {
  const vars: StateVar[] = [];
  const pcs = threads.map((t, i) => {
    const id = vars.length;
    vars.push({ id, name: `pc.${t.name}`, width: bits(t.ops.length), max: t.ops.length, init: 0, role: { kind: 'pc', thread: i } });
    return id;
  });
  const locks = [...new Set(threads.flatMap((t) => t.ops.map((o) => o.lock)))];
  const owners = new Map<string, number>();
  locks.forEach((l, inst) => {
    const id = vars.length;
    owners.set(l, id);
    vars.push({ id, name: `owner.${l}`, width: bits(threads.length), max: threads.length, init: 0, role: { kind: 'lock-owner', instance: inst } });
  });
  const transitions: Transition[] = [];
  const stepIds: number[][] = [];
  threads.forEach((t, ti) => {
    stepIds.push([]);
    t.ops.forEach((o, p) => {
      const pc = pcs[ti];
      const own = owners.get(o.lock)!;
      const guard: BoolExpr =
        o.op === 'lock' ? and(eq(v(pc), c(p)), eq(v(own), c(0))) : and(eq(v(pc), c(p)), eq(v(own), c(ti + 1)));
      const id = transitions.length;
      stepIds[ti].push(id);
      transitions.push({
        id,
        thread: ti,
        from: { pcVar: pc, pc: p },
        to: { pcVar: pc, pc: p + 1 },
        guard,
        updates: [
          { v: pc, e: c(p + 1) },
          { v: own, e: c(o.op === 'lock' ? ti + 1 : 0) },
        ],
        label: { proc: ti, node: p, contexts: [] },
        reads: [pc, own],
        writes: [pc, own],
        visible: false,
      });
    });
  });
  const h: LockSystemHandles = {
    owner: (l) => {
      const id = owners.get(l);
      if (id === undefined) throw new Error(`no lock ${l}`);
      return id;
    },
    pc: (t) => pcs[t],
    step: (t, i) => stepIds[t][i],
  };
  return {
    hash: 'test',
    vars,
    threads: threads.map((t, i) => ({
      id: i,
      name: t.name,
      kind: 'thread',
      liveness: t.optional ? 'optional' : 'mandatory',
      done: eq(v(pcs[i]), c(t.ops.length)),
      notStarted: eq(v(pcs[i]), c(0)),
    })),
    transitions,
    properties: props(h),
    completenessBound: threads.reduce((n, t) => n + t.ops.length, 0),
    semantics: { kernel: 'v7.0', kswapdRuns: 1, irqFires: 1, directReclaim: true },
  };
}

/** N threads; thread i takes L_i then L_(i+1 mod N): a deadlock for N >= 2. */
export function ring(n: number): TransitionSystem {
  return lockSystem(
    Array.from({ length: n }, (_, i) => {
      const a = `L${i}`;
      const b = `L${(i + 1) % n}`;
      return { name: `T${i}`, ops: [lock(a), lock(b), unlock(b), unlock(a)] };
    }),
  );
}

/** Like ring, but every thread takes the lower-numbered lock first: no deadlock. */
export function ordered(n: number): TransitionSystem {
  return lockSystem(
    Array.from({ length: n }, (_, i) => {
      const x = i;
      const y = (i + 1) % n;
      const a = `L${Math.min(x, y)}`;
      const b = `L${Math.max(x, y)}`;
      return { name: `T${i}`, ops: [lock(a), lock(b), unlock(b), unlock(a)] };
    }),
  );
}
