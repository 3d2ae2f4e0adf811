/** Lowering address-space unmapping and mmu interval notifier sequences (read_begin / read_retry / set_seq). */

import { ts } from '../typescript.js';
import type { Op, OpKind } from '../../ir.js';
import { unknownIdentifier } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import { skipParens } from '../syntax.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function unmapMappingRange(_cx: ExtractContext, c: ApiCall): Lowered {
  const op: Op = { kind: 'unmap_mapping_range', api: c.name, mapping: c.inst(0) };
  c.ignoreFrom(1);
  return { op };
}

/** `const seq = mmu_interval_read_begin(mni)` binds the notifier, so a retry can check it is the same one. */
function readBegin(_cx: ExtractContext, c: ApiCall): Lowered {
  const seq = c.inst(0);
  return { op: { kind: 'interval_read_begin', api: c.name, notifier: seq }, seq };
}

function readRetry(cx: ExtractContext, c: ApiCall): Lowered {
  const { name, args: a } = c;
  const notifier = c.inst(0);
  if (a[1]) {
    const s = skipParens(a[1]);
    const b = ts.isIdentifier(s) ? c.env.get(s.text) : undefined;
    if (!b && ts.isIdentifier(s)) unknownIdentifier(cx, s, c.frame);
    if (b?.kind !== 'seq') cx.fail('LMC202', `${name} expects the sequence returned by mmu_interval_read_begin as argument 2`, a[1], 'write `const seq = mmu_interval_read_begin(mni); ... mmu_interval_read_retry(mni, seq)`');
    if (b.notifier !== notifier) cx.fail('LMC202', `${name}: the sequence was read from another notifier`, a[1], 'pass the notifier the sequence was read from');
  }
  return { op: { kind: 'interval_read_retry', api: name, notifier } };
}

function setSeq(_cx: ExtractContext, c: ApiCall): Lowered {
  const op: Op = { kind: 'interval_set_seq', api: c.name, notifier: c.inst(0) };
  c.ignoreFrom(1);
  return { op };
}

export const NOTIFIER_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  unmap_mapping_range: unmapMappingRange,
  interval_read_begin: readBegin,
  interval_read_retry: readRetry,
  interval_set_seq: setSeq,
};
