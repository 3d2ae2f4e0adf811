import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import type { Finding, ModelReport, Report, Verdict } from '../../checker/report.js';
import { modelExitCode } from '../../checker/exit-codes.js';
import { parseHeader } from '../../model/frontend/header.js';
import { ALL_RULES } from '../../rules/index.js';
import { defaultCliOptions } from '../../cli/args.js';
import { renderContext } from '../../cli/shared.js';
import type { RenderContext } from '../../cli/render/types.js';
import { anchorOf, findingIdentity, normaliseCycle } from '../../cli/render/anchor.js';
import { fakeIo } from './fake-io.js';
import { RENDERERS, FORMATS } from '../../cli/render/index.js';
import { renderJson } from '../../cli/render/json.js';
import { renderItf } from '../../cli/render/itf.js';
import { FINGERPRINT_KEY, buildSarif, renderSarif } from '../../cli/render/sarif.js';
import { junitClassname, renderJunit } from '../../cli/render/junit.js';
import { holdBars, renderSvg } from '../../cli/render/svg.js';
import { renderHtml } from '../../cli/render/html.js';
import { renderPretty } from '../../cli/render/pretty.js';
import { renderText } from '../../cli/render/text.js';
import { CIRCULAR_TRACE, CTX, DEADLOCK_FINDING, RECURSIVE_FINDING, RULE_META, cleanReport, sampleReport } from './sample-reports.js';
import { golden } from './golden-util.js';
import { SARIF_SCHEMA_PATH, sarifValidator } from './sarif-schema.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';
import { cdata, xmlEscape } from '../../cli/render/xml.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REPORT_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs', 'report-schema.json'), 'utf8'));

function reportValidator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(REPORT_SCHEMA);
}

describe('registry', () => {
  it('has exactly one renderer per format', () => {
    expect(Object.keys(RENDERERS).sort()).toEqual([...FORMATS].sort());
  });
  it('every renderer is deterministic on the same report', () => {
    for (const f of FORMATS) {
      expect(RENDERERS[f](sampleReport(), CTX), f).toEqual(RENDERERS[f](sampleReport(), CTX));
    }
  });
});

describe('json', () => {
  const validate = reportValidator();
  it('round-trips the report with sorted keys and matches its golden', () => {
    const out = renderJson(sampleReport(), CTX);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(sampleReport())));
    expect(out).toBe(golden('sample.json', out));
    const keys = Object.keys(JSON.parse(out));
    expect(keys).toEqual([...keys].sort());
  });
  it('every rendered report validates against docs/report-schema.json', () => {
    for (const r of [sampleReport(), cleanReport()]) {
      const ok = validate(JSON.parse(renderJson(r, CTX)));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });
  it('the schema rejects what the Report type forbids', () => {
    const bad = JSON.parse(renderJson(sampleReport(), CTX));
    bad.models[0].verdicts[1].status = 'ok';
    expect(validate(bad)).toBe(false);
    const bad2 = JSON.parse(renderJson(sampleReport(), CTX));
    delete bad2.models[0].verdicts[2].bound;
    expect(validate(bad2)).toBe(false);
    const bad3 = JSON.parse(renderJson(cleanReport(), CTX));
    bad3.exitCode = 9;
    expect(validate(bad3)).toBe(false);
    // The rules' metadata is part of the report, and a wait is data, not a sentence.
    const bad4 = JSON.parse(renderJson(cleanReport(), CTX));
    delete bad4.rules;
    expect(validate(bad4)).toBe(false);
    const bad5 = JSON.parse(renderJson(sampleReport(), CTX));
    bad5.models[1].verdicts[0].findings[0].trace.final.threads[0].waitingFor = 'b (b)';
    expect(validate(bad5)).toBe(false);
    const bad6 = JSON.parse(renderJson(sampleReport(), CTX));
    bad6.rules[0].severity = 'fatal';
    expect(validate(bad6)).toBe(false);
  });
});

describe('itf', () => {
  it('writes one ADR-015 document per trace', () => {
    const files = renderItf(sampleReport(), CTX);
    expect(files.map((f) => f.name)).toEqual([
      'userptr-notifier-waits-on-job.fence-signalling-no-reclaim.1.itf.json',
      'violates-abba.no-deadlock.1.itf.json',
    ]);
    const doc = JSON.parse(files[1].content);
    expect(doc['#meta'].format).toBe('ITF');
    expect(doc.vars).toEqual(['step', 'thread', 'op', 'outcome', 'role', 'at', 'context', 'preemption', 'held']);
    expect(doc.states).toHaveLength(5);
    doc.states.forEach((s: Record<string, unknown>, i: number) => {
      expect((s['#meta'] as { index: number }).index).toBe(i);
      for (const v of doc.vars) expect(s, `state ${i} binds ${v}`).toHaveProperty(v);
    });
    // held carries forward for the thread that did not act.
    expect(doc.states[2].held).toEqual({ thread_a: { '#set': ['a (a)'] }, thread_b: { '#set': ['b (b)'] } });
    expect(doc.states[2].preemption).toBe(true);
    expect(files[0].content).toBe(golden('sample.itf.json', files[0].content));
  });
});

