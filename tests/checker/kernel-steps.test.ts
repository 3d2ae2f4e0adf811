import { describe, expect, it } from 'vitest';
import { loadModel } from '../../model/index.js';
import type { DriverModel, Node } from '../../model/ir.js';
import { resolveKernelSteps } from '../../checker/kernel-steps.js';
import { buildLockGraph } from '../../checker/engines/lockgraph/index.js';

const MODEL = `import type {} from 'lockmc/kernel';
export function probe() {
  dev_pm_qos_add_request('dev', 'req', 0);
}
`;

function load(): DriverModel {
  const r = loadModel('pm-qos.model.ts', MODEL);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.extracted!.model;
}

const ops = (m: DriverModel): string[] =>
  m.procs[0]!.nodes.map((n: Node) => (n.kind === 'op' ? `${n.op.kind}${n.kernel ? ` ${JSON.stringify(n.kernel)}` : ''}` : n.kind));

describe('kernel-gated API steps', () => {
  it('dev_pm_qos_add_request lowers to both allocation placements, each marked with its kernels', () => {
    expect(ops(load())).toEqual(['alloc {"since":"v6.7"}', 'lock', 'alloc {"before":"v6.7"}', 'unlock', 'end']);
  });

  it('keeps only the steps of the kernel checked, turning the others into one-way choices', () => {
    const m = load();
    expect(ops(resolveKernelSteps(m, 'v6.6'))).toEqual(['choice', 'lock', 'alloc', 'unlock', 'end']);
    expect(ops(resolveKernelSteps(m, 'v6.11'))).toEqual(['alloc', 'lock', 'choice', 'unlock', 'end']);
    expect(resolveKernelSteps(m, 'v6.1').procs[0]!.nodes[0]).toEqual({ kind: 'choice', id: 0, next: [1] });
  });

  it('records dev_pm_qos_mtx -> fs_reclaim only up to v6.6', () => {
    const edge = (k: string) => buildLockGraph(resolveKernelSteps(load(), k), { kernel: k }).edges.some((e) => e.from === 'dev_pm_qos_mtx' && e.to === 'fs_reclaim');
    expect([edge('v6.1'), edge('v6.6'), edge('v6.11'), edge('v7.0')]).toEqual([true, true, false, false]);
  });
});
