/**
 * Colour (issue #12 item 9): --color and FORCE_COLOR colour the report
 * even through a pipe (the default format becomes `pretty`: `text` is
 * never coloured), --no-color and NO_COLOR keep it out, the command line
 * beats the environment. The table is checked in-process; the built CLI
 * through a real pipe, as `lockmc check | less -R` would read it.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArgs, type CliOptions } from '../../cli/args.js';
import { forceColorEnv, useColor } from '../../cli/io.js';
import { renderContext, resolveFormat } from '../../cli/shared.js';
import { BIN, ROOT, ensureBuilt } from './built-cli.js';
import { fakeIo } from './fake-io.js';

function options(...flags: string[]): CliOptions {
  const p = parseArgs(['check', ...flags]);
  if ('usageError' in p) throw new Error(p.usageError);
  return p.options;
}

describe('which colour and format, in-process', () => {
  // [flags, env, stdout a TTY] -> [colour, default format]
  const cases: [string[], Record<string, string>, boolean, boolean, string][] = [
    [[], {}, false, false, 'text'],
    [[], {}, true, true, 'pretty'],
    [['--color'], {}, false, true, 'pretty'],
    [['--no-color'], {}, true, false, 'pretty'],
    [[], { FORCE_COLOR: '1' }, false, true, 'pretty'],
    [[], { FORCE_COLOR: '' }, false, true, 'pretty'],
    [[], { FORCE_COLOR: '3' }, false, true, 'pretty'],
    [[], { FORCE_COLOR: '0' }, true, false, 'pretty'],
    [[], { FORCE_COLOR: 'false' }, false, false, 'text'],
    [['--no-color'], { FORCE_COLOR: '1' }, false, false, 'text'],
    [[], { NO_COLOR: '1' }, true, false, 'pretty'],
    [[], { NO_COLOR: '1', FORCE_COLOR: '1' }, false, false, 'text'],
    [['--color'], { NO_COLOR: '1' }, false, true, 'pretty'],
  ];
  it.each(cases)('%j %j tty=%s: colour %s, format %s', (flags, env, tty, colour, format) => {
    const io = fakeIo({ env, stdoutIsTTY: tty });
    const cli = options(...flags);
    expect(renderContext(io, cli).color).toBe(colour);
    expect(resolveFormat(cli, io)).toBe(format);
  });
  it('--output is never coloured and keeps text as its default', () => {
    const io = fakeIo({ env: { FORCE_COLOR: '1' } });
    const cli = options('--color', '-o', 'r.txt');
    expect(renderContext(io, cli).color).toBe(false);
    expect(resolveFormat(cli, io)).toBe('text');
  });
  it('an explicit format stays: --color --format text is plain text', () => {
    const io = fakeIo();
    expect(resolveFormat(options('--color', '--format', 'text'), io)).toBe('text');
  });
  it('reads FORCE_COLOR as chalk does', () => {
    expect(['', 'true', '1', '2', '3', 'yes', 'false', '0', undefined].map((v) => forceColorEnv(fakeIo({ env: { FORCE_COLOR: v } })))).toEqual([
      true, true, true, true, true, true, false, false, undefined,
    ]);
    expect(useColor(fakeIo({ env: { FORCE_COLOR: '0' } }), true, true)).toBe(true);
  });
  it('--color and --no-color parse on check, lint and merge', () => {
    for (const cmd of [['check'], ['lint'], ['merge', 'a.json']]) {
      const on = parseArgs([...cmd, '--color']);
      const off = parseArgs([...cmd, '--no-color']);
      if ('usageError' in on || 'usageError' in off) throw new Error(cmd.join(' '));
      expect([on.options.forceColor, on.options.color, off.options.forceColor, off.options.color], cmd[0]).toEqual([true, true, undefined, false]);
    }
  });
});

describe('the built CLI through a pipe', () => {
  beforeAll(ensureBuilt);
  const MODEL = 'fixtures/rules/lockdep-circular-dependency/violates-abba-driver-locks.model.ts';
  const run = (flags: string[], env: Record<string, string>) => {
    const base = { ...process.env };
    delete base.FORCE_COLOR;
    delete base.NO_COLOR;
    return spawnSync(process.execPath, [BIN, 'check', MODEL, '--no-cache', '--quiet', ...flags], { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } });
  };
  const ESC = /\x1b\[[0-9;]*m/;
  it.each([
    [[], {}, false],
    [['--color'], {}, true],
    [[], { FORCE_COLOR: '1' }, true],
    [[], { FORCE_COLOR: '0' }, false],
    [['--no-color'], { FORCE_COLOR: '1' }, false],
    [['--color'], { NO_COLOR: '1' }, true],
  ] as [string[], Record<string, string>, boolean][])('%j %j: coloured %s', (flags, env, coloured) => {
    const r = run(flags, env);
    expect(r.status, r.stderr).toBe(0);
    expect(ESC.test(r.stdout)).toBe(coloured);
    // The same report either way: the colour is the only difference.
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toContain('WARNING: possible circular locking dependency detected');
  });
});
