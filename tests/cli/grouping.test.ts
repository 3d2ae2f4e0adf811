import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assignGroups, groupsOf } from '../../checker/finding-groups.js';
import type { Finding, Verdict } from '../../checker/report.js';
import { BIN, ROOT, ensureBuilt } from './built-cli.js';
import { CIRCULAR_FINDING, DEADLOCK_FINDING } from './sample-reports.js';

const ABBA = 'fixtures/rules/lockdep-circular-dependency/violates-abba-driver-locks.model.ts';

function lockmc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  ensureBuilt();
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('one root cause, one report', () => {
  it('an ABBA between two mutexes: one splat naming the deadlock that realises the cycle, one replay line', () => {
    const r = lockmc(['check', '--no-cache', '--format', 'text', ABBA]);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^WARNING: .*$/gm)).toEqual(['WARNING: possible circular locking dependency detected']);
    expect(r.stdout).toContain(
      'rule lockdep-circular-dependency (check cycle, error):\n' +
        '  The lock classes a model acquires must not close a strong cycle with\n' +
        '  each other or with the primed dma-buf hierarchy.\n' +
        'also violates: deadlock (deadlock, realised by this interleaving)\n',
    );
    expect(r.stdout.match(/^replay:$/gm)).toEqual(['replay:']);
  });

  it('JSON keeps every finding, each with its group', () => {
    const r = lockmc(['check', '--no-cache', '--format', 'json', ABBA]);
    const report = JSON.parse(r.stdout) as { models: { verdicts: Verdict[] }[] };
    const findings = report.models[0].verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : []));
    expect(findings.map((f) => [f.rule, f.check, f.group])).toEqual([
      ['lockdep-circular-dependency', 'cycle', 1],
      ['deadlock', 'deadlock', 1],
    ]);
  });

  it('groups by schedule and by cycle; the lead is the cycle shown in full', () => {
    const sameCycle: Finding = { ...structuredClone(CIRCULAR_FINDING), rule: 'generic', sameAs: { rule: CIRCULAR_FINDING.rule, check: CIRCULAR_FINDING.check } };
    const deadlock = structuredClone(DEADLOCK_FINDING);
    const other: Finding = { ...structuredClone(DEADLOCK_FINDING), rule: 'other', trace: { ...DEADLOCK_FINDING.trace!, schedule: 'different' } };
    const alsoDeadlock: Finding = { ...structuredClone(DEADLOCK_FINDING), rule: 'fence-finite', kind: 'fence-never-signalled' };
    const cycle = structuredClone(CIRCULAR_FINDING);
    const verdicts: Verdict[] = [
      { status: 'violated', rule: 'generic', engine: 'lockgraph', findings: [sameCycle] },
      { status: 'violated', rule: 'deadlock', engine: 'explicit', findings: [deadlock] },
      { status: 'violated', rule: cycle.rule, engine: 'lockgraph', findings: [cycle] },
      { status: 'violated', rule: 'other', engine: 'explicit', findings: [other] },
      { status: 'violated', rule: 'fence-finite', engine: 'explicit', findings: [alsoDeadlock] },
    ];
    assignGroups(verdicts);
    expect([sameCycle, deadlock, cycle, other, alsoDeadlock].map((f) => f.group)).toEqual([1, 2, 1, 3, 2]);
    const groups = groupsOf([sameCycle, deadlock, cycle, other, alsoDeadlock]);
    expect(groups.map((g) => [g.lead.rule, g.also.map((f) => f.rule)])).toEqual([
      [cycle.rule, ['generic']],
      [DEADLOCK_FINDING.rule, ['fence-finite']],
      ['other', []],
    ]);
  });
});
