/**
 * How a run reads at a glance: which models are worth a full report, and
 * the closing summary whose first word is the run's outcome. A fixture
 * that violates a rule its `@expect` header declares is as expected; the
 * summary counts such declared violations apart from undeclared ones, so
 * "exit 0" never sits beside an unexplained "228 violated".
 */

import { ExitCode, modelExitCode } from '../../checker/exit-codes.js';
import type { ModelReport, Report, Verdict } from '../../checker/report.js';
import { limitText } from './words.js';

export type RunOutcome = 'OK' | 'FAILED' | 'INCONCLUSIVE' | 'INTERRUPTED' | 'ERROR';

/** The outcome word of a run, from its exit code (checker/exit-codes.ts). */
export function runOutcome(report: Pick<Report, 'exitCode'>): RunOutcome {
  switch (report.exitCode) {
    case ExitCode.OK:
      return 'OK';
    case ExitCode.VIOLATION:
      return 'FAILED';
    case ExitCode.INCONCLUSIVE:
      return 'INCONCLUSIVE';
    case ExitCode.INTERRUPTED:
      return 'INTERRUPTED';
    default:
      return 'ERROR';
  }
}

/** A model is as expected when it adds nothing to the exit code: its header met (or no violation), no limit, no error it did not declare. */
export function asExpected(m: ModelReport): boolean {
  return modelExitCode(m) === ExitCode.OK;
}

/** Why a model is not as expected, in a few words. */
export function unexpectedReasons(m: ModelReport): string[] {
  const out: string[] = [];
  const declaredErrors = new Set<string>((m.expected ?? []).flatMap((e) => (e.kind === 'error' ? [e.code] : [])));
  const errors = [...new Set(m.diagnostics.filter((d) => d.severity === 'error' && !declaredErrors.has(d.code)).map((d) => d.code))];
  if (errors.length > 0) out.push(`error ${errors.join(', ')}`);
  const open = m.verdicts.filter((v): v is Extract<Verdict, { status: 'inconclusive' }> => v.status === 'inconclusive');
  if (open.length > 0) out.push(`inconclusive (${[...new Set(open.map((v) => limitText(v.limit)))].join('; ')})`);
  const undeclared = m.verdicts.filter((v) => v.status === 'violated' && !declaresViolation(m, v.rule)).map((v) => v.rule);
  if (m.expectation && !m.expectation.met) out.push(`expectation not met (${m.expectation.detail})`);
  else if (undeclared.length > 0 && !m.expectation?.met) out.push(`violates ${undeclared.join(', ')}`);
  return out.length > 0 ? out : ['not as expected'];
}

function declaresViolation(m: ModelReport, rule: string): boolean {
  return m.expected?.some((e) => e.kind === 'violates' && e.rule === rule) ?? false;
}

export interface OutcomeCounts {
  models: number;
  unexpected: number;
  /** Violated verdicts the model's `@expect` names. */
  declaredViolations: number;
  /** Not named, in a model whose header is met all the same (it names only some rules). */
  extraViolations: number;
  /** Not named, in a model not as expected: these fail the run. */
  undeclaredViolations: number;
  declaredErrors: number;
  undeclaredErrors: number;
  proved: number;
  holdsUpTo: number;
  notApplicable: number;
  inconclusive: number;
  skipped: number;
  cached: number;
}

export function countOutcomes(models: readonly ModelReport[]): OutcomeCounts {
  const c: OutcomeCounts = {
    models: models.length,
    unexpected: 0,
    declaredViolations: 0,
    extraViolations: 0,
    undeclaredViolations: 0,
    declaredErrors: 0,
    undeclaredErrors: 0,
    proved: 0,
    holdsUpTo: 0,
    notApplicable: 0,
    inconclusive: 0,
    skipped: 0,
    cached: 0,
  };
  for (const m of models) {
    const ok = asExpected(m);
    if (!ok) c.unexpected++;
    if (m.stats.cached) c.cached++;
    const declaredErrors = new Set<string>((m.expected ?? []).flatMap((e) => (e.kind === 'error' ? [e.code] : [])));
    for (const d of m.diagnostics) {
      if (d.severity !== 'error') continue;
      if (declaredErrors.has(d.code)) c.declaredErrors++;
      else c.undeclaredErrors++;
    }
    for (const v of m.verdicts) {
      switch (v.status) {
        case 'violated':
          if (declaresViolation(m, v.rule)) c.declaredViolations++;
          else if (ok) c.extraViolations++;
          else c.undeclaredViolations++;
          break;
        case 'proved':
          c.proved++;
          break;
        case 'holds-up-to':
          c.holdsUpTo++;
          break;
        case 'not-applicable':
          c.notApplicable++;
          break;
        case 'inconclusive':
          c.inconclusive++;
          break;
        case 'skipped':
          c.skipped++;
          break;
      }
    }
  }
  return c;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The outcome line: `OK: 188 models, all as expected; violations: 230
 * declared, 0 undeclared; ...; exit 0`. One sentence, first word the
 * outcome; the renderer wraps it.
 */
export function outcomeLine(report: Report): string {
  const c = countOutcomes(report.models);
  const parts: string[] = [];
  const asExp = c.unexpected === 0 ? (c.models === 1 ? 'as expected' : 'all as expected') : `${c.unexpected} not as expected`;
  parts.push(`${runOutcome(report)}: ${plural(c.models, 'model')}, ${asExp}`);
  const extra = c.extraViolations > 0 ? `, ${c.extraViolations} more in models as expected` : '';
  parts.push(`violations: ${c.declaredViolations} declared${extra}, ${c.undeclaredViolations} undeclared`);
  if (c.declaredErrors + c.undeclaredErrors > 0) parts.push(`model errors: ${c.declaredErrors} declared, ${c.undeclaredErrors} undeclared`);
  const runErrors = report.diagnostics.filter((d) => d.severity === 'error').length;
  if (runErrors > 0) parts.push(plural(runErrors, 'run error'));
  const warnings = [...report.diagnostics, ...report.models.flatMap((m) => m.diagnostics)].filter((d) => d.severity !== 'error').length;
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  const held = [`${c.proved} proved`];
  if (c.holdsUpTo > 0) held.push(`${c.holdsUpTo} held up to a bound`);
  held.push(`${c.notApplicable} not applicable`);
  if (c.inconclusive > 0) held.push(`${c.inconclusive} inconclusive`);
  if (c.skipped > 0) held.push(`${c.skipped} skipped`);
  parts.push(`other verdicts: ${held.join(', ')}`);
  if (c.cached > 0) parts.push(`${c.cached} from cache`);
  parts.push(`exit ${report.exitCode}`);
  return parts.join('; ');
}

/** `fixtures/rules/x.model.ts` -> `fixtures`; a file at the top -> `.`. */
export function topFolder(file: string): string {
  const i = file.indexOf('/');
  return i > 0 ? file.slice(0, i) : '.';
}

/** Per top-level folder: models and how many are not as expected; empty when every model is in one folder. */
export function folderCounts(models: readonly ModelReport[]): { folder: string; models: number; unexpected: number }[] {
  const by = new Map<string, { folder: string; models: number; unexpected: number }>();
  for (const m of models) {
    const k = topFolder(m.file);
    let e = by.get(k);
    if (!e) by.set(k, (e = { folder: k, models: 0, unexpected: 0 }));
    e.models++;
    if (!asExpected(m)) e.unexpected++;
  }
  return by.size > 1 ? [...by.values()] : [];
}
