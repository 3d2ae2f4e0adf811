/**
 * Lowering possibly-final puts (ORDER-7): drm_gem_object_put, ttm_bo_put,
 * dma_fence_put run the object's registered destructor when the reference
 * was the last; kref_put names its release function itself.
 */

import type { OpKind } from '../../ir.js';
import { fnArg, ignoredArg } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import { Abort } from '../scope.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function finalPut(cx: ExtractContext, c: ApiCall): Lowered {
  if (c.name === 'kref_put') {
    // include/linux/kref.h kref_put(kref, release): release(kref) runs when the count drops to zero.
    ignoredArg(cx, c.args[0]!, c.env, c.frame);
    const fn = fnArg(cx, c.args[1]!, c.name);
    const release = cx.requestProc(fn, 'release', c.args[1]!);
    if (release === undefined) throw new Abort();
    return { op: { kind: 'final_put', api: c.name, release } };
  }
  const obj = c.inst(0);
  const i = cx.instances[obj]!;
  // Without a registered destructor the put is still recorded: rules see the step.
  const op: Lowered['op'] = { kind: 'final_put', api: c.name, obj };
  if (i.proc !== undefined) op.release = i.proc;
  if (i.kind === 'dma_fence') op.fence = true;
  return { op };
}

export const RELEASE_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  final_put: finalPut,
};
