/**
 * Runtime PM and call_rcu in the front end (#13 item 8): what a
 * dev_pm_ops device brings, what each pm_runtime_* call and call_rcu
 * lower to, and the coded rejections of their misuse.
 */
import { describe, expect, test } from 'vitest';
import { extractModel } from '../../../model/frontend/index.js';
import { HEADER, extractOk, proc } from '../helpers.js';

const DEV = 'function res() {}\nfunction sus() {}\nfunction idl() {}\nconst dev = dev_pm_ops({ runtime_resume: res, runtime_suspend: sus, runtime_idle: idl });\n';

function diags(body: string): [string, number | undefined, number | undefined, string][] {
  const r = extractModel({ file: 'r.model.ts', text: HEADER + body });
  expect(r.extracted).toBeUndefined();
  return r.diagnostics.map((d) => [d.code, d.line, d.col, d.message]);
}

describe('dev_pm_ops and pm_runtime_*', () => {
  test('the device brings dev.power.lock (class &dev->power.lock) and dev.power.work (handler runtime_suspend)', () => {
    const m = extractOk(DEV + 'export function t() {}\n').model;
    const dev = m.instances.find((i) => i.name === 'dev')!;
    const lock = m.instances[dev.rpm!.lock]!;
    const work = m.instances[dev.rpm!.work]!;
    expect([dev.kind, lock.name, lock.kind, lock.lockClass, work.name, work.kind]).toEqual(['pm_device', 'dev.power.lock', 'spinlock', '&dev->power.lock', 'dev.power.work', 'work']);
    expect([m.procs[dev.proc!]!.name, m.procs[dev.proc!]!.role, m.procs[dev.rpm!.suspend!]!.name, m.procs[dev.rpm!.idle!]!.name]).toEqual(['res', 'rpm_callback', 'sus', 'idl']);
    expect([m.procs[work.proc!]!.name, m.procs[work.proc!]!.role]).toEqual(['sus', 'work']);
    expect(m.threads.map((t) => [t.name, t.kind])).toEqual([['t', 'thread'], ['sus', 'work']]);
  });

  test.each([
    ['pm_runtime_get_sync', ['lock', 'unlock', 'pm_runtime:res']],
    ['pm_runtime_resume_and_get', ['lock', 'unlock', 'pm_runtime:res']],
    ['pm_runtime_put_sync', ['lock', 'unlock', 'pm_runtime:idl,sus']],
    ['pm_runtime_idle', ['lock', 'unlock', 'pm_runtime:idl,sus']],
    ['pm_runtime_put_sync_suspend', ['lock', 'unlock', 'pm_runtime:sus']],
    ['pm_runtime_suspend', ['lock', 'unlock', 'pm_runtime:sus']],
    ['pm_runtime_put', ['lock', 'unlock', 'queue_work:dev.power.work']],
    ['pm_runtime_put_autosuspend', ['lock', 'unlock', 'queue_work:dev.power.work']],
    ['pm_runtime_get_noresume', ['pm_runtime:']],
    ['pm_runtime_put_noidle', ['pm_runtime:']],
  ])('%s lowers to %j', (api, want) => {
    const m = extractOk(`${DEV}export function t() {\n  ${api}(dev);\n}\n`).model;
    const ops = proc(m, 't').nodes.flatMap((n) => (n.kind === 'op' ? [n.op] : []));
    const text = ops.map((o) => {
      if (o.kind === 'pm_runtime') return `pm_runtime:${o.callbacks.map((p) => m.procs[p]!.name).join(',')}`;
      if (o.kind === 'queue_work') return `queue_work:${m.instances[o.work]!.name}`;
      if (o.kind === 'lock') expect([m.instances[o.lock]!.name, o.irqsave]).toEqual(['dev.power.lock', true]);
      return o.kind;
    });
    expect(text).toEqual(want);
  });

  test.each([
    ['no options', 'const dev = dev_pm_ops();\n', [['LMC202', 6, 13, 'dev_pm_ops expects 1 argument, got 0']]],
    ['a flag for a callback', 'const dev = dev_pm_ops({ runtime_resume: true });\n', [['LMC202', 6, 24, "dev_pm_ops: option 'runtime_resume' must name a function"]]],
    ['only runtime_idle', 'function i() {}\nconst dev = dev_pm_ops({ runtime_idle: i });\n', [['LMC202', 7, 24, 'dev_pm_ops names no runtime_resume nor runtime_suspend']]],
    ['a mutex for a device', 'const m = mutex();\nexport function t() {\n  pm_runtime_get_sync(m);\n}\n', [['LMC202', 8, 23, "pm_runtime_get_sync expects a pm_device as argument 1 (dev), got mutex 'm'"]]],
  ])('%s is rejected', (_name, body, want) => {
    expect(diags(body)).toEqual(want);
  });
});

describe('call_rcu', () => {
  test('registers its callback once as an RCU softirq handler and lowers to call_rcu', () => {
    const m = extractOk("function free_rcu() {}\nexport function t() {\n  call_rcu('h', free_rcu);\n  call_rcu('h', free_rcu);\n}\n").model;
    expect(m.registrations).toEqual([{ role: 'softirq', proc: proc(m, 'free_rcu', 'softirq').id, rcu: true }]);
    const ops = proc(m, 't').nodes.flatMap((n) => (n.kind === 'op' ? [n.op.kind] : []));
    expect(ops).toEqual(['call_rcu', 'call_rcu']);
  });

  test.each([
    ['no callback', "export function t() {\n  call_rcu('h');\n}\n", [['LMC202', 7, 3, 'call_rcu expects 2 arguments, got 1']]],
    ['an unknown callback', "export function t() {\n  call_rcu('h', nothere);\n}\n", [['LMC201', 7, 17, "unknown function 'nothere'"]]],
  ])('%s is rejected', (_name, body, want) => {
    expect(diags(body)).toEqual(want);
  });
});
