/** Lowering dma_fence operations: signalling sections, init, publish, signal, wait and callbacks. */

import type { ts as TS } from 'ts-morph';
import { ts } from '../typescript.js';
import type { Op, OpKind } from '../../ir.js';
import { fnArg, ignoredArg, options } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import { Abort } from '../scope.js';
import { skipParens } from '../syntax.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function signallingBegin(_cx: ExtractContext, c: ApiCall): Lowered {
  const created = c.local('signalling_cookie', {});
  return { op: { kind: 'signalling_begin', api: c.name, cookie: created }, created };
}

function fenceInit(_cx: ExtractContext, c: ApiCall): Lowered {
  const op: Op = { kind: 'fence_init', api: c.name, fence: c.inst(0) };
  c.ignoreFrom(1);
  return { op };
}

/** `dma_resv_add_fence(resv, fence, usage)` publishes into a reservation; the others publish the fence alone. */
function fencePublish(cx: ExtractContext, c: ApiCall): Lowered {
  if (c.name === 'dma_resv_add_fence') {
    const resv = c.inst(0);
    const op: Op = { kind: 'fence_publish', api: c.name, fence: c.inst(1), resv };
    c.ignoreFrom(2);
    return { op };
  }
  if (c.name === 'driver_fence_publish') {
    // driver_fence_publish(tracker, fence): the tracker is read and ignored.
    ignoredArg(cx, c.args[0]!, c.env, c.frame);
    const fence = c.inst(1);
    return { op: { kind: 'fence_publish', api: c.name, fence } };
  }
  return { op: { kind: 'fence_publish', api: c.name, fence: c.inst(0) } };
}

function fenceSignal(cx: ExtractContext, c: ApiCall): Lowered {
  let guaranteed = true;
  if (c.args[1]) for (const [k, v] of options(cx, c.args[1], ['opportunistic'], c.name)) if (k === 'opportunistic') guaranteed = v !== true;
  return { op: { kind: 'fence_signal', api: c.name, fence: c.inst(0), guaranteed } };
}

/** A wait on a fence or on every fence of a reservation; any timeout but MAX_SCHEDULE_TIMEOUT is bounded. */
function fenceWait(cx: ExtractContext, c: ApiCall): Lowered {
  const { api, name, args: a, env } = c;
  const target = c.inst(0);
  let tArg: TS.Expression | undefined;
  if (api.timeoutArg === -1) tArg = a.length >= 2 ? a[a.length - 1] : undefined;
  else if (api.timeoutArg !== undefined) tArg = a[api.timeoutArg];
  for (let i = 1; i < a.length; i++) if (a[i] !== tArg) ignoredArg(cx, a[i]!, env, c.frame);
  let timeout: 'infinite' | 'bounded' = 'infinite';
  if (tArg) {
    const t = skipParens(tArg);
    if (!(ts.isIdentifier(t) && t.text === 'MAX_SCHEDULE_TIMEOUT')) {
      ignoredArg(cx, t, env, c.frame);
      timeout = 'bounded';
    }
  }
  return { op: cx.instances[target]!.kind === 'dma_resv' ? { kind: 'fence_wait', api: name, resv: target, timeout } : { kind: 'fence_wait', api: name, fence: target, timeout } };
}

function fenceAddCallback(cx: ExtractContext, c: ApiCall): Lowered {
  const fence = c.inst(0);
  const fn = fnArg(cx, c.args[1]!, c.name);
  const cb = cx.requestProc(fn, 'fence_callback', c.args[1]!);
  if (cb === undefined) throw new Abort();
  return { op: { kind: 'fence_add_callback', api: c.name, fence, callback: cb } };
}

export const FENCE_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  signalling_begin: signallingBegin,
  signalling_end: (_cx, c) => ({ op: { kind: 'signalling_end', api: c.name, cookie: c.inst(0) } }),
  fence_init: fenceInit,
  fence_publish: fencePublish,
  fence_signal: fenceSignal,
  fence_wait: fenceWait,
  fence_add_callback: fenceAddCallback,
};
