/**
 * Compares BMC encodings on parametric lock families and prints a table:
 *   family, N, encoding, verdict, bound, ms
 *
 *   npm run build && node dist/bench/bmc-encodings.js [members] [timeoutMs]
 *
 * Encodings: selector (bit-vector index vs one-hot), strategy (one query
 * at the completeness bound vs incremental deepening), with and without
 * the peephole partial-order constraint. Minimisation is off so the
 * numbers measure the search; a second block measures the defaults of the
 * two modes with minimisation, which is what users get.
 */

import type { TransitionSystem } from '../checker/semantics/system.js';
import type { PropertyResult } from '../checker/engines/types.js';
import { killBmcChildren, runBmcIsolated } from '../checker/engines/bmc/isolated.js';
import { z3Version } from '../checker/engines/bmc/solver.js';
import { FAMILIES as IR_FAMILIES, familySystem } from './families/index.js';

export interface BenchRow {
  family: string;
  n: number;
  encoding: string;
  verdict: string;
  bound: number;
  ms: number;
}

/** The shared IR families (bench/families), compiled with the deadlock property. */
export const FAMILIES: { name: string; minN: number; build: (n: number) => TransitionSystem }[] = IR_FAMILIES.map((f) => ({
  name: f.name,
  minN: f.minN,
  build: (n: number) => familySystem(f.name, n),
}));

export const ENCODINGS = [
  'bv+single+nopor',
  'onehot+single+nopor',
  'bv+single+por',
  'onehot+single+por',
  'bv+deepen+nopor',
  'onehot+deepen+nopor',
  'bv+deepen+por',
  'onehot+deepen+por',
  'onehot+portfolio',
  'onehot+fixpoint',
];

function verdictOf(r: PropertyResult): string {
  switch (r.status) {
    case 'violated':
      return `violated(${r.schedule.length})`;
    case 'holds':
      return r.exhaustive ? 'proved' : `holds<=${r.bound}`;
    case 'inconclusive':
      return `inconclusive:${r.limit.kind}${r.limit.kind === 'z3-unknown' ? `(${r.limit.reason})` : r.limit.kind === 'solver-failure' ? `(${r.limit.detail})` : ''}`;
  }
}

export async function benchEncodings(
  ns: number[],
  timeoutMs: number,
  encodings = ENCODINGS,
  minimise = false,
  onRow: (r: BenchRow) => void = () => {},
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const fam of FAMILIES) {
    for (const n of ns.map((k) => k + fam.minN - 1)) {
      for (const encoding of encodings) {
        const ts = fam.build(n);
        const t0 = Date.now();
        const mode = encoding.includes('deepen') || encoding === 'shortest' ? 'shortest' : 'prove';
        // The CLI's killable child: a Z3 hung past its interrupt is killed at the time-out, not waited for.
        const r = await runBmcIsolated(ts, { timeoutMs, mode, encoding: encoding === 'prove' || encoding === 'shortest' ? undefined : encoding, minimise });
        const row = { family: fam.name, n, encoding: encoding + (minimise ? '+min' : ''), verdict: verdictOf(r.results[0]), bound: ts.completenessBound, ms: Date.now() - t0 };
        rows.push(row);
        onRow(row);
      }
    }
  }
  return rows;
}

export function formatTable(rows: BenchRow[]): string {
  const head = ['family', 'N', 'encoding', 'verdict', 'bound', 'ms'];
  const cells = rows.map((r) => [r.family, String(r.n), r.encoding, r.verdict, String(r.bound), String(r.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 1 || i >= 4 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  // Members 1..count of each family, from its smallest meaningful N.
  const count = Number(process.argv[2] ?? 2);
  const timeoutMs = Number(process.argv[3] ?? 20_000);
  const ns = Array.from({ length: count }, (_, i) => i + 1);
  console.log(`z3: ${await z3Version()}`);
  // Warm the worker pool so the first row does not pay for it.
  await runBmcIsolated(familySystem('ring', 2), { timeoutMs, mode: 'prove', minimise: false });
  const progress = (r: BenchRow) => console.error(`  ${r.family} ${r.n} ${r.encoding} ${r.verdict} ${r.ms} ms`);
  console.log(formatTable(await benchEncodings(ns, timeoutMs, ENCODINGS, false, progress)));
  console.log();
  // The defaults per mode, with minimisation: what users get.
  console.log(formatTable(await benchEncodings(ns, timeoutMs, ['prove', 'shortest'], true, progress)));
  killBmcChildren();
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await main();
}
