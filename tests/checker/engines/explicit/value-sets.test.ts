import { describe, expect, it } from 'vitest';
import { simplifySystem, valueSets } from '../../../../checker/engines/explicit/value-sets.js';
import { exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import type { IntExpr, TransitionSystem } from '../../../../checker/semantics/system.js';
import { buildSystem, eq, and, or } from './builder.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

const opts = { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 256 } as const;

/**
 * Two threads each lock their own lock, then "wait" (set flag); every wait
 * also updates a global monitor `seq := (seq == 2 && (own lock held)) ? 3 : seq`,
 * as compiled rule monitors do. Nothing ever moves seq to 2.
 */
function withDeadMonitor(): { ts: TransitionSystem; seq: number } {
  const b = buildSystem({
    locks: ['A', 'B'],
    vars: { seq: { max: 3 }, f0: { max: 1 }, f1: { max: 1 } },
    threads: [
      { name: 'T0', ops: [{ op: 'lock', l: 'A' }, { op: 'set', v: 'f0', val: 1 }, { op: 'unlock', l: 'A' }] },
      { name: 'T1', ops: [{ op: 'lock', l: 'B' }, { op: 'set', v: 'f1', val: 1 }, { op: 'unlock', l: 'B' }] },
    ],
  });
  const ts = structuredClone(b.ts);
  const seq = b.v('seq');
  const ownerA = b.v('owner.A');
  const ownerB = b.v('owner.B');
  const mon = (me: number): IntExpr => ({
    k: 'ite',
    c: and(eq(seq, 2), or(eq(ownerA, me), eq(ownerB, me))),
    t: { k: 'const', v: 3 },
    e: { k: 'var', v: seq },
  });
  for (const [th, pc] of [
    [0, 1],
    [1, 1],
  ]) {
    const t = ts.transitions[b.at(th, pc)[0]];
    t.updates.push({ v: seq, e: mon(th + 1) });
    t.reads = [...new Set([...t.reads, seq, ownerA, ownerB])];
    t.writes = [...t.writes, seq];
  }
  return { ts, seq };
}

describe('value sets', () => {
  it('find that a monitor that nothing moves stays at its initial value', () => {
    const { ts, seq } = withDeadMonitor();
    const sets = valueSets(ts);
    expect([...sets[seq]!]).toEqual([0]);
    expect([...sets[ts.vars.findIndex((v) => v.name === 'owner.A')]!].sort()).toEqual([0, 1]);
  });

  it('drop the identity update, so the two threads no longer depend on each other', async () => {
    const { ts, seq } = withDeadMonitor();
    const simple = simplifySystem(ts);
    for (const t of simple.transitions) expect(t.updates.some((u) => u.v === seq)).toBe(false);
    const full = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'none' })).detail.states;
    const por = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' })).detail.states;
    // Two independent threads of three steps: one interleaving, 7 states.
    expect(por).toBe(7);
    expect(full).toBe(16);
  });

  it('mark a guard that no reachable state satisfies as false', () => {
    const b = buildSystem({
      locks: [],
      vars: { x: { max: 3 } },
      threads: [{ name: 'T0', ops: [{ op: 'await', v: 'x', val: 2 }, { op: 'set', v: 'x', val: 1 }] }],
    });
    const simple = simplifySystem(b.ts);
    expect(simple.transitions.map((t) => t.guard.k)).toEqual(['false', 'false']);
  });
});
