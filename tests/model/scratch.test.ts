import { execSync } from 'node:child_process';
import { test } from 'vitest';
import { loadModel, formatDiagnostic } from '../../model/index.js';
test('scratch', () => {
  const files = execSync("find fixtures/errors -name '*.model.ts' | sort").toString().trim().split('\n');
  for (const f of files) {
    const r = loadModel(f);
    console.log('== ' + f + '\n' + r.diagnostics.map(formatDiagnostic).join('\n'));
  }
});
