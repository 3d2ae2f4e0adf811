/**
 * The fix i915 uses: the relocation fast path reads user memory with page
 * faults disabled (__copy_from_user_inatomic under pagefault_disable), so
 * no fault can take mmap_lock under the object locks; when that fails it
 * drops every lock (eb_relocate_parse_slow) and copies outside them before
 * retrying.
 *
 * @driver drivers/gpu/drm/i915
 * @expect holds all
 */
import type {} from 'lockmc/kernel';

const mm = mm_struct();
const batch = dma_resv_object();
const target = dma_resv_object();

function eb_validate_vmas(ctx) {
  if (dma_resv_lock(batch, ctx) === -EDEADLK) {
    dma_resv_lock_slow(batch, ctx);
  }
  if (dma_resv_lock(target, ctx) === -EDEADLK) {
    dma_resv_unlock(batch);
    dma_resv_lock_slow(target, ctx);
    dma_resv_lock(batch, ctx);
  }
}

function eb_relocate_vma_fast() {
  pagefault_disable();
  copy_from_user(mm);                    // inatomic: fails instead of faulting
  pagefault_enable();
}

export function i915_gem_execbuffer2_ioctl() {
  const ctx = ww_acquire_init(reservation_ww_class);
  eb_validate_vmas(ctx);
  eb_relocate_vma_fast();
  dma_resv_unlock(target);
  dma_resv_unlock(batch);
  ww_acquire_fini(ctx);
  if (nondet()) {
    // eb_relocate_parse_slow(): every lock dropped, the copy may fault
    copy_from_user(mm);
  }
}

export function i915_gem_fault() {
  mmap_read_lock(mm);
  dma_resv_lock(target, null);
  dma_resv_unlock(target);
  mmap_read_unlock(mm);
}