/** CTX plus rule docs and diagnostic explanations, as cli/shared.ts `renderContext` provides them. */
const HCTX: RenderContext = {
  ...CTX,
  ruleHelp: (id) => (RULE_META[id] ? { markdown: `# ${id}\n\n${RULE_META[id].summary}\n`, uri: `https://lockmc.example/docs/rules/${id}.md` } : undefined),
  diagnosticHelp: (code) => (code === 'LMC201' ? 'An identifier names no declared lock, fence or object.' : undefined),
};

function sarifOf(r: Report, ctx: RenderContext = HCTX): any {
  return buildSarif(r, ctx) as any;
}

const fpOf = (res: any): string => res.partialFingerprints[FINGERPRINT_KEY];

/** One model whose rule is violated by the given findings. */
function oneModel(findings: Finding[], patch: Partial<ModelReport> = {}): Report {
  return {
    ...cleanReport(),
    diagnostics: [],
    models: [
      {
        file: 'fixtures/x/two-cycles.model.ts',
        hashes: { model: '00', rules: '11' },
        kernel: 'v7.0',
        verdicts: [{ status: 'violated', rule: findings[0]!.rule, engine: 'lockgraph', findings }],
        diagnostics: [],
        stats: { ms: 5, engine: ['lockgraph'] },
        ...patch,
      },
    ],
    exitCode: 1,
  };
}

function cycle(classes: string[], line: number): Finding {
  return {
    rule: 'order-canonical',
    check: 'cycle',
    kind: 'circular-dependency',
    message: `cycle ${classes.join(' -> ')}`,
    at: { file: 'fixtures/x/two-cycles.model.ts', line, col: 3 },
    chain: classes.map((c, i) => ({
      from: c,
      to: classes[(i + 1) % classes.length]!,
      type: 'EN' as const,
      source: { kind: 'model' as const, thread: 't', api: `mutex_lock(${classes[(i + 1) % classes.length]})`, at: { file: 'fixtures/x/two-cycles.model.ts', line: line + i, col: 3 } },
    })),
  };
}

