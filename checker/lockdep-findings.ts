/**
 * Findings for lockdep's class-level reports other than cycles and
 * recursion (rules/types.ts `lockdep-report` checks): irq usage states,
 * irq-safe -> irq-unsafe order, invalid wait context, held lock freed.
 * Each is decided on the lock graph over every path, and a usage report
 * carries the deadlock trace an interleaving engine found for it, if any.
 */

import type { DriverModel, NodeId, ProcId, SourceMap } from '../model/ir.js';
import type { LockdepReport, Rule } from '../rules/types.js';
import type { ChainEdge, Finding, LockdepDetail, SourceRef, Trace } from './report.js';
import type { BuiltGraph, HeldLockInit } from './engines/lockgraph/build.js';
import { usageName, WAIT_NAMES, type IrqInversion, type UsageConflict, type UsageMark, type WaitViolation } from './engines/lockgraph/usage.js';
import { messageFor } from './findings.js';

type LockdepCheck = Extract<Rule['checks'][number], { kind: 'lockdep-report' }>;

/** How a usage report relates to the interleaving engines' deadlocks. */
export interface Realisation {
  /** Deadlock traces the engines found (canonical). */
  deadlockTraces: Trace[];
  /** What the search said when no trace matches. */
  search: NonNullable<Finding['realisation']>;
}

export function lockdepFindings(rule: Rule, check: LockdepCheck, built: BuiltGraph, model: DriverModel, sm: SourceMap | undefined, real: Realisation): Finding[] {
  const where = (p: { proc: ProcId; node: NodeId } | undefined): SourceRef | undefined => {
    const loc = p ? sm?.nodes[p.proc]?.[p.node] : undefined;
    return loc ? { file: model.file, line: loc.line, col: loc.col } : undefined;
  };
  const base = (kind: Finding['kind'], vars: Record<string, string | undefined>, at: SourceRef | undefined): Finding => ({
    rule: rule.meta.id,
    check: check.id,
    kind,
    message: messageFor(rule, check.id, vars),
    ...(at ? { at } : {}),
  });
  const report: LockdepReport = check.report;
  switch (report) {
    case 'inconsistent-lock-state':
      return built.usage
        .conflicts()
        .filter((c) => !check.irq || c.irq === check.irq)
        .map((c) => realise(inconsistentFinding(c, base, where), c.class, c.irq, real));
    case 'irq-lock-inversion':
      return built.usage
        .inversions(built.edges)
        .filter((v) => !check.irq || v.irq === check.irq)
        .map((v) => realise(inversionFinding(v, base, where), v.unsafeClass, v.irq, real, v.safeClass));
    case 'invalid-wait-context':
      return onePerPlace(built.waitViolations.map((v) => waitFinding(v, base, where)));
    case 'held-lock-freed':
      return onePerPlace(built.heldLockInits.map((h) => freedFinding(h, base, where)));
    case 'bad-unlock-balance':
      return onePerPlace(built.badUnlocks.map((h) => base('bad-unlock-balance', { lock: h.lock ?? h.class, thread: h.site.thread, api: h.site.api }, where(h.site.at))));
  }
}

