/**
 * The explicit engine (with and without its reduction) and the Z3 engine
 * must agree on every property of every model. Random models come from
 * tests/checker/random-models.ts; any disagreement fails the suite and
 * fast-check prints the shrunk model. Z3 is bounded by its resource limit
 * (tests/budgets.ts), not by time, and must decide every model: an
 * undecided one fails the suite, on any machine. The seed is fixed
 * (LOCKMC_DIFF_SEED overrides it) so that every run checks the same
 * models; fast-check prints it with any failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildRandomModel, threadBodies } from './random-models.js';
import { buildLockGraph } from '../../checker/engines/lockgraph/index.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import { compileProperties } from '../../checker/semantics/properties.js';
import { exploreExplicit } from '../../checker/engines/explicit/index.js';
import { runBmcIsolated, shutdownSolver } from '../../checker/engines/bmc/index.js';
import { confirmViolation } from '../../checker/replay.js';
import { getRule } from '../../rules/index.js';
import { SAFETY_NET_MS, Z3_BUDGET } from '../budgets.js';
import type { PropertyResult } from '../../checker/engines/types.js';

const RUNS = Number(process.env.LOCKMC_DIFF_RUNS ?? 500);
const SEED = Number(process.env.LOCKMC_DIFF_SEED ?? 9_010);
let undecided = 0;
/** The largest Z3 query over the run (rlimit counts), printed with LOCKMC_DIFF_DEBUG: what Z3_RLIMIT is sized from. */
let rlimitMax = 0;
/**
 * Rules whose properties random models reach, one of every property
 * kind: deadlock; terminal (fence-finite, ww-context-lifecycle); step
 * (fence-signalling-no-reclaim, fence-signalling-no-resv,
 * ww-context-lifecycle); state, through monitors (fence-publish-after-alloc).
 */
const RULES = ['deadlock', 'fence-finite', 'fence-signalling-no-reclaim', 'fence-signalling-no-resv', 'ww-context-lifecycle', 'fence-publish-after-alloc'].map((id) => {
  const r = getRule(id);
  if (!r) throw new Error(`rule ${id} missing`);
  return r;
});

function verdict(r: PropertyResult): string {
  return r.status === 'holds' ? (r.exhaustive ? 'holds' : `holds<=${r.bound}`) : r.status;
}

describe('explicit and BMC engines agree', () => {
  afterAll(async () => {
    await shutdownSolver();
  });
  it(`on ${RUNS} random models`, async () => {
    await fc.assert(
      fc.asyncProperty(threadBodies, async (bodies) => {
        const model = buildRandomModel(bodies);
        const graph = buildLockGraph(model, { kernel: 'v7.0' });
        const ts = compileSystem(model, DEFAULT_SEMANTIC_OPTIONS, (ctx) => compileProperties(ctx, RULES, graph, {}, 'v7.0'));
        const por = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512, reduction: 'por' });
        const full = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512, reduction: 'none' });
        const bmc = process.env.LOCKMC_DIFF_NO_BMC ? full : await runBmcIsolated(ts, { ...Z3_BUDGET, mode: 'prove', minimise: false });
        rlimitMax = Math.max(rlimitMax, bmc.stats.rlimitMax ?? 0);
        const lim = bmc.results.find((r) => r.status === 'inconclusive');
        if (lim) {
          undecided++;
          if (process.env.LOCKMC_DIFF_DEBUG) console.log(JSON.stringify(lim), ts.completenessBound);
          // The undecided systems, for bench/ and for tuning the Z3 engine.
          if (process.env.LOCKMC_DIFF_DUMP) writeFileSync(join(process.env.LOCKMC_DIFF_DUMP, `undecided-${undecided}.json`), JSON.stringify(ts));
        }
        expect(lim, 'BMC left a model undecided').toBeUndefined();
        ts.properties.forEach((p, i) => {
          const v = [full, por, bmc].map((e) => verdict(e.results[i]));
          expect(v, `${p.rule}/${p.check}: full, por, bmc`).toEqual([v[0], v[0], v[0]]);
          for (const e of [full, por, bmc]) {
            const r = e.results[i];
            if (r.status === 'violated') expect(confirmViolation(ts, r.schedule, i).ok, `${e.engine} schedule for ${p.rule} replays`).toBe(true);
          }
        });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    if (process.env.LOCKMC_DIFF_DEBUG) console.log(`largest Z3 query: ${rlimitMax} rlimit counts over ${RUNS} models`);
    expect(undecided, `BMC undecided on ${undecided} of ${RUNS} models`).toBe(0);
  }, 4 * 3_600_000);
});
