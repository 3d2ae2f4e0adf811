import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function modelFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      if (relative(ROOT, p) === join('fixtures', 'errors')) continue;
      modelFiles(p, out);
    } else if (e.endsWith('.model.ts')) out.push(p);
  }
  return out;
}

/** Type-check files against model/kernel.d.ts as an editor would; returns `file:line:col: message` lines. */
export function typecheckModels(files: string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
    strict: true,
    // Helpers' instance parameters may be left unannotated in models.
    noImplicitAny: false,
    noEmit: true,
    skipLibCheck: false,
    baseUrl: ROOT,
    paths: { 'lockmc/kernel': ['model/kernel.d.ts'] },
  };
  const program = ts.createProgram(files, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return `TS${d.code}: ${msg}`;
    const lc = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(ROOT, d.file.fileName)}:${lc.line + 1}:${lc.character + 1}: TS${d.code}: ${msg}`;
  });
}

describe('model/kernel.d.ts', () => {
  test('every fixture model type-checks against the kernel vocabulary', () => {
    const files = modelFiles(join(ROOT, 'fixtures'));
    expect(files.length).toBeGreaterThan(0);
    expect(typecheckModels(files)).toEqual([]);
  });

  test('a wrong argument kind is a type error in the editor too', () => {
    const dir = join(ROOT, 'tests', 'model', 'typecheck-cases');
    const errs = typecheckModels([join(dir, 'wrong-kind.ts')]);
    expect(errs.length).toBe(1);
    expect(errs[0]).toMatch(/^tests\/model\/typecheck-cases\/wrong-kind\.ts:7:17: TS2345: Argument of type 'Mutex' is not assignable to parameter of type 'DmaResv'/);
  });
});
