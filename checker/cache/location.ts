/**
 * Where the cache lives: `--cache-dir`, else `LOCKMC_CACHE_DIR`, else
 * `node_modules/.cache/lockmc` of the nearest package root above the
 * working directory (where JavaScript tools keep caches: it goes away with
 * `node_modules`, and CI cache actions already keep it), else
 * `$XDG_CACHE_HOME/lockmc` or `~/.cache/lockmc`.
 */

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export function defaultCacheDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOCKMC_CACHE_DIR) return resolve(cwd, env.LOCKMC_CACHE_DIR);
  const root = packageRootFrom(cwd);
  if (root) return join(root, 'node_modules', '.cache', 'lockmc');
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'lockmc');
}

function packageRootFrom(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
