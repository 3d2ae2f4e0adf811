/**
 * `--jobs N`: the models of a run checked by worker threads give the
 * report `--jobs 1` gives, apart from timings; `onModel` sees the models
 * in input order; a worker that dies makes its model an internal error
 * (LMC903) and the rest still run; an interrupt reaches every worker and
 * its BMC child, and the report keeps the models before the cut.
 * Workers run the build (dist/), like the BMC child: built first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, DEFAULT_CHECK_OPTIONS, type CheckOptions, type ModelReport, type Progress, type Report } from '../../checker/index.js';
import { runPool, workerScript } from '../../checker/parallel/pool.js';
import { checkInWorkers } from '../../checker/parallel/run-models.js';
import { resolveRules } from '../../checker/index.js';
import { fileURLToPath } from 'node:url';
import { internalErrorReport } from '../../checker/check-one.js';
import { CHECK_BUDGET } from '../budgets.js';
import { ensureBuilt } from '../cli/built-cli.js';

beforeAll(ensureBuilt, 600_000);

/** Durations are measurements, not content. */
function withoutTimings(r: Report): string {
  return JSON.stringify(r, null, 2).replace(/"ms": \d+(\.\d+)?/g, '"ms": 0');
}

const FIXTURES = [
  'fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts',
  'fixtures/errors/LMC201-unknown-identifier.model.ts',
  'fixtures/rules/fence-finite/holds-job-always-signalled.model.ts',
  'fixtures/rules/deadlock/holds-ww-wait-die-backoff.model.ts',
  'fixtures/rules/fence-finite/violates-future-fence.model.ts',
];

const OPTIONS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET };

describe('--jobs 2 against --jobs 1', () => {
  it('the compiled worker is there', () => expect(workerScript()).toMatch(/dist\/checker\/parallel\/worker\.js$/));

  it.each(['auto', 'bmc'] as const)('engine %s: the same report apart from timings, onModel in input order', async (engine) => {
    const seen: Record<number, string[]> = { 1: [], 2: [] };
    const progress: Progress[] = [];
    const reports: Record<number, Report> = {};
    for (const jobs of [1, 2]) {
      reports[jobs] = await check(
        FIXTURES.map((file) => ({ file })),
        { ...OPTIONS, engine, jobs },
        jobs === 2 ? (p) => progress.push(p) : undefined,
        { onModel: (m: ModelReport) => seen[jobs].push(m.file) },
      );
    }
    // Progress stays sane: models done never go back, the current model is one of the run's, the last line says all done.
    expect(progress.map((p) => p.modelsDone)).toEqual([...progress.map((p) => p.modelsDone)].sort((a, b) => a - b));
    for (const p of progress) expect(p.current === undefined || FIXTURES.includes(p.current)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ modelsDone: 5, modelsTotal: 5 });
    expect(seen[1]).toEqual(FIXTURES);
    expect(seen[2]).toEqual(FIXTURES);
    expect(reports[2].options).not.toHaveProperty('jobs');
    // Every fixture gets its declared verdict (the error fixture its LMC201): a real report, not an empty one.
    expect(reports[1].models.map((m) => m.expectation?.met)).toEqual([true, true, true, true, true]);
    expect(withoutTimings(reports[2])).toBe(withoutTimings(reports[1]));
  }, 600_000);

  it('models given as text are checked from the text', async () => {
    const inputs = FIXTURES.slice(0, 3).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const [one, two] = await Promise.all([check(inputs, { ...OPTIONS, jobs: 1 }), check(inputs, { ...OPTIONS, jobs: 3 })]);
    expect(withoutTimings(two)).toBe(withoutTimings(one));
  }, 600_000);
});

