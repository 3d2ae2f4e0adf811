/**
 * phyr objects (phyr vs scatterlist thread, linaro-mm-sig, Jan 2025): an
 * importer's DMA mapping of a phyr. A phyr holding DMA addresses already
 * (the dma-mapped mode, a scatterlist exporter's list stored in a phyr)
 * needs no mapping; `phyr_to_sgt` maps a plain phyr for an old importer
 * and only wraps a dma-mapped one. `unpin_user_pages(phyr)` unpins the
 * userptr pages a phyr lists.
 */

import type { DriverModel } from '../../../model/ir.js';
import { PHYR_MAPPED, PHYR_UNMAPPED, type CompileContext } from '../context.js';
import { TRUE, cnst } from '../expr.js';
import type { OpOf, OpSite } from './site.js';
import { unpinUpdate } from './userptr.js';

export function makePhyrVars(ctx: CompileContext, model: DriverModel): void {
  for (const i of model.instances) {
    if (i.kind === 'phyr') ctx.phyrs.set(i.id, ctx.addVar(`phyr.${i.name}`, PHYR_MAPPED, PHYR_UNMAPPED, { kind: 'phyr', instance: i.id }));
  }
}

export function emitPhyrOp(site: OpSite<OpOf<'phyr_op'>>): void {
  const { c, op } = site;
  const v = c.ctx.phyrs.get(op.phyr);
  const dmaMapped = c.inst(op.phyr).dmaMapped ?? false;
  switch (op.action) {
    case 'map':
      site.emit('ok', TRUE, v === undefined ? [] : [{ v, e: cnst(PHYR_MAPPED) }]);
      return;
    case 'to_sgt':
      // The helper maps a plain phyr; a dma-mapped one is wrapped as it is.
      site.emit('ok', TRUE, v === undefined || dmaMapped ? [] : [{ v, e: cnst(PHYR_MAPPED) }]);
      return;
    case 'unmap':
      site.emit('ok', TRUE, v === undefined ? [] : [{ v, e: cnst(PHYR_UNMAPPED) }]);
      return;
    case 'unpin_pages': {
      // unpin_user_pages(phyr): the pages the phyr lists, each got back with phyr_entry_to_page, are unpinned.
      const pages = c.inst(op.phyr).pagesOf;
      const pv = pages === undefined ? undefined : c.ctx.userptrPages.get(pages);
      site.emit('ok', TRUE, pv === undefined ? [] : [unpinUpdate(pv)]);
      return;
    }
    case 'to_page':
    case 'access':
      // Observed by rules (a page from a P2P range, DMA through an unmapped phyr).
      site.emit('ok', TRUE, []);
      return;
  }
}
