/**
 * Completion hardware, hangs, the scheduler's dependencies and its TDR
 * (#13 items 3 and 4): a family of models over every combination of
 * `may_hang`, a `timedout_job`, the job's dependency (none, a kernel
 * fence an irq signals, a user fence that may never signal) and a waiter
 * on the job fence. For each, the verdicts of fence-finite and deadlock
 * are stated exactly, and the explicit engine (with and without its
 * reduction) and Z3 must agree on every property, with replayable
 * schedules: the differential test of these constructs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildLockGraph } from '../../../checker/engines/lockgraph/index.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../../checker/semantics/compile.js';
import { compileProperties } from '../../../checker/semantics/properties.js';
import { exploreExplicit } from '../../../checker/engines/explicit/index.js';
import { runBmcIsolated, shutdownSolver } from '../../../checker/engines/bmc/index.js';
import { confirmViolation, replay } from '../../../checker/replay.js';
import type { PropertyResult } from '../../../checker/engines/types.js';
import { getRule } from '../../../rules/index.js';
import { SAFETY_NET_MS, Z3_BUDGET } from '../../budgets.js';
import { extractOk } from '../../model/helpers.js';
import { preemptRtModel } from '../../../checker/preempt-rt.js';

const RULES = ['deadlock', 'fence-finite'].map((id) => getRule(id)!);

interface Variant {
  mayHang: boolean;
  tdr: boolean;
  dep: 'none' | 'kernel' | 'user';
  waiter: boolean;
}

function modelText(v: Variant): string {
  return [
    'const dep = dma_fence();',
    'const job = dma_fence();',
    'function eop_irq() { dma_fence_signal(job); }',
    `const ring = hardware({ irq: eop_irq${v.mayHang ? ', may_hang: true' : ''} });`,
    'function copy_irq() { dma_fence_signal(dep); }',
    'const copy = hardware({ irq: copy_irq });',
    'function run_job() { hw_submit(ring); }',
    v.tdr ? 'function timedout_job() { dma_fence_signal(job); }' : '',
    `const sched = drm_gpu_scheduler({ run_job${v.tdr ? ', timedout_job' : ''} });`,
    'export function submit_ioctl() {',
    v.dep === 'kernel' ? '  sync_file_create(dep);\n  hw_submit(copy);' : '',
    v.dep !== 'none' ? '  drm_sched_job_add_dependency(job, dep);' : '',
    '  drm_sched_job_arm(job);',
    '  drm_sched_entity_push_job(job, sched);',
    '}',
    v.dep === 'user' ? 'export function userq_ioctl() { if (nondet()) { dma_fence_signal(dep); } }' : '',
    v.waiter ? 'export function wait_ioctl() { dma_fence_wait(job); }' : '',
  ].join('\n');
}

const VARIANTS: Variant[] = [];
for (const mayHang of [false, true]) for (const tdr of [false, true]) for (const dep of ['none', 'kernel', 'user'] as const) for (const waiter of [false, true]) VARIANTS.push({ mayHang, tdr, dep, waiter });

const verdict = (r: PropertyResult): string => (r.status === 'holds' ? (r.exhaustive ? 'holds' : `holds<=${r.bound}`) : r.status);

describe('completion irqs, hangs, TDR and scheduler dependencies', () => {
  afterAll(async () => {
    await shutdownSolver();
  });

  // PREEMPT_RT force-threads both completion irqs: a thread still woken only by its kicked engine, so every verdict stays.
  const rtVariants = VARIANTS.filter((v) => v.dep !== 'user').map((v) => ({ ...v, rt: true }));
  for (const v of [...VARIANTS.map((x) => ({ ...x, rt: false })), ...rtVariants]) {
    // The job's fence can stay unsignalled when the engine may hang with no
    // TDR, or when run_job waits for a user fence that may never signal.
    const unsignalled = (v.mayHang && !v.tdr) || v.dep === 'user';
    const { rt, ...shape } = v;
    it(`${JSON.stringify(shape)}${rt ? ' PREEMPT_RT' : ''}: fence-finite ${unsignalled ? 'violated' : 'holds'}; deadlock only for a waiter on it; engines agree`, async () => {
      const extracted = extractOk(modelText(v)).model;
      const model = rt ? preemptRtModel(extracted) : extracted;
      const graph = buildLockGraph(model, { kernel: 'v7.0' });
      const ts = compileSystem(model, DEFAULT_SEMANTIC_OPTIONS, (ctx) => compileProperties(ctx, RULES, graph, {}, 'v7.0'));
      const por = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512, reduction: 'por' });
      const full = await exploreExplicit(ts, { timeoutMs: SAFETY_NET_MS, maxMemoryMb: 512, reduction: 'none' });
      const bmc = await runBmcIsolated(ts, { ...Z3_BUDGET, mode: 'prove', minimise: false });
      const got = Object.fromEntries(ts.properties.map((p, i) => [`${p.rule}/${p.check}`, verdict(full.results[i]!)]));
      expect(got).toEqual({
        'deadlock/deadlock': unsignalled && v.waiter ? 'violated' : 'holds',
        'fence-finite/published-unsignalled': unsignalled ? 'violated' : 'holds',
        'fence-finite/wait-never-signalled': unsignalled && v.waiter ? 'violated' : 'holds',
      });
      ts.properties.forEach((p, i) => {
        const all = [full, por, bmc].map((e) => verdict(e.results[i]!));
        expect(all, `${p.rule}/${p.check}: full, por, bmc`).toEqual([all[0], all[0], all[0]]);
        for (const e of [full, por, bmc]) {
          const r = e.results[i]!;
          if (r.status === 'violated') expect(confirmViolation(ts, r.schedule, i).ok, `${e.engine} schedule for ${p.rule} replays`).toBe(true);
        }
      });
    }, 2 * SAFETY_NET_MS);
  }

  it('the hang is the engine thread\'s own step, and a hardware irq may fire after every thread finished', () => {
    const { model } = extractOk(modelText({ mayHang: true, tdr: false, dep: 'none', waiter: false }));
    const ts = compileSystem(model, DEFAULT_SEMANTIC_OPTIONS, () => []);
    const irq = ts.threads.find((t) => t.name === 'irq:eop_irq')!;
    const synth = ts.transitions.filter((t) => t.thread === irq.id).map((t) => t.label.synthetic).filter((s) => s !== undefined);
    // one fire per host (submit_ioctl, run_job), one on an idle CPU, one hang, one return
    expect(synth.sort()).toEqual(['hw-hang', 'irq-fire', 'irq-fire', 'irq-fire', 'irq-return']);
    expect(ts.threads.map((t) => `${t.name}:${t.kind}:${t.liveness}`)).toEqual([
      'submit_ioctl:thread:mandatory',
      'run_job:work:optional',
      'irq:eop_irq:irq:mandatory',
      'irq:copy_irq:irq:mandatory',
    ]);
  });

  it('PREEMPT_RT: the irq thread is woken only while its engine is kicked, waking consumes the kick, and the engine may hang instead', () => {
    const { model } = extractOk(modelText({ mayHang: true, tdr: false, dep: 'none', waiter: false }));
    const ts = compileSystem(preemptRtModel(model), DEFAULT_SEMANTIC_OPTIONS, () => []);
    const irq = ts.threads.find((t) => t.name === 'irq:eop_irq')!;
    const hw = ts.vars.find((x) => x.name === 'hw.ring')!;
    const mine = ts.transitions.filter((t) => t.thread === irq.id && t.label.synthetic !== undefined);
    // A task: one fire (no host), the hang, the return.
    expect(mine.map((t) => t.label.synthetic).sort()).toEqual(['hw-hang', 'irq-fire', 'irq-return']);
    const fire = mine.find((t) => t.label.synthetic === 'irq-fire')!;
    expect(fire.reads).toContain(hw.id);
    expect(fire.updates).toContainEqual({ v: hw.id, e: { k: 'const', v: 0 } });
    // Before anything kicked the engine, the thread cannot run.
    expect(replay(ts, [fire.id])).toMatchObject({ ok: false, step: 1 });
  });
});
