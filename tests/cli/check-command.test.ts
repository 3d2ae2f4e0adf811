import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOptions, Progress } from '../../checker/options.js';
import type { ModelReport, Report } from '../../checker/report.js';
import { defaultCliOptions, type CliOptions } from '../../cli/args.js';
import type { CheckerApi } from '../../cli/commands/check.js';
import { runCheck } from '../../cli/commands/check.js';
import { collectModels } from '../../cli/files.js';
import { formatProgress, progressLine } from '../../cli/progress.js';
import { fakeIo } from './fake-io.js';
import { sampleReport } from './sample-reports.js';

const tmp = mkdtempSync(join(tmpdir(), 'lockmc-check-'));
beforeAll(() => {
  mkdirSync(join(tmp, 'models', 'sub'), { recursive: true });
  writeFileSync(join(tmp, 'models', 'b.model.ts'), '// b\n');
  writeFileSync(join(tmp, 'models', 'a.model.ts'), '// a\n');
  writeFileSync(join(tmp, 'models', 'sub', 'c.model.ts'), '// c\n');
  writeFileSync(join(tmp, 'models', 'notes.ts'), '// not a model\n');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = (o: Partial<CliOptions> = {}): CliOptions => ({ ...defaultCliOptions(), ...o });

function model(file: string, over: Partial<ModelReport> = {}): ModelReport {
  return { file, hashes: { model: 'aa', rules: 'bb' }, kernel: 'v7.0', verdicts: [], diagnostics: [], stats: { ms: 1, engine: ['bmc'] }, ...over };
}

function fakeChecker(make: (files: string[]) => Report, seen: { options?: CheckOptions; progress: Progress[] }): CheckerApi {
  return {
    async check(inputs, options, onProgress) {
      seen.options = options;
      const files = inputs.map((i) => i.file);
      files.forEach((f, i) => onProgress?.({ modelsDone: i + 1, modelsTotal: files.length, current: f, elapsedMs: 10 * i }));
      return make(files);
    },
    async replay() {
      throw new Error('not used');
    },
  };
}

const base = (models: ModelReport[], exitCode = 0): Report => ({
  schemaVersion: 1,
  tool: { name: 'lockmc', version: '0.1.0' },
  options: {},
  rules: [],
  models,
  diagnostics: [],
  exitCode,
});

describe('file collection', () => {
  it('expands directories recursively to *.model.ts, sorted, relative to cwd', () => {
    expect(collectModels(['models'], tmp)).toEqual({ files: ['models/a.model.ts', 'models/b.model.ts', 'models/sub/c.model.ts'] });
    expect(collectModels(['models/sub/c.model.ts', 'models'], tmp)).toEqual({
      files: ['models/sub/c.model.ts', 'models/a.model.ts', 'models/b.model.ts'],
    });
    expect(collectModels(['models/x.model.ts'], tmp)).toEqual({ missing: 'models/x.model.ts' });
  });
});

describe('check with a pipeline', () => {
  it('passes resolved options, renders the report and returns its exit code', async () => {
    const seen: { options?: CheckOptions; progress: Progress[] } = { progress: [] };
    const io = fakeIo({ cwd: tmp });
    const checker = fakeChecker(
      (files) => base(files.map((f) => model(f, { verdicts: [{ status: 'violated', rule: 'r', engine: 'bmc', findings: [{ rule: 'r', check: 'c', kind: 'rule-violation', message: 'bad' }] }] })), 1),
      seen,
    );
    const code = await runCheck(['models'], cli({ format: 'json', bound: 9, timeoutSeconds: 1.5, enable: ['x'], ruleOptions: { k: 'v' } }), io, '0.1.0', { checker });
    expect(code).toBe(1);
    expect(seen.options).toMatchObject({ engine: 'auto', bound: 9, timeoutMs: 1500, rules: { enable: ['x'], options: { k: 'v' } } });
    const r = JSON.parse(io.stdout) as Report;
    expect(r.models.map((m) => m.file)).toEqual(['models/a.model.ts', 'models/b.model.ts', 'models/sub/c.model.ts']);
    expect(io.stderr).toBe('');
  });
  it('a declared violation that the pipeline found passes', async () => {
    const io = fakeIo({ cwd: tmp });
    const checker = fakeChecker(
      (files) =>
        base(
          files.map((f) =>
            model(f, {
              expected: [{ kind: 'violates', rule: 'r' }],
              expectation: { met: true, detail: 'as declared' },
              verdicts: [{ status: 'violated', rule: 'r', engine: 'bmc', findings: [{ rule: 'r', check: 'c', kind: 'rule-violation', message: 'bad' }] }],
            }),
          ),
          0,
        ),
      { progress: [] },
    );
    expect(await runCheck(['models/a.model.ts'], cli({ format: 'text' }), io, '0.1.0', { checker })).toBe(0);
    expect(io.stdout).toContain('expectation: met (as declared)');
    // The outcome line counts the declared violation apart: exit 0 beside it reads as what it is.
    expect(io.stdout.replace(/\s+/g, ' ')).toContain('OK: 1 model, as expected; violations: 1 declared, 0 undeclared; other verdicts: 0 proved, 0 not applicable; exit 0');
  });
  it('an unmet expectation fails with exit 1', async () => {
    const io = fakeIo({ cwd: tmp });
    const checker = fakeChecker(
      (files) =>
        base(
          files.map((f) =>
            model(f, {
              expected: [{ kind: 'violates', rule: 'r' }],
              expectation: { met: false, detail: 'expected r to be violated, got proved' },
              verdicts: [{ status: 'proved', rule: 'r', engine: 'bmc' }],
            }),
          ),
          1,
        ),
      { progress: [] },
    );
    expect(await runCheck(['models/a.model.ts'], cli({ format: 'text' }), io, '0.1.0', { checker })).toBe(1);
    expect(io.stdout).toContain('expectation: NOT met (expected r to be violated, got proved)');
  });
  it('itf writes one file per trace into --output', async () => {
    const out = join(tmp, 'traces');
    const io = fakeIo({ cwd: tmp });
    const checker = fakeChecker(() => sampleReport(), { progress: [] });
    await runCheck(['models/a.model.ts'], cli({ format: 'itf', output: 'traces' }), io, '0.1.0', { checker });
    expect(readdirSync(out).sort()).toEqual([
      'userptr-notifier-waits-on-job.fence-signalling-no-reclaim.1.itf.json',
      'violates-abba.no-deadlock.1.itf.json',
    ]);
    expect(io.stderr).toBe('wrote 2 files to traces\n');
    const text = fakeIo({ cwd: tmp });
    await runCheck(['models/a.model.ts'], cli({ format: 'itf' }), text, '0.1.0', { checker });
    expect(text.stdout.trim().split('\n').map((l) => JSON.parse(l)['#meta'].format)).toEqual(['ITF', 'ITF']);
  });
  it('--output to a file writes the report there and nothing to stdout', async () => {
    const io = fakeIo({ cwd: tmp });
    const checker = fakeChecker(() => base([model('models/a.model.ts')]), { progress: [] });
    expect(await runCheck(['models/a.model.ts'], cli({ format: 'junit', output: 'r.xml' }), io, '0.1.0', { checker })).toBe(0);
    expect(io.stdout).toBe('');
    expect(readFileSync(join(tmp, 'r.xml'), 'utf8')).toMatch(/^<\?xml/);
  });
  it('the progress line appears on a TTY only, never with --quiet, and is cleared', async () => {
    const checker = fakeChecker((files) => base(files.map((f) => model(f))), { progress: [] });
    const tty = fakeIo({ cwd: tmp, stderrIsTTY: true });
    await runCheck(['models'], cli({ format: 'json' }), tty, '0.1.0', { checker });
    expect(tty.stderr).toMatch(/\[1\/3\] \d+s  0 violated, 0 inconclusive  models\/a\.model\.ts  auto, complete bound/);
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    const quiet = fakeIo({ cwd: tmp, stderrIsTTY: true });
    await runCheck(['models'], cli({ format: 'json', quiet: true }), quiet, '0.1.0', { checker });
    expect(quiet.stderr).toBe('');
    const pipe = fakeIo({ cwd: tmp });
    await runCheck(['models'], cli({ format: 'json' }), pipe, '0.1.0', { checker });
    expect(pipe.stderr).toBe('');
  });
  it('default format: pretty on a TTY, text otherwise; NO_COLOR turns colour off', async () => {
    const checker = fakeChecker((files) => base(files.map((f) => model(f, { verdicts: [{ status: 'proved', rule: 'r', engine: 'bmc' }] }))), { progress: [] });
    const tty = fakeIo({ cwd: tmp, stdoutIsTTY: true });
    await runCheck(['models/a.model.ts'], cli(), tty, '0.1.0', { checker });
    expect(tty.stdout).toMatch(/\x1b\[/);
    const nc = fakeIo({ cwd: tmp, stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    await runCheck(['models/a.model.ts'], cli(), nc, '0.1.0', { checker });
    expect(nc.stdout).not.toMatch(/\x1b\[/);
    const flag = fakeIo({ cwd: tmp, stdoutIsTTY: true });
    await runCheck(['models/a.model.ts'], cli({ color: false }), flag, '0.1.0', { checker });
    expect(flag.stdout).toBe(nc.stdout);
    const pipe = fakeIo({ cwd: tmp });
    await runCheck(['models/a.model.ts'], cli(), pipe, '0.1.0', { checker });
    expect(pipe.stdout).not.toMatch(/\x1b\[/);
    // Proved verdicts are counted, not listed, unless --verbose.
    expect(pipe.stdout).toContain('verdicts:\n  1 rule proved for every interleaving\n');
    const verbose = fakeIo({ cwd: tmp });
    await runCheck(['models/a.model.ts'], cli({ verbose: true }), verbose, '0.1.0', { checker });
    expect(verbose.stdout).toContain('verdicts:\n  r: proved (bmc)\n');
    // --output on a terminal: the file gets text, never escapes.
    const file = fakeIo({ cwd: tmp, stdoutIsTTY: true });
    await runCheck(['models/a.model.ts'], cli({ output: 'tty.txt' }), file, '0.1.0', { checker });
    expect(readFileSync(join(tmp, 'tty.txt'), 'utf8')).toBe(pipe.stdout);
  });
});

describe('progress line', () => {
  it('fits the width and shows done/total, time, findings so far, model, engine and bound', () => {
    const counts = { violated: 3, unexpected: 1, inconclusive: 2 };
    expect(formatProgress({ modelsDone: 3, modelsTotal: 40, current: 'fixtures/a.model.ts', bound: 24, elapsedMs: 1234, engine: 'auto', ...counts }, 120)).toBe(
      '[3/40] 1s  3 violated (1 unexpected), 2 inconclusive  fixtures/a.model.ts  auto, bound 24',
    );
    expect(formatProgress({ modelsDone: 0, modelsTotal: 2, current: 'a.model.ts', elapsedMs: 125_000, violated: 0, unexpected: 0, inconclusive: 0 }, 80)).toBe(
      '[0/2] 2m05s  0 violated, 0 inconclusive  a.model.ts  complete bound',
    );
    const long = formatProgress({ modelsDone: 1, modelsTotal: 2, current: 'x/'.repeat(60) + 'end.model.ts', elapsedMs: 0, engine: 'bmc', ...counts }, 100);
    expect(long.length).toBeLessThanOrEqual(99);
    expect(long).toMatch(/^\[1\/2\] 0s  3 violated \(1 unexpected\), 2 inconclusive  \.\.\.x\/.*end\.model\.ts  bmc, complete bound$/);
  });
  it('on a terminal: the elapsed time ticks every second between updates, counts follow finished models, done clears it', () => {
    let now = 0;
    const ticks: (() => void)[] = [];
    let stopped = 0;
    const clock = { now: () => now, every: (ms: number, tick: () => void) => (expect(ms).toBeLessThanOrEqual(1000), ticks.push(tick), () => void stopped++) };
    const io = fakeIo({ stderrIsTTY: true, columns: 120 });
    const line = progressLine(io, false, { engine: 'explicit', clock });
    line.update({ modelsDone: 0, modelsTotal: 2, current: 'a.model.ts', elapsedMs: 0 });
    now = 1000;
    ticks.forEach((t) => t());
    now = 2000;
    ticks.forEach((t) => t());
    line.model({ file: 'a.model.ts', hashes: { model: '', rules: '' }, kernel: 'v7.0', diagnostics: [], stats: { ms: 1, engine: [] }, verdicts: [{ status: 'violated', rule: 'r', engine: 'explicit', findings: [] }, { status: 'inconclusive', rule: 's', engine: 'bmc', limit: { kind: 'states', max: 9 } }] });
    now = 2500;
    line.update({ modelsDone: 1, modelsTotal: 2, current: 'b.model.ts', elapsedMs: 2500 });
    line.done();
    expect(ticks.length).toBe(1);
    expect(stopped).toBe(1);
    expect(io.stderr.split('\r\x1b[K')).toEqual([
      '',
      '[0/2] 0s  0 violated, 0 inconclusive  a.model.ts  explicit, complete bound',
      '[0/2] 1s  0 violated, 0 inconclusive  a.model.ts  explicit, complete bound',
      '[0/2] 2s  0 violated, 0 inconclusive  a.model.ts  explicit, complete bound',
      '[1/2] 2s  1 violated (1 unexpected), 1 inconclusive  b.model.ts  explicit, complete bound',
      '',
    ]);
  });
  it('is silent off a terminal', () => {
    const io = fakeIo();
    const p = progressLine(io, false);
    p.update({ modelsDone: 1, modelsTotal: 1, elapsedMs: 0 });
    p.done();
    expect(io.stderr).toBe('');
  });
});
