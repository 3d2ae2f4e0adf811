import { describe, expect, it } from 'vitest';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../checker/semantics/compile.js';
import { confirmViolation, replay } from '../../checker/replay.js';
import type { Property } from '../../checker/semantics/system.js';
import { abba } from './trace-fixtures.js';

const props: Property[] = [
  { kind: 'deadlock', rule: 'deadlock', check: 'deadlock' },
  // notifier_lock (var 2) held by ioctl (owner value 1)
  { kind: 'state', rule: 'r', check: 'held', bad: { k: 'eq', a: { k: 'var', v: 2 }, b: { k: 'const', v: 1 } } },
  // run_job's first lock fires while notifier_lock is held
  { kind: 'step', rule: 'r', check: 'step', transitions: [4], when: { k: 'ne', a: { k: 'var', v: 2 }, b: { k: 'const', v: 0 } } },
];
const ts = compileSystem(abba(), DEFAULT_SEMANTIC_OPTIONS, () => props);

describe('replay', () => {
  it('returns the states and the first violation of each property', () => {
    const r = replay(ts, [0, 4]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.states.map((s) => Array.from(s))).toEqual([
      [0, 0, 0, 0],
      [1, 0, 1, 0],
      [1, 1, 1, 2],
    ]);
    expect(r.violations).toEqual([
      { property: 1, step: 1, at: 'state' },
      { property: 0, step: 2, at: 'state' },
      { property: 2, step: 2, at: 'step' },
    ]);
    expect(r.terminal).toBe(true);
  });

  it('judges step properties on the state before the step', () => {
    const r = replay(ts, [4, 0]);
    expect(r.ok && r.violations).toEqual([
      { property: 0, step: 2, at: 'state' },
      { property: 1, step: 2, at: 'state' },
    ]);
  });

  it('rejects a schedule whose transition is disabled', () => {
    expect(replay(ts, [0, 4, 1])).toEqual({
      ok: false,
      step: 3,
      reason: 'step 3: transition 1 of ioctl: proc 0 node 1 (ok) is not enabled',
    });
    // run_job's second lock before its first: wrong pc.
    expect(replay(ts, [5])).toEqual({ ok: false, step: 1, reason: 'step 1: transition 5 of run_job: proc 1 node 1 (ok) is not enabled' });
  });

  it('rejects transition ids that do not exist', () => {
    expect(replay(ts, [0, 99])).toEqual({ ok: false, step: 2, reason: 'step 2: transition 99 does not exist (the system has 8)' });
  });

  it('confirms that a schedule violates the claimed property', () => {
    expect(confirmViolation(ts, [0, 4], 0)).toMatchObject({ ok: true, violation: { property: 0, step: 2, at: 'state' } });
    expect(confirmViolation(ts, [4, 5, 6, 7], 0)).toEqual({
      ok: false,
      step: 4,
      reason: 'the schedule replays but does not violate property 0 (deadlock/deadlock)',
    });
  });
});
