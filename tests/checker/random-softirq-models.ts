/**
 * A fast-check generator of small interrupt-context models, as IR: 1–2
 * tasks and a softirq handler (optionally also a hard-irq handler) over
 * two spinlocks and a queued rwlock, with `_bh`/`_irq` lock variants,
 * local_bh_disable sections, nested reads and a writer. Locking is
 * balanced on every path. What it exercises: softirqs landing on tasks
 * (masked by bh nesting and irqs off), hard irqs preempting softirqs, and
 * queued-rwlock readers behind a waiting writer outside in_interrupt().
 */
import fc from 'fast-check';
import type { DriverModel, Instance, Node, Op, Outcome, Proc, Registration } from '../../model/ir.js';

const INSTANCES: Omit<Instance, 'id'>[] = [
  { name: 'l0', kind: 'spinlock', lockClass: 'l0' },
  { name: 'l1', kind: 'spinlock', lockClass: 'l1' },
  { name: 'rw', kind: 'rwlock', lockClass: 'rw' },
];
const SPINS = [0, 1];
const RW = 2;

/** How a lock section masks interrupts. */
export type Mask = 'none' | 'bh' | 'irq';

export type IrqBlock =
  | { kind: 'spin'; lock: number; mask: Mask; body: IrqBlock[] }
  | { kind: 'read'; mask: Mask; body: IrqBlock[] }
  | { kind: 'write'; mask: Mask; body: IrqBlock[] }
  | { kind: 'bh'; body: IrqBlock[] }
  | { kind: 'choice'; left: IrqBlock[]; right: IrqBlock[] }
  // Only in rcuPmModelSpecs (tasks): call_rcu of the softirq handler,
  // rcu_barrier, a synchronous runtime PM call, pm_runtime_put.
  | { kind: 'call_rcu' }
  | { kind: 'barrier' }
  | { kind: 'rpm'; which: 'resume' | 'suspend' }
  | { kind: 'put' };

const mask = fc.constantFrom<Mask>('none', 'bh', 'irq');

const block: fc.Memo<IrqBlock> = fc.memo((depth) => {
  const body = depth <= 1 ? fc.constant([] as IrqBlock[]) : fc.array(block(depth - 1), { maxLength: 2 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('spin' as const), lock: fc.constantFrom(...SPINS), mask, body }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), mask, body }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('write' as const), mask, body }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('bh' as const), body }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('choice' as const), left: body, right: body }) },
  );
});

/** Kept small: the Z3 engine's bound grows with every interrupt run. */
const bodyOf = (depth: number) => fc.array(block(depth), { minLength: 1, maxLength: 1 });

export interface IrqModelSpec {
  tasks: IrqBlock[][];
  softirq: IrqBlock[];
  hardirq?: IrqBlock[];
}

export const irqModelSpecs: fc.Arbitrary<IrqModelSpec> = fc.record(
  {
    tasks: fc.array(bodyOf(2), { minLength: 1, maxLength: 2 }),
    softirq: bodyOf(2),
    hardirq: bodyOf(1),
  },
  { requiredKeys: ['tasks', 'softirq'] },
);

const SPIN_API: Record<Mask, [string, string]> = { none: ['spin_lock', 'spin_unlock'], bh: ['spin_lock_bh', 'spin_unlock_bh'], irq: ['spin_lock_irq', 'spin_unlock_irq'] };
const READ_API: Record<Mask, [string, string]> = { none: ['read_lock', 'read_unlock'], bh: ['read_lock_bh', 'read_unlock_bh'], irq: ['read_lock_irq', 'read_unlock_irq'] };
const WRITE_API: Record<Mask, [string, string]> = { none: ['write_lock', 'write_unlock'], bh: ['write_lock_bh', 'write_unlock_bh'], irq: ['write_lock_irq', 'write_unlock_irq'] };

/** Proc ids and instances the rcu/pm blocks refer to. */
interface Refs {
  softirq: number;
  resume?: number;
  suspend?: number;
  dev?: number;
  work?: number;
}

