/**
 * One root cause, one report: findings of a model that share a schedule
 * (the same interleaving trips several rules) or a lock-order cycle (the
 * generic lockdep rule and a specific one see the same cycle; a deadlock
 * realises a reported cycle) form one group. Every finding keeps its place
 * in its verdict and gets the group's id (`Finding.group`, 1-based in
 * finding order), so JSON, SARIF and JUnit still list each finding while
 * text, pretty and html print one report per group, under its first
 * finding (`groupsOf`).
 */

import { chainKey } from './findings.js';
import type { Finding, Verdict } from './report.js';

/** Set `group` on every finding of `verdicts` (one model's). */
export function assignGroups(verdicts: readonly Verdict[]): void {
  const all = verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : []));
  const parent = all.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // The earlier finding stays the root: group ids follow finding order.
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstBy = new Map<string, number>();
  const link = (key: string | undefined, i: number) => {
    if (key === undefined) return;
    const j = firstBy.get(key);
    if (j === undefined) firstBy.set(key, i);
    else union(i, j);
  };
  all.forEach((f, i) => {
    if (f.trace) link(`schedule:${f.trace.schedule}`, i);
    const cycle = f.kind === 'circular-dependency' ? chainKey(f) : undefined;
    if (cycle) link(`cycle:${cycle}`, i);
  });
  const ids = new Map<number, number>();
  all.forEach((f, i) => {
    const root = find(i);
    if (!ids.has(root)) ids.set(root, ids.size + 1);
    f.group = ids.get(root)!;
  });
}

export interface FindingGroup {
  /** The finding whose report is printed: a cycle shown in full (not `sameAs`) first, else the first finding. */
  lead: Finding;
  /** The group's other findings, in finding order. */
  also: Finding[];
}

/**
 * The findings of a model's verdicts as groups, in order of first
 * appearance. Findings without a `group` (a report from before groups)
 * are each their own group.
 */
export function groupsOf(findings: readonly Finding[]): FindingGroup[] {
  const byId = new Map<number, Finding[]>();
  const order: Finding[][] = [];
  for (const f of findings) {
    if (f.group === undefined) {
      order.push([f]);
      continue;
    }
    let g = byId.get(f.group);
    if (!g) {
      byId.set(f.group, (g = []));
      order.push(g);
    }
    g.push(f);
  }
  return order.map((g) => {
    const lead = g.find((f) => f.kind === 'circular-dependency' && !f.sameAs) ?? g.find((f) => !f.sameAs) ?? g[0];
    return { lead, also: g.filter((f) => f !== lead) };
  });
}
