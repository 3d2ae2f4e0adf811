import { describe, expect, it } from 'vitest';
import { exploreExplicit, exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import type { Property } from '../../../../checker/semantics/system.js';
import { buildSystem, eq, and, type Op } from './builder.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

const opts = { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 256 } as const;
const REDUCTIONS = ['none', 'por'] as const;

function abba() {
  return buildSystem({
    locks: ['A', 'B'],
    threads: [
      { name: 'T0', ops: [{ op: 'lock', l: 'A' }, { op: 'lock', l: 'B' }, { op: 'unlock', l: 'B' }, { op: 'unlock', l: 'A' }] },
      { name: 'T1', ops: [{ op: 'lock', l: 'B' }, { op: 'lock', l: 'A' }, { op: 'unlock', l: 'A' }, { op: 'unlock', l: 'B' }] },
    ],
  });
}

/** n threads; thread i takes L[i] and L[i+1 mod n], lower index first. */
function orderedLocks(n: number) {
  return buildSystem({
    locks: Array.from({ length: n }, (_, i) => `L${i}`),
    threads: Array.from({ length: n }, (_, i) => {
      const a = `L${Math.min(i, (i + 1) % n)}`;
      const b = `L${Math.max(i, (i + 1) % n)}`;
      const ops: Op[] = [{ op: 'lock', l: a }, { op: 'lock', l: b }, { op: 'unlock', l: b }, { op: 'unlock', l: a }];
      return { name: `T${i}`, ops };
    }),
  });
}

describe('exploreExplicit: verdicts and schedules', () => {
  it.each(REDUCTIONS)('finds the ABBA deadlock with the exact shortest schedule (%s)', async (reduction) => {
    const b = abba();
    const r = (await exploreExplicit(b.ts, { ...opts, reduction }));
    // T0 takes A, T1 takes B: both block on the other lock.
    expect(r.results).toEqual([{ status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] }]);
    expect(r.engine).toBe('explicit');
  });

  it.each(REDUCTIONS)('proves ordered locking deadlock-free, exhaustively (%s)', async (reduction) => {
    const b = orderedLocks(4);
    const r = (await exploreExplicit(b.ts, { ...opts, reduction }));
    expect(r.results).toEqual([{ status: 'holds', exhaustive: true }]);
  });

  it('counts every reachable state of the full search', async () => {
    // Two threads, one lock, lock/unlock each: 3 x 3 pc pairs minus the one
    // where both hold the lock; the owner follows from the pcs. Eight
    // edges: two from the start, one from each other non-final state.
    const b = buildSystem({
      locks: ['A'],
      threads: [
        { name: 'T0', ops: [{ op: 'lock', l: 'A' }, { op: 'unlock', l: 'A' }] },
        { name: 'T1', ops: [{ op: 'lock', l: 'A' }, { op: 'unlock', l: 'A' }] },
      ],
    });
    const { result, detail } = (await exploreExplicitDetailed(b.ts, { ...opts, reduction: 'none' }));
    expect(detail.states).toBe(8);
    expect(result.stats.states).toBe(8);
    expect(result.stats.transitionsFired).toBe(8);
    expect(result.results).toEqual([{ status: 'holds', exhaustive: true }]);
  });

  it.each(REDUCTIONS)('checks a state property on every reachable state (%s)', async (reduction) => {
    const b = abba();
    // Both locks held at once by different threads.
    const ts = b.withProps([
      { kind: 'state', rule: 'r', check: 'both-held', bad: and(eq(b.v('owner.A'), 1), eq(b.v('owner.B'), 2)) },
      { kind: 'state', rule: 'r', check: 'never', bad: and(eq(b.v('owner.A'), 2), eq(b.v('pc.T1'), 0)) },
    ]);
    const r = (await exploreExplicit(ts, { ...opts, reduction }));
    expect(r.results).toEqual([
      { status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] },
      { status: 'holds', exhaustive: true },
    ]);
  });

  it.each(REDUCTIONS)('checks a step property when its transition fires where `when` holds (%s)', async (reduction) => {
    const b = abba();
    // T0 takes B while T1 is done: needs T1 to run to completion first.
    const ts = b.withProps([
      { kind: 'step', rule: 'r', check: 'late-B', transitions: b.at(0, 1), when: eq(b.v('pc.T1'), 4) },
      { kind: 'step', rule: 'r', check: 'never', transitions: b.at(0, 1), when: eq(b.v('owner.B'), 2) },
    ]);
    const r = (await exploreExplicit(ts, { ...opts, reduction }));
    const t1 = [0, 1, 2, 3].map((p) => b.at(1, p)[0]);
    // Six steps; BFS enumerates threads in order, so T0 takes A as soon as T1 let it go.
    expect(r.results).toEqual([
      { status: 'violated', schedule: [t1[0], t1[1], t1[2], b.at(0, 0)[0], t1[3], b.at(0, 1)[0]] },
      { status: 'holds', exhaustive: true },
    ]);
  });

  it.each(REDUCTIONS)('checks a terminal property in terminal states only (%s)', async (reduction) => {
    const b = abba();
    const ts = b.withProps([
      // Terminal with T0 done: T0 ran entirely first, then T1.
      { kind: 'terminal', rule: 'r', check: 't0-done', bad: eq(b.v('pc.T0'), 4) },
      // A holds by T0 is never terminal-true: T0 then blocks on B or finishes.
      { kind: 'terminal', rule: 'r', check: 'a-free-t0-start', bad: and(eq(b.v('pc.T0'), 0), eq(b.v('pc.T1'), 0)) },
    ]);
    const r = (await exploreExplicit(ts, { ...opts, reduction }));
    expect(r.results[1]).toEqual({ status: 'holds', exhaustive: true });
    expect(r.results[0].status).toBe('violated');
    if (r.results[0].status === 'violated') expect(r.results[0].schedule).toHaveLength(8);
  });

  it('ignores an optional thread that has not started, but not one that has', async () => {
    // T0 waits for a flag only the optional irq sets. The irq may never
    // fire: T0 is then stuck (a deadlock of the mandatory thread). An irq
    // that started and blocks on a lock is a deadlock on its own.
    const b = buildSystem({
      locks: ['A'],
      vars: { flag: { max: 1 } },
      threads: [
        { name: 'T0', ops: [{ op: 'lock', l: 'A' }, { op: 'await', v: 'flag', val: 1 }, { op: 'unlock', l: 'A' }] },
        { name: 'irq', optional: true, ops: [{ op: 'set', v: 'flag', val: 0 }, { op: 'lock', l: 'A' }, { op: 'set', v: 'flag', val: 1 }] },
      ],
    });
    const ts = b.withProps([
      { kind: 'deadlock', rule: 'r', check: 'deadlock' },
      { kind: 'terminal', rule: 'r', check: 'irq-blocked', bad: eq(b.v('pc.irq'), 1) },
    ]);
    for (const reduction of REDUCTIONS) {
      const r = (await exploreExplicit(ts, { ...opts, reduction }));
      expect(r.results).toEqual([
        // T0 takes A and waits; the irq not started is ignored: terminal, T0 unfinished.
        { status: 'violated', schedule: [b.at(0, 0)[0]] },
        // The irq starts (pc 1) then blocks on A held by T0.
        { status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] },
      ]);
    }
  });

  it('stops at the first violation with stopAtFirst and bounds the rest by the explored depth', async () => {
    const b = abba();
    const ts = b.withProps([
      { kind: 'deadlock', rule: 'r', check: 'deadlock' },
      { kind: 'state', rule: 'r', check: 'never', bad: eq(b.v('owner.A'), 3) },
    ]);
    const r = (await exploreExplicit(ts, { ...opts, reduction: 'none', stopAtFirst: true }));
    expect(r.results).toEqual([
      { status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] },
      // Every state of depth < 2 was expanded: schedules of length <= 1 are covered.
      { status: 'holds', exhaustive: false, bound: 1 },
    ]);
  });

  it('runs to the end when the system has no property (state counting)', async () => {
    const b = orderedLocks(3);
    const { result, detail } = (await exploreExplicitDetailed(b.withProps([]), { ...opts, reduction: 'none' }));
    expect(result.results).toEqual([]);
    expect(detail.states).toBeGreaterThan(1);
  });
});

