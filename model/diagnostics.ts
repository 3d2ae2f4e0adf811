/**
 * Coded diagnostics. Every user-facing error has a code `LMCnnn`, a
 * message, an exit code, an explanation for `lockmc explain`, and (for the
 * front end's codes) a fixture under fixtures/errors/ (a test keeps them in
 * step).
 *
 * Groups: LMC0xx input (file unreadable, too large, not text),
 * LMC1xx syntax and unsupported constructs, LMC2xx model semantics,
 * LMC3xx rule definitions and config, LMC4xx bounds and limits,
 * LMC9xx internal.
 *
 * This file holds the one table of every code, whichever layer raises it
 * (front end, rules, checker): `DIAGNOSTIC_TABLE`. It is declared `as const`
 * so that `DiagnosticCode` is the union of its codes and a misspelt code is
 * a type error wherever a diagnostic is built; `exitCodeOfDiagnostic` is the
 * one place a code becomes an exit status.
 */

import { ExitCode, type ExitCodeValue } from './exit-codes.js';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** The offending source line and a caret line under the column. */
  sourceLine?: string;
  caret?: string;
  /** What to write instead. */
  hint?: string;
}

/** One row of the table; `code` is checked against the union, a row is data. */
export interface DiagnosticCodeInfo {
  code: DiagnosticCode;
  title: string;
  exit: ExitCodeValue;
  /** A paragraph for `lockmc explain LMCnnn`. */
  explanation: string;
}

/** The shape rows are written in before the union exists (the union is read off them). */
interface DiagnosticRow {
  readonly code: string;
  readonly title: string;
  readonly exit: ExitCodeValue;
  readonly explanation: string;
}

/** Limits the front end enforces; named in the messages that report them. */
export const FRONTEND_LIMITS = {
  /** LMC003: a model larger than this is not a hand-written model. */
  maxBytes: 1024 * 1024,
  /** LMC104: syntactic nesting depth (blocks, parentheses, statements). */
  maxDepth: 64,
  /** LMC105: IR nodes per proc after unrolling and inlining. */
  maxNodesPerProc: 20000,
  /** LMC105: iterations of one unrolled `for`. */
  maxUnroll: 1024,
  /** LMC105: inlining depth of helper calls. */
  maxInlineDepth: 32,
} as const;

// ---------------------------------------------------------------------------
// Front end (model/): LMC0xx input, LMC1xx syntax, LMC2xx semantics, LMC900.

