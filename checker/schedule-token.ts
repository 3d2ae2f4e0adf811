/**
 * Schedule tokens: the one pasted argument of `lockmc replay <model>
 * --schedule <token>`.
 *
 * Layout: 8 hex characters of the transition system's hash, then the
 * schedule as base64url of LEB128 varints (first the step count, then each
 * transition id). Only `[0-9a-f]`, `[A-Za-z0-9_-]` appear, so a token
 * survives URLs, shells, emails and double-click selection of most
 * terminals. The hash prefix ties a token to one model, rule set, option set
 * and lockmc version: a token from anywhere else is rejected with a message
 * instead of replaying a meaningless schedule. The count makes truncation
 * (a token cut short by a line wrap) detectable.
 */

import { createHash } from 'node:crypto';
import type { Schedule, TransitionSystem } from './semantics/system.js';

const PREFIX_LEN = 8;

/** The 8-hex-digit prefix identifying a transition system. */
export function systemTag(ts: Pick<TransitionSystem, 'hash'>): string {
  const h = ts.hash.toLowerCase();
  if (/^[0-9a-f]{8}/.test(h)) return h.slice(0, PREFIX_LEN);
  // A hash that is not hex (a test system, a future format) still gets a
  // stable tag, derived rather than truncated so distinct hashes differ.
  return createHash('sha256').update(ts.hash).digest('hex').slice(0, PREFIX_LEN);
}

function pushVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

export function encodeSchedule(ts: Pick<TransitionSystem, 'hash'>, schedule: Schedule): string {
  const bytes: number[] = [];
  pushVarint(bytes, schedule.length);
  for (const t of schedule) {
    if (!Number.isSafeInteger(t) || t < 0) throw new Error(`encodeSchedule: bad transition id ${t}`);
    pushVarint(bytes, t);
  }
  return systemTag(ts) + Buffer.from(bytes).toString('base64url');
}

export function decodeSchedule(
  ts: Pick<TransitionSystem, 'hash' | 'transitions'>,
  token: string,
): Schedule | { error: string } {
  const t = token.trim();
  if (t.length < PREFIX_LEN || !/^[0-9a-f]{8}[A-Za-z0-9_-]*$/.test(t)) {
    return { error: `malformed schedule token '${clip(t)}': expected 8 hex digits followed by base64url text` };
  }
  const tag = t.slice(0, PREFIX_LEN);
  const mine = systemTag(ts);
  if (tag !== mine) {
    return {
      error:
        `schedule token was made for a different model, rule set, options or lockmc version ` +
        `(token ${tag}, this run ${mine}); re-run \`lockmc check\` to get a fresh token`,
    };
  }
  const body = t.slice(PREFIX_LEN);
  // base64url without padding: a length of 1 mod 4 cannot come from any byte string.
  if (body.length % 4 === 1) return { error: `malformed schedule token '${clip(t)}': truncated` };
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.toString('base64url') !== body) {
    return { error: `malformed schedule token '${clip(t)}': not canonical base64url` };
  }
  const nums: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (i >= bytes.length) return { error: `malformed schedule token '${clip(t)}': truncated` };
      const b = bytes[i++];
      v += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
      if (mul > 2 ** 42) return { error: `malformed schedule token '${clip(t)}': number too large` };
    }
    nums.push(v);
  }
  if (nums.length === 0) return { error: `malformed schedule token '${clip(t)}': empty` };
  const [count, ...steps] = nums;
  if (count !== steps.length) {
    return { error: `malformed schedule token '${clip(t)}': says ${count} steps, holds ${steps.length} (truncated or corrupted?)` };
  }
  for (let k = 0; k < steps.length; k++) {
    if (steps[k] >= ts.transitions.length) {
      return { error: `schedule token step ${k + 1} names transition ${steps[k]}, but the system has ${ts.transitions.length}` };
    }
  }
  return steps;
}

function clip(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}
