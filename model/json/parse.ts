/**
 * Strict JSON (RFC 8259) for config and rule files, read with jsonc-parser
 * and turned into plain values with positions. Three things the values
 * must never do, whatever the file says:
 *  - give a key the power of a prototype: every member becomes an own data
 *    property, so `"__proto__"` is a key like any other (callers report it
 *    as unknown), never the object's prototype;
 *  - hide a duplicate key: the second one is an error at its own position;
 *  - cost more than a bounded amount: size, nesting and member count are
 *    checked by an iterative token scan *before* the (recursive) parser
 *    runs, so a 10 000-deep or 300 000-member file is a positioned error
 *    in milliseconds, not a stack overflow or a minutes-long run.
 */
import {
  createScanner,
  parseTree,
  ParseErrorCode,
  SyntaxKind,
  type Node,
  type ParseError,
} from 'jsonc-parser';
import { setOwn } from './own-keys.js';

export interface JsonLoc {
  line: number;
  col: number;
}

/** Which limit a file exceeded (a limit, not a syntax error: the file may be valid JSON). */
export type JsonLimitKind = 'bytes' | 'depth' | 'members';

export interface JsonLimits {
  /** Characters of text (a UTF-8 file of this many bytes has at most this many). */
  maxBytes: number;
  /** Nesting of arrays and objects. */
  maxDepth: number;
  /** Array elements plus object members, over the whole file. */
  maxMembers: number;
}

export type JsonParse =
  | { ok: true; value: unknown; at: (path: string) => JsonLoc | undefined; keyAt: (path: string) => JsonLoc | undefined }
  /** `limit` is present only when a limit, not the syntax, stopped the parse. */
  | { ok: false; message: string; line: number; col: number; limit?: JsonLimitKind };

/** Generous for any hand-written file; what keeps a hostile one bounded. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 200, maxMembers: 100_000 };

/** The limit a parse stopped at, as a phrase ("more than 200 levels of nesting"). */
export function describeLimit(kind: JsonLimitKind, limits: JsonLimits): string {
  switch (kind) {
    case 'bytes':
      return `more than ${limits.maxBytes} bytes`;
    case 'depth':
      return `more than ${limits.maxDepth} levels of nesting`;
    case 'members':
      return `more than ${limits.maxMembers} members (array elements plus object keys)`;
  }
}

/** Escape one path segment (JSON-pointer style). */
export function pathSeg(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPath(path: string, seg: string | number): string {
  return path === '' ? pathSeg(seg) : `${path}/${pathSeg(seg)}`;
}

/** Offsets to line:col (1-based), by binary search over line starts. */
export function lineIndex(text: string): { locOf: (offset: number) => JsonLoc; lineText: (line: number) => string } {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  const locOf = (off: number): JsonLoc => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: off - starts[lo] + 1 };
  };
  const lineText = (line: number): string => {
    if (line < 1 || line > starts.length) return '';
    const end = line < starts.length ? starts[line] - 1 : text.length;
    return text.slice(starts[line - 1], end).replace(/\r$/, '');
  };
  return { locOf, lineText };
}

/** The source line and a caret under `col`, for diagnostics. */
export function sourceContext(text: string, line: number, col: number): { sourceLine: string; caret: string } {
  return contextFrom(lineIndex(text).lineText, line, col);
}

/**
 * A diagnostic quotes at most this much of its line: generated JSON is often
 * one line of megabytes, and a report should carry the place, not the file.
 */
const QUOTE_WIDTH = 160;

export function contextFrom(lineText: (line: number) => string, line: number, col: number): { sourceLine: string; caret: string } {
  const full = lineText(line);
  const at = Math.max(0, col - 1);
  if (full.length <= QUOTE_WIDTH) return { sourceLine: full, caret: ' '.repeat(at) + '^' };
  const start = Math.max(0, Math.min(at - QUOTE_WIDTH / 2, full.length - QUOTE_WIDTH));
  const end = Math.min(full.length, start + QUOTE_WIDTH);
  const lead = start > 0 ? '...' : '';
  return { sourceLine: lead + full.slice(start, end) + (end < full.length ? '...' : ''), caret: ' '.repeat(lead.length + at - start) + '^' };
}

