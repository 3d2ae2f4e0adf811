/**
 * `@expect` tags that name a rule nobody defines (LMC340). The front end
 * parses the header without knowing the rules (model/ imports nothing
 * above it); `lint` and the `validate` pass know the run's rules and call
 * this, so a misspelt id is a diagnostic at its tag with a did-you-mean
 * instead of an expectation that silently cannot be met.
 */

import type { Diagnostic } from '../model/diagnostics.js';
import type { Expectation } from '../model/ir.js';

export function unknownExpectRules(expect: readonly Expectation[], known: readonly string[], file: string, text: string | undefined): Diagnostic[] {
  const ids = new Set(known);
  const lines = text?.split('\n') ?? [];
  const out: Diagnostic[] = [];
  for (const e of expect) {
    const named = e.kind === 'violates' ? [e.rule] : e.kind === 'holds' && e.rules !== 'all' ? e.rules : [];
    for (const id of named) {
      if (ids.has(id)) continue;
      const src = e.line !== undefined ? lines[e.line - 1] : undefined;
      const at = src !== undefined ? wordAt(src, id) : -1;
      const near = closest(id, ids);
      out.push({
        code: 'LMC340',
        severity: 'error',
        message: `@expect names unknown rule '${id}'`,
        file,
        ...(e.line !== undefined ? { line: e.line } : {}),
        ...(at >= 0 ? { col: at + 1, sourceLine: src, caret: ' '.repeat(at) + '^'.repeat(id.length) } : {}),
        hint: near ? `did you mean '${near}'?` : '`lockmc rules` lists the rule ids',
      });
    }
  }
  return out;
}

/** Where `id` stands as a whole word in `line` (not inside a longer id), or -1. */
function wordAt(line: string, id: string): number {
  const word = /[A-Za-z0-9_-]/;
  for (let i = line.indexOf(id); i >= 0; i = line.indexOf(id, i + 1)) {
    if ((i === 0 || !word.test(line[i - 1])) && (i + id.length >= line.length || !word.test(line[i + id.length]))) return i;
  }
  return -1;
}

/** The known id nearest to `id` by edit distance, if near enough to be a slip (a quarter of its length, at least 2). */
export function closest(id: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(id.length / 4)) + 1;
  for (const k of [...known].sort()) {
    const d = distance(id, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
