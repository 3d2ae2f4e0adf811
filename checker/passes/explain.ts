/**
 * Pass `explain`: what a user reads. Each canonical violation becomes a
 * finding with its trace (checker/trace.ts) and the rule's message
 * (checker/findings.ts); the lock graph's cycles and recursions become
 * findings too, a cycle carrying the deadlock trace that realises it when
 * an interleaving engine found one.
 */

import type { DriverModel, ExtractedModel } from '../../model/ir.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Rule } from '../../rules/types.js';
import type { Evaluator } from '../semantics/eval.js';
import type { Property, Schedule, TransitionSystem } from '../semantics/system.js';
import { buildTrace } from '../trace.js';
import { heldCulprit } from '../held-culprit.js';
import { referencesFor } from '../references.js';
import { opLock } from '../semantics/patterns.js';
import type { LockGraph } from '../engines/lockgraph/types.js';
import { cycleFinding, cyclesFor, messageFor, opVars, recursionFinding } from '../findings.js';
import { lockdepFindings } from '../lockdep-findings.js';
import { terminalAnchor } from '../terminal-anchor.js';
import type { Finding, Trace, Wait } from '../report.js';
import type { CheckOutcome } from '../verdict.js';
import type { BackPass, DecideOutput, ExplainOutput, PassEnv, PassResult, Products } from './types.js';

type Needs = 'load' | 'select-rules' | 'lock-graph' | 'compile' | 'decide' | 'canonicalise';

export const explainPass: BackPass<'explain', Needs> = {
  name: 'explain',
  run: explain,
  dump: (out) => out,
};

async function explain(env: PassEnv, p: Pick<Products, Needs>): Promise<PassResult<ExplainOutput>> {
  const { ts, ev } = p.compile;
  const { model, sourceMap } = p.load.extracted;
  // `check` explains with the rule set it ran; a token names properties of
  // this kernel's rules only, and one whose rule is gone explains nothing.
  const rules = p.decide.kind === 'engines' ? env.ruleCtx.rules : p['select-rules'].rules;
  const findings: ExplainOutput['findings'] = [];
  for (const v of p.canonicalise.violations) {
    const rule = rules.find((r) => r.meta.id === ts.properties[v.property].rule);
    if (!rule) continue;
    const graph = p['lock-graph'].graph;
    findings.push({ property: v.property, engine: v.engine, finding: findingFor(ts, ev, model, sourceMap, rule, v.property, v.schedule, graph) });
  }
  const cite = (f: Finding): void => {
    const rule = rules.find((r) => r.meta.id === f.rule);
    if (rule) f.references = referencesFor(f, rule.meta.citations);
  };
  for (const f of findings) cite(f.finding);
  if (p.decide.kind === 'token') return { kind: 'ok', output: { findings, graph: [] } };
  const deadlockTraces = findings.filter((f) => ts.properties[f.property].kind === 'deadlock' && f.finding.trace).map((f) => f.finding.trace!);
  const graph = graphOutcomes(p['select-rules'].rules, p['lock-graph'].graph, model, sourceMap, deadlockTraces, deadlockSearch(ts, p.decide));
  for (const g of graph) if (g.outcome.status === 'violated') for (const f of g.outcome.findings) cite(f);
  const diagnostics: Diagnostic[] = [];
  if (p['lock-graph'].graph.built.truncated.length) {
    diagnostics.push({ code: 'LMC402', severity: 'warning', message: `lock graph truncated: ${p['lock-graph'].graph.built.truncated[0]}`, file: env.file });
  }
  return { kind: 'ok', output: { findings, graph }, diagnostics };
}

/** Whether the interleaving engines could have realised a lock-graph cycle. */
function deadlockSearch(ts: TransitionSystem, decide: Extract<DecideOutput, { kind: 'engines' }>): NonNullable<Finding['realisation']> {
  const dl = ts.properties.map((p, i) => ({ p, i })).filter((x) => x.p.kind === 'deadlock');
  const dlResults = dl.flatMap((x) => decide.runs.map((r) => r.results[x.i]));
  if (dl.length === 0) return { status: 'not-checked' };
  if (dlResults.some((r) => r.status === 'holds' && r.exhaustive)) return { status: 'unrealisable' };
  return { status: 'not-within-bound', bound: Math.min(...dlResults.map((r) => (r.status === 'holds' && r.bound !== undefined ? r.bound : ts.completenessBound))) };
}

