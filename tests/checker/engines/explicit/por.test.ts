import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exploreExplicit, exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import type { BoolExpr, Property } from '../../../../checker/semantics/system.js';
import { buildSystem, eq, and, ne, or, not, type Op, type SystemSpec } from './builder.js';
import { refExplore, scheduleViolates } from './ref-eval.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

const opts = { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 256 } as const;

const LOCKS = ['A', 'B', 'C'];
const VARS = ['x', 'y'];

const opArb = (len: number, p: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...LOCKS).map((l): Op => ({ op: 'lock', l })) },
    { weight: 3, arbitrary: fc.constantFrom(...LOCKS).map((l): Op => ({ op: 'unlock', l })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LOCKS), fc.integer({ min: p + 1, max: len })).map(([l, onFail]): Op => ({ op: 'trylock', l, onFail })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...VARS), fc.integer({ min: 0, max: 2 })).map(([v, val]): Op => ({ op: 'set', v, val })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...VARS), fc.integer({ min: 0, max: 2 })).map(([v, val]): Op => ({ op: 'await', v, val })) },
    { weight: 1, arbitrary: fc.constantFrom(...VARS).map((v): Op => ({ op: 'inc', v })) },
    // A bare read of a lock's owner, as `mutex_is_locked` would be.
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LOCKS), fc.integer({ min: 0, max: 3 })).map(([l, val]): Op => ({ op: 'await', v: `owner.${l}`, val })) },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.integer({ min: p + 1, max: len }), { minLength: 1, maxLength: 2 })
        .map((to): Op => ({ op: 'choice', to })),
    },
  );

/** Ops whose forward jumps stay inside the program. */
const threadArb = (name: string): fc.Arbitrary<{ name: string; ops: Op[]; optional: boolean }> =>
  fc.integer({ min: 1, max: 5 }).chain((len) =>
    fc.record({
      name: fc.constant(name),
      ops: fc.tuple(...Array.from({ length: len }, (_, p) => opArb(len, p))),
      optional: fc.boolean().map((b) => b && name !== 'T0'),
    }),
  );

const specArb: fc.Arbitrary<SystemSpec> = fc.integer({ min: 2, max: 4 }).chain((n) =>
  fc.record({
    locks: fc.constant(LOCKS),
    vars: fc.constant({ x: { max: 2 }, y: { max: 2 } }),
    threads: fc.tuple(...Array.from({ length: n }, (_, i) => threadArb(`T${i}`))),
    visibleVars: fc.subarray(VARS),
  }),
);

/** Random atomic tests over the system's variables. */
function atomArb(spec: SystemSpec, v: (n: string) => number): fc.Arbitrary<BoolExpr> {
  const names = [...LOCKS.map((l) => `owner.${l}`), ...VARS, ...spec.threads.map((t) => `pc.${t.name}`)];
  return fc.tuple(fc.constantFrom(...names), fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([n, val, pos]) => (pos ? eq(v(n), val) : ne(v(n), val)));
}

function propsArb(spec: SystemSpec, b: ReturnType<typeof buildSystem>): fc.Arbitrary<Property[]> {
  const atom = atomArb(spec, b.v);
  const expr = fc.oneof(
    atom,
    fc.tuple(atom, atom).map(([a, c]) => and(a, c)),
    fc.tuple(atom, atom).map(([a, c]) => or(a, not(c))),
  );
  const nTrans = b.ts.transitions.length;
  const trans = fc.uniqueArray(fc.integer({ min: 0, max: nTrans - 1 }), { minLength: 1, maxLength: 3 });
  return fc
    .tuple(fc.array(expr, { minLength: 1, maxLength: 4 }), expr, fc.array(fc.tuple(trans, expr), { minLength: 1, maxLength: 3 }))
    .map(([bads, tbad, steps]): Property[] => [
      { kind: 'deadlock', rule: 'r', check: 'deadlock' },
      ...bads.map((bad): Property => ({ kind: 'state', rule: 'r', check: 'state', bad })),
      { kind: 'terminal', rule: 'r', check: 'terminal', bad: tbad },
      ...steps.map(([transitions, when]): Property => ({ kind: 'step', rule: 'r', check: 'step', transitions, when })),
    ]);
}

const systemArb = specArb.chain((spec) => {
  const b = buildSystem(spec);
  return propsArb(spec, b).map((props) => ({ spec, ts: b.withProps(props), bare: b.withProps([]) }));
});

