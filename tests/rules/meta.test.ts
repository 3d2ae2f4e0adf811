/**
 * The one meta-test for every rule: it keeps the registry, the rule files,
 * their docs and their fixtures in step, and rules/ inside its layer. A rule
 * without a file of its name, complete metadata, a registry entry, an up to
 * date doc page, a holds and a violates fixture, or a violates fixture for
 * each of its checks fails here, and so does a reference item no rule covers.
 * Counts come from the registry, never from a number written here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../model/frontend/index.js';
import { declaredOptions, getRule, PRESETS, RULE_FAMILIES } from '../../rules/index.js';
import { ALL_RULES } from '../../rules/registry.js';
import type { Check, Citation, LockPattern, Pred, Rule, StepPattern } from '../../rules/types.js';
import { parseUserRuleFile } from '../../checker/rule-files/index.js';
import { notesOf, REGENERATE, renderIndex, renderRuleDoc } from './docs-gen.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RULES_DIR = join(ROOT, 'rules');
/** Files of rules/ that are the rule language or the registry, not rules (rules/lib/ is a folder of helpers). */
const NOT_RULES = new Set(['types.ts', 'schema.ts', 'index.ts', 'registry.ts', 'canonical-order.ts']);

/** The lockdep-side families: their pages carry hand-written "What lockdep prints" and "How to fix" notes. */
const LOCKDEP_SIDE = new Set(['lockdep', 'order', 'reclaim', 'fence', 'ww', 'notifier', 'userptr']);

const isRule = (v: unknown): v is Rule =>
  typeof v === 'object' && v !== null && 'meta' in v && 'checks' in v && typeof (v as Rule).meta?.id === 'string';

const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f))
  .sort();

function range(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
}

/** Every item of the rules reference (/work/shared/design/rules-reference.md), plus FENCE-3's parts and the phyr rule. */
const REFERENCE_ITEMS = new Set([
  ...range('ORDER', 8),
  ...range('RECLAIM', 7),
  ...range('FENCE', 12),
  ...range('FENCE-3', 7).map((x) => x.replace('FENCE-3-', 'FENCE-3.')),
  ...range('WW', 7),
  ...range('PIN', 5),
  ...range('REVOKE', 8),
  ...range('NOTIFIER', 6),
  ...range('USERPTR', 3),
  ...range('OWN', 6),
  ...range('LOCKDEP', 7),
  'PHYR-1',
]);

/** Reference items every rule set must cover (rules reference §1-9, plus the phyr rule). */
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

/** Every reference item of sections 1-4, 7, 8 and 10, which the lockdep-side families cover exactly. */
const LOCKDEP_SIDE_ITEMS = [
  ...range('ORDER', 8),
  ...range('RECLAIM', 7),
  ...range('FENCE', 12).filter((x) => x !== 'FENCE-3'),
  ...range('FENCE-3', 7).map((x) => x.replace('FENCE-3-', 'FENCE-3.')),
  ...range('WW', 7),
  ...range('NOTIFIER', 6),
  ...range('USERPTR', 3),
  ...range('LOCKDEP', 7),
];

const PLACEHOLDERS = ['lock', 'held', 'api', 'thread', 'fence', 'attachment', 'buf', 'gfp', 'context', 'obj', 'phyr', 'rxq'];
// What lockdep-report findings fill (checker/lockdep-findings.ts): usage states, the chain, wait types, the first acquisition.
PLACEHOLDERS.push('safe', 'unsafe', 'irq', 'chain', 'outer', 'inner', 'heldAt');

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

function headerTags(text: string): string[] {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!m) return [];
  return m[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l.startsWith('@'));
}

/**
 * What a fixture's `@expect violates` lines name, read tolerantly: both
 * `violates <rule>` and `violates <rule>/<check> at <line>` (or a list of
 * them). A check is only known when the header names it.
 */
