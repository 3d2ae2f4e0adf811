/**
 * Every `npx lockmc …` line of the CI configurations must parse with
 * lockmc's own argument parser (cli/args.ts), with the format and output
 * it names: a config that calls an option lockmc does not have fails here,
 * not in a user's pipeline.
 */
import { expect } from 'vitest';
import { parseArgs } from '../../cli/args.js';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The positionals of `check`: every word after it that is neither an option nor an option's value. */
function checkPaths(argv: string[]): string[] {
  return argv.slice(1).filter((w, i, rest) => !w.startsWith('-') && !(i > 0 && rest[i - 1].startsWith('-')));
}

function expectAccepted(argv: string[]): void {
  const r = parseArgs(argv);
  if ('usageError' in r) throw new Error(`lockmc ${argv.join(' ')}: ${r.usageError}`);
  // `rules diff` keeps its own formats (markdown, sarif…) on the command.
  const format = 'format' in r.command && r.command.format !== undefined ? r.command.format : r.options.format;
  expect(format, argv.join(' ')).toBe(flag(argv, '--format'));
  expect(r.options.output, argv.join(' ')).toBe(flag(argv, '-o'));
  if (argv[0] === 'check') expect(r.command).toEqual({ kind: 'check', paths: checkPaths(argv) });
}

export function expectParses(argv: string[]): void {
  expectAccepted(argv);
}
