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
