/**
 * Issue #9 item 7 (and item 6's rule file with 300 000 members): config and
 * rule files are data. Prototype-named keys are unknown keys with their
 * line:col, user-chosen names are looked up by own property only, and a
 * file of any size or depth gets a coded diagnostic promptly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { CONFIG_LIMITS, loadConfig, parseConfig } from '../../cli/config.js';
import { RULE_DIAGNOSTIC_CODES } from '../../model/diagnostics.js';
import { PRESETS, resolveSelection } from '../../rules/index.js';
import { parseJsonWithPositions } from '../../model/json/parse.js';
import { loadUserRuleFiles, parseUserRuleFile, RULE_FILE_LIMITS } from '../../checker/rule-files/index.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import { fakeIo } from './fake-io.js';

const PROTO_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const PRESET_LIST = Object.keys(PRESETS).join(', ');

const tmp = mkdtempSync(join(tmpdir(), 'lockmc-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}${d.hint ? ` [${d.hint}]` : ''}`);

/** 1-based line:col of the `nth` (0-based) occurrence of `needle`. */
/** line:col of the value at a JSON path, as the (separately tested) parser records it. */
function at(text: string, path: string): string {
  const p = parseJsonWithPositions(text);
  const loc = p.ok ? p.at(path) : undefined;
  return `${loc?.line}:${loc?.col}`;
}

function posOf(text: string, needle: string, nth = 0): string {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  expect(i, `needle ${needle}`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const RULE = {
  meta: {
    id: 'site-rule',
    family: 'reclaim',
    severity: 'warning',
    summary: 'a site rule',
    rationale: 'a site-specific rationale',
    covers: ['RECLAIM-1'],
    citations: [{ kind: 'kernel', file: 'x.c' }],
    messages: { c: 'm' },
  },
  checks: [{ kind: 'step', id: 'c', on: { op: 'might_sleep' } }],
};

describe('parseJsonWithPositions: keys are data', () => {
  it('a "__proto__" key is an own property, never the prototype', () => {
    const p = parseJsonWithPositions('{"__proto__": {"polluted": true}, "a": {"constructor": 1}}');
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    const v = p.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(v.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: true });
    expect((v.a as Record<string, unknown>).constructor).toBe(1);
    expect(p.keyAt('__proto__')).toEqual({ line: 1, col: 2 });
    expect(p.at('a/constructor')).toEqual({ line: 1, col: 56 });
  });

  it('a duplicate key is an error at the second key, nested too', () => {
    expect(parseJsonWithPositions('{\n  "a": {"x": 1,\n        "x": 2}\n}')).toEqual({ ok: false, message: "duplicate key 'x'", line: 3, col: 9 });
    expect(parseJsonWithPositions('{"__proto__": 1, "__proto__": 2}')).toEqual({ ok: false, message: "duplicate key '__proto__'", line: 1, col: 18 });
  });

  it.each([
    ['// note\n{}', 1, 1, 'comments are not allowed in JSON'],
    ['{"a": 1 /* x */}', 1, 9, 'comments are not allowed in JSON'],
    ['[1, 2,]', 1, 7, "unexpected ']'"],
    ['{"a" 1}', 1, 6, "expected ':', found '1'"],
    ['{"a": 1 "b": 2}', 1, 9, "expected ',' or '}', found '\"'"],
    ['[\u00a01]', 1, 2, "unexpected '\u00a0'"],
    ['{"a": "x\\q"}', 1, 7, 'invalid escape in string'],
    ['[1.]', 1, 2, 'invalid number'],
  ])('rejects %j at %i:%i: %s', (text, line, col, message) => {
    expect(parseJsonWithPositions(text)).toEqual({ ok: false, message, line, col });
  });

  it('a leading byte-order mark is accepted and positions stay those of the file', () => {
    const p = parseJsonWithPositions('\uFEFF{\n  "a": 1}');
    expect(p.ok && p.value).toEqual({ a: 1 });
    expect(p.ok && p.at('a')).toEqual({ line: 2, col: 8 });
  });
});

describe('config: prototype-named keys and values', () => {
  it('are unknown keys, unknown options and an unknown preset, each at its line:col', () => {
    const text = [
      '{',
      '  "__proto__": { "preset": "all" },',
      '  "constructor": 1,',
      '  "toString": "x",',
      '  "ruleOptions": { "__proto__": "x", "hasOwnProperty": "y" },',
      '  "enable": ["valueOf"],',
      '  "preset": "constructor"',
      '}',
    ].join('\n');
    const allowed = 'allowed: preset, enable, disable, ruleFiles, ruleOptions, engine, bound, timeoutMs, kernel, models, kernelConfig, z3';
    const r = parseConfig('c.json', text);
    expect(brief(r.diagnostics)).toEqual([
      `LMC301 2:3 unknown config key '__proto__' [${allowed}]`,
      `LMC301 3:3 unknown config key 'constructor' [${allowed}]`,
      `LMC301 4:3 unknown config key 'toString' [${allowed}]`,
      `LMC304 7:13 unknown preset 'constructor' [presets: ${PRESET_LIST}]`,
      "LMC303 6:14 unknown rule 'valueOf' in enable [run `lockmc rules` for the list]",
      "LMC305 5:20 unknown rule option '__proto__' [options: notifier.fence-wait, revoke.pfn-export, own.scope, phyr.struct-page, revoke.gpu-importers, lockdep.preempt-rt]",
      "LMC305 5:38 unknown rule option 'hasOwnProperty' [options: notifier.fence-wait, revoke.pfn-export, own.scope, phyr.struct-page, revoke.gpu-importers, lockdep.preempt-rt]",
    ]);
    expect(r.selection.preset).toBe('constructor');
    expect(r.options).toEqual({});
    expect(Object.getPrototypeOf(r.selection.options)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).preset).toBeUndefined();
  });

  it('a duplicate key is LMC300 at the second key', () => {
    expect(brief(parseConfig('c.json', '{\n  "preset": "all",\n  "preset": "own"\n}').diagnostics)).toEqual([
      "LMC300 3:3 lockmc.config.json is not valid JSON: duplicate key 'preset'",
    ]);
  });
});

