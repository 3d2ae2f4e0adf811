/**
 * A CI config's lockmc command must be one lockmc's own argument parser
 * (cli/args.ts `parseArgs`) accepts, with the format and output file the
 * config relies on. Issue #11 lands `--shard`, `merge` and `rules diff` in
 * parallel branches: until a piece has landed, today's parser refuses the
 * command with exactly the message in PENDING (and the rest of the
 * command must parse), so the test says which piece is missing; once it
 * lands, the same command simply parses and PENDING's entry is dead.
 * NOTE for the lead: after merging h-parallel and h-gate, delete the
 * PENDING entries (nothing should reach them).
 */
import { expect } from 'vitest';
import { parseArgs } from '../../cli/args.js';

interface Pending {
  what: string;
  applies: (argv: string[]) => boolean;
  /** What today's parser says. */
  usageError: string;
  /** The command without the pending piece, which must parse today (none when the whole command is pending). */
  without?: (argv: string[]) => string[];
}

const PENDING: Pending[] = [
  {
    what: 'check --shard i/n (h-parallel)',
    applies: (a) => a[0] === 'check' && a.includes('--shard'),
    usageError: "unknown option '--shard'",
    without: (a) => a.filter((_, i) => a[i] !== '--shard' && a[i - 1] !== '--shard'),
  },
  { what: 'merge (h-parallel)', applies: (a) => a[0] === 'merge', usageError: "unknown command 'merge'" },
  {
    what: 'rules diff --format markdown (h-gate)',
    applies: (a) => a[0] === 'rules' && a[1] === 'diff',
    usageError: "option '-f, --format <format>' argument 'markdown' is invalid. Allowed choices are text, pretty, json, sarif, junit.",
  },
];

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
  expect(r.options.format, argv.join(' ')).toBe(flag(argv, '--format'));
  expect(r.options.output, argv.join(' ')).toBe(flag(argv, '-o'));
  if (argv[0] === 'check') expect(r.command).toEqual({ kind: 'check', paths: checkPaths(argv) });
}

export function expectParses(argv: string[]): void {
  const r = parseArgs(argv);
  if (!('usageError' in r)) return expectAccepted(argv);
  const pending = PENDING.find((p) => p.applies(argv));
  if (!pending) throw new Error(`lockmc ${argv.join(' ')}: ${r.usageError}`);
  expect(r, `${pending.what} not landed yet`).toEqual({ usageError: pending.usageError, exitCode: 2 });
  if (pending.without) expectAccepted(pending.without(argv));
}
