/**
 * `@expect violates <rule>/<check> at <line>`: the header parser reads the
 * check and the finding's line, keeps the plain `violates <rule>` for user
 * models, and rejects a malformed tag as LMC211 with a message that says
 * what is wrong. (Whether the rule has that check is the checker's call:
 * tests/fixtures/expectations.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import { parseHeader } from '../../../model/frontend/header.js';

const header = (...tags: string[]) => `/**\n * x\n${tags.map((t) => ` * ${t}\n`).join('')} */\nexport function t() {}\n`;

describe('@expect violates with a check and a line', () => {
  test('rule/check at line, one finding per tag', () => {
    const r = parseHeader(header('@expect violates ww-backoff/slow-while-holding at 19', '@expect violates ww-backoff/slow-while-holding at 30', '@expect violates deadlock/deadlock at 18'));
    expect(r.diagnostics).toEqual([]);
    expect(r.header.expect).toEqual([
      { kind: 'violates', rule: 'ww-backoff', check: 'slow-while-holding', findingLine: 19, line: 3 },
      { kind: 'violates', rule: 'ww-backoff', check: 'slow-while-holding', findingLine: 30, line: 4 },
      { kind: 'violates', rule: 'deadlock', check: 'deadlock', findingLine: 18, line: 5 },
    ]);
  });

  test('the plain forms stay valid: any check at any line, or one check at any line', () => {
    const r = parseHeader(header('@expect violates ww-backoff', '@expect violates deadlock/deadlock'));
    expect(r.diagnostics).toEqual([]);
    expect(r.header.expect).toEqual([
      { kind: 'violates', rule: 'ww-backoff', line: 3 },
      { kind: 'violates', rule: 'deadlock', check: 'deadlock', line: 4 },
    ]);
  });

  test('a check beside holds of another rule is no contradiction; beside holds of its own rule it is', () => {
    expect(parseHeader(header('@expect holds ww-backoff', '@expect violates deadlock/deadlock at 9')).diagnostics).toEqual([]);
    const r = parseHeader(header('@expect holds all', '@expect violates deadlock/deadlock at 9'));
    expect(r.diagnostics.map((d) => d.message)).toEqual(["contradictory @expect tags: 'deadlock' cannot both hold and be violated"]);
  });

  test.each([
    ['@expect violates ww-backoff/lock-after-edeadlk at', "bad @expect tag: 'at' takes one line number, got ''"],
    ['@expect violates ww-backoff/lock-after-edeadlk at 17 18', "bad @expect tag: 'at' takes one line number, got '17 18'"],
    ['@expect violates ww-backoff/lock-after-edeadlk at x', "bad @expect tag: 'at' takes a line number (1 or more), got 'x'"],
    ['@expect violates ww-backoff/lock-after-edeadlk at 0', "bad @expect tag: 'at' takes a line number (1 or more), got '0'"],
    ['@expect violates ww-backoff/lock-after-edeadlk at -3', "bad @expect tag: 'at' takes a line number (1 or more), got '-3'"],
    ['@expect violates ww-backoff/lock-after-edeadlk at 1.5', "bad @expect tag: 'at' takes a line number (1 or more), got '1.5'"],
    ['@expect violates ww-backoff/lock-after-edeadlk at 99999999999999999999', "bad @expect tag: 'at' takes a line number (1 or more), got '99999999999999999999'"],
    ['@expect violates ww-backoff at 17', "bad @expect tag: 'at 17' needs a check: write 'ww-backoff/<check-id> at 17'"],
    ['@expect violates ww-backoff/lock-after-edeadlk line 17', "bad @expect tag: 'violates' takes exactly one rule id (repeat the tag for more)"],
    ['@expect violates ww-backoff/ at 17', "bad @expect tag: '' is not a check id (write <rule-id>/<check-id>)"],
    ['@expect violates ww-backoff/Lock_After at 17', "bad @expect tag: 'Lock_After' is not a check id (write <rule-id>/<check-id>)"],
    ['@expect violates ww-backoff/a/b at 17', "bad @expect tag: 'a/b' is not a check id (write <rule-id>/<check-id>)"],
    ['@expect violates /lock-after-edeadlk at 17', "bad @expect tag: '' is not a rule id"],
    ['@expect violates', "bad @expect tag: 'violates' takes exactly one rule id (repeat the tag for more)"],
    ['@expect violates a, b', "bad @expect tag: 'violates' takes exactly one rule id (repeat the tag for more)"],
  ])('%s is LMC211', (tag, message) => {
    const r = parseHeader(header(tag), 'h.model.ts');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([['LMC211', 3, 4, message]]);
    expect(r.diagnostics[0]!.hint).toContain('`@expect violates <rule-id>/<check-id> at <line>`');
    expect(r.header.expect).toEqual([]);
  });
});

describe('@expect error', () => {
  test('names a code lockmc has', () => {
    expect(parseHeader(header('@expect error LMC201')).header.expect).toEqual([{ kind: 'error', code: 'LMC201', line: 3 }]);
  });
  test('a code lockmc never raises is LMC211, not an expectation no model can meet', () => {
    const r = parseHeader(header('@expect error LMC299'), 'h.model.ts');
    expect(r.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['LMC211', 3, "bad @expect tag: 'error LMC299': lockmc has no diagnostic LMC299 (see `lockmc explain` or docs/diagnostics.md)"],
    ]);
    expect(r.header.expect).toEqual([]);
  });
});
