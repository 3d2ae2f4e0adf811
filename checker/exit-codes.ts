/**
 * What a run exits with. The table of exit codes and how they combine live
 * in model/exit-codes.ts (the diagnostics table needs them) and are
 * re-exported here; this module adds the one way a report becomes an exit
 * code: `runExitCode`, built on `modelExitCode`. The API (`check`,
 * `replay`), the CLI and the JUnit renderer all use these two.
 */

import { exitCodeOfDiagnostic, type Diagnostic } from '../model/diagnostics.js';
import { combineExitCodes, ExitCode, type ExitCodeValue } from '../model/exit-codes.js';
import type { ModelReport, Report } from './report.js';

export { combineExitCodes, ExitCode, EXIT_CODE_DOC, EXIT_CODE_PRECEDENCE, type ExitCodeValue } from '../model/exit-codes.js';

/** What one diagnostic contributes: its code's exit status, or 0 for a warning. */
export function diagnosticExitCode(d: Diagnostic): ExitCodeValue {
  return d.severity === 'error' ? exitCodeOfDiagnostic(d.code) : ExitCode.OK;
}

/**
 * What one model contributes to the process exit code. The precedence
 * (README, docs/cli.md, "Exit codes"; `EXIT_CODE_PRECEDENCE`):
 *  - a limit is never hidden: an inconclusive verdict gives 7 even when
 *    the model's `@expect` header is met (130 when the limit was a signal);
 *  - a model error keeps its own code (3, 4, 5, 6, 70), declared verdict
 *    or not, unless it is the error the header expects (`@expect error`);
 *  - a declared verdict met is 0 (a fixture that violates as declared
 *    passes), one missed for any other reason is 1;
 *  - without a header (or without a judgement of it, as in a replay), a
 *    violation is 1;
 *  - combined by `combineExitCodes`: 130, then 70, dominate everything.
 */
export function modelExitCode(m: ModelReport): ExitCodeValue {
  const declared = m.expected !== undefined && m.expected.length > 0 && m.expectation !== undefined;
  const expectedErrors = new Set<string>(declared ? m.expected!.flatMap((e) => (e.kind === 'error' ? [e.code] : [])) : []);
  const codes: ExitCodeValue[] = m.diagnostics.filter((d) => !expectedErrors.has(d.code)).map(diagnosticExitCode);
  for (const v of m.verdicts) {
    if (v.status === 'inconclusive') codes.push(v.limit.kind === 'interrupted' ? ExitCode.INTERRUPTED : ExitCode.INCONCLUSIVE);
    if (v.status === 'violated' && !declared) codes.push(ExitCode.VIOLATION);
  }
  if (declared && !m.expectation!.met) codes.push(ExitCode.VIOLATION);
  return combineExitCodes(codes);
}

/**
 * The run's exit code: each model's (`modelExitCode`), the run's own
 * diagnostics (config, rule files, the rule-set self-check), and 130 for an
 * interrupted run; the most serious wins (`combineExitCodes`). Conditions
 * only the CLI knows (a bad command line, an output it cannot write) are
 * usage errors it raises itself before or after the run.
 */
export function runExitCode(report: Pick<Report, 'models' | 'diagnostics' | 'interrupted'>): ExitCodeValue {
  const codes: ExitCodeValue[] = report.diagnostics.map(diagnosticExitCode);
  for (const m of report.models) codes.push(modelExitCode(m));
  if (report.interrupted) codes.push(ExitCode.INTERRUPTED);
  return combineExitCodes(codes);
}
