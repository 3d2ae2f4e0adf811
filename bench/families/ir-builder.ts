/**
 * A small builder of DriverModel IR for the parametric benchmark families,
 * so every engine (explicit, BMC, SPIN export) reads the very same models
 * through `compileSystem`. It writes what the front end would extract from
 * the equivalent `*.model.ts`: structured statements become a node graph
 * with one successor per outcome, entry node 0, and outcomes a body does
 * not branch on fall through (as model/frontend does).
 */

import type { DriverModel, GfpMask, Instance, InstanceId, Node, NodeId, Op, Outcome, Proc, ProcId, ProcRole, Registration, Thread } from '../../model/ir.js';
import { IR_SCHEMA_VERSION } from '../../model/ir.js';
import { gfpMaskOf, opOutcomes, RESV_CLASS, MMAP_LOCK_CLASS } from '../../model/vocabulary.js';

/** A statement: an op, or an op whose outcome chooses the continuation. */
export type Stmt =
  | Op
  | { kind: 'branch'; op: Op; on: Partial<Record<Outcome, Stmt[]>> }
  | { kind: 'nondet'; arms: Stmt[][] };

export const GFP_KERNEL: GfpMask = gfpMaskOf(['GFP_KERNEL'], 'GFP_KERNEL');
export const GFP_NOWAIT: GfpMask = gfpMaskOf(['GFP_NOWAIT'], 'GFP_NOWAIT');

export class ModelBuilder {
  private readonly instances: Instance[] = [];
  private readonly procs: Proc[] = [];
  private readonly threads: Thread[] = [];
  private readonly registrations: Registration[] = [];
  private driverPath: string | undefined;

  constructor(
    private readonly file: string,
    private readonly description: string,
  ) {}

  /** `@driver <path>`: where the driver lives (rules that depend on the subsystem read it). */
  driver(path: string): this {
    this.driverPath = path;
    return this;
  }

  private inst(i: Omit<Instance, 'id'>): InstanceId {
    const id = this.instances.length;
    this.instances.push({ id, ...i });
    return id;
  }

  mutex(name: string, cls = name): InstanceId {
    return this.inst({ name, kind: 'mutex', lockClass: cls });
  }

  resv(name: string): InstanceId {
    return this.inst({ name, kind: 'dma_resv', lockClass: RESV_CLASS, wwClass: 'reservation_ww_class' });
  }

  fence(name: string): InstanceId {
    return this.inst({ name, kind: 'dma_fence' });
  }

  mm(name: string): InstanceId {
    return this.inst({ name, kind: 'mm', lockClass: MMAP_LOCK_CLASS });
  }

  /** A local `const ctx = ww_acquire_init(<class>)` of one thread. */
  wwCtx(name: string, wwClass: string): InstanceId {
    return this.inst({ name, kind: 'ww_ctx', local: true, lockClass: `${wwClass}_acquire`, wwClass });
  }

  /** A local `const cookie = dma_fence_begin_signalling()`. */
  signallingCookie(name: string): InstanceId {
    return this.inst({ name, kind: 'signalling_cookie', local: true });
  }

  /** `const mni = mmu_interval_notifier_insert(mm, fn)` at top level. */
  mmuNotifier(name: string, mm: InstanceId, fn: ProcId): InstanceId {
    const id = this.inst({ name, kind: 'interval_notifier', mm, proc: fn });
    this.registrations.push({ role: 'mmu_notifier', proc: fn, notifier: id });
    return id;
  }

  registerShrinker(fn: ProcId): void {
    this.registrations.push({ role: 'shrinker', proc: fn });
  }

  proc(name: string, role: ProcRole, body: Stmt[]): ProcId {
    const id = this.procs.length;
    this.procs.push({ id, name, role, nodes: lowerBody(body, this.instances) });
    return id;
  }

  /** An entry point that runs as its own task. */
  thread(name: string, body: Stmt[]): number {
    const proc = this.proc(name, 'thread', body);
    const id = this.threads.length;
    this.threads.push({ id, name, proc, kind: 'thread' });
    return id;
  }

  /** An entry point given as a ready node graph (entry node 0), for bodies with loops. */
  threadNodes(name: string, nodes: Node[]): number {
    const proc = this.procs.length;
    this.procs.push({ id: proc, name, role: 'thread', nodes });
    const id = this.threads.length;
    this.threads.push({ id, name, proc, kind: 'thread' });
    return id;
  }

