/**
 * Pass `compile`: the transition system every engine reads
 * (checker/semantics): the model's threads on the reference semantics,
 * with the applicable rules compiled into its properties, and the
 * reference evaluator for it. A rule the checker cannot compile, or a
 * model the semantics refuses, stops the model with that diagnostic.
 */

import { compileSystem } from '../semantics/compile.js';
import { preemptRtModel } from '../preempt-rt.js';
import { compileProperties, RuleCompileError } from '../semantics/properties.js';
import { SemanticsError } from '../semantics/context.js';
import { prepare } from '../semantics/eval.js';
import type { TransitionSystem } from '../semantics/system.js';
import type { FrontPass, PassEnv, PassResult, Products, CompileOutput } from './types.js';

type Needs = 'load' | 'validate' | 'select-rules' | 'lock-graph';

export const compilePass: FrontPass<'compile', Needs> = {
  name: 'compile',
  budgetAfter: 'compile',
  run: compile,
  // The system is plain data: `dump system` prints the same object.
  dump: ({ ts }) => ts,
};

function compile(env: PassEnv, p: Pick<Products, Needs>): PassResult<CompileOutput> {
  const { kernel, ruleOptions, kernelConfig } = p.validate;
  // Only set when on, so the hash of every system without it is unchanged.
  const rt = kernelConfig.includes('PREEMPT_RT') ? { preemptRt: true } : {};
  const { rules, skipped } = p['select-rules'];
  let ts: TransitionSystem;
  try {
    ts = compileSystem(
      rt.preemptRt ? preemptRtModel(p.load.extracted.model) : p.load.extracted.model,
      { kernel, kswapdRuns: env.options.kswapdRuns, irqFires: 1, directReclaim: true, ...rt },
      (ctx) => compileProperties(ctx, rules, p['lock-graph'].graph, ruleOptions, kernel, env.budget),
      env.budget,
    );
  } catch (e) {
    if (e instanceof RuleCompileError) {
      const hint = 'the rule uses a combination of patterns the checker cannot compile; fix the rule file';
      return { kind: 'stopped', diagnostics: [{ code: e.code, severity: 'error', message: e.message, file: env.file, hint }], verdicts: skipped };
    }
    if (e instanceof SemanticsError) {
      return { kind: 'stopped', diagnostics: [{ code: e.code, severity: 'error', message: e.message, file: env.file }], verdicts: skipped };
    }
    throw e;
  }
  return { kind: 'ok', output: { ts, ev: prepare(ts) } };
}
