/**
 * Keeps the registry, the rule files, their docs and their fixtures in
 * step: a rule without metadata, a message, a citation, docs, or a holds /
 * violates fixture fails here, and so does a reference item no rule covers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../model/frontend/index.js';
import { ALL_RULES, declaredOptions, getRule, PRESETS, RULE_FAMILIES } from '../../rules/index.js';
import type { Rule } from '../../rules/types.js';
import { parseUserRuleFile } from '../../rules/user-rules.js';
import { RULES_B } from '../../rules/families/b.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES_DIR = join(ROOT, 'rules');
/** Files of rules/ that are infrastructure, not rules. */
const NOT_RULES = new Set(['types.ts', 'index.ts', 'config.ts', 'user-rules.ts', 'consistency.ts', 'diagnostic-codes.ts', 'canonical-order.ts']);

const isRule = (v: unknown): v is Rule =>
  typeof v === 'object' && v !== null && 'meta' in v && 'checks' in v && typeof (v as Rule).meta?.id === 'string';

const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f))
  .sort();

/** Reference items every rule set must cover (rules-reference.md §1-9, plus the phyr rule). */
const REQUIRED_COVERAGE = [
  ...range('ORDER', 8),
  ...range('RECLAIM', 7),
  ...range('FENCE', 12),
  ...range('WW', 7),
  ...range('PIN', 5),
  ...range('REVOKE', 7),
  ...range('NOTIFIER', 6),
  ...range('USERPTR', 3),
  ...range('OWN', 5),
  'PHYR-1',
];

function range(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
}

function fixtureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...fixtureFiles(p));
    else if (name.endsWith('.model.ts')) out.push(p);
  }
  return out;
}

describe('rule files', () => {
  it('every rule file exports exactly one rule whose id is the file name, and it is registered', async () => {
    const problems: string[] = [];
    for (const f of ruleFiles) {
      const mod = (await import(join(RULES_DIR, f))) as Record<string, unknown>;
      const rules = Object.values(mod).filter(isRule);
      if (rules.length !== 1) {
        problems.push(`${f}: exports ${rules.length} rules`);
        continue;
      }
      const r = rules[0];
      if (r.meta.id !== basename(f, '.ts')) problems.push(`${f}: id '${r.meta.id}' is not the file name`);
      if (!ALL_RULES.includes(r)) problems.push(`${f}: rule '${r.meta.id}' is not in ALL_RULES`);
    }
    expect(problems).toEqual([]);
  });

  it('every registered rule has a file of its own name', () => {
    const missing = ALL_RULES.filter((r) => !existsSync(join(RULES_DIR, `${r.meta.id}.ts`))).map((r) => r.meta.id);
    expect(missing).toEqual([]);
  });

  it('rule ids are unique and getRule finds each', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(getRule(id)?.meta.id).toBe(id);
    expect(getRule('no-such-rule')).toBeUndefined();
  });
});

describe.each(ALL_RULES.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  it('has complete metadata', () => {
    const m = rule.meta;
    expect(m.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(RULE_FAMILIES).toContain(m.family);
    expect(['error', 'warning']).toContain(m.severity);
    expect(m.summary.length).toBeGreaterThan(10);
    expect(m.rationale.length).toBeGreaterThan(40);
    expect(m.covers.length).toBeGreaterThan(0);
    expect(m.citations.length).toBeGreaterThan(0);
    expect(rule.checks.length).toBeGreaterThan(0);
  });

  it('has a message for every check and no message without a check', () => {
    const checkIds = rule.checks.map((c) => c.id);
    expect(new Set(checkIds).size).toBe(checkIds.length);
    expect(Object.keys(rule.meta.messages).sort()).toEqual([...checkIds].sort());
    for (const t of Object.values(rule.meta.messages)) expect(t.trim().length).toBeGreaterThan(0);
  });

  it('message placeholders are ones a finding can fill', () => {
    const known = ['lock', 'held', 'api', 'thread', 'fence', 'attachment', 'buf', 'gfp', 'context'];
    const used = Object.values(rule.meta.messages).flatMap((t) => [...t.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]));
    expect(used.filter((u) => !known.includes(u))).toEqual([]);
  });

  it('passes the rule-file schema (what a user rule must satisfy)', () => {
    const f = parseUserRuleFile(`${id}.json`, JSON.stringify(rule, null, 2), []);
    expect(f.diagnostics).toEqual([]);
    expect(f.rules.map((r) => r.meta.id)).toEqual([id]);
  });

  it('option declarations have a valid default and distinct values', () => {
    for (const o of rule.meta.options ?? []) {
      const values = o.values.map((v) => v.value);
      expect(new Set(values).size).toBe(values.length);
      expect(values).toContain(o.default);
    }
  });

  it('has docs/rules/<id>.md', () => {
    expect(existsSync(join(ROOT, 'docs', 'rules', `${id}.md`))).toBe(true);
  });

  it('has a holds-* and a violates-* fixture that expect what their names say', () => {
    const dir = join(ROOT, 'fixtures', 'rules', id);
    const files = fixtureFiles(dir).map((p) => basename(p));
    const holds = files.filter((f) => f.startsWith('holds-'));
    const violates = files.filter((f) => f.startsWith('violates-'));
    expect(holds.length, `${id}: no holds-* fixture`).toBeGreaterThan(0);
    expect(violates.length, `${id}: no violates-* fixture`).toBeGreaterThan(0);
    for (const f of violates) {
      const h = parseHeader(readFileSync(join(dir, f), 'utf8'), f).header;
      expect(h.expect, `${f} must expect a violation of ${id}`).toContainEqual({ kind: 'violates', rule: id, check: expect.any(String), findingLine: expect.any(Number), line: expect.any(Number) });
    }
    for (const f of holds) {
      const h = parseHeader(readFileSync(join(dir, f), 'utf8'), f).header;
      const ok = h.expect.some((e) => e.kind === 'holds' && (e.rules === 'all' || e.rules.includes(id)));
      expect(ok, `${f} must expect ${id} to hold`).toBe(true);
    }
  });
});

