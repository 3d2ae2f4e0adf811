import type { CliIo } from '../../cli/io.js';

export interface FakeIo extends CliIo {
  stdout: string;
  stderr: string;
}

export function fakeIo(over: Partial<CliIo> = {}): FakeIo {
  const io: FakeIo = {
    stdout: '',
    stderr: '',
    out: (s) => void (io.stdout += s),
    err: (s) => void (io.stderr += s),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: {},
    cwd: process.cwd(),
    ...over,
  };
  return io;
}
