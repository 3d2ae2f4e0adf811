/**
 * Pure lock-order families: `ring(N)` deadlocks, `ordered(N)` does not.
 */

import type { DriverModel } from '../../model/ir.js';
import { ModelBuilder, mutex_lock, mutex_unlock } from './ir-builder.js';

/** N threads, N mutexes; thread i locks L[i] then L[i+1 mod N]: the classic dining-philosophers deadlock. */
export function ring(n: number): DriverModel {
  checkN(n, 2);
  const b = new ModelBuilder(`bench/ring-${n}.model.ts`, `ring(${n}): thread i locks L[i] then L[i+1 mod ${n}]; deadlocks`);
  const locks = Array.from({ length: n }, (_, i) => b.mutex(`L${i}`));
  for (let i = 0; i < n; i++) {
    const first = locks[i];
    const second = locks[(i + 1) % n];
    b.thread(`T${i}`, [mutex_lock(first), mutex_lock(second), mutex_unlock(second), mutex_unlock(first)]);
  }
  return b.build();
}

/**
 * The ring with the cycle broken: every thread takes its two locks in the
 * global order L0 < L1 < ... (thread N-1 takes L0 before L[N-1]). Proved
 * deadlock-free.
 */
export function ordered(n: number): DriverModel {
  checkN(n, 2);
  const b = new ModelBuilder(`bench/ordered-${n}.model.ts`, `ordered(${n}): like ring(${n}) but every thread locks in the global order`);
  const locks = Array.from({ length: n }, (_, i) => b.mutex(`L${i}`));
  for (let i = 0; i < n; i++) {
    const a = Math.min(i, (i + 1) % n);
    const c = Math.max(i, (i + 1) % n);
    b.thread(`T${i}`, [mutex_lock(locks[a]), mutex_lock(locks[c]), mutex_unlock(locks[c]), mutex_unlock(locks[a])]);
  }
  return b.build();
}

export function checkN(n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`family size must be an integer >= ${min}, got ${n}`);
}
