import { describe, expect, it } from 'vitest';
import { defaultCliOptions, exitCodeTable, parseArgs, type ParseResult } from '../../cli/args.js';
import { EXIT_CODE_PRECEDENCE } from '../../checker/exit-codes.js';

const D = defaultCliOptions();

describe('parseArgs: commands and options', () => {
  const ok: [string[], ParseResult][] = [
    [['check'], { command: { kind: 'check', paths: [] }, options: D }],
    [['check', 'a.model.ts', 'dir'], { command: { kind: 'check', paths: ['a.model.ts', 'dir'] }, options: D }],
    [
      ['check', 'x', '--format', 'json', '--bound', '12', '--engine', 'bmc', '--timeout', '2.5', '--max-memory', '512', '--kernel', 'v6.12'],
      { command: { kind: 'check', paths: ['x'] }, options: { ...D, format: 'json', bound: 12, engine: 'bmc', timeoutSeconds: 2.5, maxMemoryMb: 512, kernel: 'v6.12' } },
    ],
    [
      ['check', '--enable', 'a,b', '--enable', 'c', '--disable', 'd', '--preset', 'strict'],
      { command: { kind: 'check', paths: [] }, options: { ...D, enable: ['a', 'b', 'c'], disable: ['d'], preset: 'strict' } },
    ],
    [
      ['check', '--rules', 'r1.json', '--rules', 'r2.json', '--rule-option', 'revoke.pfn-export=locked', '--rule-option', 'own.scope=queue'],
      {
        command: { kind: 'check', paths: [] },
        options: { ...D, rules: ['r1.json', 'r2.json'], ruleOptions: { 'revoke.pfn-export': 'locked', 'own.scope': 'queue' } },
      },
    ],
    [['check', '--config', 'c.json', '--no-color', '--quiet', '-o', 'out.txt'], { command: { kind: 'check', paths: [] }, options: { ...D, config: 'c.json', color: false, quiet: true, output: 'out.txt' } }],
    [['check', '-f', 'sarif', '-q'], { command: { kind: 'check', paths: [] }, options: { ...D, format: 'sarif', quiet: true } }],
    [['lint', 'm.model.ts', '--rules', 'r.json'], { command: { kind: 'lint', paths: ['m.model.ts'] }, options: { ...D, rules: ['r.json'] } }],
    [['dump', 'ir', 'm.model.ts'], { command: { kind: 'dump', what: 'ir', model: 'm.model.ts' }, options: D }],
    [['dump', 'system', 'm.model.ts', '--kernel', 'v6.11'], { command: { kind: 'dump', what: 'system', model: 'm.model.ts' }, options: { ...D, kernel: 'v6.11' } }],
    [['explain', 'LMC201'], { command: { kind: 'explain', id: 'LMC201' }, options: D }],
    [['explain', 'fence-signalling-no-reclaim'], { command: { kind: 'explain', id: 'fence-signalling-no-reclaim' }, options: D }],
    [['rules', '--format', 'json'], { command: { kind: 'rules' }, options: { ...D, format: 'json' } }],
    [['replay', 'm.model.ts', '--schedule', '3f2a9c1d-BQECAwQ'], { command: { kind: 'replay', model: 'm.model.ts', schedule: '3f2a9c1d-BQECAwQ' }, options: D }],
    [['--version'], { command: { kind: 'version' }, options: D }],
    [['-V'], { command: { kind: 'version' }, options: D }],
  ];
  it.each(ok)('%j', (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });
});