describe('a worker that dies', () => {
  it('makes its model an internal error (LMC903); a fresh worker takes the rest; input order kept', async () => {
    const inputs = ['a', 'crash', 'b', 'c', 'crash-too', 'd'].map((f) => ({ file: `${f}.model.ts` }));
    const got: [number, ModelReport][] = [];
    await runPool({
      inputs,
      options: OPTIONS,
      jobs: 2,
      script: new URL('./stand-in-worker.mjs', import.meta.url),
      onDone: (i, m) => got.push([i, m]),
      crashed: (i, message) => internalErrorReport(inputs[i].file, 'LMC903', message, OPTIONS, { hash: 'h' }, 0),
    });
    const byIndex = got.sort((a, b) => a[0] - b[0]);
    expect(byIndex.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(byIndex.map(([, m]) => m.diagnostics.map((d) => `${d.code} ${d.message}`))).toEqual([
      [],
      ['LMC903 model worker died while checking this model (exit code 3)'],
      [],
      [],
      ['LMC903 model worker died while checking this model (exit code 3)'],
      [],
    ]);
  });
});

describe('a worker that does not answer an interrupt', () => {
  it('is ended after the grace period; its model is marked interrupted, nothing after it is kept', async () => {
    const inputs = ['a', 'hang', 'b'].map((f) => ({ file: `${f}.model.ts` }));
    const ac = new AbortController();
    const rules = resolveRules(OPTIONS);
    const delivered: string[] = [];
    const ran = await checkInWorkers(inputs, OPTIONS, rules, {
      jobs: 2,
      script: fileURLToPath(new URL('./stand-in-worker.mjs', import.meta.url)),
      t0: 0,
      control: {
        signal: ac.signal,
        onModel: (m) => {
          delivered.push(m.file);
          // The first model is in: the second is in the hanging worker's hands.
          ac.abort('SIGTERM');
        },
      },
    });
    expect(ran.interrupted).toEqual({ signal: 'SIGTERM', model: 'hang.model.ts' });
    expect(ran.models.map((m) => m.file)).toEqual(['a.model.ts', 'hang.model.ts']);
    expect(delivered).toEqual(['a.model.ts', 'hang.model.ts']);
    const cut = ran.models[1].verdicts;
    expect(cut.length).toBe(rules.rules.length);
    expect(cut.every((v) => v.status === 'inconclusive' && v.limit.kind === 'interrupted' && v.limit.signal === 'SIGTERM')).toBe(true);
  });
});

/** A ring of 12 mutexes over 12 threads: far beyond what the Z3 engine decides quickly. */
function ringModel(n = 12): string {
  const lines = ["import type {} from 'lockmc/kernel';", ''];
  for (let i = 0; i < n; i++) lines.push(`const m${i} = mutex();`);
  for (let t = 0; t < n; t++) {
    const [a, b] = [t, (t + 1) % n];
    lines.push('', `export function ioctl_${t}() {`, `  mutex_lock(m${a});`, '  const p = kzalloc(GFP_KERNEL);', `  mutex_lock(m${b});`, `  mutex_unlock(m${b});`, `  mutex_unlock(m${a});`, '}');
  }
  return lines.join('\n') + '\n';
}

/** Live BMC children of this process (the workers' Z3 processes). */
function bmcChildren(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== process.pid || state === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('bmc/worker.js')) out.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!readdirSync('/proc').includes('self'))('an interrupt with --jobs 2', () => {
  it('reaches both workers and their BMC children; the report keeps the models before the cut, exit 130', async () => {
    // An idle BMC child an earlier in-process test kept for its next job is no worker's: count only children born in this run.
    const before = new Set(bmcChildren());
    const inputs = ['ring-a.model.ts', 'ring-b.model.ts', 'ring-c.model.ts'].map((file) => ({ file, text: ringModel() }));
    const ac = new AbortController();
    const delivered: string[] = [];
    const run = check(inputs, { ...OPTIONS, engine: 'bmc', jobs: 2 }, undefined, { signal: ac.signal, onModel: (m) => delivered.push(m.file) });
    // The observable event: both workers are inside Z3. Then the signal.
    let children: number[] = [];
    for (let i = 0; i < 6000 && children.length < 2; i++) {
      await sleep(100);
      children = bmcChildren().filter((pid) => !before.has(pid));
    }
    expect(children).toHaveLength(2);
    ac.abort('SIGINT');
    const report = await run;
    expect(report.interrupted).toEqual({ signal: 'SIGINT', model: 'ring-a.model.ts' });
    expect(report.exitCode).toBe(130);
    // ring-b was cut too, ring-c never started: the report ends at the first cut model, as with --jobs 1.
    expect(report.models.map((m) => m.file)).toEqual(['ring-a.model.ts']);
    expect(delivered).toEqual(['ring-a.model.ts']);
    const limits = new Set(report.models[0].verdicts.flatMap((v) => (v.status === 'inconclusive' ? [`${v.limit.kind}`] : [])));
    expect([...limits]).toEqual(['interrupted']);
    await sleep(1500);
    expect(children.filter((pid) => bmcChildren().includes(pid))).toEqual([]);
  }, 600_000);
});
