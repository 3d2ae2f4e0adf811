/**
 * A mistake in what the user typed: printed as one line, exit 2 (or the
 * code it carries). Its own module so the entry point can catch it without
 * loading the commands (start-up: `lockmc --version` loads no checker).
 */

import { ExitCode } from '../checker/exit-codes.js';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.USAGE,
  ) {
    super(message);
  }
}
