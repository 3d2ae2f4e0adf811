/**
 * Locks and what waits on them: mutex/spinlock/rwsem/rwlock acquisition
 * and release (a ww_mutex with a context goes to ww.ts), irq and pagefault
 * disabling, user accesses that may fault under mmap_lock, and
 * unmap_mapping_range's i_mmap_lock.
 */

import { unreachable } from '../../../model/ir.js';
import { SemanticsError, IRQS_OFF, PAGEFAULT_DISABLED } from '../context.js';
import { FALSE, TRUE, and, bitclear, bitor, cnst, eq, ite, not, vr } from '../expr.js';
import type { BoolExpr } from '../system.js';
import { emitCtxLock } from './ww.js';
import type { OpOf, OpSite, Update } from './site.js';
import { pinEffect } from './userptr.js';

/** User-memory APIs whose caller must already hold mmap_lock (mm/gup.c, mm/hmm.c). */
export const CALLER_HOLDS_MMAP_LOCK: ReadonlySet<string> = new Set([
  'get_user_pages',
  'pin_user_pages',
  'get_user_pages_remote',
  'pin_user_pages_remote',
  'hmm_range_fault',
]);

export function emitLock(site: OpSite<OpOf<'lock'>>): void {
  const { c, op, loc } = site;
  const ctx = c.ctx;
  const t = c.thread;
  const a = t + 1;
  const li = ctx.lockInstance(op.lock);
  if (c.inst(li).percpu) {
    // local_lock_t: every CPU has its own, and on !RT taking it only turns
    // preemption (or irqs) off, so no thread ever waits for another's. The
    // lock graph carries its class (include/linux/local_lock_internal.h).
    site.emit('ok', TRUE, op.irqsave ? c.irqsaveInc() : []);
    return;
  }
  const o = ctx.owner.get(li);
  if (o === undefined) {
    throw new SemanticsError('LMC461', `${op.api}: instance ${c.inst(op.lock).name} is not a lock`);
  }
  const r = ctx.readers.get(li);
  const h = ctx.wwHolder.get(li);
  const irq = [...(op.irqsave ? c.irqsaveInc() : []), ...(op.bh ? c.bhInc() : [])];
  const free = eq(vr(o), cnst(0));
  const noReaders = r === undefined ? TRUE : eq(vr(r), cnst(0));

  if (h !== undefined && op.ctx !== undefined) {
    emitCtxLock(site, { ctxInst: op.ctx, lock: li, owner: o, holder: h, irq, free });
    return;
  }

  // Plain acquisition (NULL ww ctx behaves as a mutex: WW-4).
  let avail: BoolExpr;
  let take: Update[];
  if (op.mode === 'write' || r === undefined) {
    avail = and(free, noReaders);
    take = [{ v: o, e: cnst(a) }];
    if (h !== undefined) take.push({ v: h, e: cnst(0) });
  } else {
    // Read sides need no writer. A thread re-reading a lock it already
    // reads keeps one bit: its first up_read releases the read side.
    avail = free;
    take = [{ v: r, e: bitor(vr(r), cnst(1 << t)) }];
  }
  const okId = site.emit('ok', avail, [...take, ...irq]);
  const failId = op.trylock ? site.emit('fail', not(avail), []) : undefined;
  const kind = c.inst(li).kind;
  if (op.mode === 'read' && r !== undefined && kind !== 'rwlock') {
    // rw_semaphore writer preference: once a writer sleeps on the rwsem
    // (RWSEM_FLAG_WAITERS / handoff), new down_read and down_read_trylock
    // do not join the readers. So read-read-write is a deadlock (the
    // classic fault under mmap_read_lock with an mmap_write_lock
    // waiting).
    c.addReadPatch({ thread: t, loc, lock: li, ok: okId, fail: failId, failRest: not(avail) });
  }
  if (op.mode !== 'write' && r !== undefined && kind === 'rwlock') {
    // Queued rwlock (kernel/locking/qrwlock.c queued_read_lock_slowpath):
    // a reader that finds a writer waiting (_QW_WAITING) queues behind it,
    // unless in_interrupt() (hard irq, softirq, or bh disabled:
    // read_lock_bh), where it only waits for a writer that holds the lock.
    // lockdep's read_lock_is_recursive() follows the same split.
    // read_trylock fails while a writer waits or holds, in any context
    // (queued_read_trylock tests _QW_WMASK).
    const when = op.trylock ? TRUE : op.bh ? FALSE : not(ctx.bhOff(t));
    if (when.k !== 'false') {
      c.addReadPatch({ thread: t, loc, lock: li, ok: okId, fail: failId, failRest: not(avail), when });
    }
  }
  if (op.mode === 'write' && !op.trylock && r !== undefined) {
    // A blocked down_write / write_lock is a waiting writer.
    c.addWriteWaitSite({ thread: t, pc: loc, lock: li });
  }
}

