/**
 * Where a finding of a terminal check points. A terminal state has no
 * violating step, so a check names the kind of step that stands for it
 * (`at` in rules/types.ts): for a pin leak, the pin_user_pages whose pages
 * are still pinned when every thread has returned. The step's operands
 * then fill the message (`{{obj}}`), not whatever step the trace ended on.
 */

import type { DriverModel, ExtractedModel, Op } from '../model/ir.js';
import type { Check } from '../rules/types.js';
import type { LockGraph } from './engines/lockgraph/types.js';
import { opVars } from './findings.js';
import type { SourceRef } from './report.js';
import type { Evaluator } from './semantics/eval.js';
import { opMatchesStep, opOperands } from './semantics/patterns.js';
import { PAGES_PINNED, PAGES_STATE_MASK } from './semantics/context.js';
import type { Schedule, TransitionSystem } from './semantics/system.js';

export interface TerminalAnchor {
  at?: SourceRef;
  vars: Record<string, string | undefined>;
}

/**
 * The last step of `schedule` matching the check's `at` pattern; of those,
 * preferably one whose GEM object's pages are still pinned at the end.
 * Undefined when the check names no pattern or no step matches.
 */
export function terminalAnchor(
  ts: TransitionSystem,
  ev: Evaluator,
  model: DriverModel,
  sourceMap: ExtractedModel['sourceMap'],
  check: Check | undefined,
  schedule: Schedule,
  graph?: LockGraph,
): TerminalAnchor | undefined {
  if (check?.kind !== 'terminal' || !check.at) return undefined;
  let s = ev.initial();
  for (const t of schedule) s = ev.successor(s, t);
  const pinnedAtEnd = (op: Op): boolean => {
    const o = opOperands(op, model);
    const gem = o.gem ?? (o.phyr !== undefined ? model.instances[o.phyr]?.pagesOf : undefined);
    const v = gem === undefined ? undefined : ts.vars.find((x) => x.role.kind === 'userptr-pages' && x.role.instance === gem);
    return v !== undefined && (s[v.id]! & PAGES_STATE_MASK) === PAGES_PINNED;
  };
  let best: { proc: number; node: number; op: Op } | undefined;
  let bestPinned = false;
  for (const t of schedule) {
    const l = ts.transitions[t]!.label;
    if (l.synthetic) continue;
    const n = model.procs[l.proc]?.nodes[l.node];
    if (n?.kind !== 'op' || !opMatchesStep(n.op, l.outcome, check.at, model, graph)) continue;
    const pinned = pinnedAtEnd(n.op);
    if (pinned || !bestPinned) {
      best = { proc: l.proc, node: l.node, op: n.op };
      bestPinned = pinned;
    }
  }
  if (!best) return undefined;
  const loc = sourceMap?.nodes[best.proc]?.[best.node];
  return { ...(loc ? { at: { file: sourceMap?.file ?? model.file, line: loc.line, col: loc.col } } : {}), vars: Object.fromEntries(Object.entries(opVars(model, best.op)).filter(([, v]) => v !== undefined)) };
}
