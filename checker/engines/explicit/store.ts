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
  /**
   * Open addressing, linear probing, load factor at most 1/2. Each slot is
   * two ints, (hash, index) with index -1 when empty: a probe reads one
   * cache line and touches the arena only when the full hash matches.
   */
  private table: Int32Array;
  private slots: number;
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
    this.slots = initialCap * 2;
    this.table = newTable(this.slots);
  }

  /** Bytes held by the store's arrays. */
  bytes(): number {
    return this.arena.byteLength + this.parent.byteLength + this.via.byteLength + this.table.byteLength;
  }

  /** Bytes the store would hold after its next doubling, counting the old arrays alive during the copy. */
  private bytesAfterGrowth(): number {
    const newCap = this.cap * 2;
    return this.bytes() + newCap * (this.W * 4 + 8) + newCap * 2 * 8;
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
    const smask = this.slots - 1;
    let slot = h & smask;
    for (;;) {
      const idx = table[2 * slot + 1];
      if (idx < 0) break;
      if (table[2 * slot] === h) {
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
      slot = (slot + 1) & smask;
    }
    if (this.count >= this.maxCount) return STATE_LIMIT;
    if (this.count === this.cap) {
      if (this.bytesAfterGrowth() > this.budgetBytes) return OUT_OF_MEMORY;
      try {
        this.grow();
      } catch {
        // The process could not allocate what the budget allowed: the same limit.
        return OUT_OF_MEMORY;
      }
      // The table was rebuilt: find the free slot again.
      const m = this.slots - 1;
      slot = h & m;
      while (this.table[2 * slot + 1] >= 0) slot = (slot + 1) & m;
    }
    const idx = this.count++;
    const dst = this.arena;
    const b = idx * W;
    for (let w = 0; w < W; w++) dst[b + w] = src[off + w];
    this.parent[idx] = parent;
    this.via[idx] = via;
    this.table[2 * slot] = h;
    this.table[2 * slot + 1] = idx;
    return idx;
  }

  private grow(): void {
    // Allocate everything before replacing anything, so a failed
    // allocation leaves the store as it was.
    const newCap = this.cap * 2;
    const slots = newCap * 2;
    const arena = new Uint32Array(newCap * this.W);
    const parent = new Int32Array(newCap);
    const via = new Int32Array(newCap);
    const table = newTable(slots);
    arena.set(this.arena);
    this.arena = arena;
    parent.set(this.parent);
    this.parent = parent;
    via.set(this.via);
    this.via = via;
    const old = this.table;
    const m = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i + 1] < 0) continue;
      let slot = old[i] & m;
      while (table[2 * slot + 1] >= 0) slot = (slot + 1) & m;
      table[2 * slot] = old[i];
      table[2 * slot + 1] = old[i + 1];
    }
    this.table = table;
    this.slots = slots;
    this.cap = newCap;
  }

  /** Transition ids from the initial state (index 0) to `idx`. */
  scheduleTo(idx: number): number[] {
    const out: number[] = [];
    for (let i = idx; i > 0; i = this.parent[i]) out.push(this.via[i]);
    return out.reverse();
  }
}

function newTable(slots: number): Int32Array {
  const t = new Int32Array(slots * 2);
  for (let i = 1; i < t.length; i += 2) t[i] = -1;
  return t;
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
