/**
 * The differential test of tests/checker/differential.test.ts for
 * interrupt contexts: softirq handlers (and a hard irq) landing on tasks
 * under bh/irq masking, and queued-rwlock readers behind waiting writers
 * (tests/checker/random-softirq-models.ts). The explicit engine with and
 * without its reduction and the Z3 engine must agree on the deadlock
 * property of every model, and each violating schedule must replay. The
 * seed is fixed (LOCKMC_DIFF_SEED overrides it), Z3 bounded by its
 * resource limit; the generator must also reach both verdicts, so the
 * test cannot pass on models that all hold (or all deadlock).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildIrqModel, irqModelSpecs } from './random-softirq-models.js';
import { expectEnginesAgree } from './engines-agree.js';
import { shutdownSolver } from '../../checker/engines/bmc/index.js';

const RUNS = Number(process.env.LOCKMC_DIFF_RUNS ?? 10);
const SEED = Number(process.env.LOCKMC_DIFF_SEED ?? 1_515);

describe('explicit and BMC engines agree on softirq and queued-rwlock models', () => {
  afterAll(async () => {
    await shutdownSolver();
  });
  it(`on ${RUNS} random interrupt-context models`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(irqModelSpecs, (spec) => expectEnginesAgree(buildIrqModel(spec), seen)),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect([...seen].sort()).toEqual(['holds', 'violated']);
  }, 3_600_000);
});
