/**
 * `lockmc rules diff` output: text, json, markdown (a merge-request
 * comment: a short table, the details folded) and sarif (one result per
 * introduced violation). Pure functions of the RulesDiff.
 */
import type * as Sarif from 'sarif';
import { formatDiagnostic } from '../../model/diagnostics.js';
import type { DiffSide, PairDiff, RulesDiff } from '../../checker/gate/types.js';
import { canonicalJson } from './json.js';
import { sarifUri } from './sarif.js';

function sideName(s: DiffSide): string {
  return s.kind === 'git' && s.commit ? `${s.label} (${s.commit.slice(0, 12)})` : s.label;
}

function pairLine(p: PairDiff): string {
  const at = p.findings.length > 0 ? ` at ${p.findings.map((f) => `${f.check}${f.line !== undefined ? `:${f.line}` : ''}`).join(', ')}` : '';
  return `${p.model}: ${p.rule}: ${p.base} -> ${p.head}${at}`;
}

export function gateSummary(d: RulesDiff): string {
  const failed = d.headers.filter((h) => !h.ok);
  if (failed.length > 0) return `FAILED: ${failed.length} model${failed.length === 1 ? '' : 's'} changed verdict without ${failed.length === 1 ? 'its' : 'their'} @expect header`;
  return d.exitCode === 0 ? 'passed' : 'failed';
}

export function renderDiffText(d: RulesDiff): string {
  const c = d.counts;
  const out = [
    `lockmc rules diff ${sideName(d.base)} -> ${sideName(d.head)}`,
    `  ${d.head.models} models; pairs: ${c.introduced} introduced, ${c.fixed} fixed, ${c.changed} changed, ${c.unchanged} unchanged`,
    `  cache: base ${d.base.cache.hits} hits / ${d.base.cache.misses} misses, head ${d.head.cache.hits} hits / ${d.head.cache.misses} misses`,
  ];
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push('', `${title}:`, ...items.map((i) => `  ${i}`));
  };
  section('introduced', d.pairs.filter((p) => p.change === 'introduced').map(pairLine));
  section('fixed', d.pairs.filter((p) => p.change === 'fixed').map(pairLine));
  section('changed', d.pairs.filter((p) => p.change === 'changed').map(pairLine));
  section('permitted by the new rules (violated before, hold now; model unchanged)', d.permitted.map((p) => `${p.model}: ${p.rule}`));
  section('headers', d.headers.map((h) => `${h.ok ? 'ok  ' : 'FAIL'} ${h.model} (${h.rules.join(', ')}): ${h.reason}`));
  if (d.diagnostics.length > 0) {
    out.push('', 'diagnostics:');
    for (const x of d.diagnostics) out.push(...formatDiagnostic(x).split('\n').map((l) => `  ${l}`));
  }
  out.push('', `gate: ${gateSummary(d)}; exit ${d.exitCode}`);
  return out.join('\n') + '\n';
}

export function renderDiffJson(d: RulesDiff): string {
  return canonicalJson(d) + '\n';
}

/** Markdown table cells: a `|` or a newline would break the row. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function pairTable(pairs: PairDiff[]): string[] {
  return [
    '| model | rule | before | after | where |',
    '| --- | --- | --- | --- | --- |',
    ...pairs.map(
      (p) =>
        `| \`${cell(p.model)}\` | \`${cell(p.rule)}\` | ${p.base} | ${p.head} | ${cell(p.findings.map((f) => `${f.check}${f.line !== undefined ? ` line ${f.line}` : ''}`).join(', ') || '-')} |`,
    ),
  ];
}

export function renderDiffMarkdown(d: RulesDiff): string {
  const c = d.counts;
  const out = [
    `### lockmc rules diff: ${d.exitCode === 0 ? 'passed' : 'failed'}`,
    '',
    `\`${cell(sideName(d.base))}\` → \`${cell(sideName(d.head))}\`, ${d.head.models} models`,
    '',
    '| introduced | fixed | changed | unchanged | permitted |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${c.introduced} | ${c.fixed} | ${c.changed} | ${c.unchanged} | ${d.permitted.length} |`,
  ];
  const failed = d.headers.filter((h) => !h.ok);
  if (failed.length > 0) {
    out.push('', `**${cell(gateSummary(d))}:**`, '', ...failed.map((h) => `- \`${cell(h.model)}\` (${cell(h.rules.join(', '))}): ${cell(h.reason)}`));
  }
  const details = (title: string, pairs: PairDiff[]) => {
    if (pairs.length === 0) return;
    out.push('', `<details><summary>${title} (${pairs.length})</summary>`, '', ...pairTable(pairs), '', '</details>');
  };
  details('Introduced violations', d.pairs.filter((p) => p.change === 'introduced'));
  details('Fixed', d.pairs.filter((p) => p.change === 'fixed'));
  details('Changed status', d.pairs.filter((p) => p.change === 'changed'));
  details('Permitted by the new rules (violated before, hold now)', d.permitted);
  if (d.diagnostics.length > 0) {
    out.push('', `<details><summary>Diagnostics (${d.diagnostics.length})</summary>`, '', '```', ...d.diagnostics.map(formatDiagnostic), '```', '', '</details>');
  }
  return out.join('\n') + '\n';
}

/** SARIF: one result per introduced violation, at the finding's line; the gate's failures as notifications. */
export function renderDiffSarif(d: RulesDiff, version: string): string {
  const introduced = d.pairs.filter((p) => p.change === 'introduced');
  const ruleIds = [...new Set(introduced.map((p) => p.rule))].sort();
  const results: Sarif.Result[] = introduced.flatMap((p) =>
    (p.findings.length > 0 ? p.findings : [{ check: '', message: `${p.rule} is violated (it was ${p.base} at ${d.base.label})` }]).map((f) => {
      const region = 'line' in f && f.line !== undefined ? { region: { startLine: f.line } } : {};
      return {
        ruleId: p.rule,
        ruleIndex: ruleIds.indexOf(p.rule),
        level: 'error' as const,
        message: { text: `${f.message} (introduced: ${p.base} at ${d.base.label})` },
        locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(p.model), uriBaseId: '%SRCROOT%' }, ...region } }],
        properties: { check: f.check, change: p.change },
      };
    }),
  );
  const notifications: Sarif.Notification[] = d.diagnostics.map((x) => ({
    descriptor: { id: x.code },
    level: x.severity === 'error' ? 'error' : 'warning',
    message: { text: x.message },
  }));
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'lockmc', version, semanticVersion: version, rules: ruleIds.map((id) => ({ id })) } },
        invocations: [
          { executionSuccessful: ![2, 5, 70].includes(d.exitCode), exitCode: d.exitCode, ...(notifications.length > 0 ? { toolConfigurationNotifications: notifications } : {}) },
        ],
        results,
        properties: { base: d.base.label, head: d.head.label, counts: d.counts },
      },
    ],
  };
  return canonicalJson(log) + '\n';
}
