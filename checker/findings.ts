/**
 * Turning what the engines found into findings a person reads: lock-graph
 * cycles and recursions into lockdep-shaped chains, and message templates
 * filled from the step or state that violates.
 */

import type { DriverModel, Op, SourceMap } from '../model/ir.js';
import type { ClosingEdgePattern, Context, Rule } from '../rules/types.js';
import type { ChainEdge, Finding, SourceRef } from './report.js';
import type { Cycle, GraphEdge, LockGraph, Recursion } from './engines/lockgraph/types.js';
import { opMatchesStep } from './semantics/patterns.js';
import { FS_RECLAIM } from '../rules/canonical-order.js';

/** Fill `{{name}}` placeholders; unknown names stay visible as `{{name}}` so a test catches them. */
export function fillTemplate(template: string, vars: Record<string, string | undefined>): string {
  // Own properties only: `{{constructor}}` in a user rule's template is text, not Object.prototype.constructor.
  return template.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined) ?? m);
}

export function messageFor(rule: Rule, checkId: string, vars: Record<string, string | undefined>): string {
  const t = rule.meta.messages[checkId] ?? rule.meta.summary;
  return fillTemplate(t, vars);
}

function toChainEdge(e: GraphEdge): ChainEdge {
  return { from: e.from, to: e.to, type: e.type, source: e.source };
}

/** Placeholders an operation provides: its kernel function and the instances it names. */
export function opVars(model: DriverModel, op: Op): Record<string, string | undefined> {
  const o = op as unknown as Record<string, unknown>;
  const name = (k: string) => (typeof o[k] === 'number' ? model.instances[o[k] as number]?.name : undefined);
  return {
    api: op.api,
    lock: name('lock'),
    fence: name('fence') ?? name('resv'),
    attachment: name('attachment'),
    buf: name('buf') ?? (typeof o.attachment === 'number' ? bufOfAttachment(model, o.attachment as number) : undefined),
    rxq: name('rxq'),
    gfp: op.kind === 'alloc' ? op.gfp.text : undefined,
    obj: name('obj'),
    phyr: name('phyr'),
  };
}

function bufOfAttachment(model: DriverModel, att: number): string | undefined {
  const b = model.instances[att]?.buf;
  return b !== undefined ? model.instances[b]?.name : undefined;
}

export function cycleFinding(rule: Rule, checkId: string, cycle: Cycle, model: DriverModel): Finding {
  const closing = cycle.edges[cycle.edges.length - 1];
  const at = closing.source.kind === 'model' ? closing.source.at : undefined;
  const node = closing.node ? model.procs[closing.node.proc]?.nodes[closing.node.node] : undefined;
  const vars = {
    ...(node?.kind === 'op' ? opVars(model, node.op) : {}),
    lock: closing.to,
    held: closing.from,
    thread: closing.source.kind === 'model' ? closing.source.thread : undefined,
    api: closing.source.kind === 'model' ? closing.source.api : undefined,
    chain: [closing.to, ...cycle.edges.slice(0, -1).map((e) => e.to)].join(' --> '),
  };
  return {
    rule: rule.meta.id,
    check: checkId,
    kind: 'circular-dependency',
    message: messageFor(rule, checkId, vars),
    ...(at ? { at } : {}),
    chain: cycle.edges.map(toChainEdge),
    possibleOnly: true,
  };
}

export function recursionFinding(rule: Rule, checkId: string, r: Recursion, model: DriverModel, sm: SourceMap | undefined): Finding {
  const where = (p: { proc: number; node: number }): SourceRef | undefined => {
    const loc = sm?.nodes[p.proc]?.[p.node];
    return loc ? { file: model.file, line: loc.line, col: loc.col } : undefined;
  };
  const at = where(r.second);
  const first = where(r.first);
  const node = model.procs[r.second.proc]?.nodes[r.second.node];
  const api = node?.kind === 'op' ? node.op.api : undefined;
  return {
    rule: rule.meta.id,
    check: checkId,
    kind: 'recursive-locking',
    message: messageFor(rule, checkId, { lock: r.class, held: r.class, thread: r.thread, api }),
    ...(at ? { at } : {}),
    chain: [
      {
        from: r.class,
        to: r.class,
        type: 'EN',
        source: { kind: 'model', thread: r.thread, at: at ?? { file: model.file, line: 0, col: 0 }, ...(first ? { heldAt: first } : {}), api: api ?? 'lock' },
      },
    ],
  };
}