class ProcBuilder {
  nodes: Node[] = [{ kind: 'end', id: 0 }];
  constructor(private readonly refs: Refs = { softirq: -1 }) {}
  private op(op: Op, next: Partial<Record<Outcome, number>>): number {
    const id = this.nodes.length;
    this.nodes.push({ kind: 'op', id, op, next });
    return id;
  }
  emit(blocks: IrqBlock[], cont: number, held: ReadonlySet<number>, reads: number): number {
    let entry = cont;
    for (let i = blocks.length - 1; i >= 0; i--) entry = this.emitOne(blocks[i]!, entry, held, reads);
    return entry;
  }
  /** A lock section; `mode` read may nest (up to 2 reads of rw), a spinlock or write never re-enters. */
  private section(lock: number, mode: 'write' | 'recursive_read', apis: [string, string], m: Mask, b: IrqBlock[], cont: number, held: ReadonlySet<number>, reads: number): number {
    const flags = { ...(m === 'bh' ? { bh: true } : {}), ...(m === 'irq' ? { irqsave: true } : {}) };
    const unlock = this.op({ kind: 'unlock', api: apis[1], lock, ...(m === 'bh' ? { bh: true } : {}), ...(m === 'irq' ? { irqrestore: true } : {}) }, { ok: cont });
    const inner = mode === 'write' ? new Set(held).add(lock) : held;
    const body = this.emit(b, unlock, inner, mode === 'write' ? reads : reads + 1);
    return this.op({ kind: 'lock', api: apis[0], lock, mode, trylock: false, ...flags }, { ok: body });
  }
  private emitOne(b: IrqBlock, cont: number, held: ReadonlySet<number>, reads: number): number {
    switch (b.kind) {
      case 'spin':
        if (held.has(b.lock)) return this.emit(b.body, cont, held, reads);
        return this.section(b.lock, 'write', SPIN_API[b.mask], b.mask, b.body, cont, held, reads);
      case 'read':
        if (held.has(RW) || reads >= 2) return this.emit(b.body, cont, held, reads);
        return this.section(RW, 'recursive_read', READ_API[b.mask], b.mask, b.body, cont, held, reads);
      case 'write':
        if (held.has(RW) || reads > 0) return this.emit(b.body, cont, held, reads);
        return this.section(RW, 'write', WRITE_API[b.mask], b.mask, b.body, cont, held, reads);
      case 'bh': {
        const enable = this.op({ kind: 'local_bh_enable', api: 'local_bh_enable' }, { ok: cont });
        const body = this.emit(b.body, enable, held, reads);
        return this.op({ kind: 'local_bh_disable', api: 'local_bh_disable' }, { ok: body });
      }
      case 'call_rcu':
        return this.op({ kind: 'call_rcu', api: 'call_rcu', callback: this.refs.softirq }, { ok: cont });
      case 'barrier':
        return this.op({ kind: 'rcu_sync', api: 'rcu_barrier' }, { ok: cont });
      case 'rpm': {
        const cb = b.which === 'resume' ? this.refs.resume : this.refs.suspend;
        const api = b.which === 'resume' ? 'pm_runtime_get_sync' : 'pm_runtime_put_sync_suspend';
        return this.op({ kind: 'pm_runtime', api, dev: this.refs.dev!, callbacks: cb === undefined ? [] : [cb] }, { ok: cont });
      }
      case 'put':
        return this.op({ kind: 'queue_work', api: 'pm_runtime_put', work: this.refs.work! }, { ok: cont });
      case 'choice': {
        const l = this.emit(b.left, cont, held, reads);
        const r = this.emit(b.right, cont, held, reads);
        const id = this.nodes.length;
        this.nodes.push({ kind: 'choice', id, next: [l, r] });
        return id;
      }
    }
  }
}

/** Node 0 must be the entry: swap the end node and the entry node ids. */
function rooted(id: number, name: string, role: Proc['role'], blocks: IrqBlock[], refs?: Refs): Proc {
  const b = new ProcBuilder(refs);
  const entry = b.emit(blocks, 0, new Set(), 0);
  if (entry === 0) return { id, name, role, nodes: b.nodes };
  const remap = (n: number) => (n === 0 ? entry : n === entry ? 0 : n);
  const nodes = b.nodes.map((n): Node => {
    const nid = remap(n.id);
    if (n.kind === 'op') return { ...n, id: nid, next: Object.fromEntries(Object.entries(n.next).map(([k, v]) => [k, remap(v!)])) };
    if (n.kind === 'choice') return { ...n, id: nid, next: n.next.map(remap) };
    return { ...n, id: nid };
  });
  nodes.sort((x, y) => x.id - y.id);
  return { id, name, role, nodes };
}

