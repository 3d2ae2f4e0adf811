import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INTERNAL_HINT, lockmcVersion, main } from '../../cli/main.js';
import { exitCodeTable } from '../../cli/args.js';
import { fakeIo } from './fake-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'lockmc-main-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('main: exit codes and messages', () => {
  it('--version prints the package version, exit 0', async () => {
    const io = fakeIo();
    expect(await main(['--version'], io)).toBe(0);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'));
    expect(io.stdout).toBe(`${pkg.version}\n`);
    expect(lockmcVersion()).toBe(pkg.version);
  });
  it('--help prints help with the exit-code table, exit 0', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout).toContain(exitCodeTable());
    expect(io.stderr).toBe('');
  });
  it('unknown command: one line, exit 2, no stack', async () => {
    const io = fakeIo();
    expect(await main(['frob'], io)).toBe(2);
    expect(io.stderr).toBe("lockmc: unknown command 'frob'\nTry `lockmc --help`.\n");
    expect(io.stdout).toBe('');
  });
  it('bad format: exit 2', async () => {
    const io = fakeIo();
    expect(await main(['check', '--format', 'xml'], io)).toBe(2);
    expect(io.stderr).toMatch(/^lockmc: option '-f, --format <format>' argument 'xml' is invalid/);
  });
  it('unusable bound: exit 6', async () => {
    const io = fakeIo();
    expect(await main(['check', '--bound', '0'], io)).toBe(6);
  });
  it('no command: exit 2 and the help on stderr', async () => {
    const io = fakeIo();
    expect(await main([], io)).toBe(2);
    expect(io.stderr).toContain('lockmc: no command given');
    expect(io.stderr).toContain('Exit codes:');
  });
  it('a missing path is a usage error', async () => {
    const io = fakeIo({ cwd: tmp });
    expect(await main(['check', 'nope.model.ts'], io)).toBe(2);
    expect(io.stderr).toBe('lockmc: no such file or directory: nope.model.ts\n');
  });
  it('a directory without models is a usage error', async () => {
    mkdirSync(join(tmp, 'empty'), { recursive: true });
    const io = fakeIo({ cwd: tmp });
    expect(await main(['check', 'empty'], io)).toBe(2);
    expect(io.stderr).toBe('lockmc: no *.model.ts files under empty\n');
  });
  it('no path: the *.model.ts files under the cwd, skipping node_modules and dot-directories', async () => {
    const proj = join(tmp, 'proj');
    for (const d of ['models/a', 'node_modules/lockmc/fixtures', '.git', 'models/.hidden']) mkdirSync(join(proj, d), { recursive: true });
    for (const f of ['models/a/x.model.ts', 'top.model.ts', 'node_modules/lockmc/fixtures/y.model.ts', '.git/z.model.ts', 'models/.hidden/w.model.ts']) {
      writeFileSync(join(proj, f), 'export function t() {}\n');
    }
    const { modelFiles } = await import('../../cli/commands/check.js');
    expect(modelFiles([], fakeIo({ cwd: proj }))).toEqual(['models/a/x.model.ts', 'top.model.ts']);
    const io = fakeIo({ cwd: proj });
    expect(await main(['lint', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.stdout).models.map((m: { file: string }) => m.file)).toEqual(['models/a/x.model.ts', 'top.model.ts']);
  });
  it('lint judges @expect error headers as check does: the declared error is as expected, another is not', async () => {
    const proj = join(tmp, 'lint-expect');
    mkdirSync(proj, { recursive: true });
    // LMC102: a construct outside the accepted subset (a class).
    const bad = 'class C {}\n';
    writeFileSync(join(proj, 'declared.model.ts'), `/** @expect error LMC102 */\n${bad}`);
    let io = fakeIo({ cwd: proj });
    expect(await main(['lint', '--format', 'json', 'declared.model.ts'], io)).toBe(0);
    const m = JSON.parse(io.stdout).models[0];
    expect([m.diagnostics.map((d: { code: string }) => d.code), m.expectation.met]).toEqual([['LMC102'], true]);
    writeFileSync(join(proj, 'other.model.ts'), `/** @expect error LMC104 */\n${bad}`);
    io = fakeIo({ cwd: proj });
    expect(await main(['lint', '--format', 'json', 'other.model.ts'], io)).toBe(3);
    expect(JSON.parse(io.stdout).models[0].expectation).toEqual({ met: false, detail: 'expected error LMC104, got LMC102' });
  });
  it('no path and no model under the cwd is a usage error that says where it looked', async () => {
    mkdirSync(join(tmp, 'nomodels', 'node_modules', 'p'), { recursive: true });
    writeFileSync(join(tmp, 'nomodels', 'node_modules', 'p', 'q.model.ts'), 'export function t() {}\n');
    const io = fakeIo({ cwd: join(tmp, 'nomodels') });
    expect(await main(['check'], io)).toBe(2);
    expect(io.stderr).toBe('lockmc: no *.model.ts files under the current directory (node_modules and dot-directories skipped)\n');
  });
  it('an unreadable config file is a usage error', async () => {
    writeFileSync(join(tmp, 'm.model.ts'), 'export function t() {}\n');
    const io = fakeIo({ cwd: tmp });
    expect(await main(['check', 'm.model.ts', '--config', 'missing.json'], io)).toBe(2);
    expect(io.stderr).toBe("lockmc: cannot read config file 'missing.json'\n");
  });
  it('a FIFO as --config is refused at once, not read (a read would block)', async () => {
    writeFileSync(join(tmp, 'm.model.ts'), 'export function t() {}\n');
    execFileSync('mkfifo', [join(tmp, 'cfg.fifo')]);
    const io = fakeIo({ cwd: tmp });
    expect(await main(['check', 'm.model.ts', '--config', 'cfg.fifo'], io)).toBe(2);
    expect(io.stderr).toBe("lockmc: cannot read config file 'cfg.fifo': not a regular file\n");
  });
  it('an unexpected exception is an internal error: message, hint, exit 70, no stack', async () => {
    const io = fakeIo();
    io.out = () => {
      throw new Error('stdout went away');
    };
    expect(await main(['--version'], io)).toBe(70);
    expect(io.stderr).toBe(`lockmc: internal error: stdout went away\n${INTERNAL_HINT}\n`);
    expect(io.stderr).not.toMatch(/\n\s+at /);
  });
  it('LOCKMC_DEBUG=1 adds the stack for internal errors only', async () => {
    const io = fakeIo({ env: { LOCKMC_DEBUG: '1' } });
    io.out = () => {
      throw new Error('boom');
    };
    expect(await main(['--version'], io)).toBe(70);
    expect(io.stderr).toMatch(/\n\s+at /);
  });
});

