/** Lowering memory-provider operations on an rx queue (devmem, zcrx): bind, unbind, receive. */

import type { Op, OpKind } from '../../ir.js';
import { options } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function bind(_cx: ExtractContext, c: ApiCall): Lowered {
  const rxq = c.inst(0);
  const op: Op = { kind: 'mp_bind', api: c.name, rxq, buf: c.inst(1), provider: c.api.provider! };
  c.ignoreFrom(2);
  return { op };
}

function recv(cx: ExtractContext, c: ApiCall): Lowered {
  let checked = false;
  if (c.args[1]) for (const [k, v] of options(cx, c.args[1], ['checked'], c.name)) if (k === 'checked') checked = v === true;
  return { op: { kind: 'mp_recv', api: c.name, rxq: c.inst(0), provider: c.api.provider!, checked } };
}

export const PROVIDER_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  mp_bind: bind,
  mp_unbind: (_cx, c) => ({ op: { kind: 'mp_unbind', api: c.name, rxq: c.inst(0), provider: c.api.provider! } }),
  mp_recv: recv,
};
