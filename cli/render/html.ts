/**
 * `html`: one self-contained page: per model, what went wrong first (one
 * picture per group of findings with one root cause, the svg drawing
 * inline, then each finding's text report), then the verdict list. Well-formed XHTML syntax
 * so a plain XML parser can check it.
 */

import type { Finding, ModelReport, Report } from '../../checker/report.js';
import { diagnosticLines } from './doc.js';
import { SVG_STYLE, drawTrace, type TraceDrawing } from './svg.js';
import { groupTitle, pictureGroups } from './picture-groups.js';
import { linesToText, renderFindingText } from './text.js';
import type { RenderContext } from './types.js';
import { outcomeLine } from './outcome.js';
import { findingTitle, findingsOf, verdictText } from './words.js';
import { xmlEscape } from './xml.js';

const PAGE_STYLE = [
  'body{font-family:system-ui,sans-serif;margin:24px;color:#222}',
  'pre{background:#f4f4f4;padding:8px;overflow-x:auto}',
  '.violated{color:#d62728;font-weight:bold}.proved,.holds-up-to{color:#2ca02c}',
  '.inconclusive,.skipped{color:#b8860b}',
  'svg{display:block;margin:8px 0;border:1px solid #ccc}',
].join('');

export function renderHtml(report: Report, ctx: RenderContext): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>');
  out.push('<html xmlns="http://www.w3.org/1999/xhtml" lang="en">');
  out.push('<head>');
  out.push('<meta charset="utf-8"/>');
  out.push(`<title>lockmc report</title>`);
  out.push(`<style>${PAGE_STYLE}${SVG_STYLE}</style>`);
  out.push('</head>');
  out.push('<body>');
  const z3 = report.tool.z3 ? `, z3 ${report.tool.z3}` : '';
  out.push(`<h1>${xmlEscape(`${report.tool.name} ${report.tool.version}${z3}`)}</h1>`);
  out.push(`<p class="summary">${xmlEscape(outcomeLine(report))}</p>`);
  if (report.diagnostics.length > 0) {
    out.push(`<pre class="diagnostics">${xmlEscape(linesToText(report.diagnostics.flatMap(diagnosticLines)))}</pre>`);
  }
  let k = 0;
  for (const m of report.models) {
    out.push(`<section class="model">`);
    out.push(`<h2>${xmlEscape(m.file)}</h2>`);
    if (m.diagnostics.length > 0) {
      out.push(`<pre class="diagnostics">${xmlEscape(linesToText(m.diagnostics.flatMap(diagnosticLines)))}</pre>`);
    }
    if (m.expectation) {
      out.push(`<p class="expectation">expectation ${m.expectation.met ? 'met' : 'NOT met'}: ${xmlEscape(m.expectation.detail)}</p>`);
    }
    // What went wrong first: each group's picture, then its findings' reports; the verdict list after.
    const groups = pictureGroups(m);
    const drawn = new Set<Finding>();
    for (const g of groups) {
      out.push(`<section class="group">`);
      const { title, lines } = groupTitle(g, m.file);
      out.push(svgElement(drawTrace(g.trace, title, lines, `f${k++}-`)));
      for (const f of g.findings) {
        out.push(findingSection(f, m, ctx, report));
        drawn.add(f);
      }
      out.push('</section>');
    }
    for (const f of findingsOf(m.verdicts)) if (!drawn.has(f)) out.push(findingSection(f, m, ctx, report));
    if (m.verdicts.length > 0) {
      out.push('<ul class="verdicts">');
      for (const v of m.verdicts) {
        out.push(`<li><code>${xmlEscape(v.rule)}</code>: <span class="${v.status}">${xmlEscape(verdictText(v))}</span></li>`);
      }
      out.push('</ul>');
    }
    out.push('</section>');
  }
  out.push('</body>');
  out.push('</html>');
  return out.join('\n') + '\n';
}

function svgElement(d: TraceDrawing): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}">\n` +
    `<rect x="0" y="0" width="${d.width}" height="${d.height}" fill="#ffffff"/>\n${d.body}\n</svg>`
  );
}

function findingSection(f: Finding, m: ModelReport, ctx: RenderContext, report: Report): string {
  return [
    `<section class="finding">`,
    `<h3>${xmlEscape(findingTitle(f))}: <code>${xmlEscape(f.rule)}</code></h3>`,
    `<p>${xmlEscape(f.message)}</p>`,
    `<pre class="report">${xmlEscape(renderFindingText(f, m, ctx, report))}</pre>`,
    '</section>',
  ].join('\n');
}
