import type {} from 'lockmc/kernel';

const l = mutex();

export function f() {
  dma_resv_lock(l, null);
}
