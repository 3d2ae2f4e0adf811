/**
 * The content of the `text` and `pretty` reports, as styled lines.
 *
 * One builder feeds both renderers so the email a developer pastes and the
 * terminal output they saw say exactly the same thing. The shape follows
 * lockdep's own splats (kernel/locking/lockdep.c: print_circular_bug and
 * friends) so a kernel reader recognises it: banner, the locks involved,
 * the dependency chain in reverse order, the unsafe scenario in columns,
 * `*** DEADLOCK ***`; then what lockdep cannot give: the interleaving that
 * gets there, the state at the violation, citations, a replay line.
 */

import type { ChainEdge, Diagnostic, Finding, ModelReport, Report, Trace, TraceStep, Verdict } from '../../checker/report.js';
import { asExpected, folderCounts, outcomeLine, unexpectedReasons } from './outcome.js';
import type { RenderContext } from './types.js';
import { type Line, type Seg, ln, st, wrapLine } from './wrap.js';
import { groupsOf } from '../../checker/finding-groups.js';
import { isLockdepLayout, lockdepBody } from './lockdep-lines.js';
import {
  citationText,
  findingTitle,
  hangOf,
  type Hang,
  findingsOf,
  fmtRef,
  isDeadlockKind,
  limitNotes,
  replayCommand,
  ruleInfo,
  shortHash,
  verdictText,
  waitText,
} from './words.js';

export const TEXT_WIDTH = 72;

const BLANK: Line = { segs: [] };

export function buildReport(report: Report, ctx: RenderContext): Line[] {
  const out: Line[] = [];
  const z3 = report.tool.z3 ? `, z3 ${report.tool.z3}` : '';
  out.push(ln(st('heading', `${report.tool.name} ${report.tool.version}${z3}`)));
  for (const d of report.diagnostics) {
    out.push(BLANK, ...diagnosticLines(d));
  }
  // Several models: full reports only for those not as expected, then the
  // summary (cli/render/outcome.ts); --verbose or a single model: every report.
  const summaryFirst = !ctx.verbose && report.models.length > 1;
  for (const m of report.models) {
    if (summaryFirst && asExpected(m)) continue;
    out.push(BLANK, ...buildModel(m, ctx, report));
  }
  out.push(BLANK);
  if (summaryFirst) out.push(...summaryLines(report));
  else for (const note of limitNotes(report)) out.push({ ...ln(st('warn', note)), hang: 2 });
  out.push({ ...ln(st(report.exitCode === 0 ? 'good' : 'bad', outcomeLine(report))), hang: 2 });
  return out;
}

/** What the summary lists above the outcome line: each model not as expected and why, counts per top-level folder. */
function summaryLines(report: Report): Line[] {
  const out: Line[] = [];
  const odd = report.models.filter((m) => !asExpected(m));
  const shown = odd.slice(0, MAX_LISTED);
  if (odd.length > 0) out.push(ln(st('heading', 'not as expected:')));
  for (const m of shown) out.push({ ...ln('  ', st('loc', m.file), `: ${unexpectedReasons(m).join('; ')}`), hang: 4 });
  if (odd.length > shown.length) out.push(ln(`  ... and ${odd.length - shown.length} more (--verbose, or --format json, lists them all)`));
  const folders = folderCounts(report.models);
  if (folders.length > 0) {
    out.push({ ...ln(`by folder: ${folders.map((f) => `${f.folder} ${f.models}${f.unexpected > 0 ? ` (${f.unexpected} not as expected)` : ''}`).join(', ')}`), hang: 2 });
  }
  if (report.interrupted) {
    const where = report.interrupted.model ? ` while checking ${report.interrupted.model}` : '';
    out.push({ ...ln(st('warn', `interrupted by ${report.interrupted.signal}${where}; the models after it were not checked`)), hang: 2 });
  }
  return out;
}

/** At most this many models are named in the summary: a broken corpus must not bury the outcome line. */
const MAX_LISTED = 20;

/** `v7.0`, or `v7.0 PREEMPT_RT` when the model was checked with kernel config switches. */
function kernelWords(m: ModelReport): string {
  return m.kernelConfig?.length ? `${m.kernel} ${m.kernelConfig.join(' ')}` : m.kernel;
}

