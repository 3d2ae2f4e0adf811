/**
 * The difference two rule sets make on one corpus, as pure data: each
 * side's Report (the corpus read at that side) in, the per model × rule
 * changes and the header gate out. No I/O here; cli/commands/rules-diff.ts
 * reads the sides and runs the checker.
 */
import { parseHeader } from '../../model/frontend/header.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import { combineExitCodes, diagnosticExitCode, ExitCode, type ExitCodeValue } from '../exit-codes.js';
import type { ModelReport, Report, Verdict } from '../report.js';
import { GATE_SCHEMA_VERSION, type DiffSide, type HeaderCheck, type PairChange, type PairDiff, type PairFinding, type PairStatus, type RulesDiff } from './types.js';

/** One side, checked: its report and the text of each model as read at that side. */
export interface SideRun {
  side: Omit<DiffSide, 'models' | 'cache'>;
  report: Report;
  /** Model path (relative, the report's `file`) -> text at this side. */
  texts: Map<string, string>;
}

export function statusOf(v: Verdict | undefined, m: ModelReport | undefined): PairStatus {
  if (m === undefined) return 'absent';
  if (v === undefined) return m.diagnostics.some((d) => d.severity === 'error') ? 'error' : 'absent';
  switch (v.status) {
    case 'violated':
      return 'violated';
    case 'proved':
    case 'holds-up-to':
    // Vacuous, but a hold all the same: a rule becoming applicable and holding is no flip.
    case 'not-applicable':
      return 'holds';
    case 'skipped':
      return 'skipped';
    case 'inconclusive':
      return 'inconclusive';
  }
}

export function changeOf(base: PairStatus, head: PairStatus): PairChange {
  if (base === head) return 'unchanged';
  if (head === 'violated') return 'introduced';
  if (base === 'violated' && head === 'holds') return 'fixed';
  return 'changed';
}

function findingsOf(v: Verdict | undefined): PairFinding[] {
  if (v?.status !== 'violated') return [];
  return v.findings.map((f) => ({ check: f.check, message: f.message, ...(f.at?.line !== undefined ? { line: f.at.line } : {}) }));
}

/** The `@expect` tags of a model's text, without their lines: what "the header changed" compares. */
export function declaredVerdicts(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const expect = parseHeader(text).header.expect;
  if (expect.length === 0) return undefined;
  return JSON.stringify(expect.map(({ line: _line, ...e }) => e));
}

/** A model's text without its header comment: updating `@expect` does not change what the model does. */
export function codeOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*\/\*\*[\s\S]*?\*\//.exec(text);
  return m ? text.slice(m[0].length) : text;
}

