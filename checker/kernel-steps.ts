/**
 * Steps that exist only on some kernels (`Node.kernel`): an API whose
 * locking changed between kernels lowers to every variant, each marked with
 * the kernels it exists on, and this resolves them for the kernel a model
 * is checked as. A step that does not exist on that kernel becomes a
 * one-way `choice` to its `ok` successor, so node ids, the source map and
 * every later pass stay as they are.
 */

import type { DriverModel, Node } from '../model/ir.js';
import { compareKernel } from './options.js';

export function onKernel(range: { since?: string; before?: string }, kernel: string): boolean {
  if (range.since !== undefined && compareKernel(kernel, range.since) < 0) return false;
  if (range.before !== undefined && compareKernel(kernel, range.before) >= 0) return false;
  return true;
}

/** The model as checked on `kernel`: the same object when no step is kernel-gated. */
export function resolveKernelSteps(model: DriverModel, kernel: string): DriverModel {
  if (!model.procs.some((p) => p.nodes.some((n) => n.kind === 'op' && n.kernel))) return model;
  const procs = model.procs.map((p) => ({ ...p, nodes: p.nodes.map((n) => resolveNode(n, kernel)) }));
  return { ...model, procs };
}

function resolveNode(n: Node, kernel: string): Node {
  if (n.kind !== 'op' || !n.kernel) return n;
  if (!onKernel(n.kernel, kernel)) return { kind: 'choice', id: n.id, next: [n.next.ok!] };
  const { kernel: _gate, ...rest } = n;
  return rest;
}
