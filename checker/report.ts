/**
 * The canonical report. Every output format (text, pretty, json, itf,
 * sarif, junit, svg) derives from this structure and nothing else, so the
 * renderers cannot disagree about what was found.
 */

import type { Expectation, Loc, LockMode } from '../model/ir.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type { Citation, Rule, RuleMeta } from '../rules/types.js';

export type { Diagnostic };

export const REPORT_SCHEMA_VERSION = 1 as const;

export type EngineName = 'bmc' | 'explicit' | 'lockgraph';

/** A limit that stopped a run before it could decide. */
export type Limit =
  /** `phase`: where the model's wall-clock budget ran out (front end, compile, explicit, bmc...). */
  | { kind: 'timeout'; ms: number; phase?: string }
  /** The run was interrupted by a signal while this model was being checked. */
  | { kind: 'interrupted'; signal: string; phase?: string }
  | { kind: 'memory'; mb: number }
  | { kind: 'states'; max: number }
  | { kind: 'z3-unknown'; reason: string }
  | { kind: 'solver-failure'; detail: string };

export type Verdict =
  /** Every interleaving (loop-free model, exhaustive search or k >= completeness bound). */
  | { status: 'proved'; rule: string; engine: EngineName; detail?: string }
  /** No violation within `bound` steps; longer runs exist. */
  | { status: 'holds-up-to'; rule: string; engine: EngineName; bound: number }
  | { status: 'violated'; rule: string; engine: EngineName; findings: Finding[] }
  | { status: 'inconclusive'; rule: string; engine: EngineName; limit: Limit }
  /** The rule is switched off for this model (option, kernel version). */
  | { status: 'skipped'; rule: string; reason: string }
  /**
   * Nothing in the model can match the rule: no step, instance or
   * registration of its vocabulary (checker/passes/applicability.ts). It
   * holds vacuously, and saying "proved" of it would overstate the run.
   */
  | { status: 'not-applicable'; rule: string; reason: string };

export type VerdictStatus = Verdict['status'];

export type FindingKind =
  | 'circular-dependency' // lock-order cycle (lockdep "possible circular locking dependency")
  | 'recursive-locking' // lockdep "possible recursive locking detected"
  | 'deadlock' // a realised deadlock: threads blocked forever
  | 'fence-never-signalled'
  | 'rule-violation'
  | 'inconsistent-lock-state' // lockdep "inconsistent lock state"
  | 'irq-lock-inversion' // lockdep "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" (and SOFTIRQ)
  | 'invalid-wait-context' // lockdep "BUG: Invalid wait context"
  | 'held-lock-freed' // lockdep "held lock freed!" (mutex_init & co. of a held lock)
  | 'bad-unlock-balance'; // lockdep "bad unlock balance detected!"

/**
 * What lockdep prints beyond a chain for its usage and wait-context
 * reports (kernel/locking/lockdep.c print_usage_bug,
 * print_bad_irq_dependency, print_lock_invalid_wait_context).
 */
export interface LockdepDetail {
  /** The irq kind of a usage report. */
  irq?: 'HARDIRQ' | 'SOFTIRQ';
  /** Usage marks, each with where it was first recorded: `{IN-HARDIRQ-W} state was registered at:`. */
  usages?: { class: string; usage: string; thread: string; api: string; at?: SourceRef }[];
  /** Invalid wait context: `{outer:inner}` of the new lock and of what it is taken under. */
  wait?: { class: string; outer: string; inner: string; limitedBy: string; held: { class: string; wait: string }[] };
}

export interface SourceRef extends Loc {
  file: string;
}

/** One edge of a lock-order chain, in lockdep's vocabulary. */
export interface ChainEdge {
  from: string; // lock class as lockdep prints it
  to: string;
  /** lockdep edge type: -(EN)->, -(SR)->, ... */
  type: 'EN' | 'ER' | 'SN' | 'SR';
  source:
    | { kind: 'primed'; id: string; where: string } // P1..P6, core-mm edges
    | {
        kind: 'model';
        thread: string;
        at: SourceRef;
        heldAt?: SourceRef;
        api: string;
        /** The new lock (`to`) is taken for read (lockdep's `read` != 0): the scenario prints `rlock(`. */
        read?: boolean;
        /** `api` was called in an inlined helper: the function, then each helper, outermost first. */
        via?: string[];
      };
}

export interface TraceStep {
  index: number; // 1-based
  thread: number;
  threadName: string;
  /** Rendered operation, kernel-style: `mutex_lock(notifier_lock)`. */
  op: string;
  /** Outcome if the op has several: `-EDEADLK`, `fails`, `ok`. */
  outcome?: string;
  /** Pseudo-lock role: `enter fence signalling`, `wait on fence job`, `enter reclaim`, `mmu notifier invalidate`. */
  role?: string;
  at?: SourceRef;
  /**
   * The call path of an operation written in an inlined helper: the
   * function the thread runs, then each helper, outermost first
   * (`['cs_ioctl', 'amdgpu_cs_bind']`); absent for code written in the
   * function itself.
   */
  via?: string[];
  /** Context chain, outermost first: `direct reclaim from kmalloc(GFP_KERNEL) at x.model.ts:25`. */
  context: string[];
  /** Lock instances held by the acting thread after the step, as `name (class)`. */
  held: string[];
  /** True when this step switched threads without the previous one blocking or ending. */
  preemption: boolean;
  /**
   * The thread calls this operation and blocks in it for good: a trace
   * that ends in a deadlock or hang shows each blocked thread's wait as a
   * last step of its own (no transition of the schedule; `held` is what it
   * holds while it waits).
   */
  blocks?: true;
}

export interface ThreadInfo {
  id: number;
  name: string;
  kind: 'thread' | 'work' | 'irq' | 'kswapd' | 'softirq';
}