  build(): DriverModel {
    return {
      schemaVersion: IR_SCHEMA_VERSION,
      file: this.file,
      sourceHash: '0'.repeat(64),
      header: { description: this.description, expect: [], ruleOptions: {}, ...(this.driverPath ? { driverPath: this.driverPath } : {}) },
      instances: this.instances,
      procs: this.procs,
      threads: this.threads,
      registrations: this.registrations,
    };
  }
}

/** Structured statements to a node graph whose entry is node 0. */
function lowerBody(body: Stmt[], instances: readonly Instance[]): Node[] {
  const nodes: Node[] = [];
  const alloc = (mk: (id: NodeId) => Node): NodeId => {
    const id = nodes.length;
    nodes.push(mk(id));
    return id;
  };
  const end = alloc((id) => ({ kind: 'end', id }));
  const seq = (stmts: Stmt[], cont: NodeId): NodeId => {
    let next = cont;
    for (let i = stmts.length - 1; i >= 0; i--) next = one(stmts[i], next);
    return next;
  };
  const one = (s: Stmt, cont: NodeId): NodeId => {
    if (s.kind === 'nondet') {
      const arms = s.arms.map((a) => seq(a, cont));
      return alloc((id) => ({ kind: 'choice', id, next: arms }));
    }
    const op = s.kind === 'branch' ? s.op : s;
    const on = s.kind === 'branch' ? s.on : {};
    const next: Partial<Record<Outcome, NodeId>> = {};
    for (const o of opOutcomes(op, instances)) {
      const arm = on[o];
      next[o] = arm ? seq(arm, cont) : cont;
    }
    return alloc((id) => ({ kind: 'op', id, op, next }));
  };
  const entry = seq(body, end);
  // Renumber in depth-first order from the entry, so the entry is node 0
  // and no unreachable node is left.
  const order: NodeId[] = [];
  const index = new Map<NodeId, NodeId>();
  const visit = (n: NodeId) => {
    if (index.has(n)) return;
    index.set(n, order.length);
    order.push(n);
    const node = nodes[n];
    if (node.kind === 'op') for (const k of Object.keys(node.next) as Outcome[]) visit(node.next[k]!);
    if (node.kind === 'choice') node.next.forEach(visit);
  };
  visit(entry);
  return order.map((old, id): Node => {
    const node = nodes[old];
    if (node.kind === 'end') return { kind: 'end', id };
    if (node.kind === 'choice') return { kind: 'choice', id, next: node.next.map((n) => index.get(n)!) };
    const next: Partial<Record<Outcome, NodeId>> = {};
    for (const k of Object.keys(node.next) as Outcome[]) next[k] = index.get(node.next[k]!)!;
    return { kind: 'op', id, op: node.op, next };
  });
}

// Op constructors, spelled like the kernel calls they stand for.
export const mutex_lock = (lock: InstanceId): Op => ({ kind: 'lock', api: 'mutex_lock', lock, mode: 'write', trylock: false });
export const mutex_unlock = (lock: InstanceId): Op => ({ kind: 'unlock', api: 'mutex_unlock', lock });
export const dma_resv_lock = (lock: InstanceId): Op => ({ kind: 'lock', api: 'dma_resv_lock', lock, mode: 'write', trylock: false });
export const dma_resv_trylock = (lock: InstanceId): Op => ({ kind: 'lock', api: 'dma_resv_trylock', lock, mode: 'write', trylock: true });
export const dma_resv_unlock = (lock: InstanceId): Op => ({ kind: 'unlock', api: 'dma_resv_unlock', lock });
export const kmalloc = (gfp: GfpMask): Op => ({ kind: 'alloc', api: 'kmalloc', gfp });
/** Grows the resv's fence array: a GFP_KERNEL allocation (vocabulary.ts). */
export const dma_resv_reserve_fences = (): Op => ({ kind: 'alloc', api: 'dma_resv_reserve_fences', gfp: GFP_KERNEL });
export const dma_resv_add_fence = (resv: InstanceId, fence: InstanceId): Op => ({ kind: 'fence_publish', api: 'dma_resv_add_fence', fence, resv });
export const dma_fence_signal = (fence: InstanceId): Op => ({ kind: 'fence_signal', api: 'dma_fence_signal', fence, guaranteed: true });
export const dma_fence_wait = (fence: InstanceId): Op => ({ kind: 'fence_wait', api: 'dma_fence_wait', fence, timeout: 'infinite' });
export const dma_fence_begin_signalling = (cookie: InstanceId): Op => ({ kind: 'signalling_begin', api: 'dma_fence_begin_signalling', cookie });
export const dma_fence_end_signalling = (cookie: InstanceId): Op => ({ kind: 'signalling_end', api: 'dma_fence_end_signalling', cookie });
