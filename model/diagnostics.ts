/**
 * Coded diagnostics. Every user-facing error has a code `LMCnnn`, a
 * message, an exit code, an explanation for `lockmc explain`, and a fixture
 * under fixtures/errors/ (a test keeps the three in step).
 *
 * Groups: LMC0xx input (file unreadable, too large, not text),
 * LMC1xx syntax and unsupported constructs, LMC2xx model semantics,
 * LMC3xx rule definitions and config, LMC4xx bounds and limits,
 * LMC9xx internal.
 */

export interface Diagnostic {
  code: string;
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

export interface DiagnosticCodeInfo {
  code: string;
  title: string;
  exit: number;
  /** A paragraph for `lockmc explain LMCnnn`. */
  explanation: string;
}
