/**
 * WW-3: -EALREADY means "you already hold it in this context": not a
 * second hold, so it is unlocked once.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';

const wwLock: LockPattern = { kind: 'any-of', of: [{ kind: 'lock-kind', is: 'ww_mutex' }, { kind: 'lock-kind', is: 'dma_resv' }] };

export const rule = defineRule({
  meta: {
    id: 'ww-ealready',
    family: 'ww',
    severity: 'error',
    summary: 'Treat -EALREADY from a ww lock as "already held in this context" and unlock that object exactly once.',
    rationale:
      'Locking a ww_mutex the context already holds returns -EALREADY instead of deadlocking: the object list had a duplicate. The lock is ' +
      'held once, so code that counts the duplicate as a second acquisition unlocks it twice, releasing a lock it no longer owns (lockdep: ' +
      '"bad unlock balance detected") or, worse, a lock another task has taken in between. drm_exec can be told to accept duplicates ' +
      '(DRM_EXEC_IGNORE_DUPLICATES) or to reject them.',
    covers: ['WW-3'],
    citations: [
      { kind: 'doc', file: 'Documentation/locking/ww-mutex-design.rst' },
      { kind: 'kernel', file: 'include/drm/drm_exec.h' },
    ],
    messages: {
      'unlock-not-held': '{{api}}({{lock}}) unlocks a ww lock that {{thread}} does not hold (a duplicate that returned -EALREADY unlocked twice?)',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'unlock-not-held',
      on: { op: 'unlock', lock: wwLock },
      when: { kind: 'not', of: { kind: 'holds', lock: { kind: 'operand' }, who: 'self' } },
    },
  ],
});
