/**
 * checker/gate/diff.ts as a pure function: statuses, changes, the header
 * gate (LMC317) and what counts as "permitted", on hand-built reports.
 */
import { describe, expect, it } from 'vitest';
import { changeOf, declaredVerdicts, diffRuns, type SideRun } from '../../checker/gate/diff.js';
import type { ModelReport, Report, Verdict } from '../../checker/report.js';

const violated = (rule: string, line: number): Verdict => ({
  status: 'violated',
  rule,
  engine: 'explicit',
  findings: [{ rule, check: 'c', kind: 'rule-violation', message: `${rule} broken`, at: { file: 'm', line, col: 1 } }],
});
const proved = (rule: string): Verdict => ({ status: 'proved', rule, engine: 'explicit' });

function model(file: string, verdicts: Verdict[], met?: boolean, cached?: boolean): ModelReport {
  return {
    file,
    hashes: { model: 'x', rules: 'y' },
    kernel: 'v7.0',
    verdicts,
    diagnostics: [],
    ...(met !== undefined ? { expectation: { met, detail: met ? 'as declared' : 'expected r to hold' } } : {}),
    stats: { ms: 1, engine: ['explicit'], ...(cached ? { cached } : {}) },
  };
}

function side(label: string, models: ModelReport[], texts: Record<string, string>): SideRun {
  const report: Report = { schemaVersion: 1, tool: { name: 'lockmc', version: '0' }, options: {}, rules: [], models, diagnostics: [], exitCode: 0 };
  return { side: { label, kind: 'git', ruleFiles: [] }, report, texts: new Map(Object.entries(texts)) };
}

const text = (expect: string, body = 'export function f() {}\n') => `/**\n * m\n *\n * ${expect}\n */\n${body}`;

describe('changeOf', () => {
  it('names the moves of one pair', () => {
    expect(changeOf('holds', 'violated')).toBe('introduced');
    expect(changeOf('absent', 'violated')).toBe('introduced');
    expect(changeOf('violated', 'holds')).toBe('fixed');
    expect(changeOf('violated', 'skipped')).toBe('changed');
    expect(changeOf('holds', 'inconclusive')).toBe('changed');
    expect(changeOf('holds', 'holds')).toBe('unchanged');
  });
});

describe('declaredVerdicts', () => {
  it('compares @expect tags, not their lines or the description', () => {
    expect(declaredVerdicts(text('@expect holds all'))).toBe(declaredVerdicts(`/**\n * other words\n *\n *\n * @expect holds all\n */\n`));
    expect(declaredVerdicts(text('@expect holds all'))).not.toBe(declaredVerdicts(text('@expect violates r/c at 3')));
    expect(declaredVerdicts('export function f() {}\n')).toBeUndefined();
  });
});

