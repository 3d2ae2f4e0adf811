/**
 * The body the interrupt-context differential tests share
 * (differential-softirq.test.ts, differential-rcu-pm.test.ts): one random
 * model through the explicit engine with and without its reduction and
 * through the Z3 engine, on the deadlock property. All three must give the
 * same verdict for every property, and every violating schedule must
 * replay. The verdicts seen are collected so each test can require that
 * its generator reached both.
 */
import { expect } from 'vitest';
import { buildLockGraph } from '../../checker/engines/lockgraph/index.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import { compileProperties } from '../../checker/semantics/properties.js';
import { exploreExplicit } from '../../checker/engines/explicit/index.js';
import { runBmcIsolated } from '../../checker/engines/bmc/index.js';
import { confirmViolation } from '../../checker/replay.js';
import { getRule } from '../../rules/index.js';
import { SAFETY_NET_MS, Z3_BUDGET } from '../budgets.js';
import type { PropertyResult } from '../../checker/engines/types.js';
import type { DriverModel } from '../../model/ir.js';

const RULES = [getRule('deadlock')!];

function verdict(r: PropertyResult): string {
  return r.status === 'holds' ? (r.exhaustive ? 'holds' : `holds<=${r.bound}`) : r.status;
}

/** Check `model` (which must have a softirq thread) with every engine; add its verdicts to `seen`. */
export async function expectEnginesAgree(model: DriverModel, seen: Set<string>): Promise<void> {
  const graph = buildLockGraph(model, { kernel: 'v7.0' });
  const ts = compileSystem(model, DEFAULT_SEMANTIC_OPTIONS, (ctx) => compileProperties(ctx, RULES, graph, {}, 'v7.0'));
  expect(ts.threads.some((t) => t.kind === 'softirq')).toBe(true);
  const por = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512, reduction: 'por' });
  const full = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512, reduction: 'none' });
  const bmc = await runBmcIsolated(ts, { ...Z3_BUDGET, mode: 'prove', minimise: false });
  expect(bmc.results.find((r) => r.status === 'inconclusive'), 'BMC left a model undecided').toBeUndefined();
  ts.properties.forEach((p, i) => {
    const v = [full, por, bmc].map((e) => verdict(e.results[i]));
    expect(v, `${p.rule}/${p.check}: full, por, bmc`).toEqual([v[0], v[0], v[0]]);
    seen.add(v[0]!);
    for (const e of [full, por, bmc]) {
      const r = e.results[i];
      if (r.status === 'violated') expect(confirmViolation(ts, r.schedule, i).ok, `${e.engine} schedule for ${p.rule} replays`).toBe(true);
    }
  });
}
