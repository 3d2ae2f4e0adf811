/**
 * The model loop of `check`: in-process one after another (`--jobs 1`),
 * or over a pool of worker threads (pool.ts). Both give the same models
 * in the same (input) order, call `onModel` in that order, and end an
 * interrupted run the same way: every model up to and including the one
 * the signal cut short, none after it.
 */

import { makeBudget } from '../../model/budget.js';
import { checkOne, internalErrorReport, stoppedModelReport } from '../check-one.js';
import type { ResultCache } from '../cache/index.js';
import type { CheckOptions, Progress } from '../options.js';
import type { RuleContext } from '../pipeline.js';
import type { ModelReport, Report } from '../report.js';
import { runPool } from './pool.js';
import type { ModelInput } from '../model-input.js';

export interface LoopControl {
  t0: number;
  onProgress?: (p: Progress) => void;
  control: { signal?: AbortSignal; onModel?: (m: ModelReport) => void };
  /** The run's result cache (checker/cache/); workers open the same directory themselves. */
  resultCache?: ResultCache;
}

export interface Ran {
  models: ModelReport[];
  interrupted?: Report['interrupted'];
}

type Input = ModelInput;

/** The abort reason is the signal's name (`SIGINT`, `SIGTERM`). */
export function signalName(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'SIGINT';
}

/** A model the interrupt reached before it finished (its verdicts name the signal). */
function cut(m: ModelReport): boolean {
  return m.verdicts.some((v) => v.status === 'inconclusive' && v.limit.kind === 'interrupted');
}

export async function checkInProcess(inputs: Input[], options: CheckOptions, rules: RuleContext, loop: LoopControl): Promise<Ran> {
  const { signal, onModel } = loop.control;
  const models: ModelReport[] = [];
  for (let i = 0; i < inputs.length; i++) {
    // No model starts after an interrupt.
    if (signal?.aborted) return { models, interrupted: { signal: signalName(signal) } };
    const { file } = inputs[i];
    loop.onProgress?.({ modelsDone: i, modelsTotal: inputs.length, current: file, elapsedMs: performance.now() - loop.t0 });
    // Each model's own clock, from reading its file to its last verdict.
    const m = await checkOne(inputs[i], options, rules, makeBudget(options.timeoutMs, signal), loop.resultCache);
    models.push(m);
    onModel?.(m);
    if (signal?.aborted) {
      // A model that finished before the interrupt reached it is complete, not interrupted.
      return { models, interrupted: { signal: signalName(signal), ...(cut(m) ? { model: file } : {}) } };
    }
  }
  return { models };
}

/**
 * The same loop over `jobs` workers. Reports arrive in any order; they are
 * released to `onModel` (and the report) as an unbroken prefix of the
 * input, so a client sees exactly what the in-process loop would show.
 * After an interrupt the prefix ends at the first model that was cut or
 * never started; models finished after that point are dropped, as the
 * in-process loop would never have reached them.
 */
export async function checkInWorkers(inputs: Input[], options: CheckOptions, rules: RuleContext, loop: LoopControl & { jobs: number; script: string }): Promise<Ran> {
  const { signal, onModel } = loop.control;
  if (signal?.aborted) return { models: [], interrupted: { signal: signalName(signal) } };
  const results: (ModelReport | undefined)[] = new Array(inputs.length);
  const started = new Set<number>();
  const models: ModelReport[] = [];
  let interrupted: Report['interrupted'];
  let done = 0;
  const release = () => {
    while (!interrupted && models.length < inputs.length && results[models.length]) {
      const m = results[models.length]!;
      models.push(m);
      onModel?.(m);
      if (signal?.aborted && cut(m)) interrupted = { signal: signalName(signal), model: m.file };
    }
  };
  const progress = () => {
    // The model a cut report would mark: the first one not finished.
    const current = [...started].filter((i) => !results[i]).sort((a, b) => a - b)[0];
    loop.onProgress?.({ modelsDone: done, modelsTotal: inputs.length, ...(current !== undefined ? { current: inputs[current].file } : {}), elapsedMs: performance.now() - loop.t0 });
  };
  const crashed = (i: number, message: string) => internalErrorReport(inputs[i].file, 'LMC903', message, options, rules, 0);
  await runPool({
    inputs,
    options,
    jobs: loop.jobs,
    script: loop.script,
    ...(loop.resultCache ? { cache: { settings: loop.resultCache.settings, versions: loop.resultCache.versions } } : {}),
    ...(signal ? { signal } : {}),
    onStart: (i) => {
      started.add(i);
      progress();
    },
    onDone: (i, m) => {
      results[i] = m;
      // A worker's cache stores its entries itself; the cost index is the run's, written once by the main thread (cache.finish).
      if (loop.resultCache && !m.stats.cached) loop.resultCache.recordCost(m.file, m.stats.ms);
      done++;
      release();
      progress();
    },
    crashed,
  });
  if (!interrupted && signal?.aborted && models.length < inputs.length) {
    const k = models.length;
    if (started.has(k)) {
      // Its worker did not answer within the grace period and was ended: the model is cut, as the CLI would mark it.
      const m = stoppedModelReport(inputs[k].file, { kind: 'interrupted', signal: signalName(signal), phase: 'worker' }, options, rules, 0);
      models.push(m);
      onModel?.(m);
      interrupted = { signal: signalName(signal), model: m.file };
    } else interrupted = { signal: signalName(signal) };
  }
  if (!interrupted && models.length < inputs.length) {
    // Every worker ended and a model was never answered (workers that died before their first model): never a silent gap.
    for (let i = models.length; i < inputs.length; i++) results[i] ??= crashed(i, 'no model worker was left to check this model');
    release();
  }
  if (!interrupted && signal?.aborted) interrupted = { signal: signalName(signal) };
  return { models, ...(interrupted ? { interrupted } : {}) };
}
