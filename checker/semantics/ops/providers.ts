/** Memory providers on rx queues (devmem TCP, io_uring zcrx): binding and unbinding. */

import { RXQ_DEVMEM, RXQ_NONE, RXQ_ZCRX } from '../context.js';
import { TRUE, cnst, eq, ite, ne, vr } from '../expr.js';
import type { OpOf, OpSite } from './site.js';

export function emitProviderOp(site: OpSite<OpOf<'mp_bind' | 'mp_unbind'>>): void {
  const { c, op } = site;
  const q = c.ctx.rxqVar(op.rxq);
  const code = op.provider === 'devmem' ? RXQ_DEVMEM : RXQ_ZCRX;
  if (op.kind === 'mp_bind') {
    // OWN-1: __net_mp_open_rxq refuses a queue that already has a provider.
    if (q === undefined) {
      site.emit('ok', TRUE, []);
      return;
    }
    site.emit('ok', eq(vr(q), cnst(RXQ_NONE)), [{ v: q, e: cnst(code) }]);
    site.emit('fail', ne(vr(q), cnst(RXQ_NONE)), []);
  } else {
    // OWN-2: __net_mp_close_rxq bails unless the caller is the installed provider.
    site.emit('ok', TRUE, q === undefined ? [] : [{ v: q, e: ite(eq(vr(q), cnst(code)), cnst(RXQ_NONE), vr(q)) }]);
  }
}