export const FRONT_END_DIAGNOSTIC_CODES = [
  {
    code: 'LMC001',
    title: 'file unreadable',
    exit: ExitCode.USAGE,
    explanation:
      'The model file could not be read (missing, a directory, or no permission). Check the path given on the command line.',
  },
  {
    code: 'LMC002',
    title: 'not a text file',
    exit: ExitCode.MODEL_SYNTAX,
    explanation:
      'The model contains NUL bytes or is not valid UTF-8. Models are TypeScript source text; binary files are refused before parsing.',
  },
  {
    code: 'LMC003',
    title: 'file too large',
    exit: ExitCode.MODEL_SYNTAX,
    explanation: `A model may be at most ${FRONTEND_LIMITS.maxBytes} bytes (1 MiB). Larger inputs are not hand-written models; split the driver into several models.`,
  },
  {
    code: 'LMC101',
    title: 'syntax error',
    exit: ExitCode.MODEL_SYNTAX,
    explanation: 'The TypeScript parser rejected the model. The message is the parser\'s; fix the syntax at the given position.',
  },
  {
    code: 'LMC102',
    title: 'unsupported construct',
    exit: ExitCode.MODEL_SYNTAX,
    explanation:
      'The model uses a TypeScript construct outside the model language (while, class, closure, eval, require, import of anything but lockmc/kernel, property access other than buf.resv, assignment, ...). A model is read, never run, so only the constructs of docs/model-language.md have a meaning. The hint says what to write instead.',
  },
  {
    code: 'LMC103',
    title: 'unbounded or non-constant loop',
    exit: ExitCode.MODEL_SYNTAX,
    explanation:
      'Loops are unrolled, so their bound must be known: write `for (let i = 0; i < N; i++)` with N a number literal or a top-level `const N = 4;`. Model an unbounded retry loop as a bounded one.',
  },
  {
    code: 'LMC104',
    title: 'nesting too deep',
    exit: ExitCode.MODEL_SYNTAX,
    explanation: `Blocks, expressions or statements are nested more than ${FRONTEND_LIMITS.maxDepth} levels deep, or a chain the parser follows one level per link (prefix operators such as !!!x, else-if ladders, nested ternaries, a = b = c, () => () =>, x as T as T, labels, nested type arguments) is longer than that. The position is the token where the limit is passed. Flatten the model with helper functions.`,
  },
  {
    code: 'LMC105',
    title: 'unroll or inline limit exceeded',
    exit: ExitCode.MODEL_SYNTAX,
    explanation: `Unrolling loops and inlining helpers made a proc larger than the front end accepts (${FRONTEND_LIMITS.maxNodesPerProc} nodes per proc, ${FRONTEND_LIMITS.maxUnroll} iterations per loop, inlining depth ${FRONTEND_LIMITS.maxInlineDepth}). Reduce loop bounds: a bound of 2 or 3 shows almost every locking bug.`,
  },
  {
    code: 'LMC201',
    title: 'unknown identifier',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'The model uses a name that is neither a top-level instance, a function of the file, a local binding, nor a kernel API or constant from model/kernel.d.ts.',
  },
  {
    code: 'LMC202',
    title: 'wrong argument',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'A call has the wrong number of arguments or passes an instance of the wrong kind (a mutex to dma_resv_lock, a dma_buf where its reservation buf.resv is meant). The message names the expected kind.',
  },
  {
    code: 'LMC203',
    title: 'recursion',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation: 'Helper calls are inlined, so a function may not call itself directly or through other helpers. Unroll the recursion by hand.',
  },
  {
    code: 'LMC204',
    title: 'no threads',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation: 'The model has no thread: add `threads(f, ...)` or export the entry-point functions.',
  },
  {
    code: 'LMC205',
    title: 'unlock of a lock never acquired',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation: 'A lock is released that no path of the model ever acquires: the model is missing its acquisition. A release of a lock that is taken elsewhere but not held at that point (already released, or its trylock failed) is not a model error but the bug lockdep reports as "bad unlock balance" (rule lockdep-bad-unlock-balance).',
  },
  {
    code: 'LMC206',
    title: 'lock held at end',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'On some path a thread or callback returns with a lock still held. Models must release what they take; a lock handed to another context is not modelled.',
  },
  {
    code: 'LMC207',
    title: 'trylock that cannot succeed',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'On some path a thread takes the success branch of a trylock of a lock instance it already holds: that trylock always fails, so the model describes a path the kernel cannot take. A blocking second acquisition is not a model error but the bug lockdep reports as "possible recursive locking" (rule lockdep-recursive-locking, and a self-deadlock for the deadlock rule). With a ww acquire context, -EALREADY is the semantics and is not reported here.',
  },
  {
    code: 'LMC208',
    title: 'unbalanced fence signalling annotation',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'dma_fence_end_signalling() must receive the cookie of a dma_fence_begin_signalling() that is still open, and every begin must be ended before the thread or callback returns.',
  },
  {
    code: 'LMC209',
    title: 'memalloc scope mismatch',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'memalloc_*_restore() must receive the flags of an open memalloc_*_save() of the same scope, scopes must be restored innermost first, and every save must be restored before the function returns.',
  },
  {
    code: 'LMC210',
    title: 'local instance used before it is created',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'A ww acquire context, cookie or attachment is used on a path where the operation that creates it has not run yet.',
  },
  {
    code: 'LMC211',
    title: 'header problem',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'The header comment has a malformed tag: `@expect holds all`, `@expect holds <rule> ...`, `@expect violates <rule>`, `@expect violates <rule>/<check> at <line>` (one finding per tag), `@expect error LMCnnn` (a code lockmc has), `@kernel vX.Y`, `@bound N`, `@driver <path>`, `@rule-option key=value`.',
  },
  {
    code: 'LMC900',
    title: 'internal error',
    exit: ExitCode.INTERNAL,
    explanation: 'The front end failed unexpectedly. This is a bug in lockmc; please report it with the model.',
  },
] as const satisfies readonly DiagnosticRow[];

