/**
 * The class-level dependency graph as lockdep grows it: edges kept in the
 * order they were first recorded (lockdep keeps the first trace), and the
 * strong cycle each new model edge closes (check_noncircular with
 * LOCKDEP-3's read rules), each cycle once.
 */

import type { EdgeType } from '../../../rules/canonical-order.js';
import type { Cycle, EdgeRecording, GraphEdge } from './types.js';

export class DependencyGraph {
  /** Every class seen: edge ends, and whatever the builder adds. */
  readonly classes = new Set<string>();
  readonly cycles: Cycle[] = [];
  private readonly edgeMap = new Map<string, GraphEdge>(); // key from\0to\0type
  private readonly adjacency = new Map<string, GraphEdge[]>();
  private readonly cycleKeys = new Set<string>();

  /** The edges in the order they were first recorded. */
  edges(): GraphEdge[] {
    return [...this.edgeMap.values()];
  }

  /** Records an edge unless one with the same ends and type exists; says whether it was new. */
  insert(e: GraphEdge): boolean {
    const key = `${e.from}\0${e.to}\0${e.type}`;
    if (this.edgeMap.has(key)) return false;
    this.edgeMap.set(key, e);
    this.classes.add(e.from);
    this.classes.add(e.to);
    let list = this.adjacency.get(e.from);
    if (!list) this.adjacency.set(e.from, (list = []));
    list.push(e);
    return true;
  }

  /**
   * Records an edge the model makes and, if it is new, the strong cycle it
   * closes. An edge recorded again keeps its first trace (lockdep's) and
   * gains the new site in `recordings`.
   */
  addModelEdge(e: GraphEdge): void {
    if (!this.insert(e)) {
      const kept = this.edgeMap.get(`${e.from}\0${e.to}\0${e.type}`)!;
      for (const r of e.recordings ?? []) addRecording(kept, r);
      return;
    }
    const path = this.strongPath(e.to, e.from, e.type[1] === 'R', e.type);
    if (!path) return;
    const edges = [...path, e];
    const cls = edges.map((x) => x.from);
    const key = [...cls].sort().join('\0') + '|' + edges.map((x) => x.type).join('');
    if (this.cycleKeys.has(key)) return;
    this.cycleKeys.add(key);
    this.cycles.push({ edges, classes: cls });
  }

  /**
   * A strong path from `start` to `goal` whose first edge may follow an
   * edge ending in R iff `startR`, and whose last edge may precede `closing`.
   * Lockdep's rule (LOCKDEP-3): no -(xR)-> immediately followed by -(Sx)->.
   */
  private strongPath(start: string, goal: string, startR: boolean, closing: EdgeType): GraphEdge[] | undefined {
    type Item = { cls: string; r: boolean };
    const key = (i: Item) => `${i.cls}\0${i.r ? 1 : 0}`;
    const prev = new Map<string, { from: string; edge: GraphEdge }>();
    const seen = new Set<string>([key({ cls: start, r: startR })]);
    let frontier: Item[] = [{ cls: start, r: startR }];
    while (frontier.length) {
      const next: Item[] = [];
      for (const it of frontier) {
        for (const e of this.adjacency.get(it.cls) ?? []) {
          if (it.r && e.type[0] === 'S') continue;
          const r = e.type[1] === 'R';
          const item = { cls: e.to, r };
          const k = key(item);
          if (seen.has(k)) continue;
          seen.add(k);
          prev.set(k, { from: key(it), edge: e });
          if (e.to === goal && !(r && closing[0] === 'S')) return pathTo(prev, k);
          next.push(item);
        }
      }
      frontier = next;
    }
    return undefined;
  }
}

/** Adds a recording site to an edge, once per site and contexts. */
function addRecording(e: GraphEdge, r: EdgeRecording): void {
  const list = (e.recordings ??= []);
  const same = (x: EdgeRecording) => x.node.proc === r.node.proc && x.node.node === r.node.node && x.contexts.join() === r.contexts.join();
  if (!list.some(same)) list.push(r);
}

/** The edges that lead to `end` in a breadth-first predecessor map. */
function pathTo(prev: Map<string, { from: string; edge: GraphEdge }>, end: string): GraphEdge[] {
  const path: GraphEdge[] = [];
  let cur = end;
  while (prev.has(cur)) {
    const p = prev.get(cur)!;
    path.unshift(p.edge);
    cur = p.from;
  }
  return path;
}