describe('sarif', () => {
  const sarif = buildSarif(sampleReport(), CTX) as any;
  it('matches its golden', () => {
    const out = renderSarif(sampleReport(), HCTX);
    expect(out).toBe(golden('sample.sarif', out));
  });
  it('has rules from metadata and one result per finding or diagnostic', () => {
    const run = sarif.runs[0];
    expect(sarif.version).toBe('2.1.0');
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['fence-map-read-trylock', 'fence-signalling-no-reclaim', 'no-deadlock', 'order-canonical', 'ww-backoff', 'LMC105', 'LMC201']);
    const fence = run.tool.driver.rules[1];
    expect(fence.shortDescription.text).toBe(RULE_META['fence-signalling-no-reclaim'].summary);
    expect(fence.properties.citations[0]).toBe('drivers/dma-buf/dma-fence.c (dma_fence_begin_signalling)');
    expect(run.results).toHaveLength(6);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });
  it('one threadFlow per model thread, ordered steps, file/line/col relative to %SRCROOT%', () => {
    const r = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'no-deadlock');
    const flows = r.codeFlows[0].threadFlows;
    expect(flows.map((f: { id: string }) => f.id)).toEqual(['thread_a', 'thread_b']);
    expect(flows[0].locations.map((l: { executionOrder: number }) => l.executionOrder)).toEqual([1, 4]);
    expect(flows[1].locations[0].location.physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/rules/no-deadlock/violates-abba.model.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 16, startColumn: 3 },
    });
    // kswapd never ran in the circular trace, yet it has its threadFlow.
    const c = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'fence-signalling-no-reclaim');
    expect(c.codeFlows[0].threadFlows.map((f: { id: string }) => f.id)).toEqual(['cs_ioctl', 'run_job', 'kswapd']);
    expect(c.codeFlows[0].threadFlows[2].locations).toHaveLength(1);
  });

  it.skipIf(SARIF_SCHEMA_PATH === undefined)('validates against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const twoCycles = oneModel([cycle(['a', 'b'], 10), cycle(['b', 'c'], 20)], { expected: [{ kind: 'violates', rule: 'order-canonical', line: 6 }] });
    for (const r of [sampleReport(), cleanReport(), twoCycles]) {
      const ok = validate(JSON.parse(renderSarif(r, HCTX)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
    const broken = JSON.parse(renderSarif(sampleReport(), CTX));
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
    const badSuppression = JSON.parse(renderSarif(twoCycles, HCTX));
    badSuppression.runs[0].results[0].suppressions[0].kind = 'inComment';
    expect(validate(badSuppression)).toBe(false);
  });

  it('every result has a physical location with a region and a start line', () => {
    for (const r of [sampleReport(), cleanReport()]) {
      for (const res of sarifOf(r).runs[0].results) {
        expect(res.ruleId).toBeTypeOf('string');
        expect(res.locations[0].physicalLocation.region.startLine, JSON.stringify(res)).toBeGreaterThanOrEqual(1);
      }
    }
    // A lock-graph cycle with neither position nor trace: its closing acquisition in the model.
    const primed = sarifOf(sampleReport()).runs[0].results.find((x: any) => x.ruleId === 'order-canonical');
    expect(primed.locations[0].physicalLocation.region).toEqual({ startLine: 40, startColumn: 3 });
    expect(primed.properties.anchor).toBe('chain');
    // A finding with no position at all (an initial-state violation) still
    // points at its model, line 1.
    const bare: Finding = { rule: 'order-canonical', check: 'state', kind: 'rule-violation', message: 'bad from the start' };
    expect(sarifOf(oneModel([bare])).runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/x/two-cycles.model.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
  });
  it('a deadlock is placed at the blocked step, not at the last step of the trace', () => {
    const r = sarifOf(sampleReport()).runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'no-deadlock');
    // thread_a, the first blocked thread, is stuck on mutex_lock(b) at line 11.
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 11, startColumn: 3 });
    expect(r.properties.anchor).toBe('blocked');
    // With thread_a finished, the region follows thread_b's blocked step (line
    // 17), not the trace's last step (thread_a's, line 11).
    const moved = structuredClone(DEADLOCK_FINDING);
    moved.trace!.final.threads[0]!.status = 'done';
    const r2 = sarifOf(oneModel([moved])).runs[0].results[0];
    expect(r2.locations[0].physicalLocation.region).toEqual({ startLine: 17, startColumn: 3 });
  });
  it('a fence never signalled is placed at the wait, else at the publish', () => {
    const F = 'fixtures/x/fence.model.ts';
    const step = (index: number, op: string, line: number, role?: string) => ({ index, thread: 0, threadName: 'ioctl', op, at: { file: F, line, col: 3 }, context: [], held: [], preemption: false, ...(role ? { role } : {}) });
    const finding = (blocked: boolean): Finding => ({
      rule: 'fence-finite',
      check: 'signalled',
      kind: 'fence-never-signalled',
      message: 'fence out is never signalled',
      trace: {
        threads: [{ id: 0, name: 'ioctl', kind: 'thread' }],
        steps: [step(1, 'dma_fence_init(out)', 5), step(2, 'sync_file_create(out)', 6, 'publish fence out'), step(3, 'mutex_lock(l)', 7)],
        schedule: 'x',
        preemptions: 0,
        final: {
          threads: [{ thread: 'ioctl', status: blocked ? 'blocked' : 'done', held: [], ...(blocked ? { at: { file: F, line: 9, col: 3 }, waitingFor: { kind: 'fence' as const, fence: 'out', state: 'published' as const } } : {}) }],
          fences: [{ name: 'out', state: 'published' }],
          other: {},
        },
      },
    });
    const region = (f: Finding) => sarifOf(oneModel([f], { file: F })).runs[0].results[0].locations[0].physicalLocation.region;
    expect(region(finding(true))).toEqual({ startLine: 9, startColumn: 3 });
    expect(region(finding(false))).toEqual({ startLine: 6, startColumn: 3 });
    expect(anchorOf(finding(false))?.kind).toBe('fence-publish');
  });

  it('two distinct cycles of one rule in one file get two fingerprints', () => {
    const results = sarifOf(oneModel([cycle(['a', 'b'], 10), cycle(['b', 'c'], 20)])).runs[0].results;
    expect(results).toHaveLength(2);
    expect(fpOf(results[0])).toMatch(/^[0-9a-f]{32}:1$/);
    expect(fpOf(results[1])).toMatch(/^[0-9a-f]{32}:1$/);
    expect(fpOf(results[0])).not.toBe(fpOf(results[1]));
    // Every finding of the sample is its own alert.
    const results2 = sarifOf(sampleReport()).runs[0].results;
    expect(results2.filter((x: any) => x.properties?.findingKind)).toHaveLength(4);
    const all = results2.map(fpOf);
    expect(all).toHaveLength(6);
    expect(new Set(all).size).toBe(6);
  });
  it('diagnostics in a file have fingerprints of their own', () => {
    const d = { code: 'LMC201' as const, severity: 'error' as const, message: "unknown identifier 'x'", file: 'm/e.model.ts', line: 3, col: 5 };
    const r = oneModel([cycle(['a', 'b'], 10)], { diagnostics: [d, { ...d, line: 9 }, { ...d, message: "unknown identifier 'y'" }] });
    const fps = sarifOf(r).runs[0].results.map(fpOf);
    expect(fps).toHaveLength(4);
    expect(new Set(fps).size).toBe(4);
    const moved = oneModel([cycle(['a', 'b'], 10)], { file: '/elsewhere/fixtures/x/two-cycles.model.ts', diagnostics: [{ ...d, file: '/elsewhere/m/e.model.ts' }] });
    const flat = oneModel([cycle(['a', 'b'], 10)], { file: '/ci/fixtures/x/two-cycles.model.ts', diagnostics: [{ ...d, file: '/ci/m/e.model.ts' }] });
    expect(sarifOf(moved).runs[0].results.map(fpOf)).toEqual(sarifOf(flat).runs[0].results.map(fpOf));
  });
  it('the same cycle entered from another edge, or moved down the file, is the same finding', () => {
    const id = (f: Finding) => findingIdentity(f, 'fixtures/x/two-cycles.model.ts');
    expect(id(cycle(['b', 'c', 'a'], 10))).toBe(id(cycle(['a', 'b', 'c'], 10)));
    expect(id(cycle(['a', 'b', 'c'], 40))).toBe(id(cycle(['a', 'b', 'c'], 10)));
    // The other direction is another cycle.
    expect(id(cycle(['a', 'c', 'b'], 10))).not.toBe(id(cycle(['a', 'b', 'c'], 10)));
    expect(normaliseCycle(['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
    // Found twice in one run: still two values.
    const twice = sarifOf(oneModel([cycle(['a', 'b'], 10), cycle(['b', 'a'], 12)])).runs[0].results.map(fpOf);
    expect(twice[0].replace(/:1$/, ':2')).toBe(twice[1]);
  });
  it('fingerprints are equal across runs: timings, schedule tokens, tool version and the checkout path do not enter', () => {
    const before = sarifOf(sampleReport()).runs[0].results.map((x: any) => x.partialFingerprints);
    const other = sampleReport();
    other.tool.version = '9.9.9';
    other.models[1]!.stats.ms = 123456;
    const dl = other.models[1]!.verdicts[0]! as Extract<Verdict, { status: 'violated' }>;
    dl.findings[0]!.trace!.schedule = 'ffffffff-AAAA';
    expect(sarifOf(other).runs[0].results.map((x: any) => x.partialFingerprints)).toEqual(before);
    // The same model checked from two different absolute checkouts.
    const at = (root: string) => {
      const r = oneModel([cycle(['a', 'b'], 10)], { file: `${root}/fixtures/x/two-cycles.model.ts` });
      return fpOf(sarifOf(r).runs[0].results[0]);
    };
    expect(at('/home/alice/src/drv')).toBe(at('/builds/ci/1234/drv'));
    // A different rule check at the same place is a different finding.
    const a = cycle(['a', 'b'], 10);
    expect(fpOf(sarifOf(oneModel([{ ...a, check: 'other' }])).runs[0].results[0])).not.toBe(fpOf(sarifOf(oneModel([a])).runs[0].results[0]));
  });

  it('every rule has help (text and Markdown) and, with a docs page, a helpUri', () => {
    const rules = sarifOf(sampleReport()).runs[0].tool.driver.rules;
    for (const r of rules) {
      expect(r.help.text, r.id).toMatch(/\S/);
      expect(r.help.markdown, r.id).toMatch(/\S/);
    }
    const fence = rules.find((r: any) => r.id === 'fence-signalling-no-reclaim');
    expect(fence.helpUri).toBe('https://lockmc.example/docs/rules/fence-signalling-no-reclaim.md');
    expect(fence.help.markdown).toBe(`# fence-signalling-no-reclaim\n\n${RULE_META['fence-signalling-no-reclaim']!.summary}\n`);
    expect(fence.help.text).toBe(`${RULE_META['fence-signalling-no-reclaim']!.summary}\n\n${RULE_META['fence-signalling-no-reclaim']!.rationale}`);
    // fence-map-read-trylock has no metadata and no page: help still says what it is, and no helpUri.
    const unknown = rules.find((r: any) => r.id === 'fence-map-read-trylock');
    expect(unknown.help.text).toBe('lockmc rule fence-map-read-trylock.');
    expect(unknown).not.toHaveProperty('helpUri');
    const lmc = rules.find((r: any) => r.id === 'LMC201');
    expect(lmc.help.text).toBe('LMC201: unknown identifier. An identifier names no declared lock, fence or object. Run `lockmc explain LMC201` for more.');
  });
  it('the CLI context reads docs/rules/<id>.md for every registered rule', () => {
    const ctx = renderContext(fakeIo(), { ...defaultCliOptions(), color: false });
    for (const rule of ALL_RULES) {
      const help = ctx.ruleHelp!(rule.meta.id);
      expect(help, rule.meta.id).toBeDefined();
      expect(help!.markdown).toBe(readFileSync(join(ROOT, 'docs', 'rules', `${rule.meta.id}.md`), 'utf8'));
      expect(help!.uri).toBe(pathToFileURL(join(ROOT, 'docs', 'rules', `${rule.meta.id}.md`)).href);
    }
    expect(ctx.ruleHelp!('no-such-rule')).toBeUndefined();
    expect(ctx.ruleHelp!('../../package')).toBeUndefined();
    expect(ctx.diagnosticHelp!('LMC401')).toMatch(/positive integer/);
  });

  it('a declared violation is a result suppressed in source, citing the @expect line', () => {
    const results = sarifOf(sampleReport()).runs[0].results;
    const declared = results.find((x: any) => x.ruleId === 'fence-signalling-no-reclaim');
    expect(declared.suppressions).toEqual([{ kind: 'inSource', justification: '@expect violates fence-signalling-no-reclaim at fixtures/drivers/userptr-notifier-waits-on-job.model.ts' }]);
    expect(declared.level).toBe('error');
    expect(declared.locations).toHaveLength(1);
    // Undeclared violations are live alerts.
    for (const r of results.filter((x: any) => x.ruleId !== 'fence-signalling-no-reclaim')) expect(r).not.toHaveProperty('suppressions');
    const withLine = sarifOf(oneModel([cycle(['a', 'b'], 10)], { expected: [{ kind: 'violates', rule: 'order-canonical', line: 6 }] })).runs[0].results[0];
    expect(withLine.suppressions).toEqual([{ kind: 'inSource', justification: '@expect violates order-canonical at fixtures/x/two-cycles.model.ts:6' }]);
    expect(withLine.ruleIndex).toBe(0);
  });
  it('the header parser records the line of each @expect tag', () => {
    const text = '/**\n * Two expectations.\n *\n * @kernel v6.12\n * @expect violates order-canonical\n * @expect holds ww-backoff\n */\nconst a = 1;\n';
    expect(parseHeader(text, 'h.model.ts').header.expect).toEqual([
      { kind: 'violates', rule: 'order-canonical', line: 5 },
      { kind: 'holds', rules: ['ww-backoff'], line: 6 },
    ]);
  });
});

/**
 * The structure of the JUnit XSD (the Jenkins/Ant one GitLab also reads):
 * testsuites > testsuite > testcase > at most one of failure | error |
 * skipped, then system-out; required attributes and their types.
 */
function checkJunitSchema(root: XmlElement): void {
  const count = /^\d+$/;
  const time = /^\d+(\.\d+)?$/;
  expect(root.name).toBe('testsuites');
  expect(Object.keys(root.attrs).sort()).toEqual(['errors', 'failures', 'name', 'skipped', 'tests', 'time']);
  for (const k of ['tests', 'failures', 'errors', 'skipped']) expect(root.attrs[k]).toMatch(count);
  expect(root.attrs.time).toMatch(time);
  for (const suite of root.children) {
    expect(suite.name).toBe('testsuite');
    expect(Object.keys(suite.attrs).sort()).toEqual(['errors', 'failures', 'name', 'skipped', 'tests', 'time']);
    for (const k of ['tests', 'failures', 'errors', 'skipped']) expect(suite.attrs[k]).toMatch(count);
    expect(suite.attrs.time).toMatch(time);
    for (const c of suite.children) {
      expect(c.name).toBe('testcase');
      expect(c.attrs.name).toMatch(/\S/);
      expect(c.attrs.classname).toMatch(/\S/);
      expect(c.attrs.time).toMatch(time);
      const names = c.children.map((x) => x.name);
      expect(names.every((n) => ['failure', 'error', 'skipped', 'system-out'].includes(n)), names.join()).toBe(true);
      expect(names.filter((n) => n !== 'system-out').length).toBeLessThanOrEqual(1);
      if (names.includes('system-out')) expect(names[names.length - 1]).toBe('system-out');
      for (const x of c.children) {
        if (x.name === 'failure' || x.name === 'error') expect(Object.keys(x.attrs).sort()).toEqual(['message', 'type']);
        if (x.name === 'skipped') expect(Object.keys(x.attrs)).toEqual(['message']);
        expect(x.children).toEqual([]);
      }
    }
  }
  const sum = (k: string) => root.children.reduce((a, s) => a + Number(s.attrs[k]), 0);
  for (const k of ['tests', 'failures', 'errors', 'skipped']) expect(Number(root.attrs[k]), k).toBe(sum(k));
}

/** A model with the given verdicts and header, for exit-code agreement. */
function model(file: string, verdicts: Verdict[], extra: Partial<ModelReport> = {}): ModelReport {
  return { file, hashes: { model: '00', rules: '11' }, kernel: 'v7.0', verdicts, diagnostics: [], stats: { ms: 7, engine: ['explicit'] }, ...extra };
}

const LMC201 = { code: 'LMC201' as const, severity: 'error' as const, message: "unknown identifier 'x'", file: 'm/e.model.ts', line: 3, col: 5 };

/** One model per way a model can end, each with its exit code under the current rules. */
function mixedReport(): Report {
  const violated = (rule: string): Verdict => ({ status: 'violated', rule, engine: 'explicit', findings: [{ ...DEADLOCK_FINDING, rule }] });
  const models: ModelReport[] = [
    // exit 0: the violation the header declares.
    model('m/declared.model.ts', [violated('no-deadlock'), { status: 'proved', rule: 'ww-backoff', engine: 'lockgraph' }], {
      expected: [{ kind: 'violates', rule: 'no-deadlock', line: 4 }],
      expectation: { met: true, detail: 'as declared' },
    }),
    // exit 1: a violation nobody declared.
    model('m/undeclared.model.ts', [violated('no-deadlock')]),
    // exit 1: the declared violation did not happen.
    model('m/missed.model.ts', [{ status: 'proved', rule: 'no-deadlock', engine: 'explicit' }], {
      expected: [{ kind: 'violates', rule: 'no-deadlock' }],
      expectation: { met: false, detail: 'expected no-deadlock to be violated, got proved' },
    }),
    // exit 0: the error the header declares.
    model('m/expected-error.model.ts', [], { diagnostics: [LMC201], expected: [{ kind: 'error', code: 'LMC201' }], expectation: { met: true, detail: 'as declared' } }),
    // non-zero: an error the header does not expect.
    model('m/e.model.ts', [], { diagnostics: [LMC201], expected: [{ kind: 'holds', rules: 'all' }], expectation: { met: false, detail: 'unexpected error LMC201' } }),
    // exit 7: inconclusive, no header.
    model('m/limit.model.ts', [{ status: 'inconclusive', rule: 'no-deadlock', engine: 'bmc', limit: { kind: 'z3-unknown', reason: 'rlimit' } }]),
    // exit 70: internal error.
    model('m/internal.model.ts', [], { diagnostics: [{ code: 'LMC901', severity: 'error', message: 'schedule does not replay' }] }),
    // exit 0: clean.
    model('m/clean.model.ts', [{ status: 'holds-up-to', rule: 'no-deadlock', engine: 'bmc', bound: 30 }]),
  ];
  return { ...cleanReport(), diagnostics: [], models, exitCode: 70 };
}

describe('junit', () => {
  const xml = renderJunit(sampleReport(), CTX);
  it('matches its golden and is well-formed', () => {
    expect(xml).toBe(golden('sample.junit.xml', xml));
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    // The declared violation of the first model is no longer a failure.
    expect(root.attrs).toMatchObject({ tests: '10', failures: '4', errors: '2', skipped: '1', time: '0.450' });
  });
  it('one testcase per model x rule; a declared violation passes with the finding in system-out', () => {
    const root = parseXml(xml);
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'fixtures/drivers/userptr-notifier-waits-on-job.model.ts',
      'fixtures/rules/no-deadlock/violates-abba.model.ts',
      'fixtures/errors/lmc201-unknown-identifier.model.ts',
    ]);
    const cases = findAll(suites[0], 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(['fence-signalling-no-reclaim', 'order-canonical', 'ww-backoff', 'no-deadlock', 'fence-map-read-trylock']);
    expect(findAll(cases[0], 'failure')).toEqual([]);
    const out = findAll(cases[0], 'system-out')[0];
    expect(out.text).toMatch(/^violated, as the model's @expect declares\n/);
    expect(out.text).toContain('WARNING: possible circular locking dependency detected');
    expect(out.text).toContain('lockmc replay');
    // The inconclusive verdict is not hidden by the met @expect.
    expect(findAll(cases[3], 'error')[0].attrs).toEqual({ message: 'inconclusive (time-out after 60 s, explicit)', type: 'inconclusive' });
    const failure = findAll(suites[1], 'failure').find((f) => f.attrs.type === 'violated')!;
    expect(failure.attrs.message).toBe('every unfinished thread is blocked: thread_a waits for b, thread_b waits for a');
    expect(failure.text).toContain('WARNING: deadlock');
    expect(failure.text).toContain('lockmc replay');
    expect(findAll(suites[1], 'testcase').map((c) => c.attrs.name)).toEqual(['expectation', 'no-deadlock', 'ww-backoff', 'order-canonical']);
    expect(findAll(suites[2], 'error')[0].attrs.type).toBe('LMC201');
  });
  it('the shape GitLab and Jenkins read: classname, name, file and time on every testcase; counts and times add up', () => {
    const interrupted: Report = { ...mixedReport(), diagnostics: [{ code: 'LMC303', severity: 'error', message: 'x' }], interrupted: { signal: 'SIGTERM' } };
    for (const r of [sampleReport(), mixedReport(), cleanReport(), interrupted]) {
      const root = parseXml(renderJunit(r, CTX));
      checkJunitSchema(root);
      let total = 0;
      for (const suite of findAll(root, 'testsuite')) {
        const cases = findAll(suite, 'testcase');
        expect(Number(suite.attrs.tests)).toBe(cases.length);
        expect(Number(suite.attrs.failures)).toBe(cases.filter((c) => findAll(c, 'failure').length > 0).length);
        expect(Number(suite.attrs.errors)).toBe(cases.filter((c) => findAll(c, 'error').length > 0).length);
        expect(Number(suite.attrs.skipped)).toBe(cases.filter((c) => findAll(c, 'skipped').length > 0).length);
        for (const c of cases) {
          if (suite.attrs.name === 'lockmc') continue;
          expect(Object.keys(c.attrs).sort()).toEqual(['classname', 'file', 'name', 'time']);
          expect(c.attrs.file).toBe(suite.attrs.name);
          expect(c.attrs.classname).not.toMatch(/\.model\.ts|\//);
          expect(c.attrs.time).toMatch(/^\d+\.\d{3}$/);
          // At most one outcome element per testcase.
          expect(c.children.filter((x) => ['failure', 'error', 'skipped'].includes(x.name)).length).toBeLessThanOrEqual(1);
        }
        const ms = Math.round(cases.reduce((a, c) => a + Number(c.attrs.time) * 1000, 0));
        expect(ms).toBe(Math.round(Number(suite.attrs.time) * 1000));
        total += cases.length;
      }
      expect(Number(root.attrs.tests)).toBe(total);
    }
    expect(junitClassname('fixtures/rules/no-deadlock/violates-abba.model.ts')).toBe('fixtures.rules.no-deadlock.violates-abba');
    expect(junitClassname('./a.b/c.model.ts')).toBe('a_b.c');
  });
  it('failures and errors exist exactly where the model exit code is not 0', () => {
    const r = mixedReport();
    const suites = findAll(parseXml(renderJunit(r, CTX)), 'testsuite');
    expect(suites).toHaveLength(r.models.length);
    r.models.forEach((m, i) => {
      const bad = Number(suites[i]!.attrs.failures) + Number(suites[i]!.attrs.errors);
      expect(bad > 0, `${m.file}: exit ${modelExitCode(m)}`).toBe(modelExitCode(m) !== 0);
    });
    const root = parseXml(renderJunit(r, CTX));
    // undeclared + missed + (unexpected error: its expectation) fail; unexpected error, limit and internal are errors.
    expect(root.attrs).toMatchObject({ failures: '3', errors: '3' });
    const byName = (file: string) => findAll(suites[r.models.findIndex((m) => m.file === file)]!, 'testcase');
    expect(findAll(byName('m/limit.model.ts')[0]!, 'error')[0]!.attrs).toEqual({ message: 'inconclusive (z3 unknown: rlimit, bmc)', type: 'inconclusive' });
    expect(findAll(byName('m/internal.model.ts')[0]!, 'error')[0]!.attrs.type).toBe('LMC901');
    expect(findAll(byName('m/expected-error.model.ts')[0]!, 'system-out')[0]!.text).toContain('error LMC201');
    expect(findAll(byName('m/missed.model.ts')[0]!, 'failure')[0]!.attrs).toEqual({ message: 'expected no-deadlock to be violated, got proved', type: 'expectation' });
  });
  it('an @expect missed only because of a limit is an error, not a failure', () => {
    const m = model('m/l.model.ts', [{ status: 'inconclusive', rule: 'no-deadlock', engine: 'bmc', limit: { kind: 'states', max: 1000 } }], {
      expected: [{ kind: 'violates', rule: 'no-deadlock' }],
      expectation: { met: false, detail: 'expected no-deadlock to be violated, got inconclusive (state limit 1000)' },
    });
    expect(modelExitCode(m)).toBe(7);
    const root = parseXml(renderJunit({ ...cleanReport(), diagnostics: [], models: [m], exitCode: 7 }, CTX));
    expect(root.attrs).toMatchObject({ tests: '2', failures: '0', errors: '2' });
    expect(findAll(root, 'error').map((e) => e.attrs.type)).toEqual(['inconclusive', 'inconclusive']);
  });
  it('a met @expect that does not cover a violated rule: reported, not failed, even beside an inconclusive verdict', () => {
    const m = model(
      'm/partial.model.ts',
      [
        { status: 'violated', rule: 'no-deadlock', engine: 'explicit', findings: [DEADLOCK_FINDING] },
        { status: 'violated', rule: 'ww-backoff', engine: 'lockgraph', findings: [RECURSIVE_FINDING] },
        { status: 'inconclusive', rule: 'order-canonical', engine: 'bmc', limit: { kind: 'states', max: 10 } },
      ],
      { expected: [{ kind: 'violates', rule: 'no-deadlock' }], expectation: { met: true, detail: 'as declared' } },
    );
    const cases = findAll(parseXml(renderJunit({ ...cleanReport(), diagnostics: [], models: [m], exitCode: 7 }, CTX)), 'testcase');
    expect(cases.map((c) => c.children.map((x) => x.name))).toEqual([['system-out'], ['system-out'], ['error']]);
    expect(findAll(cases[1]!, 'system-out')[0]!.text).toMatch(/^violated; not a failure: the model's @expect does not cover this rule\n/);
  });
  it('an interrupted run is an errored testcase', () => {
    const r: Report = { ...cleanReport(), diagnostics: [], interrupted: { signal: 'SIGINT', model: 'm/slow.model.ts' }, exitCode: 130 };
    const root = parseXml(renderJunit(r, CTX));
    expect(findAll(root, 'error')[0]!.attrs).toEqual({ message: 'interrupted by SIGINT while checking m/slow.model.ts; later models were not checked', type: 'interrupted' });
  });
});

function pngSize(file: string): { width: number; height: number; colours: number } {
  // Decode enough of the PNG to count distinct pixel values: a blank or
  // single-colour screenshot has one.
  const buf = readFileSync(file);
  expect(buf.subarray(1, 4).toString()).toBe('PNG');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const bitDepth = buf[24];
  const colorType = buf[25];
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString();
    if (type === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = (colorType === 6 ? 4 : colorType === 2 ? 3 : 1) * (bitDepth / 8);
  const stride = width * bpp + 1;
  const seen = new Set<string>();
  // Filter bytes make raw rows differ from pixels; distinct filtered rows still tell blank from drawn.
  for (let y = 0; y < height && seen.size < 50; y += 7) seen.add(raw.subarray(y * stride + 1, (y + 1) * stride).toString('base64'));
  return { width, height, colours: seen.size };
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function screenshot(file: string, w: number, h: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-shot-'));
  const png = join(dir, 'shot.png');
  const r = spawnSync(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--screenshot=${png}`,
      `--window-size=${w},${h}`,
      `file://${file}`,
    ],
    { timeout: 60_000, encoding: 'utf8' },
  );
  if (!existsSync(png)) throw new Error(`chromium made no screenshot: ${r.stderr}`);
  return png;
}

describe('svg and html', () => {
  const svg = renderSvg(sampleReport(), CTX);
  const html = renderHtml(sampleReport(), CTX);
  it('svg matches its golden and is well-formed with lanes, bars and the blocking edge', () => {
    expect(svg).toBe(golden('sample.svg', svg));
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const traces = findAll(root, 'g').filter((g) => g.attrs.class === 'trace');
    expect(traces).toHaveLength(2);
    const lanes = findAll(traces[1], 'g').filter((g) => g.attrs.class === 'lane');
    expect(lanes.map((l) => findAll(l, 'text')[0].text)).toEqual(['thread_a', 'thread_b']);
    const edges = findAll(traces[1], 'g').filter((g) => g.attrs.class === 'blocking-edge');
    // The sample's waits are bare `op`s: no data names a holder, so no lane is guessed (tests/cli/pictures.test.ts draws real lock waits).
    expect(edges.map((e) => findAll(e, 'title')[0].text)).toEqual([
      'thread_a waits for b (b) (no thread in the picture can end this wait)',
      'thread_b waits for a (a) (no thread in the picture can end this wait)',
    ]);
    const holds = findAll(traces[1], 'rect').filter((r) => r.attrs.class === 'hold');
    expect(holds).toHaveLength(2);
  });
  it('hold bars follow the held lists', () => {
    const bars = holdBars(CIRCULAR_TRACE);
    expect(bars.get('run_job')!.map((b) => [b.lock, b.from, b.to, b.open])).toEqual([
      ['dma_fence_map', 1, 6, true],
      ['fs_reclaim', 2, 6, true],
      ['mmu_notifier_invalidate_range_start', 3, 6, true],
      ['notifier_lock (notifier_lock)', 4, 6, true],
    ]);
    expect(bars.get('cs_ioctl')).toEqual([]);
    const dl = holdBars(DEADLOCK_FINDING.trace!);
    expect(dl.get('thread_b')!.map((b) => [b.lock, b.from, b.to])).toEqual([['b (b)', 2, 5]]);
  });
  it('svg without traces still says why', () => {
    const out = renderSvg(cleanReport(), CTX);
    expect(parseXml(out).name).toBe('svg');
    expect(out).toContain('no trace to draw');
  });
  it('html is well-formed and embeds a picture and the text per finding', () => {
    expect(html).toBe(golden('sample.html', html));
    const root = parseXml(html);
    expect(root.name).toBe('html');
    expect(findAll(root, 'section').filter((s) => s.attrs.class === 'finding')).toHaveLength(4);
    expect(findAll(root, 'svg')).toHaveLength(2);
    expect(findAll(root, 'pre').filter((p) => p.attrs.class === 'report')).toHaveLength(4);
  });
  it.skipIf(!CHROMIUM)('renders in headless chromium to a non-blank picture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-svg-'));
    try {
      const f = join(dir, 'trace.svg');
      writeFileSync(f, svg);
      const png = screenshot(f, 900, 700);
      expect(statSync(png).size).toBeGreaterThan(3000);
      const p = pngSize(png);
      expect(p.width).toBe(900);
      expect(p.colours).toBeGreaterThan(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pretty', () => {
  it('without colour equals text (same breaks) when the content is ASCII', () => {
    const r: Report = cleanReport();
    expect(renderPretty(r, { ...CTX, color: false, width: 72 })).toBe(renderText(r, CTX));
  });
  it('with colour adds ANSI escapes but the same words', () => {
    const r = sampleReport();
    const coloured = renderPretty(r, { ...CTX, color: true, width: 72 });
    expect(coloured).toMatch(/\x1b\[/);
    const stripped = coloured.replace(/\x1b\[[0-9;]*m/g, '');
    expect(stripped.replace(/\s+/g, ' ')).toBe(renderPretty(r, { ...CTX, color: false, width: 72 }).replace(/\s+/g, ' '));
  });
});

describe('run-level errors', () => {
  const r: Report = {
    ...cleanReport(),
    models: [],
    diagnostics: [{ code: 'LMC303', severity: 'error', message: "unknown rule 'x' in enable", hint: 'run `lockmc rules` for the list' }],
    exitCode: 2,
  };
  it('junit shows them as an errored suite', () => {
    const root = parseXml(renderJunit(r, CTX));
    expect(root.attrs).toMatchObject({ tests: '1', errors: '1' });
    expect(findAll(root, 'error')[0].attrs).toEqual({ message: "LMC303: unknown rule 'x' in enable", type: 'LMC303' });
  });
  it('sarif marks the invocation unsuccessful and reports the diagnostic', () => {
    const s = buildSarif(r, CTX) as any;
    // A diagnostic without a file is a configuration notification, not a
    // result: code scanning drops results that have no location.
    expect(s.runs[0].invocations[0]).toEqual({
      executionSuccessful: false,
      exitCode: 2,
      toolConfigurationNotifications: [{ descriptor: { id: 'LMC303' }, level: 'error', message: { text: "unknown rule 'x' in enable (hint: run `lockmc rules` for the list)" } }],
    });
    expect(s.runs[0].results).toEqual([]);
    const withFile = buildSarif({ ...r, diagnostics: [{ ...r.diagnostics[0]!, file: 'rules.json', line: 3, col: 7 }] }, CTX) as any;
    expect(withFile.runs[0].results[0]).toMatchObject({ ruleId: 'LMC303', level: 'error', locations: [{ physicalLocation: { region: { startLine: 3, startColumn: 7 } } }] });
  });
});

describe('xml escaping', () => {
  it('replaces what XML 1.0 forbids, keeps paired surrogates, escapes markup', () => {
    expect(xmlEscape('a\u0001b\ufffec\ud800d\udc00e \ud83d\ude00 <&>"\'')).toBe('a?b?c?d?e \ud83d\ude00 &lt;&amp;&gt;&quot;&apos;');
    expect(cdata('x]]>y\u0000\ud800')).toBe('<![CDATA[x]]]]><![CDATA[>y??]]>');
    // Tab, newline and carriage return are allowed.
    expect(xmlEscape('\t\n\r')).toBe('\t\n\r');
  });
});