describe('diffRuns', () => {
  it('fails a declared verdict that moved under an unchanged header (LMC317), and lists the permitted pair', () => {
    const t = text('@expect violates r/c at 7');
    const d = diffRuns(side('base', [model('a.model.ts', [violated('r', 7), proved('s')], true)], { 'a.model.ts': t }), side('head', [model('a.model.ts', [proved('r'), proved('s')], false)], { 'a.model.ts': t }));
    expect(d.pairs.map((p) => [p.model, p.rule, p.base, p.head, p.change, p.modelUnchanged])).toEqual([['a.model.ts', 'r', 'violated', 'holds', 'fixed', true]]);
    expect(d.permitted.map((p) => p.rule)).toEqual(['r']);
    expect(d.counts).toEqual({ introduced: 0, fixed: 1, changed: 0, unchanged: 1 });
    expect(d.diagnostics).toEqual([
      {
        code: 'LMC317',
        severity: 'error',
        message: 'declared verdict changed (r): its verdicts changed but its @expect header did not',
        file: 'a.model.ts',
        hint: 'update the @expect header of the model in the same change, or revert the rule change',
      },
    ]);
    expect(d.exitCode).toBe(1);
  });

  it('passes when the header changed in the same change and is met; fails when it is not met', () => {
    const before = text('@expect violates r/c at 7');
    const after = text('@expect holds all');
    const ok = diffRuns(side('b', [model('a.model.ts', [violated('r', 7)], true)], { 'a.model.ts': before }), side('h', [model('a.model.ts', [proved('r')], true)], { 'a.model.ts': after }));
    expect(ok.headers).toEqual([{ model: 'a.model.ts', rules: ['r'], headerChanged: true, headMet: true, ok: true, reason: 'its @expect header was updated and is met' }]);
    expect(ok.exitCode).toBe(0);
    // The header moved, the body did not: still a behaviour the new rules permit.
    expect(ok.permitted).toHaveLength(1);
    const bad = diffRuns(side('b', [model('a.model.ts', [violated('r', 7)], true)], { 'a.model.ts': before }), side('h', [model('a.model.ts', [proved('r')], false)], { 'a.model.ts': text('@expect violates r/c at 9') }));
    expect(bad.headers.map((h) => h.reason)).toEqual(['its @expect header was updated but is not met: expected r to hold']);
    expect(bad.exitCode).toBe(1);
  });

  it('does not gate models without a header, and counts cache hits per side', () => {
    const plain = 'export function f() {}\n';
    const d = diffRuns(
      side('b', [model('p.model.ts', [proved('r')], undefined, true)], { 'p.model.ts': plain }),
      side('h', [model('p.model.ts', [violated('r', 1)]), model('n.model.ts', [violated('r', 2)])], { 'p.model.ts': plain, 'n.model.ts': plain }),
    );
    expect(d.pairs.map((p) => `${p.model} ${p.rule} ${p.change}`)).toEqual(['n.model.ts r introduced', 'p.model.ts r introduced']);
    expect(d.headers).toEqual([]);
    expect(d.exitCode).toBe(0);
    expect(d.base.cache).toEqual({ hits: 1, misses: 0 });
    expect(d.head.cache).toEqual({ hits: 0, misses: 2 });
  });
});

describe('diffRuns with a side that checked nothing', () => {
  it('compares nothing, lists the error once, and only head\'s errors fail', () => {
    const t = text('@expect holds all');
    const broken = (label: string): SideRun => {
      const s = side(label, [], { 'a.model.ts': t });
      const d = { code: 'LMC320' as const, severity: 'error' as const, message: "rule file is not valid JSON: unexpected 'b'", file: `${label}:rules/site.json`, line: 1, col: 3 };
      s.report.diagnostics = [d, { ...d }];
      return s;
    };
    const fine = side('ok', [model('a.model.ts', [proved('r')], true)], { 'a.model.ts': t });
    const headBroken = diffRuns(fine, broken('HEAD'));
    expect([headBroken.pairs, headBroken.headers, headBroken.diagnostics.map((d) => d.file), headBroken.exitCode]).toEqual([[], [], ['HEAD:rules/site.json'], 5]);
    const baseBroken = diffRuns(broken('HEAD~1'), fine);
    expect([baseBroken.pairs, baseBroken.diagnostics.map((d) => d.file), baseBroken.exitCode]).toEqual([[], ['HEAD~1:rules/site.json'], 0]);
  });
});

describe('diffRuns and head model errors', () => {
  it('fails with the model error\'s own exit code unless the header expects it', () => {
    const plain = 'export function f() {}\n';
    const broken = (expected?: boolean): ModelReport => ({
      ...model('p.model.ts', []),
      diagnostics: [{ code: 'LMC201', severity: 'error', message: "unknown identifier 'foo'", file: 'p.model.ts', line: 3, col: 1 }],
      ...(expected ? { expected: [{ kind: 'error' as const, code: 'LMC201' }] } : {}),
    });
    const d = diffRuns(side('b', [model('p.model.ts', [proved('r')])], { 'p.model.ts': plain }), side('h', [broken()], { 'p.model.ts': plain }));
    expect(d.pairs.map((p) => `${p.rule} ${p.base} -> ${p.head} ${p.change}`)).toEqual(['r holds -> error changed']);
    expect(d.exitCode).toBe(4);
    expect(diffRuns(side('b', [broken(true)], { 'p.model.ts': plain }), side('h', [broken(true)], { 'p.model.ts': plain })).exitCode).toBe(0);
  });
});