describe('exploreExplicit: limits', () => {
  const big = () => orderedLocks(7);

  /** Seven threads contending for one lock twice: too many states even under POR. */
  const contended = () =>
    buildSystem({
      locks: ['G'],
      threads: Array.from({ length: 7 }, (_, i) => ({
        name: `T${i}`,
        ops: [{ op: 'lock', l: 'G' }, { op: 'unlock', l: 'G' }, { op: 'lock', l: 'G' }, { op: 'unlock', l: 'G' }] as Op[],
      })),
    });

  it.each(REDUCTIONS)('answers inconclusive naming the time-out (%s)', async (reduction) => {
    const props: Property[] = [{ kind: 'deadlock', rule: 'r', check: 'deadlock' }];
    const r = (await exploreExplicit(contended().withProps(props), { ...opts, timeoutMs: 0, reduction }));
    expect(r.results).toEqual([{ status: 'inconclusive', limit: { kind: 'timeout', ms: 0 } }]);
    // The clock is read every 1024 expansions: it stops at the first reading.
    expect(r.stats.states).toBeLessThan(1024 * 64);
  });

  it('answers inconclusive naming the state limit, storing no more than it', async () => {
    const { result, detail } = (await exploreExplicitDetailed(big().ts, { ...opts, maxStates: 500, reduction: 'none' }));
    expect(result.results).toEqual([{ status: 'inconclusive', limit: { kind: 'states', max: 500 } }]);
    expect(detail.states).toBe(500);
  });

  it('answers inconclusive naming the memory limit before growing past it', async () => {
    const budget = 0.1;
    const { result, detail } = (await exploreExplicitDetailed(big().ts, { ...opts, maxMemoryMb: budget, reduction: 'none' }));
    expect(result.results).toEqual([{ status: 'inconclusive', limit: { kind: 'memory', mb: budget } }]);
    expect(detail.storeBytes).toBeLessThanOrEqual(budget * 1024 * 1024);
  });

  it('keeps a violation found before the limit', async () => {
    const b = abba();
    const ts = b.withProps([
      { kind: 'deadlock', rule: 'r', check: 'deadlock' },
      { kind: 'state', rule: 'r', check: 'never', bad: eq(b.v('owner.A'), 3) },
    ]);
    // BFS stores 7 states before it expands the deadlocked one (index 4),
    // then hits the limit expanding the next.
    const r = (await exploreExplicit(ts, { ...opts, maxStates: 7, reduction: 'none' }));
    expect(r.results).toEqual([
      { status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] },
      { status: 'inconclusive', limit: { kind: 'states', max: 7 } },
    ]);
  });
});