describe('partial-order reduction on random systems', () => {
  it('full search matches the naive oracle exactly (verdicts, shortest schedules, state count)', async () => {
    await fc.assert(
      fc.asyncProperty(systemArb, async ({ ts, bare }) => {
        const ref = refExplore(ts);
        const { result } = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'none' }));
        expect((await exploreExplicit(bare, { ...opts, reduction: 'none' })).stats.states).toBe(ref.states);
        result.results.forEach((r, i) => {
          if (ref.shortest[i] === undefined) {
            expect(r).toEqual({ status: 'holds', exhaustive: true });
          } else {
            expect(r.status).toBe('violated');
            if (r.status !== 'violated') return;
            expect(r.schedule.length).toBe(ref.shortest[i]);
            expect(scheduleViolates(ts, ts.properties[i], r.schedule)).toBe(true);
          }
        });
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });

  it('POR gives the same verdict as full search, replayable schedules, and the same terminal states', async () => {
    let reducedSomewhere = 0;
    await fc.assert(
      fc.asyncProperty(systemArb, async ({ ts, bare }) => {
        const full = (await exploreExplicit(ts, { ...opts, reduction: 'none' }));
        const fullTerminal = new Set<string>();
        const fullBare = (await exploreExplicit(bare, { ...opts, reduction: 'none', onExpand: (s, t) => void (t && fullTerminal.add(s.join(','))) }));
        const porTerminal = new Set<string>();
        const { detail } = (await exploreExplicitDetailed(bare, {
          ...opts,
          reduction: 'por',
          onExpand: (s, t) => void (t && porTerminal.add(s.join(','))),
        }));
        expect(detail.reduction).toBe('por');
        if (detail.reducedStates > 0) reducedSomewhere++;
        expect(detail.states).toBeLessThanOrEqual(fullBare.stats.states!);
        const por = (await exploreExplicit(ts, { ...opts, reduction: 'por' }));
        expect([...porTerminal].sort()).toEqual([...fullTerminal].sort());
        por.results.forEach((r, i) => {
          expect(r.status).toBe(full.results[i].status);
          if (r.status === 'violated') expect(scheduleViolates(ts, ts.properties[i], r.schedule)).toBe(true);
        });
      }),
      { numRuns: 400, seed: 424242 },
    );
    // The generator must exercise the reduction, or the test proves nothing.
    expect(reducedSomewhere).toBeGreaterThan(100);
  });
});

