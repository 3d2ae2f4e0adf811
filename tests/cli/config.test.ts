import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig, parseConfig } from '../../cli/config.js';
import { ALL_RULES, applyModelOptions, PRESETS, resolveSelection } from '../../rules/index.js';
import { RULE_DIAGNOSTIC_CODES } from '../../model/diagnostics.js';

const brief = (r: ReturnType<typeof parseConfig>) => r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}${d.hint ? ` [${d.hint}]` : ''}`);

describe('parseConfig', () => {
  it('turns a valid config into a selection and check options', () => {
    const text = JSON.stringify({
      preset: 'strict',
      enable: ['revoke-sequence'],
      disable: ['mp-lifetime'],
      ruleOptions: { 'own.scope': 'per-queue' },
      engine: 'bmc',
      bound: 40,
      timeoutMs: 5000,
      kernel: 'v6.12',
    });
    const r = parseConfig('/proj/lockmc.config.json', text);
    expect(r).toEqual({
      file: '/proj/lockmc.config.json',
      selection: { preset: 'strict', enable: ['revoke-sequence'], disable: ['mp-lifetime'], options: { 'own.scope': 'per-queue' } },
      options: { engine: 'bmc', bound: 40, timeoutMs: 5000, kernel: 'v6.12' },
      diagnostics: [],
    });
  });

  it('names the gate\'s corpus in `models`, resolved against the config\'s folder; anything but strings is LMC302', () => {
    const r = parseConfig('/proj/lockmc.config.json', JSON.stringify({ models: ['drivers/', 'extra/a.model.ts'] }));
    expect(r.models).toEqual(['/proj/drivers', '/proj/extra/a.model.ts']);
    expect(r.diagnostics).toEqual([]);
    const bad = parseConfig('/proj/lockmc.config.json', '{\n  "models": "drivers/"\n}');
    expect(brief(bad)).toEqual(["LMC302 2:13 'models' must be an array of strings"]);
    expect(bad.models).toBeUndefined();
  });

  it('reports bad JSON as LMC300 at the parse position', () => {
    const r = parseConfig('c.json', '{\n  "preset": "all",\n  "enable": [\n    "revoke-sequence",\n  ]\n}');
    expect(r.diagnostics).toEqual([
      {
        code: 'LMC300',
        severity: 'error',
        message: "lockmc.config.json is not valid JSON: unexpected ']'",
        file: 'c.json',
        line: 5,
        col: 3,
        sourceLine: '  ]',
        caret: '  ^',
      },
    ]);
  });

  it('z3 picks the Z3 build of the fixed-point pass: wasm or native, nothing else', () => {
    expect(parseConfig('c.json', '{ "z3": "native" }').options).toEqual({ z3: 'native' });
    expect(parseConfig('c.json', '{ "z3": "wasm" }').options).toEqual({ z3: 'wasm' });
    expect(brief(parseConfig('c.json', '{\n  "z3": "gpu"\n}'))).toEqual([`LMC302 2:9 'z3' must be one of wasm, native`]);
  });

  it('names unknown keys, wrong types, unknown rules, presets and options with positions and suggestions', () => {
    const text = [
      '{',
      '  "preset": "recomended",',
      '  "enable": ["revoke-sequense", "pin-requires-dynamic-and-resv"],',
      '  "disable": ["no-such-thing-at-all-here"],',
      '  "ruleOptions": { "revoke.pfn-exprt": "forbidden", "own.scope": "per-device" },',
      '  "engine": "spin",',
      '  "bound": 0,',
      '  "kernal": "v6.12"',
      '}',
    ].join('\n');
    expect(brief(parseConfig('c.json', text))).toEqual([
      `LMC301 8:3 unknown config key 'kernal' [allowed: preset, enable, disable, ruleFiles, ruleOptions, engine, bound, timeoutMs, kernel, models, kernelConfig, z3]`,
      `LMC302 6:13 'engine' must be one of auto, bmc, explicit, both`,
      `LMC302 7:12 'bound' must be a positive integer`,
      `LMC304 2:13 unknown preset 'recomended' [did you mean 'recommended'?]`,
      `LMC303 3:14 unknown rule 'revoke-sequense' in enable [did you mean 'revoke-sequence'?]`,
      `LMC303 4:15 unknown rule 'no-such-thing-at-all-here' in disable [run \`lockmc rules\` for the list]`,
      `LMC305 5:20 unknown rule option 'revoke.pfn-exprt' [did you mean 'revoke.pfn-export'?]`,
      `LMC306 5:66 rule option 'own.scope' cannot be 'per-device' [allowed: per-queue, per-dmabuf]`,
    ]);
  });

  it('loads rule files relative to the config and validates ids against them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-cfg-'));
    const rule = {
      meta: {
        id: 'local-rule',
        family: 'order',
        severity: 'error',
        summary: 'a local rule',
        rationale: 'a local rationale that is long enough',
        covers: ['ORDER-4'],
        citations: [{ kind: 'kernel', file: 'x.c' }],
        messages: { c: 'm' },
      },
      checks: [{ kind: 'step', id: 'c', on: { op: 'might_sleep' } }],
    };
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'local.json'), JSON.stringify(rule));
    const text = JSON.stringify({ ruleFiles: ['rules/local.json', 'rules/gone.json'], enable: ['local-rule'] });
    const r = parseConfig(join(dir, 'lockmc.config.json'), text);
    expect(r.selection.files).toEqual([join(dir, 'rules', 'local.json'), join(dir, 'rules', 'gone.json')]);
    expect(brief(r)).toEqual([`LMC307 1:34 rule file '${join(dir, 'rules', 'gone.json')}': no such file`]);
  });
});

