/** Lowering memory-provider operations on an rx queue (devmem, zcrx): bind, unbind, receive. */

import type { ts as TS } from 'ts-morph';
import { ts } from '../typescript.js';
import type { Op, OpKind } from '../../ir.js';
import { options } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function bind(_cx: ExtractContext, c: ApiCall): Lowered {
  const rxq = c.inst(0);
  const op: Op = { kind: 'mp_bind', api: c.name, rxq, buf: c.inst(1), provider: c.api.provider! };
  // A bind written as a statement: a refusal (-EEXIST) falls through to code that assumes it owns the queue.
  if (resultIgnored(c.call)) op.ignored = true;
  c.ignoreFrom(2);
  return { op };
}

function recv(cx: ExtractContext, c: ApiCall): Lowered {
  let checked = false;
  if (c.args[1]) for (const [k, v] of options(cx, c.args[1], ['checked'], c.name)) if (k === 'checked') checked = v === true;
  return { op: { kind: 'mp_recv', api: c.name, rxq: c.inst(0), provider: c.api.provider!, checked } };
}

function resultIgnored(call: TS.CallExpression): boolean {
  let n: TS.Node = call;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isExpressionStatement(n.parent) || ts.isVoidExpression(n.parent);
}

/** Register-without-use and the transfer to io_uring (zcrx vs devmem TCP thread, June 2024). */
function own(_cx: ExtractContext, c: ApiCall): Lowered {
  if (c.name === 'io_zcrx_take_dmabuf') {
    const rxq = c.inst(0);
    const buf = c.inst(1);
    c.ignoreFrom(2);
    return { op: { kind: 'mp_own', api: c.name, buf, provider: 'zcrx', action: 'transfer', rxq } };
  }
  const buf = c.inst(0);
  c.ignoreFrom(1);
  return { op: { kind: 'mp_own', api: c.name, buf, provider: 'devmem', action: c.name === 'net_devmem_unregister_dmabuf' ? 'unregister' : 'register' } };
}

export const PROVIDER_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  mp_bind: bind,
  mp_unbind: (_cx, c) => ({ op: { kind: 'mp_unbind', api: c.name, rxq: c.inst(0), provider: c.api.provider! } }),
  mp_recv: recv,
  mp_own: own,
};
