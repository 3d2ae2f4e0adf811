import { afterAll, describe, expect, it } from 'vitest';
import { casesOf, MAX_SPLIT, pinnedBy, reachability } from '../../../../checker/engines/bmc/fixpoint.js';
import { freshContext, shutdownSolver, withSolver } from '../../../../checker/engines/bmc/solver.js';
import { exploreExplicit } from '../../../../checker/engines/explicit/index.js';
import type { IntExpr, Property, Transition, TransitionSystem } from '../../../../checker/semantics/system.js';
import { and, c, eq, lock, lockSystem, ordered, ring, unlock, v } from '../../../../bench/bmc-systems.js';
import { familySystem } from '../../../../bench/families/index.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

async function reach(ts: TransitionSystem, goals = ts.properties.map((_, i) => i), timeoutMs: number = Z3_BUDGET.timeoutMs, negateGuardOf?: number, rlimit: number | undefined = Z3_BUDGET.rlimit) {
  const out = await withSolver(async () => reachability(await freshContext(), ts, { goals, timeoutMs, negateGuardOf, rlimit }));
  if (out.kind !== 'done') throw new Error(`solver failed: ${JSON.stringify(out.limit)}`);
  return out.value;
}

/** Two threads over L0/L1 (T1 optional) with one goal of every kind. */
function everyKind(): TransitionSystem {
  return lockSystem(
    [
      { name: 'T0', ops: [lock('L0'), lock('L1'), unlock('L1'), unlock('L0')] },
      { name: 'T1', ops: [lock('L1'), lock('L0'), unlock('L0'), unlock('L1')], optional: true },
    ],
    (h): Property[] => [
      // 0: both locks held by T0 at once: reachable.
      { kind: 'state', rule: 'r', check: 't0-holds-both', bad: and(eq(v(h.owner('L0')), c(1)), eq(v(h.owner('L1')), c(1))) },
      // 1: L0 held by a third thread id: unreachable.
      { kind: 'state', rule: 'r', check: 'ghost-owner', bad: eq(v(h.owner('L0')), c(3)) },
      // 2: a deadlock (ABBA): reachable.
      { kind: 'deadlock', rule: 'deadlock', check: 'deadlock' },
      // 3: a terminal state with L1 still held: reachable (the ABBA state).
      { kind: 'terminal', rule: 'r', check: 'ends-holding-l1', bad: { k: 'ne', a: v(h.owner('L1')), b: c(0) } },
      // 4: T1 takes L0 (its second op) while T0 is at its start: reachable.
      { kind: 'step', rule: 'r', check: 't1-l0-early', transitions: [h.step(1, 1)], when: eq(v(h.pc(0)), c(0)) },
      // 5: T0 releases L1 while T1 holds L0: unreachable (T0 holds L0 then).
      { kind: 'step', rule: 'r', check: 'release-under-t1', transitions: [h.step(0, 2)], when: eq(v(h.owner('L0')), c(2)) },
      // 6: a step goal with no transitions: never.
      { kind: 'step', rule: 'r', check: 'no-transitions', transitions: [], when: { k: 'true' } },
    ],
  );
}