describe('findConfigFile / loadConfig', () => {
  it('searches from cwd upwards and is silent when there is none', () => {
    const root = mkdtempSync(join(tmpdir(), 'lockmc-find-'));
    const deep = join(root, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(loadConfig(deep)).toEqual(findConfigFile(deep) === undefined ? { selection: {}, options: {}, diagnostics: [] } : loadConfig(deep));
    writeFileSync(join(root, 'lockmc.config.json'), '{"preset": "revoke"}');
    expect(findConfigFile(deep)).toBe(join(root, 'lockmc.config.json'));
    expect(loadConfig(deep)).toEqual({ file: join(root, 'lockmc.config.json'), selection: { preset: 'revoke' }, options: {}, diagnostics: [] });
  });
});

describe('resolveSelection', () => {
  it('defaults to recommended with every declared option at its default', () => {
    const r = resolveSelection({});
    expect(r.diagnostics).toEqual([]);
    expect(r.rules.map((x) => x.meta.id)).toEqual(PRESETS.recommended.rules);
    expect(r.options).toMatchObject({ 'revoke.pfn-export': 'forbidden', 'own.scope': 'per-queue' });
  });

  it('applies preset, enable, disable and options in that order', () => {
    const r = resolveSelection({ preset: 'own', enable: ['phyr-no-struct-page'], disable: ['mp-lifetime'], options: { 'own.scope': 'per-dmabuf' } });
    expect(r.diagnostics).toEqual([]);
    expect(r.rules.map((x) => x.meta.id)).toEqual(['mp-one-provider-per-queue', 'mp-owner-unbinds', 'mp-check-provenance', 'phyr-no-struct-page', 'mp-ownership-transfer']);
    // phyr-no-struct-page declares phyr.struct-page (#14): its default is resolved with the rule.
    expect(r.options).toEqual({ 'own.scope': 'per-dmabuf', 'phyr.struct-page': 'forbid' });
  });

  it('strict picks the strictest side; config options override it', () => {
    expect(resolveSelection({ preset: 'strict' }).options).toMatchObject({ 'own.scope': 'per-dmabuf', 'revoke.pfn-export': 'forbidden' });
    expect(resolveSelection({ preset: 'strict', options: { 'own.scope': 'per-queue' } }).options['own.scope']).toBe('per-queue');
  });

  it('model @rule-option lines override the run, and bad ones are diagnosed', () => {
    const base = resolveSelection({}).options;
    const r = applyModelOptions(base, { 'revoke.pfn-export': 'importer-maps', 'x.y': 'z', 'own.scope': 'nope' }, ALL_RULES, 'm.model.ts');
    expect(r.options['revoke.pfn-export']).toBe('importer-maps');
    expect(r.options['own.scope']).toBe('per-queue');
    expect(r.diagnostics.map((d) => `${d.code} ${d.file} ${d.message}`)).toEqual([
      "LMC305 m.model.ts unknown rule option 'x.y' in @rule-option",
      "LMC306 m.model.ts rule option 'own.scope' cannot be 'nope'",
    ]);
  });
});

describe('LMC3xx codes', () => {
  it('are unique, in the 3xx range, with the documented exit codes', () => {
    const codes = RULE_DIAGNOSTIC_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of RULE_DIAGNOSTIC_CODES) {
      expect(c.code).toMatch(/^LMC3\d\d$/);
      expect(c.explanation.length).toBeGreaterThan(40);
    }
    const exit = Object.fromEntries(RULE_DIAGNOSTIC_CODES.map((c) => [c.code, c.exit]));
    expect(exit).toMatchObject({ LMC300: 2, LMC301: 2, LMC303: 2, LMC305: 2, LMC310: 5, LMC311: 5, LMC320: 5, LMC321: 5, LMC324: 5, LMC325: 5 });
  });
});

describe('user rules in a selection', () => {
  const user = {
    meta: {
      id: 'site-rule',
      family: 'own' as const,
      severity: 'warning' as const,
      summary: 'a site rule',
      rationale: 'a site-specific rationale',
      covers: ['OWN-1'],
      citations: [{ kind: 'kernel' as const, file: 'x.c' }],
      messages: { c: 'm' },
      options: [{ key: 'site.mode', summary: 's', default: 'a', values: [{ value: 'a', summary: 'a' }, { value: 'b', summary: 'b' }] }],
    },
    checks: [{ kind: 'step' as const, id: 'c', on: { op: 'might_sleep' as const } }],
  };

  it('are selected with any preset, can be disabled, and declare options', () => {
    const r = resolveSelection({ preset: 'phyr', options: { 'site.mode': 'b' } }, [user]);
    expect(r.diagnostics).toEqual([]);
    expect(r.rules.map((x) => x.meta.id)).toEqual(['phyr-no-struct-page', 'phyr-dma-mapped-not-remapped', 'site-rule']);
    expect(r.options).toEqual({ 'site.mode': 'b', 'phyr.struct-page': 'forbid' });
    expect(resolveSelection({ preset: 'phyr', disable: ['site-rule'] }, [user]).rules.map((x) => x.meta.id)).toEqual(['phyr-no-struct-page', 'phyr-dma-mapped-not-remapped']);
  });

  it('an option of an unselected built-in rule may still be set (it is declared), an undeclared one may not', () => {
    const r = resolveSelection({ preset: 'phyr', options: { 'own.scope': 'per-dmabuf', 'site.mode': 'a' } });
    expect(r.options).toEqual({ 'own.scope': 'per-dmabuf', 'phyr.struct-page': 'forbid' });
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["LMC305 unknown rule option 'site.mode'"]);
  });
});