describe('main: explain and rules', () => {
  it('explain LMCnnn prints title, exit code and explanation', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'lmc201'], io)).toBe(0);
    expect(io.stdout.split('\n')[0]).toBe('LMC201: unknown identifier');
    expect(io.stdout.split('\n')[1]).toBe('exit code: 4');
  });
  it('explain of an unknown code suggests near ones, exit 2', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'LMC999'], io)).toBe(2);
    expect(io.stderr).toMatch(/^lockmc: unknown diagnostic code LMC999/);
  });
  it('explain <rule> prints rationale and citations, at most 72 columns before the model', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'fence-signalling-no-reclaim'], io)).toBe(0);
    expect(io.stdout.split('\n')[0]).toBe('fence-signalling-no-reclaim (fence, error)');
    expect(io.stdout).toContain('kernel references:');
    const before = io.stdout.split('minimal violating model')[0];
    for (const l of before.split('\n')) expect(l.length).toBeLessThanOrEqual(72);
  });
  it('explain of a misspelt rule suggests the right one', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'fence-signaling-no-reclaim'], io)).toBe(2);
    expect(io.stderr).toContain('did you mean fence-signalling-no-reclaim');
  });
  it('rules lists every rule with family and severity', async () => {
    const { ALL_RULES } = await import('../../rules/index.js');
    const io = fakeIo();
    expect(await main(['rules'], io)).toBe(0);
    for (const r of ALL_RULES) expect(io.stdout).toMatch(new RegExp(`^${r.meta.id}\\s+${r.meta.family}\\s+${r.meta.severity}$`, 'm'));
    expect(io.stdout).toContain(`${ALL_RULES.length} rules;`);
    const j = fakeIo();
    expect(await main(['rules', '--format', 'json'], j)).toBe(0);
    expect(JSON.parse(j.stdout).map((r: { id: string }) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
  });
  it('rules refuses formats that make no sense for a table', async () => {
    const io = fakeIo();
    expect(await main(['rules', '--format', 'junit'], io)).toBe(2);
    expect(io.stderr).toBe('lockmc: lockmc rules prints text, pretty or json, not junit\n');
  });
});
