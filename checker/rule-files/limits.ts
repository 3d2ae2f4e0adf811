/**
 * Limits of one rule file, beyond the JSON ones (size, nesting, members):
 * what a hand-written site rule set never reaches, and what keeps the
 * self-check and every model's compilation prompt. A file beyond one is
 * LMC328 at the place the limit is crossed, and none of it is used.
 */
import { contextFrom, DEFAULT_JSON_LIMITS, lineIndex } from '../../model/json/parse.js';
import type { UserRuleFile } from './types.js';

/**
 * At most `maxDiagnostics` errors are listed per file; one more says how
 * many were left out, so a generated file with an error in every rule does
 * not bury the first one.
 */
export const RULE_FILE_LIMITS = {
  json: { ...DEFAULT_JSON_LIMITS },
  maxRules: 1000,
  maxOrders: 1000,
  maxDiagnostics: 100,
} as const;

export const LIMIT_CODE = 'LMC328';

export const SPLIT_HINT = 'split the rule set into several files (--rules is repeatable), or generate fewer rules';

/** One diagnostic for a file that stops at a limit (nothing else of it is judged). */
export function limitHit(file: string, text: string, line: number, col: number, message: string, hint: string): UserRuleFile {
  return {
    file,
    rules: [],
    order: [],
    diagnostics: [{ code: LIMIT_CODE, severity: 'error', message, hint, file, line, col, ...(text === '' ? {} : contextFrom(lineIndex(text).lineText, line, col)) }],
  };
}
