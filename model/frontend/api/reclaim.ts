/**
 * Lowering what may sleep or enter reclaim, and what changes whether it
 * may: allocations and their GFP masks, memalloc scopes, user-memory
 * access (page faults take the mmap lock), pagefault_disable, local irq
 * state and might_sleep.
 */

import type { ts as TS } from 'ts-morph';
import { ts } from '../typescript.js';
import type { InstanceId, Op, OpKind } from '../../ir.js';
import { GFP_BY_NAME, MMAP_LOCK_CLASS, gfpMaskOf } from '../../vocabulary.js';
import { firstUnknown, ignoredArg, tryGfp, tryInstanceRef, unknownIdentifier } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import { describeExpr, normaliseSpace, skipParens } from '../syntax.js';
import { userptrPin } from './userptr.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function alloc(cx: ExtractContext, c: ApiCall): Lowered {
  const { api, name, args: a, env } = c;
  let names: string[];
  let text: string;
  if (api.gfpLast) {
    const g = a[a.length - 1]!;
    const got = tryGfp(g, env);
    if (!got) {
      const unknown = firstUnknown(cx, g, env);
      if (unknown) unknownIdentifier(cx, unknown, c.frame);
      cx.fail('LMC202', `${name} expects a GFP mask as its last argument, got ${describeExpr(skipParens(g))}`, g, `write \`${name}(GFP_KERNEL)\` or \`${name}(size, GFP_NOWAIT | __GFP_NOWARN)\``);
    }
    for (let i = 0; i < a.length - 1; i++) ignoredArg(cx, a[i]!, env, c.frame);
    names = got;
    text = ts.isIdentifier(skipParens(g)) && !GFP_BY_NAME.has((skipParens(g) as TS.Identifier).text) ? got.join(' | ') : normaliseSpace(skipParens(g).getText(cx.sf));
  } else {
    if (api.args[0]) c.inst(0);
    c.ignoreFrom(api.args.length);
    names = [api.fixedGfp!];
    text = api.fixedGfp!;
  }
  return { op: { kind: 'alloc', api: name, gfp: gfpMaskOf(names, text) } };
}

function memallocSave(_cx: ExtractContext, c: ApiCall): Lowered {
  const created = c.local('memalloc_cookie', {});
  return { op: { kind: 'memalloc_save', api: c.name, scope: c.api.scope!, cookie: created }, created };
}

/** The mm whose lock a fault takes: the first argument, the model's only mm, or an implicit `current->mm`. */
function userAccess(cx: ExtractContext, c: ApiCall): Lowered {
  const pinned = userptrPin(cx, c);
  if (pinned) return pinned;
  const { args: a, env } = c;
  let mm: InstanceId | undefined;
  const first = a[0];
  if (first) {
    const id = tryInstanceRef(cx, first, env);
    if (id !== undefined && cx.instances[id]!.kind === 'mm') mm = id;
  }
  for (const x of a) if (tryInstanceRef(cx, x, env) === undefined) ignoredArg(cx, x, env, c.frame);
  if (mm === undefined) {
    const mms = cx.instances.filter((i) => i.kind === 'mm' && i.name !== 'current->mm');
    if (mms.length === 1) mm = mms[0]!.id;
    else {
      cx.implicitMm ??= cx.addInstance({ name: 'current->mm', kind: 'mm', lockClass: MMAP_LOCK_CLASS }, undefined);
      mm = cx.implicitMm;
    }
  }
  const u: Extract<Op, { kind: 'user_access' }> = { kind: 'user_access', api: c.name, mm };
  if (c.api.pin) u.pin = true;
  return { op: u };
}

export const RECLAIM_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  alloc,
  memalloc_save: memallocSave,
  memalloc_restore: (_cx, c) => ({ op: { kind: 'memalloc_restore', api: c.name, scope: c.api.scope!, cookie: c.inst(0) } }),
  user_access: userAccess,
  // No operand: these only change (or assert) the context a thread runs in.
  pagefault_disable: (_cx, c) => ({ op: { kind: 'pagefault_disable', api: c.name } }),
  pagefault_enable: (_cx, c) => ({ op: { kind: 'pagefault_enable', api: c.name } }),
  local_irq_disable: (_cx, c) => ({ op: { kind: 'local_irq_disable', api: c.name } }),
  local_irq_enable: (_cx, c) => ({ op: { kind: 'local_irq_enable', api: c.name } }),
  might_sleep: (_cx, c) => ({ op: { kind: 'might_sleep', api: c.name } }),
};
