/** Lowering dma-buf exporter and importer operations: export, attach/detach, pin, map, device access, invalidate/revoke, put. */

import type { Op, OpKind } from '../../ir.js';
import { importerOf } from '../arguments.js';
import type { ExtractContext } from '../context.js';
import type { ApiCall, Lowered, Lowering } from './call.js';

function attach(cx: ExtractContext, c: ApiCall): Lowered {
  const { buf, importer } = importerOf(cx, c.call, c.name, c.env);
  const created = c.local('attachment', { buf, importer });
  return { op: { kind: 'dma_buf_attach', api: c.name, attachment: created }, created };
}

function detach(cx: ExtractContext, c: ApiCall): Lowered {
  const buf = c.inst(0);
  const att = c.inst(1);
  if (cx.instances[att]!.buf !== buf) {
    cx.fail('LMC202', `${c.name}: attachment '${cx.instances[att]!.name}' belongs to '${cx.instances[cx.instances[att]!.buf!]!.name}', not '${cx.instances[buf]!.name}'`, c.args[1]!, 'detach from the buffer the attachment was made to');
  }
  return { op: { kind: 'dma_buf_detach', api: c.name, attachment: att } };
}

/** map/unmap take a direction and more after the attachment, read but ignored. */
function mapping(kind: 'dma_buf_map' | 'dma_buf_unmap'): Lowering {
  return (_cx, c) => {
    const op: Op = { kind, api: c.name, attachment: c.inst(0), unlocked: !!c.api.unlocked };
    c.ignoreFrom(1);
    return { op };
  };
}

export const DMA_BUF_LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  dma_buf_export: (_cx, c) => ({ op: { kind: 'dma_buf_export', api: c.name, buf: c.inst(0) } }),
  dma_buf_attach: attach,
  dma_buf_detach: detach,
  dma_buf_pin: (_cx, c) => ({ op: { kind: 'dma_buf_pin', api: c.name, attachment: c.inst(0) } }),
  dma_buf_unpin: (_cx, c) => ({ op: { kind: 'dma_buf_unpin', api: c.name, attachment: c.inst(0) } }),
  phyr_to_page: (_cx, c) => ({ op: { kind: 'phyr_to_page', api: c.name, attachment: c.inst(0) } }),
  page_ref_lock: (_cx, c) => ({ op: { kind: 'page_ref_lock', api: c.name, attachment: c.inst(0) } }),
  dma_buf_map: mapping('dma_buf_map'),
  dma_buf_unmap: mapping('dma_buf_unmap'),
  device_access: (cx, c) => {
    const target = c.inst(0);
    // A GEM object of the device's own driver (a userptr BO): DMA to its pages.
    if (cx.instances[target]!.kind === 'gem_object') return { op: { kind: 'gem_access', api: c.name, obj: target, write: !!c.api.write } };
    // A phyr the importer holds: DMA through its (mapped or dma-mapped) ranges.
    if (cx.instances[target]!.kind === 'phyr') return { op: { kind: 'phyr_op', api: c.name, phyr: target, action: 'access' } };
    return { op: { kind: 'device_access', api: c.name, attachment: target, write: !!c.api.write } };
  },
  dma_buf_invalidate: (_cx, c) => ({ op: { kind: 'dma_buf_invalidate', api: c.name, buf: c.inst(0) } }),
  dma_buf_revoke: (_cx, c) => ({ op: { kind: 'dma_buf_revoke', api: c.name, buf: c.inst(0) } }),
  dma_buf_unrevoke: (_cx, c) => ({ op: { kind: 'dma_buf_unrevoke', api: c.name, buf: c.inst(0) } }),
  dma_buf_put: (_cx, c) => ({ op: { kind: 'dma_buf_put', api: c.name, buf: c.inst(0) } }),
};