describe('partial-order reduction: targeted cases', () => {
  const terminals = async (ts: ReturnType<typeof buildSystem>['ts'], reduction: 'none' | 'por') => {
    const out = new Set<string>();
    (await exploreExplicit(ts, { ...opts, reduction, onExpand: (s, t) => void (t && out.add(s.join(','))) }));
    return [...out].sort();
  };

  it('keeps an intermediate state a state property needs (visibility)', async () => {
    const b = buildSystem({
      locks: [],
      vars: { x: { max: 1 }, y: { max: 1 } },
      threads: [
        { name: 'T0', ops: [{ op: 'set', v: 'x', val: 1 }] },
        { name: 'T1', ops: [{ op: 'set', v: 'y', val: 1 }] },
      ],
    });
    const ts = b.withProps([{ kind: 'state', rule: 'r', check: 'x-before-y', bad: and(eq(b.v('x'), 1), eq(b.v('y'), 0)) }]);
    expect((await exploreExplicit(ts, { ...opts, reduction: 'por' })).results).toEqual([{ status: 'violated', schedule: [b.at(0, 0)[0]] }]);
    // Without a property the two independent writes are not interleaved.
    const bare = (await exploreExplicitDetailed(b.withProps([]), { ...opts, reduction: 'por' })).detail;
    expect(bare.states).toBe(3);
  });

  it('does not freeze a lock whose holder is outside the set (trylock after a release)', async () => {
    const b = buildSystem({
      locks: ['A'],
      vars: { x: { max: 1 }, y: { max: 1 } },
      threads: [
        { name: 'T0', ops: [{ op: 'await', v: 'x', val: 1 }, { op: 'trylock', l: 'A', onFail: 3 }, { op: 'set', v: 'y', val: 1 }] },
        { name: 'T1', ops: [{ op: 'lock', l: 'A' }, { op: 'set', v: 'x', val: 1 }, { op: 'unlock', l: 'A' }] },
      ],
    });
    const ts = b.withProps([{ kind: 'terminal', rule: 'r', check: 'got-it', bad: eq(b.v('y'), 1) }]);
    expect((await exploreExplicit(ts, { ...opts, reduction: 'none' })).results[0].status).toBe('violated');
    expect((await exploreExplicit(ts, { ...opts, reduction: 'por' })).results[0].status).toBe('violated');
    expect(await terminals(b.withProps([]), 'por')).toEqual(await terminals(b.withProps([]), 'none'));
  });

  it('does not freeze a lock whose holder is outside the set (a bare read of the owner)', async () => {
    const b = buildSystem({
      locks: ['A'],
      vars: { y: { max: 1 } },
      threads: [
        { name: 'T0', ops: [{ op: 'await', v: 'owner.A', val: 2 }, { op: 'set', v: 'y', val: 1 }] },
        { name: 'T1', ops: [{ op: 'lock', l: 'A' }, { op: 'unlock', l: 'A' }] },
      ],
    });
    // T1 may release before T0 looks: T0 then waits forever.
    expect((await exploreExplicit(b.ts, { ...opts, reduction: 'none' })).results).toEqual([{ status: 'violated', schedule: [b.at(1, 0)[0], b.at(1, 1)[0]] }]);
    expect((await exploreExplicit(b.ts, { ...opts, reduction: 'por' })).results).toEqual([{ status: 'violated', schedule: [b.at(1, 0)[0], b.at(1, 1)[0]] }]);
    expect(await terminals(b.withProps([]), 'por')).toEqual(await terminals(b.withProps([]), 'none'));
  });

  it('adds the threads that can enable a blocked thread in the set (necessary enabling set)', async () => {
    // T0's write conflicts with T1's future; T1 is blocked until T2 sets y.
    // A set that took T0 and T1 but not T2 would miss the run T2, T1, T0.
    const b = buildSystem({
      locks: [],
      vars: { y: { max: 1 }, z: { max: 2 } },
      threads: [
        { name: 'T0', ops: [{ op: 'set', v: 'z', val: 1 }] },
        { name: 'T1', ops: [{ op: 'await', v: 'y', val: 1 }, { op: 'set', v: 'z', val: 2 }] },
        { name: 'T2', ops: [{ op: 'set', v: 'y', val: 1 }] },
      ],
    });
    const ts = b.withProps([{ kind: 'terminal', rule: 'r', check: 'z-is-1', bad: eq(b.v('z'), 1) }]);
    expect((await exploreExplicit(ts, { ...opts, reduction: 'por' })).results).toEqual([
      { status: 'violated', schedule: [b.at(2, 0)[0], b.at(1, 0)[0], b.at(1, 1)[0], b.at(0, 0)[0]] },
    ]);
    expect(await terminals(b.withProps([]), 'por')).toEqual(await terminals(b.withProps([]), 'none'));
  });

  it('a held lock needs only its holder to become free (ring of 4: fewer states, same deadlock)', async () => {
    const n = 4;
    const b = buildSystem({
      locks: Array.from({ length: n }, (_, i) => `L${i}`),
      threads: Array.from({ length: n }, (_, i) => ({
        name: `T${i}`,
        ops: [
          { op: 'lock', l: `L${i}` },
          { op: 'lock', l: `L${(i + 1) % n}` },
          { op: 'unlock', l: `L${(i + 1) % n}` },
          { op: 'unlock', l: `L${i}` },
        ] as Op[],
      })),
    });
    const full = (await exploreExplicitDetailed(b.ts, { ...opts, reduction: 'none' }));
    const por = (await exploreExplicitDetailed(b.ts, { ...opts, reduction: 'por' }));
    // Every thread takes its first lock: 4 steps, the shortest deadlock.
    const expected = [0, 1, 2, 3].map((i) => b.at(i, 0)[0]);
    expect(full.result.results).toEqual([{ status: 'violated', schedule: expected }]);
    expect(por.result.results).toEqual([{ status: 'violated', schedule: expected }]);
    const fullBare = (await exploreExplicitDetailed(b.withProps([]), { ...opts, reduction: 'none' })).detail.states;
    const porBare = (await exploreExplicitDetailed(b.withProps([]), { ...opts, reduction: 'por' })).detail.states;
    expect(porBare).toBeLessThan(fullBare);
  });

  it('falls back to full expansion when it cannot prove the system loop-free', async () => {
    const b = buildSystem({ locks: ['A'], threads: [{ name: 'T0', ops: [{ op: 'lock', l: 'A' }] }] });
    const ts = structuredClone(b.ts);
    // A transition that leaves the pc where it is could repeat forever.
    ts.transitions[0].updates = ts.transitions[0].updates.filter((u) => u.v !== b.v('pc.T0'));
    const { detail } = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' }));
    expect(detail.reduction).toBe('none');
    // The pc never changes, so its test is always true and drops out too.
    expect(detail.porOff).toBe('the state graph may have cycles (transition 0 does not test its thread\'s pc)');
  });
});

