/**
 * The reclaim family: the shape of a GPU driver's command submission,
 * shrinker and job completion, after rules-reference RECLAIM-1/2 and
 * FENCE-3.
 *
 * - N ioctl threads: each locks its BO's dma_resv, reserves a fence slot
 *   (dma_resv_reserve_fences allocates with GFP_KERNEL, legal under a
 *   resv: the primed order has reservation_ww_class_mutex -> fs_reclaim),
 *   publishes the job fence and unlocks. The allocation may enter direct
 *   reclaim and run the shrinker or the mmu notifier inline, with the resv
 *   held.
 * - A shrinker: takes the BO at the head of its LRU (bo0, which ioctl0
 *   uses), *trylocks* its resv (RECLAIM-2: blocking would invert the
 *   primed order) and waits for the job fence before it could evict it
 *   (FENCE-4: shrinkers may wait).
 * - An mmu notifier (userptr invalidation): takes the notifier lock and
 *   waits for the job fence under it.
 * - A userptr thread taking the notifier lock, as the submission path does
 *   after collecting pages.
 * - The signalling worker (run_job): inside a fence signalling section,
 *   allocates, then signals the job fence.
 *
 * `reclaimBug`: the worker allocates with GFP_KERNEL inside the signalling
 * section (FENCE-3 item 1). Direct reclaim may run the shrinker or the
 * notifier in the worker itself, which then waits for the fence only it
 * can signal: a deadlock.
 * `reclaimFix`: the worker allocates with GFP_NOWAIT and takes the failure
 * path (no allocation, still signals) when it fails. No deadlock.
 */

import type { DriverModel } from '../../model/ir.js';
import {
  GFP_KERNEL,
  GFP_NOWAIT,
  ModelBuilder,
  dma_fence_begin_signalling,
  dma_fence_end_signalling,
  dma_fence_signal,
  dma_fence_wait,
  dma_resv_add_fence,
  dma_resv_lock,
  dma_resv_reserve_fences,
  dma_resv_trylock,
  dma_resv_unlock,
  kmalloc,
  mutex_lock,
  mutex_unlock,
  type Stmt,
} from './ir-builder.js';
import { checkN } from './locks.js';

export function reclaimBug(n: number): DriverModel {
  return reclaim(n, true);
}

export function reclaimFix(n: number): DriverModel {
  return reclaim(n, false);
}

function reclaim(n: number, bug: boolean): DriverModel {
  checkN(n, 1);
  const name = bug ? 'reclaim-bug' : 'reclaim-fix';
  const b = new ModelBuilder(
    `drivers/gpu/drm/lockmc-bench/${name}-${n}.model.ts`,
    bug
      ? `${name}(${n}): the signalling worker allocates with GFP_KERNEL; reclaim waits for its own fence`
      : `${name}(${n}): the signalling worker allocates with GFP_NOWAIT and handles failure`,
  );
  // A GPU driver: waiting for fences in its notifier is part of its contract (FENCE-4).
  b.driver('drivers/gpu/drm/lockmc-bench');
  const bos = Array.from({ length: n }, (_, i) => b.resv(`bo${i}`));
  const job = b.fence('job');
  const notifierLock = b.mutex('notifier_lock');
  const mm = b.mm('mm');
  const cookie = b.signallingCookie('cookie');

  // Shrinker scan: tries to evict the BO at the head of its LRU (bo0),
  // skipping it when contended.
  const shrinker = b.proc('drv_shrinker_scan', 'shrinker', [
    { kind: 'branch', op: dma_resv_trylock(bos[0]), on: { ok: [dma_fence_wait(job), dma_resv_unlock(bos[0])] } },
  ]);
  b.registerShrinker(shrinker);

  const invalidate = b.proc('drv_userptr_invalidate', 'mmu_notifier', [mutex_lock(notifierLock), dma_fence_wait(job), mutex_unlock(notifierLock)]);
  b.mmuNotifier('userptr_notifier', mm, invalidate);

  bos.forEach((bo, i) => b.thread(`ioctl${i}`, [dma_resv_lock(bo), dma_resv_reserve_fences(), dma_resv_add_fence(bo, job), dma_resv_unlock(bo)]));

  b.thread('userptr_submit', [mutex_lock(notifierLock), mutex_unlock(notifierLock)]);

  const alloc: Stmt = bug ? kmalloc(GFP_KERNEL) : { kind: 'branch', op: kmalloc(GFP_NOWAIT), on: { fail: [] } };
  b.thread('run_job', [dma_fence_begin_signalling(cookie), alloc, dma_fence_signal(job), dma_fence_end_signalling(cookie)]);
  return b.build();
}
