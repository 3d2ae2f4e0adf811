/**
 * Coded diagnostics. Every user-facing error has a code `LMCnnn`, a
 * message, an exit code, an explanation for `lockmc explain`, and a fixture
 * under fixtures/errors/ (a test keeps the three in step).
 *
 * Groups: LMC0xx input (file unreadable, too large, not text),
 * LMC1xx syntax and unsupported constructs, LMC2xx model semantics,
 * LMC3xx rule definitions and config, LMC4xx bounds and limits,
 * LMC9xx internal.
 */

export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** The offending source line and a caret line under the column. */
  sourceLine?: string;
  caret?: string;
  /** What to write instead. */
  hint?: string;
}

export interface DiagnosticCodeInfo {
  code: string;
  title: string;
  exit: number;
  /** A paragraph for `lockmc explain LMCnnn`. */
  explanation: string;
}

// ---------------------------------------------------------------------------
// The code registry for the model front end (LMC0xx, LMC1xx, LMC2xx, LMC9xx).
// Exit codes are the values of checker/exit-codes.ts `ExitCode`, written as
// literals so this module stays free of imports from checker/ (dependencies
// point from checker to model, never back).

/** Limits the front end enforces; named in the messages that report them. */
export const FRONTEND_LIMITS = {
  /** LMC003: a model larger than this is not a hand-written model. */
  maxBytes: 1024 * 1024,
  /** LMC104: syntactic nesting depth (blocks, parentheses, statements). */
  maxDepth: 64,
  /** LMC105: IR nodes per proc after unrolling and inlining. */
  maxNodesPerProc: 20000,
  /** LMC105: iterations of one unrolled `for`. */
  maxUnroll: 1024,
  /** LMC105: inlining depth of helper calls. */
  maxInlineDepth: 32,
} as const;

export const DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'LMC001',
    title: 'file unreadable',
    exit: 2,
    explanation:
      'The model file could not be read (missing, a directory, or no permission). Check the path given on the command line.',
  },
  {
    code: 'LMC002',
    title: 'not a text file',
    exit: 3,
    explanation:
      'The model contains NUL bytes or is not valid UTF-8. Models are TypeScript source text; binary files are refused before parsing.',
  },
  {
    code: 'LMC003',
    title: 'file too large',
    exit: 3,
    explanation: `A model may be at most ${FRONTEND_LIMITS.maxBytes} bytes (1 MiB). Larger inputs are not hand-written models; split the driver into several models.`,
  },
  {
    code: 'LMC101',
    title: 'syntax error',
    exit: 3,
    explanation: 'The TypeScript parser rejected the model. The message is the parser\'s; fix the syntax at the given position.',
  },
  {
    code: 'LMC102',
    title: 'unsupported construct',
    exit: 3,
    explanation:
      'The model uses a TypeScript construct outside the model language (while, class, closure, eval, require, import of anything but lockmc/kernel, property access other than buf.resv, assignment, ...). A model is read, never run, so only the constructs of docs/model-language.md have a meaning. The hint says what to write instead.',
  },
  {
    code: 'LMC103',
    title: 'unbounded or non-constant loop',
    exit: 3,
    explanation:
      'Loops are unrolled, so their bound must be known: write `for (let i = 0; i < N; i++)` with N a number literal or a top-level `const N = 4;`. Model an unbounded retry loop as a bounded one.',
  },
  {
    code: 'LMC104',
    title: 'nesting too deep',
    exit: 3,
    explanation: `Blocks, expressions or statements are nested more than ${FRONTEND_LIMITS.maxDepth} levels deep, or a chain the parser follows one level per link (prefix operators such as !!!x, else-if ladders, nested ternaries, a = b = c, () => () =>, x as T as T, labels, nested type arguments) is longer than that. The position is the token where the limit is passed. Flatten the model with helper functions.`,
  },
  {
    code: 'LMC105',
    title: 'unroll or inline limit exceeded',
    exit: 3,
    explanation: `Unrolling loops and inlining helpers made a proc larger than the front end accepts (${FRONTEND_LIMITS.maxNodesPerProc} nodes per proc, ${FRONTEND_LIMITS.maxUnroll} iterations per loop, inlining depth ${FRONTEND_LIMITS.maxInlineDepth}). Reduce loop bounds: a bound of 2 or 3 shows almost every locking bug.`,
  },
  {
    code: 'LMC201',
    title: 'unknown identifier',
    exit: 4,
    explanation:
      'The model uses a name that is neither a top-level instance, a function of the file, a local binding, nor a kernel API or constant from model/kernel.d.ts.',
  },
  {
    code: 'LMC202',
    title: 'wrong argument',
    exit: 4,
    explanation:
      'A call has the wrong number of arguments or passes an instance of the wrong kind (a mutex to dma_resv_lock, a dma_buf where its reservation buf.resv is meant). The message names the expected kind.',
  },
  {
    code: 'LMC203',
    title: 'recursion',
    exit: 4,
    explanation: 'Helper calls are inlined, so a function may not call itself directly or through other helpers. Unroll the recursion by hand.',
  },
  {
    code: 'LMC204',
    title: 'no threads',
    exit: 4,
    explanation: 'The model has no thread: add `threads(f, ...)` or export the entry-point functions.',
  },
  {
    code: 'LMC205',
    title: 'unlock of a lock not held',
    exit: 4,
    explanation: 'On some path through the function a lock is released that is not held at that point (never taken, already released, or its trylock failed).',
  },
  {
    code: 'LMC206',
    title: 'lock held at end',
    exit: 4,
    explanation:
      'On some path a thread or callback returns with a lock still held. Models must release what they take; a lock handed to another context is not modelled.',
  },
  {
    code: 'LMC207',
    title: 'second acquisition of the same lock',
    exit: 4,
    explanation:
      'On some path a thread acquires a lock instance it already holds: a self-deadlock (or, for a ww_mutex without context, a lockdep splat). With a ww acquire context, -EALREADY is the semantics and is not reported here.',
  },
  {
    code: 'LMC208',
    title: 'unbalanced fence signalling annotation',
    exit: 4,
    explanation:
      'dma_fence_end_signalling() must receive the cookie of a dma_fence_begin_signalling() that is still open, and every begin must be ended before the thread or callback returns.',
  },
  {
    code: 'LMC209',
    title: 'memalloc scope mismatch',
    exit: 4,
    explanation:
      'memalloc_*_restore() must receive the flags of an open memalloc_*_save() of the same scope, scopes must be restored innermost first, and every save must be restored before the function returns.',
  },
  {
    code: 'LMC210',
    title: 'local instance used before it is created',
    exit: 4,
    explanation:
      'A ww acquire context, cookie or attachment is used on a path where the operation that creates it has not run yet.',
  },
  {
    code: 'LMC211',
    title: 'header problem',
    exit: 4,
    explanation:
      'The header comment has a malformed tag: `@expect holds all`, `@expect holds <rule> ...`, `@expect violates <rule>`, `@expect error LMCnnn`, `@kernel vX.Y`, `@bound N`, `@driver <path>`, `@rule-option key=value`.',
  },
  {
    code: 'LMC900',
    title: 'internal error',
    exit: 70,
    explanation: 'The front end failed unexpectedly. This is a bug in lockmc; please report it with the model.',
  },
];

