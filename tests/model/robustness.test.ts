import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { FRONT_END_DIAGNOSTIC_CODES, extractModel, loadModel } from '../../model/index.js';
import { checkWellFormed, HEADER } from './helpers.js';
import { opOutcomes } from '../../model/vocabulary.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TMP = mkdtempSync(join(tmpdir(), 'lockmc-frontend-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** The front end's rows of the one table (model/diagnostics.ts). */
const DIAGNOSTIC_BY_CODE = new Map<string, unknown>(FRONT_END_DIAGNOSTIC_CODES.map((c) => [c.code, c]));

function codes(r: { diagnostics: { code: string }[] }): string[] {
  return r.diagnostics.map((d) => d.code);
}

function assertCoded(r: ReturnType<typeof loadModel>): void {
  for (const d of r.diagnostics) {
    expect(DIAGNOSTIC_BY_CODE.has(d.code), d.code).toBe(true);
    expect(d.message).not.toMatch(/\n\s+at /);
  }
  if (r.extracted) {
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const m = r.extracted.model;
    checkWellFormed(m);
    for (const p of m.procs) for (const n of p.nodes) if (n.kind === 'op') expect(Object.keys(n.next)).toEqual(opOutcomes(n.op, m.instances));
  } else expect(r.diagnostics.length).toBeGreaterThan(0);
}

describe('input checks', () => {
  test('LMC001: missing file and directory', () => {
    const missing = loadModel(join(TMP, 'nope.model.ts'));
    expect(missing.diagnostics.map((d) => [d.code, d.message])).toEqual([['LMC001', 'cannot read model file: no such file']]);
    const dir = loadModel(TMP);
    expect(dir.diagnostics.map((d) => [d.code, d.message])).toEqual([['LMC001', 'cannot read model file: it is a directory']]);
  });

  test('LMC002: binary junk, invalid UTF-8, NUL in a string, lone surrogates', () => {
    const junk = join(TMP, 'junk.model.ts');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
    writeFileSync(junk, bytes);
    expect(loadModel(junk).diagnostics.map((d) => [d.code, d.message])).toEqual([['LMC002', 'model is not a text file: it contains NUL bytes']]);
    const bad = join(TMP, 'bad-utf8.model.ts');
    writeFileSync(bad, Buffer.from([0x2f, 0x2f, 0x20, 0xc3, 0x28, 0x0a]));
    expect(loadModel(bad).diagnostics.map((d) => [d.code, d.message])).toEqual([['LMC002', 'model is not a text file: it is not valid UTF-8']]);
    expect(codes(extractModel({ file: 'x', text: 'export function t() {}\u0000' }))).toEqual(['LMC002']);
    expect(codes(extractModel({ file: 'x', text: 'const a = "\uD800";' }))).toEqual(['LMC002']);
    expect(codes(extractModel({ file: 'x', text: '// \uFFFD\n' }))).toEqual(['LMC002']);
  });

  test('LMC003: a 10 MB string and a 10 MB file, refused quickly with the limit named', () => {
    const huge = '// x\n'.repeat(2 * 1024 * 1024);
    const t0 = performance.now();
    const r = extractModel({ file: 'huge.model.ts', text: huge });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['LMC003', 'model is too large: 10485760 bytes, the limit is 1048576 bytes (1 MiB)']]);
    const f = join(TMP, 'huge.model.ts');
    writeFileSync(f, huge);
    expect(loadModel(f).diagnostics.map((d) => [d.code, d.message])).toEqual([['LMC003', 'model is too large: 10485760 bytes, the limit is 1048576 bytes (1 MiB)']]);
  });

  test('an empty file is a model without threads', () => {
    const f = join(TMP, 'empty.model.ts');
    writeFileSync(f, '');
    expect(codes(loadModel(f))).toEqual(['LMC204']);
  });

  test('LMC900: an internal failure is a message, never a stack', () => {
    const r = extractModel({ file: 'x.model.ts', text: 42 as unknown as string });
    expect(codes(r)).toEqual(['LMC900']);
    expect(r.diagnostics[0]!.message).toMatch(/^internal error in the front end: /);
    expect(r.diagnostics[0]!.message).not.toMatch(/\n/);
  });
});

