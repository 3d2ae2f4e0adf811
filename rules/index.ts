/**
 * Rule selection over the registry (rules/registry.ts): the presets derived
 * from rule metadata, and the resolution of a RuleSelection (preset +
 * enable/disable + options) into the rules and option values a check runs with.
 *
 * Every name looked up here comes from a user (command line, config, rule
 * file), so every table is looked up by own property or through a Map:
 * `--preset constructor` is an unknown preset, never Object's constructor.
 */
import type { Diagnostic, DiagnosticCode } from '../model/diagnostics.js';
import type { Rule, RuleFamily, RuleOptionDecl, RuleSelection } from './types.js';
import { lookupOwn, setOwn } from '../model/json/own-keys.js';
import { ALL_RULES } from './registry.js';
import { FAMILIES } from './schema.js';

export { ALL_RULES };

/** Every family, in preset order (the schema's list, which is kept exhaustive against RuleFamily). */
export const RULE_FAMILIES: RuleFamily[] = [...FAMILIES];

export function getRule(id: string, extra: Rule[] = []): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id) ?? extra.find((r) => r.meta.id === id);
}

export interface Preset {
  name: string;
  summary: string;
  rules: string[];
  /** Option values the preset picks (overridable by config, CLI and model). */
  options: Record<string, string>;
}

/**
 * The strictest side of each debated option; `strict` selects these.
 * Options of other rules not named here keep their default.
 */
const STRICTEST_OPTION_VALUES = new Map<string, string>([
  ['revoke.pfn-export', 'forbidden'],
  ['own.scope', 'per-dmabuf'],
  ['notifier.fence-wait', 'never'],
  ['revoke.gpu-importers', 'reject'],
  ['phyr.struct-page', 'forbid'],
  ['lockdep.preempt-rt', 'on'],
]);

function buildPresets(rules: Rule[]): Record<string, Preset> {
  const ids = (rs: Rule[]) => rs.map((r) => r.meta.id);
  const strictOptions: Record<string, string> = {};
  for (const d of declaredOptions(rules).values()) {
    const v = STRICTEST_OPTION_VALUES.get(d.key);
    if (v !== undefined && d.values.some((x) => x.value === v)) strictOptions[d.key] = v;
  }
  const presets: Record<string, Preset> = {
    recommended: {
      name: 'recommended',
      summary: 'every rule of severity error, debated rules at their default position',
      rules: ids(rules.filter((r) => r.meta.severity === 'error')),
      options: {},
    },
    all: { name: 'all', summary: 'every rule, warnings included', rules: ids(rules), options: {} },
    strict: {
      name: 'strict',
      summary: 'every rule, debated rules at their strictest position',
      rules: ids(rules),
      options: strictOptions,
    },
  };
  for (const f of RULE_FAMILIES) {
    presets[f] = {
      name: f,
      summary: `the ${f} family only`,
      rules: ids(rules.filter((r) => r.meta.family === f)),
      options: {},
    };
  }
  return presets;
}

export const PRESETS: Record<string, Preset> = buildPresets(ALL_RULES);

/** Every option key declared by the given rules, with its declaration. */
export function declaredOptions(rules: Rule[]): Map<string, RuleOptionDecl> {
  const m = new Map<string, RuleOptionDecl>();
  for (const r of rules) for (const o of r.meta.options ?? []) if (!m.has(o.key)) m.set(o.key, o);
  return m;
}

export interface ResolvedSelection {
  rules: Rule[];
  /** Every option declared by a selected rule, with its value (default filled in). */
  options: Record<string, string>;
  diagnostics: Diagnostic[];
}

/** Where a selection came from, for diagnostics (`lockmc.config.json`, `--enable`). */
export interface SelectionOrigin {
  file?: string;
  /** Position of a key in `file`, by JSON path (`enable/2`, `ruleOptions/own.scope`). */
  at?: (path: string) => { line: number; col: number } | undefined;
  /** Position of the key itself (for unknown-key diagnostics). */
  keyAt?: (path: string) => { line: number; col: number } | undefined;
}

function diag(code: DiagnosticCode, message: string, origin: SelectionOrigin | undefined, path: string, hint?: string, onKey = false): Diagnostic {
  const d: Diagnostic = { code, severity: 'error', message };
  if (origin?.file !== undefined) d.file = origin.file;
  const pos = onKey ? (origin?.keyAt ?? origin?.at)?.(path) : origin?.at?.(path);
  if (pos) {
    d.line = pos.line;
    d.col = pos.col;
  }
  if (hint !== undefined) d.hint = hint;
  return d;
}

/** Closest id by edit distance, for "did you mean". */
function suggest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagPrev = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagPrev + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagPrev = tmp;
    }
  }
  return prev[b.length];
}

