/**
 * Memory-reclaim state that ops change without entering reclaim
 * (allocations, which may run callbacks inline, stay in compile.ts):
 * memalloc_*_save/restore scopes and mmu interval-notifier sequences.
 */

import { MEMALLOC_NOFS, MEMALLOC_NOIO, MEMALLOC_NORECLAIM } from '../context.js';
import { FALSE, TRUE, bit, bitclear, bitor, cnst, eq, ite, not, vr } from '../expr.js';
import { unreachable, type MemallocScope } from '../../../model/ir.js';
import type { OpOf, OpSite } from './site.js';

export function scopeBit(s: MemallocScope): number {
  switch (s) {
    case 'nofs':
      return MEMALLOC_NOFS;
    case 'noio':
      return MEMALLOC_NOIO;
    case 'noreclaim':
      return MEMALLOC_NORECLAIM;
    default:
      return unreachable(s);
  }
}

export function emitMemallocOp(site: OpSite<OpOf<'memalloc_save' | 'memalloc_restore'>>): void {
  const { c, op } = site;
  const b = scopeBit(op.scope);
  const cv = c.cookieVar(op.cookie);
  const f = c.flagsVar();
  if (op.kind === 'memalloc_save') {
    // The cookie remembers whether the flag was already set, so nested
    // scopes restore exactly (memalloc_*_restore writes the saved bit back).
    site.emit('ok', TRUE, f === undefined ? [] : [
      { v: cv, e: ite(bit(vr(f), b), cnst(1), cnst(0)) },
      { v: f, e: bitor(vr(f), cnst(1 << b)) },
    ]);
  } else {
    site.emit('ok', TRUE, f === undefined ? [] : [
      { v: f, e: ite(eq(vr(cv), cnst(1)), bitor(vr(f), cnst(1 << b)), bitclear(vr(f), cnst(1 << b))) },
    ]);
  }
}

export function emitIntervalOp(site: OpSite<OpOf<'interval_read_begin' | 'interval_read_retry' | 'interval_set_seq'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const t = c.thread;
  const s = ctx.notifierSeq.get(op.notifier);
  switch (op.kind) {
    case 'interval_read_begin':
      site.emit('ok', TRUE, s === undefined ? [] : [{ v: s, e: bitclear(vr(s), cnst(1 << t)) }]);
      return;
    case 'interval_read_retry': {
      // mmu_interval_read_retry: true iff an invalidation (set_seq) ran
      // since this thread's read_begin.
      const stale = s === undefined ? FALSE : bit(vr(s), t);
      site.emit('ok', not(stale), []);
      if (stale.k !== 'false') site.emit('retry', stale, []);
      return;
    }
    case 'interval_set_seq':
      site.emit('ok', TRUE, s === undefined ? [] : [{ v: s, e: cnst(ctx.vars[s]!.max) }]);
      return;
    default:
      return unreachable(op);
  }
}
