/**
 * The search's compiled transitions (transition-table.ts) against the
 * reference evaluator: wherever a transition is listed at its thread's
 * current pc, the pruned guard decides as the whole guard does, and the
 * successor built by patching packed words unpacks to eval.ts's successor.
 */

import { describe, expect, it } from 'vitest';
import { compileTransitions, successorInto } from '../../../../checker/engines/explicit/transition-table.js';
import { layoutOf, packInto, unpackFrom } from '../../../../checker/engines/explicit/store.js';
import { analyse } from '../../../../checker/engines/explicit/structure.js';
import { prepare } from '../../../../checker/semantics/eval.js';
import type { TransitionSystem } from '../../../../checker/semantics/system.js';
import { familySystem } from '../../../../bench/families/index.js';

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

describe('transition table against eval.ts', () => {
  it.each([
    ['ring', 3],
    ['ordered', 3],
    ['reclaim-bug', 2],
    ['reclaim-fix', 2],
  ] as const)('guards and successors of %s(%i) on random states', (family, n) => {
    const ts = familySystem(family, n);
    const ev = prepare(ts);
    const layout = layoutOf(ts.vars);
    const st = analyse(ts, false);
    const table = compileTransitions(ts, layout, st.pcVar);
    const packed = new Uint32Array(layout.words);
    const out = new Uint32Array(layout.words);
    const got = new Int32Array(ts.vars.length);
    let listed = 0;
    for (const s of randomStates(ts, 200, n * 104729)) {
      const u32 = Uint32Array.from(s);
      packInto(layout, s, packed, 0);
      for (let th = 0; th < ts.threads.length; th++) {
        const g = st.pcOffset[th] + (st.pcVar[th] >= 0 ? s[st.pcVar[th]] : 0);
        for (let i = st.transAtStart[g]; i < st.transAtStart[g + 1]; i++) {
          const t = st.transAtList[i];
          listed++;
          expect(table.guardAlways[t] === 1 || table.guard[t](s), `guard of transition ${t}`).toBe(ev.enabled(u32, t));
          successorInto(table, t, s, packed, 0, out);
          unpackFrom(layout, out, 0, got);
          const want = ev.successor(u32, t);
          ts.vars.forEach((v) => expect(got[v.id], `${v.name} after transition ${t}`).toBe(want[v.id] % 2 ** v.width));
        }
      }
    }
    expect(listed).toBeGreaterThan(200);
  });
});
