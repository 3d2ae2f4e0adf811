/**
 * docs/diagnostics.md is rendered from the one table (model/diagnostics.ts);
 * `LOCKMC_WRITE_DOCS=1 npx vitest run tests/model/diagnostics-doc.test.ts`
 * rewrites it, otherwise this test checks it is up to date. Every code the
 * other docs name must be a code of the table.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_DIAGNOSTIC_CODES, isDiagnosticCode, type DiagnosticCodeInfo } from '../../model/diagnostics.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = join(ROOT, 'docs', 'diagnostics.md');
const WRITE = process.env.LOCKMC_WRITE_DOCS === '1';

function renderDiagnosticsDoc(rows: readonly DiagnosticCodeInfo[]): string {
  const out = [
    '# Diagnostic codes',
    '',
    '<!-- Generated from model/diagnostics.ts by tests/model/diagnostics-doc.test.ts; edit the table, not this page. -->',
    '',
    'Every diagnostic lockmc reports, with the exit code it gives (see "Exit codes" in [cli.md](cli.md)).',
    '`lockmc explain LMCnnn` prints the same explanation. Groups: LMC0xx input, LMC1xx syntax and',
    'unsupported constructs, LMC2xx model semantics, LMC3xx rule definitions and config, LMC4xx bounds and',
    'limits, LMC9xx internal errors.',
    '',
    '| code | title | exit |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| [${r.code}](#${r.code.toLowerCase()}) | ${r.title} | ${r.exit} |`),
  ];
  for (const r of rows) out.push('', `## ${r.code}`, '', `**${r.title}** (exit ${r.exit})`, '', r.explanation);
  return out.join('\n') + '\n';
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

describe('docs/diagnostics.md', () => {
  it('is the table of model/diagnostics.ts, rendered', () => {
    const want = renderDiagnosticsDoc(ALL_DIAGNOSTIC_CODES);
    if (WRITE) writeFileSync(PAGE, want);
    expect(readFileSync(PAGE, 'utf8')).toBe(want);
  });
  it('every LMCnnn the README and docs/ name is a code of the table', () => {
    for (const file of [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))]) {
      const named = [...readFileSync(file, 'utf8').matchAll(/\bLMC\d{3}\b/g)].map((m) => m[0]);
      for (const code of named) expect(isDiagnosticCode(code), `${file} names ${code}`).toBe(true);
    }
  });
});