// ---------------------------------------------------------------------------
// Rules (rules/ and the rule-file loader): LMC3xx rule definitions, rule files
// and the config file. Config usage errors exit 2 (the user mistyped something
// on the way in); rule-definition errors exit 5 (a rule set that cannot be
// trusted to mean anything).

export const RULE_DIAGNOSTIC_CODES = [
  {
    code: 'LMC300',
    title: 'config file is not valid JSON',
    exit: ExitCode.USAGE,
    explanation:
      'lockmc.config.json (found in the current directory or the nearest parent) could not be parsed as JSON, or could not be read (it is missing, or not a regular file). ' +
      'The diagnostic points at the first character the parser could not accept; comments, trailing commas and duplicate keys are not accepted.',
  },
  {
    code: 'LMC301',
    title: 'unknown config key',
    exit: ExitCode.USAGE,
    explanation:
      'The config file has a key lockmc does not know. Allowed keys: preset, enable, disable, ruleFiles, ruleOptions, engine, bound, timeoutMs, kernel, models, kernelConfig, z3. ' +
      'Keys are plain data: __proto__ or constructor is an unknown key like any other.',
  },
  {
    code: 'LMC302',
    title: 'config value has the wrong type',
    exit: ExitCode.USAGE,
    explanation:
      'A config key has a value of the wrong type or outside its range (for example "bound": "ten", or an engine other than auto, bmc, explicit, both).',
  },
  {
    code: 'LMC303',
    title: 'unknown rule id',
    exit: ExitCode.USAGE,
    explanation:
      'enable/disable (in the config file or on the command line) names a rule that is neither built in nor defined by a loaded rule file. `lockmc rules` lists the ids.',
  },
  {
    code: 'LMC304',
    title: 'unknown preset',
    exit: ExitCode.USAGE,
    explanation:
      'The preset is not one of recommended, all, strict or a family name (order, reclaim, fence, ww, pin, revoke, notifier, userptr, own, phyr, lockdep).',
  },
  {
    code: 'LMC305',
    title: 'unknown rule option',
    exit: ExitCode.USAGE,
    explanation:
      'A rule option key is not declared by any rule. Options pick a side of a debated rule, e.g. revoke.pfn-export=forbidden.',
  },
  {
    code: 'LMC306',
    title: 'invalid rule option value',
    exit: ExitCode.USAGE,
    explanation:
      'A rule option is set to a value its rule does not declare. The diagnostic lists the allowed values.',
  },
  {
    code: 'LMC307',
    title: 'rule file cannot be read',
    exit: ExitCode.USAGE,
    explanation:
      'A rule file named by ruleFiles or --rules does not exist or cannot be read. Paths in the config file are relative to the config file.',
  },
  {
    code: 'LMC308',
    title: 'config file too large',
    exit: ExitCode.USAGE,
    explanation:
      'The config file is beyond what a config is read for: more than 1 MiB, nested deeper than 64 levels, or more than 10 000 members ' +
      '(array elements plus object keys). A config names a preset, a few rules and options; list long rule sets in a rule file.',
  },
  {
    code: 'LMC310',
    title: 'contradictory lock order',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'The lock orders declared by rule files, together with the orders the kernel primes at boot (dma_resv_lockdep() and core mm), form a cycle: ' +
      'no driver could satisfy all of them. The diagnostic lists the declarations in the cycle (the solver\'s unsat core); remove or reverse one.',
  },
  {
    code: 'LMC311',
    title: 'rule condition can never hold',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A check\'s condition is unsatisfiable on its own (for example a fence that is both signalled and unpublished, or an option value no rule declares), ' +
      'its step pattern names a field no listed op has (write: true on dma_buf_map), or a monitor cannot reach a bad state: ' +
      'the check could never report anything, which almost always means the rule was written wrong.',
  },
  {
    code: 'LMC312',
    title: 'rule-set self-check inconclusive',
    exit: ExitCode.INCONCLUSIVE,
    explanation:
      'The Z3 self-check of the rule set could not decide (solver unknown or failure). The rule set was not proven consistent.',
  },
  // The CI gate (checker/gate/, `lockmc rules check` and `lockmc rules diff`).
  {
    code: 'LMC313',
    title: 'rule check has no violating fixture',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A check of a rule is not exercised by any fixture whose header says `@expect violates <rule>/<check>`: nothing shows that the check can report anything. ' +
      'Write a minimal model that violates it (fixtures/rules/<rule-id>/violates-*.model.ts for a built-in rule; for a rule file, a model given to `lockmc rules check`).',
  },
  {
    code: 'LMC314',
    title: 'rule check has no holding fixture',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'No fixture declares that the rule holds (`@expect holds <rule>` or `@expect holds all`): nothing shows that the check stays quiet on a correct driver. ' +
      'Write a minimal model that follows the rule and declare it.',
  },
  {
    code: 'LMC315',
    title: 'engine disagrees with a fixture header',
    exit: ExitCode.VIOLATION,
    explanation:
      'Checked with one engine alone (--engine explicit or --engine bmc), a fixture did not get the verdicts its `@expect` header declares. ' +
      'Either the header is wrong, the rule is, or one engine is: run `lockmc check --engine <engine> <fixture>` to see the verdicts.',
  },
  {
    code: 'LMC316',
    title: 'revision cannot be read',
    exit: ExitCode.USAGE,
    explanation:
      '`lockmc rules diff` takes git revisions (anything `git rev-parse` accepts: a commit, a branch, HEAD~1) or directories of rule files. ' +
      'The argument is neither, or git is not available, or the current directory is not inside a git repository.',
  },
  {
    code: 'LMC317',
    title: 'declared verdict changed without its header',
    exit: ExitCode.VIOLATION,
    explanation:
      'Between the two revisions compared by `lockmc rules diff`, a model with an `@expect` header got a different verdict for some rule, but its header was not updated in the same change ' +
      '(or was updated and the new verdicts still do not meet it). A rule change must show which models it condemns or acquits: update the header of each model listed.',
  },
  {
    code: 'LMC320',
    title: 'rule file is not valid JSON',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'Rule files are JSON in the Rule shape of rules/types.ts and are never executed. The diagnostic points at the first character the parser could not accept.',
  },
  {
    code: 'LMC321',
    title: 'rule file field missing or of the wrong type',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A rule in a rule file lacks a required field (meta.id, family, severity, summary, rationale, covers, citations, messages, checks) or has one of the wrong type, ' +
      'or an object has a field its shape does not define (keys are plain data: __proto__ or constructor is an unknown field like any other).',
  },
  {
    code: 'LMC322',
    title: 'unknown check kind',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A check\'s kind is not one of step, state, terminal, deadlock, lock-cycle, lock-recursion, monitor.',
  },
  {
    code: 'LMC323',
    title: 'unknown pattern or predicate kind',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A lock pattern, predicate or enumerated field (op, context, subject, state, ...) has a value the vocabulary does not define.',
  },
  {
    code: 'LMC324',
    title: 'duplicate rule id',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'Two rules (built in or from rule files) have the same id, or two checks of one rule share an id. Ids must be unique.',
  },
  {
    code: 'LMC325',
    title: 'check without a message',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'Every check id needs a message template in meta.messages, and every template must belong to a check: a finding must always print a sentence.',
  },
  {
    code: 'LMC326',
    title: 'malformed monitor',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A monitor names a state it does not declare (initial, from, to or bad), or declares no bad state.',
  },
  {
    code: 'LMC328',
    title: 'rule file too large',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A rule file exceeds a limit that keeps every run prompt: at most 4 MiB, nesting at most 200 levels deep, at most 100 000 members ' +
      '(array elements plus object keys), at most 1 000 rules and 1 000 order pairs. Nothing of such a file is used. ' +
      'The same code closes a list of errors that stopped at 100 per file, counting the ones left out. Split the rule set over several files (--rules is repeatable).',
  },
  {
    code: 'LMC329',
    title: 'unknown kernel config',
    exit: ExitCode.USAGE,
    explanation:
      '--kernel-config (or the config file\'s kernelConfig) names a kernel config switch lockmc does not model. Known: PREEMPT_RT (the CONFIG_ prefix may be written or left out); ' +
      '`--kernel-config none` checks without any switch, whatever the models\' @kernel-config say. A model\'s own @kernel-config tag with an unknown name is LMC211.',
  },
] as const satisfies readonly DiagnosticRow[];

