/**
 * Where a finding is, and what makes two findings the same one. Code
 * scanning (SARIF) needs both: a source region to put the alert on, and a
 * fingerprint that stays put across runs and tells distinct findings apart.
 */

import { createHash } from 'node:crypto';
import type { Finding, SourceRef } from '../../checker/report.js';
import { waitText } from './words.js';

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

/**
 * A path that is the same on every machine: the report's relative path,
 * or only the file name when the model lay outside the working directory
 * (an absolute path names the machine, not the finding).
 */
function portablePath(file: string): string {
  const f = file.replace(/\\/g, '/');
  if (f.startsWith('/') || /^[A-Za-z]:\//.test(f)) return f.slice(f.lastIndexOf('/') + 1);
  return f;
}

/** A cycle of lock classes, rotated to start at its smallest rotation: the same cycle found from another edge reads the same. */
export function normaliseCycle(classes: string[]): string[] {
  let best = classes;
  for (let i = 1; i < classes.length; i++) {
    const r = [...classes.slice(i), ...classes.slice(0, i)];
    if (compareSeq(r, best) < 0) best = r;
  }
  return [...best];
}

function compareSeq(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * What identifies a finding, as text: rule, check, kind, model file, and
 * - a lock-order cycle: its classes, rotation-normalised (no lines, so
 *   editing around the code keeps the alert);
 * - a deadlock: every blocked thread's position, sorted (whichever thread
 *   the trace lists first, it is the same deadlock);
 * - anything else: the anchor step (file, line, operation).
 * Never timings, absolute paths or the schedule token: the token carries
 * the lockmc version and option hash, and another interleaving reaching
 * the same bug is the same alert.
 */
export function findingIdentity(f: Finding, modelFile: string): string {
  const parts = [f.rule, f.check, f.kind, portablePath(modelFile)];
  const stuck = f.trace?.final.threads.filter((x) => x.status === 'blocked' && x.at) ?? [];
  if (f.kind === 'circular-dependency' && f.chain && f.chain.length > 0) {
    parts.push(`cycle ${normaliseCycle(f.chain.map((e) => e.from)).join(' -> ')}`);
  } else if (f.kind === 'deadlock' && stuck.length > 0) {
    parts.push(`blocked ${stuck.map((x) => `${x.thread}@${portablePath(x.at!.file)}:${x.at!.line}`).sort().join(' ')}`);
  } else {
    const a = anchorOf(f);
    parts.push(a ? `step ${portablePath(a.at.file)}:${a.at.line} ${a.op ?? ''}` : 'no location');
  }
  return parts.join('\n');
}

/** A diagnostic's identity: code, file, line and message (a model error is where it is). */
export function diagnosticIdentity(d: { code: string; message: string; file?: string; line?: number }, file: string | undefined): string {
  return ['diagnostic', d.code, file !== undefined ? portablePath(file) : '', String(d.line ?? 0), d.message].join('\n');
}

/** 128 bits of SHA-256 over the identity: short, and collisions are not a concern at this scale. */
export function fingerprint(identity: string): string {
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}
