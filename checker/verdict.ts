/**
 * Combining per-check outcomes into one verdict per rule, and comparing a
 * model's verdicts with what its header says to expect.
 */

import type { Expectation } from '../model/ir.js';
import type { Diagnostic, Finding, Limit, Verdict, EngineName } from './report.js';
import { anchorOf } from './finding-anchor.js';

/** The outcome of one check of a rule, before combining. */
export type CheckOutcome =
  | { status: 'violated'; engine: EngineName; findings: Finding[] }
  | { status: 'proved'; engine: EngineName; detail?: string }
  | { status: 'holds-up-to'; engine: EngineName; bound: number }
  | { status: 'inconclusive'; engine: EngineName; limit: Limit };

const RANK: Record<CheckOutcome['status'], number> = { violated: 3, inconclusive: 2, 'holds-up-to': 1, proved: 0 };

/**
 * A rule is violated if any check is; otherwise inconclusive if any check
 * hit a limit; otherwise it holds up to the smallest bound any check
 * reached; proved only when every check was proved.
 */
export function combineOutcomes(rule: string, outcomes: CheckOutcome[]): Verdict {
  if (outcomes.length === 0) return { status: 'proved', rule, engine: 'lockgraph', detail: 'no check applies to this model' };
  const worst = Math.max(...outcomes.map((o) => RANK[o.status]));
  const top = outcomes.filter((o) => RANK[o.status] === worst);
  const first = top[0];
  switch (first.status) {
    case 'violated':
      return { status: 'violated', rule, engine: first.engine, findings: top.flatMap((o) => (o.status === 'violated' ? o.findings : [])) };
    case 'inconclusive':
      return { status: 'inconclusive', rule, engine: first.engine, limit: first.limit };
    case 'holds-up-to': {
      const min = top.reduce((m, o) => (o.status === 'holds-up-to' ? Math.min(m, o.bound) : m), Infinity);
      return { status: 'holds-up-to', rule, engine: first.engine, bound: min };
    }
    case 'proved': {
      const engines = [...new Set(outcomes.map((o) => o.engine))].join('+');
      return { status: 'proved', rule, engine: first.engine, detail: `every interleaving (${engines})` };
    }
  }
}

type ViolatesExpectation = Extract<Expectation, { kind: 'violates' }>;

/**
 * The line a finding is at, as SARIF places its alert (`anchorOf`); a
 * finding with no source position at all is on line 1, SARIF's whole-file
 * region.
 */
export function findingLine(f: Finding): number {
  return anchorOf(f)?.at.line ?? 1;
}

/** `rule/check at line`, as a header would write the expectation or the finding. */
function spell(rule: string, check?: string, line?: number): string {
  return `${rule}${check !== undefined ? `/${check}` : ''}${line !== undefined ? ` at ${line}` : ''}`;
}

/** Does this violated verdict have the finding `e` names (its check, at its line)? */
function meets(e: ViolatesExpectation, v: Extract<Verdict, { status: 'violated' }>): boolean {
  return v.findings.some((f) => (e.check === undefined || f.check === e.check) && (e.findingLine === undefined || findingLine(f) === e.findingLine));
}

/**
 * Does the model meet its `@expect` header? `checksOf` gives a rule's check
 * ids, so a header naming a check the rule does not have says so instead
 * of reading as a missed finding.
 */
