/**
 * The renderers of `rules diff` on one hand-built diff: the markdown a
 * merge-request comment shows (exact), SARIF valid against the official
 * 2.1.0 schema with one result per introduced finding, and JSON that
 * round-trips.
 */
import { describe, expect, it } from 'vitest';
import type { RulesDiff } from '../../checker/gate/types.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffSarif, renderDiffText } from '../../cli/render/gate-diff.js';
import { sarifValidator } from '../cli/sarif-schema.js';

const diff: RulesDiff = {
  schemaVersion: 1,
  kind: 'rules-diff',
  base: { label: 'HEAD~1', kind: 'git', commit: '9bbd121a5d5f6368fa65095baccd5af0d3197a32', ruleFiles: ['rules/site.json'], models: 2, cache: { hits: 0, misses: 2 } },
  head: { label: 'working tree', kind: 'worktree', ruleFiles: ['rules/site.json'], models: 2, cache: { hits: 1, misses: 1 } },
  counts: { introduced: 1, fixed: 1, unchanged: 2, changed: 0 },
  pairs: [
    { model: 'fixtures/a.model.ts', rule: 'no-sleep', base: 'violated', head: 'holds', change: 'fixed', findings: [], modelUnchanged: true },
    { model: 'fixtures/b|c.model.ts', rule: 'no-sleep', base: 'holds', head: 'violated', change: 'introduced', findings: [{ check: 'sleep', message: 'might_sleep() under a lock', line: 12 }], modelUnchanged: true },
  ],
  permitted: [{ model: 'fixtures/a.model.ts', rule: 'no-sleep', base: 'violated', head: 'holds', change: 'fixed', findings: [], modelUnchanged: true }],
  headers: [
    { model: 'fixtures/a.model.ts', rules: ['no-sleep'], headerChanged: false, headMet: false, ok: false, reason: 'its verdicts changed but its @expect header did not' },
    { model: 'fixtures/b|c.model.ts', rules: ['no-sleep'], headerChanged: true, headMet: true, ok: true, reason: 'its @expect header was updated and is met' },
  ],
  diagnostics: [{ code: 'LMC317', severity: 'error', message: 'declared verdict changed (no-sleep): its verdicts changed but its @expect header did not', file: 'fixtures/a.model.ts' }],
  exitCode: 1,
};

describe('rules diff renderers', () => {
  it('markdown: a short table, the failures, the details folded, pipes escaped', () => {
    expect(renderDiffMarkdown(diff)).toBe(
      [
        '### lockmc rules diff: failed',
        '',
        '`HEAD~1 (9bbd121a5d5f)` → `working tree`, 2 models',
        '',
        '| introduced | fixed | changed | unchanged | permitted |',
        '| ---: | ---: | ---: | ---: | ---: |',
        '| 1 | 1 | 0 | 2 | 1 |',
        '',
        '**FAILED: 1 model changed verdict without its @expect header:**',
        '',
        '- `fixtures/a.model.ts` (no-sleep): its verdicts changed but its @expect header did not',
        '',
        '<details><summary>Introduced violations (1)</summary>',
        '',
        '| model | rule | before | after | where |',
        '| --- | --- | --- | --- | --- |',
        '| `fixtures/b\\|c.model.ts` | `no-sleep` | holds | violated | sleep line 12 |',
        '',
        '</details>',
        '',
        '<details><summary>Fixed (1)</summary>',
        '',
        '| model | rule | before | after | where |',
        '| --- | --- | --- | --- | --- |',
        '| `fixtures/a.model.ts` | `no-sleep` | violated | holds | - |',
        '',
        '</details>',
        '',
        '<details><summary>Permitted by the new rules (violated before, hold now) (1)</summary>',
        '',
        '| model | rule | before | after | where |',
        '| --- | --- | --- | --- | --- |',
        '| `fixtures/a.model.ts` | `no-sleep` | violated | holds | - |',
        '',
        '</details>',
        '',
        '<details><summary>Diagnostics (1)</summary>',
        '',
        '```',
        'fixtures/a.model.ts: error LMC317: declared verdict changed (no-sleep): its verdicts changed but its @expect header did not',
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  it('sarif: valid 2.1.0, one result per introduced finding at its line', () => {
    const log = JSON.parse(renderDiffSarif(diff, '0.1.0'));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results).toEqual([
      {
        ruleId: 'no-sleep',
        ruleIndex: 0,
        level: 'error',
        message: { text: 'might_sleep() under a lock (introduced: holds at HEAD~1)' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'fixtures/b%7Cc.model.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } } }],
        properties: { check: 'sleep', change: 'introduced' },
      },
    ]);
    expect(log.runs[0].invocations[0].exitCode).toBe(1);
  });

  it('json round-trips; text ends with the gate line', () => {
    expect(JSON.parse(renderDiffJson(diff))).toEqual(diff);
    expect(renderDiffText(diff).trimEnd().split('\n').at(-1)).toBe('gate: FAILED: 1 model changed verdict without its @expect header; exit 1');
  });
});
