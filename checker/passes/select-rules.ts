/**
 * Pass `select-rules`: of the rules the run selected (preset, enable,
 * disable, user rule files: checker/index.ts `resolveRules`), the ones
 * that apply to the kernel the model is checked as; the others become
 * `skipped` verdicts that say why.
 */

import type { Rule } from '../../rules/types.js';
import type { Verdict } from '../report.js';
import { compareKernel } from '../options.js';
import type { FrontPass, PassEnv, PassResult, Products, SelectRulesOutput } from './types.js';

export const selectRulesPass: FrontPass<'select-rules', 'validate'> = {
  name: 'select-rules',
  run: selectRules,
  dump: ({ rules, skipped }) => ({ rules: rules.map((r) => r.meta.id), skipped }),
};

function selectRules(env: PassEnv, { validate }: Pick<Products, 'validate'>): PassResult<SelectRulesOutput> {
  const rules: Rule[] = [];
  const skipped: Verdict[] = [];
  for (const r of env.ruleCtx.rules) {
    const why = ruleApplies(r, validate.kernel);
    if (why) skipped.push({ status: 'skipped', rule: r.meta.id, reason: why });
    else rules.push(r);
  }
  return { kind: 'ok', output: { rules, skipped } };
}

function ruleApplies(rule: Rule, kernel: string): string | undefined {
  const k = rule.meta.kernel;
  if (k?.since && compareKernel(kernel, k.since) < 0) return `applies from ${k.since}; model checked as ${kernel}`;
  if (k?.until && compareKernel(kernel, k.until) >= 0) return `applies before ${k.until}; model checked as ${kernel}`;
  return undefined;
}
