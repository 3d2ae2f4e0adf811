/**
 * phyr objects (phyr vs scatterlist thread, linaro-mm-sig, Jan 2025):
 * the constructors `phyr_from_pages()` / `phyr_from_p2p()` with the
 * dma-mapped flag, and the ops on a phyr (map, unmap, the `phyr_to_sgt`
 * helper for old importers, `phyr_entry_to_page`). A phyr is told apart
 * from a scatterlist by kind: a dma-buf attachment's mapping stays the
 * scatterlist path (`dma_buf_map_attachment`), a phyr instance is the new one.
 */

import type { ts } from 'ts-morph';
import type { Instance, OpKind } from '../../ir.js';
import { options } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { Lowering } from './call.js';

/** The instance `const p = phyr_from_pages({ dma_mapped })` / `phyr_from_p2p(...)` declares. */
export function phyrObject(cx: ExtractContext, name: string, callee: string, args: ts.NodeArray<ts.Expression>): Omit<Instance, 'id'> {
  let dmaMapped = false;
  if (args[0]) {
    for (const [k, v] of options(cx, args[0], ['dma_mapped'], callee)) {
      if (typeof v !== 'boolean') cx.fail('LMC202', `${callee}: option '${k}' must be true or false`, args[0], `write \`${callee}({ dma_mapped: true })\``);
      dmaMapped = v;
    }
  }
  return { name, kind: 'phyr', phyrFrom: callee === 'phyr_from_p2p' ? 'p2p' : 'pages', ...(dmaMapped ? { dmaMapped: true } : {}) };
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