/** Cycles a lock-cycle check selects: `through` one of its classes, `closedBy` a matching model edge. */
export function cyclesFor(graph: LockGraph, check: Extract<Rule['checks'][number], { kind: 'lock-cycle' }>, model: DriverModel): Cycle[] {
  const selected = graph.cycles.filter((c) => {
    if (!c.edges.some((e) => e.source.kind === 'model')) return false;
    if (check.through && !c.classes.some((cls) => check.through!.some((p) => graph.patternMatchesClass(p, cls)))) return false;
    if (check.closedBy && !c.edges.some((e) => edgeClosedBy(e, check.closedBy!, model, graph))) return false;
    return true;
  });
  // One acquisition site often closes several variants of one cycle (an
  // allocation records edges to both fs_reclaim and the notifier map);
  // like lockdep, report it once per closing site. lockdep stops at the
  // first acquisition that closes a cycle, and fs_reclaim_acquire() takes
  // fs_reclaim before it touches the notifier map (mm/page_alloc.c), so a
  // cycle closed on fs_reclaim wins; its chain continues through the
  // primed fs_reclaim -> mmu_notifier_invalidate_range_start (P4).
  // Otherwise the shortest (cycles come shortest first).
  const bySite = new Map<string, Cycle>();
  for (const c of selected) {
    const closing = c.edges[c.edges.length - 1];
    const key = closing.node ? `${closing.node.proc}.${closing.node.node}` : `${closing.from}\0${closing.to}`;
    const kept = bySite.get(key);
    if (!kept || (closesOn(c) === FS_RECLAIM && closesOn(kept) !== FS_RECLAIM)) bySite.set(key, c);
  }
  const chosen = new Set(bySite.values());
  return selected.filter((c) => chosen.has(c));
}

/**
 * Some site that records model edge `e` matches `closedBy`: its op, the
 * context the site was walked in, the edge's held class. Edges built
 * without recordings (hand-made graphs) stand for their first site, with
 * no context.
 */
function edgeClosedBy(e: GraphEdge, closedBy: ClosingEdgePattern, model: DriverModel, graph: LockGraph): boolean {
  if (e.source.kind !== 'model' || !e.node) return false;
  const { context, from, ...step } = closedBy;
  if (from && !graph.patternMatchesClass(from, e.from)) return false;
  const sites = e.recordings ?? [{ node: e.node, contexts: [] }];
  return sites.some((r) => {
    if (context !== undefined && !recordedIn(r.contexts, context)) return false;
    const n = model.procs[r.node.proc]?.nodes[r.node.node];
    return n?.kind === 'op' && opMatchesStep(n.op, 'ok', step, model, graph);
  });
}

/** A recording's contexts cover `context`; `reclaim` also covers notifiers, as `taken-in` reads it (lockgraph/index.ts). */
function recordedIn(contexts: readonly Context[], context: Context): boolean {
  if (context === 'reclaim') return contexts.some((c) => c === 'reclaim' || c === 'shrinker' || c === 'mmu-notifier');
  return contexts.includes(context);
}

function closesOn(c: Cycle): string {
  return c.edges[c.edges.length - 1].to;
}

/** Identity of a cycle for cross-rule deduplication: its edges, in order. */
export function chainKey(f: Finding): string | undefined {
  return f.chain?.map((e) => `${e.from}>${e.to}:${e.type}`).join('|');
}
