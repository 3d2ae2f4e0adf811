/**
 * SPIN explores the Promela translation of a transition system; its state
 * count must equal ours (plus the watcher's three moves at each terminal
 * state) and its verdict must match. This keeps the SPIN benchmark honest
 * and cross-checks the explicit engine against an independent explorer.
 * .ci/run installs spin; on a machine without it the test says so.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPan, haveSpin, runPan } from '../../bench/spin.js';
import { familySystem } from '../../bench/families/index.js';
import { exploreExplicitDetailed } from '../../checker/engines/explicit/index.js';
import { prepare } from '../../checker/semantics/eval.js';
import { SAFETY_NET_MS } from '../budgets.js';

const spin = haveSpin();

describe.skipIf(!spin)('SPIN cross-check', () => {
  for (const [family, n] of [
    ['ordered', 4],
    ['reclaim-fix', 2],
    ['ring', 3],
    ['reclaim-bug', 1],
  ] as const) {
    it(`${family}-${n}: same states and verdict as SPIN`, async () => {
      const ts = familySystem(family, n);
      // SPIN's timeout fires only where nothing at all can move (our terminal
      // states also ignore optional threads that have not started).
      const ev = prepare(ts);
      let stuck = 0;
      const ours = (await exploreExplicitDetailed(ts, {
        timeoutMs: SAFETY_NET_MS,
        maxMemoryMb: 1024,
        reduction: 'none',
        onExpand: (v, terminal) => void (terminal && ev.enabledTransitions(Uint32Array.from(v)).length === 0 && stuck++),
      }));
      const dir = mkdtempSync(join(tmpdir(), 'lockmc-spin-test-'));
      try {
        const spinRun = runPan(buildPan(ts, dir).full, dir);
        const violated = ours.result.results[0].status === 'violated';
        expect(spinRun.errors > 0).toBe(violated);
        // Our search stops once every property is decided; compare counts only for full explorations.
        if (!violated) expect(spinRun.states).toBe(ours.detail.states + 3 * stuck);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

it('knows whether SPIN is installed', () => {
  expect(typeof spin).toBe('boolean');
});
