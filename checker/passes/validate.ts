/**
 * Pass `validate`: the model's own settings checked against the rule set.
 * The IR itself was validated by the front end (model/validate.ts, inside
 * the load pass, which is one call in model/); what is left to validate is
 * what only the checker knows: the kernel the model is checked as, and
 * each `@rule-option` against the selected rules (LMC305, LMC306).
 */

import { ALL_RULES, applyModelOptions } from '../../rules/index.js';
import { unknownExpectRules } from '../expect-rules.js';
import { NEWEST_KERNEL } from '../options.js';
import { normaliseKernelConfig } from '../../model/kernel-config.js';
import type { FrontPass, PassEnv, PassResult, Products, ValidateOutput } from './types.js';

export const validatePass: FrontPass<'validate', 'load'> = {
  name: 'validate',
  run: validate,
  dump: (out) => out,
};

function validate(env: PassEnv, { load }: Pick<Products, 'load'>): PassResult<ValidateOutput> {
  const { model } = load.extracted;
  const kernel = env.options.kernel ?? model.header.kernel ?? NEWEST_KERNEL;
  const opts = applyModelOptions(env.ruleCtx.options, model.header.ruleOptions, env.ruleCtx.rules, env.file, model.header.ruleOptionAt);
  if (opts.diagnostics.some((d) => d.severity === 'error')) return { kind: 'stopped', diagnostics: opts.diagnostics, verdicts: [], kernel };
  // A misspelt rule in `@expect` (LMC340): reported, the model still checked (its expectation then fails too).
  const known = [...ALL_RULES, ...env.ruleCtx.rules].map((r) => r.meta.id);
  const unknown = unknownExpectRules(model.header.expect, known, env.file, load.text);
  const kernelConfig = normaliseKernelConfig(env.options.kernelConfig ?? model.header.kernelConfig ?? []);
  return { kind: 'ok', output: { kernel, kernelConfig, ruleOptions: opts.options }, diagnostics: [...opts.diagnostics, ...unknown] };
}
