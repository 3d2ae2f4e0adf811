/**
 * `junit`: one testsuite per model, one testcase per (model, rule), plus
 * a `model` testcase when the model has diagnostics and an `expectation`
 * testcase when it misses the verdict its header declares.
 *
 * The JUnit outcome follows the exit code (checker/exit-codes.ts
 * `modelExitCode`): a model whose exit code is 0 has no failing testcase,
 * a model whose exit code is not 0 has at least one. So a violation the
 * header declares (`@expect violates X`) and that occurred is a passing
 * testcase carrying the finding in <system-out>; an undeclared one is a
 * <failure>.
 *
 * <failure> vs <error>, as JUnit consumers read them: a <failure> is a
 * rule found violated or a declared verdict not met (the model is wrong);
 * an <error> is a verdict that could not be reached: an inconclusive
 * verdict (type `inconclusive`, the limit in the message: never silent),
 * a model that did not load, an internal error, a configuration error.
 * GitLab and Jenkins count both as failed tests.
 *
 * Shape (what GitLab's test report and Jenkins' JUnit plugin read):
 * testsuites/testsuite carry tests, failures, errors, skipped and time;
 * every testcase carries classname (the model path as a dotted class
 * name, since Jenkins splits classname at dots), name, file and time.
 * lockmc times models, not rules: a model's time is shared between its
 * testcases so that summed testcase times (what both tools show as a
 * suite's duration) equal the model's time.
 */

import type { Diagnostic, ModelReport, Report, Verdict } from '../../checker/report.js';
import { ExitCode, modelExitCode } from '../../checker/exit-codes.js';
import { diagnosticLines, type RunFacts } from './doc.js';
import { linesToText, renderFindingText } from './text.js';
import type { RenderContext } from './types.js';
import { cdata, xmlEscape } from './xml.js';
import { limitText, verdictText } from './words.js';

type Outcome =
  | { kind: 'pass'; out?: string }
  | { kind: 'failure' | 'error'; message: string; type: string; body?: string }
  | { kind: 'skipped'; message: string };

interface Case {
  name: string;
  outcome: Outcome;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** `fixtures/drivers/a.model.ts` -> `fixtures.drivers.a`: Jenkins shows package `fixtures.drivers`, class `a`. */
export function junitClassname(file: string): string {
  const f = file.replace(/\\/g, '/').replace(/\.model\.ts$/, '');
  return f
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .map((p) => p.replace(/\./g, '_'))
    .join('.');
}

function declaresViolation(m: ModelReport, rule: string): boolean {
  return m.expected?.some((e) => e.kind === 'violates' && e.rule === rule) ?? false;
}

function verdictCase(m: ModelReport, v: Verdict, failing: boolean, ctx: RenderContext, run: RunFacts): Case {
  switch (v.status) {
    case 'violated': {
      const text = v.findings.map((f) => renderFindingText(f, m, ctx, run)).join('\n');
      const msg = v.findings.map((f) => f.message).join('; ');
      if (declaresViolation(m, v.rule)) return { name: v.rule, outcome: { kind: 'pass', out: `violated, as the model's @expect declares\n\n${text}` } };
      // An undeclared violation the header accepts (it lists only some rules
      // as holding, and is met) does not make the exit code non-zero: it is
      // reported, not failed, even when a limit elsewhere fails the model.
      if (!failing || m.expectation?.met) return { name: v.rule, outcome: { kind: 'pass', out: `violated; not a failure: the model's @expect does not cover this rule\n\n${text}` } };
      return { name: v.rule, outcome: { kind: 'failure', message: msg, type: 'violated', body: text } };
    }
    case 'inconclusive':
      // Never a pass: nothing was decided, whatever the header expects.
      return { name: v.rule, outcome: { kind: 'error', message: verdictText(v), type: 'inconclusive', body: limitText(v.limit) } };
    case 'skipped':
      return { name: v.rule, outcome: { kind: 'skipped', message: v.reason } };
    case 'not-applicable':
      // Nothing was checked: JUnit's skipped, never a pass that reads as proved.
      return { name: v.rule, outcome: { kind: 'skipped', message: `not applicable: ${v.reason}` } };
    case 'proved':
    case 'holds-up-to':
      return { name: v.rule, outcome: { kind: 'pass', out: verdictText(v) } };
  }
}

function diagnosticsText(ds: Diagnostic[]): string {
  return linesToText(ds.flatMap(diagnosticLines)) + '\n';
}

function modelCases(m: ModelReport, ctx: RenderContext, run: RunFacts): Case[] {
  const exit = modelExitCode(m);
  const failing = exit !== 0;
  const cases: Case[] = [];
  if (m.diagnostics.length > 0) {
    const errs = m.diagnostics.filter((d) => d.severity === 'error');
    const text = diagnosticsText(m.diagnostics);
    // An error the header expects (`@expect error LMCnnn`) leaves exit 0: a pass.
    cases.push({
      name: 'model',
      outcome:
        errs.length > 0 && failing
          ? { kind: 'error', message: errs.map((d) => `${d.code}: ${d.message}`).join('; '), type: errs[0]!.code, body: text }
          : { kind: 'pass', out: text },
    });
  }
  if (m.expectation && !m.expectation.met) {
    // Missed only because a limit was hit: not decided, not wrong.
    const limited = exit === ExitCode.INCONCLUSIVE;
    cases.push({
      name: 'expectation',
      outcome: { kind: limited ? 'error' : 'failure', message: m.expectation.detail, type: limited ? 'inconclusive' : 'expectation' },
    });
  }
  for (const v of m.verdicts) cases.push(verdictCase(m, v, failing, ctx, run));
  return cases;
}

/** `time` per testcase: the model's milliseconds shared out so that they add up exactly. */
function shareTime(totalMs: number, n: number): number[] {
  const ms = Math.max(0, Math.round(totalMs));
  const base = Math.floor(ms / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? ms - base * (n - 1) : base));
}

