import { defineConfig } from 'vitest/config';

// The JSON report lets .ci/run print one plain "N passed, N failed" line.
// Time-outs are a safety net against hangs, never a verdict: tests bound
// their engines deterministically (tests/budgets.ts), and a busy machine
// must make the suite slower, not red. A file may still set a longer one.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Tests assert fresh results: the CLI's result cache (on by default) would
    // serve a second test's models from the first's. tests/cache/ turns it on.
    env: { LOCKMC_NO_CACHE: '1' },
  },
});