describe('resolveSelection: own-property lookups only', () => {
  it.each(PROTO_NAMES)('%s is an unknown preset, rule and option', (name) => {
    const r = resolveSelection({ preset: name, enable: [name], disable: [name], options: Object.fromEntries([[name, 'x']]) });
    expect(r.diagnostics.map((d) => `${d.code} ${d.message} [${d.hint}]`)).toEqual([
      `LMC304 unknown preset '${name}' [presets: ${PRESET_LIST}]`,
      `LMC303 unknown rule '${name}' in enable [run \`lockmc rules\` for the list]`,
      `LMC303 unknown rule '${name}' in disable [run \`lockmc rules\` for the list]`,
      `LMC305 unknown rule option '${name}' [options: notifier.fence-wait, revoke.pfn-export, own.scope, phyr.struct-page, revoke.gpu-importers, lockdep.preempt-rt]`,
    ]);
    expect(r.rules).toEqual([]);
    expect(Object.getPrototypeOf(r.options)).toBe(Object.prototype);
  });
});

describe('rule files: prototype-named keys', () => {
  it('are unknown fields at their key, in the file, a rule, meta, a check and a predicate', () => {
    const rule = structuredClone(RULE) as Record<string, unknown>;
    const text = JSON.stringify(
      {
        rules: [
          {
            ...rule,
            constructor: 1,
            meta: { ...RULE.meta, toString: 'x' },
            checks: [{ ...RULE.checks[0], hasOwnProperty: true, when: { kind: 'true', valueOf: 0 } }],
          },
        ],
        prototype: [],
      },
      null,
      2,
    ).replace('"prototype"', '"__proto__"');
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC321 ${posOf(text, '"__proto__"')} rule file has unknown field '__proto__' [allowed: rules, order, $schema]`,
      `LMC321 ${posOf(text, '"constructor"')} rule has unknown field 'constructor' [allowed: meta, checks, order]`,
      `LMC321 ${posOf(text, '"toString"')} meta has unknown field 'toString' [allowed: id, family, severity, summary, rationale, covers, citations, messages, options, kernel, hedge, order]`,
      `LMC321 ${posOf(text, '"hasOwnProperty"')} check 'step' has unknown field 'hasOwnProperty' [allowed: kind, id, on, when]`,
      `LMC321 ${posOf(text, '"valueOf"')} predicate 'true' has unknown field 'valueOf' [allowed: kind]`,
    ]);
  });

  it('a check named like an Object.prototype member still needs its own message, and a stray message is reported', () => {
    const rule = structuredClone(RULE) as unknown as { meta: { messages: Record<string, string> }; checks: { id: string }[] };
    rule.checks[0].id = 'toString';
    rule.meta.messages = JSON.parse('{"__proto__": "m"}') as Record<string, string>;
    const text = JSON.stringify(rule, null, 2);
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC325 ${posOf(text, '"toString"')} check 'toString' has no message in meta.messages`,
      `LMC325 ${posOf(text, '"__proto__"')} message '__proto__' belongs to no check`,
    ]);
  });

  it('a rule option key must be dotted kebab-case, which keeps __proto__ out of option tables', () => {
    const rule = structuredClone(RULE) as unknown as { meta: Record<string, unknown> };
    rule.meta.options = [{ key: '__proto__', summary: 's', default: 'a', values: [{ value: 'a', summary: 'a' }, { value: 'b', summary: 'b' }] }];
    const text = JSON.stringify(rule, null, 2);
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC321 ${posOf(text, '"__proto__"')} rule option key '__proto__' must be lower-case words joined by '-' and '.', like revoke.pfn-export`,
    ]);
  });

  it('a rule id named like an Object.prototype member is an ordinary id', () => {
    const rule = structuredClone(RULE);
    rule.meta.id = 'constructor';
    const r = parseUserRuleFile('r.json', JSON.stringify(rule), []);
    expect(r.diagnostics).toEqual([]);
    expect(resolveSelection({ preset: 'phyr', disable: ['constructor'] }, r.rules).rules.map((x) => x.meta.id)).toEqual(['phyr-no-struct-page', 'phyr-dma-mapped-not-remapped']);
    expect(resolveSelection({ preset: 'phyr' }, r.rules).rules.map((x) => x.meta.id)).toEqual(['phyr-no-struct-page', 'phyr-dma-mapped-not-remapped', 'constructor']);
  });
});

const SPLIT = 'split the rule set into several files (--rules is repeatable), or generate fewer rules';

// Timeouts are a safety net only (a loaded 2-core machine); no assertion depends on time.

describe('rule files at any size: a coded diagnostic, promptly', () => {
  it('an array of 300 000 members stops at the 100 001st with LMC328', () => {
    const text = `{"rules": [${Array(300_000).fill('{}').join(',')}]}`;
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC328 1:${12 + 3 * 99_999} rule file is too large to check: more than 100000 members (array elements plus object keys) [${SPLIT}]`,
    ]);
  });

  it('an object of 300 000 keys stops at the 100 001st with LMC328', () => {
    const keys = Array.from({ length: 300_000 }, (_, i) => `"k${i}": 0`);
    const text = `{\n${keys.join(',\n')}\n}`;
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC328 100002:1 rule file is too large to check: more than 100000 members (array elements plus object keys) [${SPLIT}]`,
    ]);
  });

  it('a file of 300 000 rules is refused by its size before it is read', () => {
    const f = join(tmp, 'huge.json');
    const oneRule = '{"meta": {}, "checks": []}';
    writeFileSync(f, `{"rules": [${Array(300_000).fill(oneRule).join(',')}]}`);
    const r = loadUserRuleFiles([f]);
    expect(r.rules).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message.replace(/\d{6,} bytes,/, 'N bytes,')}`)).toEqual([
      'LMC328 1:1 rule file is too large to check: N bytes, more than 4194304 bytes',
    ]);
  });

  it('more than 1 000 rules or 1 000 order pairs: LMC328 at the first one over', () => {
    const rules = Array.from({ length: 1001 }, (_, i) => ({ ...RULE, meta: { ...RULE.meta, id: `r${i}` } }));
    const text = JSON.stringify({ rules }, null, 1);
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC328 ${at(text, 'rules/1000')} rule file has 1001 rules; at most 1000 are allowed per file [${SPLIT}]`,
    ]);
    const order = Array.from({ length: 1200 }, (_, i) => [`a${i}`, `b${i}`]);
    const otext = JSON.stringify({ order });
    expect(brief(parseUserRuleFile('o.json', otext, []).diagnostics)).toEqual([
      `LMC328 ${posOf(otext, '["a1000"')} rule file has 1200 order pairs; at most 1000 are allowed per file [${SPLIT}]`,
    ]);
    // Orders carried by single rules count towards the same limit.
    const carried = JSON.stringify({ rules: [{ ...RULE, order: order.slice(0, 600) }], order: order.slice(600, 1100) });
    expect(brief(parseUserRuleFile('c.json', carried, []).diagnostics)).toEqual([
      `LMC328 ${posOf(carried, '["a1000"')} rule file has 1100 order pairs; at most 1000 are allowed per file [${SPLIT}]`,
    ]);
    const ok = parseUserRuleFile('ok.json', JSON.stringify({ rules: rules.slice(0, 1000), order: order.slice(0, 1000) }), []);
    expect([ok.diagnostics, ok.rules.length, ok.order.length]).toEqual([[], 1000, 1000]);
  });

  it.each([
    ['arrays', '[', ']'],
    ['objects', '{"a":', '}'],
  ])('10 000-deep nested %s: LMC328 at the first level over 200, no stack overflow', (_, open, close) => {
    const text = `{"rules": ${open.repeat(10_000)}${close.repeat(10_000)}}`;
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual([
      `LMC328 1:${11 + 199 * open.length} rule file is too large to check: more than 200 levels of nesting [${SPLIT}]`,
    ]);
  });

  it('a syntax error before the nesting limit is reported as what it is', () => {
    const text = `{"rules": [{"a": 1,}, ${'['.repeat(10_000)}`;
    expect(brief(parseUserRuleFile('r.json', text, []).diagnostics)).toEqual(["LMC320 1:20 rule file is not valid JSON: expected a string, found '}'"]);
  });

  it('lists the first 100 errors of a file and counts the rest in one LMC328 at the first unlisted', () => {
    const keys = Array.from({ length: 250 }, (_, i) => `"x${i}": 0`);
    const text = `{\n${keys.join(',\n')}\n}`;
    const ds = parseUserRuleFile('r.json', text, []).diagnostics;
    expect(ds).toHaveLength(101);
    expect(brief(ds.slice(99))).toEqual([
      "LMC321 101:1 rule file has unknown field 'x99' [allowed: rules, order, $schema]",
      'LMC328 102:1 151 more errors in this file from here on are not listed (at most 100 are) [fix the errors above and run again]',
    ]);
  });

  it('a directory or a FIFO as a rule file is LMC307 at once, never a hang', () => {
    const fifo = join(tmp, 'rules.fifo');
    let haveFifo = true;
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      haveFifo = false;
    }
    const r = loadUserRuleFiles([tmp, ...(haveFifo ? [fifo] : [])]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      `LMC307 rule file '${tmp}': not a regular file`,
      ...(haveFifo ? [`LMC307 rule file '${fifo}': not a regular file`] : []),
    ]);
  });
});

describe('config at any size', () => {
  it('10 000-deep nesting, 20 000 members, a FIFO: LMC308/LMC300, no hang', () => {
    expect(brief(parseConfig('c.json', `{"enable": ${'['.repeat(10_000)}`).diagnostics)).toEqual([
      `LMC308 1:${12 + 63} lockmc.config.json is too large: more than 64 levels of nesting`,
    ]);
    const many = JSON.stringify({ enable: Array.from({ length: 20_000 }, (_, i) => `r${i}`) });
    expect(brief(parseConfig('c.json', many).diagnostics)).toEqual([
      `LMC308 1:${posOf(many, '"r9999"').split(':')[1]} lockmc.config.json is too large: more than 10000 members (array elements plus object keys)`,
    ]);
    const dir = join(tmp, 'fifo-cfg');
    mkdirSync(dir);
    try {
      execFileSync('mkfifo', [join(dir, 'lockmc.config.json')]);
    } catch {
      return;
    }
    expect(brief(loadConfig(dir).diagnostics)).toEqual(['LMC300 undefined:undefined lockmc.config.json cannot be read (not a regular file)']);
  });

  it('a long list of unknown ids is diagnosed whole, suggestions for the first 20 only', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `revoke-sequenc${i}`);
    const ds = resolveSelection({ enable: ids }).diagnostics;
    expect(ds).toHaveLength(5000);
    expect(ds.filter((d) => d.hint?.startsWith('did you mean')).length).toBe(20);
  });
});

describe('registry and command line', () => {
  it('LMC308 exits 2 and LMC328 exits 5; their explanations state the limits in force', () => {
    const byCode = new Map(RULE_DIAGNOSTIC_CODES.map((c) => [c.code, c]));
    expect(byCode.get('LMC308')?.exit).toBe(2);
    expect(byCode.get('LMC328')?.exit).toBe(5);
    const cfg = byCode.get('LMC308')!.explanation;
    expect(CONFIG_LIMITS).toEqual({ maxBytes: 1024 * 1024, maxDepth: 64, maxMembers: 10_000 });
    for (const s of ['1 MiB', '64 levels', '10 000 members']) expect(cfg).toContain(s);
    const rf = byCode.get('LMC328')!.explanation;
    expect(RULE_FILE_LIMITS).toEqual({ json: { maxBytes: 4 * 1024 * 1024, maxDepth: 200, maxMembers: 100_000 }, maxRules: 1000, maxOrders: 1000, maxDiagnostics: 100 });
    for (const s of ['4 MiB', '200 levels', '100 000 members', '1 000 rules', '1 000 order pairs', '100 per file']) expect(rf).toContain(s);
  });

  const model = join('fixtures', 'drivers', 'userptr-notifier-waits-on-job.model.ts');
  it.each([
    [['--preset', 'constructor'], `error LMC304: unknown preset 'constructor'\n  hint: presets: ${PRESET_LIST}`],
    [['--preset', '__proto__'], `error LMC304: unknown preset '__proto__'\n  hint: presets: ${PRESET_LIST}`],
    [['--preset', 'toString'], `error LMC304: unknown preset 'toString'\n  hint: presets: ${PRESET_LIST}`],
    [['--preset', 'hasOwnProperty'], `error LMC304: unknown preset 'hasOwnProperty'\n  hint: presets: ${PRESET_LIST}`],
    [['--preset', 'valueOf'], `error LMC304: unknown preset 'valueOf'\n  hint: presets: ${PRESET_LIST}`],
    [['--enable', 'constructor'], "error LMC303: unknown rule 'constructor' in enable"],
    [['--disable', '__proto__'], "error LMC303: unknown rule '__proto__' in disable"],
    [['--rule-option', 'constructor=x'], "error LMC305: unknown rule option 'constructor'"],
    [['--rule-option', '__proto__=x'], "error LMC305: unknown rule option '__proto__'"],
  ])('check %j is a usage error, exit 2', async (args, message) => {
    for (const cmd of ['check', 'lint']) {
      const io = fakeIo();
      expect(await main([cmd, model, ...args, '--format', 'text', '-q'], io), `${cmd} ${args.join(' ')}\n${io.stdout}${io.stderr}`).toBe(2);
      expect((io.stdout + io.stderr).replace(/\s+/g, ' ')).toContain(message.replace(/\s+/g, ' '));
      expect(io.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
    }
  });

  it('--kernel constructor is a usage error naming the versions, exit 2', async () => {
    const io = fakeIo();
    expect(await main(['check', model, '--kernel', 'constructor'], io)).toBe(2);
    expect(io.stderr).toBe("lockmc: option '--kernel <version>' argument 'constructor' is invalid. Allowed choices are v6.1, v6.6, v6.11, v6.12, v6.13, v7.0.\nTry `lockmc --help`.\n");
  });
});

describe('mangled files', () => {
  it('any mutation of a rule file or config is a coded diagnostic inside the file, never a throw', async () => {
    const fc = await import('fast-check');
    const ruleText = JSON.stringify({ rules: [RULE], order: [['a', 'b']] }, null, 2);
    const configText = JSON.stringify({ preset: 'strict', enable: ['revoke-sequence'], ruleOptions: { 'own.scope': 'per-queue' }, bound: 4 }, null, 2);
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', '/*', '//', '\n', '\u00a0', '\uFEFF', '__proto__', '"constructor": 1', '1e999', '-', 'tru', '\u0000', '[[[[[[[[', '{"a":'];
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), what: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    const apply = (text: string, ms: { kind: 'delete' | 'insert' | 'truncate'; at: number; len?: number; what?: string }[]) => {
      let t = text;
      for (const m of ms) {
        const at = t.length === 0 ? 0 : m.at % (t.length + 1);
        if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + (m.len ?? 1));
        else if (m.kind === 'insert') t = t.slice(0, at) + (m.what ?? '') + t.slice(at);
        else t = t.slice(0, at);
      }
      return t;
    };
    const inside = (text: string, d: Diagnostic) => {
      const lines = text.split('\n');
      return d.line !== undefined && d.col !== undefined && d.line >= 1 && d.line <= lines.length && d.col >= 1 && d.col <= lines[d.line - 1].length + 1;
    };
    fc.assert(
      fc.property(fc.constantFrom('rule', 'config'), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
        const text = apply(which === 'rule' ? ruleText : configText, ms);
        const ds = which === 'rule' ? parseUserRuleFile('r.json', text, []).diagnostics : parseConfig('/nonexistent/lockmc.config.json', text).diagnostics;
        for (const d of ds) {
          expect(d.code).toMatch(/^LMC3\d\d$/);
          expect(inside(text, d), `${d.code} ${d.line}:${d.col} ${d.message}`).toBe(true);
        }
        expect(({} as Record<string, unknown>).constructor).toBe(Object);
      }),
      { numRuns: 1000, seed: 9 },
    );
  });
});

describe('quoting a long line', () => {
  it('quotes 160 characters around the column, with the caret under it', () => {
    const text = `{"rules": [${Array(500).fill('{}').join(',')}, x, ${Array(500).fill('{}').join(',')}]}`;
    const d = parseUserRuleFile('r.json', text, []).diagnostics[0];
    expect([d.code, d.message, d.col]).toEqual(['LMC320', "rule file is not valid JSON: unexpected 'x'", text.indexOf('x') + 1]);
    expect(d.sourceLine).toBe('...' + text.slice(d.col! - 1 - 80, d.col! - 1 + 80) + '...');
    expect(d.sourceLine!.length).toBe(166);
    expect(d.caret).toBe(' '.repeat(83) + '^');
    expect(d.sourceLine![d.caret!.length - 1]).toBe('x');
    // Near the end of the line the window stops at the end.
    const end = `{"rules": [${Array(1000).fill('{}').join(',')}, x]}`;
    const e = parseUserRuleFile('r.json', end, []).diagnostics[0];
    expect(e.sourceLine).toBe('...' + end.slice(-160));
    expect(e.sourceLine![e.caret!.length - 1]).toBe('x');
  });
});