/** Unrolled or duplicated nodes of one statement give one finding, like one call site in lockdep. */
function onePerPlace(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = f.at ? `${f.at.line}:${f.at.col}` : f.message;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

type Base = (kind: Finding['kind'], vars: Record<string, string | undefined>, at: SourceRef | undefined) => Finding;
type Where = (p: { proc: ProcId; node: NodeId } | undefined) => SourceRef | undefined;

function usageEntry(cls: string, m: UsageMark, where: Where): NonNullable<LockdepDetail['usages']>[number] {
  const at = where(m.site.at);
  return { class: cls, usage: usageName(m.bit), thread: m.site.thread, api: m.site.api, ...(at ? { at } : {}) };
}

/** print_usage_bug: `inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.`, anchored at the irq-unsafe acquisition. */
function inconsistentFinding(c: UsageConflict, base: Base, where: Where): Finding {
  const f = base(
    'inconsistent-lock-state',
    { lock: c.class, safe: `{${usageName(c.safe.bit)}}`, unsafe: `{${usageName(c.unsafe.bit)}}`, thread: c.unsafe.site.thread, api: c.unsafe.site.api, irq: c.irq },
    where(c.unsafe.site.at),
  );
  f.lockdep = { irq: c.irq, usages: [usageEntry(c.class, c.safe, where), usageEntry(c.class, c.unsafe, where)] };
  return f;
}

/** print_bad_irq_dependency: the irq-safe lock, the irq-unsafe one it reaches, and the chain between them. */
function inversionFinding(v: IrqInversion, base: Base, where: Where): Finding {
  const last = v.path[v.path.length - 1];
  const at = last.source.kind === 'model' ? last.source.at : where(v.unsafe.site.at);
  const f = base(
    'irq-lock-inversion',
    {
      lock: v.unsafeClass,
      held: v.safeClass,
      safe: `{${usageName(v.safe.bit)}}`,
      unsafe: `{${usageName(v.unsafe.bit)}}`,
      thread: last.source.kind === 'model' ? last.source.thread : v.unsafe.site.thread,
      api: last.source.kind === 'model' ? last.source.api : v.unsafe.site.api,
      irq: v.irq,
      chain: [v.safeClass, ...v.path.map((e) => e.to)].join(' --> '),
    },
    at,
  );
  f.chain = v.path.map((e): ChainEdge => ({ from: e.from, to: e.to, type: e.type, source: e.source }));
  f.lockdep = { irq: v.irq, usages: [usageEntry(v.safeClass, v.safe, where), usageEntry(v.unsafeClass, v.unsafe, where)] };
  return f;
}

/** print_lock_invalid_wait_context: the new lock's `{outer:inner}` against what it is taken under. */
function waitFinding(v: WaitViolation, base: Base, where: Where): Finding {
  const limitedBy = v.limitedBy.kind === 'context' ? `${v.limitedBy.context} context` : v.limitedBy.class;
  const f = base(
    'invalid-wait-context',
    { lock: v.class, held: limitedBy, thread: v.site.thread, api: v.site.api, outer: WAIT_NAMES[v.outer], inner: WAIT_NAMES[v.inner] },
    where(v.site.at),
  );
  f.lockdep = {
    wait: {
      class: v.class,
      outer: WAIT_NAMES[v.outer]!,
      inner: WAIT_NAMES[v.inner]!,
      limitedBy,
      held: v.held.map((h) => ({ class: h.class, wait: WAIT_NAMES[h.inner]! })),
    },
  };
  return f;
}

/** print_freed_lock_bug: a held lock's memory re-initialised. */
function freedFinding(h: HeldLockInit, base: Base, where: Where): Finding {
  const heldAt = where(h.heldAt);
  return base('held-lock-freed', { lock: h.class, held: h.class, thread: h.site.thread, api: h.site.api, heldAt: heldAt ? `${heldAt.line}:${heldAt.col}` : undefined }, where(h.site.at));
}

/**
 * A usage report is realised when the engines found a deadlock in which
 * an irq handler spins on a lock of the class (or of the class it is
 * ordered before) that the interrupted thread holds: a hard irq handler
 * for a HARDIRQ report, a softirq handler (softirq, tasklet, timer) for a
 * SOFTIRQ one.
 */
function realise(f: Finding, cls: string, irq: 'HARDIRQ' | 'SOFTIRQ', real: Realisation, other?: string): Finding {
  const onClass = (c: string) => c === cls || c === other;
  const kind = irq === 'HARDIRQ' ? 'irq' : 'softirq';
  const trace = real.deadlockTraces.find((t) => {
    const irqThreads = new Set(t.threads.filter((x) => x.kind === kind).map((x) => x.name));
    return t.final.threads.some((x) => irqThreads.has(x.thread) && x.status === 'blocked' && x.waitingFor?.kind === 'lock' && (onClass(x.waitingFor.lockClass) || onClass(x.waitingFor.lock)));
  });
  if (trace) {
    f.trace = trace;
    f.realisation = { status: 'realised' };
  } else {
    f.realisation = real.search;
  }
  return f;
}
