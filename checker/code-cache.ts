/**
 * V8's code cache for the large CommonJS files lockmc loads on every run
 * (the TypeScript compiler inside ts-morph is 9 MB of JavaScript: parsing
 * and compiling it is most of a cold `lockmc check`). Node ≥ 22.1 does this
 * itself (`module.enableCompileCache`); on Node 20 we hand V8 the bytes it
 * produced on an earlier run through `vm.Script`'s `cachedData`, which V8
 * checks against the source and its own flags and rejects when they differ
 * (then the file is compiled as usual and the entry rewritten). So a stale
 * or corrupt entry costs time, never correctness.
 *
 * Only files above SIZE_FLOOR under node_modules are cached: small modules
 * compile faster than their cache entry is read.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

const SIZE_FLOOR = 512 * 1024;

interface CompilableModule {
  _compile(content: string, filename: string): unknown;
  require: NodeJS.Require;
  exports: unknown;
  filename: string;
}

interface Pending {
  script: vm.Script;
  entry: string;
}

/** Whether `install` has patched this process's CommonJS loader. */
let installed = false;

/** What the cache did in this process (for tests and `LOCKMC_DEBUG`). */
export const codeCacheStats = { hits: 0, misses: 0, rejected: 0 };

/**
 * Cache compiled code of large node_modules files in `dir`. Entries are
 * written when the process exits, so they hold the functions the run
 * actually compiled (lazily compiled ones included), not only the top level.
 * Returns false when Node does the job itself or the cache is off.
 */
export function installCodeCache(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (installed || env.LOCKMC_NO_CACHE === '1') return false;
  const mod = Module as unknown as { enableCompileCache?: (dir?: string) => unknown; prototype: CompilableModule };
  if (typeof mod.enableCompileCache === 'function') {
    try {
      mod.enableCompileCache(dir);
      installed = true;
    } catch {
      // A read-only cache directory only costs speed.
    }
    return installed;
  }
  const proto = mod.prototype;
  const original = proto._compile;
  const pending: Pending[] = [];
  proto._compile = function (this: CompilableModule, content: string, filename: string): unknown {
    const entry = entryFor(dir, filename, content);
    if (entry === undefined) return original.call(this, content, filename);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(entry);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: undefined });
    if (cachedData === undefined) codeCacheStats.misses++;
    else if (script.cachedDataRejected === true) codeCacheStats.rejected++;
    else codeCacheStats.hits++;
    if (cachedData === undefined || script.cachedDataRejected === true) pending.push({ script, entry });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = createRequire(filename);
    return fn.call(this.exports, this.exports, require, this, filename, dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, entry } of pending) writeEntry(entry, script.createCachedData());
  });
  installed = true;
  return true;
}

/** The cache entry of a large node_modules file, keyed by path, size, mtime and the V8 that compiled it; undefined for files not worth caching. */
function entryFor(dir: string, filename: string, content: string): string | undefined {
  if (content.length < SIZE_FLOOR || !filename.includes('node_modules')) return undefined;
  let stamp: string;
  try {
    const st = statSync(filename);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const key = createHash('sha256').update(`${filename}\0${stamp}\0${process.version}\0${process.arch}\0${process.versions.v8}`).digest('hex').slice(0, 32);
  return join(dir, `${key}.v8`);
}

/** Write then rename, so a concurrent run never reads half an entry. */
function writeEntry(entry: string, data: Buffer): void {
  try {
    mkdirSync(dirname(entry), { recursive: true });
    const tmp = `${entry}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, entry);
  } catch {
    // A read-only or full disk only costs speed.
  }
}
