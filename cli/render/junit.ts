/**
 * `junit`: one testsuite per model, one testcase per (model, rule).
 * A violation is a <failure> carrying the message and the text trace; an
 * inconclusive verdict is an <error> (nothing was decided), a skipped rule
 * is <skipped>; model diagnostics become a testcase named `model` so a CI
 * dashboard shows a model that did not even load.
 */

import type { ModelReport, Report, Verdict } from '../../checker/report.js';
import { diagnosticLines } from './doc.js';
import { linesToText, renderFindingText } from './text.js';
import type { RenderContext } from './types.js';
import { cdata, xmlEscape } from './xml.js';
import { limitText, verdictText } from './words.js';

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcase(m: ModelReport, v: Verdict, ctx: RenderContext): { xml: string; failure: boolean; error: boolean; skipped: boolean } {
  const head = `    <testcase classname="${xmlEscape(m.file)}" name="${xmlEscape(v.rule)}">`;
  switch (v.status) {
    case 'violated': {
      const text = v.findings.map((f) => renderFindingText(f, m, ctx)).join('\n');
      const msg = v.findings.map((f) => f.message).join('; ');
      return {
        xml: `${head}\n      <failure message="${xmlEscape(msg)}" type="violated">${cdata(text)}</failure>\n    </testcase>`,
        failure: true,
        error: false,
        skipped: false,
      };
    }
    case 'inconclusive':
      return {
        xml: `${head}\n      <error message="${xmlEscape(verdictText(v))}" type="inconclusive">${cdata(limitText(v.limit))}</error>\n    </testcase>`,
        failure: false,
        error: true,
        skipped: false,
      };
    case 'skipped':
      return { xml: `${head}\n      <skipped message="${xmlEscape(v.reason)}"/>\n    </testcase>`, failure: false, error: false, skipped: true };
    case 'proved':
    case 'holds-up-to':
      return {
        xml: `${head}\n      <system-out>${cdata(verdictText(v))}</system-out>\n    </testcase>`,
        failure: false,
        error: false,
        skipped: false,
      };
  }
}

export function renderJunit(report: Report, ctx: RenderContext): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const m of report.models) {
    const cases: string[] = [];
    let f = 0;
    let e = 0;
    let s = 0;
    const errs = m.diagnostics.filter((d) => d.severity === 'error');
    if (m.diagnostics.length > 0) {
      const text = linesToText(m.diagnostics.flatMap(diagnosticLines)) + '\n';
      const head = `    <testcase classname="${xmlEscape(m.file)}" name="model">`;
      if (errs.length > 0) {
        e++;
        cases.push(`${head}\n      <error message="${xmlEscape(errs.map((d) => `${d.code}: ${d.message}`).join('; '))}" type="${xmlEscape(errs[0].code)}">${cdata(text)}</error>\n    </testcase>`);
      } else {
        cases.push(`${head}\n      <system-out>${cdata(text)}</system-out>\n    </testcase>`);
      }
    }
    if (m.expectation && !m.expectation.met) {
      f++;
      cases.push(
        `    <testcase classname="${xmlEscape(m.file)}" name="expectation">\n      <failure message="${xmlEscape(m.expectation.detail)}" type="expectation"/>\n    </testcase>`,
      );
    }
    for (const v of m.verdicts) {
      const t = testcase(m, v, ctx);
      cases.push(t.xml);
      if (t.failure) f++;
      if (t.error) e++;
      if (t.skipped) s++;
    }
    tests += cases.length;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(
      `  <testsuite name="${xmlEscape(m.file)}" tests="${cases.length}" failures="${f}" errors="${e}" skipped="${s}" time="${seconds(m.stats.ms)}">\n${cases.join('\n')}${cases.length > 0 ? '\n' : ''}  </testsuite>`,
    );
  }
  // Errors outside any model (config, rule files) stop the run: a CI
  // dashboard must see them as a failed suite, not as zero tests.
  const globalErrors = report.diagnostics.filter((d) => d.severity === 'error');
  if (globalErrors.length > 0) {
    const text = linesToText(report.diagnostics.flatMap(diagnosticLines)) + '\n';
    tests++;
    errors++;
    suites.push(
      `  <testsuite name="lockmc" tests="1" failures="0" errors="1" skipped="0" time="0.000">\n` +
        `    <testcase classname="lockmc" name="configuration">\n      <error message="${xmlEscape(globalErrors.map((d) => `${d.code}: ${d.message}`).join('; '))}" type="${xmlEscape(globalErrors[0].code)}">${cdata(text)}</error>\n    </testcase>\n  </testsuite>`,
    );
  }
  const totalMs = report.models.reduce((a, m) => a + m.stats.ms, 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="lockmc" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(totalMs)}">\n` +
    suites.join('\n') +
    (suites.length > 0 ? '\n' : '') +
    `</testsuites>\n`
  );
}
