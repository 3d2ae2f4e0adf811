/**
 * What the CI gate reports: the audit of a rule set (`lockmc rules check`)
 * and the difference two rule sets make on a corpus (`lockmc rules diff`).
 * Plain JSON data; the CLI's renderers read nothing else.
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import type { EngineChoice } from '../options.js';

export const GATE_SCHEMA_VERSION = 1 as const;

// ---------------------------------------------------------------------------
// rules check

/** The fixtures that exercise one check of one rule, by their headers. */
export interface CheckCoverage {
  check: string;
  /** Fixtures declaring `@expect violates <rule>/<check>`. */
  violating: string[];
  /** Fixtures declaring `@expect holds <rule>` or `@expect holds all`. */
  holding: string[];
}

export interface RuleCoverage {
  rule: string;
  /** Built in, or the rule file that defines it. */
  source: string;
  checks: CheckCoverage[];
}

/** One engine run alone over the fixtures: how many met their header. */
export interface EngineAgreement {
  engine: Exclude<EngineChoice, 'auto' | 'both'>;
  models: number;
  met: number;
  /** Fixtures whose verdicts missed the header, with the checker's detail. */
  missed: { model: string; detail: string }[];
}

export interface RuleSetAudit {
  schemaVersion: typeof GATE_SCHEMA_VERSION;
  kind: 'rules-check';
  rules: RuleCoverage[];
  fixtures: string[];
  engines: EngineAgreement[];
  diagnostics: Diagnostic[];
  exitCode: number;
}

// ---------------------------------------------------------------------------
// rules diff

/** A rule's outcome on one model at one side. `absent`: the model or the rule is not there. */
export type PairStatus = 'violated' | 'holds' | 'skipped' | 'inconclusive' | 'error' | 'absent';

/**
 * introduced: violated at head, not at base; fixed: violated at base,
 * holds at head; unchanged: the same status; changed: any other move
 * (to or from skipped, inconclusive, error, absent).
 */
export type PairChange = 'introduced' | 'fixed' | 'unchanged' | 'changed';

export interface PairFinding {
  check: string;
  message: string;
  line?: number;
}

export interface PairDiff {
  model: string;
  rule: string;
  base: PairStatus;
  head: PairStatus;
  change: PairChange;
  /** The findings at head (for an introduced violation: where it is). */
  findings: PairFinding[];
  /** The model's code (its text after the header comment) is the same at both sides: only the rules moved. */
  modelUnchanged: boolean;
}

/** A model with a declared verdict whose verdicts moved: is its header in step? */
export interface HeaderCheck {
  model: string;
  /** The rules whose status changed on this model. */
  rules: string[];
  headerChanged: boolean;
  /** Whether head's verdicts meet head's header (absent: the model has no header at head). */
  headMet?: boolean;
  ok: boolean;
  reason: string;
}

export interface DiffSide {
  /** As given: a revision, a directory, or `working tree`. */
  label: string;
  kind: 'git' | 'dir' | 'worktree';
  /** The commit a revision resolved to. */
  commit?: string;
  ruleFiles: string[];
  models: number;
  /** Model reports served from the result cache (ModelReport.stats.cached). */
  cache: { hits: number; misses: number };
}

export interface RulesDiff {
  schemaVersion: typeof GATE_SCHEMA_VERSION;
  kind: 'rules-diff';
  base: DiffSide;
  head: DiffSide;
  counts: Record<PairChange, number>;
  /** Every model × rule pair whose status moved, sorted by model then rule. */
  pairs: PairDiff[];
  /** Fixed pairs on models whose text did not change: behaviour the new rules permit. */
  permitted: PairDiff[];
  /** Models with a declared verdict whose verdicts moved; `ok: false` fails the gate (LMC317). */
  headers: HeaderCheck[];
  diagnostics: Diagnostic[];
  exitCode: number;
}
