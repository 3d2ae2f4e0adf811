/**
 * GEM objects, userptr objects and their pages: the constructor
 * (`userptr_object(mm)`, `drm_gem_object()`), pin/unpin/get of the
 * pages, device DMA to them and `drm_gem_prime_export` (userptr thread,
 * June 2020: "we don't allow such userptr dma-buf to even be shared").
 */

import type { ts } from 'ts-morph';
import type { Instance, OpKind } from '../../ir.js';
import { instanceArg, tryInstanceRef } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

/** The instance `const name = userptr_object(mm)` / `drm_gem_object()` declares. */
export function gemObject(cx: ExtractContext, name: string, callee: string, args: ts.NodeArray<ts.Expression>): Omit<Instance, 'id'> {
  if (callee !== 'userptr_object') return { name, kind: 'gem_object' };
  const mm = instanceArg(cx, args[0]!, cx.global, { kind: 'instance', name: 'mm', kinds: ['mm'] }, callee, 1);
  return { name, kind: 'gem_object', mm, userptr: true };
}

/**
 * `pin_user_pages(obj)` on a userptr object pins its pages (mm/gup.c
 * FOLL_PIN): the one call whose meaning depends on its operand, so the
 * user-access lowering asks here first. Undefined when the first argument
 * is not a userptr object (the call is then plain GUP user access).
 */
export function userptrPin(cx: ExtractContext, c: ApiCall): Lowered | undefined {
  if (!c.api.pin || !c.args[0]) return undefined;
  const id = tryInstanceRef(cx, c.args[0], c.env);
  if (id === undefined || cx.instances[id]!.kind !== 'gem_object') return undefined;
  if (!cx.instances[id]!.userptr) {
    cx.fail('LMC202', `${c.name}: '${cx.instances[id]!.name}' is not a userptr object; its pages are the driver's own`, c.args[0], 'declare it with `userptr_object(mm)`');
  }
  c.ignoreFrom(1);
  return { op: { kind: 'userptr_pages', api: c.name, obj: id, action: 'pin' } };
}

function pages(action: 'get' | 'unpin'): Lowering {
  return (cx, c) => {
    const obj = c.inst(0);
    if (!cx.instances[obj]!.userptr) {
      cx.fail('LMC202', `${c.name}: '${cx.instances[obj]!.name}' is not a userptr object`, c.args[0]!, 'declare it with `userptr_object(mm)`');
    }
    c.ignoreFrom(1);
    return { op: { kind: 'userptr_pages', api: c.name, obj, action } };
  };
}

export const USERPTR_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  userptr_pages: (cx, c) => pages(c.name === 'unpin_user_pages' ? 'unpin' : 'get')(cx, c),
  gem_prime_export: (_cx, c) => {
    const obj = c.inst(0);
    c.ignoreFrom(1);
    return { op: { kind: 'gem_prime_export', api: c.name, obj } };
  },
};
