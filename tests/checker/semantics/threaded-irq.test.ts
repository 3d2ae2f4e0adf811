/**
 * request_threaded_irq(irq, handler, thread_fn, flags): the handler is a
 * hard irq; thread_fn runs in the irq thread (a task) once per handler
 * run, after the handler returned (kernel/irq/manage.c irq_thread). The
 * front end's registrations, the semantics' ordering, and LMC202 for a
 * call without two handler functions.
 */
import { describe, expect, it } from 'vitest';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../../checker/semantics/compile.js';
import { replay } from '../../../checker/replay.js';
import { preemptRtModel } from '../../../checker/preempt-rt.js';
import { extractModel } from '../../../model/frontend/index.js';
import { extractOk } from '../../model/helpers.js';

const MODEL = [
  'const fw_lock = mutex();',
  'function fw_hardirq(): void { }',
  'function fw_thread_fn(): void { mutex_lock(fw_lock); mutex_unlock(fw_lock); }',
  'request_threaded_irq(0, fw_hardirq, fw_thread_fn, IRQF_SHARED);',
  'export function fw_load() { mutex_lock(fw_lock); mutex_unlock(fw_lock); }',
].join('\n');

describe('request_threaded_irq', () => {
  it('registers the handler as a hard irq and thread_fn as its irq thread', () => {
    const { model } = extractOk(MODEL);
    const name = (p: number) => model.procs[p]!.name;
    expect(model.registrations.map((r) => ({ ...r, proc: name(r.proc), ...(r.threadOf !== undefined ? { threadOf: name(r.threadOf) } : {}) }))).toEqual([
      { role: 'irq', proc: 'fw_hardirq' },
      { role: 'irq', proc: 'fw_thread_fn', threaded: true, threadOf: 'fw_hardirq' },
    ]);
    // IRQF_ONESHOT (or IRQF_NO_THREAD) keeps the handler in hard-irq context on PREEMPT_RT (irq_setup_forced_threading).
    const oneshot = extractOk(MODEL.replace('IRQF_SHARED', 'IRQF_SHARED | IRQF_ONESHOT')).model;
    expect(preemptRtModel(oneshot).registrations.map((r) => r.threaded === true)).toEqual([false, true]);
    expect(preemptRtModel(model).registrations.map((r) => r.threaded === true)).toEqual([true, true]);
  });

  it('thread_fn runs only after its handler returned, once per handler run', () => {
    const { model } = extractOk(MODEL);
    const ts = compileSystem(model, DEFAULT_SEMANTIC_OPTIONS, () => []);
    const thread = (n: string) => ts.threads.find((t) => t.name === n)!.id;
    const step = (th: string, synthetic: string) => ts.transitions.filter((t) => t.thread === thread(th) && t.label.synthetic === synthetic);
    const threadFire = step('irq:fw_thread_fn', 'irq-fire');
    expect(threadFire).toHaveLength(1);
    // Nothing woke the thread yet.
    expect(replay(ts, [threadFire[0]!.id])).toMatchObject({ ok: false, step: 1 });
    // The handler fires on fw_load's CPU: while it runs, the thread still waits.
    const hardFire = step('irq:fw_hardirq', 'irq-fire')[0]!;
    expect(replay(ts, [hardFire.id, threadFire[0]!.id])).toMatchObject({ ok: false, step: 2 });
    const hardReturn = step('irq:fw_hardirq', 'irq-return')[0]!;
    expect(replay(ts, [hardFire.id, hardReturn.id, threadFire[0]!.id])).toMatchObject({ ok: true });
  });

  it('needs a handler and a thread function: LMC202 otherwise', () => {
    const r = extractModel({ file: 'm.model.ts', text: "import type {} from 'lockmc/kernel';\nfunction h(): void { }\nrequest_threaded_irq(0, h, null, IRQF_ONESHOT);\nexport function t() { }\n" });
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual(['LMC202 3:1 request_threaded_irq expects a handler and a thread function, got 1 functions']);
  });
});
