/**
 * Pass `load`: the front end (model/): read the file, extract the IR,
 * validate it. A model the front end rejected is that error, however long
 * it took. The text read is kept: a rejected model's `@expect` header is
 * parsed from it, never from a second read of the file.
 */

import { BudgetExceeded, budgetStop } from '../../model/budget.js';
import { loadModel, parseHeader, readModelFile, type Expectation } from '../../model/index.js';
import { isDiagnosticCode } from '../../model/diagnostics.js';
import { resolveKernelSteps } from '../kernel-steps.js';
import { NEWEST_KERNEL } from '../options.js';
import type { FrontPass, PassEnv, PassResult, LoadOutput } from './types.js';

export const loadPass: FrontPass<'load', never> = {
  name: 'load',
  // A front end that does not look at the clock is still held to it here.
  budgetAfter: 'front end',
  run: load,
  dump: ({ extracted }) => ({ model: extracted.model, sourceMap: extracted.sourceMap }),
};

function load(env: PassEnv): PassResult<LoadOutput> {
  const { file, budget } = env;
  const read = env.text !== undefined ? { text: env.text } : readModelFile(file, env.path);
  const text = 'text' in read ? read.text : undefined;
  // A model that ends here is hashed by the text read, however it was read.
  const was = text !== undefined ? { text } : {};
  const spent = budgetStop(budget, 'front end');
  if (spent) return { kind: 'limit', stop: spent, expected: expectedFromText(text, file), ...was };
  if (!('text' in read)) return { kind: 'stopped', diagnostics: [read.diagnostic], verdicts: [] };
  let loaded: ReturnType<typeof loadModel>;
  try {
    loaded = loadModel(file, read.text, { budget });
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    // Out of time in the front end: the model still says what it expects.
    return { kind: 'limit', stop: e.stop, expected: expectedFromText(text, file), ...was };
  }
  if (!loaded.extracted || loaded.diagnostics.some((d) => d.severity === 'error')) {
    const expected = loaded.extracted?.model.header.expect ?? loaded.header?.expect ?? expectedFromText(text, file);
    return { kind: 'stopped', diagnostics: loaded.diagnostics, verdicts: [], expected, ...was };
  }
  // Kernel-gated steps resolved for the kernel the model is checked as (validate picks the same one).
  const { model } = loaded.extracted;
  const kernel = env.options.kernel ?? model.header.kernel ?? NEWEST_KERNEL;
  const extracted = { ...loaded.extracted, model: resolveKernelSteps(model, kernel) };
  return { kind: 'ok', output: { text: read.text, extracted }, diagnostics: loaded.diagnostics };
}

/**
 * The header is the leading comment: parse it as text (no TypeScript),
 * from the start of the text only, so a huge model costs nothing.
 */
const HEADER_PEEK_CHARS = 16_384;

export function expectedFromText(text: string | undefined, file: string): Expectation[] | undefined {
  if (text === undefined) return undefined;
  const head = text.slice(0, HEADER_PEEK_CHARS);
  const parsed = parseHeader(head, file).header.expect;
  if (parsed.length) return parsed;
  // A header cut by the peek, or one the header parser rejects: its error expectations still count.
  const codes = [...head.matchAll(/@expect\s+error\s+(LMC\d{3})/g)].map((m) => m[1]!).filter(isDiagnosticCode);
  return codes.length ? codes.map((code) => ({ kind: 'error' as const, code })) : undefined;
}