function buildModel(m: ModelReport, ctx: RenderContext, run: RunFacts): Line[] {
  const out: Line[] = [];
  out.push(ln(st('heading', 'model: '), st('loc', m.file)));
  out.push(ln(`  hashes: model ${shortHash(m.hashes.model)}, rules ${shortHash(m.hashes.rules)}; kernel ${kernelWords(m)}`));
  const s = m.stats;
  const bits = [s.engine.length > 0 ? `engines: ${s.engine.join(', ')}` : 'engines: none'];
  if (s.bound !== undefined) {
    bits.push(`bound ${s.bound}${s.completenessBound !== undefined ? ` (complete at ${s.completenessBound})` : ''}`);
  }
  if (s.states !== undefined) bits.push(`${s.states} states`);
  bits.push(`${s.ms} ms`);
  out.push(ln(`  ${bits.join('; ')}`));
  for (const d of m.diagnostics) out.push(BLANK, ...diagnosticLines(d));
  // One report per root cause (checker/finding-groups.ts); the others in its group are named in it.
  for (const g of groupsOf(findingsOf(m.verdicts))) out.push(BLANK, ...buildFinding(g.lead, m, ctx, run, g.also));
  if (m.verdicts.length > 0) out.push(BLANK, ...verdictLines(m.verdicts, ctx.verbose === true));
  if (m.expectation) {
    out.push({
      ...ln(st('heading', 'expectation: '), st(m.expectation.met ? 'good' : 'bad', m.expectation.met ? 'met' : 'NOT met'), ` (${m.expectation.detail})`),
      hang: 4,
    });
  }
  return out;
}

/**
 * The verdict list. By default only the verdicts worth reading (violated,
 * inconclusive, bounded, skipped), then a count of the proved and the
 * not-applicable ones; `verbose` lists every verdict.
 */
function verdictLines(verdicts: Verdict[], verbose: boolean): Line[] {
  const out: Line[] = [ln(st('heading', 'verdicts:'))];
  const quiet = (v: Verdict) => !verbose && (v.status === 'proved' || v.status === 'not-applicable');
  for (const v of verdicts) {
    if (quiet(v)) continue;
    const style = v.status === 'violated' ? 'bad' : v.status === 'proved' || v.status === 'holds-up-to' ? 'good' : 'warn';
    out.push({ ...ln('  ', st('rule', v.rule), ': ', st(style, verdictText(v))), hang: 6 });
  }
  if (verbose) return out;
  const proved = verdicts.filter((v) => v.status === 'proved').length;
  const na = verdicts.filter((v) => v.status === 'not-applicable').length;
  const counted: string[] = [];
  if (proved > 0) counted.push(`${proved} ${proved === 1 ? 'rule' : 'rules'} proved for every interleaving`);
  if (na > 0) counted.push(`${na} not applicable (nothing in the model matches ${na === 1 ? 'it' : 'them'})`);
  if (counted.length > 0) out.push({ ...ln(`  ${counted.join('; ')}`), hang: 4 });
  return out;
}

export function diagnosticLines(d: Diagnostic): Line[] {
  const where = d.file ? `${d.file}${d.line !== undefined ? `:${d.line}${d.col !== undefined ? `:${d.col}` : ''}` : ''}: ` : '';
  const out: Line[] = [
    // `file:line:col: error LMCnnn: message` on one line, never wrapped: editors and CI annotators parse it.
    { ...ln(st('loc', where), st(d.severity === 'error' ? 'bad' : 'warn', `${d.severity} ${d.code}`), `: ${oneLine(d.message)}`), noWrap: true },
  ];
  if (d.sourceLine !== undefined) {
    const [src, caret] = clipSource(d.sourceLine, d.caret ?? '', TEXT_WIDTH - 4);
    out.push({ ...ln(st('dim', `    ${src}`)), noWrap: true });
    if (caret.trim().length > 0) out.push({ ...ln(st('bad', `    ${caret}`)), noWrap: true });
  }
  if (d.hint) out.push({ ...ln('  hint: ', d.hint), hang: 8 });
  return out;
}