// ---------------------------------------------------------------------------
// Checker (checker/): a rule check the compiler cannot compile (LMC327),
// bounds and limits (LMC4xx), and internal errors (LMC901-903).

export const CHECKER_DIAGNOSTIC_CODES = [
  {
    code: 'LMC327',
    title: 'rule check cannot be compiled',
    exit: ExitCode.RULE_DEFINITION,
    explanation:
      'A rule check combines patterns the semantics compiler cannot turn into a property of the transition system (for example an operand pattern on an op that has no such operand). The message names the rule and the check; fix the rule definition.',
  },
  {
    code: 'LMC401',
    title: 'unusable bound',
    exit: ExitCode.BOUND,
    explanation: 'The BMC bound must be a positive integer number of steps. Leave --bound out to use the completeness bound, which proves rules for loop-free models.',
  },
  {
    code: 'LMC402',
    title: 'lock graph truncated',
    exit: ExitCode.OK,
    explanation:
      'A procedure reached more distinct held-lock states than the lock-graph pass explores; the graph covers the states seen so far. Split the model or reduce nondeterministic branching. Reported as a warning.',
  },
  {
    code: 'LMC403',
    title: 'bad schedule token',
    exit: ExitCode.USAGE,
    explanation:
      'A replay token is tied to one model, rule set, option set and lockmc version (its first 8 hex digits), and carries its own length. A token that is malformed, cut short, or printed for something else is refused rather than replaying a meaningless schedule.',
  },
  {
    code: 'LMC404',
    title: 'schedule does not replay',
    exit: ExitCode.USAGE,
    explanation: 'The token decodes, but its steps are not possible in this model (the model changed since the token was printed), or it ends in no violation. Run lockmc check again for a fresh token.',
  },
  {
    code: 'LMC460',
    title: 'too many threads',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation: 'The model needs more engine threads (threads, work items, irq handlers and kswapd) than the engines support. Merge threads that play the same role.',
  },
  {
    code: 'LMC461',
    title: 'malformed IR',
    exit: ExitCode.INTERNAL,
    explanation: 'The IR handed to the semantics compiler refers to a proc, node or instance that does not exist. The front end never produces such IR; this is an internal error unless the IR was written by hand.',
  },
  {
    code: 'LMC462',
    title: 'model exceeds an encoding limit',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation: 'A counter or state of the model does not fit the encoding (the message names which). Reduce the model.',
  },
  {
    code: 'LMC050',
    title: 'not a shard report',
    exit: ExitCode.USAGE,
    explanation:
      '`lockmc merge` reads the JSON reports of the shards of one run, each written by `lockmc check --shard i/n --format json -o shard-i.json`. ' +
      'The file named is unreadable, not JSON, not a lockmc report of this schema version, or the report of a run that was not sharded (it has no `shard` field).',
  },
  {
    code: 'LMC051',
    title: 'shards of different runs',
    exit: ExitCode.USAGE,
    explanation:
      'Every shard must come from the same run: the same lockmc and Z3 versions, the same options apart from --shard and --jobs, the same rules (and rule hash), ' +
      'the same shard count and the same corpus size. The message names the first thing that differs from the first shard given. Re-run the odd shard with the run\'s command line.',
  },
  {
    code: 'LMC052',
    title: 'shard given twice or shards overlap',
    exit: ExitCode.USAGE,
    explanation:
      'Two reports claim the same shard index, or one model appears in two shards. Shards of one run are disjoint: usually a report of an older run was left next to the new ones.',
  },
  {
    code: 'LMC053',
    title: 'shard missing',
    exit: ExitCode.USAGE,
    explanation:
      'A merge needs every shard 1..n of the run, and together they must hold every model of the corpus (unless a shard was interrupted, which the merged report says). ' +
      'The message names the missing shard indices or how many models are missing; give every shard\'s report.',
  },
  {
    code: 'LMC470',
    title: 'result cache not writable',
    exit: ExitCode.OK,
    explanation:
      'The result cache directory (--cache-dir, LOCKMC_CACHE_DIR, or node_modules/.cache/lockmc of the nearest package) cannot be created or written, so this run stored nothing in it. The run itself is complete and its exit code unaffected. Point --cache-dir at a writable directory, or pass --no-cache. Reported as a warning.',
  },
  {
    code: 'LMC901',
    title: 'schedule does not replay',
    exit: ExitCode.INTERNAL,
    explanation:
      'An engine returned a counterexample schedule that the reference semantics does not accept. lockmc never prints such a schedule as a trace; it reports this internal error instead. Please report it with the model and the command line.',
  },
  {
    code: 'LMC902',
    title: 'engines disagree',
    exit: ExitCode.INTERNAL,
    explanation: 'With --engine both, the explicit engine and the Z3 engine reached different verdicts for one property. One of them has a bug; please report it with the model.',
  },
  {
    code: 'LMC903',
    title: 'internal error',
    exit: ExitCode.INTERNAL,
    explanation: 'lockmc hit an unexpected condition while checking. The message says where. Please report it with the model and the command line.',
  },
  {
    code: 'LMC340',
    title: 'unknown rule in @expect',
    exit: ExitCode.MODEL_SEMANTICS,
    explanation:
      'An `@expect holds` or `@expect violates` tag of the model header names a rule that is neither built in nor defined by a loaded rule file, so the expectation could never be met (a misspelt id would otherwise read as a rule that was not checked). ' +
      'The hint names the closest rule id; `lockmc rules` lists them all. Reported by `lint` and `check`.',
  },
] as const satisfies readonly DiagnosticRow[];

