/**
 * `sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning
 * first). Rules come from the rule metadata with their docs page as
 * `help`, one result per finding, and the trace becomes a codeFlow with
 * one threadFlow per model thread (SARIF's own picture of concurrency),
 * steps ordered globally by `executionOrder`.
 *
 * What code scanning relies on: every result has a `ruleId`, a location
 * relative to the repository root (`uriBaseId` %SRCROOT%) with a region,
 * and a fingerprint of its own (`lockmcFindingHash/v1`, see anchor.ts) so
 * distinct findings are distinct alerts and a re-run updates, not
 * duplicates, them. A violation the model declares (`@expect violates`)
 * is reported suppressed in source, citing the `@expect` line.
 */

import type * as Sarif from 'sarif';
import type { Diagnostic, Finding, ModelReport, Report, SourceRef, Trace } from '../../checker/report.js';
import { anchorOf, diagnosticIdentity, findingIdentity, fingerprint } from './anchor.js';
import { canonicalJson } from './json.js';
import type { RenderContext } from './types.js';
import { citationText, replayCommand, ruleInfo } from './words.js';

/** Our own fingerprint key: GitHub computes and owns `primaryLocationLineHash`. */
export const FINGERPRINT_KEY = 'lockmcFindingHash/v1';

const SRCROOT = '%SRCROOT%';

export function sarifUri(file: string): string {
  const f = file.replace(/\\/g, '/');
  if (f.startsWith('/')) return `file://${encodeURI(f)}`;
  return encodeURI(f);
}

function artifact(file: string): Sarif.ArtifactLocation {
  const uri = sarifUri(file);
  // Relative paths are relative to where lockmc ran, which in CI is the checkout.
  return uri.startsWith('file:') ? { uri } : { uri, uriBaseId: SRCROOT };
}

function physical(ref: SourceRef): Sarif.PhysicalLocation {
  const region: Sarif.Region = { startLine: Math.max(1, ref.line), startColumn: Math.max(1, ref.col) };
  if (ref.endLine !== undefined) region.endLine = Math.max(ref.line, ref.endLine);
  if (ref.endCol !== undefined && (ref.endLine === undefined || ref.endLine > ref.line || ref.endCol > ref.col)) {
    region.endColumn = Math.max(1, ref.endCol);
  }
  return { artifactLocation: artifact(ref.file), region };
}

/** A file with no better position: its first line, so the result still has a region. */
function wholeFile(file: string): Sarif.PhysicalLocation {
  return { artifactLocation: artifact(file), region: { startLine: 1 } };
}

function threadFlows(trace: Trace): Sarif.ThreadFlow[] {
  const flows: Sarif.ThreadFlow[] = [];
  const threads = [...trace.threads].sort((a, b) => a.id - b.id);
  for (const t of threads) {
    const steps = trace.steps.filter((s) => s.thread === t.id);
    const locations: Sarif.ThreadFlowLocation[] = steps.map((s) => {
      const loc: Sarif.Location = {
        message: { text: `${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${s.role ? ` (${s.role})` : ''}` },
      };
      if (s.at) loc.physicalLocation = physical(s.at);
      const tfl: Sarif.ThreadFlowLocation = {
        location: loc,
        executionOrder: s.index,
        nestingLevel: s.context.length,
        properties: { held: [...s.held], preemption: s.preemption, context: [...s.context] },
      };
      if (trace.violatingStep === s.index) tfl.kinds = ['danger'];
      return tfl;
    });
    if (locations.length === 0) {
      // SARIF requires at least one location per threadFlow; a thread the
      // trace never scheduled still appears, marked as such.
      locations.push({ location: { message: { text: `${t.name} did not run in this trace` } }, importance: 'unimportant' });
    }
    flows.push({ id: t.name, message: { text: `${t.name} (${t.kind})` }, locations });
  }
  return flows;
}

