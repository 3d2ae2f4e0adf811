/**
 * Every check of every rule of the lockdep-side families (lockdep, ORDER,
 * RECLAIM, FENCE, WW, NOTIFIER, USERPTR: "family A") is exercised: some
 * violates-* fixture of the rule produces a finding with that check id,
 * and no holds-* fixture of the rule produces any finding of a family A rule. This is
 * what keeps a check from silently matching nothing (a `lock` filter on an
 * op without a lock operand, a context the semantics never enters).
 * Verdicts against the fixture headers are tests/fixtures/fixtures.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { ModelReport } from '../../checker/report.js';
import { ALL_RULES } from '../../rules/registry.js';
import { SAFETY_NET_MS } from '../budgets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FAMILIES_A = new Set(['lockdep', 'order', 'reclaim', 'fence', 'ww', 'notifier', 'userptr']);
const RULES_A = ALL_RULES.filter((r) => FAMILIES_A.has(r.meta.family));
const FAMILY_A = new Set(RULES_A.map((r) => r.meta.id));

/**
 * Checks no fixture can reach yet, and why. Each names the request in
 * docs/open-requests.md; remove the entry when the checker grows.
 */
const NOT_YET_REACHABLE: Record<string, string> = {};

/** Holds fixtures that fail only through a known checker issue (docs/open-requests.md). */
const KNOWN_CHECKER_ISSUES = new Set<string>([]);

interface Run {
  rule: string;
  file: string;
  report: ModelReport;
}

const runs: Run[] = [];

beforeAll(async () => {
  for (const r of RULES_A) {
    const dir = join(ROOT, 'fixtures', 'rules', r.meta.id);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.model.ts')).sort()) {
      const rep = await check([{ file: join(dir, f) }], { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit', timeoutMs: SAFETY_NET_MS, rules: { preset: 'all' } });
      runs.push({ rule: r.meta.id, file: f, report: rep.models[0] });
    }
  }
});

function findings(m: ModelReport, rule: string): string[] {
  const out: string[] = [];
  for (const v of m.verdicts) if (v.rule === rule && v.status === 'violated') for (const f of v.findings) out.push(f.check);
  return out;
}

describe('family A checks are exercised by their fixtures', () => {
  for (const r of RULES_A) {
    for (const c of r.checks) {
      const key = `${r.meta.id}/${c.id}`;
      if (key in NOT_YET_REACHABLE) continue;
      it(key, () => {
        const hit = runs.filter((x) => x.rule === r.meta.id && x.file.startsWith('violates-') && findings(x.report, r.meta.id).includes(c.id));
        expect(hit.map((x) => x.file).length, `${key}: no violates fixture of ${r.meta.id} trips it`).toBeGreaterThan(0);
      });
    }
  }
});

describe('family A holds fixtures have no family A finding', () => {
  for (const r of RULES_A) {
    it(r.meta.id, () => {
      const bad: string[] = [];
      for (const x of runs.filter((y) => y.rule === r.meta.id && y.file.startsWith('holds-'))) {
        if (KNOWN_CHECKER_ISSUES.has(`${x.rule}/${x.file}`)) continue;
        for (const v of x.report.verdicts) if (v.status === 'violated' && FAMILY_A.has(v.rule)) bad.push(`${x.file}: ${v.rule}`);
        for (const d of x.report.diagnostics) if (d.severity === 'error') bad.push(`${x.file}: ${d.code} ${d.message}`);
      }
      expect(bad).toEqual([]);
    });
  }
});

describe('family A violates fixtures trip their own rule', () => {
  for (const r of RULES_A) {
    it(r.meta.id, () => {
      const missing = runs
        .filter((x) => x.rule === r.meta.id && x.file.startsWith('violates-'))
        .filter((x) => findings(x.report, r.meta.id).length === 0)
        .map((x) => x.file);
      expect(missing).toEqual([]);
    });
  }
});

describe('family A fixtures name exactly the rules they violate', () => {
  // Under the `all` preset a violates fixture's header lists every rule the
  // model violates, no more and no fewer, and a holds fixture violates none.
  for (const r of RULES_A) {
    it(r.meta.id, () => {
      const wrong: string[] = [];
      for (const x of runs.filter((y) => y.rule === r.meta.id)) {
        const text = readFileSync(join(ROOT, 'fixtures', 'rules', x.rule, x.file), 'utf8');
        const declared = [...new Set([...text.matchAll(/@expect violates ([^\s/]+)/g)].map((m) => m[1]))].sort();
        const got = x.report.verdicts.filter((v) => v.status === 'violated').map((v) => v.rule).sort();
        if (JSON.stringify(declared) !== JSON.stringify(got)) wrong.push(`${x.file}: declared [${declared.join(', ')}], got [${got.join(', ')}]`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
