/**
 * `lockmc merge`: the shards of one run make the unsharded report, equal
 * to it byte for byte apart from timings, and anything that is not every
 * shard of one run is refused with a coded diagnostic and exit 2.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeShards, type ShardInput } from '../../checker/parallel/merge.js';
import type { ModelReport, Report } from '../../checker/report.js';
import { main } from '../../cli/main.js';
import { fakeIo } from '../cli/fake-io.js';

const validateReport = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'report-schema.json'), 'utf8')));

const TMP = mkdtempSync(join(tmpdir(), 'lockmc-merge-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Durations are measurements, not content. */
const withoutTimings = (json: string) => json.replace(/"ms": \d+(\.\d+)?/g, '"ms": 0');

// Five models in two directories; the explicit engine with a limit far above need decides them all.
const CORPUS = ['fixtures/rules/deadlock', 'fixtures/rules/fence-finite'];
const RUN = ['--engine', 'explicit', '--timeout', '600', '--jobs', '1', '-q'];

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = fakeIo();
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('merge of real shards', () => {
  it('3 shards merged equal the unsharded JSON report apart from timings, json and text', async () => {
    const whole = join(TMP, 'whole.json');
    expect((await cli(['check', ...CORPUS, ...RUN, '--format', 'json', '-o', whole])).code).toBe(0);
    const shards = [1, 2, 3].map((i) => join(TMP, `shard-${i}.json`));
    const total = CORPUS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.model.ts'))).length;
    for (const [i, out] of shards.entries()) {
      const r = await cli(['check', ...CORPUS, ...RUN, '--shard', `${i + 1}/3`, '--format', 'json', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
      expect(report.shard).toEqual({ index: i + 1, count: 3, files: total });
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    }
    const sizes = shards.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as Report).models.length);
    // Unknown costs (no cache) count alike: the shards differ by at most one model.
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const merged = join(TMP, 'merged.json');
    // Given in any order.
    const m = await cli(['merge', shards[2], shards[0], shards[1], '--format', 'json', '-o', merged]);
    expect(m.code, m.stderr).toBe(0);
    expect(withoutTimings(readFileSync(merged, 'utf8'))).toBe(withoutTimings(readFileSync(whole, 'utf8')));
    // Any format: the merged report renders like the unsharded one.
    const text = await cli(['merge', ...shards, '--format', 'text']);
    const wholeText = await cli(['check', ...CORPUS, ...RUN, '--format', 'text']);
    expect(text.stdout.replace(/\b\d+ ms\b/g, '0 ms')).toBe(wholeText.stdout.replace(/\b\d+ ms\b/g, '0 ms'));
  }, 600_000);
});

// ---------------------------------------------------------------------------
// Refusals, on reports built here.

function model(file: string, rulesHash = 'h1'): ModelReport {
  return { file, hashes: { model: 'm', rules: rulesHash }, kernel: 'v7.0', verdicts: [{ status: 'proved', rule: 'r', engine: 'explicit' }], diagnostics: [], stats: { ms: 3, engine: ['explicit'] } };
}

function shard(index: number, count: number, files: string[], over: Partial<Report> = {}, total = 4): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'lockmc', version: '0.1.0', z3: '5.2.0' },
    options: { engine: 'explicit', timeoutMs: 60000, rules: {} },
    rules: [],
    models: files.map((f) => model(f)),
    diagnostics: [],
    exitCode: 0,
    shard: { index, count, files: total },
    ...over,
  };
}

const input = (name: string, json: unknown): ShardInput => ({ file: name, json });
const refused = (inputs: ShardInput[]) => {
  const r = mergeShards(inputs);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.diagnostics.map((d) => `${d.file ?? ''}: ${d.code}: ${d.message}`);
};

