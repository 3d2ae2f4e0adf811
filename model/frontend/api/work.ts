/** Lowering workqueue operations: queue_work and flush_work name the work item last (`queue_work(wq, work)`). */

import type { OpKind } from '../../ir.js';
import type { ArgSpec } from '../../vocabulary.js';
import { ignoredArg, instanceArg } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function workOp(kind: 'queue_work' | 'flush_work'): Lowering {
  return (cx: ExtractContext, c: ApiCall): Lowered => {
    const a = c.args;
    if (a.length === 2) ignoredArg(cx, a[0]!, c.env, c.frame);
    const w = instanceArg(cx, a[a.length - 1]!, c.env, c.api.args[0] as Extract<ArgSpec, { kind: 'instance' }>, c.name, a.length, c.frame);
    return { op: { kind, api: c.name, work: w } };
  };
}

export const WORK_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  queue_work: workOp('queue_work'),
  flush_work: workOp('flush_work'),
};
