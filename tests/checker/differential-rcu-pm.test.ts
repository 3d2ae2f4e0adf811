/**
 * The differential test of tests/checker/differential-softirq.test.ts for
 * issue 13 item 8: call_rcu callbacks (a softirq thread that runs only once
 * queued), rcu_barrier waiting for them, synchronous runtime PM calls that
 * run a callback inline and pm_runtime_put queueing runtime_suspend on a
 * work item (tests/checker/random-softirq-models.ts buildRcuPmModel). The
 * explicit engine with and without its reduction and the Z3 engine must
 * agree on the deadlock property, each violating schedule must replay,
 * and the generator must reach both verdicts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildRcuPmModel, rcuPmModelSpecs } from './random-softirq-models.js';
import { buildLockGraph } from '../../checker/engines/lockgraph/index.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import { compileProperties } from '../../checker/semantics/properties.js';
import { exploreExplicit } from '../../checker/engines/explicit/index.js';
import { runBmcIsolated, shutdownSolver } from '../../checker/engines/bmc/index.js';
import { confirmViolation } from '../../checker/replay.js';
import { getRule } from '../../rules/index.js';
import { SAFETY_NET_MS, Z3_BUDGET } from '../budgets.js';
import type { PropertyResult } from '../../checker/engines/types.js';

const RUNS = Number(process.env.LOCKMC_DIFF_RUNS ?? 10);
const SEED = Number(process.env.LOCKMC_DIFF_SEED ?? 2_713);
const RULES = [getRule('deadlock')!];

function verdict(r: PropertyResult): string {
  return r.status === 'holds' ? (r.exhaustive ? 'holds' : `holds<=${r.bound}`) : r.status;
}

describe('explicit and BMC engines agree on RCU callback and runtime PM models', () => {
  afterAll(async () => {
    await shutdownSolver();
  });
  it(`on ${RUNS} random call_rcu / rcu_barrier / runtime PM models`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(rcuPmModelSpecs, async (spec) => {
        const model = buildRcuPmModel(spec);
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
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect([...seen].sort()).toEqual(['holds', 'violated']);
  }, 3_600_000);
});
