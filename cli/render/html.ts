/**
 * `html`: one self-contained page: the verdicts, each finding's picture
 * (the svg drawing, inline) and its text report. Well-formed XHTML syntax
 * so a plain XML parser can check it.
 */

import type { Report } from '../../checker/report.js';
import { diagnosticLines } from './doc.js';
import { SVG_STYLE, drawTrace } from './svg.js';
import { linesToText, renderFindingText } from './text.js';
import type { RenderContext } from './types.js';
import { bannerTitle, findingsOf, summaryLine, verdictText } from './words.js';
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
  out.push(`<p class="summary">${xmlEscape(summaryLine(report))}</p>`);
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
    if (m.verdicts.length > 0) {
      out.push('<ul class="verdicts">');
      for (const v of m.verdicts) {
        out.push(`<li><code>${xmlEscape(v.rule)}</code>: <span class="${v.status}">${xmlEscape(verdictText(v))}</span></li>`);
      }
      out.push('</ul>');
    }
    if (m.expectation) {
      out.push(`<p class="expectation">expectation ${m.expectation.met ? 'met' : 'NOT met'}: ${xmlEscape(m.expectation.detail)}</p>`);
    }
    for (const f of findingsOf(m.verdicts)) {
      out.push(`<section class="finding">`);
      out.push(`<h3>${xmlEscape(bannerTitle(f.kind, f.lockdep?.irq))}: <code>${xmlEscape(f.rule)}</code></h3>`);
      out.push(`<p>${xmlEscape(f.message)}</p>`);
      if (f.trace) {
        const d = drawTrace(f.trace, `${f.rule}: ${m.file}`, f.message, `f${k}-`);
        out.push(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}">\n` +
            `<rect x="0" y="0" width="${d.width}" height="${d.height}" fill="#ffffff"/>\n${d.body}\n</svg>`,
        );
      }
      k++;
      out.push(`<pre class="report">${xmlEscape(renderFindingText(f, m, ctx, report))}</pre>`);
      out.push('</section>');
    }
    out.push('</section>');
  }
  out.push('</body>');
  out.push('</html>');
  return out.join('\n') + '\n';
}
