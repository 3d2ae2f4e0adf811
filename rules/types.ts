/**
 * The rule vocabulary: what a rule file is made of.
 *
 * A rule is metadata plus checks, and every check is data. The semantics
 * compiler (checker/semantics) turns step, state, terminal, deadlock and
 * monitor checks into properties of the transition system that both
 * engines read; the lock-graph engine reads `lock-cycle` checks. No rule
 * carries a closure: an SMT encoder cannot read one.
 */

import type { ExporterCaps, ImporterCaps, LockKind, LockMode, OpKind } from '../model/ir.js';

export type RuleFamily =
  | 'order'
  | 'reclaim'
  | 'fence'
  | 'ww'
  | 'pin'
  | 'revoke'
  | 'notifier'
  | 'userptr'
  | 'own'
  | 'phyr'
  | 'lockdep';

export type Severity = 'error' | 'warning';

export type Citation =
  | { kind: 'kernel'; file: string; symbol?: string; note?: string }
  | { kind: 'doc'; file: string; section?: string }
  | { kind: 'list'; list: string; date: string; subject: string; author?: string }
  | { kind: 'commit'; id: string; subject: string; version?: string };

/**
 * A debated rule exposes its positions as an option: the model (via
 * `@rule-option key=value`), the config file or `--rule-option` picks one.
 */
export interface RuleOptionDecl {
  key: string;
  summary: string;
  /**
   * `consequence`: a bundled model (path from the repository root) where
   * following this position's design leads to a violated safety property
   * (memory used after free or move, a killed context, a deadlock).
   */
  values: { value: string; summary: string; citation?: Citation; consequence?: string }[];
  default: string;
}

export interface RuleMeta {
  /** kebab-case; equals the file name without `.ts`. */
  id: string;
  family: RuleFamily;
  severity: Severity;
  /** One sentence. */
  summary: string;
  /** Why the kernel needs this: a paragraph a reviewer can quote. */
  rationale: string;
  /** Reference items this rule covers: `ORDER-2`, `FENCE-3.1`, ... */
  covers: string[];
  citations: Citation[];
  /**
   * Message templates, one per check id. Placeholders in `{{name}}` are
   * filled from the finding (`{{lock}}`, `{{held}}`, `{{api}}`, `{{thread}}`,
   * `{{fence}}`, `{{attachment}}`, `{{buf}}`, `{{gfp}}`, `{{context}}`, `{{obj}}` a GEM object, `{{phyr}}` a phyr, `{{rxq}}` an rx queue).
   */
  messages: Record<string, string>;
  options?: RuleOptionDecl[];
  /** Kernel versions where the rule applies (`v6.12`). */
  kernel?: { since?: string; until?: string };
  /** What was not fully verified against the kernel source. */
  hedge?: string;
  /**
   * Lock orders the rule states (lock classes as lockdep prints them):
   * `before` is taken outside `after`. They join every model's lock graph
   * as primed-like edges, so a model that takes `before` under `after`
   * closes a cycle (the rule's `lock-cycle` checks and
   * lockdep-circular-dependency see it), and the Z3 self-check proves them
   * acyclic with the primed orders and every rule file's. The same
   * `["before", "after"]` pairs a rule file's `order` holds.
   */
  order?: [before: string, after: string][];
}

// ---------------------------------------------------------------------------
// Patterns over locks, steps and states.

export type PseudoLock = 'fs_reclaim' | 'mmu_notifier_invalidate_range_start' | 'dma_fence_map';

