/**
 * The model package: source → IR, with every problem as a coded diagnostic.
 * `loadModel` never throws on user input and never executes the model.
 */

import { readFileSync, statSync, type Stats } from 'node:fs';
import { diagnosticAt, FRONTEND_LIMITS, type Diagnostic } from './diagnostics.js';
import { checkBytes, extractModel, type ExtractResult } from './frontend/index.js';
import { validateModel } from './validate.js';
import { BudgetExceeded, checkBudget, type Budget } from './budget.js';

export * from './ir.js';
export * from './diagnostics.js';
export { extractModel, parseHeader, type ExtractInput, type ExtractResult } from './frontend/index.js';
export { validateModel } from './validate.js';
export * as vocabulary from './vocabulary.js';

/**
 * Read (when `text` is absent), extract and validate a model. `extracted` is
 * absent whenever an error diagnostic was produced.
 */
/**
 * `opts.budget`: the model's wall-clock budget (model/budget.ts); the
 * front end checks it at bounded intervals and lets BudgetExceeded through.
 */
export function loadModel(file: string, text?: string, opts: { budget?: Budget } = {}): ExtractResult {
  const { budget } = opts;
  try {
    if (text === undefined) {
      const read = readModelFile(file);
      if ('diagnostic' in read) return { diagnostics: [read.diagnostic] };
      text = read.text;
    }
    const r = extractModel({ file, text, ...(budget ? { budget } : {}) });
    if (!r.extracted) return r;
    checkBudget(budget, 'front end');
    const v = validateModel(r.extracted, text, budget);
    // Unrolled copies of one statement report the same problem once.
    const diagnostics = dedupe([...r.diagnostics, ...v]);
    if (diagnostics.some((d) => d.severity === 'error')) {
      const out: ExtractResult = { diagnostics };
      if (r.header) out.header = r.header;
      return out;
    }
    return { ...r, diagnostics };
  } catch (e) {
    // Not an error of the model: the checker reports the limit as inconclusive.
    if (e instanceof BudgetExceeded) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    return { diagnostics: [diagnosticAt('LMC900', `internal error while loading the model: ${msg}`, file, undefined, undefined, 'please report this with the model file')] };
  }
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.line}|${d.col}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The model's text, or why it cannot be read (LMC001-003); the checker's
 * load pass keeps the text. `path`: where to read it when that is not
 * `file`, the name its diagnostics print (an in-process client whose cwd
 * is not the process's).
 */
export function readModelFile(file: string, path: string = file): { text: string } | { diagnostic: Diagnostic } {
  let bytes: Buffer;
  try {
    // statSync first: opening a FIFO, a terminal or a socket would block or
    // fail only after waiting; a symlink to one is followed and refused too.
    const st = statSync(path);
    if (st.isDirectory()) return { diagnostic: unreadable(file, 'it is a directory') };
    const special = specialKind(st);
    if (special) return { diagnostic: unreadable(file, `it is ${special}, not a regular file`) };
    // Refuse before reading a huge file into memory.
    if (st.size > FRONTEND_LIMITS.maxBytes) {
      return {
        diagnostic: diagnosticAt('LMC003', `model is too large: ${st.size} bytes, the limit is ${FRONTEND_LIMITS.maxBytes} bytes (1 MiB)`, file, undefined, undefined, 'split the driver into several smaller models'),
      };
    }
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? 'read failed';
    return { diagnostic: unreadable(file, why) };
  }
  const r = checkBytes(file, bytes);
  if (r.diagnostic) return { diagnostic: r.diagnostic };
  return { text: r.text! };
}

/** What a non-regular, non-directory file is, for the LMC001 message. */
export function specialKind(st: Stats): string | undefined {
  if (st.isFile() || st.isDirectory()) return undefined;
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

function unreadable(file: string, why: string): Diagnostic {
  return diagnosticAt('LMC001', `cannot read model file: ${why}`, file, undefined, undefined, 'check the path and its permissions');
}
