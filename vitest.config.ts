import { defineConfig } from 'vitest/config';

// The JSON report lets .ci/run print one plain "N passed, N failed" line.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
