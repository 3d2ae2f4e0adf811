/**
 * User rule files, as the checker and the CLI use them: read, validated
 * against the rule-file schema (rules/schema.ts) and lowered to Rules and
 * declared lock orders; the Z3 self-check of a rule set is consistency.ts.
 */
export { loadUserRuleFiles, parseUserRuleFile } from './read.js';
export { RULE_FILE_LIMITS } from './limits.js';
export type { OrderDecl, UserRuleFile } from './types.js';
// JSON with positions (model/json/parse.ts), for callers that read rule files' JSON themselves.
export { parseJsonWithPositions, pathSeg, sourceContext, type JsonLoc, type JsonParse } from '../../model/json/parse.js';