describe('exploreExplicit: degenerate systems', () => {
  it.each(REDUCTIONS)('handles a system with no thread and no variable (%s)', async (reduction) => {
    const ts = buildSystem({ locks: [], threads: [] }).ts;
    const r = (await exploreExplicit(ts, { ...opts, reduction }));
    // The only state is terminal and nothing is unfinished: no deadlock.
    expect(r.results).toEqual([{ status: 'holds', exhaustive: true }]);
    expect(r.stats.states).toBe(1);
  });
});

describe('exploreExplicit: pc variables it cannot index', () => {
  it('evaluates whole guards for a thread whose pc is computed, with the same verdict', async () => {
    const b = abba();
    const ts = structuredClone(b.ts);
    const pc = b.v('pc.T0');
    // pc := pc + 1 means the same as the constants, but cannot be checked statically.
    for (const t of ts.transitions) {
      for (const u of t.updates) if (u.v === pc) u.e = { k: 'add', a: { k: 'var', v: pc }, b: { k: 'const', v: 1 } };
    }
    for (const reduction of REDUCTIONS) {
      const { result, detail } = (await exploreExplicitDetailed(ts, { ...opts, reduction }));
      expect(result.results).toEqual([{ status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] }]);
      expect(detail.reduction).toBe('none');
    }
    const por = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' })).detail;
    expect(por.porOff).toBe('the state graph may have cycles (the pc of thread T0 is not a constant in 0..max)');
    expect((await exploreExplicitDetailed(ts, { ...opts, reduction: 'none' })).detail.states).toBe(
      (await exploreExplicitDetailed(b.ts, { ...opts, reduction: 'none' })).detail.states,
    );
  });
});
