/**
 * One model of a run as a client names it. `file` is the name every
 * report and diagnostic prints (relative to the client's cwd); `path` is
 * where the file is read when no `text` is given (default `file`). An
 * in-process client whose cwd is not the process's (cli/main.ts with
 * `io.cwd`) resolves it, so the load pass and the result cache read the
 * file the user named.
 */
export interface ModelInput {
  file: string;
  path?: string;
  text?: string;
}

/** A model's name, or its name and where to read it. */
export type ModelFile = string | { file: string; path: string };

export function modelFile(f: ModelFile): { file: string; path: string } {
  return typeof f === 'string' ? { file: f, path: f } : f;
}

/** The ModelFile of an input: its name alone unless it is read elsewhere. */
export function fileOfInput(i: ModelInput): ModelFile {
  return i.path !== undefined && i.path !== i.file ? { file: i.file, path: i.path } : i.file;
}
