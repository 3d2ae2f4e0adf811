/**
 * Where a finding is, and what makes two findings the same one. Code
 * scanning (SARIF) needs both: a source region to put the alert on, and a
 * fingerprint that stays put across runs and tells distinct findings apart.
 */

import { createHash } from 'node:crypto';
import { anchorOf } from '../../checker/finding-anchor.js';
import type { Finding } from '../../checker/report.js';

// The anchor lives in the checker: a fixture's `@expect ... at <line>` is judged against it too.
export { anchorOf, type Anchor, type AnchorKind } from '../../checker/finding-anchor.js';

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