// ---------------------------------------------------------------------------
// The one table.

export const DIAGNOSTIC_TABLE = [...FRONT_END_DIAGNOSTIC_CODES, ...RULE_DIAGNOSTIC_CODES, ...CHECKER_DIAGNOSTIC_CODES] as const;

/** Every code lockmc can report. */
export type DiagnosticCode = (typeof DIAGNOSTIC_TABLE)[number]['code'];

/** The table in code order, as `lockmc explain` lists it. */
export const ALL_DIAGNOSTIC_CODES: readonly DiagnosticCodeInfo[] = [...DIAGNOSTIC_TABLE].sort((a, b) => a.code.localeCompare(b.code));

const BY_CODE: ReadonlyMap<string, DiagnosticCodeInfo> = new Map(ALL_DIAGNOSTIC_CODES.map((d) => [d.code, d]));

/** A string from outside (a command line, a header, a report read back) that names a known code. */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return BY_CODE.has(code);
}

/** The table row of a code, if it is one (`lockmc explain`, renderers). */
export function diagnosticInfo(code: string): DiagnosticCodeInfo | undefined {
  return BY_CODE.get(code);
}

/**
 * The exit status of a diagnostic code: its row's `exit`.
 *
 * Within lockmc an unknown code cannot occur: `DiagnosticCode` is the union
 * of the table. At run time one can, in a report read back from JSON written
 * by another lockmc version. Such a code gets the exit status of its group
 * (the hundreds digit, see the header of this file): LMC0xx 2, LMC1xx 3,
 * LMC2xx 4, LMC3xx 5, LMC4xx 6, and 70 for LMC9xx or anything that is not
 * `LMCnnn`, so a newer version's code still means roughly what it says and a
 * malformed one is never taken for success.
 */
