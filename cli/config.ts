/**
 * `lockmc.config.json`: found in the working directory or the nearest
 * parent, read as JSON (never executed), validated with positions, and
 * turned into a RuleSelection plus the check options it sets. Config
 * mistakes are usage errors (exit 2); a run never starts on a config it
 * could not read completely. Keys are data: `__proto__` or `constructor`
 * is an unknown key like any other, and a config beyond CONFIG_LIMITS
 * (a config is a dozen lines) is LMC308 rather than a slow start.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic, DiagnosticCode } from '../model/diagnostics.js';
import { isKernelConfig, normaliseKernelConfig, splitKernelConfig } from '../model/kernel-config.js';
import { KERNEL_CONFIGS, KERNEL_VERSIONS, type CheckOptions, type EngineChoice, type RuleSelection } from '../checker/options.js';
import { resolveSelection } from '../rules/index.js';
import { loadUserRuleFiles } from '../checker/rule-files/index.js';
import { readBounded } from '../model/json/read.js';
import { contextFrom, describeLimit, lineIndex, parseJsonWithPositions, pathSeg, type JsonLimits } from '../model/json/parse.js';
import { setOwn } from '../model/json/own-keys.js';

export const CONFIG_FILE_NAME = 'lockmc.config.json';

export const CONFIG_LIMITS: JsonLimits = { maxBytes: 1024 * 1024, maxDepth: 64, maxMembers: 10_000 };

export interface LockmcConfig {
  preset?: string;
  enable?: string[];
  disable?: string[];
  ruleFiles?: string[];
  ruleOptions?: Record<string, string>;
  engine?: EngineChoice;
  bound?: number;
  timeoutMs?: number;
  kernel?: string;
  /** Which Z3 answers the fixed-point pass: `wasm` (default) or `native` (a z3 on PATH). */
  z3?: 'wasm' | 'native';
  /** The corpus of the CI gate besides fixtures/: model files or folders (`rules check`, `rules diff`). */
  models?: string[];
}

export interface ConfigResult {
  /** The config file used, if one was found. */
  file?: string;
  selection: RuleSelection;
  /** Check options the file sets (engine, bound, timeoutMs, kernel). */
  options: Partial<Pick<CheckOptions, 'engine' | 'bound' | 'timeoutMs' | 'kernel' | 'kernelConfig' | 'z3'>>;
  /** `models`: the gate's corpus besides fixtures/, absolute (resolved against the config's folder). */
  models?: string[];
  diagnostics: Diagnostic[];
  /** Set when the file could not be read at all: why (its diagnostic says the same in words). */
  unreadable?: 'no such file' | 'not a regular file' | 'cannot be read';
}

/** The nearest `lockmc.config.json` at or above `cwd`. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const f = join(dir, CONFIG_FILE_NAME);
    if (existsSync(f)) return f;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const KEYS = ['$schema', 'preset', 'enable', 'disable', 'ruleFiles', 'ruleOptions', 'engine', 'bound', 'timeoutMs', 'kernel', 'models', 'kernelConfig', 'z3'];
const ENGINES: EngineChoice[] = ['auto', 'bmc', 'explicit', 'both'];

/**
 * Parse and validate config text. Rule ids and option keys are checked
 * against the built-in rules plus the rules of the config's rule files.
 */
