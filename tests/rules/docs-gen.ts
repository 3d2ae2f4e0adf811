/**
 * The rule-doc generator: docs/rules/<id>.md for every registered rule and
 * the index docs/rules/README.md, from rule metadata and fixtures. Each
 * rule page ends with a hand-written "Notes" section (what lockdep prints,
 * how to fix, history) that the generator keeps: everything after
 * NOTES_MARKER. `npm run docs:rules` rewrites the pages; the meta-test
 * (tests/rules/meta.test.ts) fails while one is out of date.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Citation, Rule } from '../../rules/types.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export function renderCitation(c: Citation): string {
  switch (c.kind) {
    case 'kernel':
      return `\`${c.file}\`${c.symbol ? ` \`${c.symbol}\`` : ''}${c.note ? ` (${c.note})` : ''}`;
    case 'doc':
      return `\`${c.file}\`${c.section ? `, "${c.section}"` : ''}`;
    case 'list':
      return `${c.list}, ${c.date}${c.author ? `, ${c.author}` : ''}: "${c.subject}"`;
    case 'commit':
      return `commit ${c.id} "${c.subject}"${c.version ? ` (${c.version})` : ''}`;
  }
}

function fixtureFiles(id: string): string[] {
  const dir = join(ROOT, 'fixtures', 'rules', id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.model.ts'))
    .sort();
}

/** The first paragraph of a fixture's header comment. */
function fixtureDescription(text: string): string {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!m) return '';
  const lines = m[1].split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trimEnd());
  const para: string[] = [];
  for (const l of lines) {
    if (l.startsWith('@')) break;
    if (l === '' && para.length > 0) break;
    if (l !== '') para.push(l);
  }
  return para.join(' ');
}

/** The header tags that change how a fixture is checked (`@kernel`, `@driver`, `@rule-option`), as written. */
function fixtureTags(text: string): string[] {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!m) return [];
  return m[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => /^@(kernel|driver|rule-option)\s/.test(l));
}

function fixtureBody(text: string): string {
  return text.replace(/^\s*\/\*\*[\s\S]*?\*\/\s*/, '').trim();
}

/**
 * Everything after this line in docs/rules/<id>.md is written by hand and
 * kept as it is when the page is generated again.
 */
export const NOTES_MARKER = '<!-- notes: written by hand; `npm run docs:rules` keeps everything below this line -->';

/** The command that rewrites the generated docs; failure messages name it. */
export const REGENERATE = 'npm run docs:rules';

/** The hand-written notes of an existing page (after NOTES_MARKER), or '' for a new page. */
export function notesOf(page: string | undefined): string {
  if (page === undefined) return '';
  const i = page.indexOf(NOTES_MARKER);
  if (i < 0) return '';
  return page.slice(i + NOTES_MARKER.length).replace(/^\n+/, '').replace(/\s+$/, '');
}

/** The page of one rule: every section from its metadata and fixtures, then its hand-written notes. */
export function renderRuleDoc(rule: Rule, notes = ''): string {
  const m = rule.meta;
  const out: string[] = [];
  out.push(`# ${m.id}`, '');
  out.push(m.summary, '');
  out.push('| | |', '|---|---|', `| Family | ${m.family} |`, `| Severity | ${m.severity} |`, `| Covers | ${m.covers.join(', ')} |`);
  out.push(`| Checks | ${rule.checks.map((c) => `\`${c.id}\` (${c.kind})`).join(', ')} |`);
  if (m.kernel) out.push(`| Kernel | ${[m.kernel.since ? `since ${m.kernel.since}` : '', m.kernel.until ? `until ${m.kernel.until}` : ''].filter((x) => x).join(', ')} |`);
  out.push('', '## Rationale', '', m.rationale, '');
  if (m.options && m.options.length > 0) {
    out.push('## Options', '');
    for (const o of m.options) {
      out.push(`\`${o.key}\` (default \`${o.default}\`): ${o.summary}`, '');
      for (const v of o.values) {
        out.push(`- \`${o.key}=${v.value}\`: ${v.summary}${v.citation ? ` (${renderCitation(v.citation)})` : ''}`);
        if (v.consequence) out.push(`  Consequence: [${v.consequence.split('/').pop()}](../../${v.consequence}).`);
      }
      out.push('');
      out.push(
        `Pick a side with \`@rule-option ${o.key}=<value>\` in a model, \`"ruleOptions": { "${o.key}": "<value>" }\` in lockmc.config.json, or \`--rule-option ${o.key}=<value>\`.`,
        '',
      );
    }
  }
  out.push('## Messages', '');
  for (const c of rule.checks) out.push(`- \`${c.id}\`: ${m.messages[c.id] ?? ''}`);
  out.push('');
  out.push('## Citations', '');
  for (const c of m.citations) out.push(`- ${renderCitation(c)}`);
  out.push('');
  if (m.hedge) out.push('## Not fully verified', '', m.hedge, '');
  const files = fixtureFiles(m.id);
  out.push('## Fixtures', '');
  for (const f of files) {
    const text = readFileSync(join(ROOT, 'fixtures', 'rules', m.id, f), 'utf8');
    const tags = fixtureTags(text);
    out.push(`- [\`${f}\`](../../fixtures/rules/${m.id}/${f})${tags.length > 0 ? ` (${tags.join(', ')})` : ''}: ${fixtureDescription(text)}`);
  }
  out.push('');
  const bad = files.find((f) => f.startsWith('violates-'));
  if (bad) {
    const text = readFileSync(join(ROOT, 'fixtures', 'rules', m.id, bad), 'utf8');
    out.push('## A violating model', '', '```ts', fixtureBody(text), '```', '');
  }
  out.push('## Notes', '', NOTES_MARKER, '');
  if (notes !== '') out.push(notes, '');
  return out.join('\n');
}

