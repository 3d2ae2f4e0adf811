/**
 * Checks on the raw input that run before the parser sees it: size, text-ness
 * and bracket nesting. The TypeScript parser recurses per nesting level, so a
 * hostile 10 000-deep input must be refused here rather than overflow its
 * stack.
 */

import { diagnosticAt, FRONTEND_LIMITS, lineColAt, type Diagnostic } from '../diagnostics.js';

/** LMC002 / LMC003 on raw bytes (when the caller read the file itself). */
export function checkBytes(file: string, bytes: Uint8Array): { text?: string; diagnostic?: Diagnostic } {
  if (bytes.length > FRONTEND_LIMITS.maxBytes) return { diagnostic: tooLarge(file, bytes.length) };
  if (bytes.includes(0)) return { diagnostic: notText(file, 'it contains NUL bytes') };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text };
  } catch {
    return { diagnostic: notText(file, 'it is not valid UTF-8') };
  }
}

/** LMC002 / LMC003 on a string the caller already decoded. */
export function checkText(file: string, text: string): Diagnostic | undefined {
  // UTF-16 length bounds the UTF-8 size from below; the exact count follows.
  if (text.length > FRONTEND_LIMITS.maxBytes) return tooLarge(file, Buffer.byteLength(text, 'utf8'));
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > FRONTEND_LIMITS.maxBytes) return tooLarge(file, bytes);
  if (text.includes('\u0000')) return notText(file, 'it contains NUL bytes');
  // U+FFFD is what a lenient decoder leaves for invalid UTF-8; lone
  // surrogates cannot come from valid UTF-8 either.
  if (text.includes('\uFFFD')) return notText(file, 'it is not valid UTF-8 (it contains U+FFFD replacement characters)');
  if (LONE_SURROGATE.test(text)) return notText(file, 'it is not valid UTF-8 (it contains unpaired surrogates)');
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function tooLarge(file: string, bytes: number): Diagnostic {
  return diagnosticAt(
    'LMC003',
    `model is too large: ${bytes} bytes, the limit is ${FRONTEND_LIMITS.maxBytes} bytes (1 MiB)`,
    file,
    undefined,
    undefined,
    'split the driver into several smaller models',
  );
}

function notText(file: string, why: string): Diagnostic {
  return diagnosticAt('LMC002', `model is not a text file: ${why}`, file, undefined, undefined, 'pass a TypeScript *.model.ts source file');
}

/**
 * Deepest `(`/`[`/`{` nesting outside comments and string literals, and the
 * position where it first exceeds the limit. Template literals and regular
 * expressions are skipped approximately: an error here only means the parser
 * would have been given something absurdly nested.
 */
export function checkNesting(file: string, text: string): Diagnostic | undefined {
  const limit = FRONTEND_LIMITS.maxDepth;
  let depth = 0;
  const n = text.length;
  const isBreak = (d: number) => d === 10 || d === 13 || d === 0x2028 || d === 0x2029;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      let j = i + 2;
      while (j < n && !isBreak(text.charCodeAt(j))) j++;
      i = j - 1;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = (end < 0 ? n : end + 2) - 1;
      continue;
    }
    if (c === 34 || c === 39 || c === 96) {
      // ' " `: skip to the closing quote (escapes honoured; line breaks end ' and ").
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === 92) {
          j++;
          continue;
        }
        if (d === c) break;
        if (c !== 96 && isBreak(d)) break;
      }
      i = j;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) {
      depth++;
      if (depth > limit) {
        return diagnosticAt(
          'LMC104',
          `nesting too deep: more than ${limit} levels of brackets`,
          file,
          text,
          lineColAt(text, i),
          'flatten the model: move inner blocks into helper functions',
        );
      }
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}
