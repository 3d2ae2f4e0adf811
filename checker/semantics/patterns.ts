/**
 * Static matchers for the rule vocabulary: does this IR operation match a
 * StepPattern, does this lock instance (or ww context, or pseudo-lock)
 * match a LockPattern. The semantics compiler (properties.ts) and the lock
 * graph both use them, so "which steps does a rule talk about" has one
 * answer.
 *
 * Patterns that depend on the whole lock graph (`at-or-below`,
 * `at-or-above`, `held-across`, `taken-in`) need the graph; without one
 * they throw `PatternNeedsGraphError` rather than guess.
 */

import { unreachable, type DriverModel, type GfpMask, type InstanceId, type MemallocScope, type Op, type Outcome } from '../../model/ir.js';
import type { LockGraph } from '../engines/lockgraph/types.js';
import type { GfpPattern, LockPattern, PseudoLock, StepPattern } from '../../rules/types.js';
import { DMA_FENCE_MAP, FS_RECLAIM, MMU_NOTIFIER_MAP } from '../../rules/canonical-order.js';

export class PatternNeedsGraphError extends Error {
  constructor(public readonly pattern: LockPattern['kind']) {
    super(`lock pattern '${pattern}' needs the lock graph`);
  }
}

/**
 * Something a thread can hold in lockdep's sense: a lock instance, a live
 * ww acquire context (its `<ww_class>_acquire` map), or a pseudo-lock.
 */
export type Holdable =
  | { kind: 'instance'; id: InstanceId }
  | { kind: 'ctx'; id: InstanceId }
  | { kind: 'pseudo'; name: PseudoLock };

export const PSEUDO_LOCKS: readonly PseudoLock[] = [FS_RECLAIM, MMU_NOTIFIER_MAP, DMA_FENCE_MAP] as PseudoLock[];

const SLEEPING_KINDS = new Set(['mutex', 'rwsem', 'ww_mutex', 'dma_resv', 'mm', 'address_space']);
const LOCKABLE_KINDS = new Set(['mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space', 'dma_resv']);

export function isLockable(model: DriverModel, id: InstanceId): boolean {
  return LOCKABLE_KINDS.has(model.instances[id].kind);
}

/** lockdep class of a lock instance, as the model declared it. */
export function instanceClass(model: DriverModel, id: InstanceId): string {
  const inst = model.instances[id];
  return inst.lockClass ?? inst.name;
}

/** ww class of a ww_mutex / dma_resv / ww_ctx instance. */
export function instanceWwClass(model: DriverModel, id: InstanceId): string | undefined {
  const inst = model.instances[id];
  if (inst.wwClass) return inst.wwClass;
  return inst.kind === 'dma_resv' ? 'reservation_ww_class' : undefined;
}

export function holdableClass(model: DriverModel, h: Holdable): string {
  switch (h.kind) {
    case 'instance':
      return instanceClass(model, h.id);
    case 'ctx':
      return `${instanceWwClass(model, h.id) ?? 'reservation_ww_class'}_acquire`;
    case 'pseudo':
      return h.name;
    default:
      return unreachable(h);
  }
}

/**
 * `lock-kind` is read the way kernel people say it: a dma_resv *is* a
 * ww_mutex, and mmap_lock / i_mmap_rwsem *are* rwsems.
 */
function kindMatches(instKind: string, is: string): boolean {
  if (instKind === is) return true;
  if (is === 'ww_mutex') return instKind === 'dma_resv';
  if (is === 'rwsem') return instKind === 'mm' || instKind === 'address_space';
  return false;
}

function graphClasses(p: LockPattern, graph: LockGraph | undefined): Set<string> {
  if (!graph) throw new PatternNeedsGraphError(p.kind);
  switch (p.kind) {
    case 'at-or-below':
      return graph.classesAtOrBelow(p.name);
    case 'at-or-above':
      return graph.classesAtOrAbove(p.name);
    case 'held-across':
      return graph.classesHeldAcross(p.step);
    case 'taken-in':
      return graph.classesTakenIn(p.context, p.blocking);
    default:
      throw new Error(`graphClasses: ${p.kind}`);
  }
}

/**
 * Does `pattern` match holdable `h`? `operand` is the lock the current step
 * operates on (for `{ kind: 'operand' }`); without one, `operand` matches
 * nothing.
 */
