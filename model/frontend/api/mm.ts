/** Lowering mm events run by the calling task: munmap, mprotect, exit_mmap. */

import type { OpKind } from '../../ir.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function mmEvent(_cx: ExtractContext, c: ApiCall): Lowered {
  const mm = c.inst(0);
  c.ignoreFrom(1);
  return { op: { kind: 'mm_event', api: c.name, mm, mode: c.api.mode === 'read' ? 'read' : 'write' } };
}

export const MM_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  mm_event: mmEvent,
};
