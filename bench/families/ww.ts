/**
 * The ww multi-buffer backoff family: N submission threads each lock M
 * buffers' dma_resv under one ww acquire context, in a thread-specific
 * order, and back off on -EDEADLK the way drm_exec and
 * ttm_eu_reserve_buffers do (drivers/gpu/drm/drm_exec.c drm_exec_cleanup /
 * drm_exec_lock_obj; drivers/gpu/drm/ttm/ttm_execbuf_util.c): drop every
 * buffer the context holds, sleep on the contended one with
 * dma_resv_lock_slow(), then restart the pass, skipping the buffer the
 * slow lock already took. reservation_ww_class is Wait-Die
 * (drivers/dma-buf/dma-resv.c: DEFINE_WD_CLASS), so the younger context
 * backs off and the family never deadlocks.
 *
 * "Which buffer the slow lock holds" is control state: pass (r, k) is the
 * r-th run of the locking loop, holding buffer k from the slow lock
 * (k = M: none), and skips k. Models have no loops, so the retry loop is
 * unrolled a bounded number of times; the graph is built here node by
 * node (the structured builder has no shared continuations).
 */

import type { DriverModel, InstanceId, Node, NodeId, Op } from '../../model/ir.js';
import { ModelBuilder, dma_resv_unlock } from './ir-builder.js';
import { checkN } from './locks.js';

const WW_CLASS = 'reservation_ww_class';

const lockCtx = (lock: InstanceId, ctx: InstanceId): Op => ({ kind: 'lock', api: 'dma_resv_lock', lock, mode: 'write', trylock: false, ctx });
const lockSlow = (lock: InstanceId, ctx: InstanceId): Op => ({ kind: 'lock', api: 'dma_resv_lock_slow', lock, mode: 'write', trylock: false, ctx, slow: true });

/**
 * `wwBackoff(n, m)`: n threads × m buffers; thread i locks buffer
 * (i + j) mod m at step j, and backs off at most `retries` times (default
 * n - 1: once per older context; lockmc models have no loops, so the
 * retry loop is unrolled).
 */
export function wwBackoff(n: number, m: number, retries = n - 1): DriverModel {
  checkN(n, 1);
  checkN(m, 1);
  const b = new ModelBuilder(
    `drivers/gpu/drm/lockmc-bench/ww-${n}x${m}.model.ts`,
    `ww(${n}x${m}): ${n} submissions lock ${m} buffers each with a ww acquire context and back off on -EDEADLK`,
  );
  b.driver('drivers/gpu/drm/lockmc-bench');
  const bos = Array.from({ length: m }, (_, i) => b.resv(`bo${i}`));
  for (let t = 0; t < n; t++) {
    const ctx = b.wwCtx(`ctx@submit${t}`, WW_CLASS);
    const order = bos.map((_, j) => bos[(t + j) % m]);
    b.threadNodes(`submit${t}`, submissionGraph(order, ctx, retries));
  }
  return b.build();
}

/** One submission's node graph, at most `retries` backoffs deep; entry node 0. */
function submissionGraph(order: InstanceId[], ctx: InstanceId, retries: number): Node[] {
  const m = order.length;
  const nodes: Node[] = [];
  const add = (mk: (id: NodeId) => Node): NodeId => {
    const id = nodes.length;
    nodes.push(mk(id));
    return id;
  };
  const end = add((id) => ({ kind: 'end', id }));
  const fini = add((id) => ({ kind: 'op', id, op: { kind: 'ww_acquire_fini', api: 'ww_acquire_fini', ctx }, next: { ok: end } }));
  // Success: ww_acquire_done, unlock every buffer, ww_acquire_fini.
  let tail = fini;
  for (let j = 0; j < m; j++) {
    const next = tail;
    tail = add((id) => ({ kind: 'op', id, op: dma_resv_unlock(order[j]), next: { ok: next } }));
  }
  const allLocked = add((id) => ({ kind: 'op', id, op: { kind: 'ww_acquire_done', api: 'ww_acquire_done', ctx }, next: { ok: tail } }));
  /** Unlock `held` (in reverse), then continue at `cont`. */
  const unlockAll = (held: InstanceId[], cont: NodeId): NodeId => {
    let at = cont;
    for (const l of held) {
      const next = at;
      at = add((uid) => ({ kind: 'op', id: uid, op: dma_resv_unlock(l), next: { ok: next } }));
    }
    return at;
  };
  // Pass (r, k): the r-th attempt, holding buffer k from the slow lock
  // (k = m: none). It locks every position but k, in order. Built from the
  // last level up, so each backoff's target exists.
  const start: NodeId[][] = [];
  for (let r = retries; r >= 0; r--) {
    start[r] = [];
    for (let k = 0; k <= m; k++) {
      let next = allLocked;
      for (let j = m - 1; j >= 0; j--) {
        if (j === k) continue;
        const held = order.filter((_, x) => (x < j && x !== k) || x === k);
        // -EDEADLK: drop everything, then sleep on the contended buffer and
        // restart; past the last retry the submission gives up (the ioctl
        // fails with -EDEADLK after releasing everything).
        const backoff =
          r < retries
            ? unlockAll(held, add((sid) => ({ kind: 'op', id: sid, op: lockSlow(order[j], ctx), next: { ok: start[r + 1][j] } })))
            : unlockAll(held, fini);
        const ok = next;
        next = add((id) => ({ kind: 'op', id, op: lockCtx(order[j], ctx), next: { ok, EALREADY: ok, EDEADLK: backoff } }));
      }
      start[r][k] = next;
    }
  }
  const init = add((id) => ({ kind: 'op', id, op: { kind: 'ww_acquire_init', api: 'ww_acquire_init', ctx, wwClass: WW_CLASS }, next: { ok: start[0][m] } }));
  return renumber(nodes, init);
}

/** Depth-first renumbering from the entry, dropping unreachable nodes (the entry becomes node 0). */
function renumber(nodes: Node[], entry: NodeId): Node[] {
  const order: NodeId[] = [];
  const index = new Map<NodeId, NodeId>();
  const succ = (n: Node): NodeId[] => (n.kind === 'op' ? Object.values(n.next) : n.kind === 'choice' ? n.next : []);
  const stack = [entry];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (index.has(n)) continue;
    index.set(n, order.length);
    order.push(n);
    stack.push(...succ(nodes[n]).reverse());
  }
  return order.map((old, id): Node => {
    const node = nodes[old];
    if (node.kind === 'op') return { ...node, id, next: Object.fromEntries(Object.entries(node.next).map(([o, t]) => [o, index.get(t)!])) };
    if (node.kind === 'choice') return { kind: 'choice', id, next: node.next.map((t) => index.get(t)!) };
    return { ...node, id };
  });
}