/**
 * Preset, then enable, then disable; rules from user rule files (`extra`)
 * are always selected unless disabled. Options: defaults of the selected
 * rules, then the preset's, then `selection.options`.
 */
export function resolveSelection(selection: RuleSelection, extra: Rule[] = [], origin?: SelectionOrigin): ResolvedSelection {
  const diagnostics: Diagnostic[] = [];
  const known = [...ALL_RULES, ...extra];
  const knownIds = known.map((r) => r.meta.id);
  const presets = PRESETS;
  const presetName = selection.preset ?? 'recommended';
  const preset = lookupOwn(presets, presetName);
  const chosen = new Set<string>();
  if (preset === undefined) {
    const s = suggest(presetName, Object.keys(presets));
    diagnostics.push(
      diag('LMC304', `unknown preset '${presetName}'`, origin, 'preset', s ? `did you mean '${s}'?` : `presets: ${Object.keys(presets).join(', ')}`),
    );
  } else {
    for (const id of preset.rules) chosen.add(id);
  }
  for (const r of extra) chosen.add(r.meta.id);
  const knownSet = new Set(knownIds);
  // Suggestions cost an edit distance per known id: a generated list of
  // thousands of unknown ids gets them for the first few only.
  let suggestions = 20;
  const checkIds = (list: string[] | undefined, key: 'enable' | 'disable') => {
    (list ?? []).forEach((id, i) => {
      if (!knownSet.has(id)) {
        const s = suggestions-- > 0 ? suggest(id, knownIds) : undefined;
        diagnostics.push(diag('LMC303', `unknown rule '${id}' in ${key}`, origin, `${key}/${i}`, s ? `did you mean '${s}'?` : 'run `lockmc rules` for the list'));
      }
    });
  };
  checkIds(selection.enable, 'enable');
  checkIds(selection.disable, 'disable');
  for (const id of selection.enable ?? []) if (knownSet.has(id)) chosen.add(id);
  for (const id of selection.disable ?? []) chosen.delete(id);
  const rules = known.filter((r) => chosen.has(r.meta.id));

  const decls = declaredOptions(known);
  const options: Record<string, string> = {};
  for (const d of declaredOptions(rules).values()) setOwn(options, d.key, d.default);
  const setOption = (key: string, value: string, path: string) => {
    const d = decls.get(key);
    if (d === undefined) {
      const s = suggestions-- > 0 ? suggest(key, [...decls.keys()]) : undefined;
      diagnostics.push(diag('LMC305', `unknown rule option '${key}'`, origin, path, s ? `did you mean '${s}'?` : `options: ${[...decls.keys()].join(', ')}`, true));
      return;
    }
    if (!d.values.some((v) => v.value === value)) {
      diagnostics.push(
        diag('LMC306', `rule option '${key}' cannot be '${value}'`, origin, path, `allowed: ${d.values.map((v) => v.value).join(', ')}`),
      );
      return;
    }
    setOwn(options, key, value);
  };
  if (preset) for (const [k, v] of Object.entries(preset.options)) if (decls.has(k)) setOwn(options, k, v);
  for (const [k, v] of Object.entries(selection.options ?? {})) setOption(k, v, `ruleOptions/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  return { rules, options, diagnostics };
}

/**
 * A model's `@rule-option` lines override the run's options for that
 * model only; unknown keys or values are reported like config ones.
 */
export function applyModelOptions(
  resolved: Record<string, string>,
  modelOptions: Record<string, string>,
  rules: Rule[],
  file?: string,
  /** Where each tag was written (the header's `ruleOptionAt`): the diagnostic points at its line. */
  at?: Record<string, { line: number; col: number }>,
): { options: Record<string, string>; diagnostics: Diagnostic[] } {
  const decls = declaredOptions([...ALL_RULES, ...rules]);
  const options = { ...resolved };
  const diagnostics: Diagnostic[] = [];
  for (const [k, v] of Object.entries(modelOptions)) {
    const d = decls.get(k);
    const pos = at && Object.prototype.hasOwnProperty.call(at, k) ? at[k] : undefined;
    const base: Partial<Diagnostic> = { ...(file !== undefined ? { file } : {}), ...(pos ? { line: pos.line, col: pos.col } : {}) };
    if (d === undefined) {
      diagnostics.push({ ...base, code: 'LMC305', severity: 'error', message: `unknown rule option '${k}' in @rule-option` });
    } else if (!d.values.some((x) => x.value === v)) {
      diagnostics.push({
        ...base,
        code: 'LMC306',
        severity: 'error',
        message: `rule option '${k}' cannot be '${v}'`,
        hint: `allowed: ${d.values.map((x) => x.value).join(', ')}`,
      });
    } else {
      options[k] = v;
    }
  }
  return { options, diagnostics };
}
