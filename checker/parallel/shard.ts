/**
 * `--shard i/n`: which models of a corpus shard i of n checks. The split
 * is a pure function of the corpus (its paths, sorted) and, when known,
 * each model's cost: greedy longest-first, each model onto the least
 * loaded shard, so n CI runners finish at about the same time. Every
 * runner computes the same split from the same inputs, so no runner needs
 * to talk to another.
 */

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** What a shard's report records: which shard, of how many, over a corpus of how many models. */
export interface ShardInfo extends ShardSpec {
  files: number;
}

/** `i/n` with 1 ≤ i ≤ n; anything else is a message for the user. */
export function parseShard(text: string): ShardSpec | { error: string } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { error: 'expected i/n (1-based), e.g. 2/4.' };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) return { error: 'the shard count n of i/n must be at least 1.' };
  if (index < 1 || index > count) return { error: `the shard index i of i/n must be between 1 and ${count}.` };
  return { index, count };
}

/**
 * Path order, component by component: the order a directory walk lists
 * files in (cli/files.ts sorts each directory's names), so a corpus given
 * as one directory is already in this order and a merged report matches
 * the unsharded one.
 */
export function comparePaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Costs of `files`, unknown ones at the median of the known (1 when none is known). */
function costsOf(files: string[], cost: ((file: string) => number | undefined) | undefined): Map<string, number> {
  const known = files.map((f) => cost?.(f)).filter((c): c is number => c !== undefined && Number.isFinite(c) && c >= 0);
  known.sort((a, b) => a - b);
  const median = known.length === 0 ? 1 : known.length % 2 === 1 ? known[(known.length - 1) / 2] : (known[known.length / 2 - 1] + known[known.length / 2]) / 2;
  return new Map(
    files.map((f) => {
      const c = cost?.(f);
      return [f, c !== undefined && Number.isFinite(c) && c >= 0 ? c : median];
    }),
  );
}

/**
 * Every shard's models, each list in path order. Longest first (ties by
 * path), each onto the least loaded shard (ties: the lowest index). A
 * partition: every file in exactly one shard.
 */
export function partition(files: string[], count: number, cost?: (file: string) => number | undefined): string[][] {
  const sorted = [...new Set(files)].sort(comparePaths);
  const costs = costsOf(sorted, cost);
  const byCost = [...sorted].sort((a, b) => costs.get(b)! - costs.get(a)! || comparePaths(a, b));
  const load = new Array<number>(count).fill(0);
  const shards: string[][] = Array.from({ length: count }, () => []);
  for (const f of byCost) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    load[best] += costs.get(f)!;
    shards[best].push(f);
  }
  return shards.map((s) => s.sort(comparePaths));
}

/** The models shard `spec` checks, in path order. */
export function shardFiles(files: string[], spec: ShardSpec, cost?: (file: string) => number | undefined): string[] {
  return partition(files, spec.count, cost)[spec.index - 1];
}
