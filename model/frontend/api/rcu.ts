/**
 * call_rcu(head, fn) (kernel/rcu/tree.c): `fn` becomes a softirq handler
 * registered as an RCU callback, which the checker runs only after a
 * call_rcu queued it (checker/semantics/compile.ts). The rcu_head argument
 * is read and ignored.
 */

import type { OpKind } from '../../ir.js';
import { fnArg, ignoredArg } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import { Abort } from '../scope.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function callRcu(cx: ExtractContext, c: ApiCall): Lowered {
  ignoredArg(cx, c.args[0]!, c.env, c.frame);
  const fn = fnArg(cx, c.args[1]!, c.name);
  const callback = cx.requestProc(fn, 'softirq', c.args[1]!);
  if (callback === undefined) throw new Abort();
  // One registration per callback function, however many call sites queue it.
  if (!cx.registrations.some((r) => r.role === 'softirq' && r.proc === callback && r.rcu)) cx.registrations.push({ role: 'softirq', proc: callback, rcu: true });
  return { op: { kind: 'call_rcu', api: c.name, callback } };
}

export const RCU_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  call_rcu: callRcu,
};
