/**
 * Explicit-engine benchmark: states, transitions fired, time and store
 * memory per family member, full search against lock-aware POR.
 *
 * Run (tsx is not installed; compile, then run with node):
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/lockmc-bench
 *   node /tmp/lockmc-bench/bench/explicit.js [family[:N[,N...]] ...] [--timeout ms] [--no-full] [--no-por]
 *
 * e.g. `node /tmp/lockmc-bench/bench/explicit.js ordered:8 reclaim-fix:4,6`.
 * Without arguments it runs every family at its default sizes. Each row
 * compiles the family member (compileSystem, deadlock property only) and
 * explores it once; the table is plain text, one row per run.
 */

import { exploreExplicitDetailed } from '../checker/engines/explicit/index.js';
import { FAMILIES, familySystem } from './families/index.js';

const DEFAULT_SIZES: Record<string, number[]> = {
  ring: [4, 6, 8],
  ordered: [4, 6, 8],
  'reclaim-bug': [2, 3, 4],
  'reclaim-fix': [2, 3, 4],
};

interface Row {
  family: string;
  n: number;
  reduction: string;
  verdict: string;
  states: number;
  fired: number;
  ms: number;
  mb: number;
}

function main(argv: string[]): void {
  let timeoutMs = 60_000;
  let full = true;
  let por = true;
  const targets: [string, number[]][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--timeout') timeoutMs = Number(argv[++i]);
    else if (a === '--no-full') full = false;
    else if (a === '--no-por') por = false;
    else {
      const [name, sizes] = a.split(':');
      targets.push([name, sizes ? sizes.split(',').map(Number) : DEFAULT_SIZES[name] ?? [4]]);
    }
  }
  if (targets.length === 0) for (const f of FAMILIES) targets.push([f.name, DEFAULT_SIZES[f.name]]);

  const header = ['family', 'N', 'reduction', 'verdict', 'states', 'transitions', 'ms', 'MB', 'states/s'];
  console.log(header.join('\t'));
  for (const [family, sizes] of targets) {
    for (const n of sizes) {
      const ts = familySystem(family, n);
      const modes: ('none' | 'por')[] = [];
      if (full) modes.push('none');
      if (por) modes.push('por');
      for (const reduction of modes) {
        const { result, detail } = exploreExplicitDetailed(ts, { timeoutMs, maxMemoryMb: 4096, reduction });
        const r = result.results[0];
        const verdict = r.status === 'violated' ? `violated(${r.schedule.length})` : r.status === 'inconclusive' ? `inconclusive(${r.limit.kind})` : 'holds';
        const row: Row = {
          family,
          n,
          reduction,
          verdict,
          states: detail.states,
          fired: detail.transitionsFired,
          ms: Math.round(result.stats.ms),
          mb: Math.round((detail.storeBytes / 1048576) * 10) / 10,
        };
        const rate = row.ms > 0 ? Math.round((row.states / row.ms) * 1000) : 0;
        console.log([row.family, row.n, row.reduction, row.verdict, row.states, row.fired, row.ms, row.mb, rate].join('\t'));
      }
    }
  }
}

if (process.argv[1] && /bench[\\/]explicit\.js$/.test(process.argv[1])) main(process.argv.slice(2));