/** The `@expect violates <rule>` that declares this finding, if the model has one. */
function declaration(m: ModelReport, rule: string): Sarif.Suppression | undefined {
  const e = m.expected?.find((x) => x.kind === 'violates' && x.rule === rule);
  if (!e) return undefined;
  const where = e.line !== undefined ? `${m.file}:${e.line}` : m.file;
  return { kind: 'inSource', justification: `@expect violates ${rule} at ${where}` };
}

function findingResult(f: Finding, m: ModelReport, ruleIndex: Map<string, number>, ctx: RenderContext, seen: Map<string, number>, run: Pick<Report, 'options' | 'rules'>): Sarif.Result {
  const meta = ruleInfo(run, f.rule);
  const r: Sarif.Result = {
    ruleId: f.rule,
    level: meta?.severity === 'warning' ? 'warning' : 'error',
    kind: 'fail',
    message: { text: f.message },
  };
  const idx = ruleIndex.get(f.rule);
  if (idx !== undefined) r.ruleIndex = idx;
  const anchor = anchorOf(f);
  r.locations = [{ physicalLocation: anchor ? physical(anchor.at) : wholeFile(m.file) }];
  if (f.trace) {
    r.codeFlows = [{ message: { text: `${f.trace.steps.length} steps, ${f.trace.preemptions} preemptions` }, threadFlows: threadFlows(f.trace) }];
  }
  const props: Sarif.PropertyBag = { check: f.check, findingKind: f.kind };
  if (anchor) props.anchor = anchor.kind;
  if (f.possibleOnly) props.possibleOnly = true;
  if (f.chain) props.chain = f.chain.map((e) => `${e.from} -(${e.type})-> ${e.to}`);
  if (f.trace) {
    props.schedule = f.trace.schedule;
    props.replay = replayCommand(ctx.command ?? 'lockmc', m.file, f.trace.schedule, run.options);
  }
  r.properties = props;
  // Two findings with the same identity in one run (the same bug reported
  // twice) still get distinct values.
  r.partialFingerprints = { [FINGERPRINT_KEY]: occurrence(findingIdentity(f, m.file), seen) };
  const suppression = declaration(m, f.rule);
  if (suppression) r.suppressions = [suppression];
  return r;
}

/** `hash:n`, n counting earlier results with the same identity in this run (1-based), as GitHub does for its own line hashes. */
function occurrence(identity: string, seen: Map<string, number>): string {
  const hash = fingerprint(identity);
  const n = (seen.get(hash) ?? 0) + 1;
  seen.set(hash, n);
  return `${hash}:${n}`;
}

function diagnosticMessage(d: Diagnostic): Sarif.Message {
  return { text: d.hint ? `${d.message} (hint: ${d.hint})` : d.message };
}

function diagnosticResult(d: Diagnostic, fallbackFile: string | undefined, seen: Map<string, number>): Sarif.Result {
  const r: Sarif.Result = {
    ruleId: d.code,
    level: d.severity === 'error' ? 'error' : 'warning',
    message: diagnosticMessage(d),
  };
  const file = d.file ?? fallbackFile;
  if (file) {
    const pl = d.line !== undefined ? physical({ file, line: d.line, col: d.col ?? 1 }) : wholeFile(file);
    r.locations = [{ physicalLocation: pl }];
    r.partialFingerprints = { [FINGERPRINT_KEY]: occurrence(diagnosticIdentity(d, file), seen) };
  }
  return r;
}

function ruleDescriptor(id: string, report: Report, ctx: RenderContext): Sarif.ReportingDescriptor {
  const meta = ruleInfo(report, id);
  const doc = ctx.ruleHelp?.(id);
  const rd: Sarif.ReportingDescriptor = { id };
  const text = meta ? `${meta.summary}\n\n${meta.rationale}` : `lockmc rule ${id}.`;
  // A rule without a docs page (a user rule) still gets help from its metadata.
  rd.help = { text, markdown: doc?.markdown ?? text };
  if (doc) rd.helpUri = doc.uri;
  if (meta) {
    rd.shortDescription = { text: meta.summary };
    rd.fullDescription = { text: meta.rationale };
    rd.defaultConfiguration = { level: meta.severity === 'warning' ? 'warning' : 'error' };
    rd.properties = {
      family: meta.family,
      covers: [...meta.covers],
      citations: meta.citations.map(citationText),
      tags: ['concurrency', 'locking', meta.family],
    };
  }
  return rd;
}

