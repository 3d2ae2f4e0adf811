/**
 * Lock patterns several rules share. `allOf` spells a conjunction with the
 * vocabulary's `not` and `any-of` (see docs/open-requests.md: an `all-of`
 * pattern is a requested addition).
 */

import type { LockPattern } from '../types.js';

export function allOf(...of: LockPattern[]): LockPattern {
  return { kind: 'not', of: { kind: 'any-of', of: of.map((p): LockPattern => ({ kind: 'not', of: p })) } };
}

/** A driver's own lock: not mmap_lock or i_mmap_rwsem, which `lock-kind: rwsem` also matches. */
export const driverLock: LockPattern = allOf(
  {
    kind: 'any-of',
    of: [
      { kind: 'lock-kind', is: 'mutex' },
      { kind: 'lock-kind', is: 'spinlock' },
      { kind: 'lock-kind', is: 'rwsem' },
      { kind: 'lock-kind', is: 'rwlock' },
    ],
  },
  { kind: 'not', of: { kind: 'lock-kind', is: 'mm' } },
  { kind: 'not', of: { kind: 'lock-kind', is: 'address_space' } },
);
