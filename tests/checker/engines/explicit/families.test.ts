/**
 * The benchmark families (bench/families): well-formed IR that compiles,
 * the verdict each family promises, and the reduction's effect on them.
 */

import { describe, expect, it } from 'vitest';
import { exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import { FAMILIES, familySystem, familySystemWithRules, ordered, reclaimBug, reclaimFix, ring, wwBackoff } from '../../../../bench/families/index.js';
import { exploreWholeSpace } from '../../../../bench/lockmc-run.js';
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
    ['ww', 2],
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

describe('ww multi-buffer backoff family', () => {
  it('backs off on -EDEADLK: drops every buffer, sleeps on the contended one, restarts without it', () => {
    const m = wwBackoff(2, 2, 1);
    const apis = (p: number) =>
      m.procs[p].nodes.map((n) => (n.kind === 'op' ? `${n.op.api}${'lock' in n.op ? `(${m.instances[n.op.lock].name})` : ''}${Object.keys(n.next).length > 1 ? `[${Object.keys(n.next).join('/')}]` : ''}` : n.kind));
    // Thread 1 locks bo1 then bo0. On -EDEADLK at bo0 it unlocks bo1,
    // slow-locks bo0 and locks bo1 (its last retry: a second -EDEADLK
    // unlocks bo0 and gives up). At bo1, holding nothing, it would wait
    // rather than die; the graph still has the arm (slow-lock bo1, then bo0).
    expect(apis(1)).toEqual([
      'ww_acquire_init',
      'dma_resv_lock(bo1)[ok/EALREADY/EDEADLK]',
      'dma_resv_lock(bo0)[ok/EALREADY/EDEADLK]',
      'ww_acquire_done',
      'dma_resv_unlock(bo0)',
      'dma_resv_unlock(bo1)',
      'ww_acquire_fini',
      'end',
      'dma_resv_unlock(bo1)',
      'dma_resv_lock_slow(bo0)',
      'dma_resv_lock(bo1)[ok/EALREADY/EDEADLK]',
      'dma_resv_unlock(bo0)',
      'dma_resv_lock_slow(bo1)',
      'dma_resv_lock(bo0)[ok/EALREADY/EDEADLK]',
      'dma_resv_unlock(bo1)',
    ]);
  });

  it('holds every recommended rule and never deadlocks (whole space)', async () => {
    const full = await exploreWholeSpace(familySystemWithRules('ww', 2), 'none');
    expect({ states: full.states, violated: full.violated }).toEqual({ states: 158, violated: [] });
    const por = await exploreWholeSpace(familySystem('ww', 3), 'por');
    // 2991 before own-ownership tests left the footprints (own-tests.ts): -EDEADLK's "this context holds a lock" no longer depends on other threads' lock steps.
    expect({ states: por.states, violated: por.violated }).toEqual({ states: 2979, violated: [] });
  });
});
