/**
 * The primed edges that were corrected against the kernel source, pinned:
 * drmm_mode_config_init() records crtc_ww_class_mutex ->
 * reservation_ww_class_acquire (ww_acquire_init under connection_mutex;
 * might_fault() takes and drops mmap_lock, so no mmap_lock -> resv edge),
 * and the rmap walk holds i_mmap_rwsem for read while calling notifiers.
 */
import { expect, it } from 'vitest';
import { PRIMED_EDGES, primedEdgesFor } from '../../rules/canonical-order.js';

const edge = (id: string) => {
  const e = PRIMED_EDGES.find((x) => x.id === id);
  return e && `${e.from} -> ${e.to}:${e.type}`;
};

it('drmm_mode_config_init primes crtc_ww_class_mutex -> reservation_ww_class_acquire, not from mmap_lock', () => {
  expect(edge('KMS3')).toBe('crtc_ww_class_mutex -> reservation_ww_class_acquire:EN');
  const kms = primedEdgesFor({ mmuNotifier: true, kms: true }).filter((e) => e.config === 'KMS');
  expect(kms.map((e) => `${e.from} -> ${e.to}`)).toEqual([
    'crtc_ww_class_acquire -> crtc_ww_class_mutex',
    'crtc_ww_class_mutex -> &mm->mmap_lock',
    'crtc_ww_class_mutex -> reservation_ww_class_acquire',
  ]);
});

it('i_mmap_rwsem -> mmu_notifier_invalidate_range_start is a shared edge (rmap_walk_file reads)', () => {
  expect(edge('MM2')).toBe('&mapping->i_mmap_rwsem -> mmu_notifier_invalidate_range_start:SN');
});
