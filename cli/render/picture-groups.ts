/**
 * Which findings of a model share one picture. Findings with one root
 * cause are one group: the report's `group` id when the checker assigns
 * one, else the schedule of their trace (the same interleaving drawn
 * twice is one picture). Findings without a trace draw nothing.
 */

import type { Finding, ModelReport, Trace } from '../../checker/report.js';
import { findingsOf } from './words.js';

export interface PictureGroup {
  /** The trace drawn: the first finding's of the group. */
  trace: Trace;
  /** Every finding the picture stands for, in report order. */
  findings: Finding[];
}

/** The group key: the checker's `group` id when present (issue #12 item 3), else the trace's schedule. */
function groupKey(f: Finding & { trace: Trace }): string {
  const g = (f as { group?: unknown }).group;
  return typeof g === 'string' || typeof g === 'number' ? `group:${g}` : `schedule:${f.trace.schedule}`;
}

export function pictureGroups(model: ModelReport): PictureGroup[] {
  const groups = new Map<string, PictureGroup>();
  for (const f of findingsOf(model.verdicts)) {
    if (!f.trace) continue;
    const key = groupKey(f as Finding & { trace: Trace });
    const g = groups.get(key);
    if (g) g.findings.push(f);
    else groups.set(key, { trace: f.trace, findings: [f] });
  }
  return [...groups.values()];
}

/** The picture's title and its sub-lines: the rules it stands for, then each finding's message once. */
export function groupTitle(g: PictureGroup, file: string): { title: string; lines: string[] } {
  const rules: string[] = [];
  for (const f of g.findings) if (!rules.includes(f.rule)) rules.push(f.rule);
  const lines: string[] = [];
  for (const f of g.findings) {
    const line = `${f.rule} (${f.check}): ${f.message}`;
    if (!lines.includes(line)) lines.push(line);
  }
  return { title: `${rules.join(', ')}: ${file}`, lines };
}
