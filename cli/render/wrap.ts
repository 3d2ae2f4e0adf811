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
 * Break one line into lines of at most `width` characters. Breaks at the
 * last space that fits; a word longer than the room left is cut hard.
 * Shell lines keep a trailing ` \` on every line but the last; a word cut
 * inside itself continues at column 0 so the shell rejoins it exactly.
 */
export function wrapLine(line: Line, width: number): Line[] {
  const text = plain(line);
  if (line.noWrap || text.length <= width) return [line];
  const indent = text.length - text.trimStart().length;
  const hang = Math.min(line.hang ?? indent + 2, Math.floor(width / 2));
  const out: Line[] = [];
  let pos = indent;
  let prefix = ' '.repeat(indent);
  const reserve = line.shell ? 2 : 0;
  while (pos < text.length) {
    const room = width - prefix.length - reserve;
    const rest = text.length - pos;
    if (rest <= width - prefix.length) {
      out.push({ segs: [{ text: prefix }, ...sliceSegs(line.segs, pos, text.length)] });
      break;
    }
    let brk = text.lastIndexOf(' ', pos + room);
    let next: number;
    let end: number;
    let midWord = false;
    if (brk > pos) {
      end = brk;
      while (end > pos && text[end - 1] === ' ') end--;
      next = brk;
      while (next < text.length && text[next] === ' ') next++;
    } else {
      // No space: break a path or identifier after a separator if there is
      // one in the last two thirds of the room, else cut hard.
      end = pos + Math.max(1, room);
      for (let i = pos + room; i > pos + room / 3; i--) {
        if ('/-_.'.includes(text[i - 1])) {
          end = i;
          break;
        }
      }
      next = end;
      midWord = true;
    }
    const segs: Seg[] = [{ text: prefix }, ...sliceSegs(line.segs, pos, end)];
    if (line.shell) segs.push({ text: midWord ? '\\' : ' \\' });
    out.push({ segs: segs.filter((s) => s.text.length > 0) });
    pos = next;
    prefix = line.shell && midWord ? '' : ' '.repeat(hang);
  }
  return out;
}

export function wrapAll(lines: Line[], width: number): Line[] {
  return lines.flatMap((l) => wrapLine(l, width));
}
