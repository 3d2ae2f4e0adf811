import { describe, expect, it } from 'vitest';
import { renderText } from '../../cli/render/text.js';
import type { ModelReport, Report, Verdict } from '../../checker/report.js';
import { runOutcome } from '../../cli/render/outcome.js';
import { CTX, DEADLOCK_FINDING } from './sample-reports.js';

function model(file: string, verdicts: Verdict[], over: Partial<ModelReport> = {}): ModelReport {
  return { file, hashes: { model: 'aaaaaaaa', rules: 'bbbbbbbb' }, kernel: 'v7.0', verdicts, diagnostics: [], stats: { ms: 5, engine: ['explicit'] }, ...over };
}

const proved = (rule: string): Verdict => ({ status: 'proved', rule, engine: 'explicit', detail: 'every interleaving (explicit)' });
const na = (rule: string): Verdict => ({ status: 'not-applicable', rule, reason: 'no step, lock or object of this model matches its checks' });

function run(models: ModelReport[], exitCode: number): Report {
  return { schemaVersion: 1, tool: { name: 'lockmc', version: '0.1.0' }, options: {}, rules: [], models, diagnostics: [], exitCode };
}

/** Three fixtures, all as expected: one declares its violation, one holds, one declares its error. */
function corpus(): ModelReport[] {
  return [
    model('fixtures/rules/a/violates-x.model.ts', [{ status: 'violated', rule: 'deadlock', engine: 'explicit', findings: [DEADLOCK_FINDING] }, proved('p'), na('q')], {
      expected: [{ kind: 'violates', rule: 'deadlock' }],
      expectation: { met: true, detail: 'as declared' },
    }),
    model('fixtures/rules/a/holds-x.model.ts', [proved('deadlock'), proved('p'), na('q')], { expected: [{ kind: 'holds', rules: 'all' }], expectation: { met: true, detail: 'as declared' } }),
    model('fixtures/errors/e.model.ts', [], {
      expected: [{ kind: 'error', code: 'LMC201' }],
      expectation: { met: true, detail: 'as declared' },
      diagnostics: [{ code: 'LMC201', severity: 'error', message: 'unknown identifier: frob', file: 'fixtures/errors/e.model.ts', line: 3, col: 1 }],
    }),
  ];
}

describe('summary first', () => {
  it('several models, all as expected: no report, only the outcome', () => {
    expect(renderText(run(corpus(), 0), CTX)).toBe(
      [
        'lockmc 0.1.0',
        '',
        'OK: 3 models, all as expected; violations: 1 declared, 0 undeclared;',
        '  model errors: 1 declared, 0 undeclared; other verdicts: 3 proved, 2',
        '  not applicable; exit 0',
        '',
      ].join('\n'),
    );
  });

  it('a model not as expected gets its full report, the summary names it and counts by top-level folder', () => {
    const models = [...corpus(), model('models/mine.model.ts', [{ status: 'violated', rule: 'deadlock', engine: 'explicit', findings: [DEADLOCK_FINDING] }])];
    const text = renderText(run(models, 1), CTX);
    expect(text.match(/^model: /gm)).toEqual(['model: ']);
    expect(text).toContain('model: models/mine.model.ts\n');
    expect(text.split('\n').slice(-7).join('\n')).toBe(
      [
        'not as expected:',
        '  models/mine.model.ts: violates deadlock',
        'by folder: fixtures 3, models 1 (1 not as expected)',
        'FAILED: 4 models, 1 not as expected; violations: 1 declared, 1',
        '  undeclared; model errors: 1 declared, 0 undeclared; other verdicts: 3',
        '  proved, 2 not applicable; exit 1',
        '',
      ].join('\n'),
    );
  });

  it('--verbose prints every report and every verdict', () => {
    const text = renderText(run(corpus(), 0), { ...CTX, verbose: true });
    expect(text.match(/^model: /gm)?.length).toBe(3);
    expect(text).toContain('verdicts:\n  deadlock: proved (every interleaving (explicit))\n  p: proved (every interleaving (explicit))\n  q: not applicable (no step, lock or object of this model matches its\n      checks)\n');
  });

  it('one model: its report, the verdicts worth reading and a count of the rest', () => {
    const text = renderText(run([corpus()[1]], 0), CTX);
    expect(text).toBe(
      [
        'lockmc 0.1.0',
        '',
        'model: fixtures/rules/a/holds-x.model.ts',
        '  hashes: model aaaaaaaa, rules bbbbbbbb; kernel v7.0',
        '  engines: explicit; 5 ms',
        '',
        'verdicts:',
        '  2 rules proved for every interleaving; 1 not applicable (nothing in',
        '    the model matches it)',
        'expectation: met (as declared)',
        '',
        'OK: 1 model, as expected; violations: 0 declared, 0 undeclared; other',
        '  verdicts: 2 proved, 1 not applicable; exit 0',
        '',
      ].join('\n'),
    );
  });

  it('the first word is the outcome of the exit code', () => {
    expect([0, 1, 7, 130, 4, 70].map((exitCode) => runOutcome({ exitCode }))).toEqual(['OK', 'FAILED', 'INCONCLUSIVE', 'INTERRUPTED', 'ERROR', 'ERROR']);
  });
});
