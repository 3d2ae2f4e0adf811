import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import {
  check,
  checkRunningForTest,
  crashRunningWorkerForTest,
  injectSolverFaults,
  shutdownSolver,
  withSolver,
  z3Version,
  type Z3Ctx,
} from '../../../../checker/engines/bmc/solver.js';
import { runBmc } from '../../../../checker/engines/bmc/run-bmc.js';
import { ring } from '../../../../bench/bmc-systems.js';
import { Z3_BUDGET } from '../../../budgets.js';

afterAll(async () => {
  injectSolverFaults(0);
  await shutdownSolver();
});

/**
 * Waits until the check just started runs on a worker thread: a fixed
 * sleep is too short on a busy machine, and the crash would then hit nothing.
 */
async function untilCheckRuns(): Promise<void> {
  await new Promise((r) => setTimeout(r, 300));
  while (!(await checkRunningForTest())) await new Promise((r) => setTimeout(r, 20));
}

/** Factoring a 60-bit semiprime: far beyond a few hundred ms. */
function hardSolver(ctx: Z3Ctx) {
  const s = new ctx.Solver('QF_BV');
  const x = ctx.BitVec.const('x', 64);
  const y = ctx.BitVec.const('y', 64);
  s.add(
    x.mul(y).eq(ctx.BitVec.val(1000000007n * 998244353n, 64)),
    x.ugt(ctx.BitVec.val(1, 64)),
    y.ugt(ctx.BitVec.val(1, 64)),
    x.ult(ctx.BitVec.val(1n << 32n, 64)),
    y.ult(ctx.BitVec.val(1n << 32n, 64)),
  );
  return s;
}

