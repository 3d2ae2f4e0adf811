/**
 * One wall-clock budget per model, honoured by every phase and engine;
 * `--engine both` honesty; interrupts inside the checker.
 *
 * No verdict here depends on the machine's speed: the budget runs on an
 * injected clock that the test moves between phases (through thin
 * wrappers around the phase functions), limits are state counts, and an
 * interrupt is an AbortSignal the test aborts at a chosen point.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, resolveRules } from '../../checker/index.js';
import { checkModel } from '../../checker/check-model.js';
import { modelExitCode } from '../../checker/exit-codes.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../../checker/options.js';
import type { EngineResult } from '../../checker/engines/types.js';
import type { TransitionSystem } from '../../checker/semantics/system.js';
import type { BmcOptions } from '../../checker/engines/bmc/run-bmc.js';
import type { ExplicitOptions } from '../../checker/engines/explicit/index.js';
import type { ModelReport, Verdict } from '../../checker/report.js';
import { BudgetExceeded, budgetStop, checkBudget, makeBudget, remainingMs } from '../../model/budget.js';
import { bmcChildren, killBmcChildren, runBmcIsolated } from '../../checker/engines/bmc/isolated.js';
import { stateExplosive } from '../../bench/overshoot.js';

/** Per-test hooks into the phases (reset after each test). */
const hooks = vi.hoisted(() => ({
  afterLockGraph: undefined as undefined | (() => void),
  afterCompile: undefined as undefined | (() => void),
  beforeExplicit: undefined as undefined | (() => void),
  explicitStub: undefined as undefined | ((ts: TransitionSystem) => EngineResult),
  explicitCalls: [] as number[],
  bmcStub: undefined as undefined | ((ts: TransitionSystem, o: BmcOptions) => EngineResult),
  bmcStarted: undefined as undefined | (() => void),
  bmcCalls: [] as number[],
}));

vi.mock('../../checker/engines/lockgraph/index.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../checker/engines/lockgraph/index.js')>();
  return {
    ...m,
    buildLockGraph: (...a: Parameters<typeof m.buildLockGraph>) => {
      const g = m.buildLockGraph(...a);
      hooks.afterLockGraph?.();
      return g;
    },
  };
});
vi.mock('../../checker/semantics/compile.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../checker/semantics/compile.js')>();
  return {
    ...m,
    compileSystem: (...a: Parameters<typeof m.compileSystem>) => {
      const ts = m.compileSystem(...a);
      hooks.afterCompile?.();
      return ts;
    },
  };
});
vi.mock('../../checker/engines/explicit/index.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../checker/engines/explicit/index.js')>();
  return {
    ...m,
    exploreExplicit: async (ts: TransitionSystem, o: ExplicitOptions) => {
      hooks.explicitCalls.push(o.timeoutMs);
      hooks.beforeExplicit?.();
      return hooks.explicitStub ? hooks.explicitStub(ts) : m.exploreExplicit(ts, o);
    },
  };
});
vi.mock('../../checker/engines/bmc/isolated.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../checker/engines/bmc/isolated.js')>();
  return {
    ...m,
    runBmcIsolated: (ts: TransitionSystem, o: BmcOptions, signal?: AbortSignal) => {
      hooks.bmcCalls.push(o.timeoutMs);
      if (hooks.bmcStub) return Promise.resolve(hooks.bmcStub(ts, o));
      const job = m.runBmcIsolated(ts, o, signal);
      hooks.bmcStarted?.();
      return job;
    },
  };
});

afterEach(() => {
  hooks.afterLockGraph = hooks.afterCompile = hooks.beforeExplicit = hooks.bmcStarted = undefined;
  hooks.explicitStub = hooks.bmcStub = undefined;
  hooks.explicitCalls = [];
  hooks.bmcCalls = [];
});

const ROOT = join(import.meta.dirname, '..', '..');
const BUILT_WORKER = existsSync(join(ROOT, 'dist', 'checker', 'engines', 'bmc', 'worker.js'));
const OPTS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, engine: 'auto', timeoutMs: 1000 };

