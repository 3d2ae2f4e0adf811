/**
 * The rule-file schema: the rule vocabulary of types.ts as runtime values,
 * so a rule file (JSON, never executed) can be checked against it. Each
 * list is kept exhaustive against its type by the assertions below: a new
 * op, context or family that is not listed here fails to compile.
 */
import type { LockKind, LockMode, OpKind } from '../model/ir.js';
import type { AttachmentClass, AttachmentState, Context, LockdepReport, PseudoLock, RuleFamily } from './types.js';

export const LOCKDEP_REPORTS = ['inconsistent-lock-state', 'irq-lock-inversion', 'invalid-wait-context', 'held-lock-freed', 'bad-unlock-balance'] as const satisfies readonly LockdepReport[];
const LOCKDEP_REPORTS_EXHAUSTIVE: Exhaustive<LockdepReport, (typeof LOCKDEP_REPORTS)[number]> = true;

export const OP_KINDS = [
  'lock', 'unlock', 'ww_acquire_init', 'ww_acquire_done', 'ww_acquire_fini', 'alloc', 'memalloc_save',
  'memalloc_restore', 'user_access', 'pagefault_disable', 'pagefault_enable', 'local_irq_disable',
  'local_irq_enable', 'signalling_begin', 'signalling_end', 'fence_init', 'fence_publish', 'fence_signal',
  'fence_wait', 'fence_add_callback', 'unmap_mapping_range', 'interval_read_begin', 'interval_read_retry',
  'interval_set_seq', 'dma_buf_export', 'dma_buf_attach', 'dma_buf_detach', 'dma_buf_pin', 'dma_buf_unpin',
  'dma_buf_map', 'dma_buf_unmap', 'dma_buf_invalidate', 'dma_buf_revoke', 'dma_buf_unrevoke', 'device_access',
  'phyr_to_page', 'page_ref_lock', 'dma_buf_put', 'mp_bind', 'mp_unbind', 'mp_recv', 'queue_work', 'flush_work',
  'might_sleep', 'userptr_pages', 'gem_access', 'gem_prime_export', 'local_bh_disable', 'local_bh_enable', 'rcu_read_lock', 'rcu_read_unlock', 'lock_init', 'final_put', 'mm_event',
  'hw_submit', 'sched_add_dependency', 'sched_push',
  'mp_own', 'phyr_op',
  'might_lock', 'fs_reclaim', 'rcu_sync',
  'pm_runtime', 'call_rcu',
] as const satisfies readonly OpKind[];
type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : never;
const OPS_EXHAUSTIVE: Exhaustive<OpKind, (typeof OP_KINDS)[number]> = true;

export const CONTEXTS = [
  'reclaim', 'direct-reclaim', 'kswapd', 'shrinker', 'mmu-notifier', 'mmu-notifier-nonblocking', 'irq',
  'fence-callback', 'invalidate-mappings', 'fence-release', 'work', 'signalling', 'atomic', 'pagefault-disabled',
  'memalloc-nofs', 'memalloc-noio', 'memalloc-noreclaim', 'softirq', 'final-put', 'irq-thread',
] as const satisfies readonly Context[];
const CONTEXTS_EXHAUSTIVE: Exhaustive<Context, (typeof CONTEXTS)[number]> = true;

export const FAMILIES = [
  'order', 'reclaim', 'fence', 'ww', 'pin', 'revoke', 'notifier', 'userptr', 'own', 'phyr', 'lockdep',
] as const satisfies readonly RuleFamily[];
const FAMILIES_EXHAUSTIVE: Exhaustive<RuleFamily, (typeof FAMILIES)[number]> = true;

export const LOCK_KINDS = ['mutex', 'spinlock', 'rwsem', 'rwlock', 'ww_mutex', 'mm', 'address_space', 'dma_resv'] as const satisfies readonly (
  | LockKind
  | 'mm'
  | 'address_space'
  | 'dma_resv'
)[];
export const PSEUDO = ['fs_reclaim', 'mmu_notifier_invalidate_range_start', 'dma_fence_map'] as const satisfies readonly PseudoLock[];
export const LOCK_MODES = ['write', 'read', 'recursive_read'] as const satisfies readonly LockMode[];
export const ATT_STATES = ['detached', 'attached', 'mapped', 'invalidated'] as const satisfies readonly AttachmentState[];
export const ATT_CLASSES = ['static', 'pinned-non-revocable', 'pinned-revocable', 'dynamic'] as const satisfies readonly AttachmentClass[];
export const SUBJECTS = ['operand', 'any', 'all'] as const;
export const EXPORTER_CAPS = ['movable', 'revocable', 'unrevocable', 'pinnable', 'p2pOnly'] as const;
export const OUTCOMES = ['ok', 'fail', 'EDEADLK', 'EALREADY', 'retry'] as const;
export const MONITOR_PER = ['attachment', 'buffer', 'rxq', 'fence', 'thread', 'global'] as const;
export const DEADLOCK_ON = ['lock', 'fence', 'ww', 'work'] as const;
void OPS_EXHAUSTIVE;
void CONTEXTS_EXHAUSTIVE;
void FAMILIES_EXHAUSTIVE;
void LOCKDEP_REPORTS_EXHAUSTIVE;

/** Rule ids are kebab-case (they name files and appear in presets). */
export const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Option keys become names in option tables; the shape keeps out `__proto__` and friends' spelling. */
export const OPTION_KEY = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/;
