import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXIT_CODE_DOC, ExitCode } from '../../model/exit-codes.js';
import {
  ALL_DIAGNOSTIC_CODES,
  CHECKER_DIAGNOSTIC_CODES,
  DIAGNOSTIC_TABLE,
  FRONT_END_DIAGNOSTIC_CODES as DIAGNOSTIC_CODES,
  RULE_DIAGNOSTIC_CODES,
  diagnosticAt,
  diagnosticInfo,
  exitCodeOfDiagnostic,
  formatDiagnostic,
  isDiagnosticCode,
  loadModel,
  parseHeader,
  type DiagnosticCode,
} from '../../model/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The one code→exit function, given a string as a report read back from JSON would carry. */
const exitCodeOf = (code: string) => exitCodeOfDiagnostic(code as DiagnosticCode);
const ERRORS = join(ROOT, 'fixtures', 'errors');

/** Codes that cannot be committed as a fixture; their inputs are generated in robustness.test.ts. */
const GENERATED = new Set(['LMC001', 'LMC002', 'LMC003', 'LMC900']);

type Expected = [code: string, line: number | undefined, col: number | undefined, message: string];

const EXPECTED: Record<string, Expected[]> = {
  'LMC101-syntax-error.model.ts': [['LMC101', 10, 15, "syntax error: ')' expected."]],
  'LMC102-unsupported-while.model.ts': [['LMC102', 10, 3, "unsupported construct: 'while' loop"]],
  'LMC103-unbounded-loop.model.ts': [['LMC103', 10, 23, "non-constant loop bound 'n'"]],
  'LMC104-nesting-too-deep.model.ts': [['LMC104', 72, 137, 'nesting too deep: more than 64 levels of brackets']],
  'LMC105-unroll-limit.model.ts': [['LMC105', 11, 3, 'loop unrolls to more than 1024 iterations (the unroll limit)']],
  'LMC201-unknown-identifier.model.ts': [['LMC201', 12, 14, "unknown identifier 'foo'"]],
  'LMC202-wrong-argument-kind.model.ts': [
    ['LMC202', 10, 17, "dma_resv_lock expects a dma_resv as argument 1 (obj), got mutex 'vm_lock'"],
    ['LMC202', 11, 19, "dma_resv_unlock expects a dma_resv as argument 1 (obj), got mutex 'vm_lock'"],
  ],
  'LMC202-sched-run-job-is-a-thread.model.ts': [['LMC202', 13, 35, "drm_gpu_scheduler: run_job 'run_job' is also a model thread"]],
  'LMC202-sched-two-jobs.model.ts': [['LMC202', 20, 3, 'drm_sched_entity_push_job: sched already runs the job of fence job_a; a model pushes one job per scheduler']],
  'LMC203-recursion.model.ts': [['LMC203', 16, 3, 'recursion: walk_down -> walk_up -> walk_down']],
  'LMC204-no-threads.model.ts': [['LMC204', undefined, undefined, 'the model has no threads']],
  'LMC205-unlock-not-held.model.ts': [['LMC205', 12, 3, "mutex_unlock() releases 'l', which no path of the model ever acquires"]],
  'LMC206-lock-held-at-end.model.ts': [['LMC206', 10, 3, "'l' is still held when thread 'ioctl' returns on some path"]],
  'LMC207-double-acquire.model.ts': [['LMC207', 12, 7, "mutex_trylock() succeeds on 'l' although thread 'ioctl' already holds it on some path"]],
  'LMC208-signalling-unbalanced.model.ts': [['LMC208', 10, 18, "dma_fence_begin_signalling() is not ended before thread 'run_job' returns on some path"]],
  'LMC209-memalloc-mismatch.model.ts': [['LMC209', 10, 3, 'memalloc_noio_restore(flags) restores flags saved by memalloc_nofs_save()']],
  'LMC210-local-before-created.model.ts': [['LMC210', 10, 21, "'ctx' is used before it is created by ww_acquire_init()"]],
  'LMC211-bad-header.model.ts': [['LMC211', 3, 4, "bad @kernel tag: expected a version such as v6.12, got 'six-twelve'"]],
};

const fixtures = readdirSync(ERRORS).filter((f) => f.endsWith('.model.ts')).sort();

describe('fixtures/errors', () => {
  test.each(fixtures)('%s gives exactly its diagnostics', (f) => {
    const r = loadModel(join('fixtures', 'errors', f), readFileSync(join(ERRORS, f), 'utf8'));
    expect(r.extracted).toBeUndefined();
    const got = r.diagnostics.map((d): Expected => [d.code, d.line, d.col, d.message]);
    expect(got).toEqual(EXPECTED[f]);
    for (const d of r.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.hint, `${d.code} must say what to write instead`).toBeTruthy();
      expect(d.file).toBe(join('fixtures', 'errors', f));
      if (d.line !== undefined) {
        expect(d.sourceLine).toBeDefined();
        expect(d.caret).toMatch(/^ *\^+$/);
      }
    }
  });

  test.each(fixtures)('%s: file name, header and first diagnostic agree', (f) => {
    const code = /^(LMC\d{3})-[a-z0-9-]+\.model\.ts$/.exec(f)?.[1];
    expect(code).toBeDefined();
    const { header } = parseHeader(readFileSync(join(ERRORS, f), 'utf8'));
    expect(header.expect).toEqual([{ kind: 'error', code, line: expect.any(Number) }]);
    expect(EXPECTED[f]![0]![0]).toBe(code);
  });

  test('every registered code has a fixture or a generated test input, and no fixture is unregistered', () => {
    const withFixture = new Set(fixtures.map((f) => f.slice(0, 6)));
    for (const c of DIAGNOSTIC_CODES) {
      expect(withFixture.has(c.code) || GENERATED.has(c.code), `${c.code} has no fixture`).toBe(true);
    }
    const registered = new Set<string>(DIAGNOSTIC_CODES.map((c) => c.code));
    for (const c of withFixture) expect(registered.has(c), `${c} is not registered`).toBe(true);
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtures);
  });
});

