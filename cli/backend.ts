/**
 * The parts of lockmc the CLI drives but does not own, loaded lazily.
 *
 * Lazy for two reasons: `lockmc --help` and `lockmc rules` should not pay
 * for ts-morph and z3 at start-up, and a build where a module is still
 * missing (the tree is assembled by several people) must still run the
 * commands that do not need it, saying plainly what is unavailable rather
 * than crashing. Only "module not found" for the module itself counts as
 * unavailable; any other failure is a real error and propagates.
 */

import type { Diagnostic } from '../model/diagnostics.js';
import type { ExtractedModel } from '../model/ir.js';
import type { CheckOptions, Progress } from '../checker/options.js';
import type { ModelReport, Report } from '../checker/report.js';

export interface LoadResult {
  extracted?: ExtractedModel;
  diagnostics: Diagnostic[];
}

export interface CheckerApi {
  check(
    inputs: { file: string; text?: string }[],
    options: CheckOptions,
    onProgress?: (p: Progress) => void,
    control?: { signal?: AbortSignal; onModel?: (m: ModelReport) => void },
  ): Promise<Report>;
  replay(file: string, token: string, options: CheckOptions): Promise<Report>;
  /** Rule selection, for the report of an interrupted run (cli/interrupt.ts). */
  resolveRules?: (options: CheckOptions) => { rules: { meta: { id: string } }[]; hash: string };
  /** checker/index.ts `ruleSetSelfCheck`; absent in a build that predates it. */
  ruleSetSelfCheck?: (options: CheckOptions) => Promise<Diagnostic[]>;
}

async function optionalImport(spec: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { url?: string };
    const missing = err.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Does the file exist/.test(String(err.message));
    // Only the module itself being absent counts; a missing dependency of
    // a present module is a real bug.
    if (missing && String(err.message).includes(spec.replace(/^\.\.\//, '').replace(/\.js$/, ''))) return undefined;
    throw e;
  }
}

export async function loadChecker(): Promise<CheckerApi | undefined> {
  const m = await optionalImport('../checker/index.js');
  if (!m || typeof m.check !== 'function') return undefined;
  return m as unknown as CheckerApi;
}

/** checker/engines/bmc/isolated.ts `killBmcChildren`: ends the Z3 worker of an interrupted run. */
export async function loadBmcKiller(): Promise<(() => void) | undefined> {
  const m = await optionalImport('../checker/engines/bmc/isolated.js');
  return m && typeof m.killBmcChildren === 'function' ? (m.killBmcChildren as () => void) : undefined;
}

type LoadModelFn = (file: string, text?: string) => unknown;

export async function loadFrontEnd(): Promise<((file: string, text?: string) => Promise<LoadResult>) | undefined> {
  const m = await optionalImport('../model/index.js');
  if (!m || typeof m.loadModel !== 'function') return undefined;
  const fn = m.loadModel as LoadModelFn;
  return async (file, text) => normaliseLoad(await fn(file, text));
}

/** Accept the shapes a front end may reasonably return. */
export function normaliseLoad(r: unknown): LoadResult {
  const o = (r ?? {}) as Record<string, unknown>;
  const diagnostics = Array.isArray(o.diagnostics) ? (o.diagnostics as Diagnostic[]) : [];
  if (o.model && o.sourceMap) return { extracted: { model: o.model, sourceMap: o.sourceMap } as ExtractedModel, diagnostics };
  const ex = (o.extracted ?? o.result) as ExtractedModel | undefined;
  if (ex && ex.model && ex.sourceMap) return { extracted: ex, diagnostics };
  return { diagnostics };
}

export type SystemDump = { ok: true; json: string; text: string } | { ok: false; diagnostics: Diagnostic[] };

/**
 * The transition system of one model, compiled with the selected rules
 * exactly as `check` compiles it (checker/check-model.ts `prepareModel`),
 * rendered by checker/semantics/dump.ts.
 */
export async function loadSystemDumper(): Promise<((file: string, text: string, options: CheckOptions) => Promise<SystemDump>) | undefined> {
  const dump = await optionalImport('../checker/semantics/dump.js');
  const prep = await optionalImport('../checker/check-model.js');
  const index = await optionalImport('../checker/index.js');
  if (!dump || !prep || !index) return undefined;
  const { dumpSystemJson, dumpSystemText } = dump as { dumpSystemJson?: (ts: unknown) => string; dumpSystemText?: (ts: unknown, model?: unknown) => string };
  const { prepareModel } = prep as { prepareModel?: (...a: unknown[]) => unknown };
  const { resolveRules } = index as { resolveRules?: (o: CheckOptions) => { diagnostics: Diagnostic[] } };
  if (typeof dumpSystemJson !== 'function' || typeof dumpSystemText !== 'function' || typeof prepareModel !== 'function' || typeof resolveRules !== 'function') {
    return undefined;
  }
  return async (file, text, options) => {
    const rules = resolveRules(options);
    if (rules.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: rules.diagnostics };
    const r = (await prepareModel(file, text, options, rules)) as { prepared?: { ts: unknown; model: unknown }; report?: { diagnostics: Diagnostic[] } };
    if (!r.prepared) return { ok: false, diagnostics: r.report?.diagnostics ?? [] };
    return { ok: true, json: dumpSystemJson(r.prepared.ts), text: dumpSystemText(r.prepared.ts, r.prepared.model) };
  };
}
