/** Which files a command works on: paths as given, directories expanded. */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MODEL_SUFFIX = '.model.ts';

/** The package root (where package.json and fixtures/ live), from cli/ or dist/cli/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

function walk(dir: string, out: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    // Symlinks, FIFOs and devices named like a model are kept (not followed
    // into, never opened here): the front end reads a symlink to a model
    // and refuses anything else with LMC001, so no model is silently lost.
    else if (e.name.endsWith(MODEL_SUFFIX)) out.push(p);
  }
}

export type Collected = { files: string[] } | { missing: string };

/**
 * Expand paths into model files, sorted within each directory, in the
 * order given, without duplicates. Returned paths are relative to `cwd`
 * when inside it, so reports print `fixtures/...` rather than /home/...
 */
export function collectModels(paths: string[], cwd: string): Collected {
  const out: string[] = [];
  for (const p of paths) {
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    if (!existsSync(abs)) return { missing: p };
    const st = statSync(abs);
    if (st.isDirectory()) walk(abs, out);
    else out.push(abs);
  }
  const seen = new Set<string>();
  const files: string[] = [];
  for (const f of out) {
    if (seen.has(f)) continue;
    seen.add(f);
    files.push(displayPath(f, cwd));
  }
  return { files };
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : abs;
}

/**
 * The text of a regular file, or undefined (missing, unreadable, or a FIFO,
 * device or socket, which would block a read): the front end then reads
 * the path itself and reports LMC001 with the reason.
 */
export function readRegularFile(abs: string): string | undefined {
  try {
    return statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
