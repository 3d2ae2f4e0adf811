/**
 * Where a rule file's errors go (a Sink: the file, its positions, the
 * diagnostics listed so far) and the field-level checks every part of the
 * validator reports through. JSON keys are data: every lookup by a key the
 * file chose is own-property-only, so `__proto__` or `constructor` is an
 * unknown field like any other.
 */
import type { Diagnostic, DiagnosticCode } from '../../model/diagnostics.js';
import { contextFrom, joinPath, type JsonParse } from '../../model/json/parse.js';
import { RULE_FILE_LIMITS } from './limits.js';

export const join = joinPath;

export interface Sink {
  file: string;
  text: string;
  parse: Extract<JsonParse, { ok: true }>;
  lineText: (line: number) => string;
  /** The first RULE_FILE_LIMITS.maxDiagnostics errors. */
  diagnostics: Diagnostic[];
  /** Every error, listed or not. */
  errors: number;
  /** Where the first unlisted error is. */
  firstUnlisted?: { line: number; col: number };
  /** `option` predicates seen, checked once every declaration of the file is known. */
  optionUses: { key: string; values: string[]; path: string }[];
}

export function report(s: Sink, code: DiagnosticCode, path: string, message: string, hint?: string, onKey = false): void {
  const loc = (onKey ? s.parse.keyAt(path) : s.parse.at(path)) ?? s.parse.keyAt(path) ?? { line: 1, col: 1 };
  s.errors++;
  if (s.diagnostics.length >= RULE_FILE_LIMITS.maxDiagnostics) {
    s.firstUnlisted ??= loc;
    return;
  }
  const d: Diagnostic = { code, severity: 'error', message, file: s.file, line: loc.line, col: loc.col, ...contextFrom(s.lineText, loc.line, loc.col) };
  if (hint !== undefined) d.hint = hint;
  s.diagnostics.push(d);
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const describeType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** Checks an object's keys: required ones present, no unknown ones. */
export function fields(s: Sink, v: unknown, path: string, what: string, required: string[], optional: string[]): v is Obj {
  if (!isObj(v)) {
    report(s, 'LMC321', path, `${what} must be an object, found ${describeType(v)}`);
    return false;
  }
  for (const k of required) {
    if (!Object.hasOwn(v, k)) report(s, 'LMC321', path, `${what} is missing '${k}'`);
  }
  for (const k of Object.keys(v)) {
    if (!required.includes(k) && !optional.includes(k)) {
      report(s, 'LMC321', join(path, k), `${what} has unknown field '${k}'`, `allowed: ${[...required, ...optional].join(', ')}`, true);
    }
  }
  return true;
}

export function str(s: Sink, v: Obj, key: string, path: string, what: string, required = true): string | undefined {
  const x = v[key];
  if (x === undefined) return undefined; // reported by fields() when required
  if (typeof x !== 'string' || (required && x.length === 0)) {
    report(s, 'LMC321', join(path, key), `${what}.${key} must be a non-empty string, found ${describeType(x)}`);
    return undefined;
  }
  return x;
}

export function bool(s: Sink, v: Obj, key: string, path: string, what: string): void {
  if (v[key] !== undefined && typeof v[key] !== 'boolean') report(s, 'LMC321', join(path, key), `${what}.${key} must be true or false`);
}

export function oneOf(s: Sink, v: Obj, key: string, path: string, what: string, allowed: readonly string[], code: DiagnosticCode = 'LMC323'): void {
  const x = v[key];
  if (x === undefined) return;
  if (typeof x !== 'string' || !allowed.includes(x)) {
    report(s, code, join(path, key), `${what}.${key} '${typeof x === 'string' ? x : describeType(x)}' is not one of ${allowed.join(', ')}`);
  }
}

export function oneOrMany(s: Sink, v: Obj, key: string, path: string, what: string, allowed: readonly string[]): void {
  const x = v[key];
  if (x === undefined) return;
  if (Array.isArray(x)) {
    if (x.length === 0) report(s, 'LMC321', join(path, key), `${what}.${key} must not be empty`);
    x.forEach((e, i) => {
      if (typeof e !== 'string' || !allowed.includes(e)) {
        report(s, 'LMC323', join(join(path, key), i), `${what}.${key}[${i}] '${typeof e === 'string' ? e : describeType(e)}' is not one of ${allowed.join(', ')}`);
      }
    });
  } else {
    oneOf(s, v, key, path, what, allowed);
  }
}

export function stringArray(s: Sink, v: Obj, key: string, path: string, what: string, nonEmpty: boolean): string[] {
  const x = v[key];
  if (x === undefined) return [];
  if (!Array.isArray(x) || x.some((e) => typeof e !== 'string') || (nonEmpty && x.length === 0)) {
    report(s, 'LMC321', join(path, key), `${what}.${key} must be ${nonEmpty ? 'a non-empty' : 'an'} array of strings`);
    return [];
  }
  return x as string[];
}
