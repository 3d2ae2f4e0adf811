#!/usr/bin/env node
/**
 * The `lockmc` executable. It answers `lockmc --version` itself, before
 * any other module loads: the full entry (cli/main.ts) pulls in the
 * argument parser, the cache and the I/O layer, which took `--version`
 * to 1.7× a bare `node -e 0` (#17 asks ≤ 1.3×). Everything else goes to
 * `runProcess` in main.ts, loaded on demand.
 *
 * This file imports nothing of lockmc's and only node:fs, so it stays as
 * cheap as Node's own start-up. The version is read from the package.json
 * two levels above dist/cli/, the file `lockmcVersion()` reads.
 */

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') version = pkg.version;
  } catch {
    // Same fallback as lockmcVersion(): an unreadable package.json is no reason to fail.
  }
  process.stdout.write(`${version}\n`);
} else {
  const { runProcess } = await import('./main.js');
  runProcess();
}