/** A message with a newline in it would break the one-line form. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

/** Show a window of a long source line so the caret stays under its column. */
export function clipSource(src: string, caret: string, room: number): [string, string] {
  // trimEnd, not /\s+$/: the regex is quadratic on a long run of blanks (a caret under column 300 000).
  const s = src.replace(/\t/g, ' ').trimEnd();
  const c = caret.replace(/\t/g, ' ').trimEnd();
  if (s.length <= room) return [s, c.slice(0, room)];
  const first = c.search(/\S/);
  const start = first <= room - 10 ? 0 : Math.min(first - 10, s.length - room + 3);
  const lead = start > 0 ? '...' : '';
  const width = room - lead.length;
  let body = s.slice(start, start + width);
  let cbody = c.slice(start, start + width);
  if (start + width < s.length) {
    body = body.slice(0, width - 3) + '...';
    cbody = cbody.slice(0, width - 3);
  }
  return [lead + body, ' '.repeat(lead.length) + cbody];
}

// ---------------------------------------------------------------------------
// One finding.

/**
 * What a finding's text needs of the run beyond the model: the options the
 * replay line repeats (words.ts `replayCommand`) and the rules' metadata.
 */
export type RunFacts = Pick<Report, 'options' | 'rules'>;

const NO_RUN: RunFacts = { options: {}, rules: [] };

export function buildFinding(f: Finding, m: ModelReport, ctx: RenderContext, run: RunFacts = NO_RUN, also: Finding[] = []): Line[] {
  const out: Line[] = [];
  if (f.sameAs) {
    out.push({ ...ln('rule ', st('rule', f.rule), ` (check ${f.check}): the same cycle as shown under `, st('rule', f.sameAs.rule), ` (check ${f.sameAs.check}).`), hang: 2 });
    return out;
  }
  const title = findingTitle(f);
  const hang = hangOf(f);
  const rule = Math.min(title.length, TEXT_WIDTH);
  out.push({ ...ln(st('banner', '='.repeat(rule))), noWrap: true });
  out.push(ln(st('title', title)));
  out.push(ln(`lockmc: ${m.file} (kernel ${kernelWords(m)})`));
  out.push({ ...ln(st('banner', '-'.repeat(rule))), noWrap: true });
  const meta = ruleInfo(run, f.rule);
  out.push(ln('rule ', st('rule', f.rule), ` (check ${f.check}${meta ? `, ${meta.severity}` : ''}):`));
  if (meta) out.push({ ...ln(`  ${meta.summary}`), hang: 2 });
  if (also.length > 0) out.push(alsoLine(f, also));
  out.push(BLANK, { ...ln(f.message), hang: 0 });
  if (f.at) out.push(ln('  at ', st('loc', fmtRef(f.at))));
  if (f.possibleOnly) {
    out.push(BLANK, { ...ln(st('warn', `note: ${realisationNote(f.realisation)}; it is a lock-order problem, as lockdep would report it.`)), hang: 6 });
  }
  const lockdepLayout = isLockdepLayout(f);
  if (lockdepLayout) out.push(...lockdepBody(f, columns));
  else if (f.chain && f.chain.length > 0) out.push(...chainLines(f.chain, f.kind));
  if (hang) out.push(BLANK, ...hangLines(hang, f.trace));
  const scen = hang || lockdepLayout ? [] : scenarioLines(f);
  if (scen.length > 0) out.push(BLANK, ln(' Possible unsafe locking scenario:'), BLANK, ...scen);
  if (!hang && isDeadlockKind(f.kind) && (scen.length > 0 || f.kind === 'deadlock' || lockdepLayout)) {
    out.push(BLANK, ln(st('bad', ' *** DEADLOCK ***')));
  }
  if (f.kind === 'recursive-locking') {
    out.push(BLANK, { ...ln(' May be due to missing lock nesting notation (a ww acquire context, mutex_lock_nested or a nest_lock).'), hang: 1 });
  }
  if (f.trace) {
    out.push(BLANK, ...interleavingLines(f.trace));
    out.push(BLANK, ...stateLines(f.trace));
  }
  // The finding's own references (checker/references.ts); a Report from before them has the rule's list.
  const refs = f.references ?? meta?.citations ?? [];
  if (refs.length > 0) {
    out.push(BLANK, ln(st('heading', 'kernel references:')));
    for (const c of refs) out.push({ ...ln(`  - ${citationText(c)}`), hang: 4 });
  }
  if (f.trace) {
    out.push(BLANK, ln(st('heading', 'replay:')));
    out.push({ ...ln(st('cmd', `  ${replayCommand(ctx.command ?? 'lockmc', m.file, f.trace.schedule, run.options)}`)), shell: true, hang: 4 });
  }
  return out;
}

