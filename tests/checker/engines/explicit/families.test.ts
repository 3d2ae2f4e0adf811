/**
 * The benchmark families (bench/families): well-formed IR that compiles,
 * the verdict each family promises, and the reduction's effect on them.
 */

import { describe, expect, it } from 'vitest';
import { exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import { FAMILIES, familySystem, familySystemWithRules, ordered, reclaimBug, reclaimFix, ring } from '../../../../bench/families/index.js';
import { prepare } from '../../../../checker/semantics/eval.js';
import { opOutcomes } from '../../../../model/vocabulary.js';
import type { DriverModel, Outcome } from '../../../../model/ir.js';
import { SAFETY_NET_MS } from '../../../budgets.js';

const opts = { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 1024 } as const;

function checkShape(m: DriverModel): void {
  expect(m.schemaVersion).toBe(1);
  // JSON round-trips (plain data).
  expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  m.instances.forEach((inst, i) => expect(inst.id).toBe(i));
  m.threads.forEach((th, i) => {
    expect(th.id).toBe(i);
    expect(m.procs[th.proc].role).toBe('thread');
  });
  for (const p of m.procs) {
    p.nodes.forEach((n, i) => expect(n.id).toBe(i));
    expect(p.nodes.some((n) => n.kind === 'end')).toBe(true);
    for (const n of p.nodes) {
      if (n.kind !== 'op') continue;
      // Every outcome the op can have has a successor inside the proc.
      const outs = opOutcomes(n.op, m.instances);
      expect(Object.keys(n.next).sort()).toEqual([...outs].sort());
      for (const o of outs) expect(n.next[o as Outcome]).toBeLessThan(p.nodes.length);
    }
  }
}

describe('benchmark families', () => {
  it.each([2, 3, 5])('are well-formed IR at N=%i', (n) => {
    for (const f of FAMILIES) checkShape(f.build(n));
  });

  it('spell ring(3) as the kernel would', () => {
    const m = ring(3);
    expect(m.instances.map((i) => `${i.name}:${i.kind}:${i.lockClass}`)).toEqual(['L0:mutex:L0', 'L1:mutex:L1', 'L2:mutex:L2']);
    expect(m.procs[2].nodes.map((n) => (n.kind === 'op' ? `${n.op.api}(${m.instances[(n.op as { lock: number }).lock].name})` : n.kind))).toEqual([
      'mutex_lock(L2)',
      'mutex_lock(L0)',
      'mutex_unlock(L0)',
      'mutex_unlock(L2)',
      'end',
    ]);
  });

  it('ordered(N) takes every pair of locks in index order', () => {
    const m = ordered(4);
    const firsts = m.procs.map((p) => {
      const n = p.nodes[0];
      return n.kind === 'op' && n.op.kind === 'lock' ? m.instances[n.op.lock].name : '?';
    });
    expect(firsts).toEqual(['L0', 'L1', 'L2', 'L0']);
  });

  it('reclaim families differ only in the worker allocation', () => {
    const bug = reclaimBug(2);
    const fix = reclaimFix(2);
    const worker = (m: DriverModel) => m.procs.find((p) => p.name === 'run_job')!;
    const allocOf = (m: DriverModel) =>
      worker(m).nodes.flatMap((n) => (n.kind === 'op' && n.op.kind === 'alloc' ? [`${n.op.gfp.text}:${Object.keys(n.next).join('/')}`] : []));
    expect(allocOf(bug)).toEqual(['GFP_KERNEL:ok']);
    expect(allocOf(fix)).toEqual(['GFP_NOWAIT:ok/fail']);
    expect(bug.registrations.map((r) => r.role)).toEqual(['shrinker', 'mmu_notifier']);
    expect(fix.registrations.map((r) => r.role)).toEqual(['shrinker', 'mmu_notifier']);
    expect(() => ring(1)).toThrow('family size must be an integer >= 2, got 1');
  });

  it.each([
    ['ring', 2, 2],
    ['ring', 4, 4],
    ['reclaim-bug', 1, 5],
    ['reclaim-bug', 3, 8],
  ] as const)('%s(%i) deadlocks; shortest schedule %i steps under both reductions', async (family, n, len) => {
    const ts = familySystem(family, n);
    for (const reduction of ['none', 'por'] as const) {
      const { result } = (await exploreExplicitDetailed(ts, { ...opts, reduction }));
      const r = result.results[0];
      expect(r.status).toBe('violated');
      if (r.status === 'violated') expect(r.schedule).toHaveLength(len);
    }
  });

  it.each([
    ['ordered', 2],
    ['ordered', 5],
    ['reclaim-fix', 1],
    ['reclaim-fix', 3],
  ] as const)('%s(%i) is proved deadlock-free under both reductions', async (family, n) => {
    const ts = familySystem(family, n);
    for (const reduction of ['none', 'por'] as const) {
      const { result } = (await exploreExplicitDetailed(ts, { ...opts, reduction }));
      expect(result.results).toEqual([{ status: 'holds', exhaustive: true }]);
    }
  });

  it.each([
    ['ring', 6],
    ['ordered', 6],
    ['reclaim-bug', 4],
    ['reclaim-fix', 3],
  ] as const)('POR stores at least 10x fewer states than full search on %s(%i)', async (family, n) => {
    // Without properties both searches run to the end, so the counts compare whole state spaces.
    const ts = familySystem(family, n, []);
    const full = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'none' })).detail;
    const por = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por' })).detail;
    expect(por.reduction).toBe('por');
    expect(por.states * 10).toBeLessThanOrEqual(full.states);
  });

  it.each([
    ['ring', 3],
    ['ordered', 3],
    ['reclaim-bug', 2],
    ['reclaim-fix', 2],
  ] as const)('with every recommended rule, POR agrees with full search on each property of %s(%i)', async (family, n) => {
    const ts = familySystemWithRules(family, n);
    expect(ts.properties.length).toBeGreaterThan(50);
    const full = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'none' })).result.results;
    for (const visibility of ['properties', 'declared'] as const) {
      const por = (await exploreExplicitDetailed(ts, { ...opts, reduction: 'por', visibility })).result.results;
      expect(por.map((r) => r.status)).toEqual(full.map((r) => r.status));
      // Every violation replays on the reference evaluator.
      const ev = prepare(ts);
      por.forEach((r, i) => {
        if (r.status !== 'violated') return;
        let s = ev.initial();
        const last = r.schedule.length - 1;
        r.schedule.forEach((t, k) => {
          expect(ev.enabled(s, t)).toBe(true);
          if (k === last && ts.properties[i].kind === 'step') expect(ev.checkStep(s, t)).toContain(i);
          s = ev.successor(s, t);
        });
        if (ts.properties[i].kind !== 'step') expect(ev.checkState(s)).toContain(i);
      });
    }
  });
});
