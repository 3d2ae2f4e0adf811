/**
 * A fast-check generator of small driver models (2–4 threads over mutexes,
 * an rwsem, dma_resv objects with ww contexts, fences, signalling sections
 * and allocations), as IR. Locking is balanced on every path so the
 * models are valid; interleavings are where the bugs are.
 */
import fc from 'fast-check';
import type { DriverModel, GfpMask, Instance, Node, Op, Outcome, Proc } from '../../model/ir.js';

const GFP_KERNEL: GfpMask = { text: 'GFP_KERNEL', directReclaim: true, kswapdReclaim: true, io: true, fs: true, noLockdep: false, noFail: false, mayFail: false };
const GFP_NOWAIT: GfpMask = { text: 'GFP_NOWAIT', directReclaim: false, kswapdReclaim: true, io: false, fs: false, noLockdep: false, noFail: false, mayFail: true };

/** Instance layout shared by every generated model. */
const INSTANCES: Omit<Instance, 'id'>[] = [
  { name: 'a', kind: 'mutex', lockClass: 'a' },
  { name: 'b', kind: 'mutex', lockClass: 'b' },
  { name: 's', kind: 'rwsem', lockClass: 's' },
  { name: 'r0', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
  { name: 'r1', kind: 'dma_resv', lockClass: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' },
  { name: 'f', kind: 'dma_fence' },
];
const LOCKS = [0, 1, 2];
const RESVS = [3, 4];
const FENCE = 5;

/** A thread's body as blocks; each block is balanced. */
export type Block =
  | { kind: 'locked'; lock: number; read: boolean; trylock: boolean; body: Block[] }
  | { kind: 'ww'; resvs: number[] }
  | { kind: 'alloc'; nowait: boolean }
  | { kind: 'signal' }
  | { kind: 'publish' }
  | { kind: 'wait' }
  | { kind: 'signalling'; body: Block[] }
  | { kind: 'choice'; left: Block[]; right: Block[] };

const leaf: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constant('alloc' as const), nowait: fc.boolean() }),
  fc.constant({ kind: 'signal' as const }),
  fc.constant({ kind: 'publish' as const }),
  fc.constant({ kind: 'wait' as const }),
  fc.record({ kind: fc.constant('ww' as const), resvs: fc.shuffledSubarray(RESVS, { minLength: 1 }) }),
);

const block: fc.Memo<Block> = fc.memo((depth) =>
  depth <= 1
    ? leaf
    : fc.oneof(
        { weight: 3, arbitrary: leaf },
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('locked' as const),
            lock: fc.constantFrom(...LOCKS),
            read: fc.boolean(),
            trylock: fc.boolean(),
            body: fc.array(block(depth - 1), { maxLength: 2 }),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('signalling' as const), body: fc.array(block(depth - 1), { maxLength: 2 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('choice' as const), left: fc.array(block(depth - 1), { maxLength: 2 }), right: fc.array(block(depth - 1), { maxLength: 1 }) }) },
      ),
);