export function exitCodeOfDiagnostic(code: DiagnosticCode): ExitCodeValue {
  const row = BY_CODE.get(code);
  if (row) return row.exit;
  switch (/^LMC(\d)\d\d$/.exec(code)?.[1]) {
    case '0':
      return ExitCode.USAGE;
    case '1':
      return ExitCode.MODEL_SYNTAX;
    case '2':
      return ExitCode.MODEL_SEMANTICS;
    case '3':
      return ExitCode.RULE_DEFINITION;
    case '4':
      return ExitCode.BOUND;
    default:
      return ExitCode.INTERNAL;
  }
}

/**
 * Compiler-style rendering:
 * ```
 * file:12:14: error LMC201: unknown identifier 'foo'
 *    12 |   mutex_lock(foo);
 *       |              ^^^
 *    = hint: ...
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file !== undefined) {
    where = d.file;
    if (d.line !== undefined) {
      where += `:${d.line}`;
      if (d.col !== undefined) where += `:${d.col}`;
    }
    where += ': ';
  }
  const lines = [`${where}${d.severity} ${d.code}: ${d.message}`];
  if (d.sourceLine !== undefined && d.line !== undefined) {
    const num = String(d.line);
    const gutter = ' '.repeat(Math.max(5, num.length + 1) - num.length);
    const pad = ' '.repeat(gutter.length + num.length);
    lines.push(`${gutter}${num} | ${d.sourceLine}`);
    if (d.caret !== undefined) lines.push(`${pad} | ${d.caret}`);
  }
  if (d.hint !== undefined) {
    const pad = d.sourceLine !== undefined && d.line !== undefined ? ' '.repeat(Math.max(5, String(d.line).length + 1) - 2) : '';
    lines.push(`${pad}= hint: ${d.hint}`);
  }
  return lines.join('\n');
}

/** Longest source line shown; longer lines are cut around the column. */
const MAX_SHOWN_LINE = 160;

