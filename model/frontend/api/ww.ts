/** Lowering the ww acquire context's life cycle (`ww_acquire_init/done/fini`); ww_mutex_lock is a lock (locks.ts). */

import type { OpKind } from '../../ir.js';
import { wwClassArg } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function acquireInit(cx: ExtractContext, c: ApiCall): Lowered {
  const wwClass = wwClassArg(cx, c.args[0]!, c.name);
  const created = c.local('ww_ctx', { lockClass: `${wwClass}_acquire`, wwClass });
  return { op: { kind: 'ww_acquire_init', api: c.name, ctx: created, wwClass }, created };
}

export const WW_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  ww_acquire_init: acquireInit,
  ww_acquire_done: (_cx, c) => ({ op: { kind: 'ww_acquire_done', api: c.name, ctx: c.inst(0) } }),
  ww_acquire_fini: (_cx, c) => ({ op: { kind: 'ww_acquire_fini', api: c.name, ctx: c.inst(0) } }),
};