describe('DIAGNOSTIC_CODES', () => {
  test('codes are unique, sorted and grouped with the documented exit codes', () => {
    const codes = DIAGNOSTIC_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    for (const c of DIAGNOSTIC_CODES) {
      expect(c.code).toMatch(/^LMC\d{3}$/);
      expect(c.title.length).toBeGreaterThan(3);
      expect(c.explanation.length).toBeGreaterThan(40);
      const group = c.code[3];
      if (group === '1') expect(c.exit).toBe(ExitCode.MODEL_SYNTAX);
      if (group === '2') expect(c.exit).toBe(ExitCode.MODEL_SEMANTICS);
      if (group === '9') expect(c.exit).toBe(ExitCode.INTERNAL);
    }
    expect(exitCodeOf('LMC001')).toBe(ExitCode.USAGE);
    expect(exitCodeOf('LMC002')).toBe(ExitCode.MODEL_SYNTAX);
    expect(exitCodeOf('LMC003')).toBe(ExitCode.MODEL_SYNTAX);
    expect(exitCodeOf('LMC999')).toBe(ExitCode.INTERNAL);
  });
});

describe('the one table (model/diagnostics.ts)', () => {
  test('is the three groups, each code once; ALL_DIAGNOSTIC_CODES is it in code order', () => {
    expect([...DIAGNOSTIC_TABLE]).toEqual([...DIAGNOSTIC_CODES, ...RULE_DIAGNOSTIC_CODES, ...CHECKER_DIAGNOSTIC_CODES]);
    const codes = DIAGNOSTIC_TABLE.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(ALL_DIAGNOSTIC_CODES.map((c) => c.code)).toEqual([...codes].sort());
    const documented = new Set<number>(EXIT_CODE_DOC.map((e) => e.code));
    for (const c of DIAGNOSTIC_TABLE) {
      expect(c.code).toMatch(/^LMC\d{3}$/);
      expect(documented.has(c.exit), `${c.code} exits ${c.exit}`).toBe(true);
      expect(diagnosticInfo(c.code)).toBe(c);
    }
  });
  test('exitCodeOfDiagnostic is the row\'s exit; a code from outside the table exits by its group', () => {
    for (const c of DIAGNOSTIC_TABLE) expect(exitCodeOfDiagnostic(c.code)).toBe(c.exit);
    const groups: [string, number][] = [['LMC077', 2], ['LMC188', 3], ['LMC299', 4], ['LMC399', 5], ['LMC477', 6], ['LMC555', 70], ['LMC999', 70], ['lmc201', 70], ['', 70]];
    for (const [code, exit] of groups) expect(exitCodeOf(code), code).toBe(exit);
  });
  test('isDiagnosticCode accepts exactly the codes of the table', () => {
    for (const c of DIAGNOSTIC_TABLE) expect(isDiagnosticCode(c.code)).toBe(true);
    for (const s of ['LMC999', 'lmc201', 'LMC20', 'LMC2011', '', 'toString', '__proto__']) expect(isDiagnosticCode(s), s).toBe(false);
  });
});

describe('formatDiagnostic', () => {
  test('compiler style with the source line, a caret under the token and a hint', () => {
    const f = 'fixtures/errors/LMC201-unknown-identifier.model.ts';
    const r = loadModel(f, readFileSync(join(ROOT, f), 'utf8'));
    expect(formatDiagnostic(r.diagnostics[0]!)).toBe(
      [
        "fixtures/errors/LMC201-unknown-identifier.model.ts:12:14: error LMC201: unknown identifier 'foo'",
        '   12 |   mutex_lock(foo);',
        '      |              ^^^',
        '   = hint: declare it at top level, e.g. `const foo = mutex();`',
      ].join('\n'),
    );
  });

  test('without a position: the message and the hint only', () => {
    const d = diagnosticAt('LMC001', 'cannot read model file: no such file', 'x.model.ts', undefined, undefined, 'check the path and its permissions');
    expect(formatDiagnostic(d)).toBe('x.model.ts: error LMC001: cannot read model file: no such file\n= hint: check the path and its permissions');
  });

  test('wide line numbers keep the gutter aligned; tabs become spaces', () => {
    const text = '\n'.repeat(12344) + '\tmutex_lock(x);\n';
    const d = diagnosticAt('LMC201', "unknown identifier 'x'", 'm.model.ts', text, { line: 12345, col: 13, width: 1 }, 'declare it');
    expect(formatDiagnostic(d)).toBe(
      ["m.model.ts:12345:13: error LMC201: unknown identifier 'x'", ' 12345 |  mutex_lock(x);', '       |             ^', '    = hint: declare it'].join('\n'),
    );
  });

  test('a caret never runs past the end of the shown line', () => {
    const d = diagnosticAt('LMC102', 'x', 'f', 'abc\n', { line: 1, col: 2, width: 99 });
    expect(d.caret).toBe(' ^^');
  });
});
