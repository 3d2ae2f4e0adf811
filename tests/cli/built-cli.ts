/**
 * The built CLI (dist/cli/main.js) for tests that spawn it as a user
 * would. `npm test` builds first; a stale or missing build (a single test
 * file run by hand after editing cli/) is rebuilt once here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'cli', 'main.js');
/** The `lockmc` executable package.json names: answers `--version` itself, hands the rest to main.js. */
export const EXECUTABLE = join(ROOT, 'dist', 'cli', 'bin.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return t;
}

export function ensureBuilt(): void {
  const sources = Math.max(newest(join(ROOT, 'cli')), newest(join(ROOT, 'checker')), newest(join(ROOT, 'model')));
  if (!existsSync(BIN) || statSync(BIN).mtimeMs < sources) {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      // Type errors elsewhere in the tree still emit JavaScript; the tests say whether the CLI runs.
    }
  }
}
