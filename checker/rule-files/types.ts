/** What reading a rule file yields: its rules and the lock orders it declares. */
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Rule } from '../../rules/types.js';

/** A declared lock order: class `before` is taken before class `after`. */
export interface OrderDecl {
  before: string;
  after: string;
  /** Who declared it: a rule id or `file:line`. */
  source: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface UserRuleFile {
  file: string;
  rules: Rule[];
  order: OrderDecl[];
  diagnostics: Diagnostic[];
}
