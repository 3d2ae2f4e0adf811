/**
 * Lowering a kernel API call to one op node: the arity every call shares,
 * then the lowering of the API's op kind, looked up in one table merged
 * from the families under api/ (locks, ww, reclaim, fences, notifiers,
 * dma-buf, memory providers, work). The node's outcomes become the
 * values the call can have (`if (mutex_trylock(l))`).
 */

import type { ts } from 'ts-morph';
import type { InstanceId, Node, OpKind } from '../ir.js';
import { opOutcomes, outcomeValue, type ApiEntry } from '../vocabulary.js';
import { noSpread } from './arguments.js';
import type { ExtractContext, ProcBuild } from './context.js';
import { mergePairs, type Edge, type Pair } from './graph.js';
import type { Env, Frame } from './scope.js';
import { arityText } from './syntax.js';
import { apiCall, type Lowering } from './api/call.js';
import { DMA_BUF_LOWERINGS } from './api/dma-buf.js';
import { FENCE_LOWERINGS } from './api/fences.js';
import { LOCK_LOWERINGS } from './api/locks.js';
import { LOCKDEP_LOWERINGS } from './api/lockdep.js';
import { NOTIFIER_LOWERINGS } from './api/notifiers.js';
import { PROVIDER_LOWERINGS } from './api/providers.js';
import { RECLAIM_LOWERINGS } from './api/reclaim.js';
import { WORK_LOWERINGS } from './api/work.js';
import { WW_LOWERINGS } from './api/ww.js';
import { USERPTR_LOWERINGS } from './api/userptr.js';
import { PHYR_LOWERINGS } from './api/phyr.js';
import { RELEASE_LOWERINGS } from './api/release.js';
import { MM_LOWERINGS } from './api/mm.js';
import { SCHED_LOWERINGS } from './api/sched.js';
import { PRIMING_LOWERINGS } from './api/priming.js';
import { SUBSYSTEM_LOWERINGS } from './api/subsystems.js';
import { PM_LOWERINGS } from './api/pm.js';
import { RCU_LOWERINGS } from './api/rcu.js';

/** Op kind → its lowering; an op kind missing here is a vocabulary entry the front end cannot build. */
const LOWERINGS: Partial<Record<OpKind, Lowering>> = {
  ...LOCK_LOWERINGS,
  ...WW_LOWERINGS,
  ...RECLAIM_LOWERINGS,
  ...FENCE_LOWERINGS,
  ...NOTIFIER_LOWERINGS,
  ...DMA_BUF_LOWERINGS,
  ...PROVIDER_LOWERINGS,
  ...WORK_LOWERINGS,
  ...USERPTR_LOWERINGS,
  ...PHYR_LOWERINGS,
  ...LOCKDEP_LOWERINGS,
  ...RELEASE_LOWERINGS,
  ...MM_LOWERINGS,
  ...SCHED_LOWERINGS,
  ...PRIMING_LOWERINGS,
  ...RCU_LOWERINGS,
};

export interface CompiledApi {
  pairs: Pair[];
  /** The instance the call created (`const ctx = ww_acquire_init(...)`). */
  created?: InstanceId;
  /** The notifier whose sequence the call read (`const seq = mmu_interval_read_begin(mni)`). */
  seq?: InstanceId;
}

export function compileApi(
  cx: ExtractContext,
  api: ApiEntry,
  call: ts.CallExpression,
  env: Env,
  inc: Edge[],
  F: Frame,
  p: ProcBuild,
  d: number,
  declName: string | undefined,
  declNode: ts.Node | undefined,
): CompiledApi {
  cx.depthCheck(d, call);
  noSpread(cx, call);
  const a = call.arguments;
  const name = api.api;
  const specs = api.args;
  const min = specs.filter((s) => !s.optional).length;
  let max = api.variadicIgnored || api.gfpLast ? Infinity : specs.length;
  if (name === 'queue_work') max = 2;
  if (a.length < min || a.length > max) {
    cx.fail('LMC202', `${name} expects ${arityText([min, max])}, got ${a.length}`, call, `write \`${name}(${specs.map((s) => (s.optional ? s.name + '?' : s.name)).join(', ')})\``);
  }
  const lower = SUBSYSTEM_LOWERINGS[name] ?? PM_LOWERINGS[name] ?? LOWERINGS[api.op];
  if (!lower) throw new Error(`vocabulary entry ${name} lowers to ${api.op}, which the front end does not build`);
  const { op, created, seq, pre } = lower(cx, apiCall(cx, api, call, env, F, p, declName, declNode));
  for (const step of pre ?? []) {
    const n = p.graph.addOp(step.op, inc, cx.loc(call), F.chain, F.stack.slice(1));
    if (step.kernel) (p.graph.nodes[n] as Extract<Node, { kind: 'op' }>).kernel = step.kernel;
    inc = [{ n, o: 'ok' }];
  }
  const outcomes = opOutcomes(op, cx.instances);
  const id = p.graph.addOp(op, inc, cx.loc(call), F.chain, F.stack.slice(1));
  const pairs = outcomes.map((o) => ({ edges: [{ n: id, o }], value: outcomeValue(op, o) }));
  const r: CompiledApi = { pairs: mergePairs(pairs) };
  if (created !== undefined) r.created = created;
  if (seq !== undefined) r.seq = seq;
  return r;
}