const describeAt = (text: string, off: number) => (off >= text.length ? 'end of input' : `'${text[off]}'`);

interface ScanStop {
  offset: number;
  message: string;
  limit: JsonLimitKind;
}

/**
 * One iterative pass over the tokens: the first place a limit is exceeded.
 * Malformed tokens are left to the parser (which reports them better).
 */
function scanLimits(text: string, limits: JsonLimits): ScanStop | undefined {
  const sc = createScanner(text, true);
  // Container kinds by depth: true = array. The root value is no member.
  const stack: boolean[] = [];
  let members = 0;
  // Where the member being counted starts: an element's first token, a key.
  let memberAt = 0;
  let prevOffset = 0;
  for (let t = sc.scan(); t !== SyntaxKind.EOF; prevOffset = sc.getTokenOffset(), t = sc.scan()) {
    const inArray = stack.length > 0 && stack[stack.length - 1];
    memberAt = sc.getTokenOffset();
    switch (t) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        if (inArray) members++;
        if (stack.length >= limits.maxDepth) {
          return { offset: sc.getTokenOffset(), message: 'nesting too deep', limit: 'depth' };
        }
        stack.push(t === SyntaxKind.OpenBracketToken);
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        stack.pop();
        break;
      case SyntaxKind.ColonToken:
        members++;
        memberAt = prevOffset;
        break;
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        if (inArray) members++;
        break;
      default:
        break;
    }
    if (members > limits.maxMembers) {
      return { offset: memberAt, message: describeLimit('members', limits), limit: 'members' };
    }
  }
  return undefined;
}

/**
 * Container and previous token at `offset`, so an error reads as what the
 * grammar expected there ("expected ',' or ']'") rather than as a code.
 */
function contextAt(text: string, offset: number): { inObject: boolean; prev: SyntaxKind | undefined } {
  const sc = createScanner(text, true);
  const stack: boolean[] = [];
  let prev: SyntaxKind | undefined;
  for (let t = sc.scan(); t !== SyntaxKind.EOF && sc.getTokenOffset() < offset; t = sc.scan()) {
    if (t === SyntaxKind.OpenBraceToken) stack.push(true);
    else if (t === SyntaxKind.OpenBracketToken) stack.push(false);
    else if (t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken) stack.pop();
    prev = t;
  }
  return { inObject: stack[stack.length - 1] === true, prev };
}

/** The first syntax error as a sentence at an offset. */
function explain(text: string, e: ParseError, root: Node | undefined): { message: string; offset: number } {
  const at = e.offset;
  const found = describeAt(text, at);
  switch (e.error) {
    case ParseErrorCode.PropertyNameExpected:
      return { message: `expected a string, found ${found}`, offset: at };
    case ParseErrorCode.ValueExpected: {
      const c = contextAt(text, at);
      const keyExpected = c.inObject && (c.prev === SyntaxKind.OpenBraceToken || c.prev === SyntaxKind.CommaToken);
      return { message: keyExpected ? `expected a string, found ${found}` : `unexpected ${found}`, offset: at };
    }
    case ParseErrorCode.ColonExpected:
      return { message: `expected ':', found ${found}`, offset: at };
    case ParseErrorCode.CommaExpected:
      return { message: `expected ',' or '${contextAt(text, at).inObject ? '}' : ']'}', found ${found}`, offset: at };
    case ParseErrorCode.CloseBraceExpected:
      return { message: `expected ',' or '}', found ${found}`, offset: at };
    case ParseErrorCode.CloseBracketExpected:
      return { message: `expected ',' or ']', found ${found}`, offset: at };
    case ParseErrorCode.EndOfFileExpected:
      return { message: `unexpected ${found} after the JSON value`, offset: at };
    case ParseErrorCode.InvalidSymbol:
      if (root !== undefined && at >= root.offset + root.length) return { message: `unexpected ${found} after the JSON value`, offset: at };
      return { message: `unexpected ${found}`, offset: at };
    case ParseErrorCode.UnexpectedEndOfString:
      // Reported on the string's start; the problem is where it stops.
      return { message: 'unterminated string', offset: at + e.length };
    case ParseErrorCode.InvalidEscapeCharacter:
    case ParseErrorCode.InvalidUnicode:
      return { message: 'invalid escape in string', offset: at };
    case ParseErrorCode.InvalidCharacter:
      return { message: 'control character in string', offset: at };
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber:
      return { message: 'invalid number', offset: at };
    case ParseErrorCode.InvalidCommentToken:
    case ParseErrorCode.UnexpectedEndOfComment:
      return { message: 'comments are not allowed in JSON', offset: at };
    default:
      return { message: `unexpected ${found}`, offset: at };
  }
}