function cacheOf(r: Report): DiffSide['cache'] {
  const hits = r.models.filter((m) => m.stats.cached === true).length;
  return { hits, misses: r.models.length - hits };
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A side whose rule set could not be used checked no model: there is nothing to compare it with. */
function unusable(s: SideRun): boolean {
  return s.texts.size > 0 && s.report.models.length === 0 && s.report.diagnostics.some((d) => d.severity === 'error');
}

/** The same diagnostic reported twice (the config validates its rule files, the run loads them again) is listed once. */
function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}\0${d.file ?? ''}\0${d.line ?? ''}\0${d.col ?? ''}\0${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function diffRuns(base: SideRun, head: SideRun, extra: Diagnostic[] = []): RulesDiff {
  const comparable = !unusable(base) && !unusable(head);
  const baseModels = new Map(comparable ? base.report.models.map((m) => [m.file, m]) : []);
  const headModels = new Map(comparable ? head.report.models.map((m) => [m.file, m]) : []);
  const models = [...new Set([...baseModels.keys(), ...headModels.keys()])].sort(byName);
  const pairs: PairDiff[] = [];
  const counts: Record<PairChange, number> = { introduced: 0, fixed: 0, unchanged: 0, changed: 0 };
  const headers: HeaderCheck[] = [];
  for (const model of models) {
    const bm = baseModels.get(model);
    const hm = headModels.get(model);
    const rules = [...new Set([...(bm?.verdicts ?? []), ...(hm?.verdicts ?? [])].map((v) => v.rule))].sort(byName);
    const moved: string[] = [];
    const sameText = codeOf(base.texts.get(model)) === codeOf(head.texts.get(model));
    // A model that does not load has no verdicts: compare it as one pair under its own name.
    for (const rule of rules.length > 0 ? rules : ['(model)']) {
      const bv = bm?.verdicts.find((v) => v.rule === rule);
      const hv = hm?.verdicts.find((v) => v.rule === rule);
      const b = statusOf(bv, bm);
      const h = statusOf(hv, hm);
      const change = changeOf(b, h);
      counts[change]++;
      if (change === 'unchanged') continue;
      moved.push(rule);
      pairs.push({ model, rule, base: b, head: h, change, findings: findingsOf(hv), modelUnchanged: sameText });
    }
    const hc = headerCheck(model, moved, base.texts.get(model), head.texts.get(model), hm);
    if (hc) headers.push(hc);
  }
  const permitted = pairs.filter((p) => p.change === 'fixed' && p.modelUnchanged);
  const diagnostics = dedupe([...extra, ...base.report.diagnostics, ...head.report.diagnostics, ...headerDiagnostics(headers)]);
  return {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'rules-diff',
    base: { ...base.side, models: base.report.models.length, cache: cacheOf(base.report) },
    head: { ...head.side, models: head.report.models.length, cache: cacheOf(head.report) },
    counts,
    pairs,
    permitted,
    headers,
    diagnostics,
    // Base's own rule-file errors are listed but do not fail the change that may be fixing them.
    exitCode: diffExitCode(dedupe([...extra, ...head.report.diagnostics, ...headerDiagnostics(headers)]), head.report),
  };
}

/**
 * A model that declares verdicts (at either side) and whose verdicts moved
 * passes when its header changed in the same change and head's verdicts
 * meet head's header; otherwise the change went unacknowledged.
 */
function headerCheck(model: string, moved: string[], baseText: string | undefined, headText: string | undefined, hm: ModelReport | undefined): HeaderCheck | undefined {
  const before = declaredVerdicts(baseText);
  const after = declaredVerdicts(headText);
  if (moved.length === 0 || (before === undefined && after === undefined)) return undefined;
  const headerChanged = before !== after;
  const headMet = after === undefined ? undefined : hm?.expectation?.met;
  let ok: boolean;
  let reason: string;
  if (headText === undefined) {
    ok = true;
    reason = 'the model was removed';
  } else if (!headerChanged) {
    ok = false;
    reason = 'its verdicts changed but its @expect header did not';
  } else if (after === undefined) {
    ok = true;
    reason = 'its @expect header was removed';
  } else if (headMet === true) {
    ok = true;
    reason = 'its @expect header was updated and is met';
  } else {
    ok = false;
    reason = `its @expect header was updated but is not met${hm?.expectation ? `: ${hm.expectation.detail}` : ''}`;
  }
  return { model, rules: moved, headerChanged, ...(headMet !== undefined ? { headMet } : {}), ok, reason };
}

function headerDiagnostics(headers: HeaderCheck[]): Diagnostic[] {
  return headers
    .filter((h) => !h.ok)
    .map((h) => ({
      code: 'LMC317' as const,
      severity: 'error' as const,
      message: `declared verdict changed (${h.rules.join(', ')}): ${h.reason}`,
      file: h.model,
      hint: 'update the @expect header of the model in the same change, or revert the rule change',
    }));
}

/**
 * The gate's exit code: the diagnostics (rule files, config, LMC317 for an
 * unacknowledged verdict), head's model errors (3, 4: as `check` exits) and
 * head's limits (an inconclusive verdict at head is 7: a limit is never hidden). Violations the headers declare are
 * the corpus working as intended, not a failure.
 */
function diffExitCode(diagnostics: Diagnostic[], head: Report): ExitCodeValue {
  const codes: ExitCodeValue[] = diagnostics.map(diagnosticExitCode);
  for (const m of head.models) {
    if (m.verdicts.some((v) => v.status === 'inconclusive')) codes.push(ExitCode.INCONCLUSIVE);
    // A head model that does not load fails as `check` would, unless its header expects that error.
    const expected = new Set((m.expected ?? []).flatMap((e) => (e.kind === 'error' ? [e.code] : [])));
    for (const d of m.diagnostics) if (!expected.has(d.code)) codes.push(diagnosticExitCode(d));
  }
  if (head.interrupted) codes.push(ExitCode.INTERRUPTED);
  return combineExitCodes(codes);
}
