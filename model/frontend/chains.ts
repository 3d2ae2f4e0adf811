/**
 * Operator chains the TypeScript parser follows by recursion: prefix
 * operators and keywords (`!!!x`, `- - 1`, `<T><T>x`, `new new X`),
 * right-associative operators (`a = b = c`, `() => () =>`, `2 ** 2 ** 2`),
 * right-nested ternaries, `else if` ladders, braceless `if` nests,
 * `as`/`satisfies` casts, label chains and nested type arguments. A
 * bracket count (input.ts) does not see them, and a 10 000-long chain
 * overflows the parser's stack before the extractor could report where.
 *
 * This pass reads tokens only (the scanner is a loop, never recursive) and
 * refuses a chain longer than the front end's nesting limit, at the token
 * where the chain crosses it. The extractor would refuse such a chain too
 * (every link is one level of its depth count), so a model this pass lets
 * through is never changed by it.
 */

import type { ts as TS } from 'ts-morph';
import { ts } from './typescript.js';
import { diagnosticAt, FRONTEND_LIMITS, lineColAt, type Diagnostic } from '../diagnostics.js';

type Chain =
  | 'prefix operators'
  | 'ternaries'
  | "'else if' / nested 'if' statements"
  | "'as' / 'satisfies' casts"
  | "'=' / '=>' / '**' operators"
  | 'labels'
  | 'type arguments';

const K = ts.SyntaxKind;

const PREFIX = new Set<TS.SyntaxKind>([
  K.ExclamationToken,
  K.MinusToken,
  K.PlusToken,
  K.TildeToken,
  K.MinusMinusToken,
  K.PlusPlusToken,
  K.TypeOfKeyword,
  K.VoidKeyword,
  K.DeleteKeyword,
  K.AwaitKeyword,
  K.NewKeyword,
  K.YieldKeyword,
  K.ClassKeyword,
  K.ExtendsKeyword,
]);

/** Right-associative operators: the parser recurses once per link. */
const RIGHT = new Set<TS.SyntaxKind>([
  K.EqualsToken,
  K.PlusEqualsToken,
  K.MinusEqualsToken,
  K.AsteriskEqualsToken,
  K.SlashEqualsToken,
  K.BarEqualsToken,
  K.AmpersandEqualsToken,
  K.QuestionQuestionEqualsToken,
  K.BarBarEqualsToken,
  K.AmpersandAmpersandEqualsToken,
  K.AsteriskAsteriskToken,
  K.EqualsGreaterThanToken,
]);

const OPEN = new Set<TS.SyntaxKind>([K.OpenParenToken, K.OpenBracketToken, K.OpenBraceToken]);
const CLOSE = new Set<TS.SyntaxKind>([K.CloseParenToken, K.CloseBracketToken, K.CloseBraceToken]);

/** After these a `<` starts a type assertion `<T>x` rather than a comparison. */
function isOperand(kind: TS.SyntaxKind): boolean {
  return (
    kind === K.Identifier ||
    kind === K.NumericLiteral ||
    kind === K.StringLiteral ||
    kind === K.CloseParenToken ||
    kind === K.CloseBracketToken ||
    kind === K.ThisKeyword ||
    kind === K.TrueKeyword ||
    kind === K.FalseKeyword ||
    kind === K.NullKeyword
  );
}

interface Level {
  prefix: number;
  ternary: number;
  ifs: number;
  casts: number;
  right: number;
  labels: number;
  angles: number;
}

const fresh = (): Level => ({ prefix: 0, ternary: 0, ifs: 0, casts: 0, right: 0, labels: 0, angles: 0 });

/** What the scan carries from token to token. */
interface Scan {
  /** The counts of the enclosing brackets, innermost last. */
  stack: Level[];
  lv: Level;
  prev: TS.SyntaxKind;
  prev2: TS.SyntaxKind;
  /** The previous token ended a statement at this level (`;` or `}`). */
  stmtEnd: boolean;
  /** A pending `<` of a possible type assertion, and how far it got: `<`, name, `>`. */
  castStep: number;
}

export function checkChains(file: string, text: string): Diagnostic | undefined {
  const limit = FRONTEND_LIMITS.maxDepth;
  // An unterminated `/**` comment is refused here: the parser's JSDoc
  // reader loops forever on some of them (`/** @x a-b` and a line break at
  // the end of the file), so it must never see one.
  let unterminated: number | undefined;
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text, (message) => {
    // TS1010 "'*/' expected." (ts.Diagnostics is not public API).
    if (message.code === 1010 && unterminated === undefined) unterminated = scanner.getTokenStart();
  });
  const scan: Scan = { stack: [], lv: fresh(), prev: K.Unknown, prev2: K.Unknown, stmtEnd: false, castStep: 0 };
  for (let kind = scanner.scan(); kind !== K.EndOfFileToken; kind = scanner.scan()) {
    if (unterminated !== undefined) break;
    const chain = countToken(scan, kind, limit);
    if (chain === undefined) continue;
    const pos = scanner.getTokenStart();
    const { line, col } = lineColAt(text, pos);
    return diagnosticAt(
      'LMC104',
      `nesting too deep: more than ${limit} chained ${chain}`,
      file,
      text,
      { line, col, width: Math.max(1, scanner.getTokenEnd() - pos) },
      'flatten the model: split the expression or the statement into helper functions',
    );
  }
  if (unterminated !== undefined) {
    return diagnosticAt('LMC101', "syntax error: '*/' expected (the comment is never closed)", file, text, { ...lineColAt(text, unterminated), width: 2 }, 'close the comment with */');
  }
  return undefined;
}

