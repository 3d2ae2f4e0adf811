/**
 * Phrases every renderer shares, so `text`, `junit`, `sarif` and `html`
 * can never describe the same verdict in different words.
 */

import type { FenceState, Finding, FindingKind, Limit, Report, RuleInfo, SourceRef, Verdict, Wait } from '../../checker/report.js';
import type { Citation } from '../../rules/types.js';
import { unreachable } from '../../model/ir.js';

export function fmtRef(ref: SourceRef | undefined): string {
  return ref ? `${ref.file}:${ref.line}` : '?';
}

export function limitText(limit: Limit): string {
  switch (limit.kind) {
    case 'timeout':
      return `time-out after ${fmtSeconds(limit.ms)}${phaseText(limit.phase)}`;
    case 'interrupted':
      return `interrupted by ${limit.signal}${phaseText(limit.phase)}`;
    case 'memory':
      return `memory limit ${limit.mb} MB`;
    case 'states':
      return `state limit ${limit.max}`;
    case 'z3-unknown':
      return `z3 unknown: ${limit.reason}`;
    case 'solver-failure':
      return `solver failure: ${limit.detail}`;
    default:
      return unreachable(limit);
  }
}

/**
 * Where a model's budget ran out, when that is not an engine: the verdict
 * already names its engine, but "in front end" or "in compile" says the
 * engines never ran.
 */
function phaseText(phase: string | undefined): string {
  return phase === undefined || phase === 'explicit' || phase === 'bmc' ? '' : ` in ${phase}`;
}

