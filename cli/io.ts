/** The process as the CLI sees it; tests pass a fake. */

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Terminal width for `pretty` and the progress line. */
  columns?: number;
  /** SIGINT/SIGTERM as the process entry sees them; absent in tests that do not need them. */
  interrupts?: Interrupts;
}

/**
 * The first SIGINT/SIGTERM aborts `signal` (its reason is the signal's
 * name). A command that can write the report so far sets `handled` while
 * it runs; otherwise the process exits 130 at once.
 */
export interface Interrupts {
  signal: AbortSignal;
  handled: boolean;
  /** Ends child processes (the BMC worker) at once; set by `check` when it loads the engines. */
  killChildren?: () => void;
}

export function processIo(): CliIo {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    columns: process.stdout.columns,
  };
}

/** NO_COLOR (any non-empty value, no-color.org), --no-color, or not a terminal. */
export function useColor(io: CliIo, flag: boolean): boolean {
  const nc = io.env.NO_COLOR;
  if (nc !== undefined && nc !== '') return false;
  return flag && io.stdoutIsTTY;
}
