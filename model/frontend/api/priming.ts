/**
 * Lowering lockdep priming annotations (include/linux/lockdep.h,
 * mm/page_alloc.c): `might_lock(l)`, `might_lock_read(l)`,
 * `might_lock_nested(l, subclass)`, `fs_reclaim_acquire(gfp)` and
 * `fs_reclaim_release(gfp)`. Driver init code uses them to teach lockdep an
 * order once, at boot, so a later inversion on any path is a cycle.
 */

import type { Op, OpKind } from '../../ir.js';
import { gfpMaskOf } from '../../vocabulary.js';
import { constValue, firstUnknown, tryGfp, unknownIdentifier } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import { describeExpr, normaliseSpace, skipParens } from '../syntax.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function mightLock(cx: ExtractContext, c: ApiCall): Lowered {
  const lock = c.inst(0);
  const op: Extract<Op, { kind: 'might_lock' }> = { kind: 'might_lock', api: c.name, lock, mode: c.api.mode ?? 'write' };
  if (c.api.subclassArg) {
    const v = constValue(cx, c.args[1]!, c.env);
    if (v === undefined || !Number.isInteger(v) || v < 0 || v > 7) cx.fail('LMC202', `${c.name}: the subclass must be a constant between 0 and 7`, c.args[1]!, `write \`${c.name}(lock, 1)\` (lockdep has 8 subclasses)`);
    op.subclass = v;
  }
  return { op };
}

function fsReclaim(cx: ExtractContext, c: ApiCall): Lowered {
  const g = c.args[0]!;
  const names = tryGfp(g, c.env);
  if (!names) {
    const unknown = firstUnknown(cx, g, c.env);
    if (unknown) unknownIdentifier(cx, unknown, c.frame);
    cx.fail('LMC202', `${c.name} expects a GFP mask, got ${describeExpr(skipParens(g))}`, g, `write \`${c.name}(GFP_KERNEL)\``);
  }
  const gfp = gfpMaskOf(names, normaliseSpace(skipParens(g).getText(cx.sf)));
  return { op: { kind: 'fs_reclaim', api: c.name, action: c.name === 'fs_reclaim_release' ? 'release' : 'acquire', gfp } };
}

export const PRIMING_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  might_lock: mightLock,
  fs_reclaim: fsReclaim,
};
