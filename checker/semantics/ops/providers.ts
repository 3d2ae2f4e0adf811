/**
 * Memory providers on rx queues (devmem TCP, io_uring zcrx): binding and
 * unbinding, which buffer each queue binds, and the ownership of a
 * dma-buf's registration (register-without-use, the transfer to io_uring:
 * zcrx vs devmem TCP thread, netdev, June 2024).
 */

import { OWNER_DEVMEM, OWNER_NONE, OWNER_ZCRX, RXQ_DEVMEM, RXQ_NONE, RXQ_ZCRX, type CompileContext } from '../context.js';
import { TRUE, and, cnst, eq, ite, ne, not, vr } from '../expr.js';
import type { DriverModel } from '../../../model/ir.js';
import type { OpOf, OpSite, Update } from './site.js';

/** One buffer variable per rx queue, and one owner variable per dma_buf when the model registers buffers. */
export function makeProviderVars(ctx: CompileContext, model: DriverModel): void {
  const bufs = model.instances.filter((i) => i.kind === 'dma_buf');
  for (const i of model.instances) {
    if (i.kind === 'rx_queue') ctx.rxqBufs.set(i.id, ctx.addVar(`rxqbuf.${i.name}`, bufs.length, 0, { kind: 'rxq-buffer', instance: i.id }));
  }
  const owns = model.procs.some((p) => p.nodes.some((n) => n.kind === 'op' && n.op.kind === 'mp_own'));
  if (!owns) return;
  for (const b of bufs) ctx.bufOwners.set(b.id, ctx.addVar(`owner.${b.name}`, OWNER_ZCRX, OWNER_NONE, { kind: 'buffer-owner', instance: b.id }));
}

export function emitProviderOp(site: OpSite<OpOf<'mp_bind' | 'mp_unbind'>>): void {
  const { c, op } = site;
  const q = c.ctx.rxqVar(op.rxq);
  const qb = c.ctx.rxqBufs.get(op.rxq);
  const code = op.provider === 'devmem' ? RXQ_DEVMEM : RXQ_ZCRX;
  if (op.kind === 'mp_bind') {
    // OWN-1: __net_mp_open_rxq refuses a queue that already has a provider.
    if (q === undefined) {
      site.emit('ok', TRUE, []);
      return;
    }
    const bound: Update[] = [{ v: q, e: cnst(code) }];
    if (qb !== undefined) bound.push({ v: qb, e: cnst(c.ctx.bufferIndex(op.buf) + 1) });
    site.emit('ok', eq(vr(q), cnst(RXQ_NONE)), bound);
    site.emit('fail', ne(vr(q), cnst(RXQ_NONE)), []);
  } else {
    // OWN-2: __net_mp_close_rxq bails unless the caller is the installed provider.
    if (q === undefined) {
      site.emit('ok', TRUE, []);
      return;
    }
    const mine = eq(vr(q), cnst(code));
    const ups: Update[] = [{ v: q, e: ite(mine, cnst(RXQ_NONE), vr(q)) }];
    if (qb !== undefined) ups.push({ v: qb, e: ite(mine, cnst(0), vr(qb)) });
    // io_uring's teardown of a queue it took over ends its ownership of that buffer too.
    if (op.provider === 'zcrx') {
      for (const [buf, ov] of c.ctx.bufOwners) {
        const took = and(mine, c.ctx.rxqBoundTo(op.rxq, buf), eq(vr(ov), cnst(OWNER_ZCRX)));
        ups.push({ v: ov, e: ite(took, cnst(OWNER_NONE), vr(ov)) });
      }
    }
    site.emit('ok', TRUE, ups);
  }
}

/**
 * Register-without-use, unregister and the transfer to io_uring. A
 * registration fails on a buffer some provider already owns; the
 * transfer needs a devmem registration nobody uses and a free queue.
 */
export function emitOwnershipOp(site: OpSite<OpOf<'mp_own'>>): void {
  const { c, op } = site;
  const ov = c.ctx.bufOwners.get(op.buf);
  if (ov === undefined) {
    // Unreachable: makeProviderVars gives every dma_buf an owner once the model has an mp_own op.
    site.emit('ok', TRUE, []);
    return;
  }
  switch (op.action) {
    case 'register': {
      const free = eq(vr(ov), cnst(OWNER_NONE));
      site.emit('ok', free, [{ v: ov, e: cnst(OWNER_DEVMEM) }]);
      site.emit('fail', not(free), []);
      return;
    }
    case 'unregister':
      site.emit('ok', TRUE, [{ v: ov, e: ite(eq(vr(ov), cnst(OWNER_DEVMEM)), cnst(OWNER_NONE), vr(ov)) }]);
      return;
    case 'transfer': {
      const rxq = op.rxq!;
      const q = c.ctx.rxqVar(rxq);
      const qb = c.ctx.rxqBufs.get(rxq);
      const can = and(eq(vr(ov), cnst(OWNER_DEVMEM)), q === undefined ? TRUE : eq(vr(q), cnst(RXQ_NONE)));
      const ups: Update[] = [{ v: ov, e: cnst(OWNER_ZCRX) }];
      if (q !== undefined) ups.push({ v: q, e: cnst(RXQ_ZCRX) });
      if (qb !== undefined) ups.push({ v: qb, e: cnst(c.ctx.bufferIndex(op.buf) + 1) });
      site.emit('ok', can, ups);
      site.emit('fail', not(can), []);
      return;
    }
  }
}
