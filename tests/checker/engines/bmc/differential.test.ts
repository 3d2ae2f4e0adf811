/**
 * BMC against brute force on random small lock systems: every verdict,
 * every shortest length, and the exact canonical schedule (the
 * lexicographically least among the shortest violations with the fewest
 * preemptions) must agree with exhaustive enumeration on the reference
 * evaluator. This is also what shows the peephole reduction loses nothing.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { Concrete } from '../../../../checker/engines/bmc/concrete.js';
import { shutdownSolver } from '../../../../checker/engines/bmc/solver.js';
import { confirmViolation } from '../../../../checker/replay.js';
import type { PropertyResult } from '../../../../checker/engines/types.js';
import type { Property, TransitionSystem } from '../../../../checker/semantics/system.js';
import { and, c, eq, lockSystem, v, type LockOp } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

const LOCKS = ['A', 'B', 'C'];
const opArb: fc.Arbitrary<LockOp> = fc.record({ op: fc.constantFrom('lock' as const, 'unlock' as const), lock: fc.constantFrom(...LOCKS) });
const threadsArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 });
const specArb: fc.Arbitrary<Spec> = fc.record({
  threads: threadsArb,
  // A state property "lock X held by thread i and lock Y by thread j".
  st: fc.tuple(fc.constantFrom(...LOCKS), fc.nat(2), fc.constantFrom(...LOCKS), fc.nat(2)),
  // A step property: thread i's op k fires while lock X is held by thread j.
  sp: fc.tuple(fc.nat(2), fc.nat(2), fc.constantFrom(...LOCKS), fc.nat(2)),
});

interface Spec {
  threads: LockOp[][];
  st: [string, number, string, number];
  sp: [number, number, string, number];
}

function build(spec: Spec): TransitionSystem {
  const threads = spec.threads.map((ops, i) => ({ name: `T${i}`, ops }));
  const used = new Set(spec.threads.flat().map((o) => o.lock));
  return lockSystem(threads, (h) => {
    const props: Property[] = [{ kind: 'deadlock', rule: 'd', check: 'd' }];
    const [x, i, y, j] = spec.st;
    if (used.has(x) && used.has(y)) {
      props.push({ kind: 'state', rule: 's', check: 's', bad: and(eq(v(h.owner(x)), c(i + 1)), eq(v(h.owner(y)), c(j + 1))) });
    }
    const [ti, k, z, tj] = spec.sp;
    if (ti < threads.length && k < threads[ti].ops.length && used.has(z)) {
      props.push({ kind: 'step', rule: 'p', check: 'p', transitions: [h.step(ti, k)], when: eq(v(h.owner(z)), c(tj + 1)) });
    }
    return props;
  });
}

/** Exhaustive: for each property, the canonical schedule or undefined. */
function bruteForce(ts: TransitionSystem): (number[] | undefined)[] {
  const cx = new Concrete(ts);
  const runs: number[][][] = [];
  const walk = (sched: number[], states: Uint32Array[]) => {
    (runs[sched.length] ??= []).push(sched);
    const s = states[states.length - 1];
    for (let t = 0; t < ts.transitions.length; t++) {
      if (cx.ev.enabled(s, t)) walk([...sched, t], [...states, cx.ev.successor(s, t)]);
    }
  };
  walk([], [cx.ev.initial()]);
  return ts.properties.map((p) => {
    for (const level of runs) {
      const hits = (level ?? []).filter((r) => cx.violatesAtEnd(p, r, cx.run(r)!));
      if (hits.length === 0) continue;
      const pre = (r: number[]) => cx.preemptions(r, cx.run(r)!);
      const best = Math.min(...hits.map(pre));
      return hits
        .filter((r) => pre(r) === best)
        .sort((a, b) => {
          for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
          return 0;
        })[0];
    }
    return undefined;
  });
}

function expected(ts: TransitionSystem): PropertyResult[] {
  return bruteForce(ts).map((s) => (s ? { status: 'violated', schedule: s } : { status: 'holds', exhaustive: true }));
}

describe('BMC agrees with brute force', () => {
  it.each([
    ['shortest', 'onehot+por'],
    ['prove', 'onehot+por'],
    ['prove', 'onehot+single+nopor'],
    ['shortest', 'bv+nopor'],
  ] as const)('random lock systems, %s mode, %s', async (mode, encoding) => {
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const ts = build(spec);
        const want = expected(ts);
        const got = await runBmc(ts, { ...Z3_BUDGET, mode, encoding });
        expect(got.results).toEqual(want);
        got.results.forEach((r, i) => {
          if (r.status === 'violated') expect(confirmViolation(ts, r.schedule, i).ok).toBe(true);
        });
      }),
      { numRuns: 20, seed: 4242 + mode.length + encoding.length },
    );
  });
});
