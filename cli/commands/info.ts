/**
 * Commands that explain rather than check: `explain`, `rules`.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES, getRule } from '../../rules/index.js';
import { ALL_DIAGNOSTIC_CODES, diagnosticInfo } from '../../model/diagnostics.js';
import type { Rule } from '../../rules/types.js';
import type { CliOptions } from '../args.js';
import { collectModels, displayPath, packageRoot } from '../files.js';
import type { CliIo } from '../io.js';
import { canonicalJson } from '../render/json.js';
import { linesToText } from '../render/text.js';
import { citationText } from '../render/words.js';
import { ln, type Line } from '../render/wrap.js';
import { UsageError, resolveFormat } from '../shared.js';

function para(text: string, indent = 0): Line {
  return { ...ln(' '.repeat(indent) + text), hang: indent };
}

function closest(word: string, candidates: string[]): string[] {
  const scored = candidates.map((c) => ({ c, d: distance(word.toLowerCase(), c.toLowerCase()) }));
  scored.sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1));
  return scored.filter((s) => s.d <= Math.max(3, Math.floor(word.length / 3))).slice(0, 3).map((s) => s.c);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return row[b.length];
}

/**
 * The rule's minimal violating model: the first (by path) of its own
 * `fixtures/rules/<id>/violates-*` fixtures that declares `@expect violates <id>` (or `<id>/<check> at <line>`),
 * else the first other fixture that does.
 */
export function violatingFixture(id: string, cwd: string): { path: string; text: string } | undefined {
  const root = join(packageRoot(), 'fixtures');
  const c = collectModels([root], root);
  if ('missing' in c) return undefined;
  const re = new RegExp(`@expect\\s+violates\\s+${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|\\s|$)`, 'm');
  // The rule's own directory first, then other rule fixtures, then the rest.
  const rank = (f: string) => (f.startsWith(`rules/${id}/violates`) ? 0 : f.startsWith('rules/') ? 1 : 2);
  const ranked = [...c.files].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const f of ranked) {
    const abs = join(root, f);
    const text = readFileSync(abs, 'utf8');
    if (re.test(text)) return { path: displayPath(abs, cwd), text };
  }
  return undefined;
}

function explainRule(rule: Rule, io: CliIo): string {
  const m = rule.meta;
  const out: Line[] = [];
  out.push(ln(`${m.id} (${m.family}, ${m.severity})`), ln(''), para(m.summary), ln(''), para(m.rationale), ln(''));
  if (m.covers.length > 0) out.push(para(`covers: ${m.covers.join(', ')}`, 0));
  if (m.kernel) out.push(ln(`kernel: ${m.kernel.since ? `since ${m.kernel.since}` : ''}${m.kernel.since && m.kernel.until ? ', ' : ''}${m.kernel.until ? `until ${m.kernel.until}` : ''}`));
  if (m.citations.length > 0) {
    out.push(ln(''), ln('kernel references:'));
    for (const c of m.citations) out.push({ ...ln(`  - ${citationText(c)}`), hang: 4 });
  }
  for (const o of m.options ?? []) {
    out.push(ln(''), para(`option ${o.key} (default ${o.default}): ${o.summary}`));
    for (const v of o.values) {
      out.push({ ...ln(`  ${v.value}: ${v.summary}${v.citation ? ` [${citationText(v.citation)}]` : ''}`), hang: 4 });
      // The model where this position's design ends in a violated safety property.
      if (v.consequence) out.push({ ...ln(`    consequence: ${v.consequence}`), hang: 6 });
    }
  }
  if (m.hedge) out.push(ln(''), para(`not fully verified: ${m.hedge}`));
  const fx = violatingFixture(m.id, io.cwd);
  out.push(ln(''));
  if (fx) {
    out.push(ln('minimal violating model:'), ln(`  ${fx.path}`), ln(''));
    // The model is shown verbatim: wrapping code would change it.
    return linesToText(out) + '\n' + fx.text.replace(/\s*$/, '\n');
  }
  out.push(ln('minimal violating model: none bundled yet.'));
  return linesToText(out) + '\n';
}

export function runExplain(id: string, io: CliIo, extra: Rule[] = []): number {
  if (/^lmc\d{3}$/i.test(id)) {
    const code = id.toUpperCase();
    const info = diagnosticInfo(code);
    if (!info) {
      const all = ALL_DIAGNOSTIC_CODES.map((d) => d.code);
      const near = closest(code, all);
      throw new UsageError(`unknown diagnostic code ${code}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
    }
    const lines: Line[] = [ln(`${info.code}: ${info.title}`), ln(`exit code: ${info.exit}`), ln(''), para(info.explanation)];
    io.out(linesToText(lines) + '\n');
    return 0;
  }
  const rule = getRule(id, extra);
  if (!rule) {
    const near = closest(id, [...ALL_RULES, ...extra].map((r) => r.meta.id));
    throw new UsageError(`unknown rule or diagnostic code '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : '; `lockmc rules` lists the rules'}`);
  }
  io.out(explainRule(rule, io));
  return 0;
}

export function runRules(cli: CliOptions, io: CliIo, extra: Rule[] = []): number {
  const rules = [...ALL_RULES, ...extra];
  const format = resolveFormat(cli, io);
  if (format === 'json') {
    io.out(canonicalJson(rules.map((r) => ({ id: r.meta.id, family: r.meta.family, severity: r.meta.severity, summary: r.meta.summary }))) + '\n');
    return 0;
  }
  if (format !== 'text' && format !== 'pretty') throw new UsageError(`lockmc rules prints text, pretty or json, not ${format}`);
  const idW = Math.min(44, Math.max(...rules.map((r) => r.meta.id.length), 2));
  const famW = Math.max(6, ...rules.map((r) => r.meta.family.length));
  const lines: Line[] = [{ ...ln(`${'id'.padEnd(idW)}  ${'family'.padEnd(famW)}  severity`), noWrap: true }];
  lines.push({ ...ln(`${'-'.repeat(idW)}  ${'-'.repeat(famW)}  --------`), noWrap: true });
  for (const r of rules) {
    lines.push({ ...ln(`${r.meta.id.padEnd(idW)}  ${r.meta.family.padEnd(famW)}  ${r.meta.severity}`), hang: 4 });
    lines.push(para(r.meta.summary, 4));
  }
  lines.push(ln(''), ln(`${rules.length} rules; \`lockmc explain <id>\` for rationale and citations.`));
  io.out(linesToText(lines) + '\n');
  return 0;
}
