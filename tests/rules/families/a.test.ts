/**
 * Family A (ORDER, RECLAIM, FENCE, WW, NOTIFIER, USERPTR, LOCKDEP): the
 * rule files, their fixtures and their docs stay in step. Verdicts of the
 * fixtures are checked by tests/fixtures/fixtures.test.ts; this suite checks
 * what a verdict test cannot see: coverage of the reference, message
 * templates, fixture headers, docs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES_A } from '../../../rules/families/a.js';
import type { Check, LockPattern, Pred, StepPattern } from '../../../rules/types.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Every reference item of rules-reference.md sections 1-4, 7, 8 and 10. */
const REFERENCE_ITEMS = [
  ...range('ORDER', 8),
  ...range('RECLAIM', 7),
  ...range('FENCE', 12).filter((x) => x !== 'FENCE-3'),
  ...range('FENCE-3.', 7).map((x) => x.replace('FENCE-3.-', 'FENCE-3.')),
  ...range('WW', 7),
  ...range('NOTIFIER', 6),
  ...range('USERPTR', 3),
  ...range('LOCKDEP', 7),
];

function range(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
}

const PLACEHOLDERS = new Set(['lock', 'held', 'api', 'thread', 'fence', 'attachment', 'buf', 'gfp', 'context']);

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

function headerTags(text: string): string[] {
  const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!m) return [];
  return m[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l.startsWith('@'));
}

describe('family A rules', () => {
  it('exports 33 rules with unique ids', () => {
    const ids = RULES_A.map((r) => r.meta.id);
    expect(ids.length).toBe(33);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every reference item of sections 1-4, 7, 8 and 10', () => {
    const covered = new Set(RULES_A.flatMap((r) => r.meta.covers));
    expect(REFERENCE_ITEMS.filter((x) => !covered.has(x))).toEqual([]);
    // and nothing that is not a reference item of these sections
    expect([...covered].filter((x) => !REFERENCE_ITEMS.includes(x))).toEqual([]);
  });

  for (const r of RULES_A) {
    describe(r.meta.id, () => {
      it('lives in rules/<id>.ts', () => {
        expect(existsSync(join(ROOT, 'rules', `${r.meta.id}.ts`))).toBe(true);
        expect(r.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      });

      it('has one message template per check id and unique check ids', () => {
        const ids = r.checks.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(Object.keys(r.meta.messages).sort()).toEqual([...ids].sort());
        for (const t of Object.values(r.meta.messages)) {
          for (const m of t.matchAll(/\{\{(\w+)\}\}/g)) expect(PLACEHOLDERS.has(m[1])).toBe(true);
        }
      });

      it('has a one-sentence summary and a quotable rationale', () => {
        expect(r.meta.summary.trim().endsWith('.')).toBe(true);
        expect(r.meta.summary.split(/\.\s+[A-Z]/).length).toBe(1);
        expect(r.meta.rationale.length).toBeGreaterThan(200);
        expect(r.meta.citations.length).toBeGreaterThan(0);
      });

      it('uses step-pattern lock filters only on ops that have a lock operand', () => {
        // opLock() only knows lock/unlock: a `lock` filter on any other op
        // would silently never match (REQUESTS-vocabulary.md #2).
        for (const c of r.checks) {
          if (c.kind === 'lock-cycle') continue;
          for (const p of stepPatterns(c)) {
            if (p.lock === undefined) continue;
            const ops = Array.isArray(p.op) ? p.op : [p.op];
            expect(ops.every((o) => o === 'lock' || o === 'unlock')).toBe(true);
          }
        }
      });

      it('declares every option it reads, with a default among its values', () => {
        const read = new Set<string>();
        const walk = (p: Pred): void => {
          if (p.kind === 'option') read.add(p.key);
          if (p.kind === 'and' || p.kind === 'or') p.of.forEach(walk);
          if (p.kind === 'not') walk(p.of);
        };
        for (const c of r.checks) {
          if (c.kind === 'step' && c.when) walk(c.when);
          if (c.kind === 'state') walk(c.bad);
          if (c.kind === 'terminal') walk(c.bad);
        }
        const declared = new Map((r.meta.options ?? []).map((o) => [o.key, o]));
        for (const k of read) expect(declared.has(k)).toBe(true);
        for (const o of declared.values()) expect(o.values.map((v) => v.value)).toContain(o.default);
      });

      const dir = join(ROOT, 'fixtures', 'rules', r.meta.id);
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.model.ts')).sort() : [];

      it('has holds-* and violates-* fixtures whose headers name the rule', () => {
        const holds = files.filter((f) => f.startsWith('holds-'));
        const violates = files.filter((f) => f.startsWith('violates-'));
        expect(holds.length).toBeGreaterThan(0);
        expect(violates.length).toBeGreaterThan(0);
        expect(holds.length + violates.length).toBe(files.length);
        for (const f of holds) {
          const tags = headerTags(readFileSync(join(dir, f), 'utf8'));
          const ok = tags.some((t) => t === '@expect holds all' || (t.startsWith('@expect holds ') && t.split(/\s+/).includes(r.meta.id)));
          expect(ok, `${f}: ${tags.join(' ')}`).toBe(true);
          expect(tags.some((t) => t.startsWith('@expect violates')), f).toBe(false);
        }
        for (const f of violates) {
          const tags = headerTags(readFileSync(join(dir, f), 'utf8'));
          // `@expect violates <id>/<check> at <line>`: the rule is what this test is about.
          expect(tags.map((t) => t.replace(/\/\S+ at \d+$/, '')), f).toContain(`@expect violates ${r.meta.id}`);
        }
      });

      it('has docs/rules/<id>.md with summary, lockdep output, fix, citations and fixtures', () => {
        const file = join(ROOT, 'docs', 'rules', `${r.meta.id}.md`);
        expect(existsSync(file)).toBe(true);
        const doc = readFileSync(file, 'utf8');
        const flat = (s: string) => s.replace(/\s+/g, ' ');
        expect(doc.startsWith(`# ${r.meta.id}\n`)).toBe(true);
        expect(flat(doc)).toContain(flat(r.meta.summary));
        expect(flat(doc)).toContain(flat(r.meta.rationale));
        for (const h of ['## Rationale', '## What lockdep prints', '## How to fix', '## Citations', '## Fixtures']) expect(doc).toContain(h);
        for (const c of r.meta.citations) {
          if (c.kind === 'kernel' || c.kind === 'doc') expect(doc).toContain(c.file);
          if (c.kind === 'list' || c.kind === 'commit') expect(doc).toContain(c.subject);
        }
        for (const f of files) expect(doc).toContain(f);
        if (r.meta.hedge) expect(flat(doc)).toContain(flat(r.meta.hedge));
      });
    });
  }
});

describe('lock patterns of family A', () => {
  it('never use a bare lock-kind rwsem for driver locks without excluding mm and address_space', () => {
    // checker/semantics/patterns.ts reads `rwsem` as covering mmap_lock and
    // i_mmap_rwsem; every rule that means "a driver's own lock" says so.
    const src = RULES_A.map((r) => readFileSync(join(ROOT, 'rules', `${r.meta.id}.ts`), 'utf8'));
    for (const s of src) {
      if (!s.includes("is: 'rwsem'")) continue;
      expect(s).toContain("is: 'mm'");
      expect(s).toContain("is: 'address_space'");
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