describe('fixtures', () => {
  const files = fixtureFiles(join(ROOT, 'fixtures'));
  const options = declaredOptions(ALL_RULES);

  it('exist', () => {
    expect(files.length).toBeGreaterThan(RULES_B.length * 2);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1)]))('%s has a header that parses and names existing rules and options', (file) => {
    const { header, diagnostics } = parseHeader(readFileSync(join(ROOT, file), 'utf8'), file);
    // fixtures/errors/ holds broken models on purpose, some with broken headers.
    if (file.startsWith('fixtures/errors/')) {
      if (diagnostics.length > 0) return;
    } else {
      expect(diagnostics).toEqual([]);
    }
    expect(header.expect.length, 'no @expect').toBeGreaterThan(0);
    for (const e of header.expect) {
      if (e.kind === 'violates') expect(getRule(e.rule), `unknown rule ${e.rule}`).toBeDefined();
      if (e.kind === 'holds' && e.rules !== 'all') for (const r of e.rules) expect(getRule(r), `unknown rule ${r}`).toBeDefined();
    }
    for (const [k, v] of Object.entries(header.ruleOptions)) {
      const d = options.get(k);
      expect(d, `unknown rule option ${k}`).toBeDefined();
      expect(d!.values.map((x) => x.value)).toContain(v);
    }
  });

  it('a debated option has a model that holds under one side and violates under the other', () => {
    const byKey = new Map<string, { holds: Set<string>; violates: Set<string> }>();
    for (const f of files) {
      const { header } = parseHeader(readFileSync(f, 'utf8'), f);
      for (const [k, v] of Object.entries(header.ruleOptions)) {
        const e = byKey.get(k) ?? { holds: new Set(), violates: new Set() };
        byKey.set(k, e);
        if (header.expect.some((x) => x.kind === 'holds')) e.holds.add(v);
        if (header.expect.some((x) => x.kind === 'violates')) e.violates.add(v);
      }
    }
    for (const o of RULES_B.flatMap((r) => r.meta.options ?? [])) {
      const e = byKey.get(o.key);
      expect(e, `no fixture picks ${o.key}`).toBeDefined();
      expect(e!.holds.size, `${o.key}: no holds fixture`).toBeGreaterThan(0);
      expect(e!.violates.size, `${o.key}: no violates fixture`).toBeGreaterThan(0);
    }
  });
});

describe('coverage of the reference', () => {
  it('every required reference item is covered by some rule', () => {
    const covered = new Set(ALL_RULES.flatMap((r) => r.meta.covers.map((c) => c.replace(/\..*$/, ''))));
    expect(REQUIRED_COVERAGE.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('every cited reference item is spelled like one', () => {
    const bad = ALL_RULES.flatMap((r) => r.meta.covers.filter((c) => !/^[A-Z]+-\d+(\.\d+)?$/.test(c)).map((c) => `${r.meta.id}: ${c}`));
    expect(bad).toEqual([]);
  });
});

describe('presets', () => {
  it('recommended, all, strict and every family exist and name registered rules', () => {
    for (const name of ['recommended', 'all', 'strict', ...RULE_FAMILIES]) {
      const p = PRESETS[name];
      expect(p, name).toBeDefined();
      for (const id of p.rules) expect(getRule(id), `${name}: ${id}`).toBeDefined();
    }
    expect(PRESETS.all.rules).toEqual(ALL_RULES.map((r) => r.meta.id));
    expect(PRESETS.recommended.rules).toEqual(ALL_RULES.filter((r) => r.meta.severity === 'error').map((r) => r.meta.id));
    expect(PRESETS.revoke.rules).toEqual([
      'revocable-exporter-rejects-non-revocable',
      'revoke-sequence',
      'no-access-after-revoke',
      'revocable-unmap-bounded',
      'revoked-refuses-map',
      'unrevoke-only-from-revoked',
      'vfio-memory-lock-order',
    ]);
    // strict must take a side on every debated rule: a new option needs its strictest value in rules/index.ts.
    expect(Object.keys(PRESETS.strict.options).sort()).toEqual([...declaredOptions(ALL_RULES).keys()].sort());
    expect(PRESETS.strict.options).toEqual({ 'revoke.pfn-export': 'forbidden', 'own.scope': 'per-dmabuf', 'notifier.fence-wait': 'never' });
  });
});
