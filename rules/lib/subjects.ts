/**
 * Object binding for `subject: 'any'` predicates, shared by the semantics
 * compiler and the rule-set self-check so both read a rule the same way:
 * inside one `and`, every `any` atom of a category names the same object.
 */

import type { Pred } from '../types.js';

export type SubjectCategory = 'att' | 'buf' | 'rxq' | 'fence';

/** Categories of `any` atoms that are conjuncts of `p` (through nested ands). */
export function anySubjectCategories(p: Pred, into: Set<SubjectCategory> = new Set()): Set<SubjectCategory> {
  switch (p.kind) {
    case 'and':
      for (const q of p.of) anySubjectCategories(q, into);
      return into;
    case 'attachment':
    case 'attachment-pinned':
    case 'attachment-class':
    case 'attachment-p2p':
    case 'importer':
      if (p.subject === 'any') into.add('att');
      return into;
    case 'buffer':
    case 'exporter':
    case 'buffer-bound':
    case 'buffer-owner':
      if (p.subject === 'any') into.add('buf');
      return into;
    case 'rxq':
      if (p.subject === 'any') into.add('rxq');
      return into;
    case 'fence':
      if (p.subject === 'any') into.add('fence');
      return into;
    default:
      return into;
  }
}
