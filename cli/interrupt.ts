/**
 * The CLI's side of SIGINT/SIGTERM during `check`.
 *
 * `check` itself stops within a second of the abort and resolves with the
 * report so far (checker/index.ts `CheckControl`). The CLI does not rely
 * on that alone: a report must reach `-o` even if the checker is stuck, so
 * when `check` has not resolved `GRACE_MS` after the signal, the report is
 * built here from the models `onModel` delivered, the interrupted model
 * marked, and whatever child the BMC engine has is killed.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../checker/exit-codes.js';
import { NEWEST_KERNEL, reportedOptions, type CheckOptions } from '../checker/options.js';
import { REPORT_SCHEMA_VERSION, type ModelReport, type Report, type RuleInfo, type Verdict } from '../checker/report.js';

/** How long `check` gets after the signal before the CLI writes the report itself. */
export const GRACE_MS = 1000;

export type Settled = { kind: 'checked'; report: Report } | { kind: 'cut'; signal: string };

/**
 * `run`, or, when `signal` aborts and `run` has not resolved within
 * `graceMs`, `{ kind: 'cut' }`. The timer starts at the signal, never
 * before: an uninterrupted run waits for `run` however long it takes.
 */
export function settleOrCut(run: Promise<Report>, signal: AbortSignal | undefined, graceMs = GRACE_MS): Promise<Settled> {
  const checked = run.then((report): Settled => ({ kind: 'checked', report }));
  if (!signal) return checked;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<Settled>((res) => {
    onAbort = () => {
      timer = setTimeout(() => res({ kind: 'cut', signal: String(signal.reason ?? 'SIGINT') }), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([checked, cut]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}

export interface CutRun {
  version: string;
  options: CheckOptions;
  signal: string;
  /** Reports `onModel` delivered, in input order. */
  done: ModelReport[];
  /** The model being checked when the signal came, if any. */
  current?: string;
  /** Rule ids the interrupted model was being checked against (its verdicts become inconclusive). */
  ruleIds: string[];
  /** Metadata of those rules, for the report's `rules`. */
  rules?: RuleInfo[];
  rulesHash: string;
  cwd: string;
}

/**
 * The report of a run cut short: every finished model as it was, the
 * interrupted one with each selected rule inconclusive (limit
 * `interrupted`), nothing after it, exit 130.
 */
export function cutReport(c: CutRun): Report {
  const models = [...c.done];
  if (c.current !== undefined && !c.done.some((m) => m.file === c.current)) {
    const limit = { kind: 'interrupted' as const, signal: c.signal };
    // The engine it was in is not known here; the first one the choice runs.
    const engine = c.options.engine === 'bmc' ? 'bmc' : 'explicit';
    const verdicts: Verdict[] = c.ruleIds.map((rule) => ({ status: 'inconclusive', rule, engine, limit }));
    models.push({
      file: c.current,
      hashes: { model: sourceHash(resolve(c.cwd, c.current)), rules: c.rulesHash },
      kernel: c.options.kernel ?? NEWEST_KERNEL,
      verdicts,
      diagnostics: [],
      stats: { ms: 0, engine: [] },
    });
  }
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'lockmc', version: c.version },
    options: reportedOptions(c.options),
    rules: c.rules ?? [],
    models,
    diagnostics: [],
    interrupted: { signal: c.signal, ...(c.current !== undefined ? { model: c.current } : {}) },
    exitCode: ExitCode.INTERRUPTED,
  };
}

function sourceHash(file: string): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // A model that vanished mid-run still gets its entry.
  }
  return createHash('sha256').update(text).digest('hex');
}
