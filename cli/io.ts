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

/**
 * Whether to colour, most specific first: --no-color, --color (the
 * command line beats the environment), then NO_COLOR (any non-empty
 * value, no-color.org: it stays the way to keep colour out whatever else
 * is set), then FORCE_COLOR (chalk's reading: empty, `true` or a level
 * 1-3 force it on, `0` or `false` off), then whether stdout is a terminal.
 */
export function useColor(io: CliIo, flag: boolean, forced = false): boolean {
  if (!flag) return false;
  if (forced) return true;
  const nc = io.env.NO_COLOR;
  if (nc !== undefined && nc !== '') return false;
  return forceColorEnv(io) ?? io.stdoutIsTTY;
}

/** FORCE_COLOR as chalk 5 reads it: undefined when unset. */
export function forceColorEnv(io: CliIo): boolean | undefined {
  const v = io.env.FORCE_COLOR;
  if (v === undefined) return undefined;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n > 0 : true;
}
