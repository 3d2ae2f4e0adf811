/**
 * Replay: re-run a schedule on the reference semantics (semantics/eval.ts).
 *
 * Every schedule an engine returns passes through here before anyone sees
 * a trace: each transition must be enabled in turn, and the property the
 * engine claims must really be violated along the way. A schedule that does
 * not replay is an engine or encoder bug; the pipeline reports it as an
 * internal error, never as a finding.
 */

import { prepare, type Evaluator } from './semantics/eval.js';
import type { Schedule, TransitionSystem } from './semantics/system.js';

/**
 * A property violated along the schedule, at its first occurrence.
 * `step` counts transitions: for a step property, the 1-based index of the
 * transition that fired in a state satisfying `when`; for state, terminal
 * and deadlock properties, the number of transitions taken before the bad
 * state (0 = the initial state).
 */
export interface ReplayViolation {
  property: number;
  step: number;
  at: 'step' | 'state';
}

export type ReplayResult =
  | {
      ok: true;
      /** `states[i]` is the state after `i` transitions; `states.length === schedule.length + 1`. */
      states: Uint32Array[];
      /** First violation of each property, ordered by step, then property index. */
      violations: ReplayViolation[];
      /** The last state is terminal (no unignored thread can move). */
      terminal: boolean;
    }
  | { ok: false; step: number; reason: string };

export function describeTransition(ts: TransitionSystem, t: number): string {
  const tr = ts.transitions[t];
  if (!tr) return `transition ${t}`;
  const th = ts.threads[tr.thread]?.name ?? `T${tr.thread}`;
  const l = tr.label;
  const what = l.synthetic ? l.synthetic : `proc ${l.proc} node ${l.node}${l.outcome ? ` (${l.outcome})` : ''}${l.branch !== undefined ? ` (branch ${l.branch})` : ''}`;
  return `transition ${t} of ${th}: ${what}`;
}

export function replay(ts: TransitionSystem, schedule: Schedule, evaluator?: Evaluator): ReplayResult {
  const ev = evaluator ?? prepare(ts);
  let s = ev.initial();
  const states: Uint32Array[] = [s];
  const first = new Map<number, ReplayViolation>();
  const note = (props: number[], step: number, at: 'step' | 'state') => {
    for (const p of props) if (!first.has(p)) first.set(p, { property: p, step, at });
  };
  note(ev.checkState(s), 0, 'state');
  for (let i = 0; i < schedule.length; i++) {
    const t = schedule[i];
    if (!Number.isInteger(t) || t < 0 || t >= ts.transitions.length) {
      return { ok: false, step: i + 1, reason: `step ${i + 1}: transition ${t} does not exist (the system has ${ts.transitions.length})` };
    }
    if (!ev.enabled(s, t)) {
      return { ok: false, step: i + 1, reason: `step ${i + 1}: ${describeTransition(ts, t)} is not enabled` };
    }
    note(ev.checkStep(s, t), i + 1, 'step');
    s = ev.successor(s, t);
    states.push(s);
    note(ev.checkState(s), i + 1, 'state');
  }
  const violations = [...first.values()].sort((a, b) => a.step - b.step || a.property - b.property);
  return { ok: true, states, violations, terminal: ev.isTerminal(s) };
}

/** First violation of `property` in a replay, if any. */
export function violationOf(r: ReplayResult, property: number): ReplayViolation | undefined {
  return r.ok ? r.violations.find((v) => v.property === property) : undefined;
}

/**
 * Replay and confirm that `property` is violated: what the pipeline runs on
 * every engine schedule before building a trace.
 */
export function confirmViolation(
  ts: TransitionSystem,
  schedule: Schedule,
  property: number,
  evaluator?: Evaluator,
): { ok: true; violation: ReplayViolation; states: Uint32Array[] } | { ok: false; step: number; reason: string } {
  const r = replay(ts, schedule, evaluator);
  if (!r.ok) return r;
  const v = violationOf(r, property);
  if (!v) {
    const p = ts.properties[property];
    const name = p ? `${p.rule}/${p.check}` : `#${property}`;
    return { ok: false, step: schedule.length, reason: `the schedule replays but does not violate property ${property} (${name})` };
  }
  return { ok: true, violation: v, states: r.states };
}
