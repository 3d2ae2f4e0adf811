/**
 * `text`: the report as it goes into an email. ASCII only, at most 72
 * columns, no colour, byte-for-byte deterministic for one Report.
 */

import type { Report } from '../../checker/report.js';
import { TEXT_WIDTH, buildFinding, buildReport, layout, type RunFacts } from './doc.js';
import type { RenderContext } from './types.js';
import { type Line, plain } from './wrap.js';
import type { Finding, ModelReport } from '../../checker/report.js';

/**
 * Replace anything outside printable ASCII: mail clients and lockdep logs
 * are ASCII. One UTF-16 unit in, one character out: columns laid out
 * before this runs (the scenario table) keep their widths.
 */
export function toAscii(s: string): string {
  return s
    .replace(/\t/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2192/g, '>')
    .replace(/\u2026/g, '.')
    .replace(/[^\x20-\x7e]/g, '?');
}

function asciiLines(lines: Line[]): Line[] {
  return lines.map((l) => ({ ...l, segs: l.segs.map((s) => ({ ...s, text: toAscii(s.text) })) }));
}

export function linesToText(lines: Line[]): string {
  return layout(asciiLines(lines), TEXT_WIDTH)
    .map((l) => plain(l).trimEnd())
    .join('\n');
}

export function renderText(report: Report, ctx: RenderContext): string {
  return linesToText(buildReport(report, ctx)) + '\n';
}

/** One finding as text: JUnit failures and HTML pages embed it. */
export function renderFindingText(f: Finding, m: ModelReport, ctx: RenderContext, run?: RunFacts): string {
  return linesToText(buildFinding(f, m, ctx, run)) + '\n';
}
