/**
 * The cache key's code digest (checker/cache/code-digest.ts): any change
 * of lockmc's checker, rules or model code changes it, so a result cached
 * by other code is never served; the build stores the digest of the
 * built tree, and it is the digest of that tree.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILD_ID_FILE, codeDigest, computeDigest } from '../../checker/cache/code-digest.js';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockmc-digest-'));
  for (const d of ['model', 'rules', 'checker/engines', 'cli']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'model', 'ir.js'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'rules', 'r.js'), 'export const r = 1;\n');
  writeFileSync(join(dir, 'checker', 'engines', 'e.js'), 'export const e = 1;\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('code digest', () => {
  it('changes with any hashed module, its name or its place, and not with cli/ or other kinds of file', () => {
    const d0 = computeDigest(dir, '.js');
    expect(computeDigest(dir, '.js')).toBe(d0);
    writeFileSync(join(dir, 'cli', 'main.js'), 'render();\n');
    writeFileSync(join(dir, 'checker', 'engines', 'e.js.map'), '{}');
    writeFileSync(join(dir, 'checker', 'types.d.js'), '');
    expect(computeDigest(dir, '.js')).toBe(d0);
    writeFileSync(join(dir, 'checker', 'engines', 'e.js'), 'export const e = 2;\n');
    const d1 = computeDigest(dir, '.js');
    expect(d1).not.toBe(d0);
    rmSync(join(dir, 'checker', 'engines', 'e.js'));
    writeFileSync(join(dir, 'checker', 'e.js'), 'export const e = 2;\n');
    expect(computeDigest(dir, '.js')).not.toBe(d1);
  });

  it('from source it is the digest of the .ts tree; a build stores the digest of its .js tree', () => {
    expect(codeDigest()).toBe(computeDigest(ROOT, '.ts'));
    const stored = join(ROOT, 'dist', BUILD_ID_FILE);
    // `npm test` builds first; a bare `vitest run` on a tree never built has nothing to compare.
    if (existsSync(stored)) expect(readFileSync(stored, 'utf8').trim()).toBe(computeDigest(join(ROOT, 'dist'), '.js'));
  });
});