/**
 * A hang as kernel/hung_task.c prints it after its INFO line: the task in
 * D state, the call it is stuck in, what that waits for, then lockdep's
 * debug_show_all_locks() list of what the task holds meanwhile.
 */
function hangLines(h: Hang, t: Trace | undefined): Line[] {
  const out: Line[] = [];
  out.push(ln(`task:`, st('thread', h.thread), ' state:D (uninterruptible sleep), stuck in:'));
  const stuck = t ? [...t.steps].reverse().find((s) => s.blocks && s.threadName === h.thread) : undefined;
  if (stuck) {
    out.push({ ...ln(`  ${stuck.op}`, stuck.at ? ' at ' : '', st('loc', stuck.at ? fmtRef(stuck.at) : '')), hang: 4 });
    if (stuck.via) out.push({ ...ln(`    via: ${callPath(stuck)}`), hang: 8 });
    for (const c of stuck.context) out.push({ ...ln(`    in: ${c}`), hang: 8 });
  }
  out.push({ ...ln('  waiting for ', st('bad', waitText(h.wait, h.thread))), hang: 4 });
  out.push(BLANK, ln('Showing all locks held by the task:'));
  const n = h.held.length;
  out.push(ln(`${n === 0 ? 'no' : n} lock${n === 1 ? '' : 's'} held by ${h.thread}:`));
  h.held.forEach((l, i) => out.push({ ...ln(` #${i}: `, st('lock', l)), hang: 5 }));
  return out;
}

/** `also violates: deadlock (deadlock, realised by this interleaving), ...`: the group's other findings, one line. */
function alsoLine(lead: Finding, also: Finding[]): Line {
  const segs: (Seg | string)[] = ['also violates: '];
  also.forEach((f, i) => {
    const realises = f.kind === 'deadlock' && lead.kind === 'circular-dependency' && lead.realisation?.status === 'realised';
    segs.push(i > 0 ? ', ' : '', st('rule', f.rule), ` (${f.check}${realises ? ', realised by this interleaving' : ''})`);
  });
  return { ...ln(...segs), hang: 2 };
}

function realisationNote(r: Finding['realisation']): string {
  switch (r?.status) {
    case 'unrealisable':
      return 'no interleaving of this model deadlocks on this cycle (exhaustive search)';
    case 'not-within-bound':
      return `no interleaving of up to ${r.bound} steps deadlocks on this cycle`;
    case 'not-checked':
      return 'whether an interleaving deadlocks on it was not checked (no deadlock rule selected)';
    default:
      return 'no interleaving within the bound realises this cycle';
  }
}

// ---------------------------------------------------------------------------
// The dependency chain. The last edge of `chain` is the acquisition that
// closes the cycle (held -> new); the others are the recorded path from
// the new lock back to the held one. lockdep lists that path in reverse:
// entry #N is the held lock, #0 the new one, and the trace under entry #i
// is the edge that reached it. The path is followed by class names, so
// either order of the recorded edges renders the same.

interface ChainView {
  held: string;
  next: string;
  closing: ChainEdge;
  /** Recorded edges from `next` to `held`, in path order. */
  path: ChainEdge[];
}

export function chainView(chain: ChainEdge[]): ChainView {
  const closing = chain[chain.length - 1];
  const rest = chain.slice(0, -1);
  const path: ChainEdge[] = [];
  const used = new Set<number>();
  let at = closing.to;
  for (let k = 0; k < rest.length; k++) {
    const i = rest.findIndex((e, j) => !used.has(j) && e.from === at);
    if (i < 0) break;
    used.add(i);
    path.push(rest[i]);
    at = rest[i].to;
  }
  // A chain that does not form a path is shown as given rather than guessed at.
  return { held: closing.from, next: closing.to, closing, path: path.length === rest.length ? path : rest };
}

