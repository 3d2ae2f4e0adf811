/**
 * `sarif`: SARIF 2.1.0 for code-scanning dashboards. Rules come from the
 * rule metadata, one result per finding, and the trace becomes a codeFlow
 * with one threadFlow per model thread (SARIF's own picture of
 * concurrency), steps ordered globally by `executionOrder`.
 */

import type { Diagnostic, Finding, ModelReport, Report, SourceRef, Trace } from '../../checker/report.js';
import { canonicalJson } from './json.js';
import type { RenderContext } from './types.js';
import { citationText, findingsOf, replayCommand } from './words.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export function sarifUri(file: string): string {
  const f = file.replace(/\\/g, '/');
  if (f.startsWith('/')) return `file://${encodeURI(f)}`;
  return encodeURI(f);
}

function physical(ref: SourceRef): Obj {
  const region: Obj = { startLine: Math.max(1, ref.line), startColumn: Math.max(1, ref.col) };
  if (ref.endLine !== undefined) region.endLine = Math.max(ref.line, ref.endLine);
  if (ref.endCol !== undefined && (ref.endLine === undefined || ref.endLine > ref.line || ref.endCol > ref.col)) {
    region.endColumn = Math.max(1, ref.endCol);
  }
  return { artifactLocation: { uri: sarifUri(ref.file) }, region };
}

function threadFlows(trace: Trace): Obj[] {
  const flows: Obj[] = [];
  const threads = [...trace.threads].sort((a, b) => a.id - b.id);
  for (const t of threads) {
    const steps = trace.steps.filter((s) => s.thread === t.id);
    const locations: Obj[] = steps.map((s) => {
      const loc: Obj = {
        message: { text: `${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${s.role ? ` (${s.role})` : ''}` },
      };
      if (s.at) loc.physicalLocation = physical(s.at);
      const tfl: Obj = {
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

function findingResult(f: Finding, m: ModelReport, ruleIndex: Map<string, number>, ctx: RenderContext): Obj {
  const meta = ctx.ruleMeta(f.rule);
  const r: Obj = {
    ruleId: f.rule,
    level: meta?.severity === 'warning' ? 'warning' : 'error',
    kind: 'fail',
    message: { text: f.message },
  };
  const idx = ruleIndex.get(f.rule);
  if (idx !== undefined) r.ruleIndex = idx;
  const at = f.at ?? f.trace?.steps.find((s) => s.index === f.trace?.violatingStep)?.at;
  r.locations = [at ? { physicalLocation: physical(at) } : { physicalLocation: { artifactLocation: { uri: sarifUri(m.file) } } }];
  if (f.trace) {
    r.codeFlows = [{ message: { text: `${f.trace.steps.length} steps, ${f.trace.preemptions} preemptions` }, threadFlows: threadFlows(f.trace) }];
  }
  const props: Obj = { check: f.check, findingKind: f.kind };
  if (f.possibleOnly) props.possibleOnly = true;
  if (f.chain) props.chain = f.chain.map((e) => `${e.from} -(${e.type})-> ${e.to}`);
  if (f.trace) {
    props.schedule = f.trace.schedule;
    props.replay = replayCommand(ctx.command ?? 'lockmc', m.file, f.trace.schedule);
  }
  r.properties = props;
  r.partialFingerprints = { lockmcFinding: `${f.rule}/${f.check}/${f.kind}` };
  return r;
}

function diagnosticResult(d: Diagnostic, fallbackFile: string | undefined): Obj {
  const r: Obj = {
    ruleId: d.code,
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: d.hint ? `${d.message} (hint: ${d.hint})` : d.message },
  };
  const file = d.file ?? fallbackFile;
  if (file) {
    const pl: Obj = { artifactLocation: { uri: sarifUri(file) } };
    if (d.line !== undefined) pl.region = { startLine: Math.max(1, d.line), startColumn: Math.max(1, d.col ?? 1) };
    r.locations = [{ physicalLocation: pl }];
  }
  return r;
}

export function buildSarif(report: Report, ctx: RenderContext): Obj {
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
  const rules: Obj[] = [];
  for (const id of ruleIds) {
    const meta = ctx.ruleMeta(id);
    ruleIndex.set(id, rules.length);
    const rd: Obj = { id };
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
    rules.push(rd);
  }
  for (const code of codes) {
    const title = ctx.diagnosticTitle?.(code);
    const rd: Obj = { id: code };
    if (title) rd.shortDescription = { text: title };
    rd.properties = { tags: ['lockmc-diagnostic'] };
    rules.push(rd);
  }
  const results: Obj[] = [];
  for (const m of report.models) {
    for (const d of m.diagnostics) results.push(diagnosticResult(d, m.file));
    for (const f of findingsOf(m.verdicts)) results.push(findingResult(f, m, ruleIndex, ctx));
  }
  for (const d of report.diagnostics) results.push(diagnosticResult(d, undefined));
  const codeIndex = new Map(codes.map((c, i) => [c, ruleIds.length + i]));
  for (const r of results) {
    const i = codeIndex.get(String(r.ruleId));
    if (i !== undefined && r.ruleIndex === undefined) r.ruleIndex = i;
  }
  const driver: Obj = {
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
        invocations: [{ executionSuccessful: ![2, 5, 70].includes(report.exitCode), exitCode: report.exitCode }],
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
