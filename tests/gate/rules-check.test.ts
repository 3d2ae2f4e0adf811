/**
 * `lockmc rules check`: a rule file audited against the models given as
 * paths (coverage per check, each engine alone against the headers), the
 * Z3 contradiction named by rule and file:line, and an engine that
 * disagrees with a header (LMC315) through the audit with a stub checker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRuleSet, coverageOf } from '../../checker/gate/audit.js';
import type { RuleSetAudit } from '../../checker/gate/types.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { Report } from '../../checker/report.js';
import type { Rule } from '../../rules/types.js';
import { BIN, ensureBuilt, ROOT } from '../cli/built-cli.js';
import { siteRules, sleeper, SLEEP_LINE, write } from './scratch-repo.js';

let dir: string;

function rulesCheck(...args: string[]): { code: number | null; json: RuleSetAudit; stdout: string } {
  const r = spawnSync(process.execPath, [BIN, 'rules', 'check', ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, json: JSON.parse(r.stdout) as RuleSetAudit, stdout: r.stdout };
}

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'lockmc-rules-check-'));
  write(dir, 'lockmc.config.json', JSON.stringify({ preset: 'phyr', timeoutMs: 600_000 }) + '\n');
  write(dir, 'rules/site.json', siteRules('a_lock'));
  write(dir, 'fixtures/violates.model.ts', sleeper('Sleeps holding a_lock.', 'a_lock', `@expect violates no-sleep-under-a/sleep at ${SLEEP_LINE}`));
  write(dir, 'fixtures/holds.model.ts', sleeper('Sleeps holding b_lock.', 'b_lock', '@expect holds all'));
  const order = JSON.parse(siteRules('a_lock')) as { rules: Record<string, unknown>[]; order?: string[][] };
  order.rules[0].order = [['a_lock', 'b_lock']];
  order.order = [['b_lock', 'a_lock']];
  write(dir, 'rules/contradicts.json', JSON.stringify(order, null, 2) + '\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockmc rules check', () => {
  it('passes a rule whose check has a violating and a holding fixture that both engines confirm', () => {
    const r = rulesCheck('--rules', 'rules/site.json', 'fixtures');
    expect(r.json.rules).toEqual([
      { rule: 'no-sleep-under-a', source: 'rules/site.json', checks: [{ check: 'sleep', violating: ['fixtures/violates.model.ts'], holding: ['fixtures/holds.model.ts'] }] },
    ]);
    expect(r.json.engines).toEqual([
      { engine: 'explicit', models: 2, met: 2, missed: [] },
      { engine: 'bmc', models: 2, met: 2, missed: [] },
    ]);
    expect(r.json.diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('says which check has no violating fixture (LMC313, exit 5)', () => {
    const r = rulesCheck('--rules', 'rules/site.json', 'fixtures/holds.model.ts');
    expect(r.json.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "LMC313 rule 'no-sleep-under-a' (rules/site.json), check 'sleep': no fixture declares `@expect violates no-sleep-under-a/sleep`",
    ]);
    // The fixtures there are still run: a missing fixture is no reason to hide a wrong one.
    expect(r.json.engines.map((e) => `${e.engine} ${e.met}/${e.models}`)).toEqual(['explicit 1/1', 'bmc 1/1']);
    expect(r.code).toBe(5);
  });

  it('names the contradicting rule and the file:line of each order (LMC310, exit 5)', () => {
    const r = rulesCheck('--rules', 'rules/contradicts.json', 'fixtures');
    const file = join(dir, 'rules', 'contradicts.json');
    expect(r.json.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual([
      `LMC310 ${file}:40 contradictory lock order: no-sleep-under-a: a_lock before b_lock (${file}:40:9); ${file}:48: b_lock before a_lock (${file}:48:5)`,
    ]);
    expect(r.code).toBe(5);
  });
});

describe('lockmc rules check on built-in rules', () => {
  it('audits a preset against its bundled fixtures, run with every built-in rule as the fixture suite runs them', () => {
    const r = spawnSync(process.execPath, [BIN, 'rules', 'check', '--preset', 'ww', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
    const a = JSON.parse(r.stdout) as RuleSetAudit;
    expect(a.rules.map((x) => x.rule)).toEqual(['ww-single-context', 'ww-backoff', 'ww-ealready', 'ww-context-lifecycle']);
    for (const rule of a.rules) for (const c of rule.checks) expect(c.violating.length, `${rule.rule}/${c.check}`).toBeGreaterThan(0);
    expect(a.engines.map((e) => [e.engine, e.met === e.models])).toEqual([['explicit', true], ['bmc', true]]);
    expect(a.diagnostics).toEqual([]);
    expect(r.status).toBe(0);
  });
});

describe('auditRuleSet', () => {
  const rule = JSON.parse(siteRules('a_lock')).rules[0] as Rule;
  const fixtures = [
    { file: 'v.model.ts', text: sleeper('v', 'a_lock', `@expect violates no-sleep-under-a/sleep at ${SLEEP_LINE}`) },
    { file: 'h.model.ts', text: sleeper('h', 'b_lock', '@expect holds no-sleep-under-a') },
  ];

  it('reads coverage from the headers: a check needs its own id, `holds all` and `holds <rule>` both hold', () => {
    const loose = [{ file: 'loose.model.ts', text: sleeper('l', 'a_lock', '@expect violates no-sleep-under-a') }, ...fixtures];
    expect(coverageOf([{ rule, source: 's.json' }], loose)).toEqual([
      { rule: 'no-sleep-under-a', source: 's.json', checks: [{ check: 'sleep', violating: ['v.model.ts'], holding: ['h.model.ts'] }] },
    ]);
  });

  it('reports an engine that misses a header (LMC315, exit 1)', async () => {
    const check = async (inputs: { file: string }[], options: typeof DEFAULT_CHECK_OPTIONS): Promise<Report> => ({
      schemaVersion: 1,
      tool: { name: 'lockmc', version: '0' },
      options: {},
      rules: [],
      diagnostics: [],
      exitCode: 0,
      models: inputs.map((f) => ({
        file: f.file,
        hashes: { model: '', rules: '' },
        kernel: 'v7.0',
        verdicts: [],
        diagnostics: [],
        expectation: options.engine === 'bmc' && f.file === 'v.model.ts' ? { met: false, detail: 'expected no-sleep-under-a/sleep at 12 to be violated, got none' } : { met: true, detail: 'as declared' },
        stats: { ms: 0, engine: [] },
      })),
    });
    const a = await auditRuleSet({ rules: [rule], orders: [], audited: [{ rule, source: 's.json' }], fixtures, options: DEFAULT_CHECK_OPTIONS, check, diagnostics: [] });
    expect(a.engines.map((e) => `${e.engine} ${e.met}/${e.models}`)).toEqual(['explicit 2/2', 'bmc 1/2']);
    expect(a.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'LMC315 with --engine bmc, v.model.ts does not get its declared verdicts: expected no-sleep-under-a/sleep at 12 to be violated, got none',
    ]);
    expect(a.exitCode).toBe(1);
  });
});
