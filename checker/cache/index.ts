/**
 * The content-addressed result cache (docs/cache.md): what `check` asks
 * of it, per run. Everything lives in files under `dir` (checker/cache/
 * store.ts), so workers and processes share it; this object only gathers
 * the run's warnings and costs.
 */

import type { Diagnostic } from '../../model/diagnostics.js';
import type { ModelReport } from '../report.js';
import { recordCosts } from './costs.js';
import { evict, readEntry, writeEntry, type StoreWriteError } from './store.js';
import { ruleContextDigest, type ModelProfile, type Versions } from './key.js';
import type { RuleContext } from '../passes/types.js';

export { lastCostMs, recordCosts } from './costs.js';
export { defaultCacheDir } from './location.js';
export { textKey, systemKey, touchingRules, ruleContextDigest, type Versions } from './key.js';
export { evict, cacheSizeBytes, entryPath } from './store.js';

export const DEFAULT_CACHE_MAX_MB = 256;

/** How a client asks for the cache: `dir` (see `defaultCacheDir`), and the size bound. */
export interface CacheSettings {
  dir: string;
  maxMb?: number;
}

interface Entry {
  report: ModelReport;
}

function isEntry(v: unknown): v is Entry {
  if (!v || typeof v !== 'object') return false;
  const r = (v as { report?: unknown }).report;
  return !!r && typeof r === 'object' && Array.isArray((r as ModelReport).verdicts) && typeof (r as ModelReport).stats === 'object';
}

export class ResultCache {
  private writeError: StoreWriteError | undefined;
  private readonly costs: { file: string; ms: number }[] = [];
  readonly hits = { text: 0, rejected: 0, quick: 0, system: 0 };
  /** Per rule context of this run, its digest: hashed once, not once per model. */
  private readonly digests = new Map<RuleContext, string>();

  constructor(
    readonly settings: CacheSettings,
    readonly versions: Versions,
  ) {}

  rulesDigest(ctx: RuleContext): string {
    let d = this.digests.get(ctx);
    if (d === undefined) this.digests.set(ctx, (d = ruleContextDigest(ctx)));
    return d;
  }

  get(key: string): ModelReport | undefined {
    const v = readEntry(this.settings.dir, key);
    return isEntry(v) ? v.report : undefined;
  }

  /** A model's profile (checker/cache/key.ts `ModelProfile`), if stored and whole. */
  getProfile(key: string): ModelProfile | undefined {
    const v = readEntry(this.settings.dir, key) as { profile?: ModelProfile } | undefined;
    const p = v?.profile;
    return p && Array.isArray(p.ops) && p.rules && typeof p.rules === 'object' ? p : undefined;
  }

  putProfile(key: string, profile: ModelProfile): void {
    if (this.writeError) return;
    this.writeError = writeEntry(this.settings.dir, key, { profile });
  }

  put(keys: (string | undefined)[], report: ModelReport): void {
    if (this.writeError) return;
    for (const key of keys) {
      if (!key) continue;
      const err = writeEntry(this.settings.dir, key, { report } satisfies Entry);
      if (err) {
        this.writeError = err;
        return;
      }
    }
  }

  recordCost(file: string, ms: number): void {
    this.costs.push({ file, ms });
  }

  /** Records costs, evicts down to the bound, and returns the run's cache warnings (LMC470). */
  finish(): Diagnostic[] {
    if (!this.writeError) {
      this.writeError = recordCosts(this.settings.dir, this.costs);
      if (!this.writeError) evict(this.settings.dir, (this.settings.maxMb ?? DEFAULT_CACHE_MAX_MB) * 1024 * 1024);
    }
    if (!this.writeError) return [];
    const { dir, reason } = this.writeError;
    return [
      {
        code: 'LMC470',
        severity: 'warning',
        message: `the result cache '${dir}' is not writable (${reason}): results of this run were not cached`,
        hint: 'pass --cache-dir <dir> (or set LOCKMC_CACHE_DIR) to a writable directory, or --no-cache',
      },
    ];
  }
}
