/**
 * The state store alone: indices in insertion order across every table
 * growth, duplicates answered with -(index + 1), the memory budget never
 * exceeded, and `touchSlot`/`touchState` (the batched look-ups' loads)
 * changing nothing.
 */
import { describe, expect, it } from 'vitest';
import { hashWords, OUT_OF_MEMORY, STATE_LIMIT, StateStore } from '../../../../checker/engines/explicit/store.js';

/** A distinct 3-word state per i, spread so hashes collide now and then in small tables. */
function stateOf(i: number, out: Uint32Array): Uint32Array {
  out[0] = i;
  out[1] = (i * 2654435761) >>> 0;
  out[2] = i & 7;
  return out;
}

describe('StateStore', () => {
  it('keeps insertion indices and finds every state again across growths of table and arena', () => {
    const s = new StateStore(3, 64, Infinity, 4);
    const buf = new Uint32Array(3);
    const n = 50_000;
    for (let i = 0; i < n; i++) expect(s.insert(stateOf(i, buf), 0, i - 1, i)).toBe(i);
    expect(s.count).toBe(n);
    for (let i = 0; i < n; i += 7) expect(s.insert(stateOf(i, buf), 0, 0, 0)).toBe(-(i + 1));
    expect(s.count).toBe(n);
    expect(Array.from(s.arena.subarray(3 * 12345, 3 * 12346))).toEqual(Array.from(stateOf(12345, new Uint32Array(3))));
    expect(s.scheduleTo(5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('answers the same with the hash given and the slots touched first', () => {
    const a = new StateStore(3, 64, Infinity, 4);
    const b = new StateStore(3, 64, Infinity, 4);
    const buf = new Uint32Array(3);
    for (let i = 0; i < 20_000; i++) {
      const k = (i * 7919) % 12_000; // every state of 0..12k, some twice
      stateOf(k, buf);
      const h = hashWords(buf, 0, 3);
      b.touchSlot(h);
      b.touchState(h);
      expect(b.insertHashed(buf, 0, h, 0, i)).toBe(a.insert(buf, 0, 0, i));
    }
    expect(b.count).toBe(a.count);
  });

  it('stops at the state limit, and at the memory budget before holding more than it', () => {
    const buf = new Uint32Array(3);
    const limited = new StateStore(3, 64, 10);
    for (let i = 0; i < 10; i++) expect(limited.insert(stateOf(i, buf), 0, 0, 0)).toBe(i);
    expect(limited.insert(stateOf(10, buf), 0, 0, 0)).toBe(STATE_LIMIT);
    expect(limited.insert(stateOf(3, buf), 0, 0, 0)).toBe(-4);

    const small = new StateStore(3, 1, Infinity, 4);
    let i = 0;
    let r = 0;
    for (; (r = small.insert(stateOf(i, buf), 0, 0, 0)) >= 0; i++) expect(r).toBe(i);
    expect(r).toBe(OUT_OF_MEMORY);
    expect(small.bytes()).toBeLessThanOrEqual(1024 * 1024);
    // 1 MiB at 12 + 8 bytes per state plus an 8-byte slot pair per state at load 1/2.
    expect(i).toBe(16384);
    // Known states are still found after the refusal.
    expect(small.insert(stateOf(100, buf), 0, 0, 0)).toBe(-101);
  });
});
