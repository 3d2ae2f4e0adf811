/** The short hashes a report carries for its model and its rule set. */

import { createHash } from 'node:crypto';
import type { Rule } from '../rules/types.js';
import type { OrderDecl } from './rule-files/index.js';

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function rulesHash(rules: Rule[], options: Record<string, string>, orders: OrderDecl[] = []): string {
  return shortHash(JSON.stringify({ rules, options, orders }));
}