function edgeWhere(e: ChainEdge): Line[] {
  const src = e.source;
  if (src.kind === 'primed') {
    return [{ ...ln(`       primed ${src.id}: ${src.where}`), hang: 9 }];
  }
  const out: Line[] = [
    { ...ln('       ', st('thread', src.thread), `: ${[...(src.via ?? []), src.api].join(' -> ')} at `, st('loc', fmtRef(src.at)), ` -(${e.type})->`), hang: 9 },
  ];
  if (src.heldAt) out.push({ ...ln(`       holding ${e.from} since `, st('loc', fmtRef(src.heldAt))), hang: 9 });
  return out;
}

function chainLines(chain: ChainEdge[], kind: Finding['kind']): Line[] {
  const out: Line[] = [];
  const { held, next, closing, path } = chainView(chain);
  if (closing.source.kind === 'model') {
    out.push(BLANK, ln(st('thread', closing.source.thread), ' is trying to acquire lock:'));
    const call = [...(closing.source.via ?? []), closing.source.api].join(' -> ');
    out.push({ ...ln('  ', st('lock', `(${next})`), ', at: ', st('loc', fmtRef(closing.source.at)), ` ${call}`), hang: 4 });
    out.push(BLANK, ln('but task is already holding lock:'));
    const heldAt = closing.source.heldAt;
    out.push({ ...ln('  ', st('lock', `(${held})`), heldAt ? ', at: ' : '', st('loc', heldAt ? fmtRef(heldAt) : '')), hang: 4 });
    if (kind === 'circular-dependency') out.push(BLANK, ln('which lock already depends on the new lock.'));
  }
  if (kind === 'recursive-locking' && chain.length === 1) return out;
  out.push(BLANK, ln('the existing dependency chain (in reverse order) is:'));
  const n = path.length;
  for (let i = n; i >= 1; i--) {
    const e = path[i - 1];
    out.push(BLANK, ln(`-> #${i} `, st('lock', `(${e.to})`), ':'));
    out.push(...edgeWhere(e));
  }
  out.push(BLANK, ln('-> #0 ', st('lock', `(${closing.to})`), ':'));
  out.push(...edgeWhere(closing));
  out.push(BLANK, ln('other info that might help us debug this:'));
  if (n >= 2) {
    const parent = path[n - 1].from;
    out.push(BLANK, ln('Chain exists of:'));
    out.push({ ...ln(`  ${next} --> ${parent} --> ${held}`), hang: 4 });
  }
  return out;
}

// ---------------------------------------------------------------------------
// The unsafe scenario: one column per thread, like lockdep's CPU0/CPU1.

interface Cell {
  column: number;
  text: string[];
}

const PSEUDO_ROLE: Record<string, { read: string; write: string }> = {
  fs_reclaim: { read: 'enter reclaim', write: 'enter reclaim' },
  dma_fence_map: { read: 'enter fence signalling', write: 'wait on fence' },
  mmu_notifier_invalidate_range_start: { read: 'mmu notifier invalidate', write: 'mmu notifier invalidate' },
};

/**
 * One scenario line as lockdep prints it: `rlock(` for a read acquisition
 * (lockdep's `read` != 0), `lock(` otherwise; a pseudo-lock gets the role
 * its mode plays (`mode`: the mode it is really taken in, which names the
 * role even where lockdep prints a plain `lock(`).
 */
function lockCell(cls: string, printRead: boolean, modeRead = printRead): string[] {
  const role = PSEUDO_ROLE[cls];
  const op = `${printRead ? 'rlock' : 'lock'}(${cls});`;
  return role ? [op, `(${modeRead ? role.read : role.write})`] : [op];
}

/** Whether the new lock of a chain edge is taken for read; a primed edge says it in its type only. */
function newIsRead(e: ChainEdge): boolean {
  return e.source.kind === 'model' ? e.source.read === true : e.type[1] === 'R';
}

