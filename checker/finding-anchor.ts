/**
 * Where a finding is: the one source position that stands for it. SARIF
 * puts its alert there, and a fixture's `@expect violates <rule>/<check> at
 * <line>` names that line, so the checker that judges the header and the
 * renderer that places the alert read the same function.
 */

import type { Finding, SourceRef } from './report.js';
import { waitText } from './op-text.js';

/** Why the anchor is where it is (kept for tests and for readers of the code). */
export type AnchorKind = 'blocked' | 'fence-wait' | 'fence-publish' | 'finding' | 'violating-step' | 'chain' | 'first-step';

export interface Anchor {
  kind: AnchorKind;
  at: SourceRef;
  /** The operation there, kernel-style, when the trace or the chain names it. */
  op?: string;
}

const PUBLISH = /^publish fence (\S+)/;

/**
 * The source position that best stands for a finding: a deadlock is where
 * a thread is stuck (the trace ends before the blocked operation, so that
 * is the final state's `at`), an unsignalled fence is where someone waits
 * for it or else where it was published, anything else is the violating
 * step (or, for a lock-graph cycle with no trace, the model acquisition
 * that closes the cycle). The first located step is the last resort;
 * undefined only when nothing in the finding has a position.
 */
export function anchorOf(f: Finding): Anchor | undefined {
  const t = f.trace;
  if (t && f.kind === 'deadlock') {
    const stuck = t.final.threads.find((x) => x.status === 'blocked' && x.at);
    if (stuck?.at) return { kind: 'blocked', at: stuck.at, ...(stuck.waitingFor ? { op: waitText(stuck.waitingFor, stuck.thread) } : {}) };
  }
  if (t && f.kind === 'fence-never-signalled') {
    const waiter = t.final.threads.find((x) => x.status === 'blocked' && x.at && (x.waitingFor?.kind === 'fence' || x.waitingFor?.kind === 'resv-fences'));
    if (waiter?.at && waiter.waitingFor) return { kind: 'fence-wait', at: waiter.at, op: waitText(waiter.waitingFor, waiter.thread) };
    const unsignalled = new Set(t.final.fences.filter((x) => x.state === 'published').map((x) => x.name));
    const publish = [...t.steps].reverse().find((s) => s.at && unsignalled.has(PUBLISH.exec(s.role ?? '')?.[1] ?? ''));
    if (publish?.at) return { kind: 'fence-publish', at: publish.at, op: publish.op };
  }
  const violating = t?.violatingStep !== undefined ? t.steps.find((s) => s.index === t.violatingStep) : undefined;
  if (f.at) return { kind: 'finding', at: f.at, op: violating?.op ?? closingApi(f) };
  if (violating?.at) return { kind: 'violating-step', at: violating.at, op: violating.op };
  // A lock-graph cycle without a trace: the model's acquisition that closes it.
  const edge = [...(f.chain ?? [])].reverse().find((e) => e.source.kind === 'model');
  if (edge?.source.kind === 'model') return { kind: 'chain', at: edge.source.at, op: edge.source.api };
  const first = t?.steps.find((s) => s.at);
  if (first?.at) return { kind: 'first-step', at: first.at, op: first.op };
  return undefined;
}

/** The acquisition that closes a lock chain, as the model spells it. */
function closingApi(f: Finding): string | undefined {
  const last = f.chain?.[f.chain.length - 1]?.source;
  return last?.kind === 'model' ? last.api : undefined;
}