describe('partial-order reduction: passes and visibility', () => {
  const ring4 = (visibleVars: string[]) =>
    buildSystem({
      locks: ['L0', 'L1', 'L2', 'L3'],
      vars: { x: { max: 3 } },
      visibleVars,
      threads: Array.from({ length: 4 }, (_, i) => ({
        name: `T${i}`,
        ops: [
          { op: 'lock', l: `L${i}` },
          { op: 'set', v: 'x', val: i },
          { op: 'lock', l: `L${(i + 1) % 4}` },
          { op: 'unlock', l: `L${(i + 1) % 4}` },
          { op: 'unlock', l: `L${i}` },
        ] as Op[],
      })),
    });

  it('checks deadlock without visibility even when the compiler flags every transition visible', async () => {
    const every = ring4(['owner.L0', 'owner.L1', 'owner.L2', 'owner.L3', 'x', 'pc.T0', 'pc.T1', 'pc.T2', 'pc.T3']);
    expect(every.ts.transitions.every((t) => t.visible)).toBe(true);
    const plain = ring4([]);
    const a = (await exploreExplicitDetailed(every.ts, { ...opts, reduction: 'por' }));
    const b = (await exploreExplicitDetailed(plain.ts, { ...opts, reduction: 'por' }));
    expect(a.result.results).toEqual(b.result.results);
    expect(a.detail.states).toBe(b.detail.states);
    expect(a.detail.passes).toEqual([{ properties: 1, states: b.detail.states, reduction: 'por' }]);
    expect(a.detail.states).toBeLessThan((await exploreExplicitDetailed(plain.ts, { ...opts, reduction: 'none' })).detail.states);
  });

  it('checks every property in one search by default, in two with declared visibility', async () => {
    const b = ring4(['x']);
    const ts = b.withProps([
      { kind: 'deadlock', rule: 'r', check: 'deadlock' },
      { kind: 'state', rule: 'r', check: 'x-3-while-L0-free', bad: and(eq(b.v('x'), 3), eq(b.v('owner.L0'), 0)) },
    ]);
    const full = (await exploreExplicit(ts, { ...opts, reduction: 'none' }));
    const props = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' }));
    const declared = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por', visibility: 'declared' }));
    expect(props.result.results).toEqual(full.results);
    expect(declared.result.results).toEqual(full.results);
    expect(props.detail.passes.map((p) => p.properties)).toEqual([2]);
    expect(declared.detail.passes.map((p) => p.properties)).toEqual([1, 1]);
    // The second declared search has the same visible set (the writers of
    // x) as a default search of the state property alone.
    const alone = (await exploreExplicitDetailed(b.withProps([ts.properties[1]]), { ...opts, reduction: 'por' }));
    expect(declared.detail.passes[1].states).toBe(alone.detail.states);
  });

  it('flags every declared-visible transition only with visibility: declared', async () => {
    const every = ring4(['owner.L0', 'owner.L1', 'owner.L2', 'owner.L3', 'x', 'pc.T0', 'pc.T1', 'pc.T2', 'pc.T3']);
    // Never true: only T3 writes 3, after it started.
    const ts = every.withProps([{ kind: 'state', rule: 'r', check: 'x-3-before-T3', bad: and(eq(every.v('x'), 3), eq(every.v('pc.T3'), 0)) }]);
    const props = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' }));
    const declared = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por', visibility: 'declared' }));
    expect(props.detail.porOff).toBeUndefined();
    expect(declared.detail.porOff).toBe('every transition is visible to the properties');
    expect(props.detail.states).toBeLessThan(declared.detail.states);
    expect(props.result.results).toEqual([{ status: 'holds', exhaustive: true }]);
    expect(declared.result.results).toEqual([{ status: 'holds', exhaustive: true }]);
  });

  it('runs the second pass without reduction when every transition is visible', async () => {
    const b = ring4([]);
    const ts = b.withProps([{ kind: 'state', rule: 'r', check: 'pcs', bad: and(eq(b.v('pc.T0'), 5), eq(b.v('pc.T1'), 5), eq(b.v('pc.T2'), 5), eq(b.v('pc.T3'), 5), eq(b.v('x'), 2)) }]);
    const { detail } = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' }));
    expect(detail.porOff).toBe('every transition is visible to the properties');
    expect(detail.passes).toEqual([{ properties: 1, states: (await exploreExplicit(ts, { ...opts, reduction: 'none' })).stats.states, reduction: 'none' }]);
  });
});