/** Lockdep sees the cycle at once; the deadlock needs an interleaving engine. */
const ABBA = `/**
 * Two ioctls take a and b in opposite orders.
 */
const a = mutex();
const b = mutex();
export function one() { mutex_lock(a); mutex_lock(b); mutex_unlock(b); mutex_unlock(a); }
export function two() { mutex_lock(b); mutex_lock(a); mutex_unlock(a); mutex_unlock(b); }
`;
const ORDERED = `const a = mutex();
const b = mutex();
export function one() { mutex_lock(a); mutex_lock(b); mutex_unlock(b); mutex_unlock(a); }
export function two() { mutex_lock(a); mutex_lock(b); mutex_unlock(b); mutex_unlock(a); }
`;

/** A budget of `ms` on a clock the test moves. */
function fakeClock() {
  const clock = { t: 0 };
  return { clock, budget: (ms: number, signal?: AbortSignal) => makeBudget(ms, signal, 0, () => clock.t) };
}

function byRule(m: ModelReport, rule: string): Verdict {
  const v = m.verdicts.find((x) => x.rule === rule);
  if (!v) throw new Error(`no verdict for ${rule}`);
  return v;
}

/** The limits of the verdicts that are not decided, deduplicated. */
function limitsOf(m: ModelReport): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of m.verdicts) if (v.status === 'inconclusive') seen.set(JSON.stringify(v.limit), v.limit);
  return [...seen.values()];
}

describe('model/budget.ts', () => {
  it('reads its deadline on the injected clock and names the phase it ran out in', () => {
    const { clock, budget } = fakeClock();
    const b = budget(1000);
    clock.t = 400;
    expect(remainingMs(b)).toBe(600);
    expect(budgetStop(b, 'compile')).toBeUndefined();
    clock.t = 1000;
    expect(remainingMs(b)).toBe(0);
    expect(budgetStop(b, 'compile')).toEqual({ kind: 'timeout', ms: 1000, phase: 'compile' });
    expect(() => checkBudget(b, 'bmc')).toThrow(new BudgetExceeded({ kind: 'timeout', ms: 1000, phase: 'bmc' }));
  });

  it('an aborted signal wins over the clock and names the signal', () => {
    const { budget } = fakeClock();
    const ctrl = new AbortController();
    const b = budget(1000, ctrl.signal);
    expect(budgetStop(b, 'explicit')).toBeUndefined();
    ctrl.abort('SIGTERM');
    expect(budgetStop(b, 'explicit')).toEqual({ kind: 'interrupted', signal: 'SIGTERM', phase: 'explicit' });
  });
});

describe('one budget per model, every phase', () => {
  const rules = resolveRules(OPTS);

  it('a budget spent before the front end leaves every verdict inconclusive, naming the front end', async () => {
    const { clock, budget } = fakeClock();
    clock.t = 5000;
    const { report } = await checkModel('abba.model.ts', ABBA, OPTS, rules, budget(1000));
    expect(report.verdicts.length).toBeGreaterThan(0);
    expect(report.verdicts.every((v) => v.status === 'inconclusive' || v.status === 'skipped')).toBe(true);
    expect(limitsOf(report)).toEqual([{ kind: 'timeout', ms: 1000, phase: 'front end' }]);
    expect(report.diagnostics).toEqual([]);
    expect(modelExitCode(report)).toBe(7);
  });

  it.each([
    ['lock graph', 'afterLockGraph'],
    ['compile', 'afterCompile'],
  ] as const)('a budget that runs out in the %s phase is named in the verdicts', async (phase, hook) => {
    const { clock, budget } = fakeClock();
    hooks[hook] = () => void (clock.t = 1000);
    const { report } = await checkModel('abba.model.ts', ABBA, OPTS, rules, budget(1000));
    expect(limitsOf(report)).toEqual([{ kind: 'timeout', ms: 1000, phase }]);
    expect(hooks.explicitCalls).toEqual([]);
    expect(hooks.bmcCalls).toEqual([]);
  });

  it('out of time in the explicit search: lock-graph verdicts are kept, BMC is not started, the rest names the engine', async () => {
    const { clock, budget } = fakeClock();
    hooks.beforeExplicit = () => void (clock.t = 1000);
    const { report } = await checkModel('abba.model.ts', ABBA, OPTS, rules, budget(1000));
    expect(byRule(report, 'lockdep-circular-dependency')).toMatchObject({ status: 'violated', engine: 'lockgraph' });
    expect(byRule(report, 'deadlock')).toEqual({ status: 'inconclusive', rule: 'deadlock', engine: 'explicit', limit: { kind: 'timeout', ms: 1000, phase: 'explicit' } });
    expect(hooks.bmcCalls).toEqual([]);
  });

  it('auto gives the explicit engine half of what is left and BMC the rest, never the whole limit again', async () => {
    const { clock, budget } = fakeClock();
    // The front end, lock graph and compilation take 200 of the 1000 ms.
    hooks.afterLockGraph = () => void (clock.t = 200);
    hooks.explicitStub = (ts) => {
      clock.t = 700;
      return { engine: 'explicit', results: ts.properties.map(() => ({ status: 'inconclusive', limit: { kind: 'states', max: 1 } })), stats: { ms: 500 } };
    };
    hooks.bmcStub = (ts, o) => ({ engine: 'bmc', results: ts.properties.map(() => ({ status: 'inconclusive', limit: { kind: 'timeout', ms: o.timeoutMs } })), stats: { ms: o.timeoutMs } });
    const { report } = await checkModel('ordered.model.ts', ORDERED, OPTS, rules, budget(1000));
    expect(hooks.explicitCalls).toEqual([400]);
    expect(hooks.bmcCalls).toEqual([300]);
    // BMC's time-out is reported as the user's limit, in the phase it ran out in.
    expect(byRule(report, 'deadlock')).toEqual({ status: 'inconclusive', rule: 'deadlock', engine: 'bmc', limit: { kind: 'timeout', ms: 1000, phase: 'bmc' } });
    expect(byRule(report, 'lockdep-circular-dependency').status).toBe('proved');
  });
});

