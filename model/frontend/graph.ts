/**
 * Building a proc graph forwards: every construct consumes the dangling
 * edges that reach it and returns the edges that leave it; a new node
 * patches the edges it receives. Node 0 is always the entry because the
 * first node created receives the entry edge.
 */

import { FRONTEND_LIMITS } from '../diagnostics.js';
import type { Loc, Node, NodeId, Op, Outcome } from '../ir.js';

/** Thrown when a proc outgrows the limits: abandons the whole proc. */
export class ProcAbort extends Error {
  constructor(readonly reported = false) {
    super('proc too large');
  }
}

/** A dangling control-flow edge: an op outcome, a choice slot, or the proc entry. */
export interface Edge {
  n: NodeId; // -1 = proc entry
  o?: Outcome;
  c?: number;
}
export const ENTRY: Edge = { n: -1 };

/** A value an expression can have, reached through `edges`. */
export interface Pair {
  edges: Edge[];
  value: number;
}

export class ProcGraph {
  readonly nodes: Node[] = [];
  readonly locs: (Loc | undefined)[] = [];
  readonly inlined: (Loc[] | undefined)[] = [];
  /** The helper names of `inlined`'s call sites (the frame's stack without the proc). */
  readonly via: (string[] | undefined)[] = [];
  work = 0;

  private patch(edges: Edge[], target: NodeId): void {
    for (const e of edges) {
      if (e.n === -1) {
        if (target !== 0) throw new Error('entry edge patched to a node other than 0');
        continue;
      }
      const node = this.nodes[e.n]!;
      if (node.kind === 'op') node.next[e.o!] = target;
      else if (node.kind === 'choice') node.next[e.c!] = target;
    }
  }

  private push(node: Node, inc: Edge[], loc: Loc | undefined, chain: Loc[], helpers: string[]): void {
    if (this.nodes.length >= FRONTEND_LIMITS.maxNodesPerProc) throw new ProcAbort();
    this.nodes.push(node);
    this.locs.push(loc);
    this.inlined.push(chain.length > 0 ? chain.slice() : undefined);
    this.via.push(helpers.length > 0 ? helpers.slice() : undefined);
    this.patch(inc, node.id);
  }

  addOp(op: Op, inc: Edge[], loc: Loc, chain: Loc[], helpers: string[] = []): NodeId {
    const id = this.nodes.length;
    this.push({ kind: 'op', id, op, next: {} }, inc, loc, chain, helpers);
    return id;
  }

  addChoice(k: number, inc: Edge[], loc: Loc, chain: Loc[], helpers: string[] = []): NodeId {
    const id = this.nodes.length;
    this.push({ kind: 'choice', id, next: new Array<number>(k).fill(-1) }, inc, loc, chain, helpers);
    return id;
  }

  addEnd(inc: Edge[], loc: Loc | undefined): NodeId {
    const id = this.nodes.length;
    this.nodes.push({ kind: 'end', id });
    this.locs.push(loc);
    this.inlined.push(undefined);
    this.via.push(undefined);
    this.patch(inc, id);
    return id;
  }
}


export function mergePairs(pairs: Pair[]): Pair[] {
  const by = new Map<number, Edge[]>();
  for (const p of pairs) {
    const e = by.get(p.value);
    if (e) e.push(...p.edges);
    else by.set(p.value, [...p.edges]);
  }
  return [...by].map(([value, edges]) => ({ edges, value }));
}

