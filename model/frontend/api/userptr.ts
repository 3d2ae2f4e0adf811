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
  // GUP on the object's mm (mm/gup.c: the non-_fast calls run under the caller's mmap_lock, the
  // _fast ones take it on their slow path), which also pins the pages (D5 in docs/open-requests.md).
  return { op: { kind: 'user_access', api: c.name, mm: cx.instances[id]!.mm!, pin: true, obj: id } };
}

/**
 * `unpin_user_pages(x)` needs the struct pages (mm/gup.c takes a page
 * array). Of a userptr object: the driver's own page array, which it has
 * unless a phyr that lists the object's pages is all it kept
 * (`phyr_from_pages(umem)` without `keep_pages`). Of such a phyr: each
 * entry's page got back with phyr_entry_to_page and unpinned, the loop
 * RDMA needs (Jason Gunthorpe, phyr thread, Jan 2025); a phyr_op, so the
 * rule that judges phyr_entry_to_page sees it.
 */
function unpin(cx: ExtractContext, c: ApiCall): Lowered {
  const id = c.inst(0);
  const inst = cx.instances[id]!;
  c.ignoreFrom(1);
  if (inst.kind === 'phyr') {
    if (inst.pagesOf === undefined) {
      const p2p = inst.phyrFrom === 'p2p';
      cx.fail('LMC202', `${c.name}: phyr '${inst.name}' ${p2p ? 'is a P2P/MMIO range: no user pages were pinned into it' : 'lists no userptr object\'s pinned pages'}`, c.args[0]!, 'build it over the pinned object: `const p = phyr_from_pages(umem);`');
    }
    return { op: { kind: 'phyr_op', api: c.name, phyr: id, action: 'unpin_pages' } };
  }
  if (!inst.userptr) cx.fail('LMC202', `${c.name}: '${inst.name}' is not a userptr object`, c.args[0]!, 'declare it with `userptr_object(mm)`');
  // The driver has its page array unless every phyr that lists the pages says it dropped it.
  const over = cx.instances.filter((i) => i.kind === 'phyr' && i.pagesOf === id);
  const only = over.every((i) => !i.keepPages) ? over[0] : undefined;
  if (only) {
    cx.fail(
      'LMC202',
      `${c.name}(${inst.name}): the driver keeps the pages of '${inst.name}' only in phyr '${only.name}' (phyr_from_pages(${inst.name}) without keep_pages), so it has no page array to unpin`,
      c.args[0]!,
      `get them back through the phyr: \`${c.name}(${only.name})\`, or keep a second list: \`phyr_from_pages(${inst.name}, { keep_pages: true })\``,
    );
  }
  return { op: { kind: 'userptr_pages', api: c.name, obj: id, action: 'unpin' } };
}

function pages(action: 'get'): Lowering {
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
  userptr_pages: (cx, c) => (c.name === 'unpin_user_pages' ? unpin(cx, c) : pages('get')(cx, c)),
  gem_prime_export: (_cx, c) => {
    const obj = c.inst(0);
    c.ignoreFrom(1);
    return { op: { kind: 'gem_prime_export', api: c.name, obj } };
  },
};