export function buildIrqModel(spec: IrqModelSpec): DriverModel {
  const procs: Proc[] = spec.tasks.map((t, i) => rooted(i, `t${i}`, 'thread', t));
  const registrations: Registration[] = [];
  const sid = procs.length;
  procs.push(rooted(sid, 'bh_handler', 'softirq', spec.softirq));
  registrations.push({ role: 'softirq', proc: sid });
  if (spec.hardirq) {
    const hid = procs.length;
    procs.push(rooted(hid, 'irq_handler', 'irq', spec.hardirq));
    registrations.push({ role: 'irq', proc: hid });
  }
  return {
    schemaVersion: 1,
    file: 'random-irq.model.ts',
    sourceHash: '0',
    header: { description: 'random irq', expect: [], ruleOptions: {} },
    instances: INSTANCES.map((x, id) => ({ ...x, id })),
    procs,
    threads: spec.tasks.map((_, i) => ({ id: i, name: `t${i}`, proc: i, kind: 'thread' as const })),
    registrations,
  };
}

// ---------------------------------------------------------------------------
// RCU callbacks and runtime PM (#13 item 8): tasks that queue the softirq
// handler as an RCU callback and wait for it with rcu_barrier, and call a
// device's runtime PM callbacks inline or through pm_wq.

export interface RcuPmModelSpec {
  tasks: IrqBlock[][];
  /** The RCU callback's body (a softirq handler that runs once queued). */
  callback: IrqBlock[];
  resume: IrqBlock[];
  suspend: IrqBlock[];
}

const extra = fc.constantFrom<IrqBlock>({ kind: 'call_rcu' }, { kind: 'barrier' }, { kind: 'rpm', which: 'resume' }, { kind: 'rpm', which: 'suspend' }, { kind: 'put' });
const taskBlock: fc.Arbitrary<IrqBlock> = fc.oneof(
  { weight: 2, arbitrary: extra },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('spin' as const), lock: fc.constantFrom(...SPINS), mask, body: fc.array(extra, { maxLength: 1 }) }) },
);
const leaf = fc.array(fc.record({ kind: fc.constant('spin' as const), lock: fc.constantFrom(...SPINS), mask: fc.constant<Mask>('none'), body: fc.constant([] as IrqBlock[]) }), { maxLength: 1 });

export const rcuPmModelSpecs: fc.Arbitrary<RcuPmModelSpec> = fc.record({
  tasks: fc.array(fc.array(taskBlock, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  callback: leaf,
  resume: leaf,
  suspend: leaf,
});

export function buildRcuPmModel(spec: RcuPmModelSpec): DriverModel {
  const n = spec.tasks.length;
  const refs: Refs = { softirq: n, resume: n + 1, suspend: n + 2, dev: INSTANCES.length + 1, work: INSTANCES.length + 2 };
  const procs: Proc[] = spec.tasks.map((t, i) => rooted(i, `t${i}`, 'thread', t, refs));
  procs.push(rooted(n, 'free_rcu', 'softirq', spec.callback));
  procs.push(rooted(n + 1, 'runtime_resume', 'rpm_callback', spec.resume));
  procs.push(rooted(n + 2, 'runtime_suspend', 'rpm_callback', spec.suspend));
  procs.push(rooted(n + 3, 'runtime_suspend', 'work', spec.suspend));
  const base = INSTANCES.length;
  const instances: Instance[] = [
    ...INSTANCES.map((x, id) => ({ ...x, id })),
    { id: base, name: 'dev.power.lock', kind: 'spinlock', lockClass: '&dev->power.lock' },
    { id: base + 1, name: 'dev', kind: 'pm_device', proc: n + 1, rpm: { lock: base, work: base + 2, suspend: n + 2 } },
    { id: base + 2, name: 'dev.power.work', kind: 'work', proc: n + 3 },
  ];
  return {
    schemaVersion: 1,
    file: 'random-rcu-pm.model.ts',
    sourceHash: '0',
    header: { description: 'random rcu/pm', expect: [], ruleOptions: {} },
    instances,
    procs,
    threads: [
      ...spec.tasks.map((_, i) => ({ id: i, name: `t${i}`, proc: i, kind: 'thread' as const })),
      { id: n, name: 'runtime_suspend', proc: n + 3, kind: 'work' as const },
    ],
    registrations: [{ role: 'softirq', proc: n, rcu: true }],
  };
}