export type LockPattern =
  | { kind: 'class'; name: string } // exact lockdep class
  | { kind: 'lock-kind'; is: LockKind | 'mm' | 'address_space' | 'dma_resv' }
  | { kind: 'ww-class'; name: string } // any ww_mutex of this ww class
  | { kind: 'ww-acquire'; name: string } // a live acquire context of this ww class
  | { kind: 'pseudo'; name: PseudoLock } // held in the lockdep sense
  /** Any class the lock graph orders at or after `name` (incl. primed edges). */
  | { kind: 'at-or-below'; name: string }
  /** Any class the lock graph orders at or before `name`. */
  | { kind: 'at-or-above'; name: string }
  /** A lock some path holds across an op matching `step` (e.g. a fence wait). */
  | { kind: 'held-across'; step: StepPattern }
  /**
   * A lock that some path acquires inside a context; with `blocking`, only
   * blocking acquisitions count (a trylock records no context -> L edge).
   */
  | { kind: 'taken-in'; context: Context; blocking?: boolean }
  | { kind: 'operand' } // the lock the step operates on
  | { kind: 'any-lock' }
  | { kind: 'sleeping-lock' } // mutex, rwsem, ww_mutex, dma_resv, mm, address_space
  | { kind: 'not'; of: LockPattern }
  | { kind: 'any-of'; of: LockPattern[] }
  /** Every one of the patterns matches (a driver lock AND taken in a notifier). */
  | { kind: 'all-of'; of: LockPattern[] };

export interface GfpPattern {
  /** The effective mask (after memalloc scopes) may enter direct reclaim. */
  directReclaim?: boolean;
  /** The effective mask takes fs_reclaim (direct reclaim and __GFP_FS). */
  fs?: boolean;
  noLockdep?: boolean;
}

export interface StepPattern {
  op: OpKind | OpKind[];
  /** lock / unlock: which lock. */
  lock?: LockPattern;
  mode?: LockMode | LockMode[];
  trylock?: boolean;
  /** lock with ww: `null` = NULL ctx, `some` = a context. */
  ctx?: 'null' | 'some';
  slow?: boolean;
  gfp?: GfpPattern;
  timeout?: 'infinite' | 'bounded';
  /** fence_signal: only guaranteed (not opportunistic) sites. */
  guaranteed?: boolean;
  unlocked?: boolean;
  write?: boolean;
  checked?: boolean;
  provider?: 'devmem' | 'zcrx';
  /** Restrict to these kernel function names. */
  api?: string[];
  /** Only steps that take this outcome (a successful trylock: `ok`). */
  outcome?: 'ok' | 'fail' | 'EDEADLK' | 'EALREADY' | 'retry';
  /**
   * The ww class of the step (`reservation_ww_class`, `crtc_ww_class`):
   * the class a ww_acquire_init starts or a ww_acquire_done/fini ends, or
   * of the ww_mutex / dma_resv a lock or unlock operates on. Any other
   * step never matches.
   */
  wwClass?: string;
}

/**
 * `closedBy` of a lock-cycle check (docs/open-requests.md #11): a model
 * edge of the cycle recorded by an op that matches the step pattern and,
 * when given, recorded in `context` with `from` as its held class. One
 * recording site must match all of them: "fs_reclaim ->
 * reservation_ww_class_mutex recorded in a shrinker" is
 * `{ op: 'lock', lock: <resv>, context: 'shrinker', from: <fs_reclaim> }`,
 * and the same edge class pair recorded elsewhere does not select the
 * cycle.
 */
export interface ClosingEdgePattern extends StepPattern {
  /**
   * The context the recording walk ran in, as the lock graph knows them:
   * the static contexts of the entry (`shrinker`, `kswapd`, `reclaim` for
   * shrinkers and, as for `taken-in`, for mmu notifiers too;
   * `mmu-notifier`, `irq`, `softirq`, `fence-callback`, `final-put`,
   * `invalidate-mappings`, `work`, ...) and `signalling` inside a
   * begin/end_signalling section or a fence callback. Dynamic contexts
   * (`atomic` from a spinlock, memalloc scopes) are not recorded.
   */
  context?: Context;
  /** The held class the edge starts from (the lock held when the op acquired). */
  from?: LockPattern;
}

