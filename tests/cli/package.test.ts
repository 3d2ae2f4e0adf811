/**
 * The package as a user installs it (issue #12 items 9 and 10): packed
 * with `npm pack`, unpacked into a fresh project's node_modules (lockmc's
 * own dependencies linked from this checkout), then used the way the
 * README and docs/api.md say: `lockmc init` writes a tsconfig.json and a
 * model that `tsc` accepts (and a misuse it rejects), the packed CLI
 * checks that model, and the docs/api.md example compiles against the
 * emitted declarations and runs. The packed file list ships what lockmc
 * reads at run time and no bench or test code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INIT_SAMPLE, INIT_TSCONFIG } from '../../cli/commands/init.js';
import { ROOT, ensureBuilt } from './built-cli.js';

const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let dir: string;
let project: string;
let files: string[];

function sh(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LOCKMC_NO_CACHE: '1' }, timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const tsc = (args: string[]) => sh(process.execPath, [TSC, ...args], project);
// The executable package.json's `bin` installs as `lockmc`.
const lockmc = (...args: string[]) => sh(process.execPath, [join(project, 'node_modules', 'lockmc', 'dist', 'cli', 'bin.js'), ...args], project);

/** The fenced block under docs/api.md's `api-example` marker. */
function apiExample(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
  const m = /<!-- api-example:[^>]*-->\n```ts\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/api.md has no api-example block');
  return m[1];
}

beforeAll(() => {
  ensureBuilt();
  // A build from before declarations were emitted has no .d.ts: emit them.
  if (!existsSync(join(ROOT, 'dist', 'checker', 'index.d.ts'))) execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'lockmc-pack-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed[0].files.map((f) => f.path).sort();
  project = join(dir, 'project');
  const nm = join(project, 'node_modules');
  mkdirSync(nm, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', nm]);
  renameSync(join(nm, 'package'), join(nm, 'lockmc'));
  // lockmc's dependencies (and typescript, @types/node), as an install would provide them.
  for (const e of readdirSync(join(ROOT, 'node_modules'))) {
    if (e.startsWith('.') || e === 'lockmc') continue;
    symlinkSync(join(ROOT, 'node_modules', e), join(nm, e));
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-driver-models', private: true, type: 'module' }));
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed file list', () => {
  it('ships the CLI, the API with its declarations, the kernel vocabulary, docs, fixtures and the licence', () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/cli/main.js', 'dist/cli/bin.js', 'dist/checker/index.js', 'dist/checker/index.d.ts', 'model/kernel.d.ts', 'docs/api.md']) {
      expect(files, f).toContain(f);
    }
    // `explain <rule>` and `rules check` read the rules' fixtures at run time; the worker pool its compiled worker.
    expect(files.filter((f) => f.startsWith('fixtures/rules/')).length).toBeGreaterThan(0);
    expect(files).toContain('dist/checker/parallel/worker.js');
  });
  it('ships no bench, test or CI code', () => {
    expect(files.filter((f) => /^(bench|tests|dist\/bench|dist\/tests|\.ci)\//.test(f) || /\.test\.(js|ts|d\.ts)$/.test(f))).toEqual([]);
  });
  it("every `exports` target is in it, and LICENSE matches package.json's licence", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string; types: string; exports: Record<string, string | Record<string, string>> };
    const targets = Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)));
    for (const t of [...targets, pkg.types]) expect(files, t).toContain(t.replace(/^\.\//, ''));
    expect(pkg.exports['.']).toEqual({ types: './dist/checker/index.d.ts', default: './dist/checker/index.js' });
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8').split('\n')[0]).toBe('MIT License');
  });
});

describe('in a user project', () => {
  it('lockmc init writes the tsconfig and a first model, then keeps them', () => {
    const first = lockmc('init');
    expect(first).toEqual({
      status: 0,
      out: [
        'wrote models/tsconfig.json',
        'wrote models/example.model.ts',
        '',
        'Next:',
        '  npx lockmc check models/example.model.ts',
        '  (open the model in an editor: the kernel calls complete and are type-checked)',
        '',
      ].join('\n'),
    });
    expect(readFileSync(join(project, 'models', 'tsconfig.json'), 'utf8')).toBe(INIT_TSCONFIG);
    expect(readFileSync(join(project, 'models', 'example.model.ts'), 'utf8')).toBe(INIT_SAMPLE);
    const again = lockmc('init');
    expect(again.status).toBe(0);
    expect(again.out.split('\n').slice(0, 2)).toEqual(['kept  models/tsconfig.json (it exists; not overwritten)', 'kept  models/example.model.ts (it exists; not overwritten)']);
    expect(lockmc('init', 'package.json')).toEqual({ status: 2, out: "lockmc: cannot init 'package.json': it is a file, not a directory\n" });
  });
  it("tsc accepts the sample against 'lockmc/kernel' and rejects a misuse", () => {
    expect(tsc(['-p', 'models/tsconfig.json'])).toEqual({ status: 0, out: '' });
    writeFileSync(
      join(project, 'models', 'misuse.model.ts'),
      ["import type {} from 'lockmc/kernel';", 'const job = dma_fence();', 'export function t() {', '  mutex_lock(job);', '  mutex_lokc(job);', '}', ''].join('\n'),
    );
    try {
      const r = tsc(['-p', 'models/tsconfig.json']);
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/models\/misuse\.model\.ts\(4,14\): error TS2345: Argument of type 'DmaFence' is not assignable to parameter of type '[A-Za-z]+'/);
      expect(r.out).toMatch(/models\/misuse\.model\.ts\(5,3\): error TS2552: Cannot find name 'mutex_lokc'\. Did you mean 'mutex_lock'\?/);
    } finally {
      rmSync(join(project, 'models', 'misuse.model.ts'));
    }
  });
  it('the packed CLI checks the sample: it holds', () => {
    const r = lockmc('check', 'models/example.model.ts', '--format', 'json');
    expect(r.status, r.out).toBe(0);
    const report = JSON.parse(r.out) as { models: { expectation?: { met: boolean }; verdicts: { status: string }[] }[] };
    expect(report.models[0].expectation?.met).toBe(true);
    expect(report.models[0].verdicts.filter((v) => v.status === 'violated')).toEqual([]);
  });
  it("docs/api.md's example type-checks against the emitted declarations and runs", () => {
    writeFileSync(join(project, 'api-example.ts'), apiExample());
    const config = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], outDir: 'out' }, files: ['api-example.ts'] };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(config));
    expect(tsc(['-p', 'tsconfig.json'])).toEqual({ status: 0, out: '' });
    const run = sh(process.execPath, [join(project, 'out', 'api-example.js')], project);
    expect(run).toEqual({ status: 0, out: '' });
  });
  it("the API's types are real, not any: a wrong use fails to compile", () => {
    writeFileSync(
      join(project, 'wrong.ts'),
      ["import { check, DEFAULT_CHECK_OPTIONS } from 'lockmc';", 'const r = await check([{ file: 1 }], DEFAULT_CHECK_OPTIONS);', 'export const n: string = r.exitCode;', ''].join('\n'),
    );
    const config = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], noEmit: true, skipLibCheck: true }, files: ['wrong.ts'] };
    writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify(config));
    const r = tsc(['-p', 'tsconfig.wrong.json']);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("wrong.ts(2,26): error TS2322: Type 'number' is not assignable to type 'string'.");
    expect(r.out).toContain("wrong.ts(3,14): error TS2322: Type 'number' is not assignable to type 'string'.");
  });
});
