/**
 * Deterministic line wrapping for the text and pretty renderers.
 *
 * A document is a list of styled lines; styles only matter to `pretty`.
 * Wrapping happens on the plain text and the styles are re-sliced after,
 * so `text` and `pretty` break at the very same places.
 */

export type Style =
  | 'banner'
  | 'title'
  | 'heading'
  | 'rule'
  | 'dim'
  | 'bad'
  | 'good'
  | 'warn'
  | 'loc'
  | 'lock'
  | 'thread'
  | 'cmd';

export interface Seg {
  text: string;
  style?: Style;
}

export interface Line {
  segs: Seg[];
  /** Indent of continuation lines; default: the line's own indent + 2. */
  hang?: number;
  /** Built to fit (tables): never wrapped. */
  noWrap?: boolean;
  /** A shell command: continuation lines end in a backslash. */
  shell?: boolean;
}

export function plain(line: Line): string {
  return line.segs.map((s) => s.text).join('');
}

export function ln(...segs: (Seg | string)[]): Line {
  return { segs: segs.map((s) => (typeof s === 'string' ? { text: s } : s)) };
}

export function st(style: Style, text: string): Seg {
  return { text, style };
}

function sliceSegs(segs: Seg[], from: number, to: number): Seg[] {
  const out: Seg[] = [];
  let pos = 0;
  for (const s of segs) {
    const a = Math.max(from, pos);
    const b = Math.min(to, pos + s.text.length);
    if (a < b) out.push({ text: s.text.slice(a - pos, b - pos), style: s.style });
    pos += s.text.length;
  }
  return out;
}

/**
 * Break one line into lines of at most `width` characters, at spaces only:
 * a word is never cut, so a path stays whole (an editor or a terminal can
 * open it, a shell can paste it). A word too long for any line stays on
 * the line it starts (after `at `, `model: `) and overflows the width.
 * Shell lines keep a trailing ` \` on every line but the last.
 */
export function wrapLine(line: Line, width: number): Line[] {
  const text = plain(line);
  if (line.noWrap || text.length <= width) return [line];
  const indent = text.length - text.trimStart().length;
  const hang = Math.min(line.hang ?? indent + 2, Math.floor(width / 2));
  const reserve = line.shell ? 2 : 0;
  const out: Line[] = [];
  let pos = indent;
  let prefix = ' '.repeat(indent);
  const wordEnd = (from: number): number => {
    const e = text.indexOf(' ', from);
    return e < 0 ? text.length : e;
  };
  const skipSpaces = (from: number): number => {
    while (from < text.length && text[from] === ' ') from++;
    return from;
  };
  while (pos < text.length) {
    const room = width - prefix.length - reserve;
    if (text.length - pos <= width - prefix.length) {
      out.push({ segs: [{ text: prefix }, ...sliceSegs(line.segs, pos, text.length)] });
      break;
    }
    const brk = text.lastIndexOf(' ', pos + room);
    let end: number;
    if (brk > pos) {
      end = brk;
      while (end > pos && text[end - 1] === ' ') end--;
      // The word that does not fit: if no continuation line could hold it either, it stays here.
      const start = skipSpaces(brk);
      if (hang + (wordEnd(start) - start) > width - reserve) end = wordEnd(start);
    } else {
      end = wordEnd(pos);
    }
    const next = skipSpaces(end);
    if (next >= text.length) {
      out.push({ segs: [{ text: prefix }, ...sliceSegs(line.segs, pos, end)] });
      break;
    }
    const segs: Seg[] = [{ text: prefix }, ...sliceSegs(line.segs, pos, end)];
    if (line.shell) segs.push({ text: ' \\' });
    out.push({ segs: segs.filter((s) => s.text.length > 0) });
    pos = next;
    prefix = ' '.repeat(hang);
  }
  return out;
}

export function wrapAll(lines: Line[], width: number): Line[] {
  return lines.flatMap((l) => wrapLine(l, width));
}