describe('fixed-point reachability', () => {
  it('answers every goal kind, each as the explicit engine decides it', async () => {
    const ts = everyKind();
    const r = await reach(ts);
    expect(r).toEqual({ kind: 'answered', reachable: [true, false, true, true, true, false, false] });
    const full = await exploreExplicit(ts, { timeoutMs: Z3_BUDGET.timeoutMs, maxMemoryMb: 256, reduction: 'none' });
    expect(full.results.map((x) => x.status === 'violated')).toEqual(r.kind === 'answered' ? r.reachable : []);
  });

  it('keeps the order of the goals asked, whatever subset', async () => {
    const ts = everyKind();
    expect(await reach(ts, [5, 0, 1, 2])).toEqual({ kind: 'answered', reachable: [false, true, false, true] });
    expect(await reach(ts, [1])).toEqual({ kind: 'answered', reachable: [false] });
    expect(await reach(ts, [4])).toEqual({ kind: 'answered', reachable: [true] });
    expect(await reach(ts, [])).toEqual({ kind: 'answered', reachable: [] });
  });

  it('proves ordered locking deadlock-free and finds the ring deadlock', async () => {
    expect(await reach(ordered(3))).toEqual({ kind: 'answered', reachable: [false] });
    expect(await reach(ring(3))).toEqual({ kind: 'answered', reachable: [true] });
  });

  it('decides a family member whose unrolled proof is slow', async () => {
    // reclaim-fix-1: ~4 s as one unrolled query at the bound (encode.ts table).
    expect(await reach(familySystem('reclaim-fix', 1))).toEqual({ kind: 'answered', reachable: [false] });
  });

  it('applies an injected guard fault, as the unrolling does', async () => {
    // Negating T0's first guard lets T0 "take" L0 while T1 holds it.
    const ts = ordered(2);
    expect(await reach(ts)).toEqual({ kind: 'answered', reachable: [false] });
    expect(await reach(ts, [0], Z3_BUDGET.timeoutMs, 0)).toEqual({ kind: 'answered', reachable: [true] });
  });

  it('names the time-out when saturation does not finish', async () => {
    const r = await reach(familySystem('reclaim-fix', 4), [0], 50, undefined, undefined);
    expect(r).toEqual({ kind: 'inconclusive', limit: { kind: 'timeout', ms: 50 } });
  });

  it('names the resource limit when saturation needs more, whatever the wall clock', async () => {
    const r = await reach(familySystem('reclaim-fix', 4), [0], 600_000, undefined, 20_000);
    expect(r).toEqual({ kind: 'inconclusive', limit: { kind: 'z3-unknown', reason: 'resource limit 20000 reached' } });
  });

  it('a resource limit above need changes no answer', async () => {
    expect(await reach(everyKind(), undefined, 600_000, undefined, 50_000_000)).toEqual({ kind: 'answered', reachable: [true, false, true, true, true, false, false] });
  });
});

describe('rule shaping', () => {
  const ts = ordered(2); // vars: pc.T0 (3 bits), pc.T1 (3 bits), owner.L0 (2 bits), owner.L1 (2 bits)
  const step = (updates: { v: number; e: IntExpr }[]): Transition => ({ ...ts.transitions[0], updates });

  it('pins the variables a conjunctive guard fixes, and only those', () => {
    expect([...pinnedBy(ts.transitions[0].guard)]).toEqual([
      [0, 0],
      [2, 0],
    ]);
    expect([...pinnedBy({ k: 'or', args: [eq(v(0), c(1)), eq(v(1), c(2))] })]).toEqual([]);
    expect([...pinnedBy({ k: 'and', args: [eq(c(3), v(1)), { k: 'ne', a: v(2), b: c(0) }] })]).toEqual([[1, 3]]);
  });

  it('constant and copied updates need no split', () => {
    expect(casesOf(ts, step([{ v: 0, e: c(1) }, { v: 2, e: v(3) }]), new Map())).toEqual([
      { conds: [], values: new Map(), updates: [{ v: 0, e: c(1) }, { v: 2, e: v(3) }] },
    ]);
  });

  it('an ite is split on its condition, shared conditions once', () => {
    const cond = eq(v(2), c(1));
    const cases = casesOf(ts, step([{ v: 0, e: { k: 'ite', c: cond, t: c(2), e: c(3) } }, { v: 1, e: { k: 'ite', c: cond, t: c(1), e: v(1) } }]), new Map());
    expect(cases).toEqual([
      { conds: [{ c: cond, holds: false }], values: new Map(), updates: [{ v: 0, e: c(3) }, { v: 1, e: v(1) }] },
      { conds: [{ c: cond, holds: true }], values: new Map(), updates: [{ v: 0, e: c(2) }, { v: 1, e: c(1) }] },
    ]);
  });

  it('arithmetic is split over the whole domain of what it reads, unless pinned', () => {
    const inc: IntExpr = { k: 'add', a: v(2), b: c(1) };
    const cases = casesOf(ts, step([{ v: 2, e: inc }]), new Map());
    // owner.L0 is 2 bits wide: 4 values, not just 0..max.
    expect(cases.map((x) => [...x.values])).toEqual([[[2, 0]], [[2, 1]], [[2, 2]], [[2, 3]]]);
    expect(casesOf(ts, step([{ v: 2, e: inc }]), new Map([[2, 1]])).map((x) => [...x.values])).toEqual([[]]);
  });

  it('past MAX_SPLIT the update keeps its computed term', () => {
    // pc.T0 (3 bits) x pc.T1 (3 bits) x owner.L0 (2 bits) = 256 > MAX_SPLIT.
    expect(MAX_SPLIT).toBeLessThan(256);
    const sum: IntExpr = { k: 'add', a: { k: 'add', a: v(0), b: v(1) }, b: v(2) };
    expect(casesOf(ts, step([{ v: 3, e: sum }]), new Map())).toEqual([{ conds: [], values: new Map(), updates: [{ v: 3, e: sum }] }]);
  });
});