describe('merge refusals (exit 2)', () => {
  const s1 = shard(1, 2, ['a.model.ts', 'c.model.ts']);
  const s2 = shard(2, 2, ['b.model.ts', 'd/e.model.ts']);

  it('the shards of one run merge, models in path order, exit code recomputed', () => {
    const bad = shard(2, 2, ['b.model.ts', 'd/e.model.ts'], { exitCode: 0 });
    bad.models[0].verdicts = [{ status: 'inconclusive', rule: 'r', engine: 'explicit', limit: { kind: 'timeout', ms: 1 } }];
    const r = mergeShards([input('2.json', bad), input('1.json', s1)]);
    expect(r.ok && r.report.models.map((m) => m.file)).toEqual(['a.model.ts', 'b.model.ts', 'c.model.ts', 'd/e.model.ts']);
    expect(r.ok && r.report.exitCode).toBe(7);
    expect(r.ok && 'shard' in r.report).toBe(false);
  });
  it('LMC050: not a report, not lockmc, not sharded', () => {
    const { shard: _s, ...unsharded } = s2;
    expect(refused([input('1.json', s1), input('x.json', [1]), input('y.json', { schemaVersion: 1, tool: { name: 'eslint' } }), input('2.json', unsharded)])).toEqual([
      'x.json: LMC050: not a shard report: not a JSON object',
      'y.json: LMC050: not a shard report: not a lockmc report of schema version 1',
      '2.json: LMC050: not a shard report: a report of an unsharded run (no `shard`): check with --shard i/n --format json',
    ]);
  });
  it('LMC051: different options, rules, versions, counts', () => {
    expect(refused([input('1.json', s1), input('2.json', { ...s2, options: { ...s2.options, engine: 'bmc' } })])).toEqual([
      '2.json: LMC051: shard 2/2 is of a different run than 1.json: option engine: "explicit" vs "bmc"',
    ]);
    expect(refused([input('1.json', s1), input('2.json', { ...s2, tool: { ...s2.tool, version: '0.2.0' } })])).toEqual([
      '2.json: LMC051: shard 2/2 is of a different run than 1.json: lockmc 0.1.0 vs 0.2.0',
    ]);
    expect(refused([input('1.json', s1), input('2.json', shard(2, 3, ['b.model.ts']))])).toEqual(['2.json: LMC051: shard 2/3 is of a different run than 1.json: shard count 2 vs 3']);
    expect(refused([input('1.json', s1), input('2.json', shard(2, 2, ['b.model.ts'], {}, 9))])).toEqual(['2.json: LMC051: shard 2/2 is of a different run than 1.json: corpus of 4 vs 9 models']);
    const otherRules = { ...s2, models: [model('b.model.ts', 'h2'), model('d/e.model.ts', 'h2')] };
    expect(refused([input('1.json', s1), input('2.json', otherRules)])).toEqual(['2.json: LMC051: shard 2/2 is of a different run than 1.json: rule hashes h1 vs h2']);
  });
  it('LMC052: a shard twice, a model in two shards', () => {
    expect(refused([input('1.json', s1), input('1-again.json', s1), input('2.json', s2)])).toEqual([
      '1-again.json: LMC052: shard 1/2 given twice (also 1.json)',
      '1-again.json: LMC052: a.model.ts is in two shards (also 1.json)',
      '1-again.json: LMC052: c.model.ts is in two shards (also 1.json)',
    ]);
    expect(refused([input('1.json', s1), input('2.json', shard(2, 2, ['a.model.ts', 'b.model.ts']))])).toEqual(['2.json: LMC052: a.model.ts is in two shards (also 1.json)']);
  });
  it('LMC053: a shard missing, models missing', () => {
    expect(refused([input('2.json', s2)])).toEqual([': LMC053: shard 1/2 missing: got 2/2']);
    expect(refused([input('1.json', s1), input('2.json', shard(2, 2, ['b.model.ts']))])).toEqual([": LMC053: the shards hold 3 of the run's 4 models"]);
    expect(refused([])).toEqual([': LMC053: no shard reports given']);
  });
  it('an interrupted shard merges into an interrupted report (exit 130)', () => {
    const cut = shard(2, 2, ['b.model.ts'], { interrupted: { signal: 'SIGINT' }, exitCode: 130 });
    const r = mergeShards([input('1.json', s1), input('2.json', cut)]);
    expect(r.ok && r.report.interrupted).toEqual({ signal: 'SIGINT' });
    expect(r.ok && r.report.exitCode).toBe(130);
  });
  it('from the CLI: each refusal printed as a diagnostic, exit 2, nothing written', async () => {
    const a = join(TMP, 'r1.json');
    const b = join(TMP, 'r1-again.json');
    const junk = join(TMP, 'junk.json');
    writeFileSync(a, JSON.stringify(s1));
    writeFileSync(b, JSON.stringify(s1));
    writeFileSync(junk, '{ not json');
    const out = join(TMP, 'never.json');
    const r = await cli(['merge', a, b, junk, join(TMP, 'absent.json'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter((l) => /error LMC/.test(l)).map((l) => l.replace(TMP, 'T'))).toEqual([
      expect.stringMatching(/^T\/junk\.json: error LMC050: not a shard report: not JSON \(/),
      'T/absent.json: error LMC050: not a shard report: cannot read it (ENOENT)',
      `T/r1-again.json: error LMC052: shard 1/2 given twice (also ${a})`,
      `T/r1-again.json: error LMC052: a.model.ts is in two shards (also ${a})`,
      `T/r1-again.json: error LMC052: c.model.ts is in two shards (also ${a})`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
