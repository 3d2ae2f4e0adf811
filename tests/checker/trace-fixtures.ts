/** Hand-built IR models shared by the trace, replay and properties tests. */
import type { DriverModel, Instance, Node, Op, Proc, SourceMap } from '../../model/ir.js';

export function op(id: number, o: Op, next: number | Partial<Record<string, number>>): Node {
  return { kind: 'op', id, op: o, next: typeof next === 'number' ? { ok: next } : next };
}

export function end(id: number): Node {
  return { kind: 'end', id };
}

/** A straight-line proc: ops in order, then the end node. */
export function seq(id: number, name: string, ops: Op[], role: Proc['role'] = 'thread'): Proc {
  const nodes: Node[] = ops.map((o, i) => op(i, o, i + 1));
  nodes.push(end(ops.length));
  return { id, name, role, nodes };
}

export function model(parts: {
  instances: Instance[];
  procs: Proc[];
  threads?: string[];
  registrations?: DriverModel['registrations'];
  header?: Partial<DriverModel['header']>;
}): DriverModel {
  const threads = parts.threads ?? parts.procs.filter((p) => p.role === 'thread').map((p) => p.name);
  return {
    schemaVersion: 1,
    file: 'fixtures/test.model.ts',
    sourceHash: '0'.repeat(64),
    header: { description: '', expect: [], ruleOptions: {}, ...parts.header },
    instances: parts.instances,
    procs: parts.procs,
    threads: threads.map((n, i) => ({ id: i, name: n, proc: parts.procs.find((p) => p.name === n)!.id, kind: 'thread' })),
    registrations: parts.registrations ?? [],
  };
}

/** Source map that puts proc p's node n at line 10*(p+1)+n, col 3. */
export function sourceMapOf(m: DriverModel): SourceMap {
  return {
    file: m.file,
    nodes: m.procs.map((p) => p.nodes.map((n) => (n.kind === 'op' ? { line: 10 * (p.id + 1) + n.id, col: 3 } : undefined))),
    instances: m.instances.map(() => undefined),
    procs: m.procs.map(() => undefined),
    inlined: m.procs.map(() => []),
  };
}

export const lock = (l: number, api = 'mutex_lock'): Op => ({ kind: 'lock', api, lock: l, mode: 'write', trylock: false });
export const unlock = (l: number, api = 'mutex_unlock'): Op => ({ kind: 'unlock', api, lock: l });

export function abba(): DriverModel {
  return model({
    instances: [
      { id: 0, name: 'notifier_lock', kind: 'mutex', lockClass: 'notifier_lock' },
      { id: 1, name: 'vm_lock', kind: 'mutex', lockClass: 'vm_lock' },
    ],
    procs: [
      seq(0, 'ioctl', [lock(0), lock(1), unlock(1), unlock(0)]),
      seq(1, 'run_job', [lock(1), lock(0), unlock(0), unlock(1)]),
    ],
  });
}
