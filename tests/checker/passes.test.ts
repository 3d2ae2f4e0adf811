/**
 * The pipeline's passes one by one: `lockmc dump --after <pass>` prints
 * every pass's output as JSON (the shorthands `dump ir` / `dump system`
 * are `--after load` / `--after compile`), a model a pass stops is that
 * pass's diagnostics, and `replay` is the same pipeline as `check` with
 * only the schedules' source changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { check, replay, resolveRules, runPipeline, startRun, dumpAfter, PASS_NAMES, type PassName } from '../../checker/index.js';
import { passesFor } from '../../checker/pipeline.js';
import { checkModel } from '../../checker/check-model.js';
import { makeBudget } from '../../model/budget.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../../checker/options.js';
import { parseArgs } from '../../cli/args.js';
import { main } from '../../cli/main.js';
import { fakeIo } from '../cli/fake-io.js';

const OPTS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit', rules: { preset: 'all' } };

const ABBA = `/**
 * Two ioctls take a and b in opposite orders.
 */
const a = mutex();
const b = mutex();
export function one() { mutex_lock(a); mutex_lock(b); mutex_unlock(b); mutex_unlock(a); }
export function two() { mutex_lock(b); mutex_lock(a); mutex_unlock(a); mutex_unlock(b); }
`;

const BROKEN = `/**
 * A lock that was never declared.
 * @expect error LMC201
 */
