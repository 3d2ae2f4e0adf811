/**
 * The explicit engine's state store: states packed into fixed-width 32-bit
 * words in one growing typed-array arena, an open-addressing hash table of
 * state indices in an Int32Array, and per state its parent index and the
 * transition that first reached it (BFS order, so following parents gives
 * a shortest schedule).
 *
 * Nothing here allocates per state: a state is its index. The arena and
 * the hash table grow separately (TABLE_GROWTH), and every growth is
 * checked against the memory budget first, so the engine stops with a
 * named limit instead of running out of heap.
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

/**
 * How many times the hash table grows at once (a power of two). Growing 4×
 * halves the rehashes, but was measured slower on the bench families
 * (bench/explicit.ts, #17): the sparser table spreads the same look-ups
 * over more cache lines, and rehashing without a fill pass is cheap.
 */
const TABLE_GROWTH = 2;

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
   * two ints, (hash, index + 1): a probe reads one cache line and touches
   * the arena only when the full hash matches. Index + 1 makes 0 the empty
   * marker, so a fresh table (zeroed by the allocator) needs no fill pass.
   */
  private table: Int32Array;
  private slots: number;
  private readonly budgetBytes: number;
  /** Most states `insert` may store before answering STATE_LIMIT. */
  private readonly maxCount: number;
  /**
   * Written by `touch` so the engine cannot drop its loads as dead code:
   * the loads are the point (they start the cache misses early).
   */
  private sink = 0;

  constructor(W: number, maxMemoryMb: number, maxCount = Infinity, initialCap = 1024) {
    this.W = W;
    this.maxCount = maxCount;
    this.budgetBytes = maxMemoryMb * 1024 * 1024;
    this.cap = initialCap;
    this.arena = new Uint32Array(initialCap * W);
    this.parent = new Int32Array(initialCap);
    this.via = new Int32Array(initialCap);
    this.slots = initialCap * 2;
    this.table = new Int32Array(this.slots * 2);
  }

  /** Bytes held by the store's arrays. */
  bytes(): number {
    return this.arena.byteLength + this.parent.byteLength + this.via.byteLength + this.table.byteLength;
  }

  /**
   * Stores the packed state at `src[off..off+W)` unless present. Returns
   * its new index, `-(index + 1)` if it was already stored,
   * OUT_OF_MEMORY when growing would exceed the budget, or STATE_LIMIT
   * when the store already holds `maxCount` states.
   */
  insert(src: Uint32Array, off: number, parent: number, via: number): number {
    return this.insertHashed(src, off, hashWords(src, off, this.W), parent, via);
  }

  /**
   * Starts the memory loads `insertHashed(…, h, …)` will wait on, in two
   * rounds over all successors of a state: `touchSlot` loads each table
   * slot, then `touchState` loads the stored state a matching slot names.
   * Loads within a round do not depend on each other, so their cache
   * misses overlap instead of queueing one after another.
   */
  touchSlot(h: number): void {
    this.sink ^= this.table[2 * (h & (this.slots - 1)) + 1];
  }

  touchState(h: number): void {
    const table = this.table;
    const slot = h & (this.slots - 1);
    const ref = table[2 * slot + 1];
    if (ref !== 0 && table[2 * slot] === h) this.sink ^= this.arena[(ref - 1) * this.W];
  }

  /** `insert` with the hash of the state already computed (`hashWords`). */
  insertHashed(src: Uint32Array, off: number, h: number, parent: number, via: number): number {
    const W = this.W;
    const table = this.table;
    const arena = this.arena;
    const smask = this.slots - 1;
    let slot = h & smask;
    for (;;) {
      const ref = table[2 * slot + 1];
      if (ref === 0) break;
      if (table[2 * slot] === h) {
        const base = (ref - 1) * W;
        let same = true;
        for (let w = 0; w < W; w++) {
          if (arena[base + w] !== src[off + w]) {
            same = false;
            break;
          }
        }
        if (same) return -ref;
      }
      slot = (slot + 1) & smask;
    }
    if (this.count >= this.maxCount) return STATE_LIMIT;
    if (this.count === this.cap || 2 * (this.count + 1) > this.slots) {
      // Allocate everything before replacing anything, so a failed
      // allocation leaves the store as it was.
      if (!this.grow()) return OUT_OF_MEMORY;
      // The table may have been rebuilt: find the free slot again.
      const m = this.slots - 1;
      slot = h & m;
      while (this.table[2 * slot + 1] !== 0) slot = (slot + 1) & m;
    }
    const idx = this.count++;
    const dst = this.arena;
    const b = idx * W;
    for (let w = 0; w < W; w++) dst[b + w] = src[off + w];
    this.parent[idx] = parent;
    this.via[idx] = via;
    this.table[2 * slot] = h;
    this.table[2 * slot + 1] = idx + 1;
    return idx;
  }

  /**
   * Makes room for one more state: the arena and per-state arrays double
   * when full, the table grows TABLE_GROWTH times (or only doubles when
   * that is all the budget allows) when the next state would load it past
   * 1/2. Every size is checked against the budget first, counting the old
   * arrays alive during the copy. False when the budget (or the process)
   * cannot hold it.
   */
  private grow(): boolean {
    const growArena = this.count === this.cap;
    const growTable = 2 * (this.count + 1) > this.slots;
    const newCap = growArena ? this.cap * 2 : this.cap;
    const arenaBytes = growArena ? newCap * (this.W * 4 + 8) : 0;
    let slots = this.slots;
    if (growTable) {
      slots = this.slots * TABLE_GROWTH;
      if (this.bytes() + arenaBytes + slots * 8 > this.budgetBytes) slots = this.slots * 2;
    }
    const tableBytes = growTable ? slots * 8 : 0;
    if (this.bytes() + arenaBytes + tableBytes > this.budgetBytes) return false;
    try {
      const table = growTable ? new Int32Array(slots * 2) : this.table;
      if (growArena) {
        const arena = new Uint32Array(newCap * this.W);
        const parent = new Int32Array(newCap);
        const via = new Int32Array(newCap);
        arena.set(this.arena);
        parent.set(this.parent);
        via.set(this.via);
        this.arena = arena;
        this.parent = parent;
        this.via = via;
        this.cap = newCap;
      }
      if (growTable) {
        rehash(this.table, table, slots - 1);
        this.table = table;
        this.slots = slots;
      }
    } catch {
      // The process could not allocate what the budget allowed: the same limit.
      return false;
    }
    return true;
  }

  /** Transition ids from the initial state (index 0) to `idx`. */
  scheduleTo(idx: number): number[] {
    const out: number[] = [];
    for (let i = idx; i > 0; i = this.parent[i]) out.push(this.via[i]);
    return out.reverse();
  }
}

/** Moves every entry of `old` into the empty `table` of mask `m`. */
function rehash(old: Int32Array, table: Int32Array, m: number): void {
  for (let i = 0; i < old.length; i += 2) {
    const ref = old[i + 1];
    if (ref === 0) continue;
    const h = old[i];
    let slot = h & m;
    while (table[2 * slot + 1] !== 0) slot = (slot + 1) & m;
    table[2 * slot] = h;
    table[2 * slot + 1] = ref;
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