function violatesNamed(text: string): { rule: string; check?: string }[] {
  const out: { rule: string; check?: string }[] = [];
  for (const t of headerTags(text)) {
    const m = /^@expect\s+violates\s+(.*)$/.exec(t);
    if (!m) continue;
    for (const x of m[1].matchAll(/(?:^|[\s,])([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/([a-z0-9]+(?:-[a-z0-9]+)*))?/g)) {
      if (x[1] === 'at' || /^\d+$/.test(x[1])) continue;
      out.push(x[2] === undefined ? { rule: x[1] } : { rule: x[1], check: x[2] });
    }
  }
  return out;
}

function stepPatterns(c: Check): StepPattern[] {
  switch (c.kind) {
    case 'step':
      return [c.on];
    case 'lock-cycle':
      return c.closedBy ? [c.closedBy] : [];
    case 'monitor':
      return c.monitor.transitions.map((t) => t.on);
    default:
      return [];
  }
}

function optionsRead(r: Rule): Set<string> {
  const read = new Set<string>();
  const walk = (p: Pred): void => {
    if (p.kind === 'option') read.add(p.key);
    if (p.kind === 'and' || p.kind === 'or') p.of.forEach(walk);
    if (p.kind === 'not') walk(p.of);
  };
  for (const c of r.checks) {
    if (c.kind === 'step' && c.when) walk(c.when);
    if (c.kind === 'state' || c.kind === 'terminal') walk(c.bad);
    if (c.kind === 'monitor') for (const t of c.monitor.transitions) if (t.when) walk(t.when);
  }
  return read;
}

/** Top-level folders of the kernel tree a citation may name. */
const KERNEL_TOP = ['Documentation', 'arch', 'block', 'drivers', 'fs', 'include', 'io_uring', 'kernel', 'lib', 'mm', 'net', 'virt'];

function citationProblem(c: Citation): string | undefined {
  if (c.kind !== 'kernel' && c.kind !== 'doc') return undefined;
  const top = c.file.split('/')[0];
  if (!KERNEL_TOP.includes(top)) return `${c.file}: not under a kernel top-level folder`;
  // A file (source, header, documentation) or a folder (`drivers/gpu/drm/amd/amdkfd`); kernel-doc lives in sources too.
  const last = c.file.split('/').pop() ?? '';
  if (last.includes('.') && !/\.(c|h|S|rst|txt|yaml)$/.test(last)) return `${c.file}: not a kernel source, header or document`;
  if (c.file.includes('//') || c.file.includes('..')) return `${c.file}: not a clean path`;
  return undefined;
}

/** Every file of the repository this folder's modules import (relative specifiers resolved, `.js` read as `.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
    const spec = m[1];
    out.push(spec.startsWith('.') ? resolve(dirname(file), spec).replace(/\.js$/, '.ts') : spec);
  }
  return out;
}

function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFilesUnder(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Checks no model can trip today, because the semantics itself makes the
 * operation fail in exactly the state the check looks for: the kernel's
 * refusal is built into the op (compile.ts), so a driver model cannot
 * express an exporter that forgets to refuse. They guard the semantics,
 * not drivers; docs/open-requests.md asks for the refusal to move into
 * the modelled exporter so that these checks can bite. Each entry must
 * stay untripped (the test above fails if a fixture trips one).
 */
const UNREACHABLE_CHECKS = new Map<string, string>([
  ['revoked-refuses-map/map-while-revoked', 'dma_buf_map succeeds only when the buffer is not revoked'],
  ['revoked-refuses-map/attach-while-revoked', 'dma_buf_attach succeeds only when the buffer is not revoked (REVOKE-5)'],
]);

describe('rules/ holds only rules and their language', () => {
  it('rules/ imports only rules/ and model/', () => {
    const bad: string[] = [];
    for (const f of tsFilesUnder(RULES_DIR)) {
      const rel = relative(ROOT, f);
      for (const target of importsOf(f)) {
        const t = relative(ROOT, target);
        if (!(t.startsWith('rules/') || t.startsWith('model/'))) bad.push(`${rel} imports ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('model/ imports nothing of rules/, checker/ or cli/', () => {
    const bad: string[] = [];
    for (const f of tsFilesUnder(join(ROOT, 'model'))) {
      for (const target of importsOf(f)) {
        const t = relative(ROOT, target);
        if (/^(rules|checker|cli)\//.test(t)) bad.push(`${relative(ROOT, f)} imports ${t}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the modules of rules/ and model/ import each other without a cycle', () => {
    const files = [...tsFilesUnder(RULES_DIR), ...tsFilesUnder(join(ROOT, 'model'))];
    const known = new Set(files);
    const edges = new Map(files.map((f) => [f, importsOf(f).filter((t) => known.has(t))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((x) => relative(ROOT, x)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of edges.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('every repository path a rule file names in a comment exists', () => {
    const bad: string[] = [];
    for (const f of tsFilesUnder(RULES_DIR)) {
      const comments = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /^\s*(\/\/|\/\*\*?|\*)/.test(l))
        .join('\n');
      for (const m of comments.matchAll(/(?<![\w./-])((?:[\w.-]+\/)*[\w.-]+\.(?:md|ts|json))\b/g)) {
        const p = m[1];
        const top = p.split('/')[0];
        // Kernel paths are cited, not linked; the config file is the user's; a bare name is a file of rules/ or the repository's root.
        if (KERNEL_TOP.includes(top) || p === 'lockmc.config.json') continue;
        const candidates = p.includes('/') ? [join(ROOT, p)] : [join(dirname(f), p), join(ROOT, p)];
        if (!candidates.some((c) => existsSync(c))) bad.push(`${relative(ROOT, f)}: ${p}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('the registry', () => {
  it('every rule file exports one rule, as `rule`, whose id is the file name, and the registry holds it exactly once', async () => {
    const problems: string[] = [];
    for (const f of ruleFiles) {
      const mod = (await import(join(RULES_DIR, f))) as Record<string, unknown>;
      const exported = Object.keys(mod);
      if (exported.length !== 1 || exported[0] !== 'rule' || !isRule(mod.rule)) {
        problems.push(`${f}: exports ${exported.join(', ') || 'nothing'}; a rule file exports only \`export const rule = defineRule({...})\``);
        continue;
      }
      const r = mod.rule;
      if (r.meta.id !== basename(f, '.ts')) problems.push(`${f}: id '${r.meta.id}' is not the file name`);
      const n = ALL_RULES.filter((x) => x === r).length;
      if (n !== 1) problems.push(`${f}: rule '${r.meta.id}' is in rules/registry.ts ${n} times`);
    }
    expect(problems).toEqual([]);
  });

  it('every registered rule has a file of its own name, and there are as many rule files as rules', () => {
    const missing = ALL_RULES.filter((r) => !existsSync(join(RULES_DIR, `${r.meta.id}.ts`))).map((r) => r.meta.id);
    expect(missing).toEqual([]);
    expect(ruleFiles.length).toBe(ALL_RULES.length);
  });

  it('rule ids are unique and getRule finds each', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(getRule(id)?.meta.id).toBe(id);
    expect(getRule('no-such-rule')).toBeUndefined();
  });

  it('docs/rules/README.md is the generated index of every registered rule', () => {
    const file = join(ROOT, 'docs', 'rules', 'README.md');
    expect(readFileSync(file, 'utf8'), `docs/rules/README.md is out of date: run \`${REGENERATE}\``).toBe(renderIndex(ALL_RULES));
  });
});

/** Every fixture's file and text, read once. */
const allFixtures = fixtureFiles(join(ROOT, 'fixtures')).map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));

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

  it('has a one-sentence summary and a quotable rationale', () => {
    expect(rule.meta.summary.trim().endsWith('.')).toBe(true);
    expect(rule.meta.summary.split(/\.\s+[A-Z]/).length).toBe(1);
    expect(rule.meta.rationale.length).toBeGreaterThan(200);
  });

  it('has a message for every check and no message without a check', () => {
    const checkIds = rule.checks.map((c) => c.id);
    expect(new Set(checkIds).size).toBe(checkIds.length);
    expect(Object.keys(rule.meta.messages).sort()).toEqual([...checkIds].sort());
    for (const t of Object.values(rule.meta.messages)) expect(t.trim().length).toBeGreaterThan(0);
  });

  it('message placeholders are ones a finding can fill', () => {
    const used = Object.values(rule.meta.messages).flatMap((t) => [...t.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]));
    expect(used.filter((u) => !PLACEHOLDERS.includes(u))).toEqual([]);
  });

  it('passes the rule-file schema (what a user rule must satisfy)', () => {
    const f = parseUserRuleFile(`${id}.json`, JSON.stringify(rule, null, 2), []);
    expect(f.diagnostics).toEqual([]);
    expect(f.rules.map((r) => r.meta.id)).toEqual([id]);
  });

  it('option declarations have a valid default and distinct values, and every option it reads is declared', () => {
    for (const o of rule.meta.options ?? []) {
      const values = o.values.map((v) => v.value);
      expect(new Set(values).size).toBe(values.length);
      expect(values).toContain(o.default);
    }
    const declared = new Set((rule.meta.options ?? []).map((o) => o.key));
    expect([...optionsRead(rule)].filter((k) => !declared.has(k))).toEqual([]);
  });

  it('uses step-pattern lock filters only on ops that have a lock operand', () => {
    // opLock() only knows lock/unlock: a `lock` filter on any other op
    // would silently never match (docs/open-requests.md #2).
    for (const c of rule.checks) {
      if (c.kind === 'lock-cycle') continue;
      for (const p of stepPatterns(c)) {
        if (p.lock === undefined) continue;
        const ops = Array.isArray(p.op) ? p.op : [p.op];
        expect(ops.every((o) => o === 'lock' || o === 'unlock')).toBe(true);
      }
    }
  });

  it('covers only real reference items and cites kernel paths', () => {
    expect(rule.meta.covers.filter((c) => !REFERENCE_ITEMS.has(c))).toEqual([]);
    const citations = [...rule.meta.citations, ...(rule.meta.options ?? []).flatMap((o) => o.values.flatMap((v) => (v.citation ? [v.citation] : [])))];
    expect(citations.map(citationProblem).filter((x) => x !== undefined)).toEqual([]);
  });

  it(`has docs/rules/${id}.md as generated, with its notes kept (\`${REGENERATE}\`)`, () => {
    const file = join(ROOT, 'docs', 'rules', `${id}.md`);
    expect(existsSync(file), `docs/rules/${id}.md is missing: run \`${REGENERATE}\``).toBe(true);
    const page = readFileSync(file, 'utf8');
    expect(page, `docs/rules/${id}.md is out of date: run \`${REGENERATE}\``).toBe(renderRuleDoc(rule, notesOf(page)));
    for (const h of ['## Rationale', '## Citations', '## Fixtures', '## Notes']) expect(page).toContain(h);
    if (LOCKDEP_SIDE.has(rule.meta.family)) {
      // What the kernel prints and how to fix it are written by hand, in the notes.
      const notes = notesOf(page);
      for (const h of ['## What lockdep prints', '## How to fix']) expect(notes).toContain(h);
    }
  });

  const dir = join(ROOT, 'fixtures', 'rules', id);
  const own = fixtureFiles(dir).map((p) => ({ file: basename(p), text: readFileSync(p, 'utf8') }));

  it('has a holds-* and a violates-* fixture that expect what their names say', () => {
    const holds = own.filter((f) => f.file.startsWith('holds-'));
    const violates = own.filter((f) => f.file.startsWith('violates-'));
    expect(holds.length, `${id}: no holds-* fixture`).toBeGreaterThan(0);
    expect(violates.length, `${id}: no violates-* fixture`).toBeGreaterThan(0);
    expect(holds.length + violates.length, `${id}: a fixture named neither holds-* nor violates-*`).toBe(own.length);
    for (const f of violates) {
      const h = parseHeader(f.text, f.file).header;
      expect(h.expect, `${f.file} must expect a violation of ${id}`).toContainEqual({ kind: 'violates', rule: id, check: expect.any(String), findingLine: expect.any(Number), line: expect.any(Number) });
    }
    for (const f of holds) {
      const h = parseHeader(f.text, f.file).header;
      const ok = h.expect.some((e) => e.kind === 'holds' && (e.rules === 'all' || e.rules.includes(id)));
      expect(ok, `${f.file} must expect ${id} to hold`).toBe(true);
      expect(headerTags(f.text).some((t) => t.startsWith('@expect violates')), `${f.file} is a holds fixture`).toBe(false);
    }
  });

  it('names only its own checks in fixture headers, and every check is named by some violates fixture', () => {
    const checkIds = new Set(rule.checks.map((c) => c.id));
    const named = allFixtures.flatMap((f) => violatesNamed(f.text).filter((n) => n.rule === id && n.check !== undefined).map((n) => ({ ...n, file: f.path })));
    expect(named.filter((n) => !checkIds.has(n.check!)).map((n) => `${relative(ROOT, n.file)}: ${id}/${n.check}`)).toEqual([]);
    const covered = new Set(named.filter((n) => basename(n.file).startsWith('violates-')).map((n) => n.check));
    const unreachable = [...checkIds].filter((c) => UNREACHABLE_CHECKS.has(`${id}/${c}`));
    // A check listed as unreachable that a fixture trips is reachable after all: take it off the list.
    expect(unreachable.filter((c) => covered.has(c)), `${id}: listed as unreachable but tripped`).toEqual([]);
    expect([...checkIds].filter((c) => !covered.has(c) && !UNREACHABLE_CHECKS.has(`${id}/${c}`)), `${id}: checks no violates fixture names`).toEqual([]);
  });
});

describe('fixtures', () => {
  const files = allFixtures.map((f) => f.path);
  const options = declaredOptions(ALL_RULES);

  it('exist', () => {
    expect(files.length).toBeGreaterThan(ALL_RULES.length * 2);
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
      if (e.kind === 'violates') expect(getRule(e.rule.split('/')[0]), `unknown rule ${e.rule}`).toBeDefined();
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
    for (const f of allFixtures) {
      const { header } = parseHeader(f.text, f.path);
      for (const [k, v] of Object.entries(header.ruleOptions)) {
        const e = byKey.get(k) ?? { holds: new Set(), violates: new Set() };
        byKey.set(k, e);
        if (header.expect.some((x) => x.kind === 'holds')) e.holds.add(v);
        if (header.expect.some((x) => x.kind === 'violates')) e.violates.add(v);
      }
    }
    for (const o of ALL_RULES.flatMap((r) => r.meta.options ?? [])) {
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

  it('the lockdep-side families cover every item of sections 1-4, 7, 8 and 10, and nothing else', () => {
    const covered = new Set(ALL_RULES.filter((r) => LOCKDEP_SIDE.has(r.meta.family)).flatMap((r) => r.meta.covers));
    expect(LOCKDEP_SIDE_ITEMS.filter((x) => !covered.has(x))).toEqual([]);
    expect([...covered].filter((x) => !LOCKDEP_SIDE_ITEMS.includes(x))).toEqual([]);
  });
});

describe('lock patterns', () => {
  it('never use a bare lock-kind rwsem for driver locks without excluding mm and address_space', () => {
    // checker/semantics/patterns.ts reads `rwsem` as covering mmap_lock and
    // i_mmap_rwsem; every rule that means "a driver's own lock" says so.
    for (const r of ALL_RULES) {
      const s = readFileSync(join(RULES_DIR, `${r.meta.id}.ts`), 'utf8');
      if (!s.includes("is: 'rwsem'")) continue;
      expect(s, r.meta.id).toContain("is: 'mm'");
      expect(s, r.meta.id).toContain("is: 'address_space'");
    }
  });

  it('spell conjunctions so that they mean conjunction', () => {
    // allOf(a, b) = not(any-of(not a, not b)): evaluate it on a tiny model of
    // pattern truth to make sure the helper in the rule files is right.
    const evalP = (p: LockPattern, truth: Record<string, boolean>): boolean => {
      switch (p.kind) {
        case 'not':
          return !evalP(p.of, truth);
        case 'any-of':
          return p.of.some((q) => evalP(q, truth));
        case 'class':
          return truth[p.name] ?? false;
        default:
          return false;
      }
    };
    const allOf = (...of: LockPattern[]): LockPattern => ({ kind: 'not', of: { kind: 'any-of', of: of.map((p): LockPattern => ({ kind: 'not', of: p })) } });
    const a: LockPattern = { kind: 'class', name: 'a' };
    const b: LockPattern = { kind: 'class', name: 'b' };
    for (const ta of [false, true]) for (const tb of [false, true]) expect(evalP(allOf(a, b), { a: ta, b: tb })).toBe(ta && tb);
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
      'gpu-importer-revocable',
    ]);
    // strict must take a side on every debated rule: a new option needs its strictest value in rules/index.ts.
    expect(Object.keys(PRESETS.strict.options).sort()).toEqual([...declaredOptions(ALL_RULES).keys()].sort());
    expect(PRESETS.strict.options).toEqual({
      'revoke.pfn-export': 'forbidden',
      'own.scope': 'per-dmabuf',
      'notifier.fence-wait': 'never',
      'revoke.gpu-importers': 'reject',
      'phyr.struct-page': 'forbid',
      'lockdep.preempt-rt': 'on',
    });
  });
});
