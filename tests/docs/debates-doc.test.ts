/**
 * docs/debates/*.md quote what lockmc prints for each model they link:
 * the block between `<!-- lockmc:begin <model> -->` and
 * `<!-- lockmc:end -->` is the verdict of that model (explicit engine,
 * every rule) rendered here. `LOCKMC_WRITE_DOCS=1 npx vitest run
 * tests/docs/debates-doc.test.ts` rewrites the blocks; otherwise this
 * test fails when a page no longer shows what lockmc says.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { ModelReport, Trace } from '../../checker/report.js';
import { CHECK_BUDGET } from '../budgets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIR = join(ROOT, 'docs', 'debates');
const WRITE = process.env.LOCKMC_WRITE_DOCS === '1';
const BLOCK = /<!-- lockmc:begin (\S+) -->\n[\s\S]*?<!-- lockmc:end -->/g;

/** The five threads, each with its page. */
const PAGES = ['dma-buf-design-constraints.md', 'zcrx-vs-devmem.md', 'phyr-vs-scatterlist.md', 'revocable-dma-buf.md', 'userptr-notifiers.md'];

function traceLines(t: Trace): string[] {
  return t.steps.map((s) => {
    const at = s.at ? `  (${relative(ROOT, join(ROOT, s.at.file)).split('/').pop()}:${s.at.line})` : '';
    const role = s.role ? `  -- ${s.role}` : '';
    return `${String(s.index).padStart(3)}. [${s.threadName}] ${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${role}${at}`;
  });
}

/** What a page shows for one model: its verdict, and for each violated rule its first finding with the interleaving. */
export function renderModelOutput(file: string, m: ModelReport): string {
  const out = ['```text', `$ lockmc check --preset all ${file}`];
  const violated = m.verdicts.filter((v) => v.status === 'violated');
  if (violated.length === 0) out.push(`all ${m.verdicts.length} rules hold (${m.verdicts.filter((v) => v.status === 'proved').length} proved)`);
  for (const v of violated) {
    if (v.status !== 'violated') continue;
    const f = v.findings[0]!;
    out.push('', `violated ${v.rule}/${f.check}: ${f.message}`);
    if (f.trace) out.push(...traceLines(f.trace));
  }
  out.push('', `expectation: ${m.expectation?.met ? 'met' : 'NOT met'} (${m.expectation?.detail ?? 'none declared'})`, '```');
  return out.join('\n');
}

async function outputFor(file: string): Promise<string> {
  const report = await check([{ file: join(ROOT, file) }], { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'explicit', rules: { preset: 'all' } });
  return renderModelOutput(file, report.models[0]!);
}

describe('docs/debates', () => {
  it('has a page per thread and nothing else', () => {
    expect(readdirSync(DIR).sort()).toEqual([...PAGES, 'README.md'].sort());
  });
  for (const page of PAGES) {
    it(`${page} shows what lockmc prints for every model it quotes`, async () => {
      const path = join(DIR, page);
      const text = readFileSync(path, 'utf8');
      const models = [...text.matchAll(BLOCK)].map((x) => x[1]!);
      expect(models.length, `${page} quotes no model`).toBeGreaterThan(0);
      const rendered = new Map<string, string>();
      for (const f of models) rendered.set(f, await outputFor(f));
      const want = text.replace(BLOCK, (_all, f: string) => `<!-- lockmc:begin ${f} -->\n${rendered.get(f)}\n<!-- lockmc:end -->`);
      if (WRITE) writeFileSync(path, want);
      expect(readFileSync(path, 'utf8')).toBe(want);
      // Every quoted model meets its own header.
      for (const [f, r] of rendered) expect(r, f).toContain('\nexpectation: met (as declared)\n');
    }, 600_000);
  }
});