/**
 * Build a diagnostic at a 1-based position of `text`, with the source line
 * and a caret of `width` characters (at least one).
 */
export function diagnosticAt(
  code: DiagnosticCode,
  message: string,
  file: string | undefined,
  text: string | undefined,
  pos: { line: number; col: number; width?: number } | undefined,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
): Diagnostic {
  const d: Diagnostic = { code, severity, message };
  if (file !== undefined) d.file = file;
  if (pos) {
    d.line = pos.line;
    d.col = pos.col;
    if (text !== undefined) {
      const src = lineOf(text, pos.line);
      if (src !== undefined) {
        let shown = src.replace(/\t/g, ' ');
        let col = pos.col;
        if (shown.length > MAX_SHOWN_LINE) {
          const start = Math.max(0, col - 1 - 40);
          shown = shown.slice(start, start + MAX_SHOWN_LINE);
          col -= start;
        }
        shown = shown.replace(/\s+$/, '');
        d.sourceLine = shown;
        const avail = Math.max(1, shown.length - (col - 1));
        const w = Math.max(1, Math.min(pos.width ?? 1, avail));
        d.caret = ' '.repeat(Math.max(0, col - 1)) + '^'.repeat(w);
      }
    }
  }
  if (hint !== undefined) d.hint = hint;
  return d;
}

/**
 * ECMAScript line terminators (CR LF, LF, CR, U+2028, U+2029): the lines the
 * TypeScript parser counts, so every position of one file agrees with it.
 */
export const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

/** 1-based line and column (UTF-16 units) of `offset` in `text`. */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  const re = new RegExp(LINE_BREAK.source, 'g');
  for (let m = re.exec(text); m && m.index < offset; m = re.exec(text)) {
    line++;
    start = m.index + m[0].length;
  }
  return { line, col: offset - start + 1 };
}

function lineOf(text: string, line: number): string | undefined {
  const re = new RegExp(LINE_BREAK.source, 'g');
  let start = 0;
  for (let l = 1; l < line; l++) {
    const m = re.exec(text);
    if (!m) return undefined;
    start = m.index + m[0].length;
  }
  re.lastIndex = start;
  const m = re.exec(text);
  return text.slice(start, m ? m.index : text.length);
}
