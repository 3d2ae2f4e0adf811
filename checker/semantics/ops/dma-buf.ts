/**
 * dma-buf attachments and exporters: attach/detach, pin/unpin,
 * map/unmap and revocation (invalidation, which runs importers'
 * callbacks inline, stays in compile.ts).
 */

import { unreachable } from '../../../model/ir.js';
import { ATT_ATTACHED, ATT_DETACHED, ATT_MAPPED, ATT_PINNED_BIT, BUF_ACTIVE, BUF_REVOKED } from '../context.js';
import { FALSE, TRUE, bitand, bitclear, bitor, cnst, not, vr } from '../expr.js';
import type { OpOf, OpSite } from './site.js';

type AttachmentOp = OpOf<'dma_buf_attach' | 'dma_buf_detach' | 'dma_buf_pin' | 'dma_buf_unpin' | 'dma_buf_map' | 'dma_buf_unmap'>;

export function emitAttachmentOp(site: OpSite<AttachmentOp>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const av = ctx.attachmentVar(op.attachment);
  // Only the ops that need the instance look it up (a missing one is LMC461).
  const ai = () => c.inst(op.attachment);
  switch (op.kind) {
    case 'dma_buf_attach': {
      const buf = ai().buf;
      // An importer that declared it rejects revocable exporters gets the
      // refusal outcome from one (revocable dma-buf thread, Jan 2025).
      if (buf !== undefined && ai().importer?.caps?.rejectRevocable && c.inst(buf).exporter?.revocable) {
        site.emit('fail', TRUE, []);
        return;
      }
      const rev = buf === undefined ? FALSE : ctx.bufRevoked(buf);
      // REVOKE-5: a revoked exporter refuses new attachments.
      site.emit('ok', not(rev), av === undefined ? [] : [{ v: av, e: cnst(ATT_ATTACHED) }]);
      if (rev.k !== 'false') site.emit('fail', rev, []);
      return;
    }
    case 'dma_buf_detach':
      site.emit('ok', TRUE, av === undefined ? [] : [{ v: av, e: cnst(ATT_DETACHED) }]);
      return;
    case 'dma_buf_pin':
      site.emit('ok', TRUE, av === undefined ? [] : [{ v: av, e: bitor(vr(av), cnst(1 << ATT_PINNED_BIT)) }]);
      return;
    case 'dma_buf_unpin':
      site.emit('ok', TRUE, av === undefined ? [] : [{ v: av, e: bitclear(vr(av), cnst(1 << ATT_PINNED_BIT)) }]);
      return;
    case 'dma_buf_map': {
      const i = ai();
      const rev = i.buf === undefined ? FALSE : ctx.bufRevoked(i.buf);
      // A static importer is pinned by dma_buf_map_attachment (and
      // unpinned by unmap); a dynamic one keeps its own pin state.
      const isStatic = !(i.importer?.dynamic ?? false);
      const val = isStatic ? cnst(ATT_MAPPED | (1 << ATT_PINNED_BIT)) : bitor(bitand(vr(av ?? 0), cnst(1 << ATT_PINNED_BIT)), cnst(ATT_MAPPED));
      site.emit('ok', not(rev), av === undefined ? [] : [{ v: av, e: val }]);
      if (rev.k !== 'false') site.emit('fail', rev, []);
      return;
    }
    case 'dma_buf_unmap': {
      const isStatic = !(ai().importer?.dynamic ?? false);
      const val = isStatic ? cnst(ATT_ATTACHED) : bitor(bitand(vr(av ?? 0), cnst(1 << ATT_PINNED_BIT)), cnst(ATT_ATTACHED));
      site.emit('ok', TRUE, av === undefined ? [] : [{ v: av, e: val }]);
      return;
    }
    default:
      return unreachable(op);
  }
}

export function emitRevocationOp(site: OpSite<OpOf<'dma_buf_revoke' | 'dma_buf_unrevoke'>>): void {
  const b = site.c.ctx.bufferVar(site.op.buf);
  // REVOKE-6: unrevoking sends no notification to importers.
  const value = site.op.kind === 'dma_buf_revoke' ? BUF_REVOKED : BUF_ACTIVE;
  site.emit('ok', TRUE, b === undefined ? [] : [{ v: b, e: cnst(value) }]);
}
