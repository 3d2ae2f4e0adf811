/**
 * One model through the cache: the text key before any pass; the quick
 * key (the model's profile says which rules touch it) when the rules
 * changed; the system key once `compile` has run (checker/cache/key.ts
 * says why each is sound); the pipeline's remaining passes only on a miss. A result is
 * stored only when it is final: no inconclusive verdict (time-out,
 * interrupt, limit) and no internal error.
 */

import { createHash } from 'node:crypto';
import { readModelFile } from '../../model/index.js';
import { budgetStop, type Budget } from '../../model/budget.js';
import { exitCodeOfDiagnostic } from '../../model/diagnostics.js';
import { ExitCode } from '../exit-codes.js';
import type { CheckOptions } from '../options.js';
import { runPipeline, startRun, type RunState } from '../pipeline.js';
import type { RuleContext } from '../passes/types.js';
import type { ModelReport } from '../report.js';
import { modelFile, type ModelFile } from '../model-input.js';
import type { ResultCache } from './index.js';
import { makeProfile, modelOps, profileKey, quickKey, rejectedKey, systemKey, textKey, touchingFromProfile, touchingRules } from './key.js';

export async function checkModelCached(name: ModelFile, text: string | undefined, options: CheckOptions, ruleCtx: RuleContext, budget: Budget, cache: ResultCache): Promise<ModelReport> {
  const t0 = performance.now();
  // Keys and reports name the model as the client does; its text is read where the load pass reads it.
  const { file, path } = modelFile(name);
  const keyText = textOf(file, path, text);
  const tkey = keyText === undefined ? undefined : textKey(cache.versions, file, keyText, options, cache.rulesDigest(ruleCtx));
  const hit = tkey ? cache.get(tkey) : undefined;
  if (hit) {
    cache.hits.text++;
    return served(hit, file, ruleCtx, t0);
  }
  const rkey = keyText === undefined ? undefined : rejectedKey(cache.versions, file, keyText, options, ruleCtx);
  const rejected = rkey ? cache.get(rkey) : undefined;
  if (rejected) {
    cache.hits.rejected++;
    if (tkey) cache.put([tkey], rejected);
    return served(rejected, file, ruleCtx, t0);
  }
  // A rule change: which rules touch, from the model's profile, without the front end.
  const pkey = keyText === undefined ? undefined : profileKey(cache.versions, file, keyText, options, ruleCtx);
  const profile = pkey ? cache.getProfile(pkey) : undefined;
  const known = profile ? touchingFromProfile(profile, ruleCtx.rules) : undefined;
  const qkey = known && keyText !== undefined ? quickKey(cache.versions, file, keyText, options, ruleCtx, known) : undefined;
  const quick = qkey ? cache.get(qkey) : undefined;
  if (quick) {
    cache.hits.quick++;
    if (tkey) cache.put([tkey], quick);
    return served(quick, file, ruleCtx, t0);
  }
  let compiledQkey: string | undefined;
  let skey: string | undefined;
  let fromSystem: ModelReport | undefined;
  const afterFront = (state: RunState): ModelReport | undefined => {
    const model = state.products.load?.extracted.model;
    const ts = state.products.compile?.ts;
    if (!model || !ts) return undefined;
    skey = systemKey(cache.versions, { file, sourceHash: model.sourceHash, ts }, options, ruleCtx);
    // The profile describes the text the keys name: not a file that changed after it was read for them.
    if (pkey && keyText !== undefined && model.sourceHash === createHash('sha256').update(keyText, 'utf8').digest('hex')) {
      const touching = touchingRules(ruleCtx.rules, ts);
      cache.putProfile(pkey, makeProfile(modelOps(model), ruleCtx.rules, touching));
      compiledQkey = quickKey(cache.versions, file, keyText, options, ruleCtx, touching);
    }
    fromSystem = cache.get(skey);
    return fromSystem ? served(fromSystem, file, ruleCtx, t0) : undefined;
  };
  const run = await runPipeline(startRun(name, text, options, ruleCtx, budget), { afterFront });
  if (run.kind !== 'ended') throw new Error('unreachable: a check runs to the end');
  // The text key names the text it was computed from: store under it only if the file did not change meanwhile.
  const sameText = keyText !== undefined && textOf(file, path, text) === keyText;
  if (fromSystem) {
    cache.hits.system++;
    if (sameText) cache.put([tkey, compiledQkey], fromSystem);
    return run.report;
  }
  // A spent budget may have cut a model that reports no inconclusive verdict (no rule selected): not final either.
  if (final(run.report) && !budgetStop(budget, 'cache')) {
    cache.put(sameText ? [tkey, skey, compiledQkey, run.stoppedIn === 'load' ? rkey : undefined] : [skey], run.report);
    cache.recordCost(file, run.report.stats.ms);
  }
  return run.report;
}

/** The text a key is computed from: the caller's, else the file's (read as the front end reads it; unreadable: no key). */
function textOf(file: string, path: string, text: string | undefined): string | undefined {
  if (text !== undefined) return text;
  const read = readModelFile(file, path);
  return 'text' in read ? read.text : undefined;
}

/** A result that a second run would reproduce: nothing inconclusive, no internal error, not itself served. */
function final(m: ModelReport): boolean {
  if (m.stats.cached) return false;
  if (m.verdicts.some((v) => v.status === 'inconclusive')) return false;
  return !m.diagnostics.some((d) => exitCodeOfDiagnostic(d.code) === ExitCode.INTERNAL);
}

/**
 * A stored report as this run would print it: the run-level rule-set hash
 * is this run's (a rule that does not touch the model may have changed),
 * `ms` is the lookup's, and `cached` says where it came from.
 */
function served(stored: ModelReport, file: string, ruleCtx: RuleContext, t0: number): ModelReport {
  return {
    ...stored,
    file,
    hashes: { ...stored.hashes, rules: ruleCtx.hash },
    stats: { ...stored.stats, ms: Math.round(performance.now() - t0), cached: true },
  };
}