function scenarioLines(f: Finding): Line[] {
  // Lock-order findings get lockdep's own scenario, built from the chain;
  // the rest show the trace's steps in thread columns.
  const lockOrder = f.kind === 'circular-dependency' || f.kind === 'recursive-locking';
  if (!(lockOrder && f.chain && f.chain.length > 0)) {
    return f.trace && f.trace.steps.length > 0 ? traceScenario(f.trace) : [];
  }
  const chain = f.chain;
  const closing = chain[chain.length - 1];
  if (f.kind === 'recursive-locking' || chain.length === 1) {
    // print_deadlock_scenario(): `lock(` twice, whatever the modes.
    const name = closing.source.kind === 'model' ? closing.source.thread : 'CPU0';
    return columns([name], [
      { column: 0, text: lockCell(closing.from, false, closing.type[0] === 'S') },
      { column: 0, text: lockCell(closing.to, false, newIsRead(closing)) },
    ]);
  }
  const view = chainView(chain);
  // print_circular_lock_scenario(): CPU0 takes the held lock and then the
  // new one, each `rlock(` when taken for read; CPU1 takes the parent (the
  // lock whose edge reached the held one) and then the held lock, always
  // printed `lock(`. The first letter of an edge type is its holder's
  // mode (Exclusive or Shared); the new lock's mode is the acquisition's.
  const into = view.path.length > 0 ? view.path[view.path.length - 1] : closing;
  let a = closing.source.kind === 'model' ? closing.source.thread : 'CPU0';
  let b = into.source.kind === 'model' ? into.source.thread : 'CPU1';
  if (a === b) {
    // One thread against itself (reclaim recursing into the allocator's
    // own context): lockdep's CPU names say it is two contexts.
    a = `CPU0 (${a})`;
    b = `CPU1 (${b})`;
  }
  const heldRead = closing.type[0] === 'S';
  const nextRead = newIsRead(closing);
  return columns([a, b], [
    { column: 0, text: lockCell(view.held, heldRead) },
    { column: 1, text: lockCell(into.from, false, into.type[0] === 'S') },
    { column: 1, text: lockCell(view.held, false, newIsRead(into)) },
    { column: 0, text: lockCell(view.next, nextRead) },
  ]);
}

function traceScenario(t: Trace): Line[] {
  const last = t.violatingStep ?? t.steps.length;
  const steps = t.steps.filter((s) => s.index <= last);
  const names: string[] = [];
  for (const s of steps) if (!names.includes(s.threadName)) names.push(s.threadName);
  const cells: Cell[] = steps.map((s) => ({ column: names.indexOf(s.threadName), text: stepCell(s) }));
  return columns(names, cells);
}

function stepCell(s: TraceStep): string[] {
  const text = [`${s.op}${s.outcome ? ` -> ${s.outcome}` : ''};${s.blocks ? ' <blocks>' : ''}`];
  if (s.role) text.push(`(${s.role})`);
  return text;
}