describe('--engine both', () => {
  it.skipIf(!BUILT_WORKER)(
    'a property one engine could not decide was never compared: inconclusive, naming that engine and its limit, exit 7',
    async () => {
      const r = await check([{ file: 'abba.model.ts', text: ABBA }], { ...DEFAULT_CHECK_OPTIONS, engine: 'both', maxStates: 1 });
      const m = r.models[0];
      // Z3 finds the deadlock; the explicit search stopped at its state limit, so nothing was compared.
      expect(byRule(m, 'deadlock')).toEqual({ status: 'inconclusive', rule: 'deadlock', engine: 'explicit', limit: { kind: 'states', max: 1 } });
      expect(byRule(m, 'lockdep-circular-dependency').status).toBe('violated');
      expect(r.exitCode).toBe(7);
    },
    120_000,
  );
});

describe('interrupts', () => {
  const files = ['first.model.ts', 'second.model.ts', 'third.model.ts'];

  it('stops at the interrupted model, keeps the models before it, starts none after it, exit 130', async () => {
    const ctrl = new AbortController();
    const seen: string[] = [];
    const r = await check(
      files.map((file) => ({ file, text: ORDERED })),
      { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit' },
      (p) => {
        if (p.current === 'second.model.ts') ctrl.abort('SIGINT');
      },
      { signal: ctrl.signal, onModel: (m) => seen.push(m.file) },
    );
    expect(seen).toEqual(['first.model.ts', 'second.model.ts']);
    expect(r.models.map((m) => m.file)).toEqual(['first.model.ts', 'second.model.ts']);
    expect(r.models[0].verdicts.every((v) => v.status === 'proved' || v.status === 'not-applicable' || v.status === 'skipped')).toBe(true);
    expect(limitsOf(r.models[1])).toEqual([{ kind: 'interrupted', signal: 'SIGINT', phase: 'front end' }]);
    expect(r.interrupted).toEqual({ signal: 'SIGINT', model: 'second.model.ts' });
    expect(r.exitCode).toBe(130);
  });

  it('an interrupt between two models marks no model and starts no other', async () => {
    const ctrl = new AbortController();
    const r = await check(files.map((file) => ({ file, text: ORDERED })), { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit' }, undefined, {
      signal: ctrl.signal,
      onModel: () => ctrl.abort('SIGTERM'),
    });
    expect(r.models.map((m) => m.file)).toEqual(['first.model.ts']);
    expect(r.interrupted).toEqual({ signal: 'SIGTERM' });
    expect(r.exitCode).toBe(130);
  });

  it('reaches a running explicit search (it yields to the event loop)', async () => {
    const ctrl = new AbortController();
    // Aborted from a timer once the search has started: without the yields
    // the timer could not run before the search ends, at its memory limit
    // (the 10-minute limit is never reached).
    hooks.beforeExplicit = () => void setTimeout(() => ctrl.abort('SIGINT'), 100);
    const opts = { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit' as const, timeoutMs: 600_000, maxMemoryMb: 512 };
    const r = await check([{ file: 'explosive.model.ts', text: stateExplosive(12, 6) }], opts, undefined, {
      signal: ctrl.signal,
    });
    expect(limitsOf(r.models[0])).toEqual([{ kind: 'interrupted', signal: 'SIGINT', phase: 'explicit' }]);
    expect(r.interrupted).toEqual({ signal: 'SIGINT', model: 'explosive.model.ts' });
    expect(r.exitCode).toBe(130);
  });

  it.skipIf(!BUILT_WORKER)(
    'kills the BMC child at once and names the phase',
    async () => {
      const ctrl = new AbortController();
      let pids: number[] = [];
      hooks.bmcStarted = () =>
        void childSpawned().then((p) => {
          pids = p;
          ctrl.abort('SIGTERM');
        });
      const r = await check([{ file: 'explosive.model.ts', text: stateExplosive(12, 6) }], { ...DEFAULT_CHECK_OPTIONS, engine: 'bmc', timeoutMs: 600_000 }, undefined, {
        signal: ctrl.signal,
      });
      expect(pids.length).toBe(1);
      const nonGraph = r.models[0].verdicts.filter((v) => v.status === 'inconclusive');
      expect(nonGraph.length).toBeGreaterThan(0);
      expect(limitsOf(r.models[0])).toEqual([{ kind: 'interrupted', signal: 'SIGTERM', phase: 'bmc' }]);
      expect(r.interrupted).toEqual({ signal: 'SIGTERM', model: 'explosive.model.ts' });
      expect(r.exitCode).toBe(130);
      await gone(pids[0]);
    },
    120_000,
  );
});

const tick = () => new Promise((r) => setTimeout(r, 20));

/**
 * Resolves once `pid` has ended (no such process, or a zombie nobody has
 * reaped yet); the test's own time-out is the safety net.
 */
async function gone(pid: number): Promise<void> {
  for (;;) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return;
    }
    if (/^\d+ \(.*\) Z/.test(stat)) return;
    await tick();
  }
}

