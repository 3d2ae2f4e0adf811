import type { DiagnosticCode } from '../model/diagnostics.js';

/**
 * A bug in lockmc found while checking a model: engines that disagree
 * (LMC902), a schedule that does not replay (LMC901). Not a pass result:
 * a bug ends the model with an internal-error diagnostic, exit 70, through
 * the same channel as any unexpected exception (checker/index.ts).
 */
export class InternalError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
  ) {
    super(message);
  }
}
