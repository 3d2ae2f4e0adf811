/**
 * One lockmc search as its own process, for the SPIN bench
 * (bench/spin.ts), which times the whole process as it times `pan`.
 *
 *   node dist/bench/lockmc-run.js <member | model.ts> --reduction none|por [--promela out.pml]
 *
 * `<member>` is a bench family member (`ring-6`, `ww-3x2`: deadlock
 * property only); a `*.model.ts` path goes through the front end with the
 * default options and keeps the properties of its rules. The explicit
 * engine explores the whole reachable space: a never-violated terminal
 * property keeps the search open after every real property is decided
 * (the engine stops once every property is decided), and it needs no
 * visibility under POR (terminal properties need none: por.ts), so the
 * reduction is the one `lockmc check` uses. Prints one JSON line:
 * states, transitions fired, store bytes, search and compile ms, and the
 * `rule/check` of every violated property. `--promela` also writes the
 * same system (without the sentinel) through checker/export/promela.ts.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { exploreExplicitDetailed } from '../checker/engines/explicit/index.js';
import { toPromela } from '../checker/export/promela.js';
import { FALSE } from '../checker/semantics/expr.js';
import type { Property, TransitionSystem } from '../checker/semantics/system.js';
import { memberSystem } from './families/member.js';

/** The sentinel's name: never a rule's. */
export const WHOLE_SPACE = { rule: 'bench', check: 'whole-space' } as const;

export interface LockmcRun {
  states: number;
  transitions: number;
  storeBytes: number;
  searchMs: number;
  compileMs: number;
  reduction: 'none' | 'por';
  /** `rule/check` of each violated property, sorted, deduplicated. */
  violated: string[];
  /** Set when the search stopped at a limit (then the state count is partial). */
  inconclusive?: string;
}

/** A model file's transition system as `lockmc check` compiles it (default options). */
export async function modelSystem(file: string): Promise<TransitionSystem> {
  // Loaded only for model files: a family member needs no front end or rule set.
  const { DEFAULT_CHECK_OPTIONS, resolveRules, runPipeline, startRun } = await import('../checker/index.js');
  const { makeBudget } = await import('../model/budget.js');
  const options = { ...DEFAULT_CHECK_OPTIONS };
  const run = await runPipeline(startRun(file, readFileSync(file, 'utf8'), options, resolveRules(options), makeBudget(600_000)), { until: 'compile' });
  if (run.kind === 'ended') throw new Error(`${file}: the pipeline stopped before compile: ${run.report.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return run.state.products.compile!.ts;
}

/** Explore all of `ts`, whatever is found violated on the way. */
export async function exploreWholeSpace(ts: TransitionSystem, reduction: 'none' | 'por', timeoutMs = 3_600_000): Promise<Omit<LockmcRun, 'compileMs'>> {
  const sentinel: Property = { kind: 'terminal', ...WHOLE_SPACE, bad: FALSE };
  const withSentinel: TransitionSystem = { ...ts, properties: [...ts.properties, sentinel] };
  const { result, detail } = await exploreExplicitDetailed(withSentinel, { timeoutMs, maxMemoryMb: 16_384, reduction, stopAtFirst: false });
  const violated = [...new Set(ts.properties.flatMap((p, i) => (result.results[i].status === 'violated' ? [`${p.rule}/${p.check}`] : [])))].sort();
  const stop = result.results.find((r) => r.status === 'inconclusive');
  return {
    states: detail.states,
    transitions: detail.transitionsFired,
    storeBytes: detail.storeBytes,
    searchMs: result.stats.ms,
    reduction: detail.reduction,
    violated,
    ...(stop && stop.status === 'inconclusive' ? { inconclusive: stop.limit.kind } : {}),
  };
}

async function main(argv: string[]): Promise<void> {
  const target = argv[0];
  const at = (flag: string) => (argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined);
  const reduction = at('--reduction') === 'por' ? 'por' : 'none';
  if (!target) {
    process.stderr.write('usage: node dist/bench/lockmc-run.js <member | model.ts> --reduction none|por [--promela out.pml]\n');
    process.exitCode = 2;
    return;
  }
  const t0 = performance.now();
  const ts = target.endsWith('.ts') ? await modelSystem(target) : memberSystem(target);
  const compileMs = performance.now() - t0;
  const pml = at('--promela');
  if (pml) writeFileSync(pml, toPromela(ts));
  const run = await exploreWholeSpace(ts, reduction);
  process.stdout.write(`${JSON.stringify({ ...run, compileMs } satisfies LockmcRun)}\n`);
}

if (process.argv[1] && /bench[\\/]lockmc-run\.js$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`lockmc-run: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
