/**
 * The explicit engine compiles its own closures; these tests hold them to
 * the reference evaluator (checker/semantics/eval.ts): same guards, same
 * update values, same terminal and deadlock states, and every schedule the
 * engine returns replays there to a violation of the same property.
 */

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileBool, compileInt } from '../../../../checker/engines/explicit/compile-closures.js';
import { exploreExplicit } from '../../../../checker/engines/explicit/index.js';
import { prepare } from '../../../../checker/semantics/eval.js';
import type { Property, TransitionSystem } from '../../../../checker/semantics/system.js';
import { familySystem } from '../../../../bench/families/index.js';
import { buildSystem } from './builder.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

const opts = { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512 } as const;

function randomStates(ts: TransitionSystem, count: number, seed: number): Int32Array[] {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => Int32Array.from(ts.vars, (v) => Math.floor(next() * (v.max + 1))));
}

function crossCheckExpressions(ts: TransitionSystem, states: Int32Array[]): number {
  const ev = prepare(ts);
  let checked = 0;
  const guards = ts.transitions.map((t) => compileBool(t.guard));
  const updates = ts.transitions.map((t) => t.updates.map((u) => ({ v: u.v, f: compileInt(u.e) })));
  for (const s of states) {
    const u32 = Uint32Array.from(s);
    for (const t of ts.transitions) {
      expect(guards[t.id](s), `guard of transition ${t.id}`).toBe(ev.enabled(u32, t.id));
      const next = ev.successor(u32, t.id);
      for (const u of updates[t.id]) {
        const w = ts.vars[u.v].width;
        // The engine packs each value into its width, as a bit-vector would.
        expect(u.f(s) & (2 ** w - 1), `update of ${ts.vars[u.v].name} by ${t.id}`).toBe(next[u.v] % 2 ** w);
      }
      checked++;
    }
  }
  return checked;
}

function replayViolates(ts: TransitionSystem, p: number, schedule: number[]): boolean {
  const ev = prepare(ts);
  let s = ev.initial();
  for (let i = 0; i < schedule.length; i++) {
    const t = schedule[i];
    if (!ev.enabled(s, t)) return false;
    if (i === schedule.length - 1 && ts.properties[p].kind === 'step') return ev.checkStep(s, t).includes(p);
    s = ev.successor(s, t);
  }
  return ev.checkState(s).includes(p);
}

const FAMILY_CASES: [string, number][] = [
  ['ring', 3],
  ['ordered', 3],
  ['reclaim-bug', 2],
  ['reclaim-fix', 2],
];

describe('explicit closures against eval.ts', () => {
  it.each(FAMILY_CASES)('agree on guards and updates of %s(%i) on random states', (family, n) => {
    const ts = familySystem(family, n);
    expect(crossCheckExpressions(ts, randomStates(ts, 200, n * 7919))).toBe(200 * ts.transitions.length);
  });

  it('agree on hand-built systems with ite, add, comparisons', () => {
    const b = buildSystem({
      locks: ['A', 'B'],
      vars: { x: { max: 3 }, y: { max: 2 } },
      threads: [
        { name: 'T0', ops: [{ op: 'inc', v: 'x' }, { op: 'trylock', l: 'A', onFail: 3 }, { op: 'await', v: 'y', val: 2 }, { op: 'set', v: 'y', val: 1 }] },
        { name: 'T1', ops: [{ op: 'choice', to: [1, 2] }, { op: 'lock', l: 'B' }, { op: 'unlock', l: 'B' }] },
      ],
    });
    expect(crossCheckExpressions(b.ts, randomStates(b.ts, 300, 42))).toBe(300 * b.ts.transitions.length);
  });
});

describe('explicit verdicts replay on eval.ts', () => {
  it.each([
    ['ring', 4, 'violated'],
    ['ordered', 4, 'holds'],
    ['reclaim-bug', 2, 'violated'],
    ['reclaim-fix', 2, 'holds'],
  ] as const)('%s(%i): deadlock %s under both reductions, schedules replay', async (family, n, status) => {
    const ts = familySystem(family, n);
    for (const reduction of ['none', 'por'] as const) {
      const r = (await exploreExplicit(ts, { ...opts, reduction }));
      expect(r.results[0].status).toBe(status);
      const res = r.results[0];
      if (res.status === 'violated') expect(replayViolates(ts, 0, res.schedule)).toBe(true);
    }
  });

  it('terminal and deadlock states agree with eval.ts on random hand-built systems', async () => {
    const opArb = fc.oneof(
      fc.constantFrom('A', 'B').map((l) => ({ op: 'lock' as const, l })),
      fc.constantFrom('A', 'B').map((l) => ({ op: 'unlock' as const, l })),
      fc.tuple(fc.constantFrom('x'), fc.integer({ min: 0, max: 1 })).map(([v, val]) => ({ op: 'await' as const, v, val })),
      fc.tuple(fc.constantFrom('x'), fc.integer({ min: 0, max: 1 })).map(([v, val]) => ({ op: 'set' as const, v, val })),
    );
    const specArb = fc.array(fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 4 }), optional: fc.boolean() }), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(specArb, async (threads) => {
        const b = buildSystem({
          locks: ['A', 'B'],
          vars: { x: { max: 1 } },
          threads: threads.map((t, i) => ({ name: `T${i}`, ops: t.ops, optional: t.optional && i > 0 })),
        });
        const props: Property[] = [{ kind: 'deadlock', rule: 'r', check: 'deadlock' }];
        const ts = b.withProps(props);
        const ev = prepare(ts);
        const seen: { s: Uint32Array; terminal: boolean }[] = [];
        (await exploreExplicit(b.withProps([]), { ...opts, reduction: 'none', onExpand: (s, terminal) => void seen.push({ s: Uint32Array.from(s), terminal }) }));
        for (const { s, terminal } of seen) expect(terminal).toBe(ev.isTerminal(s));
        const anyDeadlock = seen.some(({ s }) => ev.isDeadlock(s));
        const r = (await exploreExplicit(ts, { ...opts, reduction: 'none' }));
        expect(r.results[0].status).toBe(anyDeadlock ? 'violated' : 'holds');
        const res = r.results[0];
        if (res.status === 'violated') expect(replayViolates(ts, 0, res.schedule)).toBe(true);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