export function holdableMatches(
  h: Holdable,
  pattern: LockPattern,
  model: DriverModel,
  graph?: LockGraph,
  operand?: InstanceId,
): boolean {
  switch (pattern.kind) {
    case 'class':
      return holdableClass(model, h) === pattern.name;
    case 'lock-kind':
      return h.kind === 'instance' && kindMatches(model.instances[h.id].kind, pattern.is);
    case 'ww-class':
      return h.kind === 'instance' && instanceWwClass(model, h.id) === pattern.name && model.instances[h.id].kind !== 'ww_ctx';
    case 'ww-acquire':
      return h.kind === 'ctx' && instanceWwClass(model, h.id) === pattern.name;
    case 'pseudo':
      return h.kind === 'pseudo' && h.name === pattern.name;
    case 'at-or-below':
    case 'at-or-above':
    case 'held-across':
    case 'taken-in':
      return graphClasses(pattern, graph).has(holdableClass(model, h));
    case 'operand':
      return h.kind === 'instance' && operand !== undefined && h.id === operand;
    case 'any-lock':
      // Real locks only: "holds any lock" is about what the code took, not
      // about the contexts lockdep models as pseudo-locks.
      return h.kind === 'instance';
    case 'sleeping-lock':
      return h.kind === 'instance' && SLEEPING_KINDS.has(model.instances[h.id].kind);
    case 'not':
      return !holdableMatches(h, pattern.of, model, graph, operand);
    case 'any-of':
      return pattern.of.some((q) => holdableMatches(h, q, model, graph, operand));
    case 'all-of':
      return pattern.of.every((q) => holdableMatches(h, q, model, graph, operand));
    default:
      return unreachable(pattern);
  }
}

/** Does `pattern` match lock instance `instance`? */
export function lockMatches(
  instance: InstanceId,
  pattern: LockPattern,
  model: DriverModel,
  graph?: LockGraph,
  operand?: InstanceId,
): boolean {
  return holdableMatches({ kind: 'instance', id: instance }, pattern, model, graph, operand);
}

/** Does a pattern mention a graph-dependent sub-pattern? */
export function patternNeedsGraph(p: LockPattern): boolean {
  switch (p.kind) {
    case 'at-or-below':
    case 'at-or-above':
    case 'held-across':
    case 'taken-in':
      return true;
    case 'not':
      return patternNeedsGraph(p.of);
    case 'any-of':
    case 'all-of':
      return p.of.some(patternNeedsGraph);
    default:
      return false;
  }
}

export interface ScopeFlags {
  nofs?: boolean;
  noio?: boolean;
  /** memalloc_noreclaim_save or running inside reclaim (PF_MEMALLOC). */
  noreclaim?: boolean;
}

/**
 * The mask an allocation really uses under memalloc scopes
 * (include/linux/sched/mm.h current_gfp_context; mm/page_alloc.c
 * __need_reclaim for PF_MEMALLOC). `text` stays as written so messages
 * quote the source.
 */
export function effectiveGfp(gfp: GfpMask, scopes: readonly MemallocScope[] | ScopeFlags): GfpMask {
  const f: ScopeFlags = Array.isArray(scopes)
    ? { nofs: scopes.includes('nofs'), noio: scopes.includes('noio'), noreclaim: scopes.includes('noreclaim') }
    : (scopes as ScopeFlags);
  const out: GfpMask = { ...gfp };
  if (f.noio) {
    out.io = false;
    out.fs = false;
  }
  if (f.nofs) out.fs = false;
  if (f.noreclaim) out.directReclaim = false;
  return out;
}

export function gfpMatches(eff: GfpMask, p: GfpPattern): boolean {
  if (p.directReclaim !== undefined && eff.directReclaim !== p.directReclaim) return false;
  if (p.fs !== undefined && (eff.directReclaim && eff.fs) !== p.fs) return false;
  if (p.noLockdep !== undefined && eff.noLockdep !== p.noLockdep) return false;
  return true;
}

/** The lock an op operates on, if any (the `operand` of lock patterns). */
export function opLock(op: Op): InstanceId | undefined {
  return op.kind === 'lock' || op.kind === 'unlock' ? op.lock : undefined;
}

/** The object an op operates on, by kind, for `subject: 'operand'` predicates. */
export function opOperands(op: Op, model: DriverModel): { fence?: InstanceId; attachment?: InstanceId; buffer?: InstanceId; rxq?: InstanceId; ctx?: InstanceId; lock?: InstanceId; gem?: InstanceId; phyr?: InstanceId } {
  const out: ReturnType<typeof opOperands> = {};
  switch (op.kind) {
    case 'lock':
      out.lock = op.lock;
      out.ctx = op.ctx;
      setResvBuffer(out, op.lock, model);
      break;
    case 'unlock':
      out.lock = op.lock;
      setResvBuffer(out, op.lock, model);
      break;
    case 'ww_acquire_init':
    case 'ww_acquire_done':
    case 'ww_acquire_fini':
      out.ctx = op.ctx;
      break;
    case 'fence_init':
    case 'fence_signal':
    case 'fence_add_callback':
      out.fence = op.fence;
      break;
    case 'fence_publish':
      out.fence = op.fence;
      if (op.resv !== undefined) out.lock = op.resv;
      break;
    case 'fence_wait':
      out.fence = op.fence;
      if (op.resv !== undefined) out.lock = op.resv;
      if (op.resv !== undefined) setResvBuffer(out, op.resv, model);
      break;
    case 'dma_buf_attach':
    case 'dma_buf_detach':
    case 'dma_buf_pin':
    case 'dma_buf_unpin':
    case 'dma_buf_map':
    case 'dma_buf_unmap':
    case 'device_access':
    case 'phyr_to_page':
    case 'page_ref_lock':
      out.attachment = op.attachment;
      out.buffer = model.instances[op.attachment].buf;
      break;
    case 'dma_buf_export':
    case 'dma_buf_invalidate':
    case 'dma_buf_revoke':
    case 'dma_buf_unrevoke':
    case 'dma_buf_put':
      out.buffer = op.buf;
      break;
    case 'mp_bind':
      out.rxq = op.rxq;
      out.buffer = op.buf;
      break;
    case 'mp_unbind':
    case 'mp_recv':
      out.rxq = op.rxq;
      break;
    case 'userptr_pages':
    case 'gem_access':
    case 'gem_prime_export':
      out.gem = op.obj;
      break;
    case 'user_access':
      // pin_user_pages(obj): the userptr object it pins.
      if (op.obj !== undefined) out.gem = op.obj;
      break;
    case 'mp_own':
      out.buffer = op.buf;
      if (op.rxq !== undefined) out.rxq = op.rxq;
      break;
    case 'phyr_op':
      out.phyr = op.phyr;
      break;
    default:
      break;
  }
  return out;
}

