/**
 * Budgets for tests that assert verdicts. A verdict must not depend on how
 * fast or how busy the machine is, so the Z3 engine is bounded by Z3's
 * resource limit (`rlimit`, a count of solver steps, the same for the same
 * query on any machine) and every wall-clock limit is a safety net far
 * above need: on a slow machine a test takes longer, it does not change
 * its answer. Tests of the time-out mechanism itself are the exception:
 * they use a model that can never finish within its tiny limit.
 */

/** Wall-clock limit of an engine run in a test: only catches a hang. */
export const SAFETY_NET_MS = 600_000;

/**
 * Z3's resource limit per query in tests, sized from measurements
 * (z3-solver 5.2): the largest single query over the bundled fixtures is
 * 4 616 901 counts (bench/rlimit-usage.ts: the fixed-point saturation of
 * the amdgpu userptr models), over the 500 random models of
 * tests/checker/differential.test.ts 60 278 988 (LOCKMC_DIFF_DEBUG=1
 * prints it). The limit is five times the larger, so every model is
 * decided with a wide margin (counts vary by a few tens of per cent with
 * a context's history) while a runaway query still stops at a count.
 */
export const RLIMIT_MEASURED = 60_278_988;
export const Z3_RLIMIT = 5 * RLIMIT_MEASURED;

/** BmcOptions/RealiseOptions budget fields for a test that asserts a verdict. */
export const Z3_BUDGET = { timeoutMs: SAFETY_NET_MS, rlimit: Z3_RLIMIT } as const;

/** CheckOptions budget fields for a test that asserts a verdict through `check`. */
export const CHECK_BUDGET = { timeoutMs: SAFETY_NET_MS, z3Rlimit: Z3_RLIMIT } as const;
