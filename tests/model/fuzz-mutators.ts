/**
 * Seeded mutations of model sources for the fuzz test: the kinds of damage
 * an editor, a bad merge or a curious user does (token deletions and swaps,
 * truncation, random bytes, line ending and BOM changes), deep nesting,
 * and TypeScript the model language does not have.
 */

/** A small seeded PRNG (mulberry32): the same seed, the same mutants, on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Words, runs of spaces, and single other characters. */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z_$][\w$]*|\d+|\s+|[^\w\s]/g) ?? [];
}

/** A position at the start of a line (where a statement may begin). */
function lineStart(text: string, r: Rand): number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return pick(r, starts);
}

const insertAt = (text: string, at: number, s: string) => text.slice(0, at) + s + text.slice(at);

/** Constructs outside the model language, and odd corners of the ones inside it. */
const ODD: readonly string[] = [
  'function id<T>(x: T): T { return x; }\n',
  'export function g<T extends object>() { mutex_lock(l as any); }\n',
  'class Foo { private x = 1; get y() { return this.x; } set y(v) {} static z() {} }\n',
  '@decorator class Bar {}\n',
  'export function t2() { @dec const x = 1; }\n',
  'enum E { A, B = 2, C }\nconst enum F { X }\n',
  'namespace N { export const a = mutex(); }\nmodule M {}\n',
  'declare module "x" {}\ndeclare global { var y: number; }\n',
  'export function lab() { outer: for (let i = 0; i < 2; i++) { break outer; } }\n',
  'export function w() { with (Math) { mutex_lock(l); } }\n',
  'const jsx = <div>{mutex_lock(l)}</div>;\n',
  'export function u1() { mut\\u0065x_lock(l); mutex_unlock(l); }\n',
  'const \\u{1d4b6} = mutex();\n',
  "const s = `a${'b'}c${`${1}`}`;\nconst re = /[/]\\//g;\n",
  'interface I { a: number }\ntype T = { [k: string]: T };\n',
  'abstract class A { abstract f(): void }\n',
  'export async function a() { await 1; for await (const x of []) {} }\n',
  'export function* gen() { yield 1; }\n',
  'export function d() { do { mutex_lock(l); } while (0); }\n',
  'export function tc() { try { mutex_lock(l); } catch { } finally { mutex_unlock(l); } }\n',
  'export function sw() { switch (nondet(3)) { case l: break; case -EDEADLK: break; default: } }\n',
  'export function sp(...xs) { h(...xs); }\n',
  'export function opt() { l?.x; l ?? 1; let q; q ??= 2; }\n',
  'const big = 10n;\nconst sep = 1_000;\nconst hex = 0xFF;\nconst oct = 0o7;\n',
  'export = l;\n',
  'export default l;\n',
  'import x = require("fs");\n',
  '/// <reference path="x.d.ts" />\n',
  'export function n() { new.target; import.meta; arguments; super.x; }\n',
  'export function ar() { const f = () => mutex_lock(l); f(); }\n',
  'export function obj() { const o = { a: 1, get b() { return 2; }, ["c"]: 3, ...d }; }\n',
  'export function th() { throw mutex_lock(l); }\n',
  'for (let i = 0; i < 100000; i++) { threads(i); }\n',
  'export function loop() { for (let i = 0; i < 1024; i++) { for (let j = 0; j < 1024; j++) { might_sleep(); } } }\n',
  'export function neg() { for (let i = 0; i < -1; i++) {} for (let i = 5; i > 0; i--) {} }\n',
  'threads(t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t, t);\n',
  'threads();\nthreads(undefined);\nthreads(1);\n',
  'register_shrinker();\nrequest_irq(0);\nmmu_interval_notifier_insert();\n',
  'const w = work(w);\nqueue_work(w);\n',
  'export function rec() { rec(); }\n',
  'function h(a, a) {}\n',
  'export function t() {}\nexport function t() {}\n',
  'const l = mutex();\n',
  'export function self() { if (nondet(1)) {} if (nondet(65)) {} if (nondet(-1)) {} }\n',
  '\u2028const ls = mutex();\u2029\n',
  '\r',
  '/* unterminated comment\n',
  '"unterminated string\n',
  '`unterminated template\n',
  '#!/usr/bin/env node\n',
  '<<<<<<< HEAD\n=======\n>>>>>>> branch\n',
];

const HEADER_TAGS: readonly string[] = [
  ' * @rule-option nosuch=1\n',
  ' * @rule-option revoke.pfn-export=maybe\n',
  ' * @rule-option =\n',
  ' * @rule-option constructor=x\n',
  ' * @rule-option __proto__=x\n',
  ' * @bound 0\n',
  ' * @bound 99999999999999999999\n',
  ' * @kernel v99.1\n',
  ' * @expect\n',
  ' * @expect violates\n',
  ' * @expect holds all\n * @expect violates deadlock\n',
  ' * @expect error LMC999\n',
  ' * @driver\n',
];

