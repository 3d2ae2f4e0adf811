// Not named *.model.ts: `lockmc check` with no path takes every model under the cwd, and this one is wrong on purpose.
import type {} from 'lockmc/kernel';

const l = mutex();

export function f() {
  dma_resv_lock(l, null);
}