export const DIAGNOSTIC_BY_CODE: ReadonlyMap<string, DiagnosticCodeInfo> = new Map(
  DIAGNOSTIC_CODES.map((d) => [d.code, d]),
);

/** Exit status for a diagnostic code (70 for codes no registry knows). */
export function exitCodeOf(code: string): number {
  return DIAGNOSTIC_BY_CODE.get(code)?.exit ?? 70;
}

/**
 * Compiler-style rendering:
 * ```
 * file:12:14: error LMC201: unknown identifier 'foo'
 *    12 |   mutex_lock(foo);
 *       |              ^^^
 *    = hint: ...
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.file !== undefined) {
    where = d.file;
    if (d.line !== undefined) {
      where += `:${d.line}`;
      if (d.col !== undefined) where += `:${d.col}`;
    }
    where += ': ';
  }
  const lines = [`${where}${d.severity} ${d.code}: ${d.message}`];
  if (d.sourceLine !== undefined && d.line !== undefined) {
    const num = String(d.line);
    const gutter = ' '.repeat(Math.max(5, num.length + 1) - num.length);
    const pad = ' '.repeat(gutter.length + num.length);
    lines.push(`${gutter}${num} | ${d.sourceLine}`);
    if (d.caret !== undefined) lines.push(`${pad} | ${d.caret}`);
  }
  if (d.hint !== undefined) {
    const pad = d.sourceLine !== undefined && d.line !== undefined ? ' '.repeat(Math.max(5, String(d.line).length + 1) - 2) : '';
    lines.push(`${pad}= hint: ${d.hint}`);
  }
  return lines.join('\n');
}

/** Longest source line shown; longer lines are cut around the column. */
const MAX_SHOWN_LINE = 160;

/**
 * Build a diagnostic at a 1-based position of `text`, with the source line
 * and a caret of `width` characters (at least one).
 */
export function diagnosticAt(
  code: string,
  message: string,
  file: string | undefined,
  text: string | undefined,
  pos: { line: number; col: number; width?: number } | undefined,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
): Diagnostic {
  const d: Diagnostic = { code, severity, message };
  if (file !== undefined) d.file = file;
  if (pos) {
    d.line = pos.line;
    d.col = pos.col;
    if (text !== undefined) {
      const src = lineOf(text, pos.line);
      if (src !== undefined) {
        let shown = src.replace(/\t/g, ' ');
        let col = pos.col;
        if (shown.length > MAX_SHOWN_LINE) {
          const start = Math.max(0, col - 1 - 40);
          shown = shown.slice(start, start + MAX_SHOWN_LINE);
          col -= start;
        }
        shown = shown.replace(/\s+$/, '');
        d.sourceLine = shown;
        const avail = Math.max(1, shown.length - (col - 1));
        const w = Math.max(1, Math.min(pos.width ?? 1, avail));
        d.caret = ' '.repeat(Math.max(0, col - 1)) + '^'.repeat(w);
      }
    }
  }
  if (hint !== undefined) d.hint = hint;
  return d;
}

/**
 * ECMAScript line terminators (CR LF, LF, CR, U+2028, U+2029): the lines the
 * TypeScript parser counts, so every position of one file agrees with it.
 */
export const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

/** 1-based line and column (UTF-16 units) of `offset` in `text`. */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  const re = new RegExp(LINE_BREAK.source, 'g');
  for (let m = re.exec(text); m && m.index < offset; m = re.exec(text)) {
    line++;
    start = m.index + m[0].length;
  }
  return { line, col: offset - start + 1 };
}

function lineOf(text: string, line: number): string | undefined {
  const re = new RegExp(LINE_BREAK.source, 'g');
  let start = 0;
  for (let l = 1; l < line; l++) {
    const m = re.exec(text);
    if (!m) return undefined;
    start = m.index + m[0].length;
  }
  re.lastIndex = start;
  const m = re.exec(text);
  return text.slice(start, m ? m.index : text.length);
}
