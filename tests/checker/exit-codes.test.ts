/**
 * checker/exit-codes.ts: the one diagnostic→exit, model→exit and run→exit
 * functions every client uses (moved here from tests/cli/check-command.test.ts
 * with cli/shared.ts `diagnosticExit`/`modelExit`/`runExit`, whose place they took).
 */
import { describe, expect, it } from 'vitest';
import { diagnosticExitCode, modelExitCode, runExitCode } from '../../checker/exit-codes.js';
import type { ModelReport, Report } from '../../checker/report.js';
import type { DiagnosticCode } from '../../model/diagnostics.js';

function model(file: string, over: Partial<ModelReport> = {}): ModelReport {
  return { file, hashes: { model: 'aa', rules: 'bb' }, kernel: 'v7.0', verdicts: [], diagnostics: [], stats: { ms: 1, engine: ['bmc'] }, ...over };
}

const base = (models: ModelReport[], exitCode = 0): Report => ({
  schemaVersion: 1,
  tool: { name: 'lockmc', version: '0.1.0' },
  options: {},
  rules: [],
  models,
  diagnostics: [],
  exitCode,
});

/** A code from outside the table, as a report read back from JSON may carry. */
const unknown = (code: string) => code as DiagnosticCode;

describe('exit codes', () => {
  it('diagnostics map through the code registries, warnings do not fail', () => {
    expect(diagnosticExitCode({ code: 'LMC201', severity: 'error', message: '' })).toBe(4);
    expect(diagnosticExitCode({ code: 'LMC301', severity: 'error', message: '' })).toBe(2);
    expect(diagnosticExitCode({ code: 'LMC201', severity: 'warning', message: '' })).toBe(0);
    expect(diagnosticExitCode({ code: unknown('LMC188'), severity: 'error', message: '' })).toBe(3);
    expect(diagnosticExitCode({ code: unknown('LMC477'), severity: 'error', message: '' })).toBe(6);
    expect(diagnosticExitCode({ code: unknown('weird'), severity: 'error', message: '' })).toBe(70);
  });
  it('a model: violation 1, inconclusive 7, input errors dominate', () => {
    expect(modelExitCode(model('m', { verdicts: [{ status: 'holds-up-to', rule: 'r', engine: 'bmc', bound: 3 }] }))).toBe(0);
    expect(modelExitCode(model('m', { verdicts: [{ status: 'inconclusive', rule: 'r', engine: 'bmc', limit: { kind: 'timeout', ms: 1 } }] }))).toBe(7);
    expect(
      modelExitCode(
        model('m', {
          verdicts: [
            { status: 'inconclusive', rule: 'r', engine: 'bmc', limit: { kind: 'timeout', ms: 1 } },
            { status: 'violated', rule: 's', engine: 'bmc', findings: [] },
          ],
        }),
      ),
    ).toBe(7);
    expect(modelExitCode(model('m', { diagnostics: [{ code: 'LMC201', severity: 'error', message: '' }] }))).toBe(4);
  });
  it('a run: met expectations pass, unmet ones fail with 1, model errors keep their code', () => {
    const expected = [{ kind: 'holds' as const, rules: 'all' as const }];
    const met = model('a', { expected, expectation: { met: true, detail: '' } });
    const unmet = model('b', { expected, expectation: { met: false, detail: '' } });
    const unmetErr = model('c', { expected, expectation: { met: false, detail: '' }, diagnostics: [{ code: 'LMC101', severity: 'error', message: '' }] });
    expect(runExitCode(base([met]))).toBe(0);
    expect(runExitCode(base([met, unmet]))).toBe(1);
    // Changed by issue #9: a model error is not turned into 1 by a declared verdict.
    expect(runExitCode(base([met, unmet, unmetErr]))).toBe(3);
    expect(runExitCode(base([met, model('d', { diagnostics: [{ code: 'LMC101', severity: 'error', message: '' }] })]))).toBe(3);
    expect(runExitCode({ ...base([met]), diagnostics: [{ code: 'LMC301', severity: 'error', message: '' }] })).toBe(2);
  });
  it('issue #9 precedence: a met @expect never hides a limit or an unexpected model error', () => {
    const timeout = { kind: 'timeout' as const, ms: 1000 };
    const violates = [{ kind: 'violates' as const, rule: 'r' }];
    // 1 of 2 verdicts inconclusive, the declared violation found: 7, not 0.
    const limited = model('a', {
      expected: violates,
      expectation: { met: true, detail: 'as declared' },
      verdicts: [
        { status: 'violated', rule: 'r', engine: 'bmc', findings: [] },
        { status: 'inconclusive', rule: 's', engine: 'bmc', limit: timeout },
      ],
    });
    expect(runExitCode(base([limited]))).toBe(7);
    // The declared violation itself undecided: 7 as well.
    const undecided = model('b', {
      expected: violates,
      expectation: { met: false, detail: '' },
      verdicts: [{ status: 'inconclusive', rule: 'r', engine: 'bmc', limit: timeout }],
    });
    expect(runExitCode(base([undecided]))).toBe(7);
    // A model error under a declared verdict keeps its code (lint gives 4 too).
    const semErr = model('c', { expected: violates, expectation: { met: false, detail: '' }, diagnostics: [{ code: 'LMC201', severity: 'error', message: '' }] });
    expect(runExitCode(base([semErr]))).toBe(4);
    // ... unless it is the error the header expects.
    const expectedErr = model('d', {
      expected: [{ kind: 'error' as const, code: 'LMC201' }],
      expectation: { met: true, detail: 'as declared' },
      diagnostics: [{ code: 'LMC201', severity: 'error', message: '' }],
    });
    expect(runExitCode(base([expectedErr]))).toBe(0);
    // A declared violation that occurred passes; missed for another reason it is 1.
    const found = model('e', { expected: violates, expectation: { met: true, detail: '' }, verdicts: [{ status: 'violated', rule: 'r', engine: 'bmc', findings: [] }] });
    expect(runExitCode(base([found]))).toBe(0);
    const missed = model('f', { expected: violates, expectation: { met: false, detail: '' }, verdicts: [{ status: 'proved', rule: 'r', engine: 'bmc' }] });
    expect(runExitCode(base([found, missed]))).toBe(1);
    expect(runExitCode(base([missed, limited]))).toBe(7);
    // 70 dominates every model code; an interrupted run (130) dominates all.
    const internal = model('g', { expected: violates, expectation: { met: true, detail: '' }, diagnostics: [{ code: 'LMC903', severity: 'error', message: '' }] });
    expect(runExitCode(base([limited, semErr, internal]))).toBe(70);
    expect(runExitCode({ ...base([limited, internal]), interrupted: { signal: 'SIGINT', model: 'g' } })).toBe(130);
    const cut = model('h', { verdicts: [{ status: 'inconclusive', rule: 'r', engine: 'bmc', limit: { kind: 'interrupted', signal: 'SIGTERM' } }] });
    expect(runExitCode(base([internal, cut]))).toBe(130);
  });
});

describe('one run→exit function for every client', () => {
  it('the API report carries runExitCode of itself (check and replay)', async () => {
    const { check, replay, DEFAULT_CHECK_OPTIONS } = await import('../../checker/index.js');
    const file = 'fixtures/errors/LMC201-unknown-identifier.model.ts';
    const checked = await check([{ file }], DEFAULT_CHECK_OPTIONS);
    // The header expects LMC201: a met @expect error is 0.
    expect(checked.exitCode).toBe(0);
    expect(checked.exitCode).toBe(runExitCode(checked));
    // A replay does not judge the header: the same error is its own code, 4.
    const replayed = await replay(file, 'not-a-token', DEFAULT_CHECK_OPTIONS);
    expect(replayed.exitCode).toBe(4);
  });
});