/** The BMC children once one exists (jobs start from a queue, a tick later). */
async function childSpawned(): Promise<number[]> {
  for (;;) {
    const pids = bmcChildren();
    if (pids.length) return pids;
    await tick();
  }
}

describe('BMC children', () => {
  it.skipIf(!BUILT_WORKER)(
    'killBmcChildren ends a running job\'s child, which answers instead of hanging',
    async () => {
      const rules = resolveRules(DEFAULT_CHECK_OPTIONS);
      // Any compiled system will do: borrow one through a stubbed engine.
      let ts: TransitionSystem | undefined;
      hooks.explicitStub = (sys) => {
        ts = sys;
        return { engine: 'explicit', results: sys.properties.map(() => ({ status: 'holds', exhaustive: true })), stats: { ms: 0 } };
      };
      await checkModel('explosive.model.ts', stateExplosive(12, 6), { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit' }, rules);
      const job = runBmcIsolated(ts!, { timeoutMs: 600_000, mode: 'prove' });
      const pids = await childSpawned();
      expect(pids.length).toBe(1);
      killBmcChildren();
      const r = await job;
      expect(r.results.every((x) => x.status === 'inconclusive')).toBe(true);
      await gone(pids[0]);
      expect(bmcChildren()).toEqual([]);
    },
    120_000,
  );

  it.skipIf(!BUILT_WORKER)(
    'a worker ends when its parent is killed',
    async () => {
      const worker = join(ROOT, 'dist', 'checker', 'engines', 'bmc', 'worker.js');
      // A parent that forks a worker, reports its pid and then waits forever.
      const code = `import { fork } from 'node:child_process';
        const c = fork(${JSON.stringify(worker)}, [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
        process.send(c.pid);
        setInterval(() => {}, 1000);`;
      const parent = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      const pid = await new Promise<number>((resolve) => parent.once('message', (m) => resolve(m as number)));
      parent.kill('SIGKILL');
      await gone(pid);
    },
    60_000,
  );
});
