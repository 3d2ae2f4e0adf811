/**
 * JUnit and SARIF on reports the real pipeline produced from a
 * representative part of the bundled corpus (drivers, error fixtures, and
 * the rule directories with deadlocks, unsignalled fences, cycles and
 * recursive locking): what CI consumes must agree with the exit code, and
 * code scanning must get one stable alert per finding. Assertions hold
 * whatever the verdicts are, so they do not depend on the machine's speed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import { CHECK_BUDGET } from '../budgets.js';
import type { Report } from '../../checker/report.js';
import { modelExitCode } from '../../checker/exit-codes.js';
import * as CHECKER from '../../checker/index.js';
import { collectModels } from '../../cli/files.js';
import { renderJunit } from '../../cli/render/junit.js';
import { FINGERPRINT_KEY, buildSarif } from '../../cli/render/sarif.js';
import { renderContext } from '../../cli/shared.js';
import { defaultCliOptions } from '../../cli/args.js';
import { fakeIo } from './fake-io.js';
import { findAll, parseXml } from './xml-check.js';
import { SARIF_SCHEMA_PATH, sarifValidator } from './sarif-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = [
  'fixtures/drivers',
  'fixtures/errors',
  'fixtures/rules/deadlock',
  'fixtures/rules/fence-finite',
  'fixtures/rules/lockdep-circular-dependency',
  'fixtures/rules/lockdep-recursive-locking',
  'fixtures/rules/fence-signalling-no-reclaim',
];

describe('CI formats on real reports', () => {
  let report: Report;
  let again: Report;
  const ctx = renderContext(fakeIo({ cwd: ROOT }), { ...defaultCliOptions(), color: false });
  beforeAll(async () => {
    const c = collectModels(DIRS, ROOT);
    if (!('files' in c)) throw new Error(`missing ${c.missing}`);
    // Paths relative to the package root, as the CLI passes them (vitest runs there).
    expect(process.cwd()).toBe(ROOT);
    const inputs = c.files.map((file) => ({ file }));
    // Deterministic budgets: the verdicts must not depend on the machine's speed.
    const options = { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET };
    report = await CHECKER.check(inputs, options);
    again = await CHECKER.check(inputs, options);
  });

  it('junit: a model has failing testcases exactly when its exit code is not 0', () => {
    const root = parseXml(renderJunit(report, ctx));
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(report.models.map((m) => m.file));
    report.models.forEach((m, i) => {
      const bad = Number(suites[i]!.attrs.failures) + Number(suites[i]!.attrs.errors);
      expect(bad > 0, `${m.file}: exit ${modelExitCode(m)}`).toBe(modelExitCode(m) !== 0);
    });
    const bad = Number(root.attrs.failures) + Number(root.attrs.errors);
    expect(bad > 0).toBe(report.exitCode !== 0);
    // The corpus declares its violations: they pass, with the finding shown.
    const declared = report.models.filter((m) => m.expected?.some((e) => e.kind === 'violates') && modelExitCode(m) === 0);
    expect(declared.length).toBeGreaterThan(5);
    const outs = findAll(root, 'system-out').filter((o) => o.text.startsWith("violated, as the model's @expect declares"));
    expect(outs.length).toBeGreaterThanOrEqual(declared.length);
  });

  it.skipIf(SARIF_SCHEMA_PATH === undefined)('sarif validates against the official 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(buildSarif(report, ctx));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('sarif: every result has a region, every rule has help, every finding its own stable fingerprint', () => {
    const run = (buildSarif(report, ctx) as any).runs[0];
    for (const r of run.results) {
      const pl = r.locations[0].physicalLocation;
      expect(pl.region.startLine, JSON.stringify(r.message)).toBeGreaterThanOrEqual(1);
      expect(pl.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    }
    for (const rule of run.tool.driver.rules) expect(rule.help?.markdown, rule.id).toMatch(/\S/);
    const kinds = new Set(run.results.map((r: any) => r.properties?.findingKind));
    expect([...kinds]).toEqual(expect.arrayContaining(['deadlock', 'circular-dependency', 'recursive-locking', 'fence-never-signalled']));
    const deadlocks = run.results.filter((r: any) => r.properties?.findingKind === 'deadlock');
    for (const d of deadlocks) expect(d.properties.anchor).toBe('blocked');
    const fps = run.results.filter((r: any) => r.partialFingerprints).map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it('sarif: a second run gives every finding the same fingerprint', () => {
    // Compared per (model, rule) violated in both runs: a rule one run could
    // not decide (a limit on a loaded machine) has no findings to compare.
    const byRule = (r: Report) => {
      const out = new Map<string, string[]>();
      for (const res of (buildSarif(r, ctx) as any).runs[0].results) {
        if (!res.properties?.findingKind) continue;
        const key = `${res.locations[0].physicalLocation.artifactLocation.uri} ${res.ruleId}`;
        out.set(key, [...(out.get(key) ?? []), res.partialFingerprints[FINGERPRINT_KEY]]);
      }
      return out;
    };
    const a = byRule(report);
    const b = byRule(again);
    const both = [...a.keys()].filter((k) => b.has(k));
    expect(both.length).toBeGreaterThan(10);
    for (const k of both) expect(b.get(k), k).toEqual(a.get(k));
  });

  it('sarif: declared violations are suppressed, citing the real @expect line', () => {
    const run = (buildSarif(report, ctx) as any).runs[0];
    const suppressed = run.results.filter((r: any) => r.suppressions);
    expect(suppressed.length).toBeGreaterThan(5);
    for (const r of suppressed) {
      const m = /^@expect violates (\S+) at (.+):(\d+)$/.exec(r.suppressions[0].justification);
      expect(m, r.suppressions[0].justification).not.toBeNull();
      expect(m![1]).toBe(r.ruleId);
      const line = readFileSync(join(ROOT, m![2]!), 'utf8').split('\n')[Number(m![3]) - 1];
      expect(line).toMatch(new RegExp(`@expect violates ${r.ruleId}(/\\S+ at \\d+)?\\s*$`));
    }
  });
});
