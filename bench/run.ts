/**
 * `npm run bench`: run every benchmark script in dist/bench (a script
 * says `@bench` in its header comment; other files there are libraries),
 * one child process each so their start-up costs do not mix, and print
 * their tables in file order.
 */

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export function benchScripts(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(js|ts)$/.test(f) && !/^run\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .filter((f) => readFileSync(join(dir, f), 'utf8').slice(0, 600).includes('@bench'))
    .sort();
}

function main(): number {
  const scripts = benchScripts(HERE);
  let failed = 0;
  for (const s of scripts) {
    process.stdout.write(`\n== ${s.replace(/\.js$/, '')} ==\n`);
    const r = spawnSync(process.execPath, [join(HERE, s)], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) {
      failed++;
      process.stdout.write(`(${s} exited ${r.status ?? r.signal})\n`);
    }
  }
  process.stdout.write(`\n${scripts.length} bench scripts, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
