/**
 * The exit-code table. Documented in the README and in `lockmc --help`;
 * when several apply, the most severe (lowest in this list after 0 and 1
 * is not the rule: see `combineExitCodes`) wins.
 *
 * It lives in model/ because the diagnostics table (model/diagnostics.ts)
 * gives every code its exit status, and model/ imports nothing from the
 * layers above it; checker/exit-codes.ts re-exports all of it and adds
 * what a run's exit code is (`runExitCode`).
 */
export const ExitCode = {
  /** Every selected rule holds (proved or up to the bound) and expectations met. */
  OK: 0,
  /** A rule is violated (or a fixture's expectation is not met). */
  VIOLATION: 1,
  /** Bad command line or config file. */
  USAGE: 2,
  /** Model syntax error or unsupported construct. */
  MODEL_SYNTAX: 3,
  /** Model semantics: unknown identifier, wrong argument kind, unbalanced locking... */
  MODEL_SEMANTICS: 4,
  /** A rule file is malformed or the rule set contradicts itself. */
  RULE_DEFINITION: 5,
  /** The requested bound is unusable (zero, negative, below what a check needs). */
  BOUND: 6,
  /** A limit was hit (time-out, memory, Z3 unknown): nothing decided. */
  INCONCLUSIVE: 7,
  /** A bug in lockmc itself: a schedule that did not replay, an engine crash. */
  INTERNAL: 70,
  /** SIGINT/SIGTERM: the report so far was written, the interrupted model marked (128 + SIGINT, as shells report it). */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_DOC: { code: ExitCodeValue; meaning: string }[] = [
  { code: 0, meaning: 'every selected rule holds (proved, or holds up to the bound)' },
  { code: 1, meaning: 'a rule is violated, or a fixture did not get its declared verdict' },
  { code: 2, meaning: 'usage: bad command line, option or config file' },
  { code: 3, meaning: 'model syntax error or unsupported construct' },
  { code: 4, meaning: 'model semantics error (unknown identifier, wrong argument, unbalanced locking, ...)' },
  { code: 5, meaning: 'rule-definition error (malformed rule file, contradictory order)' },
  { code: 6, meaning: 'bound problem (unusable --bound)' },
  { code: 7, meaning: 'inconclusive: a limit was hit (time-out, memory, Z3 unknown); the limit is named' },
  { code: 70, meaning: 'internal error in lockmc (please report it with the replay line)' },
  { code: 130, meaning: 'interrupted (SIGINT/SIGTERM): the report so far was written, the interrupted model marked' },
];

/**
 * How one run's exit code is chosen when several apply; `lockmc --help`,
 * the README and docs/cli.md print it under the table (a test keeps them
 * equal). checker/exit-codes.ts `modelExitCode` and `runExitCode` implement it.
 */
export const EXIT_CODE_PRECEDENCE: string[] = [
  'When several apply, the most serious wins: 130, then 70, then input errors (2, 5, 3, 4, 6), then 7, then 1.',
  'A model whose `@expect` header is met counts 0, but a limit is never hidden: any inconclusive verdict still gives 7.',
  'A model error keeps its code (3 or 4) even when the header declares a verdict, unless it is the error the header expects (`@expect error LMCnnn`).',
  'A declared verdict missed for any other reason is 1.',
];

/**
 * Several models or rules: the run's exit code is the most serious one.
 * Internal errors dominate, then input errors (they mean nothing was
 * checked), then inconclusive, then violations.
 */
const SERIOUSNESS: ExitCodeValue[] = [130, 70, 2, 5, 3, 4, 6, 7, 1, 0];

export function combineExitCodes(codes: Iterable<ExitCodeValue>): ExitCodeValue {
  let best: ExitCodeValue = 0;
  for (const c of codes) {
    if (SERIOUSNESS.indexOf(c) < SERIOUSNESS.indexOf(best)) best = c;
  }
  return best;
}