export function evaluateExpectations(
  expect: Expectation[],
  verdicts: Verdict[],
  diagnostics: Diagnostic[],
  checksOf?: (rule: string) => readonly string[] | undefined,
): { met: boolean; detail: string } {
  const problems: string[] = [];
  const byRule = new Map(verdicts.map((v) => [v.rule, v]));
  const violated = verdicts.filter((v) => v.status === 'violated').map((v) => v.rule);
  const errorCodes = new Set<string>(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
  const expectsError = expect.some((e) => e.kind === 'error');
  if (!expectsError && errorCodes.size) problems.push(`unexpected error ${[...errorCodes].join(', ')}`);
  const expectedViolations = new Set(expect.flatMap((e) => (e.kind === 'violates' ? [e.rule] : [])));
  for (const e of expect) {
    switch (e.kind) {
      case 'error':
        if (!errorCodes.has(e.code)) problems.push(`expected error ${e.code}, got ${errorCodes.size ? [...errorCodes].join(', ') : 'none'}`);
        break;
      case 'violates': {
        const v = byRule.get(e.rule);
        const checks = e.check !== undefined ? checksOf?.(e.rule) : undefined;
        if (checks && !checks.includes(e.check!)) problems.push(`expected ${spell(e.rule, e.check, e.findingLine)} to be violated, but ${e.rule} has no check '${e.check}' (its checks: ${checks.join(', ')})`);
        else if (!v) problems.push(`expected ${e.rule} to be violated, but the rule was not checked`);
        else if (v.status !== 'violated') problems.push(`expected ${spell(e.rule, e.check, e.findingLine)} to be violated, got ${describeStatus(v)}`);
        else if (!meets(e, v)) {
          const got = [...new Set(v.findings.map((f) => spell(e.rule, f.check, findingLine(f))))].join(', ');
          problems.push(`expected ${spell(e.rule, e.check, e.findingLine)} to be violated, got ${got}`);
        }
        break;
      }
      case 'holds': {
        const ids = e.rules === 'all' ? verdicts.map((v) => v.rule).filter((r) => !expectedViolations.has(r)) : e.rules;
        for (const id of ids) {
          const v = byRule.get(id);
          if (!v) {
            if (e.rules !== 'all') problems.push(`expected ${id} to hold, but the rule was not checked`);
            continue;
          }
          if (v.status === 'violated' || v.status === 'inconclusive') problems.push(`expected ${id} to hold, got ${describeStatus(v)}`);
        }
        break;
      }
    }
  }
  if (expect.length === 0) return { met: violated.length === 0, detail: 'no @expect header' };
  return problems.length ? { met: false, detail: problems.join('; ') } : { met: true, detail: 'as declared' };
}

export function describeStatus(v: Verdict): string {
  switch (v.status) {
    case 'proved':
      return 'proved';
    case 'holds-up-to':
      return `holds up to ${v.bound}`;
    case 'violated':
      return 'violated';
    case 'inconclusive':
      return `inconclusive (${describeLimit(v.limit)})`;
    case 'skipped':
      return `skipped (${v.reason})`;
    case 'not-applicable':
      return `not applicable (${v.reason})`;
  }
}

export function describeLimit(l: Limit): string {
  switch (l.kind) {
    case 'timeout':
      return `time-out after ${l.ms} ms`;
    case 'interrupted':
      return `interrupted by ${l.signal}${l.phase ? ` in ${l.phase}` : ''}`;
    case 'memory':
      return `memory limit ${l.mb} MB`;
    case 'states':
      return `state limit ${l.max}`;
    case 'z3-unknown':
      return `Z3 answered unknown: ${l.reason}`;
    case 'solver-failure':
      return `solver failure: ${l.detail}`;
  }
}

/**
 * The model missed its declared verdict only because engines hit limits:
 * no rule it expects to be violated holds, no rule it expects to hold is
 * violated, expected errors are there, and something is inconclusive.
 */
export function expectationOnlyLimited(m: { expected?: Expectation[]; verdicts: Verdict[]; diagnostics: Diagnostic[] }): boolean {
  const expected = m.expected ?? [];
  const violates = new Set(expected.flatMap((e) => (e.kind === 'violates' ? [e.rule] : [])));
  const status = (id: string) => m.verdicts.find((v) => v.rule === id)?.status;
  const expectedErrors = new Set(expected.flatMap((e) => (e.kind === 'error' ? [e.code] : [])));
  if (m.diagnostics.some((d) => d.severity === 'error' && !expectedErrors.has(d.code))) return false;
  for (const e of expected) {
    if (e.kind === 'error' && !m.diagnostics.some((d) => d.code === e.code)) return false;
    if (e.kind === 'violates') {
      const v = m.verdicts.find((x) => x.rule === e.rule);
      // A violation elsewhere than declared is a miss, not a limit.
      if (v?.status !== 'inconclusive' && !(v?.status === 'violated' && meets(e, v))) return false;
    }
    if (e.kind === 'holds') {
      const ids = e.rules === 'all' ? m.verdicts.map((v) => v.rule).filter((r) => !violates.has(r)) : e.rules;
      if (ids.some((id) => status(id) === 'violated')) return false;
    }
  }
  return m.verdicts.some((v) => v.status === 'inconclusive');
}