function fmtSeconds(ms: number): string {
  // `--timeout 0.001` is 1 ms, not "0.0 s".
  if (ms < 100) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

// waitText lives in the checker: the finding anchor (checker/finding-anchor.ts) names the wait too.
export { waitText } from '../../checker/op-text.js';

/** The metadata of rule `id` as the run recorded it; undefined for a rule the run did not check. */
export function ruleInfo(report: Pick<Report, 'rules'>, id: string): RuleInfo | undefined {
  return report.rules.find((r) => r.id === id);
}

/** Never "OK" without its scope: every verdict names how far it goes. */
export function verdictText(v: Verdict): string {
  switch (v.status) {
    case 'proved':
      // The pipeline's detail often names the engines already.
      if (!v.detail) return `proved (${v.engine})`;
      return v.detail.includes(v.engine) ? `proved (${v.detail})` : `proved (${v.engine}: ${v.detail})`;
    case 'holds-up-to':
      return `holds up to ${v.bound} steps (${v.engine})`;
    case 'violated':
      return `violated (${v.findings.length} finding${v.findings.length === 1 ? '' : 's'}, ${v.engine})`;
    case 'inconclusive':
      return `inconclusive (${limitText(v.limit)}, ${v.engine})`;
    case 'skipped':
      return `skipped (${v.reason})`;
    case 'not-applicable':
      return `not applicable (${v.reason})`;
    default:
      return unreachable(v);
  }
}

/** lockdep's banner for the kind (kernel/locking/lockdep.c print_*_bug); `irq` names the state of a safe -> unsafe report. */
export function bannerTitle(kind: FindingKind, irq: 'HARDIRQ' | 'SOFTIRQ' = 'HARDIRQ'): string {
  switch (kind) {
    case 'circular-dependency':
      return 'WARNING: possible circular locking dependency detected';
    case 'recursive-locking':
      return 'WARNING: possible recursive locking detected';
    case 'deadlock':
      return 'WARNING: deadlock';
    case 'fence-never-signalled':
      return 'WARNING: fence never signalled';
    case 'rule-violation':
      return 'WARNING: rule violation';
    case 'inconsistent-lock-state':
      return 'WARNING: inconsistent lock state';
    case 'irq-lock-inversion':
      return `WARNING: ${irq}-safe -> ${irq}-unsafe lock order detected`;
    case 'invalid-wait-context':
      return 'BUG: Invalid wait context';
    case 'held-lock-freed':
      return 'WARNING: held lock freed!';
    case 'bad-unlock-balance':
      return 'WARNING: bad unlock balance detected!';
    default:
      return unreachable(kind);
  }
}

/** lockdep prints `*** DEADLOCK ***` under its scenario for these kinds (a hang excepted: `hangOf`). */
export function isDeadlockKind(kind: FindingKind): boolean {
  return kind !== 'rule-violation' && kind !== 'fence-never-signalled' && kind !== 'invalid-wait-context' && kind !== 'held-lock-freed' && kind !== 'bad-unlock-balance';
}

/**
 * kernel/hung_task.c reports a task stuck in D state after
 * hung_task_timeout_secs, CONFIG_DEFAULT_HUNG_TASK_TIMEOUT (lib/Kconfig.debug),
 * 120 by default: the wait of a hang never returns, so the watchdog is what
 * a kernel would print.
 */
export const HUNG_TASK_TIMEOUT_SECS = 120;

/** A thread blocked forever on something no lock cycle explains: a fence, a reservation's fences, a work item. */
export interface Hang {
  thread: string;
  wait: Wait;
  at?: SourceRef;
  held: string[];
}

/**
 * The hang a finding shows, if it is one: a deadlock or never-signalled
 * fence in which every blocked thread waits for a fence or a work item,
 * none for a lock (nor an irq, nor anything unexplained). Those are
 * not lockdep's business: the kernel's hung-task watchdog reports them, so
 * they get its words, not `*** DEADLOCK ***`.
 */
export function hangOf(f: Finding): Hang | undefined {
  if ((f.kind !== 'deadlock' && f.kind !== 'fence-never-signalled') || !f.trace) return undefined;
  const blocked = f.trace.final.threads.filter((t) => t.status === 'blocked' && t.waitingFor);
  const hangs = (w: Wait): boolean => w.kind === 'fence' || w.kind === 'resv-fences' || w.kind === 'work';
  if (blocked.length === 0 || !blocked.every((t) => hangs(t.waitingFor!))) return undefined;
  const rank = (w: Wait): number => (w.kind === 'fence' ? 0 : w.kind === 'resv-fences' ? 1 : w.kind === 'work' ? 2 : 3);
  const t = [...blocked].sort((a, b) => rank(a.waitingFor!) - rank(b.waitingFor!))[0];
  return { thread: t.thread, wait: t.waitingFor!, ...(t.at ? { at: t.at } : {}), held: t.held };
}

/** The first line of a finding's splat: lockdep's banner, or the hung-task line for a hang. */
export function findingTitle(f: Finding): string {
  const hang = hangOf(f);
  return hang ? `INFO: task ${hang.thread} blocked for more than ${HUNG_TASK_TIMEOUT_SECS} seconds.` : bannerTitle(f.kind, f.lockdep?.irq);
}

export function citationText(c: Citation): string {
  switch (c.kind) {
    case 'kernel':
      return `${c.file}${c.symbol ? ` (${c.symbol})` : ''}${c.note ? `: ${c.note}` : ''}`;
    case 'doc':
      return `${c.file}${c.section ? `, section "${c.section}"` : ''}`;
    case 'list':
      return `${c.list} ${c.date}: "${c.subject}"${c.author ? ` (${c.author})` : ''}`;
    case 'commit':
      return `commit ${c.id.slice(0, 12)} ("${c.subject}"${c.version ? `, ${c.version}` : ''})`;
    default:
      return unreachable(c);
  }
}

/**
 * The replay command for a finding's trace. `options` is the report's
 * `options` (the resolved CheckOptions): every one that changed what was
 * checked goes on the line, because the schedule token is tied to the
 * rule set and options it was found with, so a report trimmed with
 * `--disable` or run with `--kernel` replays verbatim.
 */
export function replayCommand(command: string, model: string, token: string, options: Record<string, unknown> = {}): string {
  const words = [model, '--schedule', token, ...checkedOptionWords(options)];
  return `${command} replay ${words.map(shellQuote).join(' ')}`;
}

/** The command-line words of the options that select rules and semantics, in the order `--help` lists them. */
export function checkedOptionWords(options: Record<string, unknown>): string[] {
  const words: string[] = [];
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
  const kernel = str(options.kernel);
  if (kernel) words.push('--kernel', kernel);
  const kernelConfig = list(options.kernelConfig);
  // An explicit empty list overrides a model's @kernel-config: it is said on the line too.
  if (Array.isArray(options.kernelConfig)) words.push('--kernel-config', kernelConfig.length > 0 ? kernelConfig.join(',') : 'none');
  const rules = (options.rules ?? {}) as Record<string, unknown>;
  const preset = str(rules.preset);
  if (preset) words.push('--preset', preset);
  const enable = list(rules.enable);
  if (enable.length > 0) words.push('--enable', enable.join(','));
  const disable = list(rules.disable);
  if (disable.length > 0) words.push('--disable', disable.join(','));
  for (const file of list(rules.files)) words.push('--rules', file);
  const ruleOptions = rules.options;
  if (ruleOptions && typeof ruleOptions === 'object') {
    for (const [k, v] of Object.entries(ruleOptions as Record<string, unknown>)) {
      if (typeof v === 'string') words.push('--rule-option', `${k}=${v}`);
    }
  }
  return words;
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shortHash(h: string): string {
  return h.slice(0, 8);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What the summary adds so a limit is never lost in a long report: each
 * model with inconclusive verdicts, how many, and the limits and engines
 * that left them undecided; and where a signal cut the run short.
 */
export function limitNotes(report: Report): string[] {
  const notes: string[] = [];
  for (const m of report.models) {
    const open = m.verdicts.filter((v): v is Extract<Verdict, { status: 'inconclusive' }> => v.status === 'inconclusive');
    if (open.length === 0) continue;
    const why = [...new Set(open.map((v) => `${limitText(v.limit)}, ${v.engine}`))];
    notes.push(`inconclusive: ${m.file}: ${plural(open.length, 'verdict')} (${why.join('; ')})`);
  }
  if (report.interrupted) {
    const where = report.interrupted.model ? ` while checking ${report.interrupted.model}` : '';
    notes.push(`interrupted by ${report.interrupted.signal}${where}; the models after it were not checked`);
  }
  return notes;
}

/** Findings of a model in verdict order. */
export function findingsOf(verdicts: Verdict[]): Finding[] {
  return verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : []));
}
