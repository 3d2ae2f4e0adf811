import { extractModel, formatDiagnostic, type DriverModel, type ExtractedModel, type Node, type Proc } from '../../model/index.js';

export const HEADER = "/**\n * test model\n * @expect holds all\n */\nimport type {} from 'lockmc/kernel';\n";

/** Extract or fail the test with the formatted diagnostics. */
export function extractOk(body: string, file = 'test.model.ts'): ExtractedModel {
  const r = extractModel({ file, text: HEADER + body });
  if (!r.extracted) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
  return r.extracted;
}

export function proc(m: DriverModel, name: string, role?: Proc['role']): Proc {
  const p = m.procs.find((x) => x.name === name && (role === undefined || x.role === role));
  if (!p) throw new Error(`no proc ${name}`);
  return p;
}

/** Op nodes of a proc whose api is `api`, in node order. */
export function opsOf(p: Proc, api: string): Extract<Node, { kind: 'op' }>[] {
  return p.nodes.filter((n): n is Extract<Node, { kind: 'op' }> => n.kind === 'op' && n.op.api === api);
}

export function op1(p: Proc, api: string): Extract<Node, { kind: 'op' }> {
  const ns = opsOf(p, api);
  if (ns.length !== 1) throw new Error(`${ns.length} nodes for ${api} in ${p.name}`);
  return ns[0]!;
}

/** The api names along the `ok` / single-successor path from node `from` (choices take branch 0). */
export function path(p: Proc, from = 0, pick: (n: Node) => number | string = () => 'ok'): string[] {
  const out: string[] = [];
  let id = from;
  for (let guard = 0; guard < 10_000; guard++) {
    const n = p.nodes[id]!;
    if (n.kind === 'end') {
      out.push('end');
      return out;
    }
    if (n.kind === 'choice') {
      out.push('choice');
      const k = pick(n);
      id = n.next[typeof k === 'number' ? k : 0]!;
      continue;
    }
    out.push(n.op.api);
    const k = pick(n);
    id = (n.next as Record<string, number>)[typeof k === 'string' ? k : 'ok']!;
  }
  throw new Error('path too long');
}

/** Structural check: node ids are dense, every op outcome has a valid successor, node 0 is the entry. */
export function checkWellFormed(m: DriverModel): void {
  for (const p of m.procs) {
    p.nodes.forEach((n, i) => {
      if (n.id !== i) throw new Error(`${p.name}: node ${i} has id ${n.id}`);
      const succ = n.kind === 'op' ? Object.values(n.next) : n.kind === 'choice' ? n.next : [];
      for (const s of succ) if (!(Number.isInteger(s) && s! >= 0 && s! < p.nodes.length)) throw new Error(`${p.name}: node ${i} has successor ${s}`);
    });
    if (!p.nodes.some((n) => n.kind === 'end')) throw new Error(`${p.name}: no end node`);
  }
}
