import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNativeZ3, nativeFixpoint, parseAnswer } from '../../../../checker/engines/bmc/native.js';
import { reachability } from '../../../../checker/engines/bmc/fixpoint.js';
import { fixpointText } from '../../../../checker/engines/bmc/smt2.js';
import { freshContext, shutdownSolver, withSolver } from '../../../../checker/engines/bmc/solver.js';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { familySystem } from '../../../../bench/families/index.js';
import { ordered, ring } from '../../../../bench/bmc-systems.js';
import { check } from '../../../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../../../checker/options.js';
import { resolveCheckOptions, UsageError } from '../../../../cli/shared.js';
import { defaultCliOptions } from '../../../../cli/args.js';
import type { TransitionSystem } from '../../../../checker/semantics/system.js';
import { CHECK_BUDGET, Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  await shutdownSolver();
});

const Z3 = findNativeZ3();
if (!Z3) console.warn('native.test.ts: no z3 binary on PATH (apt-get install z3): the native-vs-WASM agreement tests are skipped');

const NO_RLIMIT = { timeoutMs: 1000 };

describe('native z3 answers', () => {
  it('reads unsat, derived goal rows, `true` and unknowns', () => {
    expect(parseAnswer('unsat\n', 3, NO_RLIMIT)).toEqual({ kind: 'answered', reachable: [false, false, false] });
    expect(parseAnswer('sat\n(= (:var 0) #b0)\n', 1, NO_RLIMIT)).toEqual({ kind: 'answered', reachable: [true] });
    expect(parseAnswer('sat\n(or (= (:var 0) #b10) (= (:var 0) #b00))\n', 3, NO_RLIMIT)).toEqual({ kind: 'answered', reachable: [true, false, true] });
    expect(parseAnswer('sat\ntrue\n', 2, NO_RLIMIT)).toEqual({ kind: 'answered', reachable: [true, true] });
    expect(parseAnswer('timeout\n', 1, NO_RLIMIT)).toEqual({ kind: 'inconclusive', limit: { kind: 'timeout', ms: 1000 } });
    expect(parseAnswer('(error "query failed: max. resource limit exceeded")\nunknown\n', 1, { timeoutMs: 1000, rlimit: 77 })).toEqual({
      kind: 'inconclusive',
      limit: { kind: 'z3-unknown', reason: 'resource limit 77 reached' },
    });
  });

  it('never takes an answer it cannot read for a verdict', () => {
    expect(parseAnswer('(error "line 3 column 1: unknown sort")\n', 1, NO_RLIMIT)).toEqual({
      kind: 'inconclusive',
      limit: { kind: 'solver-failure', detail: 'native z3: (error "line 3 column 1: unknown sort")' },
    });
    expect(parseAnswer('sat\n(bvule (:var 0) #b1)\n', 1, NO_RLIMIT)).toEqual({
      kind: 'inconclusive',
      limit: { kind: 'solver-failure', detail: 'native z3: unexpected answer (bvule (:var 0) #b1)' },
    });
    expect(parseAnswer('sat\n(or (= (:var 0) #b00)\n    (bvuge (:var 0) #b10))\n', 4, NO_RLIMIT)).toEqual({
      kind: 'inconclusive',
      limit: { kind: 'solver-failure', detail: 'native z3: unexpected answer (or (= (:var 0) #b00)\n    (bvuge (:var 0) #b10))' },
    });
    expect(parseAnswer('', 1, NO_RLIMIT)).toEqual({ kind: 'inconclusive', limit: { kind: 'solver-failure', detail: 'native z3: no answer' } });
  });

  it('finds an executable z3 on the given PATH only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-z3-'));
    expect(findNativeZ3(dir)).toBeUndefined();
    writeFileSync(join(dir, 'z3'), '#!/bin/sh\n');
    expect(findNativeZ3(dir)).toBeUndefined(); // not executable
    chmodSync(join(dir, 'z3'), 0o755);
    expect(findNativeZ3(`/nonexistent:${dir}`)).toBe(join(dir, 'z3'));
  });

  it('runBmc asks the binary on PATH for the fixed point when told to', async () => {
    // A stand-in z3 that proves everything: ring(2) deadlocks, so only a
    // run that consulted it can call its goal proved without a search.
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-z3-'));
    writeFileSync(join(dir, 'z3'), '#!/bin/sh\ncat >/dev/null\necho unsat\n');
    chmodSync(join(dir, 'z3'), 0o755);
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      expect((await runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove', z3: 'native' })).results).toEqual([{ status: 'holds', exhaustive: true }]);
    } finally {
      process.env.PATH = saved;
    }
    expect((await runBmc(ring(2), { ...Z3_BUDGET, mode: 'prove' })).results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
  });

  it('--z3 native without a z3 on PATH is a usage error, not a silent fallback', () => {
    const cli = { ...defaultCliOptions(), z3: 'native' as const };
    expect(() => resolveCheckOptions(cli, process.cwd(), { PATH: '/nonexistent' })).toThrow(UsageError);
    expect(() => resolveCheckOptions(cli, process.cwd(), { PATH: '/nonexistent' })).toThrow('--z3 native: no z3 binary on PATH (install one, e.g. apt-get install z3, or use --z3 wasm)');
    expect(resolveCheckOptions({ ...cli, z3: 'wasm' }, process.cwd(), { PATH: '/nonexistent' }).options.z3).toBe('wasm');
  });
});