/** Lock-graph checks: lockdep's verdict, exhaustive over every path. */
function graphOutcomes(
  rules: Rule[],
  graph: Products['lock-graph']['graph'],
  model: DriverModel,
  sourceMap: ExtractedModel['sourceMap'],
  deadlockTraces: Trace[],
  search: NonNullable<Finding['realisation']>,
): ExplainOutput['graph'] {
  const out: ExplainOutput['graph'] = [];
  const push = (rule: string, outcome: CheckOutcome) => out.push({ rule, outcome });
  for (const rule of rules) {
    for (const check of rule.checks) {
      if (check.kind === 'lock-cycle') {
        const cycles = cyclesFor(graph, check, model);
        if (cycles.length === 0) push(rule.meta.id, { status: 'proved', engine: 'lockgraph' });
        else {
          const findings = cycles.map((c) => {
            const f = cycleFinding(rule, check.id, c, model);
            // Realised when two blocked threads wait for locks of the cycle's classes. A cycle names classes
            // (`&vdev->memory_lock`, `reservation_ww_class_mutex`), which a lock's name need not spell: compare both.
            const inCycle = (w: Wait | undefined): boolean => w?.kind === 'lock' && (c.classes.includes(w.lockClass) || c.classes.includes(w.lock));
            const realised = deadlockTraces.find((t) => t.final.threads.filter((x) => x.status === 'blocked' && inCycle(x.waitingFor)).length >= 2);
            if (realised) {
              f.trace = realised;
              f.possibleOnly = false;
              f.realisation = { status: 'realised' };
            } else {
              f.realisation = search;
            }
            return f;
          });
          push(rule.meta.id, { status: 'violated', engine: 'lockgraph', findings });
        }
      } else if (check.kind === 'lock-recursion') {
        const recs = graph.recursions.filter((r) => !check.lock || graph.patternMatchesClass(check.lock, r.class));
        if (recs.length === 0) push(rule.meta.id, { status: 'proved', engine: 'lockgraph' });
        else {
          const findings = recs.map((r) => {
            const f = recursionFinding(rule, check.id, r, model, sourceMap);
            // Realised when a thread blocks on a lock of the class that it holds itself.
            const self = deadlockTraces.find((t) =>
              t.final.threads.some((x) => x.status === 'blocked' && x.waitingFor?.kind === 'lock' && x.waitingFor.owner === x.thread && (x.waitingFor.lockClass === r.class || x.waitingFor.lock === r.class)),
            );
            if (self) {
              f.trace = self;
              f.realisation = { status: 'realised' };
            }
            return f;
          });
          push(rule.meta.id, { status: 'violated', engine: 'lockgraph', findings });
        }
      } else if (check.kind === 'lockdep-report') {
        const found = lockdepFindings(rule, check, graph.built, model, sourceMap, { deadlockTraces, search });
        push(rule.meta.id, found.length === 0 ? { status: 'proved', engine: 'lockgraph' } : { status: 'violated', engine: 'lockgraph', findings: found });
      }
    }
  }
  return out;
}

/** The finding for property `i` violated by `schedule` (already replayed and canonical). */
export function findingFor(
  ts: TransitionSystem,
  ev: Evaluator,
  model: DriverModel,
  sourceMap: ExtractedModel['sourceMap'],
  rule: Rule,
  i: number,
  schedule: Schedule,
  graph?: LockGraph,
): Finding {
  const p = ts.properties[i];
  const trace = buildTrace(ts, model, sourceMap, schedule, i, ev);
  // A terminal check may name the step that stands for its finding (a pin leak: the pin).
  const anchor = p.kind === 'terminal' ? terminalAnchor(ts, ev, model, sourceMap, rule.checks.find((c) => c.id === p.check), schedule, graph) : undefined;
  const at = trace.violatingStep !== undefined ? trace.steps[trace.violatingStep - 1]?.at : anchor?.at;
  const vars = traceVars(ts, model, schedule, trace, rule, p.check, graph);
  return {
    rule: p.rule,
    check: p.check,
    kind: findingKind(p),
    message: messageFor(rule, p.check, anchor ? { ...vars, ...anchor.vars } : vars),
    ...(at ? { at } : {}),
    trace,
  };
}

function findingKind(p: Property): Finding['kind'] {
  if (p.kind === 'deadlock') return 'deadlock';
  if (p.rule === 'fence-finite') return 'fence-never-signalled';
  return 'rule-violation';
}

/** Message placeholders from the violating step (or the last step for state properties). */
function traceVars(
  ts: TransitionSystem,
  model: DriverModel,
  schedule: Schedule,
  trace: Trace,
  rule: Rule,
  check: string,
  graph: LockGraph | undefined,
): Record<string, string | undefined> {
  const idx = (trace.violatingStep ?? schedule.length) - 1;
  const vars: Record<string, string | undefined> = {};
  const step = trace.steps[idx];
  if (step) {
    vars.thread = step.threadName;
    // Locks held when the step began: the thread's previous step's `held`.
    const before = trace.steps.slice(0, idx).reverse().find((x) => x.thread === step.thread);
    vars.held = (before?.held ?? []).join(', ') || 'nothing';
    vars.context = step.context.join(' > ') || 'process context';
  }
  // The schedule is cut at the violation: its last transition is the violating step
  // (step properties) or leads to the bad state. Trace steps hide synthetic
  // transitions, so trace indices cannot be used to index the schedule.
  const tId = schedule[schedule.length - 1];
  const tr = tId !== undefined ? ts.transitions[tId] : undefined;
  const node = tr && !tr.label.synthetic ? model.procs[tr.label.proc]?.nodes[tr.label.node] : undefined;
  if (node?.kind === 'op') Object.assign(vars, opVars(model, node.op));
  if (step) {
    // Name the one held lock the rule is about, not the whole held set.
    const before = trace.steps.slice(0, idx).reverse().find((x) => x.thread === step.thread);
    const culprit = heldCulprit(rule, check, model, before?.held ?? [], graph, node?.kind === 'op' ? opLock(node.op) : undefined);
    if (culprit) vars.held = culprit;
  }
  // State properties name no operand: take the objects the final state blames.
  // A thread stuck on a fence names it; otherwise the fence left unsignalled.
  const waited = trace.final.threads.map((t) => (t.waitingFor?.kind === 'fence' ? t.waitingFor.fence : undefined)).find((x) => x !== undefined);
  vars.fence ??= waited ?? trace.final.fences.find((f) => f.state === 'published')?.name;
  vars.thread ??= trace.final.threads.find((t) => t.status === 'blocked')?.thread;
  // A deadlock names a thread that is blocked: the last step may be another
  // thread's (a completion irq's engine hanging, #13).
  if (rule.checks.find((c) => c.id === check)?.kind === 'deadlock' && step && !trace.final.threads.some((t) => t.thread === step.threadName && t.status === 'blocked')) {
    vars.thread = trace.final.threads.find((t) => t.status === 'blocked')?.thread ?? vars.thread;
  }
  return vars;
}
