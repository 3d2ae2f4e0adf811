/**
 * The last checking cost of each model, by its absolute path, for shard
 * balancing (`--shard i/n` orders models by it). One small JSON file in the
 * cache directory, read-modify-written with a rename: concurrent writers
 * may lose each other's latest figure (the last rename wins), which only
 * makes a hint older, never wrong about a result.
 */

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeAtomic, type StoreWriteError } from './store.js';

const COSTS_FILE = 'costs.json';

function readCosts(dir: string): Record<string, number> {
  try {
    const v = JSON.parse(readFileSync(join(dir, COSTS_FILE), 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** The ms the last uncached check of `file` took, if this cache saw one. */
export function lastCostMs(cacheDir: string, file: string): number | undefined {
  const ms = readCosts(cacheDir)[resolve(file)];
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

/** Records the cost of several models at once (one rename per run, not per model). */
export function recordCosts(cacheDir: string, costs: { file: string; ms: number }[]): StoreWriteError | undefined {
  if (costs.length === 0) return undefined;
  const all = readCosts(cacheDir);
  for (const c of costs) all[resolve(c.file)] = c.ms;
  return writeAtomic(join(cacheDir, COSTS_FILE), JSON.stringify(all), cacheDir);
}