export function parseConfig(file: string, text: string): ConfigResult {
  const out: ConfigResult = { file, selection: {}, options: {}, diagnostics: [] };
  const p = parseJsonWithPositions(text, CONFIG_LIMITS);
  const { lineText } = lineIndex(text);
  const ctx = (line: number, col: number) => contextFrom(lineText, line, col);
  if (!p.ok) {
    out.diagnostics.push({
      code: p.limit === undefined ? 'LMC300' : 'LMC308',
      severity: 'error',
      message: p.limit === undefined ? `${CONFIG_FILE_NAME} is not valid JSON: ${p.message}` : `${CONFIG_FILE_NAME} is too large: ${describeLimit(p.limit, CONFIG_LIMITS)}`,
      file,
      line: p.line,
      col: p.col,
      ...ctx(p.line, p.col),
    });
    return out;
  }
  const err = (code: DiagnosticCode, path: string, message: string, hint?: string, onKey = false) => {
    const loc = (onKey ? p.keyAt(path) : p.at(path)) ?? { line: 1, col: 1 };
    const d: Diagnostic = { code, severity: 'error', message, file, line: loc.line, col: loc.col, ...ctx(loc.line, loc.col) };
    if (hint !== undefined) d.hint = hint;
    out.diagnostics.push(d);
  };
  const v = p.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    err('LMC302', '', `${CONFIG_FILE_NAME} must contain a JSON object`);
    return out;
  }
  const c = v as Record<string, unknown>;
  // Reads below name fixed keys only, none of them an Object.prototype name;
  // anything else the file says is an unknown key here.
  for (const k of Object.keys(c)) if (!KEYS.includes(k)) err('LMC301', pathSeg(k), `unknown config key '${k}'`, `allowed: ${KEYS.slice(1).join(', ')}`, true);

  const strings = (k: string): string[] | undefined => {
    const x = c[k];
    if (x === undefined) return undefined;
    if (!Array.isArray(x) || x.some((e) => typeof e !== 'string')) {
      err('LMC302', k, `'${k}' must be an array of strings`);
      return undefined;
    }
    return x as string[];
  };
  if (c.preset !== undefined) {
    if (typeof c.preset !== 'string') err('LMC302', 'preset', "'preset' must be a string");
    else out.selection.preset = c.preset;
  }
  const enable = strings('enable');
  const disable = strings('disable');
  const ruleFiles = strings('ruleFiles');
  if (enable) out.selection.enable = enable;
  if (disable) out.selection.disable = disable;
  if (ruleFiles) out.selection.files = ruleFiles.map((f) => resolve(dirname(file), f));
  const models = strings('models');
  if (models) out.models = models.map((f) => resolve(dirname(file), f));
  if (c.ruleOptions !== undefined) {
    const ro = c.ruleOptions;
    if (typeof ro !== 'object' || ro === null || Array.isArray(ro)) {
      err('LMC302', 'ruleOptions', "'ruleOptions' must be an object of option = value strings");
    } else {
      const opts: Record<string, string> = {};
      for (const [k, x] of Object.entries(ro)) {
        if (typeof x !== 'string') err('LMC302', `ruleOptions/${pathSeg(k)}`, `rule option '${k}' must be a string`);
        // Kept even when it is `__proto__`: resolveSelection reports it as an unknown option at its key.
        else setOwn(opts, k, x);
      }
      out.selection.options = opts;
    }
  }
  if (c.engine !== undefined) {
    if (typeof c.engine !== 'string' || !ENGINES.includes(c.engine as EngineChoice)) err('LMC302', 'engine', `'engine' must be one of ${ENGINES.join(', ')}`);
    else out.options.engine = c.engine as EngineChoice;
  }
  const posInt = (k: 'bound' | 'timeoutMs') => {
    const x = c[k];
    if (x === undefined) return;
    if (typeof x !== 'number' || !Number.isInteger(x) || x <= 0) err('LMC302', k, `'${k}' must be a positive integer`);
    else out.options[k] = x;
  };
  posInt('bound');
  posInt('timeoutMs');
  if (c.kernel !== undefined) {
    if (typeof c.kernel !== 'string' || !(KERNEL_VERSIONS as readonly string[]).includes(c.kernel)) {
      err('LMC302', 'kernel', `'kernel' must be one of ${KERNEL_VERSIONS.join(', ')}`);
    } else {
      out.options.kernel = c.kernel;
    }
  }
  if (c.z3 !== undefined) {
    if (c.z3 !== 'wasm' && c.z3 !== 'native') err('LMC302', 'z3', "'z3' must be one of wasm, native");
    else out.options.z3 = c.z3;
  }
  if (c.kernelConfig !== undefined) {
    const v = c.kernelConfig;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      err('LMC302', 'kernelConfig', `'kernelConfig' must be an array of kernel config names (${KERNEL_CONFIGS.join(', ')})`);
    } else {
      const names = splitKernelConfig(v as string[]);
      names.forEach((n, i) => {
        if (!isKernelConfig(n)) err('LMC329', `kernelConfig/${i}`, `unknown kernel config '${n}'`, `known: ${KERNEL_CONFIGS.join(', ')}`);
      });
      out.options.kernelConfig = normaliseKernelConfig(names.filter(isKernelConfig));
    }
  }

  // Ids and options can only be judged once the config's own rule files are known.
  const user = loadUserRuleFiles(out.selection.files ?? []);
  for (const d of user.diagnostics) {
    if (d.code === 'LMC307') {
      const i = (ruleFiles ?? []).findIndex((f) => resolve(dirname(file), f) === d.file);
      const loc = p.at(`ruleFiles/${i}`);
      out.diagnostics.push({ ...d, file, ...(loc ? { line: loc.line, col: loc.col, ...ctx(loc.line, loc.col) } : {}) });
    } else {
      out.diagnostics.push(d);
    }
  }
  const resolved = resolveSelection(out.selection, user.rules, { file, at: (path) => p.at(path), keyAt: (path) => p.keyAt(path) });
  for (const d of resolved.diagnostics) {
    out.diagnostics.push(d.line !== undefined ? { ...d, ...ctx(d.line, d.col ?? 1) } : d);
  }
  return out;
}

/** Find, read and validate the config for `cwd`; no file is not an error. */
export function loadConfig(cwd: string = process.cwd()): ConfigResult {
  const file = findConfigFile(cwd);
  if (file === undefined) return { selection: {}, options: {}, diagnostics: [] };
  return loadConfigFile(file);
}

/**
 * Read and validate one config file. A FIFO or device is refused before it
 * is opened (reading one would block), a huge file before it is read.
 */
export function loadConfigFile(file: string): ConfigResult {
  const read = readBounded(file, CONFIG_LIMITS.maxBytes);
  switch (read.kind) {
    case 'text':
      return parseConfig(file, read.text);
    case 'too-large':
      return {
        file,
        selection: {},
        options: {},
        diagnostics: [
          { code: 'LMC308', severity: 'error', message: `${CONFIG_FILE_NAME} is too large: ${read.bytes} bytes, ${describeLimit('bytes', CONFIG_LIMITS)}`, file, line: 1, col: 1 },
        ],
      };
    case 'unreadable':
      return {
        file,
        selection: {},
        options: {},
        unreadable: read.reason,
        diagnostics: [{ code: 'LMC300', severity: 'error', message: `${CONFIG_FILE_NAME} cannot be read (${read.reason})`, file }],
      };
  }
}
