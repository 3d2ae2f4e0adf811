/**
 * USERPTR-1: hmm_range_fault and the non-_fast GUP calls are made with
 * mmap_lock held by their caller; they fault pages in under it.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'gup-needs-mmap-lock',
    family: 'userptr',
    severity: 'error',
    summary: 'Call hmm_range_fault, get_user_pages and pin_user_pages with the mm\'s mmap_lock held (mmap_read_lock).',
    rationale:
      'hmm_range_fault() walks and faults the range under the caller\'s mmap_lock: mm/hmm.c asserts it with mmap_assert_locked(), and ' +
      'Documentation/mm/hmm.rst shows the loop as mmu_interval_read_begin(), mmap_read_lock(), hmm_range_fault(), mmap_read_unlock(), ' +
      'then the driver lock and mmu_interval_read_retry(). The non-_fast GUP entry points (get_user_pages, pin_user_pages and their ' +
      '_remote forms) have the same contract. Without the lock the VMA walk races munmap and the VMA can be freed under it; ' +
      'the _fast variants and the copy helpers take the lock themselves.',
    covers: ['USERPTR-1'],
    citations: [
      { kind: 'kernel', file: 'mm/hmm.c', symbol: 'hmm_range_fault', note: 'mmap_assert_locked(walk.mm)' },
      { kind: 'doc', file: 'Documentation/mm/hmm.rst', section: 'Address space mirroring implementation and API' },
      { kind: 'kernel', file: 'mm/gup.c', symbol: 'get_user_pages', note: 'caller holds mmap_lock' },
    ],
    messages: {
      'no-mmap-lock': '{{api}} is called without mmap_lock held: take mmap_read_lock(mm) around it',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'no-mmap-lock',
      on: { op: 'user_access', api: ['hmm_range_fault', 'get_user_pages', 'pin_user_pages', 'get_user_pages_remote', 'pin_user_pages_remote'] },
      when: { kind: 'not', of: { kind: 'holds', lock: { kind: 'lock-kind', is: 'mm' }, mode: 'any', who: 'self' } },
    },
  ],
});