describe('deep nesting never overflows the stack', () => {
  const N = 10_000;
  test.each([
    ['braces', 'export function t() {\n' + '{'.repeat(N) + '}'.repeat(N) + '\n}\n'],
    ['parentheses', 'export function t() {\n  if (' + '('.repeat(N) + 'nondet()' + ')'.repeat(N) + ') {}\n}\n'],
    ['if chains without braces', 'export function t() {\n' + 'if (nondet()) '.repeat(N) + 'might_sleep();\n}\n'],
    ['else-if chains', 'export function t() {\n  if (nondet()) {}' + ' else if (nondet()) {}'.repeat(N) + '\n}\n'],
    ['negations', 'export function t() {\n  if (' + '!'.repeat(N) + 'nondet()) {}\n}\n'],
    ['unary minus', 'const N = ' + '- '.repeat(N) + '1;\nexport function t() {}\n'],
    ['decrement soup', 'const N = ' + '-'.repeat(N) + '1;\nexport function t() {}\n'],
    ['binary chains', 'export function t() {\n  if (' + 'nondet() && '.repeat(N) + 'nondet()) {}\n}\n'],
    ['nested ternaries', 'export function t() {\n  const x = ' + 'nondet() ? 1 : '.repeat(N) + '0;\n}\n'],
  ])('%s', (_name, body) => {
    const r = extractModel({ file: 'deep.model.ts', text: HEADER + body });
    expect(r.extracted).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(['LMC104', 'LMC102', 'LMC101']).toContain(d.code);
  });
});

describe('a model is never executed', () => {
  test('node:fs / child_process imports and top-level calls: LMC102, and nothing runs', () => {
    const marker1 = join(TMP, 'marker-fs');
    const marker2 = join(TMP, 'marker-exec');
    const marker3 = join(TMP, 'marker-require');
    const src = `${HEADER}import { writeFileSync } from 'node:fs';
import { execSync } from 'child_process';
writeFileSync(${JSON.stringify(marker1)}, 'pwned');
execSync(${JSON.stringify('touch ' + marker2)});
require('fs').writeFileSync(${JSON.stringify(marker3)}, 'pwned');
export function t() {
  writeFileSync(${JSON.stringify(marker1)}, 'pwned');
}
`;
    const f = join(TMP, 'evil.model.ts');
    writeFileSync(f, src);
    const r = loadModel(f);
    expect(r.extracted).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['LMC102', 6, "unsupported construct: import of 'node:fs'"],
      ['LMC102', 7, "unsupported construct: import of 'child_process'"],
      ['LMC201', 8, "unknown identifier 'writeFileSync'"],
      ['LMC201', 9, "unknown identifier 'execSync'"],
      ['LMC102', 10, "unsupported construct: method call 'require('fs').writeFileSync(...)'"],
      ['LMC201', 12, "unknown identifier 'writeFileSync'"],
    ]);
    expect(existsSync(marker1)).toBe(false);
    expect(existsSync(marker2)).toBe(false);
    expect(existsSync(marker3)).toBe(false);
  });

  test('eval, Function and prototype tricks are coded diagnostics', () => {
    for (const body of [
      "export function t() { eval('1'); }",
      "export function t() { (0, eval)('1'); }",
      "export function t() { Function('return this')(); }",
      "const x = Object['proto' + 'type'];",
      'Object.defineProperty(Object.prototype, "x", {});',
      'export function t() { ({}).constructor.constructor("return 1")(); }',
      'export function t() { mutex_lock.call(null); }',
      'export function t() { const f = mutex_lock; }',
      'export function t() { this.x = 1; }',
      'export function t() { `${mutex_lock}`; }',
      'export function t() { void 0; }',
      'export function t() { throw new Error("x"); }',
      'export function t() { debugger; }',
      'export function t() { with (Math) {} }',
      'export default function () {}',
    ]) {
      const r = extractModel({ file: 'x.model.ts', text: HEADER + body + '\n' });
      expect(r.extracted, body).toBeUndefined();
      expect(r.diagnostics.length, body).toBeGreaterThan(0);
      assertCoded(r);
    }
  });
});

