/**
 * The explicit engine's state store: states packed into fixed-width 32-bit
 * words in one growing typed-array arena, an open-addressing hash table of
 * state indices in an Int32Array, and per state its parent index and the
 * transition that first reached it (BFS order, so following parents gives
 * a shortest schedule).
 *
 * Nothing here allocates per state: a state is its index. All arrays grow
 * by doubling, and every growth is checked against the memory budget
 * first, so the engine stops with a named limit instead of running out of
 * heap.
 */

import type { StateVar } from '../../semantics/system.js';

/** Where each variable sits in a packed state. */
export interface Layout {
  /** Words per state. */
  words: number;
  word: Int32Array;
  shift: Int32Array;
  /** 2^width - 1. */
  mask: Int32Array;
}

export const MAX_VAR_WIDTH = 31;

/**
 * First-fit decreasing: no variable straddles a word, so reading one is a
 * shift and a mask. Widths above 31 bits are an internal error (the
 * compiler bounds every variable by a small maximum).
 */
export function layoutOf(vars: readonly StateVar[]): Layout {
  const n = vars.length;
  const word = new Int32Array(n);
  const shift = new Int32Array(n);
  const mask = new Int32Array(n);
  const free: number[] = [];
  const order = vars.map((v, i) => i).sort((a, b) => vars[b].width - vars[a].width || a - b);
  for (const i of order) {
    const w = vars[i].width;
    if (!Number.isInteger(w) || w < 0 || w > MAX_VAR_WIDTH) {
      throw new Error(`internal: variable ${vars[i].name} has width ${w}; the explicit engine packs at most ${MAX_VAR_WIDTH} bits`);
    }
    mask[i] = w === 0 ? 0 : w === 31 ? 0x7fffffff : (1 << w) - 1;
    if (w === 0) continue;
    let k = free.findIndex((f) => f >= w);
    if (k < 0) {
      free.push(32);
      k = free.length - 1;
    }
    word[i] = k;
    shift[i] = 32 - free[k];
    free[k] -= w;
  }
  return { words: Math.max(1, free.length), word, shift, mask };
}

export function packInto(layout: Layout, vals: ArrayLike<number>, out: Uint32Array, off: number): void {
  for (let w = 0; w < layout.words; w++) out[off + w] = 0;
  for (let v = 0; v < vals.length; v++) {
    const m = layout.mask[v];
    if (m === 0) continue;
    out[off + layout.word[v]] |= (vals[v] & m) << layout.shift[v];
  }
}

export function unpackFrom(layout: Layout, src: Uint32Array, off: number, vals: Int32Array): void {
  const { word, shift, mask } = layout;
  for (let v = 0; v < vals.length; v++) vals[v] = (src[off + word[v]] >>> shift[v]) & mask[v];
}

/** `insert` results besides a new index or `-(index + 1)` for a known state. */
export const OUT_OF_MEMORY = -0x7fffffff;
export const STATE_LIMIT = -0x7ffffffe;

export class StateStore {
  readonly W: number;
  count = 0;
  /** Capacity in states of the arena and the per-state arrays. */
  private cap: number;
  arena: Uint32Array;
  parent: Int32Array;
  via: Int32Array;
  private hashes: Int32Array;
  private table: Int32Array;
  private tmask: number;
  private readonly budgetBytes: number;

  /** Most states `insert` may store before answering STATE_LIMIT. */
  private readonly maxCount: number;

  constructor(W: number, maxMemoryMb: number, maxCount = Infinity, initialCap = 1024) {
    this.W = W;
    this.maxCount = maxCount;
    this.budgetBytes = maxMemoryMb * 1024 * 1024;
    this.cap = initialCap;
    this.arena = new Uint32Array(initialCap * W);
    this.parent = new Int32Array(initialCap);
    this.via = new Int32Array(initialCap);
    this.hashes = new Int32Array(initialCap);
    this.table = new Int32Array(initialCap * 2).fill(-1);
    this.tmask = initialCap * 2 - 1;
  }

  /** Bytes held by the store's arrays. */
  bytes(): number {
    return this.arena.byteLength + this.parent.byteLength + this.via.byteLength + this.hashes.byteLength + this.table.byteLength;
  }

  /** Bytes the store would hold after its next doubling, counting the old arrays alive during the copy. */
  private bytesAfterGrowth(): number {
    const perState = this.W * 4 + 12;
    const newCap = this.cap * 2;
    return this.bytes() + newCap * perState + newCap * 2 * 4;
  }

  /**
   * Stores the packed state at `src[off..off+W)` unless present. Returns
   * its new index, `-(index + 1)` if it was already stored,
   * OUT_OF_MEMORY when growing would exceed the budget, or STATE_LIMIT
   * when the store already holds `maxCount` states.
   */
  insert(src: Uint32Array, off: number, parent: number, via: number): number {
    const W = this.W;
    const h = hashWords(src, off, W);
    const table = this.table;
    const arena = this.arena;
    const hashes = this.hashes;
    let slot = h & this.tmask;
    for (;;) {
      const idx = table[slot];
      if (idx < 0) break;
      if (hashes[idx] === h) {
        const base = idx * W;
        let same = true;
        for (let w = 0; w < W; w++) {
          if (arena[base + w] !== src[off + w]) {
            same = false;
            break;
          }
        }
        if (same) return -(idx + 1);
      }
      slot = (slot + 1) & this.tmask;
    }
    if (this.count >= this.maxCount) return STATE_LIMIT;
    if (this.count === this.cap) {
      if (this.bytesAfterGrowth() > this.budgetBytes) return OUT_OF_MEMORY;
      this.grow();
      // The table was rebuilt: find the free slot again.
      slot = h & this.tmask;
      while (this.table[slot] >= 0) slot = (slot + 1) & this.tmask;
    }
    const idx = this.count++;
    this.arena.set(src.subarray(off, off + W), idx * W);
    this.hashes[idx] = h;
    this.parent[idx] = parent;
    this.via[idx] = via;
    this.table[slot] = idx;
    return idx;
  }

  private grow(): void {
    const newCap = this.cap * 2;
    const arena = new Uint32Array(newCap * this.W);
    arena.set(this.arena);
    this.arena = arena;
    const parent = new Int32Array(newCap);
    parent.set(this.parent);
    this.parent = parent;
    const via = new Int32Array(newCap);
    via.set(this.via);
    this.via = via;
    const hashes = new Int32Array(newCap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    // Load factor stays at most 1/2, so linear probing stays short.
    const table = new Int32Array(newCap * 2).fill(-1);
    const tmask = newCap * 2 - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = hashes[i] & tmask;
      while (table[slot] >= 0) slot = (slot + 1) & tmask;
      table[slot] = i;
    }
    this.table = table;
    this.tmask = tmask;
    this.cap = newCap;
  }

  /** Transition ids from the initial state (index 0) to `idx`. */
  scheduleTo(idx: number): number[] {
    const out: number[] = [];
    for (let i = idx; i > 0; i = this.parent[i]) out.push(this.via[i]);
    return out.reverse();
  }
}

/** murmur3-style mixing of the words of one state. */
export function hashWords(src: Uint32Array, off: number, W: number): number {
  let h = 0x9747b28c;
  for (let w = 0; w < W; w++) {
    let k = Math.imul(src[off + w], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= W;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x7fffffff;
}