describe('solver port', () => {
  it('reports the Z3 version of the WASM build', async () => {
    expect(await z3Version()).toMatch(/^Z3 \d+\.\d+\.\d+/);
  });

  it('maps a Z3 time-out to an inconclusive timeout limit', async () => {
    const out = await withSolver(async (ctx) => check(ctx, hardSolver(ctx), 200));
    expect(out).toEqual({ kind: 'done', value: { kind: 'inconclusive', limit: { kind: 'timeout', ms: 200 } } });
  });

  it.each([1000, 100_000])('maps a spent resource limit (%i) to an inconclusive limit naming it, whatever the wall clock', async (rlimit) => {
    // Z3 says "max. resource limit exceeded" for the small limit and
    // "canceled" for the larger one (a tactic notices first): both are the
    // resource limit, not a time-out, as the wall-clock budget is ten minutes.
    const out = await withSolver(async (ctx) => check(ctx, hardSolver(ctx), { ms: 600_000, rlimit }));
    expect(out).toEqual({ kind: 'done', value: { kind: 'inconclusive', limit: { kind: 'z3-unknown', reason: `resource limit ${rlimit} reached` } } });
  });

  it('a resource limit above what the query needs changes nothing', async () => {
    const out = await withSolver(async (ctx) => {
      const s = new ctx.Solver('QF_BV');
      const x = ctx.BitVec.const('x', 8);
      s.add(x.mul(x).eq(ctx.BitVec.val(49, 8)));
      return (await check(ctx, s, { ms: 600_000, rlimit: 10_000_000 })).kind;
    });
    expect(out).toEqual({ kind: 'done', value: 'sat' });
  });

  it('sat and unsat are decided', async () => {
    const out = await withSolver(async (ctx) => {
      const s = new ctx.Solver();
      const b = ctx.Bool.const('b');
      s.add(b);
      const r1 = (await check(ctx, s, Z3_BUDGET.timeoutMs)).kind;
      s.add(ctx.Not(b));
      const r2 = (await check(ctx, s, Z3_BUDGET.timeoutMs)).kind;
      return [r1, r2];
    });
    expect(out).toEqual({ kind: 'done', value: ['sat', 'unsat'] });
  });

  it('retries a failed job once on a fresh module', async () => {
    injectSolverFaults(1);
    const r = await runBmc(ring(2), { ...Z3_BUDGET, mode: 'shortest' });
    expect(r.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
  });

  it('reports a second failure as an inconclusive solver-failure, never throws', async () => {
    injectSolverFaults(2);
    const r = await runBmc(ring(2), { ...Z3_BUDGET, mode: 'shortest' });
    expect(r.results).toEqual([
      { status: 'inconclusive', limit: { kind: 'solver-failure', detail: 'RuntimeError: injected fault: unreachable executed' } },
    ]);
    // And the port works again afterwards.
    const again = await runBmc(ring(2), { ...Z3_BUDGET, mode: 'shortest' });
    expect(again.results).toEqual([{ status: 'violated', schedule: [0, 4] }]);
  });

  it('survives a crash of the worker thread running a check', async () => {
    let attempts = 0;
    const out = await withSolver(async (ctx) => {
      attempts++;
      if (attempts === 1) {
        const pending = check(ctx, hardSolver(ctx), 20_000);
        await untilCheckRuns();
        expect(await crashRunningWorkerForTest()).toBe(true);
        return (await pending).kind;
      }
      const s = new ctx.Solver();
      s.add(ctx.Bool.const('after-crash'));
      return (await check(ctx, s, Z3_BUDGET.timeoutMs)).kind;
    });
    expect(attempts).toBe(2);
    expect(out).toEqual({ kind: 'done', value: 'sat' });
  });

  it("treats Z3's runtime 'unwind' escaping to the main thread as a crash of the check", async () => {
    let attempts = 0;
    const out = await withSolver(async (ctx) => {
      attempts++;
      if (attempts === 1) {
        const pending = check(ctx, hardSolver(ctx), 20_000);
        await untilCheckRuns();
        process.emit('uncaughtException', 'unwind' as unknown as Error);
        return (await pending).kind;
      }
      const s = new ctx.Solver();
      s.add(ctx.Bool.const('after-unwind'));
      return (await check(ctx, s, Z3_BUDGET.timeoutMs)).kind;
    });
    expect(attempts).toBe(2);
    expect(out).toEqual({ kind: 'done', value: 'sat' });
  });

  it('a crash on both attempts is a solver-failure naming the crash', async () => {
    const out = await withSolver(async (ctx) => {
      const pending = check(ctx, hardSolver(ctx), 20_000);
      await untilCheckRuns();
      await crashRunningWorkerForTest();
      return (await pending).kind;
    });
    expect(out).toEqual({
      kind: 'failed',
      limit: { kind: 'solver-failure', detail: 'SolverFailure: Z3 worker crashed: memory access out of bounds (simulated)' },
    });
  });

  it('lets a script exit after use', () => {
    // Run the port in a separate Node process (transpiled on the fly) and
    // require it to exit by itself: killed, it would have hung (the kill is
    // far off so that a busy machine is not mistaken for a hang).
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-bmc-'));
    try {
      const src = readFileSync(new URL('../../../../checker/engines/bmc/solver.ts', import.meta.url), 'utf8');
      const z3 = pathToFileURL(createRequire(import.meta.url).resolve('z3-solver')).href;
      const js = ts
        .transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } })
        .outputText.replace(/(from |import\()'z3-solver'/g, `$1'${z3}'`);
      writeFileSync(join(dir, 'solver.mjs'), js);
      writeFileSync(
        join(dir, 'main.mjs'),
        [
          "import { withSolver, check, shutdownSolver, z3Version } from './solver.mjs';",
          'const out = await withSolver(async (ctx) => { const s = new ctx.Solver(); s.add(ctx.Bool.const("p")); return (await check(ctx, s, 600000)).kind; });',
          'console.log(JSON.stringify(out), await z3Version());',
          'await shutdownSolver();',
        ].join('\n'),
      );
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [join(dir, 'main.mjs')], { encoding: 'utf8', timeout: 300_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\{"kind":"done","value":"sat"\} Z3 /);
      expect(Date.now() - t0).toBeLessThan(300_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
