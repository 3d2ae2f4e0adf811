/**
 * A digest of the code that computes a cached result, so that a result
 * cache survives no change of lockmc's own code: the version string alone
 * stayed the same across every change of the semantics or the report, and
 * each needed a hand-bumped format string (docs/cache.md, "Key").
 *
 * What is hashed: every module under `model/`, `rules/` and `checker/` of
 * the tree this file runs from — the compiled `.js` under `dist/` for an
 * installed or built lockmc, the `.ts` sources when run from source (the
 * tests). `cli/` is left out: the cache holds Reports, before any
 * renderer runs. A built tree carries the digest in `build-id.txt`
 * (written by `npm run build`), so a run reads one small file instead of
 * hashing ~300 modules; without it the digest is computed once per
 * process (about 10 ms) and is still right.
 */

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the hashed folders are: the repository root from source, `dist/` when built. */
const HERE = fileURLToPath(import.meta.url);
const CODE_ROOT = dirname(dirname(dirname(HERE)));
const EXT = HERE.endsWith('.ts') ? '.ts' : '.js';
const HASHED = ['model', 'rules', 'checker'];
export const BUILD_ID_FILE = 'build-id.txt';

let memo: string | undefined;

/** The digest of the code this process runs; `build-id.txt` if the build wrote one. */
export function codeDigest(): string {
  if (memo !== undefined) return memo;
  const file = join(CODE_ROOT, BUILD_ID_FILE);
  memo = existsSync(file) ? readFileSync(file, 'utf8').trim() : computeDigest(CODE_ROOT, EXT);
  return memo;
}

/** sha256 over the sorted relative paths and contents of every `ext` module in the hashed folders. */
export function computeDigest(root: string, ext: string): string {
  const files: string[] = [];
  for (const top of HASHED) walk(join(root, top), ext, files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    // `/`-separated paths, so a digest does not depend on the platform.
    h.update(relative(root, f).split(sep).join('/'));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

function walk(dir: string, ext: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, ext, out);
    else if (e.isFile() && e.name.endsWith(ext) && !e.name.endsWith(`.d${ext}`)) out.push(p);
  }
}

// `node dist/checker/cache/code-digest.js --write`: the build step that stores the digest of the built tree.
if (process.argv[1] === HERE && process.argv.includes('--write')) {
  writeFileSync(join(CODE_ROOT, BUILD_ID_FILE), `${computeDigest(CODE_ROOT, EXT)}\n`);
}
