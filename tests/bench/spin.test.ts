/**
 * SPIN explores the Promela export (checker/export/promela.ts) of a bench
 * family member with the bench's own sized pan (bench/spin.ts); its
 * verdict must match lockmc's whole-space search, and so must its state
 * count: on members without optional threads SPIN stores one more state
 * per terminal state (where the watcher runs on `timeout`); with optional threads (the
 * reclaim family) a thread that has not started may also stop for good,
 * which SPIN stores as states of their own, so SPIN stores more. This
 * keeps the bench honest and cross-checks the explicit engine against an
 * independent explorer. .ci/run installs spin; without it the test says so.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPans, haveSpin, panSize, parsePan, render, runPanSized, spinViolations, type Row } from '../../bench/spin.js';
import { exploreWholeSpace } from '../../bench/lockmc-run.js';
import { memberSystem, parseMember } from '../../bench/families/index.js';
import { exploreExplicitDetailed } from '../../checker/engines/explicit/index.js';
import { toPromela } from '../../checker/export/promela.js';
import { FALSE } from '../../checker/semantics/expr.js';
import type { TransitionSystem } from '../../checker/semantics/system.js';
import { SAFETY_NET_MS } from '../budgets.js';

const spin = haveSpin();

/** A whole-space search calling `onTerminal` at each terminal state. */
async function exploreWholeSpaceCounting(ts: TransitionSystem, onTerminal: () => void): Promise<void> {
  const sentinel: TransitionSystem = { ...ts, properties: [...ts.properties, { kind: 'terminal', rule: 'bench', check: 'whole-space', bad: FALSE }] };
  await exploreExplicitDetailed(sentinel, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 1024, reduction: 'none', onExpand: (_v, terminal) => void (terminal && onTerminal()) });
}

describe.skipIf(!spin)('SPIN cross-check on the export', () => {
  for (const [member, full, terminals] of [
    ['ordered-4', 320, 1],
    ['ring-3', 87, 2],
    ['ww-2x3', 158, 1],
    ['ww-3x2', 1938, 1],
    ['reclaim-fix-1', 3296, 0],
    ['reclaim-bug-1', 5172, 0],
  ] as const) {
    it(`${member}: same verdict as SPIN, with and without its reduction, and ${full} states`, async () => {
      const ts = memberSystem(member);
      const ours = await exploreWholeSpace(ts, 'none');
      expect(ours.states).toBe(full);
      let terminalSeen = 0;
      await exploreWholeSpaceCounting(ts, () => terminalSeen++);
      const dir = mkdtempSync(join(tmpdir(), 'lockmc-spin-test-'));
      try {
        const pml = toPromela(ts);
        writeFileSync(join(dir, 'model.pml'), pml);
        const size = panSize(ours.states, pml);
        buildPans(dir, size);
        const spinFull = runPanSized(join(dir, 'pan-full'), dir, size).pan;
        const spinPor = runPanSized(join(dir, 'pan-por'), dir, size).pan;
        expect(spinFull.depthTooSmall).toBe(false);
        const violated = spinFull.errors > 0 ? spinViolations(join(dir, 'pan-full'), dir, size) : [];
        expect(violated).toEqual(ours.violated);
        expect(spinPor.errors > 0 ? spinViolations(join(dir, 'pan-por'), dir, size) : []).toEqual(ours.violated);
        const optional = ts.threads.some((th) => th.liveness === 'optional');
        if (!optional) {
          expect(terminalSeen).toBe(terminals);
          expect(spinFull.states).toBe(ours.states + terminals);
        } else expect(spinFull.states).toBeGreaterThan(ours.states);
        expect(spinPor.states).toBeLessThanOrEqual(spinFull.states);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

it('names family members', () => {
  expect(parseMember('ww-3x2')).toMatchObject({ family: { name: 'ww' }, n: 3, m: 2 });
  expect(parseMember('reclaim-fix-4')).toMatchObject({ family: { name: 'reclaim-fix' }, n: 4 });
  expect(() => parseMember('spiral-3')).toThrow('unknown family member spiral-3; known families: ring, ordered, reclaim-bug, reclaim-fix, ww (e.g. ring-6, ww-3x2)');
});

it('sizes pan from the state count', () => {
  const pml = 'byte a = 0;\nbit b = 0;\nactive proctype T0() {\n  byte c = 0;\n}\n';
  expect(panSize(1_000_000, pml)).toEqual({ w: 22, vectorsz: 256, memlimMb: 245, depth: 10_000 });
  expect(panSize(10, pml)).toEqual({ w: 11, vectorsz: 256, memlimMb: 65, depth: 10_000 });
});

it('knows a pan that stopped at its -DMEMLIM bound stored only part of the space', () => {
  const stats = 'State-vector 92 byte, depth reached 38, errors: 0\n  4185983 states, stored\n  262.726\tactual memory usage for states (compression: 54.84%)\n';
  expect(parsePan(`pan: reached -DMEMLIM bound\n\t3.14551e+08 bytes used\n${stats}`)).toMatchObject({ states: 4185983, errors: 0, memoryExhausted: true });
  expect(parsePan(stats)).toMatchObject({ states: 4185983, memoryExhausted: false });
});

it('prints a POR-only row with empty full columns and a lower-bound ratio when SPIN stopped at its cap', () => {
  const runs = (wall: number[]) => ({ wall, cpu: wall, peakKb: 2048 });
  const row: Row = {
    model: 'reclaim-fix-6',
    agree: true,
    lockmcViolated: [],
    spinViolated: [],
    states: { full: NaN, por: 1000, spinFull: NaN, spinPor: 5000 },
    runs: { full: runs([]), por: runs([100]), spinFull: runs([]), spinPor: runs([900]) },
    searchMs: { full: NaN, por: 50 },
    compileMs: 20,
    spinBuildMs: 300,
    bytesPerState: { lockmc: 40, spin: 60 },
    pan: { w: 20, vectorsz: 256, memlimMb: 64, depth: 10_000 },
    porOnly: true,
    spinPorPartial: true,
    notes: ['SPIN POR reached its -DMEMLIM bound (64 MB) after 5000 states: its count and the ratio are lower bounds'],
  };
  const lines = render([row]).split('\n');
  expect(lines[2].split(/\s{2,}/)).toEqual(['reclaim-fix-6', 'holds', '-', '-', '1000', '≥5000', '≥5.0× (partial)']);
  expect(render([{ ...row, states: { ...row.states, spinPor: 20_000 } }]).split('\n')[2]).toMatch(/≥20\.0× met$/);
  expect(render([{ ...row, spinPorPartial: false }]).split('\n')[2]).toMatch(/ 5\.0× MISSED$/);
});
