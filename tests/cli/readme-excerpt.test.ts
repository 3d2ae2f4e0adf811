/**
 * The README's first page shows real output (issue #12 item 9): the
 * report excerpt between its `report-excerpt` markers is regenerated here
 * from today's CLI, run on the README's own model saved as
 * `my-driver.model.ts`, and must equal it. When the report's words or
 * layout change, `LOCKMC_WRITE_DOCS=1 npx vitest run
 * tests/cli/readme-excerpt.test.ts` rewrites the block (review the diff).
 * The editor set-up it shows is what `lockmc init` writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { INIT_TSCONFIG } from '../../cli/commands/init.js';
import { BIN, ensureBuilt } from './built-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const README_PATH = join(ROOT, 'README.md');
const OPEN = /<!-- report-excerpt[^>]*-->\n```text\n/;
const CLOSE = '```\n<!-- /report-excerpt -->';

/**
 * The excerpt of a full text report: the first finding from its banner
 * to the end of its interleaving, its replay command, and the run's
 * outcome line, with `[...]` where lines are left out. Each marker it looks
 * for is named in the error if the report no longer has it.
 */
export function excerptOf(report: string): string {
  const lines = report.split('\n');
  const find = (what: string, test: (l: string) => boolean, from = 0): number => {
    const i = lines.findIndex((l, k) => k >= from && test(l));
    if (i < 0) throw new Error(`README excerpt: the report has no ${what} (update excerptOf in tests/cli/readme-excerpt.test.ts)`);
    return i;
  };
  // The first finding with an interleaving (a lock-order finding may have none): its banner is the last before it.
  const interleaving = find('"interleaving" block', (l) => l.startsWith('interleaving'));
  const banner = lines.slice(0, interleaving).findLastIndex((l) => /^(WARNING|INFO|BUG)/.test(l));
  if (banner < 0) throw new Error('README excerpt: no banner before the first interleaving (update excerptOf)');
  const start = banner > 0 && /^=+$/.test(lines[banner - 1]) ? banner - 1 : banner;
  const afterSteps = find('blank line after the interleaving', (l) => l.trim() === '', interleaving);
  const replay = find('"replay:" line', (l) => l.startsWith('replay:'), afterSteps);
  const afterReplay = find('blank line after the replay command', (l) => l.trim() === '', replay);
  const summary = find('outcome line (OK:, FAILED: ...)', (l) => /^(OK|FAILED|INCONCLUSIVE|INTERRUPTED|ERROR): /.test(l), afterReplay);
  const end = lines.findIndex((l, k) => k > summary && l.trim() === '');
  return [...lines.slice(start, afterSteps), '[...]', ...lines.slice(replay, afterReplay), '[...]', ...lines.slice(summary, end < 0 ? undefined : end)].join('\n') + '\n';
}

async function freshExcerpt(readme: string): Promise<string> {
  const model = /## A model\n\n```ts\n([\s\S]*?)```/.exec(readme)![1];
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-readme-'));
  try {
    writeFileSync(join(dir, 'my-driver.model.ts'), model);
    // The built CLI in the model's directory, as a user runs it (paths in the report are relative to it).
    const base = { ...process.env };
    delete base.FORCE_COLOR;
    const r = spawnSync(process.execPath, [BIN, 'check', 'my-driver.model.ts', '--format', 'text', '--no-cache', '--quiet'], { cwd: dir, encoding: 'utf8', env: { ...base, NO_COLOR: '1' } });
    // The model declares its violation, so the run passes: the excerpt shows a met expectation, exit 0.
    expect(r.status, r.stderr).toBe(0);
    return excerptOf(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('README first page', () => {
  beforeAll(ensureBuilt);
  it('the report excerpt is what lockmc prints today for the README model', async () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const open = OPEN.exec(readme);
    expect(open, 'README has a report-excerpt block').not.toBeNull();
    const from = open!.index + open![0].length;
    const to = readme.indexOf(CLOSE, from);
    expect(to).toBeGreaterThanOrEqual(from);
    const fresh = await freshExcerpt(readme);
    const writing = process.env.LOCKMC_WRITE_DOCS === '1';
    if (writing) writeFileSync(README_PATH, readme.slice(0, from) + fresh + readme.slice(to));
    expect(writing ? fresh : readme.slice(from, to)).toBe(fresh);
    // It ends with the run's one-line outcome.
    expect(fresh).toMatch(/\nOK: [\s\S]*exit 0\n$/);
  }, 300_000);
  it('the editor set-up shows `npx lockmc init` and the tsconfig it writes', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    const start = readme.indexOf('## Editor set-up\n');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
    expect(section).toContain('npx lockmc init');
    expect(/```json\n([\s\S]*?)```/.exec(section)?.[1]).toBe(INIT_TSCONFIG);
    expect(section).toContain("import type {} from 'lockmc/kernel';");
    expect(section).toContain('[docs/api.md](docs/api.md)');
  });
  it('the excerpt rule fails loudly when a marker is gone', () => {
    expect(() => excerptOf('no banner here\n')).toThrow('README excerpt: the report has no "interleaving" block');
  });
});