/** Execution contexts a step can run in. */
export type Context =
  | 'reclaim' // direct reclaim or kswapd (fs_reclaim or PF_MEMALLOC)
  | 'direct-reclaim'
  | 'kswapd'
  | 'shrinker'
  | 'mmu-notifier'
  | 'mmu-notifier-nonblocking'
  | 'irq'
  | 'fence-callback'
  | 'invalidate-mappings'
  | 'fence-release'
  | 'work'
  | 'signalling' // inside begin/end_signalling (dynamic, per thread)
  | 'atomic' // spinlock held, irqs off, irq or fence-callback context
  | 'pagefault-disabled'
  | 'memalloc-nofs'
  | 'memalloc-noio'
  | 'memalloc-noreclaim'
  | 'softirq' // softirq handlers, tasklets, timers (open_softirq, tasklet_setup, timer_setup)
  | 'final-put' // inside a destructor run inline by a possibly-final put (GEM free, TTM destroy, kref release, fence release)
  | 'irq-thread'; // a request_irq handler force-threaded by PREEMPT_RT: a task, irqs on (kernel/irq/manage.c irq_thread)

/** Which object a state predicate talks about. */
export type Subject =
  | 'operand' // the object the current step operates on
  | 'any' // some object of the kind
  | 'all'; // every object of the kind

export type AttachmentState = 'detached' | 'attached' | 'mapped' | 'invalidated';
export type AttachmentClass = 'static' | 'pinned-non-revocable' | 'pinned-revocable' | 'dynamic';

/** State predicates; for step checks they are evaluated before the step. */
export type Pred =
  | { kind: 'true' }
  | { kind: 'holds'; lock: LockPattern; mode?: 'write' | 'read' | 'any'; who?: 'self' | 'other' | 'any' }
  | { kind: 'in-context'; context: Context }
  | { kind: 'fence'; subject: Subject; state: 'unpublished' | 'published' | 'signalled' | 'has-waiter' }
  | { kind: 'attachment'; subject: Subject; state: AttachmentState | AttachmentState[] }
  | { kind: 'attachment-pinned'; subject: Subject; is: boolean }
  | { kind: 'attachment-class'; subject: Subject; is: AttachmentClass | AttachmentClass[] }
  | { kind: 'attachment-p2p'; subject: Subject; is: boolean }
  | { kind: 'buffer'; subject: Subject; state: 'active' | 'revoked' }
  | { kind: 'exporter'; subject: Subject; cap: keyof ExporterCaps; is: boolean }
  /** The resv of the operand attachment's (or buffer's) dma_buf is held by self. */
  | { kind: 'buffer-resv-held'; who?: 'self' | 'any' }
  | { kind: 'rxq'; subject: Subject; owner: 'none' | 'devmem' | 'zcrx' | 'other-provider' }
  /**
   * `contending`: the context got -EDEADLK and has not acquired a lock since (DEBUG_WW_MUTEXES
   * ctx->contending_lock set); `contending-other`: the same, on a lock other than the step's operand.
   */
  | { kind: 'ww-ctx'; state: 'live' | 'done' | 'holds-locks' | 'contending' | 'contending-other' }
  | { kind: 'signalling-path' } // the acting thread signals a published fence later on some path
  | { kind: 'option'; key: string; is: string | string[] }
  | { kind: 'kernel'; since?: string; before?: string }
  | { kind: 'driver-under'; prefix: string }
  | { kind: 'and'; of: Pred[] }
  | { kind: 'or'; of: Pred[] }
  | { kind: 'not'; of: Pred }
  /** What the attachment's importer declared it tolerates (`dma_buf_dynamic_attach(buf, { gpu_context: true })`). */
  | { kind: 'importer'; subject: Subject; cap: keyof ImporterCaps; is: boolean }
  /**
   * The pages of the step's GEM object: faulted in, pinned, or released by the mm (a non-userptr object's are present).
   * `subject: 'any'` / `'all'`: of some / every userptr object (state and terminal checks, which have no step).
   */
  | { kind: 'userptr-pages'; state: UserptrPagesState | UserptrPagesState[]; subject?: Subject }
  /** The step's GEM object is a userptr object. */
  | { kind: 'gem-userptr'; is: boolean }
  /**
   * Some rx queue is bound to the buffer (B2 in docs/open-requests.md):
   * by `provider`, by a provider other than the step's (`other-provider`),
   * or by any when absent.
   */
  | { kind: 'buffer-bound'; subject: Subject; provider?: 'devmem' | 'zcrx' | 'other-provider' }
  /** Who holds the buffer's memory-provider registration (register-without-use, transfer to io_uring). */
  | { kind: 'buffer-owner'; subject: Subject; owner: 'none' | 'devmem' | 'zcrx' }
  /** The step's phyr: its dma-mapped flag, whether its importer mapped it, what memory its ranges are. */
  | { kind: 'phyr'; dmaMapped?: boolean; mapped?: boolean; from?: 'pages' | 'p2p' }
  /**
   * Where thread `self` is (request 9 of docs/open-requests.md): `done` it
   * has returned (its pc is at an end node; an owed irq that can no longer
   * fire counts as done); `blocked` it has started, has not returned and
   * no step of it is enabled. In a terminal state every thread that counts
   * is one or the other, so a terminal check that says `done` ignores the
   * threads a deadlock left blocked. In a step check `self` is the acting
   * thread, which is neither.
   */
  | { kind: 'thread'; state: 'done' | 'blocked' };