export function one() { mutex_lock(nosuch); }
`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'lockmc-passes-'));
  writeFileSync(join(tmp, 'abba.model.ts'), ABBA);
  writeFileSync(join(tmp, 'broken.model.ts'), BROKEN);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function dump(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = fakeIo({ cwd: tmp });
  const code = await main(['dump', ...args, '--engine', 'explicit', '--preset', 'all'], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** What each pass's dump must show for the ABBA model. */
const EXPECT: Record<PassName, (j: Record<string, unknown>) => void> = {
  load: (j) => expect(Object.keys(j)).toEqual(['model', 'sourceMap']),
  validate: (j) => expect(j).toMatchObject({ kernel: expect.any(String), ruleOptions: expect.any(Object) }),
  'select-rules': (j) => expect(j.rules).toContain('deadlock'),
  'lock-graph': (j) => expect((j.cycles as unknown[]).length).toBeGreaterThan(0),
  compile: (j) => expect(Array.isArray(j.vars) && Array.isArray(j.transitions)).toBe(true),
  decide: (j) => {
    expect(j.kind).toBe('engines');
    expect((j.decisions as { status: string }[]).some((d) => d.status === 'violated')).toBe(true);
  },
  replay: (j) => expect((j.confirmed as unknown[]).length).toBeGreaterThan(0),
  canonicalise: (j) => expect((j.violations as unknown[]).length).toBeGreaterThan(0),
  explain: (j) => {
    const findings = j.findings as { finding: { trace?: unknown } }[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.finding.trace)).toBe(true);
    expect((j.graph as unknown[]).length).toBeGreaterThan(0);
  },
  judge: (j) => expect(j.verdicts).toContainEqual(expect.objectContaining({ rule: 'deadlock', status: 'violated' })),
};

describe('lockmc dump --after <pass>', () => {
  it('the pass list is the documented one, in order', () => {
    expect(PASS_NAMES).toEqual(['load', 'validate', 'select-rules', 'lock-graph', 'compile', 'decide', 'replay', 'canonicalise', 'explain', 'judge']);
    expect(passesFor({ kind: 'engines' }).map((p) => p.name)).toEqual([...PASS_NAMES]);
    expect(passesFor({ kind: 'token', token: 'x' }).map((p) => p.name)).toEqual([...PASS_NAMES]);
  });

  it.each(PASS_NAMES.map((p) => [p]))('--after %s prints its output as JSON', async (pass) => {
    const r = await dump(['--after', pass, 'abba.model.ts']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    EXPECT[pass](JSON.parse(r.stdout) as Record<string, unknown>);
  });

  it('`dump ir` is `--after load`, byte for byte', async () => {
    const ir = await dump(['ir', 'abba.model.ts']);
    const load = await dump(['--after', 'load', 'abba.model.ts']);
    expect(ir.code).toBe(0);
    expect(load.stdout).toBe(ir.stdout);
  });

  it('`dump system` is the system `--after compile` dumps', async () => {
    const sys = await dump(['system', 'abba.model.ts']);
    const compiled = await dump(['--after', 'compile', 'abba.model.ts']);
    expect(JSON.parse(compiled.stdout)).toEqual(JSON.parse(sys.stdout));
  });

  it('a model the front end rejects stops before any later pass: its diagnostics, its exit code', async () => {
    for (const pass of ['load', 'compile', 'judge']) {
      const r = await dump(['--after', pass, 'broken.model.ts']);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('LMC201');
      expect(r.code).toBe(4);
    }
  });

  it('parses as its own command; an unknown pass, or a shorthand with --after, is a usage error', () => {
    expect(parseArgs(['dump', '--after', 'lock-graph', 'm.model.ts'])).toMatchObject({ command: { kind: 'dump-after', pass: 'lock-graph', model: 'm.model.ts' } });
    expect(parseArgs(['dump', '--after', 'parse', 'm.model.ts'])).toMatchObject({ exitCode: 2, usageError: expect.stringContaining("'parse' is invalid") });
    expect(parseArgs(['dump', 'ir', 'm.model.ts', '--after', 'load'])).toMatchObject({ exitCode: 2, usageError: expect.stringContaining('not both') });
    expect(parseArgs(['dump', '--after', 'load'])).toMatchObject({ exitCode: 2, usageError: "missing required argument 'model'" });
  });
});

describe('check and replay are one pipeline', () => {
  it('up to compile both produce the same data, and a token replays to the finding check reported', async () => {
    const rules = resolveRules(OPTS);
    const checked = await runPipeline(startRun('abba.model.ts', ABBA, OPTS, rules, makeBudget(OPTS.timeoutMs)));
    expect(checked.kind).toBe('ended');
    const { products } = checked.state;
    const finding = products.explain!.findings.find((f) => f.finding.trace)!.finding;
    const token = finding.trace!.schedule;
    const replayed = await runPipeline(startRun('abba.model.ts', ABBA, OPTS, rules, makeBudget(OPTS.timeoutMs), { kind: 'token', token }));
    const again = replayed.state.products;
    for (const pass of ['load', 'validate', 'select-rules', 'lock-graph', 'compile'] as const) {
      expect(JSON.stringify(dumpAfter(pass, again))).toBe(JSON.stringify(dumpAfter(pass, products)));
    }
    expect(again.decide).toEqual({ kind: 'token', schedule: products.canonicalise!.violations.find((v) => v.property === products.explain!.findings.find((f) => f.finding === finding)!.property)!.schedule });
    expect(again.explain!.findings.map((f) => f.finding)).toContainEqual(finding);
  });

  it('the API agrees: replay(token) reports the finding check reported, as a violation of the same rule', async () => {
    const r = await check([{ file: 'abba.model.ts', text: ABBA }], OPTS);
    const v = r.models[0].verdicts.find((x) => x.rule === 'deadlock');
    if (v?.status !== 'violated') throw new Error('expected a deadlock');
    const again = await replay('abba.model.ts', v.findings[0].trace!.schedule, OPTS, ABBA);
    expect(again.models[0].verdicts).toContainEqual(expect.objectContaining({ rule: 'deadlock', status: 'violated', findings: [v.findings[0]] }));
  });
});

describe('the load pass keeps the text it read', () => {
  it('a rejected model given by path is judged by the header of that text', async () => {
    const r = await check([{ file: join(tmp, 'broken.model.ts') }], OPTS);
    expect(r.models[0].expected).toEqual([expect.objectContaining({ kind: 'error', code: 'LMC201' })]);
    expect(r.models[0].expectation?.met).toBe(true);
  });
  it('a model whose time is up before the front end still declares what it expects', async () => {
    const { report } = await checkModel(join(tmp, 'broken.model.ts'), undefined, OPTS, resolveRules(OPTS), makeBudget(0));
    expect(report.expected).toEqual([expect.objectContaining({ kind: 'error', code: 'LMC201' })]);
    expect(report.verdicts.every((v) => v.status === 'inconclusive' && v.limit.kind === 'timeout' && v.limit.phase === 'front end')).toBe(true);
  });
});
