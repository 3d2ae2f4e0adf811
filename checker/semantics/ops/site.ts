/**
 * What an operation family needs from the compiler to emit the
 * transitions of one op node: the compile context, the thread it runs in,
 * per-thread state variables made on first use, and the deferred patches
 * that need every thread's locations (writer preference, wounds).
 *
 * Each family (locks.ts, ww.ts, fences.ts, reclaim.ts, dma-buf.ts,
 * providers.ts, work.ts) is a set of functions from an OpSite to emitted
 * transitions; compile.ts dispatches on the op kind. Ops that inline
 * callbacks (allocations that enter direct reclaim, fence signals,
 * invalidations) stay in compile.ts, next to the copy machinery they drive.
 */

import type { Instance, InstanceId, Op, Outcome } from '../../../model/ir.js';
import type { CompileContext } from '../context.js';
import type { BoolExpr, IntExpr, VarId } from '../system.js';

export type Update = { v: VarId; e: IntExpr };

/** Signalling and irqsave nesting saturate here. */
export const DEPTH_MAX = 7;

/** A read acquisition of an rw_semaphore, given writer preference once every writer site is known. */
export interface ReadPatch {
  thread: number;
  loc: number;
  lock: InstanceId;
  ok: number;
  fail?: number;
  failRest: BoolExpr;
  /** When writer preference applies (queued rwlock: not in_interrupt()); always when absent. */
  when?: BoolExpr;
}

/** A Wound-Wait EDEADLK transition whose guard is completed once every ww wait site is known. */
export interface WoundPatch {
  t: number;
  thread: number;
  lock: InstanceId;
  ctxVar: VarId;
  base: BoolExpr;
}

/** The compiler, as the op families see it. */
export interface OpCompiler {
  readonly ctx: CompileContext;
  /** The engine thread being expanded. */
  readonly thread: number;
  inst(id: InstanceId): Instance;
  /** Bit `b` of the thread's flags (false when it has none). */
  flag(b: number): BoolExpr;
  setFlag(b: number, on: boolean): Update[];
  flagsVar(): VarId | undefined;
  irqsaveInc(): Update[];
  irqsaveDec(): Update[];
  /** Bottom-half disable nesting of the thread (no update when no softirq can land on it). */
  bhInc(): Update[];
  bhDec(): Update[];
  /** The thread's variable for a ww_acquire_ctx (made on first use). */
  ctxVarFor(ctxInst: InstanceId): VarId;
  /** The thread's variable for a memalloc cookie (made on first use). */
  cookieVar(cookie: InstanceId): VarId;
  /** "Thread `thread` is done", resolved once every thread's locations are known. */
  doneExpr(thread: number): BoolExpr;
  addReadPatch(p: ReadPatch): void;
  addWoundPatch(p: WoundPatch): void;
  addWwWaitSite(s: { thread: number; pc: number; lock: InstanceId; ctxVar: VarId }): void;
  addWriteWaitSite(s: { thread: number; pc: number; lock: InstanceId }): void;
}

/** One op node being compiled at location `loc`. */
export interface OpSite<O extends Op = Op> {
  readonly c: OpCompiler;
  readonly op: O;
  readonly loc: number;
  /** Emits the transition for `outcome` to the node's successor for it; returns its id. */
  emit(outcome: Outcome, guard: BoolExpr, updates: Update[], extra?: { timedOut?: boolean }): number;
}

export type OpOf<K extends Op['kind']> = Extract<Op, { kind: K }>;