export function renderIndex(rules: Rule[]): string {
  const out: string[] = ['# lockmc rules', ''];
  out.push(
    'Every rule is one file under `rules/`, named by its id and listed once in `rules/registry.ts`, with',
    '`holds-*` and `violates-*` fixtures under `fixtures/rules/<id>/`. Presets: `recommended` (every rule of',
    'severity error), `all`, `strict` (debated rules at their strictest position) and one per family. This',
    'index and every rule page are generated from rule metadata (`npm run docs:rules`); the Notes section at',
    'the end of each page is written by hand and kept.',
    '',
  );
  const families = [...new Set(rules.map((r) => r.meta.family))];
  for (const f of families) {
    out.push(`## ${f}`, '', '| rule | severity | covers | summary |', '|---|---|---|---|');
    for (const r of rules.filter((x) => x.meta.family === f)) {
      out.push(`| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.severity} | ${r.meta.covers.join(', ')} | ${r.meta.summary.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  const options = rules.flatMap((r) => (r.meta.options ?? []).map((o) => ({ rule: r.meta.id, o })));
  if (options.length > 0) {
    out.push('## Debated rules: options', '', '| option | values (default first) | rule |', '|---|---|---|');
    for (const { rule, o } of options) {
      const values = [o.default, ...o.values.map((v) => v.value).filter((v) => v !== o.default)];
      out.push(`| \`${o.key}\` | ${values.map((v) => `\`${v}\``).join(', ')} | [${rule}](${rule}.md) |`);
    }
    out.push('');
  }
  out.push(...USER_SECTION);
  return out.join('\n');
}

const USER_SECTION = [
  '## Configuration: lockmc.config.json',
  '',
  'Searched from the working directory upwards. JSON only (never executed); every key is optional:',
  '',
  '```json',
  '{',
  '  "preset": "recommended",',
  '  "enable": ["revoke-sequence"],',
  '  "disable": ["mp-lifetime"],',
  '  "ruleFiles": ["lockmc-rules/my-driver.json"],',
  '  "ruleOptions": { "revoke.pfn-export": "locked-only" },',
  '  "engine": "auto",',
  '  "bound": 40,',
  '  "timeoutMs": 60000,',
  '  "kernel": "v7.0"',
  '}',
  '```',
  '',
  'Mistakes are reported with file:line:col and exit 2: LMC300 (not JSON), LMC301 (unknown key), LMC302',
  '(wrong type), LMC303 (unknown rule), LMC304 (unknown preset), LMC305/LMC306 (unknown option or value),',
  'LMC307 (rule file missing). A model picks a side of a debated rule with `@rule-option key=value`.',
  '',
  'Config and rule files are strict JSON (no comments, no trailing commas, no duplicate keys), read as data:',
  'a key such as `__proto__` or `constructor` is an unknown key at its line:col, and a preset, rule id or',
  'option named like one (`--preset constructor`) is unknown, exit 2. A config is at most 1 MiB, 64 levels',
  'deep and 10 000 members (array elements plus object keys); beyond that it is LMC308, exit 2.',
  '',
  '## Your own rules: rule files',
  '',
  'A rule file is JSON in the `Rule` shape of `rules/types.ts` (metadata plus checks, no code), either one',
  'rule or `{ "rules": [...], "order": [["before_class", "after_class"], ...] }`. `order` pairs (also',
  'allowed on a single rule) declare lock orders; before any model is checked, a Z3 self-check ranks all',
  'declared orders together with the orders the kernel primes at boot and reports a contradiction as LMC310',
  'naming every declaration involved, and a check whose condition can never hold as LMC311. Structural',
  'mistakes are LMC320-LMC326 at file:line:col, and exit 5.',
  '',
  'Limits of one rule file: at most 4 MiB, 200 levels of nesting, 100 000 members (array elements plus',
  'object keys), 1 000 rules and 1 000 order pairs. A file beyond one is LMC328 (exit 5) at the place the',
  'limit is crossed, and none of it is used: split a larger rule set over several files (`--rules` is',
  'repeatable). At most 100 errors are listed per file; one more LMC328 counts the rest.',
  '',
];

/** Every generated file under docs/rules/ (path relative to ROOT → text), keeping each page's notes. */
export function renderAllDocs(rules: Rule[], existing: (file: string) => string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules) {
    const file = `docs/rules/${r.meta.id}.md`;
    out.set(file, renderRuleDoc(r, notesOf(existing(file))));
  }
  out.set('docs/rules/README.md', renderIndex(rules));
  return out;
}