function deepChain(r: Rand): string {
  const n = r() < 0.15 ? 10_000 : 1 + int(r, 130);
  switch (int(r, 13)) {
    case 9:
      return `const A${n} = ${'() => '.repeat(n)}1;\n`;
    case 10:
      return `export function d${n}() { ${Array.from({ length: n }, (_, i) => `q${i}: `).join('')}might_sleep(); }\n`;
    case 11:
      return `export function d${n}() { const x = ${'new '.repeat(n)}X; }\n`;
    case 12:
      return `type T${n} = ${'Array<'.repeat(n)}number${'>'.repeat(n)};\n`;
    case 0:
      return `export function d${n}() { if (${'!'.repeat(n)}nondet()) {} }\n`;
    case 1:
      return `const D${n} = ${'- '.repeat(n)}1;\n`;
    case 2:
      return `export function d${n}() { if (${'nondet() | '.repeat(n)}nondet()) {} }\n`;
    case 3:
      return `export function d${n}() { if (nondet()) {}${' else if (nondet()) {}'.repeat(n)} }\n`;
    case 4:
      return `export function d${n}() { const x = ${'nondet() ? 1 : '.repeat(n)}0; }\n`;
    case 5:
      return `export function d${n}() { const x = 1${' as number'.repeat(n)}; }\n`;
    case 6:
      return `export function d${n}() { ${'{'.repeat(n)}might_sleep();${'}'.repeat(n)} }\n`;
    case 7:
      return `export function d${n}() { ${'if (nondet()) '.repeat(n)}might_sleep(); }\n`;
    default:
      return `export function d${n}() { might_sleep(${'('.repeat(n)}1${')'.repeat(n)}); }\n`;
  }
}

const BYTES = ['\u0000', '\u0001', '\t', '\u00e9', '\ud800', '\ufffd', '\ufeff', '"', "'", '`', '\\', '{', '}', '(', ')', ';', '/', '*', '@', '<', '>', '?', ':', '!', '#', '\u200b', '\u{1f600}'];

const MUTATORS: readonly { name: string; apply: (t: string, r: Rand) => string }[] = [
  {
    name: 'delete token',
    apply: (t, r) => {
      const ts = tokens(t);
      if (ts.length === 0) return t;
      ts.splice(int(r, ts.length), 1 + int(r, 3));
      return ts.join('');
    },
  },
  {
    name: 'swap tokens',
    apply: (t, r) => {
      const ts = tokens(t);
      if (ts.length < 2) return t;
      const i = int(r, ts.length);
      const j = int(r, ts.length);
      [ts[i], ts[j]] = [ts[j]!, ts[i]!];
      return ts.join('');
    },
  },
  {
    name: 'duplicate token',
    apply: (t, r) => {
      const ts = tokens(t);
      if (ts.length === 0) return t;
      const i = int(r, ts.length);
      ts.splice(int(r, ts.length), 0, ts[i]!);
      return ts.join('');
    },
  },
  { name: 'truncate', apply: (t, r) => t.slice(0, int(r, t.length + 1)) },
  {
    name: 'random bytes',
    apply: (t, r) => {
      let s = t;
      for (let k = 1 + int(r, 6); k > 0; k--) s = insertAt(s, int(r, s.length + 1), pick(r, BYTES));
      return s;
    },
  },
  { name: 'deep nesting', apply: (t, r) => insertAt(t, lineStart(t, r), deepChain(r)) },
  { name: 'odd construct', apply: (t, r) => insertAt(t, lineStart(t, r), pick(r, ODD)) },
  {
    name: 'header tag',
    apply: (t, r) => {
      const end = t.indexOf('*/');
      return end < 0 ? pick(r, HEADER_TAGS) + t : insertAt(t, end, pick(r, HEADER_TAGS));
    },
  },
  { name: 'BOM', apply: (t) => '\ufeff' + t },
  { name: 'CRLF', apply: (t) => t.replace(/\n/g, '\r\n') },
  { name: 'CR only', apply: (t) => t.replace(/\n/g, '\r') },
  {
    name: 'repeat lines',
    apply: (t, r) => {
      const lines = t.split('\n');
      const i = int(r, lines.length);
      const n = 1 + int(r, 4);
      const chunk = lines.slice(i, i + n);
      const times = 1 + int(r, 40);
      lines.splice(i, 0, ...Array.from({ length: times }, () => chunk).flat());
      return lines.join('\n');
    },
  },
  {
    name: 'swap identifiers',
    apply: (t, r) => {
      const ids = [...new Set(t.match(/\b[a-z_][a-z0-9_]*\b/g) ?? [])];
      if (ids.length < 2) return t;
      const a = pick(r, ids);
      const b = pick(r, ids);
      return t.replace(new RegExp(`\\b${a}\\b`, 'g'), b);
    },
  },
  {
    name: 'change number',
    apply: (t, r) => {
      const nums = [...t.matchAll(/\b\d+\b/g)];
      if (nums.length === 0) return t;
      const m = pick(r, nums);
      return t.slice(0, m.index) + pick(r, ['0', '-1', '1e9', '65', '1025', '2', '3.5', 'NaN', '0x10', '9007199254740993']) + t.slice(m.index! + m[0].length);
    },
  },
];

export function mutate(text: string, r: Rand): { text: string; applied: string[] } {
  const applied: string[] = [];
  let t = text;
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const m = pick(r, MUTATORS);
    applied.push(m.name);
    t = m.apply(t, r);
  }
  return { text: t, applied };
}
