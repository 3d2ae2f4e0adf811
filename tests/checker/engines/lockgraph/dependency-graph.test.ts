/**
 * The dependency graph on its own: edges recorded once, in first-recorded
 * order, and the strong cycles of LOCKDEP-3 (no -(xR)-> followed by
 * -(Sx)->) found when the closing edge arrives, each once.
 */

import { describe, expect, it } from 'vitest';
import { DependencyGraph } from '../../../../checker/engines/lockgraph/dependency-graph.js';
import type { GraphEdge } from '../../../../checker/engines/lockgraph/types.js';
import type { EdgeType } from '../../../../rules/canonical-order.js';

function edge(from: string, to: string, type: EdgeType = 'EN', where = `${from}->${to}`): GraphEdge {
  return { from, to, type, source: { kind: 'primed', id: 'test', where } };
}

describe('DependencyGraph', () => {
  it('keeps the first edge of each (from, to, type) and its classes', () => {
    const g = new DependencyGraph();
    expect(g.insert(edge('A', 'B', 'EN', 'first'))).toBe(true);
    expect(g.insert(edge('A', 'B', 'EN', 'second'))).toBe(false);
    expect(g.insert(edge('A', 'B', 'SN'))).toBe(true);
    expect(g.edges().map((e) => [e.type, e.source.kind === 'primed' && e.source.where])).toEqual([
      ['EN', 'first'],
      ['SN', 'A->B'],
    ]);
    expect([...g.classes]).toEqual(['A', 'B']);
  });

  it('finds the cycle a model edge closes, held ... new, once', () => {
    const g = new DependencyGraph();
    g.addModelEdge(edge('A', 'B'));
    g.addModelEdge(edge('B', 'C'));
    expect(g.cycles).toEqual([]);
    g.addModelEdge(edge('C', 'A'));
    expect(g.cycles.map((c) => c.classes)).toEqual([['A', 'B', 'C']]);
    expect(g.cycles[0].edges.map((e) => `${e.from}${e.to}`)).toEqual(['AB', 'BC', 'CA']);
    // The same classes and types again: no second report.
    g.addModelEdge(edge('C', 'A', 'EN', 'again'));
    expect(g.cycles).toHaveLength(1);
  });

  it('does not close a cycle through a recursive read followed by a shared edge', () => {
    const g = new DependencyGraph();
    // A -(ER)-> B -(SN)-> A: the R end of the first edge may not precede an S start.
    g.addModelEdge(edge('A', 'B', 'ER'));
    g.addModelEdge(edge('B', 'A', 'SN'));
    expect(g.cycles).toEqual([]);
    // An exclusive edge back closes it.
    g.addModelEdge(edge('B', 'A', 'EN'));
    expect(g.cycles.map((c) => c.edges.map((e) => e.type))).toEqual([['ER', 'EN']]);
  });

  it('does not look for cycles through primed edges added with insert', () => {
    const g = new DependencyGraph();
    g.insert(edge('A', 'B'));
    g.insert(edge('B', 'A'));
    expect(g.cycles).toEqual([]);
    g.addModelEdge(edge('B', 'C'));
    g.addModelEdge(edge('C', 'B'));
    expect(g.cycles.map((c) => c.classes)).toEqual([['B', 'C']]);
  });
});