export type FenceState = 'unpublished' | 'published' | 'signalled';

/**
 * What a blocked thread waits for, as data: the checker matches on it and
 * each renderer phrases it (cli/render/words.ts `waitText`), so nothing
 * parses a sentence back.
 */
export type Wait =
  /** An irq handler that interrupted the thread on its CPU and has not returned. */
  | { kind: 'irq'; irq: string }
  /**
   * A lock someone holds (the thread itself, possibly). `lockKind`: the
   * instance's kind (mutex, spinlock, rwsem, dma_resv, mm, ...); `mode`:
   * the mode the thread asks for, when it calls a lock function; at least
   * one of `owner` (the exclusive holder) and `readers` is present.
   */
  | { kind: 'lock'; lock: string; lockClass: string; lockKind?: string; mode?: LockMode; owner?: string; readers?: string[] }
  /** `dma_fence_wait` on one fence. */
  | { kind: 'fence'; fence: string; state: FenceState }
  /** A wait on every fence of a reservation object; `pending`: those not yet signalled. */
  | { kind: 'resv-fences'; resv: string; pending: { fence: string; state: FenceState }[] }
  /** `flush_work`; `worker`: the thread running its handler, when the model has one. */
  | { kind: 'work'; work: string; worker?: string }
  /** Anything else the thread cannot pass: the operation, kernel-style. */
  | { kind: 'op'; op: string };

export interface StateAtViolation {
  /** Per thread: what it is doing, what it holds, what it waits for. */
  threads: { thread: string; status: 'running' | 'blocked' | 'done' | 'not-started'; at?: SourceRef; held: string[]; waitingFor?: Wait }[];
  fences: { name: string; state: FenceState }[];
  other: Record<string, string>;
}

export interface Trace {
  threads: ThreadInfo[];
  steps: TraceStep[];
  /** Opaque token for `lockmc replay <model> --schedule <token>`. */
  schedule: string;
  preemptions: number;
  final: StateAtViolation;
  /** Index (1-based) of the step that violates, or undefined for terminal states. */
  violatingStep?: number;
}

export interface Finding {
  rule: string;
  check: string;
  kind: FindingKind;
  /** The rule's message template, filled. */
  message: string;
  at?: SourceRef;
  /** Lock-order chain, lockdep order: held ... -> new. */
  chain?: ChainEdge[];
  /** Usage states or wait types behind a lockdep usage / wait-context report. */
  lockdep?: LockdepDetail;
  trace?: Trace;
  /** The lock-graph cycle was not realised by any interleaving within the bound. */
  possibleOnly?: boolean;
  /**
   * For lock-graph cycles: whether an interleaving of the model deadlocks
   * on it. `unrealisable`: the exhaustive search found no deadlock at all;
   * `not-within-bound`: none up to `bound` steps; `not-checked`: no
   * deadlock check was selected.
   */
  realisation?: { status: 'realised' } | { status: 'unrealisable' } | { status: 'not-within-bound'; bound: number } | { status: 'not-checked' };
  /**
   * The kernel references for this finding (checker/references.ts): the
   * rule's citations about what it involves, where each primed edge of its
   * chain is recorded, what its blocked threads wait in. Renderers show
   * these rather than the rule's whole list.
   */
  references?: Citation[];
  /**
   * The same cycle is shown in full under another rule's finding of this
   * model; renderers print a cross-reference instead of a second splat.
   */
  sameAs?: { rule: string; check: string };
  /**
   * Findings of one model with one root cause share a group id (1-based,
   * in finding order): the same schedule, or the same lock-order cycle
   * (checker/finding-groups.ts). Text and html print one report per group.
   */
  group?: number;
}

export interface ModelReport {
  file: string;
  /** Short hashes for the header: model source, rule set, semantics. */
  hashes: { model: string; rules: string };
  kernel: string;
  verdicts: Verdict[];
  diagnostics: Diagnostic[];
  expected?: Expectation[];
  /** The kernel config switches the model was checked with (`--kernel-config`, `@kernel-config`); absent: none. */
  kernelConfig?: string[];
  /** Whether the verdicts match the model's `@expect` header. */
  expectation?: { met: boolean; detail: string };
  stats: {
    ms: number;
    states?: number;
    transitions?: number;
    bound?: number;
    completenessBound?: number;
    engine: string[];
    /** Served from the result cache. */
    cached?: boolean;
  };
}

/**
 * A rule's metadata as it was when the run checked it (RuleMeta, which is
 * plain JSON): renderers read severity, summary, rationale and citations
 * from here, so they need nothing but the Report.
 */
export type RuleInfo = RuleMeta;

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'lockmc'; version: string; z3?: string };
  /** Every option after defaults and config files were applied (replayable run). */
  options: Record<string, unknown>;
  /** The rules the run checked (built-in and user rules), sorted by id. */
  rules: RuleInfo[];
  models: ModelReport[];
  /** Diagnostics not tied to one model (config, rule files). */
  diagnostics: Diagnostic[];
  /** Present when a signal stopped the run: the models after the interrupted one are missing. */
  interrupted?: { signal: string; model?: string };
  /** The process exit code this report maps to. */
  exitCode: number;
  /**
   * Present in a shard's report (`--shard i/n`): shard `index` of `count`
   * (1-based), of a corpus of `files` models. `lockmc merge` joins the
   * shards into the unsharded report, which has no such field.
   */
  shard?: { index: number; count: number; files: number };
}

/** The `rules` of a Report: a copy of each rule's metadata, sorted by id, so a later change to a rule object cannot reach a finished report. */
export function ruleMetaOf(rules: readonly Pick<Rule, 'meta'>[]): RuleInfo[] {
  return rules.map((r) => structuredClone(r.meta)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
