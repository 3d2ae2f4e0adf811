/**
 * Options of `check()`, after defaults; the CLI and the config file both
 * produce one of these. Kept in one place so the report can echo them.
 */

import type { RuleSelection } from '../rules/types.js';

// The selection is rule language (rules/ resolves it); re-exported for checker clients.
export type { RuleSelection };

export type EngineChoice = 'auto' | 'bmc' | 'explicit' | 'both';

export interface CheckOptions {
  engine: EngineChoice;
  /** BMC bound (steps). Absent: the completeness bound, capped by `maxAutoBound`. */
  bound?: number;
  /** Wall-clock limit per model, ms. */
  timeoutMs: number;
  /**
   * Z3's resource limit per query of the Z3 engine (BmcOptions.rlimit): a
   * deterministic budget, the same on any machine. Absent: only the time-out.
   */
  z3Rlimit?: number;
  /** Heap limit for the explicit engine's state store, MB. */
  maxMemoryMb: number;
  /**
   * Cap on the explicit engine's stored states: a limit that does not
   * depend on the machine's speed (tests, fuzzing). Absent: no cap.
   */
  maxStates?: number;
  /** Kernel semantics: `v6.1`, `v6.6`, `v6.11`, `v6.12`, `v6.13`, `v7.0`. Absent: the model's `@kernel`, else newest. */
  kernel?: string;
  /**
   * Kernel config switches (`--kernel-config PREEMPT_RT`; model/kernel-config.ts).
   * Absent: the model's `@kernel-config`, else none. Present (even empty): replaces the model's.
   */
  kernelConfig?: string[];
  rules: RuleSelection;
  /** How many callback runs kswapd may make. */
  kswapdRuns: number;
  /** Minimise traces (shortest, then fewest preemptions). */
  minimise: boolean;
  /**
   * Models checked at once, each in its own worker thread (`--jobs`).
   * Absent or 1: one after another in this thread. The CLI's default is
   * the number of cores; the API's is 1, so a client gets no threads it
   * did not ask for.
   */
  jobs?: number;
  /**
   * Which Z3 answers the Z3 engine's fixed-point pass (`--z3`): the
   * bundled WASM build (absent, the default) or a native `z3` on PATH
   * (checker/engines/bmc/native.ts).
   */
  z3?: 'wasm' | 'native';
}

/**
 * The options a report echoes: every one that can change a verdict.
 * `jobs` is left out, as it changes only how long the run takes: the
 * report of `--jobs 4` is the report of `--jobs 1`, and shards run with
 * different `--jobs` still merge.
 */
export function reportedOptions(o: CheckOptions): Record<string, unknown> {
  const { jobs: _jobs, ...rest } = o;
  return { ...rest };
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  engine: 'auto',
  timeoutMs: 60_000,
  maxMemoryMb: 4096,
  rules: {},
  kswapdRuns: 1,
  minimise: true,
};

/**
 * The kernels a model can be checked as, oldest first. v6.1 and v6.6 are
 * the LTS kernels drivers in the field still run; they check like v6.11
 * except where `kernelSemantics` (checker/engines/lockgraph/acquisitions.ts)
 * and the kernel-gated API steps (model/vocabulary.ts `kernel`) say.
 */
export const KERNEL_VERSIONS = ['v6.1', 'v6.6', 'v6.11', 'v6.12', 'v6.13', 'v7.0'] as const;
export const NEWEST_KERNEL = 'v7.0';
export { KERNEL_CONFIGS } from '../model/kernel-config.js';

export interface Progress {
  modelsDone: number;
  modelsTotal: number;
  current?: string;
  bound?: number;
  elapsedMs: number;
}

/** Compare kernel versions like `v6.12` < `v6.13` < `v7.0`. */
export function compareKernel(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