function diagnosticDescriptor(code: string, ctx: RenderContext): Sarif.ReportingDescriptor {
  const title = ctx.diagnosticTitle?.(code);
  const explanation = ctx.diagnosticHelp?.(code);
  const rd: Sarif.ReportingDescriptor = { id: code };
  if (title) rd.shortDescription = { text: title };
  const text = [title ? `${code}: ${title}.` : `${code}.`, explanation, `Run \`lockmc explain ${code}\` for more.`].filter(Boolean).join(' ');
  rd.help = { text, markdown: text };
  rd.properties = { tags: ['lockmc-diagnostic'] };
  return rd;
}

export function buildSarif(report: Report, ctx: RenderContext): Sarif.Log {
  const ruleIds: string[] = [];
  const codes: string[] = [];
  for (const m of report.models) {
    for (const v of m.verdicts) if (!ruleIds.includes(v.rule)) ruleIds.push(v.rule);
  }
  for (const d of [...report.diagnostics, ...report.models.flatMap((m) => m.diagnostics)]) {
    if (!codes.includes(d.code)) codes.push(d.code);
  }
  ruleIds.sort();
  codes.sort();
  const ruleIndex = new Map<string, number>();
  const rules: Sarif.ReportingDescriptor[] = [];
  for (const id of ruleIds) {
    ruleIndex.set(id, rules.length);
    rules.push(ruleDescriptor(id, report, ctx));
  }
  for (const code of codes) rules.push(diagnosticDescriptor(code, ctx));
  const results: Sarif.Result[] = [];
  const seen = new Map<string, number>();
  for (const m of report.models) {
    for (const d of m.diagnostics) results.push(diagnosticResult(d, m.file, seen));
    for (const v of m.verdicts) {
      if (v.status !== 'violated') continue;
      for (const f of v.findings) results.push(findingResult(f, m, ruleIndex, ctx, seen, report));
    }
  }
  // A run-level diagnostic with no file (an unknown rule on the command
  // line) has nowhere to be shown as a result: code scanning drops results
  // without a location. SARIF's place for it is the invocation's
  // configuration notifications.
  const notifications: Sarif.Notification[] = [];
  for (const d of report.diagnostics) {
    if (d.file !== undefined) results.push(diagnosticResult(d, undefined, seen));
    else notifications.push({ descriptor: { id: d.code }, level: d.severity === 'error' ? 'error' : 'warning', message: diagnosticMessage(d) });
  }
  const invocation: Sarif.Invocation = { executionSuccessful: ![2, 5, 70].includes(report.exitCode), exitCode: report.exitCode };
  if (notifications.length > 0) invocation.toolConfigurationNotifications = notifications;
  const codeIndex = new Map(codes.map((c, i) => [c, ruleIds.length + i]));
  for (const r of results) {
    const i = codeIndex.get(String(r.ruleId));
    if (i !== undefined && r.ruleIndex === undefined) r.ruleIndex = i;
  }
  const driver: Sarif.ToolComponent = {
    name: report.tool.name,
    version: report.tool.version,
    semanticVersion: report.tool.version,
    rules,
  };
  if (report.tool.z3) driver.properties = { z3: report.tool.z3 };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        // Usage, rule-definition and internal errors mean the analysis did not run.
        invocations: [invocation],
        results,
        properties: {
          verdicts: report.models.flatMap((m) => m.verdicts.map((v) => `${m.file}: ${v.rule}: ${v.status}`)),
        },
      },
    ],
  };
}

export function renderSarif(report: Report, ctx: RenderContext): string {
  return canonicalJson(buildSarif(report, ctx)) + '\n';
}