export type UserptrPagesState = 'present' | 'pinned' | 'released';

/** A per-object automaton over steps (REVOKE state machine, pin protocol). */
export interface Monitor {
  per: 'attachment' | 'buffer' | 'rxq' | 'fence' | 'thread' | 'global';
  states: string[];
  initial: string;
  transitions: { from: string | string[]; on: StepPattern; when?: Pred; to: string }[];
  /** Entering one of these states is the violation. */
  bad: string[];
}

export type Check =
  /** Violated when a step matching `on` can fire in a state where `when` holds. */
  | { kind: 'step'; id: string; on: StepPattern; when?: Pred }
  /** Violated in a reachable state where `bad` holds. */
  | { kind: 'state'; id: string; bad: Pred }
  /**
   * Violated in a terminal state (all mandatory threads done or blocked) where `bad` holds.
   * `threads: 'returned'`: only terminal states where every thread that ran has returned (none
   * blocked: a deadlock is its own finding). `at`: where a finding points, the last step of
   * its trace matching this pattern (a terminal state has no violating step of its own).
   */
  | { kind: 'terminal'; id: string; bad: Pred; threads?: 'returned'; at?: StepPattern }
  /** Every unfinished mandatory thread blocked forever. */
  | { kind: 'deadlock'; id: string; on?: ('lock' | 'fence' | 'ww' | 'work')[] }
  /**
   * A strong cycle in the class-level lock graph (lockdep semantics,
   * primed edges included). `through` restricts to cycles that contain one
   * of these classes; `closedBy` to cycles with a model edge that some
   * matching site records (see ClosingEdgePattern).
   */
  | { kind: 'lock-cycle'; id: string; through?: LockPattern[]; closedBy?: ClosingEdgePattern }
  /** Same-class second acquisition without nest_lock/subclass/trylock (lockdep "recursive locking"). */
  | { kind: 'lock-recursion'; id: string; lock?: LockPattern }
  /**
   * One of lockdep's other class-level reports, decided on the lock graph
   * over every path (checker/engines/lockgraph/usage.ts): irq usage
   * (`irq` names HARDIRQ or SOFTIRQ), wait contexts, lock lifecycle.
   */
  | { kind: 'lockdep-report'; id: string; report: LockdepReport; irq?: 'HARDIRQ' | 'SOFTIRQ' }
  | { kind: 'monitor'; id: string; monitor: Monitor };

export type LockdepReport = 'inconsistent-lock-state' | 'irq-lock-inversion' | 'invalid-wait-context' | 'held-lock-freed' | 'bad-unlock-balance';

export interface Rule {
  meta: RuleMeta;
  checks: Check[];
}

/** Helper so rule files get checked literal types without casts. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/**
 * Which rules a run checks: what the command line and the config file say.
 * Resolved against the registry by rules/index.ts (resolveSelection).
 */
export interface RuleSelection {
  /** Named preset: `recommended` (default), `all`, `strict`, or a family name. */
  preset?: string;
  enable?: string[];
  disable?: string[];
  /** Extra rule files (JSON, the Rule shape of rules/types.ts). */
  files?: string[];
  /** Positions on debated rules: `revoke.pfn-export=locked`. */
  options?: Record<string, string>;
}