function caseXml(c: Case, classname: string, file: string | undefined, ms: number): string {
  const attrs = `classname="${xmlEscape(classname)}" name="${xmlEscape(c.name)}"${file !== undefined ? ` file="${xmlEscape(file)}"` : ''} time="${seconds(ms)}"`;
  const o = c.outcome;
  switch (o.kind) {
    case 'pass':
      return o.out === undefined
        ? `    <testcase ${attrs}/>`
        : `    <testcase ${attrs}>\n      <system-out>${cdata(o.out)}</system-out>\n    </testcase>`;
    case 'skipped':
      return `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(o.message)}"/>\n    </testcase>`;
    case 'failure':
    case 'error': {
      const open = `<${o.kind} message="${xmlEscape(o.message)}" type="${xmlEscape(o.type)}"`;
      const el = o.body === undefined ? `${open}/>` : `${open}>${cdata(o.body)}</${o.kind}>`;
      return `    <testcase ${attrs}>\n      ${el}\n    </testcase>`;
    }
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function count(cases: Case[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
  };
}

function suiteXml(name: string, cases: Case[], classname: string, file: string | undefined, ms: number): { xml: string; counts: Counts } {
  const counts = count(cases);
  const times = cases.length > 0 ? shareTime(ms, cases.length) : [];
  const body = cases.map((c, i) => caseXml(c, classname, file, times[i]!));
  const head = `  <testsuite name="${xmlEscape(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds(ms)}"`;
  const xml = body.length === 0 ? `${head}/>` : `${head}>\n${body.join('\n')}\n  </testsuite>`;
  return { xml, counts };
}

export function renderJunit(report: Report, ctx: RenderContext): string {
  const suites: { xml: string; counts: Counts }[] = [];
  for (const m of report.models) {
    suites.push(suiteXml(m.file, modelCases(m, ctx, report), junitClassname(m.file), m.file, m.stats.ms));
  }
  // What stops or cuts short the whole run (configuration and rule-file
  // errors, an interrupt) is an errored suite, not zero tests.
  const run: Case[] = [];
  const globalErrors = report.diagnostics.filter((d) => d.severity === 'error');
  if (globalErrors.length > 0) {
    run.push({
      name: 'configuration',
      outcome: { kind: 'error', message: globalErrors.map((d) => `${d.code}: ${d.message}`).join('; '), type: globalErrors[0]!.code, body: diagnosticsText(report.diagnostics) },
    });
  }
  if (report.interrupted) {
    const i = report.interrupted;
    run.push({
      name: 'interrupted',
      outcome: { kind: 'error', message: `interrupted by ${i.signal}${i.model ? ` while checking ${i.model}` : ''}; later models were not checked`, type: 'interrupted' },
    });
  }
  if (run.length > 0) {
    const file = globalErrors.find((d) => d.file !== undefined)?.file;
    suites.push(suiteXml('lockmc', run, 'lockmc', file, 0));
  }
  const total = suites.reduce((a, s) => ({ tests: a.tests + s.counts.tests, failures: a.failures + s.counts.failures, errors: a.errors + s.counts.errors, skipped: a.skipped + s.counts.skipped }), {
    tests: 0,
    failures: 0,
    errors: 0,
    skipped: 0,
  });
  const totalMs = report.models.reduce((a, m) => a + Math.max(0, Math.round(m.stats.ms)), 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="lockmc" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${seconds(totalMs)}">\n` +
    suites.map((s) => s.xml).join('\n') +
    (suites.length > 0 ? '\n' : '') +
    `</testsuites>\n`
  );
}
