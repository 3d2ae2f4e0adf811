/** The gate's subcommands on the command line: `rules` still lists, `rules check` and `rules diff` take their own options. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args.js';

describe('rules subcommands', () => {
  it('keeps `rules` as the listing, with its options', () => {
    const r = parseArgs(['rules', '--format', 'json']);
    expect('command' in r && r.command).toEqual({ kind: 'rules' });
    expect('options' in r && r.options.format).toBe('json');
  });

  it('parses rules check with its paths, --rules and a gate format', () => {
    const r = parseArgs(['rules', 'check', '--rules', 'site.json', 'fixtures/site', '--format', 'json']);
    expect('command' in r && r.command).toEqual({ kind: 'rules-check', paths: ['fixtures/site'], format: 'json' });
    expect('options' in r && r.options.rules).toEqual(['site.json']);
    expect('options' in r && r.options.format).toBeUndefined();
  });

  it('parses rules diff with base, optional head, --model and markdown', () => {
    const r = parseArgs(['rules', 'diff', 'HEAD~1', '--model', 'drivers/x.model.ts', '-f', 'markdown', '-o', 'diff.md']);
    expect('command' in r && r.command).toEqual({ kind: 'rules-diff', base: 'HEAD~1', models: ['drivers/x.model.ts'], format: 'markdown' });
    expect('options' in r && r.options.output).toBe('diff.md');
    const two = parseArgs(['rules', 'diff', 'origin/main', 'HEAD']);
    expect('command' in two && two.command).toEqual({ kind: 'rules-diff', base: 'origin/main', head: 'HEAD', models: [] });
  });

  it('refuses what the subcommands do not take (exit 2)', () => {
    expect(parseArgs(['rules', 'check', '--format', 'markdown'])).toMatchObject({ exitCode: 2 });
    expect(parseArgs(['rules', 'diff'])).toMatchObject({ usageError: "missing required argument 'base'", exitCode: 2 });
  });
});