/** Hard-wrap a cell's text to the column width, breaking at spaces or `(`/`,` when possible. */
function fitCell(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    let cut = -1;
    for (let i = width; i >= 2; i--) {
      if (rest[i] === ' ') {
        cut = i;
        break;
      }
      if (rest[i - 1] === '(' || rest[i - 1] === ',') {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = width;
    out.push(rest.slice(0, cut).trimEnd());
    rest = '  ' + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

function columns(names: string[], cells: Cell[]): Line[] {
  const n = names.length;
  const indent = 2;
  const colW = Math.floor((TEXT_WIDTH - indent) / n);
  const inner = colW - 2;
  // The last column needs no gap after it.
  const room = (col: number) => (col === n - 1 ? TEXT_WIDTH - indent - colW * (n - 1) : inner);
  if (n > 4 || cells.some((c) => c.text.some((t) => t.length > room(c.column)))) {
    // Too many threads, or a name too long, for columns at 72: one row
    // per step, thread first, so nothing is cut inside a lock name.
    return cells.map((c) => ({ ...ln('  ', st('thread', `${names[c.column]}:`), ` ${c.text.join(' ')}`), hang: 6 }));
  }
  const pad = (cols: string[]): Line => {
    const text = cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(colW))).join('');
    return { ...ln(' '.repeat(indent) + text.trimEnd()), noWrap: true };
  };
  const out: Line[] = [];
  // Headers wrap inside their column rather than lose their end
  // (`mmu notifier (invalidate)` in a 35-column cell).
  const heads = names.map((nm, i) => fitCell(nm, room(i)));
  const headRows = Math.max(...heads.map((h) => h.length));
  for (let r = 0; r < headRows; r++) out.push(pad(heads.map((h) => h[r] ?? '')));
  out.push(pad(heads.map((h, i) => '-'.repeat(Math.min(Math.max(...h.map((x) => x.length)), room(i))))));
  for (const c of cells) {
    const lines = c.text.flatMap((t) => fitCell(t, room(c.column)));
    for (const l of lines) {
      const cols = names.map((_, i) => (i === c.column ? l : ''));
      out.push(pad(cols));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The interleaving and the final state.

function interleavingLines(t: Trace): Line[] {
  const n = t.steps.length;
  const out: Line[] = [
    ln(st('heading', `interleaving (${n} step${n === 1 ? '' : 's'}, ${t.preemptions} preemption${t.preemptions === 1 ? '' : 's'}):`)),
  ];
  const numW = String(n).length;
  for (const s of t.steps) {
    const num = `${String(s.index).padStart(numW)}.`;
    const marks: string[] = [];
    if (s.preemption) marks.push('preempts');
    if (t.violatingStep === s.index) marks.push('<-- violation');
    if (s.blocks) marks.push('<-- blocks');
    const cont = ' '.repeat(numW + 4);
    out.push({
      ...ln(
        `  ${num} `,
        st('thread', `[${s.threadName}]`),
        ` ${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}`,
        marks.length > 0 ? st(t.violatingStep === s.index || s.blocks ? 'bad' : 'warn', `  ${marks.join(', ')}`) : '',
      ),
      hang: numW + 6,
    });
    if (s.at) out.push(ln(cont, 'at ', st('loc', fmtRef(s.at))));
    if (s.via) out.push({ ...ln(cont, `via: ${callPath(s)}`), hang: numW + 6 });
    if (s.role) out.push({ ...ln(cont, `role: ${s.role}`), hang: numW + 6 });
    for (const c of s.context) out.push({ ...ln(cont, `in: ${c}`), hang: numW + 6 });
    out.push({ ...ln(cont, 'held: ', st('lock', s.held.length > 0 ? s.held.join(', ') : '(none)')), hang: numW + 6 });
  }
  return out;
}

/** `cs_ioctl -> amdgpu_cs_bind -> dma_resv_lock`: the functions an inlined call went through, then the call. */
function callPath(s: TraceStep): string {
  const api = s.op.replace(/\(.*$/, '');
  return [...(s.via ?? []), api].join(' -> ');
}

function stateLines(t: Trace): Line[] {
  const where = t.violatingStep !== undefined ? `after step ${t.violatingStep}` : 'terminal state';
  const out: Line[] = [ln(st('heading', `state at the violation (${where}):`))];
  for (const th of t.final.threads) {
    out.push({
      ...ln('  ', st('thread', th.thread), `: ${th.status}`, th.at ? ' at ' : '', st('loc', th.at ? fmtRef(th.at) : '')),
      hang: 6,
    });
    if (th.held.length > 0) out.push({ ...ln('      holds: ', st('lock', th.held.join(', '))), hang: 8 });
    if (th.waitingFor) out.push({ ...ln('      waits for: ', st('bad', waitText(th.waitingFor, th.thread))), hang: 8 });
  }
  if (t.final.fences.length > 0) {
    out.push({ ...ln(`  fences: ${t.final.fences.map((f) => `${f.name} ${f.state}`).join(', ')}`), hang: 4 });
  }
  const keys = Object.keys(t.final.other).sort();
  for (const k of keys) out.push({ ...ln(`  ${k}: ${t.final.other[k]}`), hang: 4 });
  return out;
}

/** Wrap and flatten; shared by text and pretty. */
export function layout(lines: Line[], width: number): Line[] {
  return lines.flatMap((l) => wrapLine(l, width));
}