/** Count one token into the chains it links; the chain it makes longer than `limit`, if any. */
function countToken(s: Scan, kind: TS.SyntaxKind, limit: number): Chain | undefined {
  // Type assertions `<T>` in prefix position count as prefix operators.
  if (s.castStep === 0 && kind === K.LessThanToken && !isOperand(s.prev)) s.castStep = 1;
  else if (s.castStep === 1 && (kind === K.Identifier || (kind >= K.FirstKeyword && kind <= K.LastKeyword))) s.castStep = 2;
  else if (s.castStep === 2 && kind === K.GreaterThanToken) {
    s.castStep = 0;
    if (++s.lv.prefix > limit) return 'prefix operators';
    return advance(s, kind);
  } else s.castStep = 0;
  if (s.castStep !== 0) return advance(s, kind);
  const chain = countPrefix(s, kind, limit) ?? countLinks(s, kind, limit);
  return chain ?? advance(s, kind);
}

function advance(s: Scan, kind: TS.SyntaxKind): undefined {
  s.prev2 = s.prev;
  s.prev = kind;
  return undefined;
}

function countPrefix(s: Scan, kind: TS.SyntaxKind, limit: number): Chain | undefined {
  const lv = s.lv;
  if (PREFIX.has(kind) && kind !== K.ExclamationToken) {
    // `a - b` is binary: only a sign after an operator or at the start chains.
    if (isOperand(s.prev)) lv.prefix = 0;
    if (++lv.prefix > limit) return 'prefix operators';
  } else if (kind === K.ExclamationToken) {
    // Prefix `!x` and postfix non-null `x!` both nest one level.
    if (++lv.prefix > limit) return 'prefix operators';
  } else {
    lv.prefix = 0;
  }
  return undefined;
}

/** Brackets, statement ends and the chains other than prefix operators. */
function countLinks(s: Scan, kind: TS.SyntaxKind, limit: number): Chain | undefined {
  if (s.stmtEnd && kind !== K.ElseKeyword) s.lv.ifs = 0;
  s.stmtEnd = false;
  const lv = s.lv;
  const { prev, prev2 } = s;
  if (OPEN.has(kind)) {
    s.stack.push(lv);
    s.lv = fresh();
  } else if (CLOSE.has(kind)) {
    s.lv = s.stack.pop() ?? fresh();
    if (kind === K.CloseBraceToken) s.stmtEnd = true;
  } else if (kind === K.SemicolonToken || kind === K.CommaToken) {
    lv.ternary = lv.casts = lv.right = lv.labels = lv.angles = 0;
    if (kind === K.SemicolonToken) s.stmtEnd = true;
  } else if (RIGHT.has(kind)) {
    // `const x = 1 as T` casts the initialiser only.
    lv.ternary = lv.casts = 0;
    if (++lv.right > limit) return "'=' / '=>' / '**' operators";
  } else if (kind === K.ColonToken && prev === K.Identifier) {
    // `a: b: c:` labels a labelled statement; `case x:` and `{ a: 1 }` do not chain.
    const chained = prev2 === K.ColonToken || prev2 === K.SemicolonToken || prev2 === K.OpenBraceToken || prev2 === K.CloseBraceToken || prev2 === K.Unknown;
    lv.labels = chained ? lv.labels + 1 : 0;
    if (lv.labels > limit) return 'labels';
  } else if (kind === K.LessThanToken && prev === K.Identifier) {
    if (++lv.angles > limit) return 'type arguments';
  } else if (kind === K.GreaterThanToken) {
    if (lv.angles > 0) lv.angles--;
  } else if (kind === K.QuestionToken) {
    if (++lv.ternary > limit) return 'ternaries';
  } else if (kind === K.AsKeyword || kind === K.SatisfiesKeyword) {
    if (++lv.casts > limit) return "'as' / 'satisfies' casts";
  } else if (kind === K.IfKeyword) {
    // `else if` and `if (c) if (c)` nest; an `if` starting a statement does not.
    if (prev === K.ElseKeyword || prev === K.CloseParenToken) {
      if (++lv.ifs > limit) return "'else if' / nested 'if' statements";
    } else lv.ifs = 0;
  }
  return undefined;
}