describe('parseArgs: usage errors', () => {
  const bad: [string[], string, number][] = [
    [['frob'], "unknown command 'frob'", 2],
    [['check', '--bogus'], "unknown option '--bogus'", 2],
    [['check', '--format', 'xml'], "option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are text, pretty, json, itf, sarif, junit, svg, html.", 2],
    [['lint', '--format', 'svg'], "option '-f, --format <format>' argument 'svg' is invalid. Allowed choices are text, pretty, json, sarif, junit.", 2],
    [['check', '--engine', 'spin'], "option '--engine <engine>' argument 'spin' is invalid. Allowed choices are auto, bmc, explicit, both.", 2],
    [['check', '--bound', 'ten'], "option '--bound <n>' argument 'ten' is invalid. --bound must be an integer.", 2],
    [['check', '--bound', '0'], '--bound 0 is unusable: a bound counts steps and must be at least 1', 6],
    [['check', '--bound', '-3'], '--bound -3 is unusable: a bound counts steps and must be at least 1', 6],
    [['check', '--timeout', '0'], "option '--timeout <seconds>' argument '0' is invalid. --timeout must be a positive number.", 2],
    [['check', '--max-memory', 'lots'], "option '--max-memory <MB>' argument 'lots' is invalid. --max-memory must be a positive number.", 2],
    [['check', '--kernel', 'v5.4'], "option '--kernel <version>' argument 'v5.4' is invalid. Allowed choices are v6.1, v6.6, v6.11, v6.12, v6.13, v7.0.", 2],
    [['check', '--rule-option', 'novalue'], "option '--rule-option <key=value>' argument 'novalue' is invalid. expected key=value, e.g. revoke.pfn-export=locked.", 2],
    [['check', '--enable', ','], "option '--enable <ids>' argument ',' is invalid. expected one or more rule ids.", 2],
    [['check', '--format'], "option '-f, --format <format>' argument missing", 2],
    [['replay', 'm.model.ts'], "required option '--schedule <token>' not specified", 2],
    [['replay', 'm.model.ts', '--schedule', ' '], "--schedule needs the token printed on the report's replay line", 2],
    [['replay'], "required option '--schedule <token>' not specified", 2],
    [['replay', '--schedule', 'abc'], "missing required argument 'model'", 2],
    [['dump', 'cfg', 'm.model.ts'], "command-argument value 'cfg' is invalid for argument 'what'. Allowed choices are ir, system, smt2, fixpoint.", 2],
    [['dump', 'ir'], "missing required argument 'model'", 2],
    [['explain'], "missing required argument 'id'", 2],
    [['explain', 'what is this'], "'what is this' is neither a diagnostic code (LMCnnn) nor a rule id", 2],
    [['rules', 'extra'], "too many arguments for 'rules'. Expected 0 arguments but got 1.", 2],
  ];
  it.each(bad)('%j', (argv, message, exitCode) => {
    expect(parseArgs(argv)).toEqual({ usageError: message, exitCode });
  });

  it('no command: usage error with the help text', () => {
    const r = parseArgs([]);
    expect('usageError' in r && r.usageError).toBe('no command given');
    expect('usageError' in r && r.help).toContain('Exit codes:');
  });
});

describe('help', () => {
  it('--help lists every command and the exit-code table', () => {
    const r = parseArgs(['--help']);
    if (!('command' in r) || r.command.kind !== 'help') throw new Error('expected help');
    for (const c of ['check', 'lint', 'dump', 'explain', 'rules', 'replay']) expect(r.command.text).toContain(`  ${c} `);
    expect(r.command.text).toContain(exitCodeTable());
  });
  it('the exit-code table lists every code once', () => {
    const lines = exitCodeTable().split('\n');
    const codes = lines.slice(1, lines.indexOf('')).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(codes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 70, 130]);
    // The precedence follows the table.
    expect(lines.slice(lines.indexOf('') + 1)).toEqual(EXIT_CODE_PRECEDENCE.map((p) => `  ${p}`));
  });
  it('check --help shows its options', () => {
    const r = parseArgs(['check', '--help']);
    if (!('command' in r) || r.command.kind !== 'help') throw new Error('expected help');
    for (const o of ['--format', '--output', '--engine', '--bound', '--timeout', '--max-memory', '--kernel', '--preset', '--enable', '--disable', '--rules', '--rule-option', '--config', '--no-color', '--quiet']) {
      expect(r.command.text).toContain(o);
    }
  });
});
