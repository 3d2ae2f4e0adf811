/**
 * phyr objects (phyr vs scatterlist thread, linaro-mm-sig, Jan 2025):
 * the constructors `phyr_from_pages()` / `phyr_from_p2p()` with the
 * dma-mapped flag, and the ops on a phyr (map, unmap, the `phyr_to_sgt`
 * helper for old importers, `phyr_entry_to_page`). A phyr is told apart
 * from a scatterlist by kind: a dma-buf attachment's mapping stays the
 * scatterlist path (`dma_buf_map_attachment`), a phyr instance is the new one.
 */

import type { ts as TS } from 'ts-morph';
import type { Instance, OpKind } from '../../ir.js';
import { instanceArg, options } from '../arguments.js';
import { skipParens } from '../syntax.js';
import { ts } from '../typescript.js';
import type { ExtractContext } from '../context.js';
import type { Lowering } from './call.js';

/**
 * The instance `const p = phyr_from_pages({ dma_mapped })` / `phyr_from_p2p(...)` declares.
 * `phyr_from_pages(umem, { keep_pages })`: the phyr lists the pinned pages of userptr object
 * `umem` (RDMA reusing phyr for pin_user_pages memory, phyr thread Jan 2025); without
 * `keep_pages: true` the driver keeps no page array of its own, so only the phyr can give the
 * pages back to unpin them.
 */
export function phyrObject(cx: ExtractContext, name: string, callee: string, args: TS.NodeArray<TS.Expression>): Omit<Instance, 'id'> {
  let dmaMapped = false;
  let keepPages = false;
  let pagesOf: number | undefined;
  let opts = args[0];
  if (args[0] && !ts.isObjectLiteralExpression(skipParens(args[0]))) {
    if (callee !== 'phyr_from_pages') cx.fail('LMC202', `${callee} takes only an options object; a P2P range has no user pages`, args[0], `write \`${callee}({ dma_mapped: true })\``);
    pagesOf = instanceArg(cx, args[0], cx.global, { kind: 'instance', name: 'obj', kinds: ['gem_object'] }, callee, 1);
    if (!cx.instances[pagesOf]!.userptr) {
      cx.fail('LMC202', `${callee}: '${cx.instances[pagesOf]!.name}' is not a userptr object; only pinned user pages are listed this way`, args[0], 'declare it with `userptr_object(mm)`');
    }
    opts = args[1];
  } else if (args[1]) {
    cx.fail('LMC202', `${callee} expects (obj, options) or (options), got a second argument after an options object`, args[1], `write \`${callee}(umem, { keep_pages: true })\``);
  }
  if (opts) {
    const keys = pagesOf === undefined ? ['dma_mapped'] : ['dma_mapped', 'keep_pages'];
    for (const [k, v] of options(cx, opts, keys, callee)) {
      if (typeof v !== 'boolean') cx.fail('LMC202', `${callee}: option '${k}' must be true or false`, opts, `write \`${callee}({ ${k}: true })\``);
      if (k === 'dma_mapped') dmaMapped = v;
      else keepPages = v;
    }
  }
  return {
    name,
    kind: 'phyr',
    phyrFrom: callee === 'phyr_from_p2p' ? 'p2p' : 'pages',
    ...(dmaMapped ? { dmaMapped: true } : {}),
    ...(pagesOf !== undefined ? { pagesOf } : {}),
    ...(keepPages ? { keepPages: true as const } : {}),
  };
}

const ACTION: Record<string, 'map' | 'unmap' | 'to_sgt' | 'to_page'> = {
  phyr_map: 'map',
  phyr_unmap: 'unmap',
  phyr_to_sgt: 'to_sgt',
  phyr_entry_to_page: 'to_page',
};

export const PHYR_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  phyr_op: (_cx, c) => {
    const phyr = c.inst(0);
    c.ignoreFrom(1);
    return { op: { kind: 'phyr_op', api: c.name, phyr, action: ACTION[c.name]! } };
  },
};
