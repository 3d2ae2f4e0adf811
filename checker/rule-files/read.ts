/**
 * Reading user rule files: JSON in the Rule shape of rules/types.ts, read
 * as data and never executed. A file is read bounded (model/json/read.ts),
 * parsed with every key's and value's position (model/json/parse.ts),
 * counted against RULE_FILE_LIMITS, then validated and lowered
 * (validate.ts, lower.ts). Every mistake is an LMC3xx diagnostic at
 * file:line:col, and a file with any error contributes nothing.
 *
 * File shape, either of:
 *   { "rules": [ <Rule>, ... ], "order": [["A", "B"], ...] }
 *   <Rule>                      (a single rule; may carry "order" too)
 * An `order` pair ["A", "B"] declares that lock class A is taken before B;
 * the Z3 self-check (consistency.ts) rejects orders that form a cycle with
 * each other or with the primed kernel order.
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import { readBounded } from '../../model/json/read.js';
import { contextFrom, describeLimit, joinPath, lineIndex, parseJsonWithPositions, sourceContext } from '../../model/json/parse.js';
import { ALL_RULES } from '../../rules/registry.js';
import type { Rule } from '../../rules/types.js';
import { LIMIT_CODE, limitHit, RULE_FILE_LIMITS, SPLIT_HINT } from './limits.js';
import { checkOptionUses, lowerRuleFile } from './lower.js';
import type { OrderDecl, UserRuleFile } from './types.js';
import { isObj, type Sink } from './sink.js';

/** Validate the text of one rule file. `taken` = ids already defined (built-ins, earlier files). */
export function parseUserRuleFile(file: string, text: string, taken: string[] = ALL_RULES.map((r) => r.meta.id)): UserRuleFile {
  const parse = parseJsonWithPositions(text, RULE_FILE_LIMITS.json);
  if (!parse.ok) {
    if (parse.limit !== undefined) {
      return limitHit(file, text, parse.line, parse.col, `rule file is too large to check: ${describeLimit(parse.limit, RULE_FILE_LIMITS.json)}`, SPLIT_HINT);
    }
    return {
      file,
      rules: [],
      order: [],
      diagnostics: [
        { code: 'LMC320', severity: 'error', message: `rule file is not valid JSON: ${parse.message}`, file, line: parse.line, col: parse.col, ...sourceContext(text, parse.line, parse.col) },
      ],
    };
  }
  const v = parse.value;
  // Counted before any rule is validated: the cost of everything after grows with them.
  const over = (list: unknown, path: string, max: number, what: string): UserRuleFile | undefined => {
    if (!Array.isArray(list) || list.length <= max) return undefined;
    const loc = parse.at(joinPath(path, max)) ?? { line: 1, col: 1 };
    return limitHit(file, text, loc.line, loc.col, `rule file has ${list.length} ${what}; at most ${max} are allowed per file`, SPLIT_HINT);
  };
  if (isObj(v)) {
    const tooMany = over(v.rules, 'rules', RULE_FILE_LIMITS.maxRules, 'rules') ?? over(v.order, 'order', RULE_FILE_LIMITS.maxOrders, 'order pairs');
    if (tooMany) return tooMany;
  }
  const s: Sink = { file, text, parse, lineText: lineIndex(text).lineText, diagnostics: [], errors: 0, optionUses: [] };
  const { rules, order } = lowerRuleFile(s, v, taken);
  // Orders carried by single rules add up too.
  if (order.length > RULE_FILE_LIMITS.maxOrders) {
    const o = order[RULE_FILE_LIMITS.maxOrders];
    return limitHit(file, text, o.line ?? 1, o.col ?? 1, `rule file has ${order.length} order pairs; at most ${RULE_FILE_LIMITS.maxOrders} are allowed per file`, SPLIT_HINT);
  }
  checkOptionUses(s, rules);
  if (s.firstUnlisted !== undefined) {
    const { line, col } = s.firstUnlisted;
    const more = s.errors - s.diagnostics.length;
    s.diagnostics.push({
      code: LIMIT_CODE,
      severity: 'error',
      message: `${more} more error${more === 1 ? '' : 's'} in this file from here on are not listed (at most ${RULE_FILE_LIMITS.maxDiagnostics} are)`,
      hint: 'fix the errors above and run again',
      file,
      line,
      col,
      ...contextFrom(s.lineText, line, col),
    });
  }
  // A file with any error contributes nothing: half a rule set is worse than none.
  if (s.errors > 0) return { file, rules: [], order: [], diagnostics: s.diagnostics };
  return { file, rules, order, diagnostics: [] };
}

/** Read and validate rule files in order; ids must be unique across all of them. */
export function loadUserRuleFiles(files: string[]): { rules: Rule[]; order: OrderDecl[]; diagnostics: Diagnostic[] } {
  const taken = ALL_RULES.map((r) => r.meta.id);
  const out = { rules: [] as Rule[], order: [] as OrderDecl[], diagnostics: [] as Diagnostic[] };
  for (const f of files) {
    const read = readBounded(f, RULE_FILE_LIMITS.json.maxBytes);
    if (read.kind === 'unreadable') {
      out.diagnostics.push({ code: 'LMC307', severity: 'error', message: `rule file '${f}': ${read.reason}`, file: f });
      continue;
    }
    if (read.kind === 'too-large') {
      out.diagnostics.push(
        ...limitHit(f, '', 1, 1, `rule file is too large to check: ${read.bytes} bytes, ${describeLimit('bytes', RULE_FILE_LIMITS.json)}`, SPLIT_HINT).diagnostics,
      );
      continue;
    }
    const r = parseUserRuleFile(f, read.text, taken);
    for (const x of r.rules) out.rules.push(x);
    for (const x of r.order) out.order.push(x);
    for (const x of r.diagnostics) out.diagnostics.push(x);
    for (const x of r.rules) taken.push(x.meta.id);
  }
  return out;
}