class DuplicateKey {
  constructor(
    readonly key: string,
    readonly offset: number,
  ) {}
}

/**
 * Parse `text` as strict JSON. `at(path)` is where the value at `path`
 * starts, `keyAt(path)` where its member key starts (paths are
 * `/`-separated, segments escaped by `pathSeg`).
 */
export function parseJsonWithPositions(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonParse {
  // A leading byte-order mark is an editor's, not the author's: read it as a
  // space so every offset (and so every line:col) stays the same.
  if (text.length > limits.maxBytes) {
    return { ok: false, message: describeLimit('bytes', limits), line: 1, col: 1, limit: 'bytes' };
  }
  const src = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const { locOf } = lineIndex(src);
  const stop = scanLimits(src, limits);
  // The parser only ever sees text within the depth limit: past a stop it
  // would recurse as deep as the file goes. A syntax error before the stop
  // still comes first, as it would when reading left to right.
  const parsed = stop === undefined ? src : src.slice(0, stop.offset);
  const errors: ParseError[] = [];
  const root = parseTree(parsed, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors.find((e) => stop === undefined || e.offset < stop.offset);
  if (first !== undefined) {
    const x = explain(src, first, root);
    return { ok: false, message: x.message, ...locOf(x.offset) };
  }
  if (stop !== undefined) return { ok: false, message: stop.message, ...locOf(stop.offset), limit: stop.limit };
  if (root === undefined) return { ok: false, message: 'unexpected end of input', ...locOf(src.length) };

  const values = new Map<string, number>();
  const keys = new Map<string, number>();
  const build = (n: Node, path: string): unknown => {
    values.set(path, n.offset);
    switch (n.type) {
      case 'object': {
        const obj: Record<string, unknown> = {};
        for (const prop of n.children ?? []) {
          const [k, v] = prop.children ?? [];
          const key = k.value as string;
          if (Object.hasOwn(obj, key)) throw new DuplicateKey(key, k.offset);
          const p = joinPath(path, key);
          keys.set(p, k.offset);
          setOwn(obj, key, v === undefined ? null : build(v, p));
        }
        return obj;
      }
      case 'array':
        return (n.children ?? []).map((c, i) => build(c, joinPath(path, i)));
      default:
        return n.value as unknown;
    }
  };
  let value: unknown;
  try {
    value = build(root, '');
  } catch (e) {
    if (e instanceof DuplicateKey) return { ok: false, message: `duplicate key '${e.key}'`, ...locOf(e.offset) };
    throw e;
  }
  return {
    ok: true,
    value,
    at: (p) => {
      const o = values.get(p);
      return o === undefined ? undefined : locOf(o);
    },
    keyAt: (p) => {
      const o = keys.get(p) ?? values.get(p);
      return o === undefined ? undefined : locOf(o);
    },
  };
}
