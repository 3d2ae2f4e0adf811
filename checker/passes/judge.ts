/**
 * Pass `judge`: one verdict per rule (checker/verdict.ts `combineOutcomes`:
 * violated if any check is, inconclusive if any hit a limit, ...), the
 * kernel's skipped rules after them, and a cycle that several rules see
 * shown once. A replay's verdicts are the violations its schedule ends in.
 * The model's `@expect` is compared with these verdicts where the model's
 * report is assembled (checker/pipeline.ts `modelReport`), for every path.
 */

import type { Diagnostic } from '../../model/diagnostics.js';
import { chainKey } from '../findings.js';
import { assignGroups } from '../finding-groups.js';
import type { Finding, Verdict } from '../report.js';
import { combineOutcomes, type CheckOutcome } from '../verdict.js';
import { NOT_APPLICABLE_REASON, notApplicableRules } from './applicability.js';
import type { BackPass, JudgeOutput, PassEnv, PassResult, Products } from './types.js';

type Needs = 'select-rules' | 'lock-graph' | 'compile' | 'decide' | 'explain';

export const judgePass: BackPass<'judge', Needs> = {
  name: 'judge',
  run: judge,
  dump: (out) => out,
};

async function judge(env: PassEnv, p: Pick<Products, Needs>): Promise<PassResult<JudgeOutput>> {
  return p.decide.kind === 'engines' ? judgeCheck(p) : judgeReplay(env, p);
}

function judgeCheck(p: Pick<Products, Needs>): PassResult<JudgeOutput> {
  const decide = p.decide;
  if (decide.kind !== 'engines') throw new Error('unreachable: judgeCheck on a replay');
  const { ts } = p.compile;
  const { rules, skipped } = p['select-rules'];
  // Per rule, its checks' outcomes in property order, then the lock graph's.
  const outcomes = new Map<string, CheckOutcome[]>();
  const push = (rule: string, o: CheckOutcome) => {
    let l = outcomes.get(rule);
    if (!l) outcomes.set(rule, (l = []));
    l.push(o);
  };
  ts.properties.forEach((prop, i) => {
    const d = decide.decisions[i];
    if (d.status !== 'violated') return push(prop.rule, d);
    const f = p.explain.findings.find((x) => x.property === i);
    if (f) push(prop.rule, { status: 'violated', engine: f.engine, findings: [f.finding] });
  });
  for (const g of p.explain.graph) push(g.rule, g.outcome);

  const vacuous = notApplicableRules(rules, ts, p['lock-graph'].graph);
  const verdicts: Verdict[] = [...rules.map((r) => applicable(combineOutcomes(r.meta.id, outcomes.get(r.meta.id) ?? []), vacuous)), ...skipped];
  markSameCycles(verdicts);
  assignGroups(verdicts);
  const stats = {
    engine: decide.runs.map((r) => r.engine as string).concat('lockgraph'),
    states: decide.runs.find((r) => r.engine === 'explicit')?.stats.states,
    transitions: ts.transitions.length,
    bound: decide.runs.find((r) => r.engine === 'bmc')?.stats.bound,
    completenessBound: ts.completenessBound,
  };
  return { kind: 'ok', output: { verdicts, stats } };
}

/** A rule nothing in the model can match holds vacuously: `not-applicable`, never `proved` (checker/passes/applicability.ts). */
function applicable(v: Verdict, vacuous: Set<string>): Verdict {
  if (!vacuous.has(v.rule) || (v.status !== 'proved' && v.status !== 'holds-up-to')) return v;
  return { status: 'not-applicable', rule: v.rule, reason: NOT_APPLICABLE_REASON };
}

function judgeReplay(env: PassEnv, p: Pick<Products, Needs>): PassResult<JudgeOutput> {
  const verdicts: Verdict[] = [];
  for (const { finding } of p.explain.findings) {
    const existing = verdicts.find((x) => x.rule === finding.rule);
    if (existing && existing.status === 'violated') existing.findings.push(finding);
    else verdicts.push({ status: 'violated', rule: finding.rule, engine: 'explicit', findings: [finding] });
  }
  assignGroups(verdicts);
  const diagnostics: Diagnostic[] = [];
  if (verdicts.length === 0) {
    const hint = 'the model or the rule set changed since the token was printed: run lockmc check again';
    diagnostics.push({ code: 'LMC404', severity: 'error', message: 'the schedule replays but ends in no violation', file: env.file, hint });
  }
  return { kind: 'ok', output: { verdicts, stats: { engine: ['replay'] } }, diagnostics };
}

/**
 * The generic lockdep rule sees every cycle a specific rule reports; show
 * such a cycle in full once, under the specific rule, and let the others
 * point at it.
 */
function markSameCycles(verdicts: Verdict[]): void {
  const primary = new Map<string, Finding>();
  const all = verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : []));
  // Specific rules first: the generic one only keeps cycles nobody else explains.
  const order = [...all.filter((f) => f.rule !== GENERIC_CYCLE_RULE), ...all.filter((f) => f.rule === GENERIC_CYCLE_RULE)];
  for (const f of order) {
    if (f.kind !== 'circular-dependency') continue;
    const key = chainKey(f);
    if (!key) continue;
    const first = primary.get(key);
    if (first) f.sameAs = { rule: first.rule, check: first.check };
    else primary.set(key, f);
  }
}

const GENERIC_CYCLE_RULE = 'lockdep-circular-dependency';