/**
 * B1 (docs/open-requests.md): a lock, unlock or wait on `buf.resv` has
 * `buf` as its buffer operand, so per-buffer monitors and predicates see
 * which dma-buf the step is about when a model has several.
 */
function setResvBuffer(out: { buffer?: InstanceId }, resv: InstanceId, model: DriverModel): void {
  const buf = model.instances.find((i) => i.kind === 'dma_buf' && i.resv === resv);
  if (buf !== undefined) out.buffer = buf.id;
}

function oneOf<T>(v: T, want: T | T[]): boolean {
  return Array.isArray(want) ? want.includes(v) : v === want;
}

/**
 * Static match of one op (taking `outcome`) against a step pattern. A
 * pattern that constrains a field the op does not have (a `mode` on an
 * allocation) does not match. `effGfp` is the effective mask at this step
 * when the caller knows the scopes; otherwise the written mask is used.
 */
export function opMatchesStep(
  op: Op,
  outcome: Outcome | undefined,
  p: StepPattern,
  model: DriverModel,
  graph?: LockGraph,
  effGfp?: GfpMask,
): boolean {
  if (!oneOf(op.kind, p.op)) return false;
  if (p.api && !p.api.includes(op.api)) return false;
  if (p.outcome !== undefined && (outcome ?? 'ok') !== p.outcome) return false;
  if (p.lock !== undefined) {
    const l = opLock(op);
    if (l === undefined || !lockMatches(l, p.lock, model, graph, l)) return false;
  }
  if (p.mode !== undefined && (op.kind !== 'lock' || !oneOf(op.mode, p.mode))) return false;
  if (p.trylock !== undefined && (op.kind !== 'lock' || op.trylock !== p.trylock)) return false;
  if (p.ctx !== undefined) {
    if (op.kind !== 'lock') return false;
    const k = model.instances[op.lock].kind;
    if (k !== 'ww_mutex' && k !== 'dma_resv') return false;
    if ((op.ctx === undefined ? 'null' : 'some') !== p.ctx) return false;
  }
  if (p.slow !== undefined && (op.kind !== 'lock' || (op.slow ?? false) !== p.slow)) return false;
  if (p.gfp !== undefined && (op.kind !== 'alloc' || !gfpMatches(effGfp ?? op.gfp, p.gfp))) return false;
  if (p.timeout !== undefined && (op.kind !== 'fence_wait' || op.timeout !== p.timeout)) return false;
  if (p.guaranteed !== undefined && (op.kind !== 'fence_signal' || op.guaranteed !== p.guaranteed)) return false;
  if (p.unlocked !== undefined && ((op.kind !== 'dma_buf_map' && op.kind !== 'dma_buf_unmap') || op.unlocked !== p.unlocked)) return false;
  if (p.write !== undefined && ((op.kind !== 'device_access' && op.kind !== 'gem_access') || op.write !== p.write)) return false;
  if (p.checked !== undefined && (op.kind === 'mp_recv' ? op.checked : op.kind === 'mp_bind' ? !op.ignored : undefined) !== p.checked) return false;
  if (p.provider !== undefined && ((op.kind !== 'mp_bind' && op.kind !== 'mp_unbind' && op.kind !== 'mp_recv' && op.kind !== 'mp_own') || op.provider !== p.provider)) return false;
  if (p.wwClass !== undefined && stepWwClass(op, model) !== p.wwClass) return false;
  return true;
}

/** The ww class a step works in: its transaction's, or its ww lock's. */
export function stepWwClass(op: Op, model: DriverModel): string | undefined {
  switch (op.kind) {
    case 'ww_acquire_init':
      return op.wwClass;
    case 'ww_acquire_done':
    case 'ww_acquire_fini':
      return instanceWwClass(model, op.ctx);
    case 'lock':
    case 'unlock':
      return instanceWwClass(model, op.lock);
    default:
      return undefined;
  }
}
