/**
 * The result cache on disk: one file per key, plain files and renames only,
 * so any number of threads and processes may read and write one directory
 * at once (nothing in memory matters: a worker_thread or a CI runner sees
 * what another wrote).
 *
 * An entry is `<sha256 of the payload>\n<payload>`. A reader that finds the
 * checksum wrong, or a payload that does not parse, treats the entry as
 * absent: the model is checked again and the entry overwritten. A writer
 * writes a temporary file in the same directory and renames it over the
 * entry: rename is atomic on one file system, so a reader sees the old
 * entry or the new one, never half of one; two writers of one key write the
 * same bytes (the key determines the result), and the last rename wins.
 *
 * Size is bounded by evicting the least recently used entries: a hit
 * touches the entry's mtime, eviction removes the oldest mtimes first.
 */

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ENTRIES = 'entries';

/** Why a write failed: the directory cannot be created or written (permissions, read-only fs, a file in the way). */
export interface StoreWriteError {
  dir: string;
  reason: string;
}

export function entryPath(dir: string, key: string): string {
  return join(dir, ENTRIES, key.slice(0, 2), `${key}.json`);
}

function checksum(payload: string): string {
  return createHash('sha256').update(payload, 'utf8').digest('hex');
}

/**
 * The payload stored under `key`, parsed, or undefined when there is none
 * or it fails its checksum or does not parse (never trusted). A hit touches
 * the entry (LRU).
 */
export function readEntry(dir: string, key: string): unknown {
  const file = entryPath(dir, key);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const nl = raw.indexOf('\n');
  if (nl < 0) return undefined;
  const payload = raw.slice(nl + 1);
  if (raw.slice(0, nl) !== checksum(payload)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  touch(file);
  return value;
}

function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A read-only cache still serves hits; its LRU order just ages.
  }
}

/** Writes `value` under `key` (temp file + rename); the error when the directory is not writable. */
export function writeEntry(dir: string, key: string, value: unknown): StoreWriteError | undefined {
  const file = entryPath(dir, key);
  const payload = JSON.stringify(value);
  return writeAtomic(file, `${checksum(payload)}\n${payload}`, dir);
}

/**
 * Write-then-rename in the target's directory (one file system, so the
 * rename is atomic). The temporary name is unique per writer.
 */
export function writeAtomic(file: string, content: string, dir: string): StoreWriteError | undefined {
  const parent = join(file, '..');
  const tmp = join(parent, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(parent, { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    return { dir, reason: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

interface EntryStat {
  file: string;
  size: number;
  mtimeMs: number;
}

function listEntries(dir: string): EntryStat[] {
  const out: EntryStat[] = [];
  let shards: string[];
  try {
    shards = readdirSync(join(dir, ENTRIES));
  } catch {
    return out;
  }
  for (const shard of shards) {
    let names: string[];
    try {
      names = readdirSync(join(dir, ENTRIES, shard));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(dir, ENTRIES, shard, name);
      try {
        const st = statSync(file);
        if (st.isFile()) out.push({ file, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Removed by another process meanwhile.
      }
    }
  }
  return out;
}

/** Total bytes of the entries (temporary files included: they count against the bound too). */
export function cacheSizeBytes(dir: string): number {
  return listEntries(dir).reduce((s, e) => s + e.size, 0);
}

/**
 * Removes least recently used entries until the entries fit in `maxBytes`
 * (down to 90% of it, so the next few writes do not evict again). Returns
 * how many were removed. Concurrent evictions may remove a little more
 * than needed; an entry removed under a reader is a miss, never an error.
 */
export function evict(dir: string, maxBytes: number): number {
  const entries = listEntries(dir);
  let total = entries.reduce((s, e) => s + e.size, 0);
  if (total <= maxBytes) return 0;
  const target = Math.floor(maxBytes * 0.9);
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.file < b.file ? -1 : 1));
  let removed = 0;
  for (const e of entries) {
    if (total <= target) break;
    try {
      unlinkSync(e.file);
      removed++;
    } catch {
      // Gone already.
    }
    total -= e.size;
  }
  return removed;
}
