/**
 * Explicit-engine benchmark: states, transitions fired, time and store
 * memory per family member, full search against lock-aware POR.
 *
 * Run (tsx is not installed; compile, then run with node):
 *
 *   npx tsc -p tsconfig.json --outDir /tmp/lockmc-bench
 *   node /tmp/lockmc-bench/bench/explicit.js [family[:N[,N...]] ...] [--timeout ms] [--no-full] [--no-por] [--rules]
 *
 * e.g. `node /tmp/lockmc-bench/bench/explicit.js ordered:8 reclaim-fix:4,6`.
 * Without arguments it runs every family at its default sizes. Each row
 * compiles the family member (compileSystem, deadlock property only; with
 * `--rules`, the properties of every `recommended` rule, so the cost of
 * visible transitions shows) and explores it once; the table is plain
 * text, one row per run. `B/state` is the store's allocated bytes (arena,
 * parents, table with its free slots) per stored state. `cpu ms` is the process CPU time of the run,
 * steadier than wall time on a loaded machine. `verdict` is that of the
 * first property (deadlock) and `violated` counts the properties found
 * violated.
 */

import { exploreExplicitDetailed } from '../checker/engines/explicit/index.js';
import { FAMILIES, familySystem, familySystemWithRules } from './families/index.js';

const DEFAULT_SIZES: Record<string, number[]> = {
  ring: [4, 6, 8],
  ordered: [4, 6, 8],
  'reclaim-bug': [2, 3, 4],
  'reclaim-fix': [2, 3, 4],
  ww: [2, 3, 4],
};

async function main(argv: string[]): Promise<void> {
  let timeoutMs = 60_000;
  let full = true;
  let por = true;
  let rules = false;
  const targets: [string, number[]][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--timeout') timeoutMs = Number(argv[++i]);
    else if (a === '--no-full') full = false;
    else if (a === '--no-por') por = false;
    else if (a === '--rules') rules = true;
    else {
      const [name, sizes] = a.split(':');
      targets.push([name, sizes ? sizes.split(',').map(Number) : DEFAULT_SIZES[name] ?? [4]]);
    }
  }
  if (targets.length === 0) for (const f of FAMILIES) targets.push([f.name, DEFAULT_SIZES[f.name]]);

  const header = ['family', 'N', 'reduction', 'props', 'deadlock', 'violated', 'states', 'transitions', 'ms', 'cpu ms', 'MB', 'B/state', 'states/s'];
  console.log(header.join('\t'));
  for (const [family, sizes] of targets) {
    for (const n of sizes) {
      const ts = rules ? familySystemWithRules(family, n) : familySystem(family, n);
      const dl = ts.properties.findIndex((p) => p.kind === 'deadlock');
      const modes: ('none' | 'por')[] = [];
      if (full) modes.push('none');
      if (por) modes.push('por');
      for (const reduction of modes) {
        const c0 = process.cpuUsage();
        const { result, detail } = (await exploreExplicitDetailed(ts, { timeoutMs, maxMemoryMb: 4096, reduction }));
        const c = process.cpuUsage(c0);
        const r = dl >= 0 ? result.results[dl] : undefined;
        const verdict =
          r === undefined ? '-' : r.status === 'violated' ? `violated(${r.schedule.length})` : r.status === 'inconclusive' ? `inconclusive(${r.limit.kind})` : 'holds';
        const violated = result.results.filter((x) => x.status === 'violated').length;
        const ms = Math.round(result.stats.ms);
        const cpu = Math.round((c.user + c.system) / 1000);
        const mb = Math.round((detail.storeBytes / 1048576) * 10) / 10;
        const perState = detail.states > 0 ? Math.round(detail.storeBytes / detail.states) : 0;
        const rate = ms > 0 ? Math.round((detail.states / ms) * 1000) : 0;
        console.log([family, n, reduction, ts.properties.length, verdict, violated, detail.states, detail.transitionsFired, ms, cpu, mb, perState, rate].join('\t'));
      }
    }
  }
}

if (process.argv[1] && /bench[\\/]explicit\.js$/.test(process.argv[1])) main(process.argv.slice(2));
