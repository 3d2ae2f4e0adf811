import { describe, expect, it } from 'vitest';
import { maskedReads, protectedVariables } from '../../../../checker/engines/explicit/own-tests.js';
import { exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import { familySystem } from '../../../../bench/families/index.js';
import type { Transition, TransitionSystem } from '../../../../checker/semantics/system.js';
import { buildSystem, eq } from './builder.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

const opts = { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 256 } as const;

/** The masking scope, taking every owner variable as lock-aware (true of the ww family: each writer is gated on the lock being free or its own). */
function scopeOf(ts: TransitionSystem) {
  const lockAware = new Uint8Array(ts.vars.length);
  for (const v of ts.vars) if (v.role.kind === 'lock-owner') lockAware[v.id] = 1;
  const writers: number[][] = ts.vars.map(() => []);
  for (const t of ts.transitions) for (const u of t.updates) writers[u.v].push(t.id);
  return { lockAware, protectedBy: protectedVariables(ts, lockAware, writers) };
}

const names = (ts: TransitionSystem, t: Transition, scope: ReturnType<typeof scopeOf>) => {
  const out = new Set<number>();
  maskedReads(t, scope, out);
  return [...out].sort((a, b) => a - b).map((v) => ts.vars[v].name);
};

describe('own-ownership tests leave the reduction footprint', () => {
  // ww(2x3): submit0 locks bo0, bo1, bo2; submit1 bo1, bo2, bo0.
  const ts = familySystem('ww', 2);
  const scope = scopeOf(ts);
  const v = (n: string) => ts.vars.findIndex((x) => x.name === n);
  const at = (thread: number, outcome: string, lock: string) =>
    ts.transitions.find((t) => t.thread === thread && t.label.outcome === outcome && t.guard.k === 'and' && JSON.stringify(t.guard).includes(`"v":${v(`owner.${lock}`)}`))!;

  it('the ww holder of each buffer is protected by its owner', () => {
    expect(['bo0', 'bo1', 'bo2'].map((b) => ts.vars[scope.protectedBy[v(`wwholder.${b}`)]]?.name)).toEqual(['owner.bo0', 'owner.bo1', 'owner.bo2']);
    // The context and the stamp counter are written without any lock.
    expect(scope.protectedBy[v('stamp.reservation_ww_class')]).toBe(-1);
    expect(scope.protectedBy[v('ctx.ctx@submit0.submit0')]).toBe(-1);
  });

  it('-EDEADLK reads "held by another" of its own lock and its ww holder, not "do I hold anything"', () => {
    // Wait-Die: dies when bo0 is held by an older context and this context holds some lock.
    expect(names(ts, at(0, 'EDEADLK', 'bo0'), scope)).toEqual(['pc.submit0', 'owner.bo0', 'wwholder.bo0', 'ctx.ctx@submit0.submit0']);
  });

  it('-EALREADY reads only its context (is bo0 mine, held by this very context?)', () => {
    expect(names(ts, at(0, 'EALREADY', 'bo0'), scope)).toEqual(['pc.submit0', 'ctx.ctx@submit0.submit0']);
  });

  it('an unlock still reads the owner (the else-branch keeps whatever another thread wrote)', () => {
    const unlock = ts.transitions.find((t) => t.thread === 1 && t.updates.some((u) => u.v === v('owner.bo2') && u.e.k === 'ite'))!;
    expect(names(ts, unlock, scope)).toEqual(['pc.submit1', 'owner.bo2', 'wwholder.bo2']);
  });

  it('keeps a read inside an own test when the variable is not protected by that lock', () => {
    const b = buildSystem({
      locks: ['A'],
      vars: { x: { max: 1 } },
      threads: [
        { name: 'T0', ops: [{ op: 'lock', l: 'A' }, { op: 'unlock', l: 'A' }] },
        // x is written outside A: a test `owner.A == own && x == 1` must keep x.
        { name: 'T1', ops: [{ op: 'set', v: 'x', val: 1 }] },
      ],
    });
    const s = scopeOf(b.ts);
    expect(s.protectedBy[b.v('x')]).toBe(-1);
    const t: Transition = { ...b.ts.transitions[0], guard: { k: 'and', args: [eq(b.v('owner.A'), 1), eq(b.v('x'), 1)] }, updates: [] };
    expect(names(b.ts, t, s)).toEqual(['x']);
  });
});

describe('ww family under the reduction', () => {
  it.each([2, 3])('ww(%ix3) with every buffer contended: same verdict, fewer states', async (n) => {
    const ts = familySystem('ww', n);
    const full = await exploreExplicitDetailed(ts, { ...opts, reduction: 'none' });
    const por = await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' });
    expect(por.result.results).toEqual(full.result.results);
    expect(por.detail.reduction).toBe('por');
    expect(por.detail.states).toBeLessThan(full.detail.states);
  });
});
