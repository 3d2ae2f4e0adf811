/**
 * Diagnostic codes the checker itself raises (limits, bounds, internal
 * errors), and the one registry `lockmc explain` reads: front end codes
 * (model/diagnostics.ts), rule codes (rules/diagnostic-codes.ts) and these.
 */

import { DIAGNOSTIC_CODES as MODEL_CODES, type DiagnosticCodeInfo } from '../model/diagnostics.js';
import { RULE_DIAGNOSTIC_CODES } from '../rules/diagnostic-codes.js';
import { ExitCode } from './exit-codes.js';

export const CHECKER_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
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
];

export const ALL_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [...MODEL_CODES, ...RULE_DIAGNOSTIC_CODES, ...CHECKER_DIAGNOSTIC_CODES].sort((a, b) => a.code.localeCompare(b.code));

const BY_CODE = new Map(ALL_DIAGNOSTIC_CODES.map((d) => [d.code, d]));

export function diagnosticInfo(code: string): DiagnosticCodeInfo | undefined {
  return BY_CODE.get(code);
}

/** Exit code of a diagnostic; 70 for a code no registry knows (a bug). */
export function exitCodeFor(code: string): number {
  return BY_CODE.get(code)?.exit ?? ExitCode.INTERNAL;
}
