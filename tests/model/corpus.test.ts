import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, loadModel } from '../../model/index.js';
import { checkWellFormed } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

function models(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) models(p, out);
    else if (e.endsWith('.model.ts')) out.push(relative(ROOT, p));
  }
  return out;
}

const files = models(join(ROOT, 'fixtures'));

describe('the fixture corpus through the front end', () => {
  test('there is a corpus', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  test.each(files)('%s', (f) => {
    const text = readFileSync(join(ROOT, f), 'utf8');
    const r = loadModel(f, text);
    const wantError = r.header?.expect.find((e) => e.kind === 'error');
    if (wantError && wantError.kind === 'error') {
      expect(r.extracted).toBeUndefined();
      expect(r.diagnostics.map((d) => d.code)).toContain(wantError.code);
      return;
    }
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    checkWellFormed(r.extracted!.model);
    expect(r.extracted!.model.threads.length).toBeGreaterThan(0);
    // Deterministic: a second run gives byte-identical JSON.
    expect(JSON.stringify(loadModel(f, text).extracted)).toBe(JSON.stringify(r.extracted));
  });
});
