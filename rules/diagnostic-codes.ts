/**
 * LMC3xx: rule definitions, rule files and the config file. Config usage
 * errors exit 2 (the user mistyped something on the way in); rule-definition
 * errors exit 5 (a rule set that cannot be trusted to mean anything).
 */
import type { DiagnosticCodeInfo } from '../model/diagnostics.js';
import { ExitCode } from '../checker/exit-codes.js';

function info(code: string, title: string, exit: number, explanation: string): DiagnosticCodeInfo {
  return { code, title, exit, explanation };
}

export const RULE_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  info('LMC300', 'config file is not valid JSON', ExitCode.USAGE,
    'lockmc.config.json (found in the current directory or the nearest parent) could not be parsed as JSON, or could not be read (it is missing, or not a regular file). ' +
    'The diagnostic points at the first character the parser could not accept; comments, trailing commas and duplicate keys are not accepted.'),
  info('LMC301', 'unknown config key', ExitCode.USAGE,
    'The config file has a key lockmc does not know. Allowed keys: preset, enable, disable, ruleFiles, ruleOptions, engine, bound, timeoutMs, kernel. ' +
    'Keys are plain data: __proto__ or constructor is an unknown key like any other.'),
  info('LMC302', 'config value has the wrong type', ExitCode.USAGE,
    'A config key has a value of the wrong type or outside its range (for example "bound": "ten", or an engine other than auto, bmc, explicit, both).'),
  info('LMC303', 'unknown rule id', ExitCode.USAGE,
    'enable/disable (in the config file or on the command line) names a rule that is neither built in nor defined by a loaded rule file. `lockmc rules` lists the ids.'),
  info('LMC304', 'unknown preset', ExitCode.USAGE,
    'The preset is not one of recommended, all, strict or a family name (order, reclaim, fence, ww, pin, revoke, notifier, userptr, own, phyr, lockdep).'),
  info('LMC305', 'unknown rule option', ExitCode.USAGE,
    'A rule option key is not declared by any rule. Options pick a side of a debated rule, e.g. revoke.pfn-export=forbidden.'),
  info('LMC306', 'invalid rule option value', ExitCode.USAGE,
    'A rule option is set to a value its rule does not declare. The diagnostic lists the allowed values.'),
  info('LMC307', 'rule file cannot be read', ExitCode.USAGE,
    'A rule file named by ruleFiles or --rules does not exist or cannot be read. Paths in the config file are relative to the config file.'),
  info('LMC308', 'config file too large', ExitCode.USAGE,
    'The config file is beyond what a config is read for: more than 1 MiB, nested deeper than 64 levels, or more than 10 000 members ' +
    '(array elements plus object keys). A config names a preset, a few rules and options; list long rule sets in a rule file.'),
  info('LMC310', 'contradictory lock order', ExitCode.RULE_DEFINITION,
    'The lock orders declared by rule files, together with the orders the kernel primes at boot (dma_resv_lockdep() and core mm), form a cycle: ' +
    'no driver could satisfy all of them. The diagnostic lists the declarations in the cycle (the solver\'s unsat core); remove or reverse one.'),
  info('LMC311', 'rule condition can never hold', ExitCode.RULE_DEFINITION,
    'A check\'s condition is unsatisfiable on its own (for example a fence that is both signalled and unpublished, or an option value no rule declares), ' +
    'its step pattern names a field no listed op has (write: true on dma_buf_map), or a monitor cannot reach a bad state: ' +
    'the check could never report anything, which almost always means the rule was written wrong.'),
  info('LMC312', 'rule-set self-check inconclusive', ExitCode.INCONCLUSIVE,
    'The Z3 self-check of the rule set could not decide (solver unknown or failure). The rule set was not proven consistent.'),
  info('LMC328', 'rule file too large', ExitCode.RULE_DEFINITION,
    'A rule file exceeds a limit that keeps every run prompt: at most 4 MiB, nesting at most 200 levels deep, at most 100 000 members ' +
    '(array elements plus object keys), at most 1 000 rules and 1 000 order pairs. Nothing of such a file is used. ' +
    'The same code closes a list of errors that stopped at 100 per file, counting the ones left out. Split the rule set over several files (--rules is repeatable).'),
  info('LMC320', 'rule file is not valid JSON', ExitCode.RULE_DEFINITION,
    'Rule files are JSON in the Rule shape of rules/types.ts and are never executed. The diagnostic points at the first character the parser could not accept.'),
  info('LMC321', 'rule file field missing or of the wrong type', ExitCode.RULE_DEFINITION,
    'A rule in a rule file lacks a required field (meta.id, family, severity, summary, rationale, covers, citations, messages, checks) or has one of the wrong type, ' +
    'or an object has a field its shape does not define (keys are plain data: __proto__ or constructor is an unknown field like any other).'),
  info('LMC322', 'unknown check kind', ExitCode.RULE_DEFINITION,
    'A check\'s kind is not one of step, state, terminal, deadlock, lock-cycle, lock-recursion, monitor.'),
  info('LMC323', 'unknown pattern or predicate kind', ExitCode.RULE_DEFINITION,
    'A lock pattern, predicate or enumerated field (op, context, subject, state, ...) has a value the vocabulary does not define.'),
  info('LMC324', 'duplicate rule id', ExitCode.RULE_DEFINITION,
    'Two rules (built in or from rule files) have the same id, or two checks of one rule share an id. Ids must be unique.'),
  info('LMC325', 'check without a message', ExitCode.RULE_DEFINITION,
    'Every check id needs a message template in meta.messages, and every template must belong to a check: a finding must always print a sentence.'),
  info('LMC326', 'malformed monitor', ExitCode.RULE_DEFINITION,
    'A monitor names a state it does not declare (initial, from, to or bad), or declares no bad state.'),
];

export function ruleDiagnosticInfo(code: string): DiagnosticCodeInfo | undefined {
  return RULE_DIAGNOSTIC_CODES.find((c) => c.code === code);
}
