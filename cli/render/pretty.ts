/**
 * `pretty`: the text report for a terminal. Same lines, same breaks as
 * `text` when the width is 72; colour only when the context allows it
 * (not NO_COLOR, not --no-color, a TTY).
 */

import { Chalk, type ChalkInstance } from 'chalk';
import type { Report } from '../../checker/report.js';
import { buildReport, layout, TEXT_WIDTH } from './doc.js';
import type { RenderContext } from './types.js';
import type { Seg, Style } from './wrap.js';
import { unreachable } from '../../model/ir.js';

function paint(c: ChalkInstance, style: Style | undefined, text: string): string {
  if (style === undefined || text.length === 0) return text;
  switch (style) {
    case 'banner':
      return c.red(text);
    case 'title':
      return c.red.bold(text);
    case 'heading':
      return c.bold(text);
    case 'rule':
      return c.cyan(text);
    case 'dim':
      return c.dim(text);
    case 'bad':
      return c.red.bold(text);
    case 'good':
      return c.green(text);
    case 'warn':
      return c.yellow(text);
    case 'loc':
      return c.underline(text);
    case 'lock':
      return c.yellow(text);
    case 'thread':
      return c.magenta(text);
    case 'cmd':
      return c.green(text);
    default:
      return unreachable(style);
  }
}

export function renderPretty(report: Report, ctx: RenderContext): string {
  // level 0 makes chalk a no-op: --no-color output equals `text` but for ASCII folding.
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const width = Math.max(TEXT_WIDTH, Math.min(ctx.width ?? TEXT_WIDTH, 120));
  return (
    layout(buildReport(report, ctx), width)
      .map((l) =>
        l.segs
          .map((s: Seg) => paint(c, s.style, s.text))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
