/**
 * Lock patterns several rules share. `allOf` builds the vocabulary's
 * `all-of` conjunction.
 */

import type { LockPattern } from '../types.js';

export function allOf(...of: LockPattern[]): LockPattern {
  return { kind: 'all-of', of };
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