export const threadBodies: fc.Arbitrary<Block[][]> = fc.array(fc.array(block(2), { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 4 });

/** Lowers blocks to an IR proc graph. */
class ProcBuilder {
  nodes: Node[] = [];
  constructor(private readonly extraInstances: Omit<Instance, 'id'>[]) {}
  private op(op: Op, next: Partial<Record<Outcome, number>>): number {
    const id = this.nodes.length;
    this.nodes.push({ kind: 'op', id, op, next });
    return id;
  }
  /** Emit `blocks` so that control continues at `cont`; returns the entry. */
  emit(blocks: Block[], cont: number, heldLocks: Set<number>): number {
    let entry = cont;
    for (let i = blocks.length - 1; i >= 0; i--) entry = this.emitOne(blocks[i], entry, heldLocks);
    return entry;
  }
  private emitOne(b: Block, cont: number, held: Set<number>): number {
    switch (b.kind) {
      case 'alloc':
        return b.nowait ? this.op({ kind: 'alloc', api: 'kmalloc', gfp: GFP_NOWAIT }, { ok: cont, fail: cont }) : this.op({ kind: 'alloc', api: 'kmalloc', gfp: GFP_KERNEL }, { ok: cont });
      case 'signal':
        return this.op({ kind: 'fence_signal', api: 'dma_fence_signal', fence: FENCE, guaranteed: true }, { ok: cont });
      case 'publish':
        return this.op({ kind: 'fence_publish', api: 'sync_file_create', fence: FENCE }, { ok: cont });
      case 'wait':
        return this.op({ kind: 'fence_wait', api: 'dma_fence_wait', fence: FENCE, timeout: 'infinite' }, { ok: cont });
      case 'signalling': {
        const cookie = INSTANCES.length + this.extraInstances.length;
        this.extraInstances.push({ name: `cookie${cookie}`, kind: 'signalling_cookie', local: true });
        const end = this.op({ kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie }, { ok: cont });
        const body = this.emit(b.body, end, held);
        return this.op({ kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie }, { ok: body });
      }
      case 'choice': {
        const l = this.emit(b.left, cont, held);
        const r = this.emit(b.right, cont, held);
        const id = this.nodes.length;
        this.nodes.push({ kind: 'choice', id, next: [l, r] });
        return id;
      }
      case 'locked': {
        if (held.has(b.lock)) return this.emit(b.body, cont, held);
        const inner = new Set(held).add(b.lock);
        const isRw = INSTANCES[b.lock].kind === 'rwsem';
        const mode = isRw && b.read ? 'read' : 'write';
        const unlock = this.op({ kind: 'unlock', api: isRw ? (b.read ? 'up_read' : 'up_write') : 'mutex_unlock', lock: b.lock }, { ok: cont });
        const body = this.emit(b.body, unlock, inner);
        const api = isRw ? (b.read ? 'down_read' : 'down_write') : 'mutex_lock';
        if (b.trylock) return this.op({ kind: 'lock', api: `${api}_trylock`, lock: b.lock, mode, trylock: true }, { ok: body, fail: cont });
        return this.op({ kind: 'lock', api, lock: b.lock, mode, trylock: false }, { ok: body });
      }
      case 'ww': {
        // init; lock each resv with the ctx (on -EDEADLK: unlock what is held, fini); unlock all; fini.
        const ctx = INSTANCES.length + this.extraInstances.length;
        this.extraInstances.push({ name: `ctx${ctx}`, kind: 'ww_ctx', wwClass: 'reservation_ww_class', local: true });
        const fini = this.op({ kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx }, { ok: cont });
        // unlock chain for "all k first resvs held", k = 0..n
        const unlockFrom: number[] = [fini];
        for (let k = 1; k <= b.resvs.length; k++) {
          unlockFrom[k] = this.op({ kind: 'unlock', api: 'dma_resv_unlock', lock: b.resvs[k - 1] }, { ok: unlockFrom[k - 1] });
        }
        let next = unlockFrom[b.resvs.length];
        for (let k = b.resvs.length - 1; k >= 0; k--) {
          next = this.op({ kind: 'lock', api: 'dma_resv_lock', lock: b.resvs[k], mode: 'write', trylock: false, ctx }, { ok: next, EDEADLK: unlockFrom[k], EALREADY: unlockFrom[k] });
        }
        return this.op({ kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx, wwClass: 'reservation_ww_class' }, { ok: next });
      }
    }
  }
}

export function buildRandomModel(bodies: Block[][]): DriverModel {
  const extra: Omit<Instance, 'id'>[] = [];
  const procs: Proc[] = bodies.map((blocks, id) => {
    const b = new ProcBuilder(extra);
    b.nodes.push({ kind: 'end', id: 0 });
    const entry = b.emit(blocks, 0, new Set());
    // Node 0 must be the entry: swap the end node and the entry node ids.
    const nodes = b.nodes;
    if (entry !== 0) {
      const remap = (n: number) => (n === 0 ? entry : n === entry ? 0 : n);
      const swapped = nodes.map((n) => {
        const id = remap(n.id);
        if (n.kind === 'op') return { ...n, id, next: Object.fromEntries(Object.entries(n.next).map(([k, v]) => [k, remap(v!)])) };
        if (n.kind === 'choice') return { ...n, id, next: n.next.map(remap) };
        return { ...n, id };
      });
      swapped.sort((x, y) => x.id - y.id);
      return { id, name: `t${id}`, role: 'thread', nodes: swapped };
    }
    return { id, name: `t${id}`, role: 'thread', nodes };
  });
  return {
    schemaVersion: 1,
    file: 'random.model.ts',
    sourceHash: '0',
    header: { description: 'random', expect: [], ruleOptions: {} },
    instances: [...INSTANCES, ...extra].map((x, id) => ({ ...x, id })),
    procs,
    threads: procs.map((p) => ({ id: p.id, name: p.name, proc: p.id, kind: 'thread' as const })),
    registrations: [],
  };
}
