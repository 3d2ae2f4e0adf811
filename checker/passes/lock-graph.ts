/**
 * Pass `lock-graph`: lockdep's view of the model (checker/engines/lockgraph):
 * classes, ordered edges (primed, declared by user rule files, taken by the
 * model), cycles and recursion. The compile pass resolves graph-dependent
 * rule patterns with it; the explain pass reports its cycles.
 */

import { buildLockGraph } from '../engines/lockgraph/index.js';
import { preemptRtModel } from '../preempt-rt.js';
import type { FrontPass, PassEnv, PassResult, Products, LockGraphOutput } from './types.js';

export const lockGraphPass: FrontPass<'lock-graph', 'load' | 'validate'> = {
  name: 'lock-graph',
  budgetAfter: 'lock graph',
  run: lockGraph,
  dump: ({ graph }) => ({
    classes: graph.classes,
    edges: graph.edges,
    cycles: graph.cycles,
    recursions: graph.recursions,
    truncated: graph.built.truncated,
  }),
};

function lockGraph(env: PassEnv, { load, validate }: Pick<Products, 'load' | 'validate'>): PassResult<LockGraphOutput> {
  const { sourceMap } = load.extracted;
  // CONFIG_PREEMPT_RT (--kernel-config, @kernel-config) changes the model as the kernel runs it.
  const rt = validate.kernelConfig.includes('PREEMPT_RT');
  const model = rt ? preemptRtModel(load.extracted.model) : load.extracted.model;
  // Wait types as CONFIG_PROVE_RAW_LOCK_NESTING judges them: implied by
  // PREEMPT_RT, or asked for on a !RT kernel with the rule option
  // lockdep.preempt-rt=on (which changes nothing else).
  const preemptRt = rt || validate.ruleOptions['lockdep.preempt-rt'] === 'on';
  const graph = buildLockGraph(model, { kernel: validate.kernel, sourceMap, declaredOrders: env.ruleCtx.orders, budget: env.budget, preemptRt });
  return { kind: 'ok', output: { graph } };
}