async function wasmReach(ts: TransitionSystem) {
  const out = await withSolver(async () => reachability(await freshContext(), ts, { goals: ts.properties.map((_, i) => i), ...Z3_BUDGET }));
  if (out.kind !== 'done') throw new Error(`solver failed: ${JSON.stringify(out.limit)}`);
  return out.value;
}

describe.skipIf(!Z3)('native z3 agrees with the WASM build', () => {
  it('on the fixed point of small family members', async () => {
    const systems = [ring(2), ring(3), ordered(3), familySystem('reclaim-fix', 1), familySystem('reclaim-bug', 1)];
    const expected = [[true], [true], [false], [false], [true]];
    for (const [i, ts] of systems.entries()) {
      const text = await fixpointText(ts);
      const native = await nativeFixpoint(Z3!, text, ts.properties.length, Z3_BUDGET);
      expect(native).toEqual({ kind: 'answered', reachable: expected[i] });
      expect(await wasmReach(ts)).toEqual(native);
    }
  });

  it('stops at its resource limit and says so', async () => {
    const ts = familySystem('reclaim-fix', 2);
    expect(await nativeFixpoint(Z3!, await fixpointText(ts), 1, { timeoutMs: Z3_BUDGET.timeoutMs, rlimit: 20_000 })).toEqual({
      kind: 'inconclusive',
      limit: { kind: 'z3-unknown', reason: 'resource limit 20000 reached' },
    });
  });

  it('gives runBmc the same verdicts and schedules', async () => {
    for (const ts of [ring(3), ordered(3), familySystem('reclaim-bug', 1)]) {
      const wasm = await runBmc(ts, { ...Z3_BUDGET, mode: 'prove' });
      const native = await runBmc(ts, { ...Z3_BUDGET, mode: 'prove', z3: 'native' });
      expect(native.results).toEqual(wasm.results);
    }
  });

  it('gives check() the same verdicts on fixtures of both kinds', async () => {
    const files = [
      'fixtures/rules/deadlock/holds-ww-wait-die-backoff.model.ts',
      'fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts',
      'fixtures/rules/deadlock/violates-munmap-notifier-vs-copy.model.ts',
      'fixtures/rules/deadlock/holds-spin-lock-bh-against-timer.model.ts',
    ];
    const verdicts = async (z3: 'wasm' | 'native') => {
      const report = await check(
        files.map((file) => ({ file })),
        { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'bmc', rules: { preset: 'all' }, z3 },
      );
      return report.models.map((m) => m.verdicts.map((v) => ({ rule: v.rule, status: v.status })));
    };
    const native = await verdicts('native');
    expect(native.flat().some((v) => v.status === 'violated')).toBe(true);
    expect(native.flat().some((v) => v.status === 'proved')).toBe(true);
    expect(native).toEqual(await verdicts('wasm'));
  });
});
