/**
 * @bench The Z3 engine on the reclaim family (issue #17 item 6: decide
 * reclaim-bug-N and reclaim-fix-N at N = 3 and 4 within 10 s), once per
 * Z3 build: the bundled WASM one and, when a `z3` is on PATH, the native
 * one for the fixed-point pass (`--z3 native`). Each run goes through the
 * CLI's killable child (isolated.ts), so no run outlives its time-out.
 * One row per member and build: decided or not, the verdict of the
 * deadlock property, wall ms, and the most Z3 resources one query used
 * (rlimit: the machine-independent figure; wall time under load is not).
 *
 *   npm run build && node dist/bench/z3-families.js [member ...] [--timeout ms]
 */

import { memberSystem } from './families/member.js';
import { runBmcIsolated } from '../checker/engines/bmc/isolated.js';
import { findNativeZ3 } from '../checker/engines/bmc/native.js';
import type { Z3Build } from '../checker/engines/bmc/run-bmc.js';

const DEFAULT_MEMBERS = ['reclaim-bug-1', 'reclaim-fix-1', 'reclaim-bug-2', 'reclaim-fix-2', 'reclaim-bug-3', 'reclaim-fix-3', 'reclaim-bug-4', 'reclaim-fix-4'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const t = args.indexOf('--timeout');
  const timeoutMs = t >= 0 ? Number(args[t + 1]) : 10_000;
  const named = args.filter((a, i) => !a.startsWith('--') && (t < 0 || i !== t + 1));
  const members = named.length > 0 ? named : DEFAULT_MEMBERS;
  const builds: Z3Build[] = findNativeZ3() ? ['wasm', 'native'] : ['wasm'];
  if (builds.length === 1) console.log('(no z3 on PATH: WASM only; apt-get install z3 for the native column)');
  const head = ['member', 'z3', 'decided', 'verdict', 'ms', 'rlimit max'];
  const rows: string[][] = [];
  for (const member of members) {
    const ts = memberSystem(member);
    for (const z3 of builds) {
      const start = Date.now();
      const r = await runBmcIsolated(ts, { timeoutMs, mode: 'prove', z3 });
      const ms = Date.now() - start;
      const res = r.results[0];
      const verdict = res.status === 'inconclusive' ? `inconclusive (${res.limit.kind})` : res.status === 'violated' ? `violated (${res.schedule.length} steps)` : res.exhaustive ? 'proved' : `holds to ${res.bound}`;
      rows.push([member, z3, res.status === 'inconclusive' ? 'no' : 'yes', verdict, String(ms), String(r.stats.rlimitMax ?? '-')]);
      console.error(rows[rows.length - 1].join('  '));
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i >= 4 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ');
  console.log(`Z3 engine on the reclaim family (--engine bmc, --timeout ${timeoutMs} ms, deadlock property)`);
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
  process.exit(0);
}

await main();
