import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE_DOC, EXIT_CODE_PRECEDENCE } from '../../checker/exit-codes.js';
import { loadModel } from '../../model/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`## ${title}\n`);
  expect(start, `README has a "${title}" section`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 3);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README', () => {
  it('Set-up has exactly the two commands: run the fixtures, run the tests', () => {
    const blocks = [...section('Set-up').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    expect(blocks).toEqual(['npm ci && npx lockmc check', 'npm ci && npm test']);
  });
  it('.ci/run runs exactly the README test command, then only prints its summary', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').trim().split('\n');
    expect(ci[0]).toBe('#!/usr/bin/env bash');
    expect(ci).toContain('set -euo pipefail');
    const at = ci.indexOf('npm ci && npm test');
    expect(at).toBeGreaterThan(0);
    // After the tests: the plain "N passed, N failed" line from vitest's JSON report, nothing else that runs.
    expect(ci.slice(at + 1).filter((l) => !l.startsWith('#') && /\bnpm\b|\bnpx\b/.test(l))).toEqual([]);
    expect(ci.slice(at + 1).join('\n')).toContain('.vitest-results.json');
  });
  it('the exit-code table matches checker/exit-codes.ts', () => {
    const rows = [...section('Exit codes').matchAll(/^\| (\d+) \| (.*) \|$/gm)].map((m) => [Number(m[1]), m[2].replace(/`/g, '')]);
    expect(rows).toEqual(EXIT_CODE_DOC.map((e) => [e.code, e.meaning]));
  });
  it('states the exit-code precedence under the table, as --help and docs/cli.md do', () => {
    const cli = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    for (const rule of EXIT_CODE_PRECEDENCE) {
      expect(section('Exit codes')).toContain(`- ${rule}\n`);
      expect(cli).toContain(`- ${rule}\n`);
    }
  });
  it('links the model language, rules and CLI docs, which exist', () => {
    for (const doc of ['docs/model-language.md', 'docs/rules/README.md', 'docs/cli.md']) {
      expect(README).toContain(`](${doc})`);
      expect(() => readFileSync(join(ROOT, doc))).not.toThrow();
    }
  });
  it('the example model is accepted by the front end', async () => {
    const load = async (file: string, text?: string) => loadModel(file, text);
    const code = /## A model\n\n```ts\n([\s\S]*?)```/.exec(README)![1];
    const r = await load('README.model.ts', code);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