describe('fuzzing', () => {
  const example = readFileSync(join(ROOT, 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts'), 'utf8');
  const TOKENS = [
    'mutex_lock(l);', 'mutex_unlock(l);', 'if (nondet()) {', 'if (!mutex_trylock(l)) {', '}', '{', 'else', 'return;', 'break;', 'continue;',
    'for (let i = 0; i < 3; i++) {', 'switch (nondet(3)) {', 'case 0:', 'default:', 'const r = dma_resv_lock(o, ctx);', 'if (r === -EDEADLK) {',
    'const ctx = ww_acquire_init(reservation_ww_class);', 'ww_acquire_fini(ctx);', 'dma_resv_unlock(o);', 'const p = kmalloc(GFP_NOWAIT);', 'if (!p) {',
    'h();', 'h(l);', 'function h() {', 'export function t() {', 'threads(t);', '(', ')', ';', 'while (1) {', 'eval("x");', '\u0000',
  ];

  test('random text never throws and only yields coded diagnostics', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        assertCoded(extractModel({ file: 'f.model.ts', text: s }));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  test('token soup in a model skeleton never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (toks) => {
        const text = `${HEADER}const l = mutex();\nconst o = dma_resv_object();\nexport function t() {\n${toks.join('\n')}\n}\n`;
        assertCoded(extractModel({ file: 'f.model.ts', text }));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  test('cutting pieces out of the docs example never throws', () => {
    fc.assert(
      fc.property(fc.nat(example.length), fc.nat(40), (at, len) => {
        const text = example.slice(0, at) + example.slice(at + len);
        assertCoded(loadModel('cut.model.ts', text));
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('large but flat models', () => {
  test('thousands of specialised results end in a coded limit, not a stack overflow', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`  const r${i} = mutex_trylock(l);`, `  if (r${i}) { mutex_unlock(l); }`);
    const text = HEADER + 'const l = mutex();\nexport function t() {\n' + lines.join('\n') + '\n}\n';
    const r = extractModel({ file: 'flat.model.ts', text });
    expect(r.extracted).toBeUndefined();
    expect([...new Set(r.diagnostics.map((d) => d.code))]).toEqual(['LMC104']);
  });

  test('a long straight-line thread beyond the node limit is LMC105', () => {
    const text = HEADER + 'const l = mutex();\nexport function t() {\n' + '  mutex_lock(l);\n  mutex_unlock(l);\n'.repeat(12_000) + '}\n';
    const r = extractModel({ file: 'long.model.ts', text });
    expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['LMC105', "'t' is too large after unrolling loops and inlining helpers (limit: 20000 nodes per proc)"],
    ]);
  });

  test('loadModel reads the file when no text is given', () => {
    const r = loadModel(join(ROOT, 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts'));
    expect(r.diagnostics).toEqual([]);
    expect(r.extracted?.model.threads.map((t) => t.name)).toEqual(['cs_ioctl', 'run_job']);
  });
});

describe('generated models of the language', () => {
  const OPS = ['mutex_lock(l);', 'mutex_unlock(l);', 'might_sleep();', 'kmalloc(GFP_KERNEL);', 'dma_resv_lock(o, ctx);', 'dma_resv_unlock(o);', 'dma_fence_signal(f);', 'copy_to_user();', 'h(l);'];
  type Gen = fc.Arbitrary<string>;
  const stmt: Gen = fc.letrec<{ s: string; b: string }>((tie) => ({
    s: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...OPS),
      tie('b').map((b) => `if (nondet()) ${b}`),
      fc.tuple(tie('b'), tie('b')).map(([a, b]) => `if (nondet()) ${a} else ${b}`),
      tie('b').map((b) => `if (!mutex_trylock(l)) ${b}`),
      tie('b').map((b) => `for (let i = 0; i < 2; i++) ${b.replace('{', '{ if (nondet()) { break; } ')}`),
      fc.tuple(tie('b'), tie('b')).map(([a, b]) => `switch (nondet(3)) { case 0: ${a} break; case 1: ${b} default: might_sleep(); }`),
      tie('b').map((b) => `{ const r = dma_resv_lock(o, ctx); if (r === -EDEADLK) ${b} }`),
      tie('b').map((b) => `{ const p = kmalloc(GFP_NOWAIT); if (!p) ${b} }`),
      fc.constant('if (nondet()) { return; }'),
    ),
    b: fc.array(tie('s'), { maxLength: 3 }).map((xs) => `{ ${xs.join(' ')} }`),
  })).s;

  test('every generated model extracts, well-formed, deterministically', () => {
    fc.assert(
      fc.property(fc.array(stmt, { minLength: 1, maxLength: 6 }), (stmts) => {
        const text = `${HEADER}const l = mutex();\nconst o = dma_resv_object();\nconst f = dma_fence();\nfunction h(x) { if (nondet()) { mutex_lock(x); mutex_unlock(x); } }\nexport function t() {\n  const ctx = ww_acquire_init(reservation_ww_class);\n  ${stmts.join('\n  ')}\n  ww_acquire_fini(ctx);\n}\n`;
        const r = extractModel({ file: 'g.model.ts', text });
        expect(r.diagnostics.map((d) => d.message)).toEqual([]);
        assertCoded(r);
        expect(JSON.stringify(extractModel({ file: 'g.model.ts', text }).extracted)).toBe(JSON.stringify(r.extracted));
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
