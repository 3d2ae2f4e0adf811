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
import { expectEnginesAgree } from './engines-agree.js';
import { shutdownSolver } from '../../checker/engines/bmc/index.js';

const RUNS = Number(process.env.LOCKMC_DIFF_RUNS ?? 10);
const SEED = Number(process.env.LOCKMC_DIFF_SEED ?? 2_713);

describe('explicit and BMC engines agree on RCU callback and runtime PM models', () => {
  afterAll(async () => {
    await shutdownSolver();
  });
  it(`on ${RUNS} random call_rcu / rcu_barrier / runtime PM models`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(rcuPmModelSpecs, (spec) => expectEnginesAgree(buildRcuPmModel(spec), seen)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect([...seen].sort()).toEqual(['holds', 'violated']);
  }, 3_600_000);
});