export function emitUnlock(site: OpSite<OpOf<'unlock'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  const t = c.thread;
  const a = t + 1;
  const li = ctx.lockInstance(op.lock);
  if (c.inst(li).percpu) {
    site.emit('ok', TRUE, op.irqrestore ? c.irqsaveDec() : []);
    return;
  }
  const o = ctx.owner.get(li);
  const r = ctx.readers.get(li);
  const h = ctx.wwHolder.get(li);
  const ups: Update[] = [];
  // Releasing what this thread does not hold changes nothing; rules
  // report the misuse, the semantics stays total.
  if (o !== undefined) ups.push({ v: o, e: ite(eq(vr(o), cnst(a)), cnst(0), vr(o)) });
  if (r !== undefined) ups.push({ v: r, e: bitclear(vr(r), cnst(1 << t)) });
  if (h !== undefined && o !== undefined) ups.push({ v: h, e: ite(eq(vr(o), cnst(a)), cnst(0), vr(h)) });
  if (op.irqrestore) ups.push(...c.irqsaveDec());
  if (op.bh) ups.push(...c.bhDec());
  site.emit('ok', TRUE, ups);
}

export function emitUserAccess(site: OpSite<OpOf<'user_access'>>): void {
  const { c, op, loc } = site;
  const ctx = c.ctx;
  const t = c.thread;
  // A user access may fault; the fault handler takes
  // mmap_read_lock(current->mm) and releases it (arch do_page_fault,
  // lock_mm_and_find_vma). It therefore blocks while anyone,
  // including this thread, holds the mm for write. With pagefaults
  // disabled the access does not fault-in: it returns short (-EFAULT).
  //
  // GUP and hmm_range_fault are called with mmap_lock already held
  // (mmap_assert_locked) and fault pages in under it: when this
  // thread holds the mm they take nothing more. The _fast variants
  // and the copy/get/put helpers take it themselves.
  const li = ctx.lockInstance(op.mm);
  const o = ctx.owner.get(li);
  const noWriter = o === undefined ? TRUE : eq(vr(o), cnst(0));
  const pfd = c.flag(PAGEFAULT_DISABLED);
  const callerHolds = CALLER_HOLDS_MMAP_LOCK.has(op.api) ? ctx.heldBy(li, t) : FALSE;
  // pin_user_pages(obj) on a userptr object: the same GUP, which also pins the pages.
  const pin = op.obj !== undefined ? pinEffect(ctx, op.obj) : undefined;
  const pinGuard = pin?.guard ?? TRUE;
  const pinned = pin?.updates ?? [];
  if (callerHolds.k !== 'false') site.emit('ok', and(not(pfd), callerHolds, pinGuard), pinned);
  const faultId = site.emit('ok', and(not(pfd), not(callerHolds), noWriter, pinGuard), pinned);
  // The fault's mmap_read_lock queues behind a sleeping writer too.
  c.addReadPatch({ thread: t, loc, lock: li, ok: faultId, failRest: FALSE });
  if (pfd.k !== 'false') {
    // Pages already there are pinned without a fault; the rest return short.
    site.emit('ok', and(pfd, pinGuard), pinned);
    site.emit('fail', pfd, []);
  }
}

export function emitUnmapMappingRange(site: OpSite<OpOf<'unmap_mapping_range'>>): void {
  const { c, op } = site;
  const ctx = c.ctx;
  // Takes i_mmap_lock_write(mapping) and drops it: blocks while any
  // thread (this one included) holds the mapping in any mode.
  const li = ctx.lockInstance(op.mapping);
  const o = ctx.owner.get(li);
  const r = ctx.readers.get(li);
  site.emit('ok', and(o === undefined ? TRUE : eq(vr(o), cnst(0)), r === undefined ? TRUE : eq(vr(r), cnst(0))), []);
}

/** pagefault_disable/enable and local_irq_disable/enable: one flag bit of the thread. */
export function emitFlagOp(site: OpSite<OpOf<'pagefault_disable' | 'pagefault_enable' | 'local_irq_disable' | 'local_irq_enable'>>): void {
  const { c, op } = site;
  switch (op.kind) {
    case 'pagefault_disable':
      site.emit('ok', TRUE, c.setFlag(PAGEFAULT_DISABLED, true));
      return;
    case 'pagefault_enable':
      site.emit('ok', TRUE, c.setFlag(PAGEFAULT_DISABLED, false));
      return;
    case 'local_irq_disable':
      site.emit('ok', TRUE, c.setFlag(IRQS_OFF, true));
      return;
    case 'local_irq_enable':
      site.emit('ok', TRUE, c.setFlag(IRQS_OFF, false));
      return;
    default:
      return unreachable(op);
  }
}
