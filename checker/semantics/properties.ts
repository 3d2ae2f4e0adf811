/**
 * Rule checks → properties of the transition system.
 *
 * compile.ts calls `compileProperties` once every state variable and
 * transition exists. Each `step`, `state`, `terminal`, `deadlock` and
 * `monitor` check becomes one or more `Property` entries (lock-cycle and
 * lock-recursion checks belong to the lock graph and are skipped here).
 * Every transition a property reads or a monitor updates is marked
 * `visible`, because the partial-order reduction may only reorder
 * invisible steps.
 *
 * Semantics decisions worth knowing when writing rules:
 *
 * - A step check becomes one Property per distinct compiled `when` and
 *   source site: the condition depends on the acting thread, the step's
 *   operand and the static context of the step, and a single `when` for
 *   transitions of different threads would be unsound (transition a could
 *   fire in a state where only b's condition holds); and each site gets its
 *   own finding. All of them carry the check's rule and check id. A check that matches no transition still yields one Property
 *   (no transitions, `when` false) so the verdict can say `proved`.
 * - State and terminal predicates have no acting thread: `self` ranges over
 *   every engine thread (the predicate holds if it holds for one of them).
 * - `subject: 'any'` atoms that are conjuncts of one `and` (or nested
 *   `and`s) talk about the *same* object, so "some attachment that is
 *   static and mapped and unpinned" means one attachment. Attachment and
 *   buffer atoms in one conjunction are joined through the attachment's
 *   buffer. When a step operates on a dma_buf, `any` attachments range over
 *   that buffer's attachments. `not` inherits bindings from the enclosing
 *   conjunction; if none, it opens its own (`not(any X)` = no object is X).
 *   `subject: 'all'` quantifies each atom on its own.
 * - Pseudo-locks: fs_reclaim is held inside kswapd and inside direct
 *   reclaim entered with an effective mask that had __GFP_FS; the
 *   mmu-notifier map inside mmu-notifier callbacks; dma_fence_map for read
 *   inside a begin/end_signalling section or a fence callback (which runs
 *   inside dma_fence_signal). The exclusive side of dma_fence_map is a
 *   step (`fence_wait`), never a state: `holds` with mode `write` on it is
 *   false.
 * - GFP patterns use the declared mask under the thread's memalloc scopes
 *   (dynamic when a scope is conditional), not the PF_MEMALLOC of a
 *   reclaim context a callback was entered from (see stepMatch).
 * - Attachment class: `static` = created by dma_buf_attach; a dynamic
 *   attachment without an invalidate callback is `pinned-non-revocable`
 *   (it cannot be revoked in bounded time, pinned or not); with a callback
 *   it is `pinned-revocable` while pinned, else `dynamic`.
 * - A `deadlock` check restricted with `on` becomes a terminal property:
 *   some unfinished thread that is mandatory or has started sits at a wait of one of those kinds
 *   (lock: a lock without ww ctx; ww: a lock with a ctx; fence: a fence
 *   wait; work: flush_work). In a terminal state such a thread is blocked.
 * - A monitor transition list is tried in order; the first applicable
 *   entry wins.
 */

import { anySubjectCategories } from '../../rules/lib/subjects.js';
import { unreachable, type DriverModel, type InstanceId, type Op } from '../../model/ir.js';
import type { DiagnosticCode } from '../../model/diagnostics.js';
import { checkBudget, type Budget } from '../../model/budget.js';
import type { LockGraph } from '../engines/lockgraph/types.js';
import type { Check, Context, LockPattern, Monitor, Pred, Rule, StepPattern } from '../../rules/types.js';
import type { BoolExpr, IntExpr, Property, VarId } from './system.js';
import {
  ATT_ATTACHED,
  ATT_DETACHED,
  ATT_INVALIDATED,
  ATT_MAPPED,
  CompileContext,
  FENCE_INIT,
  FENCE_PUBLISHED,
  FENCE_SIGNALLED,
  MEMALLOC_NOFS,
  MEMALLOC_NOIO,
  MEMALLOC_NORECLAIM,
  RXQ_DEVMEM,
  RXQ_NONE,
  RXQ_ZCRX,
  PAGES_PINNED,
  PAGES_PRESENT,
  OWNER_DEVMEM,
  OWNER_NONE,
  OWNER_ZCRX,
  PHYR_MAPPED,
  PHYR_UNMAPPED,
  PAGES_RELEASED,
  type Frame,
  type LocationInfo,
  type StepInfo,
} from './context.js';
import { FALSE, TRUE, and, bit, bitand, boolVars, cnst, eq, ite, ne, not, or, vr } from './expr.js';
import {
  PSEUDO_LOCKS,
  PatternNeedsGraphError,
  holdableMatches,
  instanceWwClass,
  opMatchesStep,
  opOperands,
  type Holdable,
} from './patterns.js';
import { compareKernel } from '../options.js';

/** A check that cannot be compiled: the pipeline reports it as an LMC3xx diagnostic. */
export class RuleCompileError extends Error {
  readonly rule: string;
  readonly check: string;
  /** LMC326 for malformed monitors; LMC327 for everything else (see report). */
  readonly code: DiagnosticCode;
  constructor(rule: string, check: string, message: string, code: DiagnosticCode = 'LMC327') {
    super(`rule ${rule}, check ${check}: ${message}`);
    this.name = 'RuleCompileError';
    this.rule = rule;
    this.check = check;
    this.code = code;
  }
}

type Category = 'att' | 'buf' | 'rxq' | 'fence';
type Bindings = Partial<Record<Category, InstanceId>>;

interface Env {
  /** Acting thread (step checks, monitors) or the quantified thread (state checks). */
  self: number;
  /** Step checks: the transition being matched; its from-location is `loc`. */
  step?: StepInfo;
  loc?: LocationInfo;
  bind: Bindings;
}

const STATIC_CONTEXTS = new Set<Context>([
  'reclaim',
  'direct-reclaim',
  'kswapd',
  'shrinker',
  'mmu-notifier',
  'mmu-notifier-nonblocking',
  'irq',
  'fence-callback',
  'invalidate-mappings',
  'fence-release',
  'work',
  'final-put',
  'irq-thread',
]);

const LOCKING_KINDS = new Set(['spinlock', 'rwlock']);

function key(e: unknown): string {
  return JSON.stringify(e);
}

export function compileProperties(
  ctx: CompileContext,
  rules: Rule[],
  graph: LockGraph,
  ruleOptions: Record<string, string>,
  kernel: string,
  budget?: Budget,
): Property[] {
  const c = new PropertyCompiler(ctx, rules, graph, ruleOptions, kernel);
  const out: Property[] = [];
  for (const rule of rules) {
    for (const check of rule.checks) {
      checkBudget(budget, 'compile');
      out.push(...c.compileCheck(rule, check));
    }
  }
  return out;
}

class PropertyCompiler {
  private readonly model: DriverModel;
  private rule!: Rule;
  private check!: string;
  private readonly locContextCache = new Map<string, Set<Context>>();
  private readonly signalReach = new Map<string, InstanceId[]>();
  private fsFrameCache: Map<string, BoolExpr> | undefined;

  constructor(
    private readonly ctx: CompileContext,
    private readonly rules: Rule[],
    private readonly graph: LockGraph,
    private readonly ruleOptions: Record<string, string>,
    private readonly kernel: string,
  ) {
    this.model = ctx.model;
  }

  private fail(message: string, code?: DiagnosticCode): never {
    throw new RuleCompileError(this.rule.meta.id, this.check, message, code);
  }

  compileCheck(rule: Rule, check: Check): Property[] {
    this.rule = rule;
    this.check = check.id;
    try {
      return this.compileCheckInner(check);
    } catch (e) {
      if (e instanceof RuleCompileError) throw e;
      if (e instanceof PatternNeedsGraphError) this.fail(e.message);
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private compileCheckInner(check: Check): Property[] {
    const rule = this.rule.meta.id;
    switch (check.kind) {
      case 'lock-cycle':
      case 'lock-recursion':
      case 'lockdep-report':
        return [];
      case 'step':
        return this.compileStep(check.on, check.when ?? { kind: 'true' });
      case 'state': {
        const bad = this.statePred(check.bad);
        this.markReaders(bad);
        return [{ kind: 'state', rule, check: check.id, bad }];
      }
      case 'terminal': {
        // No visibility: both reductions keep every reachable terminal
        // state (explicit/explore.ts; a BMC terminal goal observes no
        // variable at intermediate positions, bmc/encode.ts propertyGoal).
        // Marking the readers would make every transition of a thread
        // visible as soon as `bad` says `{ kind: 'thread' }` (it reads pcs).
        const bad = check.threads === 'returned' ? and(this.allReturned(), this.statePred(check.bad)) : this.statePred(check.bad);
        return [{ kind: 'terminal', rule, check: check.id, bad }];
      }
      case 'deadlock': {
        const on = check.on;
        if (!on || (['lock', 'fence', 'ww', 'work'] as const).every((k) => on.includes(k))) {
          return [{ kind: 'deadlock', rule, check: check.id }];
        }
        const bad = this.deadlockOn(new Set(on));
        this.markReaders(bad);
        return [{ kind: 'terminal', rule, check: check.id, bad }];
      }
      case 'monitor':
        return this.compileMonitor(check.monitor);
      default:
        return unreachable(check);
    }
  }

  // -------------------------------------------------------------------------
  // Step checks.

  /**
   * Static match of a step against a pattern, returning the dynamic
   * residue (the effective-GFP test when memalloc scopes make it depend on
   * thread flags), or undefined when the step cannot match.
   */
  private stepMatch(s: StepInfo, p: StepPattern): BoolExpr | undefined {
    if (!s.op) return undefined;
    const { gfp: gp, ...rest } = p;
    if (!opMatchesStep(s.op, s.outcome, rest, this.model, this.graph)) return undefined;
    if (!gp) return TRUE;
    if (s.op.kind !== 'alloc') return undefined;
    const parts: BoolExpr[] = [];
    const declared = s.op.gfp;
    if (gp.noLockdep !== undefined && declared.noLockdep !== gp.noLockdep) return undefined;
    // The effective mask applies the thread's memalloc scopes, but not the
    // PF_MEMALLOC of a reclaim context a callback happens to run in: the
    // same callback also runs outside reclaim (munmap, fork, a shrinker
    // called by the driver), where its allocation does reclaim.
    const t = s.thread;
    const norec = this.ctx.flag(t, MEMALLOC_NORECLAIM);
    const direct = declared.directReclaim ? not(norec) : FALSE;
    const fs = declared.directReclaim && declared.fs ? and(not(norec), not(this.ctx.flag(t, MEMALLOC_NOFS)), not(this.ctx.flag(t, MEMALLOC_NOIO))) : FALSE;
    if (gp.directReclaim !== undefined) parts.push(gp.directReclaim ? direct : not(direct));
    if (gp.fs !== undefined) parts.push(gp.fs ? fs : not(fs));
    const r = dedupeAnd(parts);
    return r.k === 'false' ? undefined : r;
  }

  private compileStep(on: StepPattern, when: Pred): Property[] {
    const rule = this.rule.meta.id;
    const groups = new Map<string, { when: BoolExpr; transitions: number[] }>();
    for (const s of this.ctx.steps) {
      const residue = this.stepMatch(s, on);
      if (!residue) continue;
      const env: Env = { self: s.thread, step: s, loc: this.ctx.fromLocation(s.id), bind: {} };
      const w = dedupeAnd([residue, this.scope(when, env)]);
      if (w.k === 'false') continue;
      // One property per source site as well: each property yields one
      // schedule, so three allocation sites on one signalling path are
      // three findings, not one (a fix that touches all three is checked
      // site by site).
      const k = `${key(w)}@${siteKey(env.loc)}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { when: w, transitions: [] }));
      g.transitions.push(s.id);
    }
    if (groups.size === 0) return [{ kind: 'step', rule, check: this.check, transitions: [], when: FALSE }];
    const out: Property[] = [];
    for (const g of groups.values()) {
      for (const t of g.transitions) this.ctx.markVisible(t);
      this.markReaders(g.when);
      out.push({ kind: 'step', rule, check: this.check, transitions: g.transitions, when: g.when });
    }
    return out;
  }

  /** State predicates: `self` ranges over every engine thread. */
  private statePred(p: Pred): BoolExpr {
    const seen = new Set<string>();
    const parts: BoolExpr[] = [];
    for (const t of this.ctx.threads) {
      const e = this.scope(p, { self: t.id, bind: {} });
      const k = key(e);
      if (seen.has(k)) continue;
      seen.add(k);
      parts.push(e);
    }
    return or(...parts);
  }

  /** Transitions that write a variable `e` reads become visible. */
  private markReaders(e: BoolExpr): void {
    const vars = boolVars(e, new Set<VarId>());
    if (vars.size === 0) return;
    for (const t of this.ctx.transitions) {
      if (t.visible) continue;
      if (t.updates.some((u) => vars.has(u.v))) this.ctx.markVisible(t.id);
    }
  }

  /**
   * Every thread that ran has returned: none is blocked or still running
   * (optional ones that never started count as returned). Kept local to
   * `threads: 'returned'` terminal checks.
   */
  private allReturned(): BoolExpr {
    return and(...this.ctx.systemThreads.map((th) => or(this.ctx.done(th.id), th.notStarted)));
  }

  // -------------------------------------------------------------------------
  // Deadlock restricted to wait kinds.

  private waitKind(op: Op): 'lock' | 'ww' | 'fence' | 'work' | undefined {
    switch (op.kind) {
      case 'lock':
        return op.trylock ? undefined : op.ctx !== undefined ? 'ww' : 'lock';
      case 'fence_wait':
        return 'fence';
      case 'flush_work':
        return 'work';
      default:
        return undefined;
    }
  }

  private deadlockOn(on: Set<string>): BoolExpr {
    const parts: BoolExpr[] = [];
    // Like eval.ts: a thread counts once it is mandatory or has started.
    for (const th of this.ctx.systemThreads) {
      const at = this.locPred(th.id, undefined, (loc) => {
        const kinds = loc.out.map((t) => this.ctx.steps[t]).flatMap((s) => (s?.op ? [this.waitKind(s.op)] : []));
        return kinds.some((k) => k !== undefined && on.has(k)) ? TRUE : FALSE;
      });
      parts.push(and(not(this.ctx.done(th.id)), not(th.notStarted), at));
    }
    return or(...parts);
  }

  // -------------------------------------------------------------------------
  // Monitors.

  private compileMonitor(m: Monitor): Property[] {
    const rule = this.rule.meta.id;
    const idx = new Map<string, number>();
    m.states.forEach((s, i) => idx.set(s, i));
    const state = (s: string): number => {
      const i = idx.get(s);
      if (i === undefined) this.fail(`monitor names state '${s}', which it does not declare`, 'LMC326');
      return i;
    };
    if (m.states.length === 0) this.fail('monitor declares no states', 'LMC326');
    if (m.bad.length === 0) this.fail('monitor declares no bad state', 'LMC326');
    const initial = state(m.initial);
    const badIdx = m.bad.map(state);
    const trans = m.transitions.map((t) => ({ from: (Array.isArray(t.from) ? t.from : [t.from]).map(state), on: t.on, when: t.when, to: state(t.to) }));

    const objects = this.monitorObjects(m.per);
    const vars = new Map<number, VarId>();
    for (const o of objects) {
      const name = `mon.${rule}.${this.check}${o.name ? '.' + o.name : ''}`;
      vars.set(o.id, this.ctx.addVar(name, m.states.length - 1, initial, { kind: 'monitor', rule, check: this.check, instance: o.instance }));
    }

    for (const s of this.ctx.steps) {
      if (!s.op) continue;
      const ops = opOperands(s.op, this.model);
      const obj =
        m.per === 'attachment' ? ops.attachment
        : m.per === 'buffer' ? ops.buffer
        : m.per === 'rxq' ? ops.rxq
        : m.per === 'fence' ? ops.fence
        : m.per === 'thread' ? s.thread
        : 0;
      if (obj === undefined) continue;
      const v = vars.get(obj);
      if (v === undefined) continue;
      const applicable: { cond: BoolExpr; to: number }[] = [];
      for (const t of trans) {
        const residue = this.stepMatch(s, t.on);
        if (!residue) continue;
        const env: Env = { self: s.thread, step: s, loc: this.ctx.fromLocation(s.id), bind: {} };
        const w = t.when ? this.scope(t.when, env) : TRUE;
        const cond = and(or(...t.from.map((f) => eq(vr(v), cnst(f)))), residue, w);
        if (cond.k === 'false') continue;
        applicable.push({ cond, to: t.to });
      }
      if (applicable.length === 0) continue;
      let e: IntExpr = vr(v);
      for (let i = applicable.length - 1; i >= 0; i--) e = ite(applicable[i].cond, cnst(applicable[i].to), e);
      this.ctx.addUpdate(s.id, v, e);
      this.ctx.markVisible(s.id);
    }

    const bad = or(...[...vars.values()].flatMap((v) => badIdx.map((b) => eq(vr(v), cnst(b)))));
    this.markReaders(bad);
    return [{ kind: 'state', rule, check: this.check, bad }];
  }

  private monitorObjects(per: Monitor['per']): { id: number; name: string; instance?: number }[] {
    const inst = (kind: string) =>
      this.model.instances.filter((i) => i.kind === kind).map((i) => ({ id: i.id, name: i.name, instance: i.id }));
    switch (per) {
      case 'attachment':
        return inst('attachment');
      case 'buffer':
        return inst('dma_buf');
      case 'rxq':
        return inst('rx_queue');
      case 'fence':
        return inst('dma_fence');
      case 'thread':
        return this.ctx.threads.map((t) => ({ id: t.id, name: t.name }));
      case 'global':
        return [{ id: 0, name: '' }];
      default:
        return unreachable(per);
    }
  }

  // -------------------------------------------------------------------------
  // Locations and static contexts.

  /**
   * A predicate over thread `t`'s program location: evaluated statically
   * when the location is known (step checks), else as a disjunction over
   * the pcs where it holds.
   */
  private locPred(t: number, loc: LocationInfo | undefined, f: (loc: LocationInfo) => BoolExpr): BoolExpr {
    if (loc) return f(loc);
    const locs = this.ctx.locations[t] ?? [];
    const parts: BoolExpr[] = [];
    for (const l of locs) {
      if (!l) continue;
      const e = f(l);
      if (e.k === 'false') continue;
      parts.push(and(this.ctx.pcIs(t, l.pc), e));
    }
    return or(...parts);
  }

  /** Static contexts of a location, with aliases spelled out. */
  private contextsOf(loc: LocationInfo): Set<Context> {
    const k = `${loc.thread}:${loc.pc}`;
    const hit = this.locContextCache.get(k);
    if (hit) return hit;
    const out = new Set<Context>(loc.contexts);
    const th = this.ctx.threads[loc.thread];
    if (th?.kind === 'irq') out.add('irq');
    if (th?.kind === 'softirq') out.add('softirq');
    if (th?.kind === 'work') out.add('work');
    if (th?.kind === 'kswapd' && loc.frames.length > 0) out.add('kswapd');
    const addRole = (proc: number | undefined) => {
      if (proc === undefined) return;
      switch (this.model.procs[proc]?.role) {
        case 'shrinker':
          out.add('shrinker');
          break;
        case 'mmu_notifier': {
          out.add('mmu-notifier');
          if (this.model.registrations.some((r) => r.role === 'mmu_notifier' && r.proc === proc && r.nonBlocking)) out.add('mmu-notifier-nonblocking');
          break;
        }
        case 'irq':
          out.add('irq');
          break;
        case 'fence_callback':
          out.add('fence-callback');
          break;
        case 'invalidate_mappings':
          out.add('invalidate-mappings');
          break;
        case 'fence_release':
          out.add('fence-release');
          out.add('final-put');
          break;
        case 'release':
          out.add('final-put');
          break;
        case 'work':
          out.add('work');
          break;
        default:
          break;
      }
    };
    addRole(loc.proc);
    for (const f of loc.frames) {
      addRole(f.proc);
      switch (f.kind) {
        case 'direct-reclaim':
          out.add('direct-reclaim');
          break;
        case 'kswapd':
          out.add('kswapd');
          break;
        case 'irq':
          out.add('irq');
          break;
        case 'fence-callback':
          out.add('fence-callback');
          break;
        case 'invalidate':
          out.add('invalidate-mappings');
          break;
        case 'release':
          out.add('fence-release');
          out.add('final-put');
          break;
        case 'destructor':
          out.add('final-put');
          break;
        case 'fault':
          break; // mmap_lock is held for read: a lock, not a context
        case 'mm-event':
          break; // the proc's role (mmu_notifier) names the context
        case 'work':
          out.add('work');
          break;
        case 'softirq':
          out.add('softirq');
          break;
        case 'rpm':
          break; // a runtime PM callback runs in its caller's context
        default:
          return unreachable(f.kind);
      }
    }
    if (out.has('direct-reclaim') || out.has('kswapd')) out.add('reclaim');
    if (out.has('mmu-notifier-nonblocking')) out.add('mmu-notifier');
    this.locContextCache.set(k, out);
    return out;
  }

  private hasContext(loc: LocationInfo, c: Context): boolean {
    return this.contextsOf(loc).has(c);
  }

  /** fs_reclaim held at a location of thread t (kswapd, or direct reclaim entered with __GFP_FS). */
  private fsReclaimAt(t: number, loc: LocationInfo): BoolExpr {
    if (loc.frames.some((f) => f.kind === 'kswapd')) return TRUE;
    if (this.ctx.threads[t]?.kind === 'kswapd' && loc.frames.length > 0) return TRUE;
    const parts: BoolExpr[] = [];
    for (const f of loc.frames) {
      if (f.kind !== 'direct-reclaim') continue;
      parts.push(this.fsOfFrame(t, f));
    }
    return or(...parts);
  }

  private fsOfFrame(t: number, f: Frame): BoolExpr {
    if (!this.fsFrameCache) {
      this.fsFrameCache = new Map();
      for (const s of this.ctx.steps) {
        if (s.enters?.kind !== 'direct-reclaim') continue;
        const to = this.ctx.locations[s.thread]?.[s.to];
        const last = to?.frames[to.frames.length - 1];
        if (!last) continue;
        const fs = s.enters.fs !== undefined ? (s.enters.fs ? TRUE : FALSE) : s.gfp ? and(s.gfp.directReclaim, s.gfp.fs) : FALSE;
        const k = `${s.thread}|${key(last)}`;
        const prev = this.fsFrameCache.get(k);
        this.fsFrameCache.set(k, prev ? or(prev, fs) : fs);
      }
    }
    const hit = this.fsFrameCache.get(`${t}|${key(f)}`);
    if (hit) return hit;
    // No enter step recorded: fall back to the allocation's written mask.
    const at = f.enteredAt ? this.model.procs[f.enteredAt.proc]?.nodes[f.enteredAt.node] : undefined;
    if (at?.kind === 'op' && at.op.kind === 'alloc') return at.op.gfp.directReclaim && at.op.gfp.fs ? TRUE : FALSE;
    return FALSE;
  }

  private notifierAt(loc: LocationInfo): boolean {
    return this.hasContext(loc, 'mmu-notifier');
  }

  // -------------------------------------------------------------------------
  // Predicates.

  private instancesOf(kind: string): InstanceId[] {
    return this.model.instances.filter((i) => i.kind === kind).map((i) => i.id);
  }

  /** Bind the `any` objects of a conjunction, then compile it once per binding. */
  private scope(p: Pred, env: Env): BoolExpr {
    const cats = anySubjectCategories(p);
    for (const c of Object.keys(env.bind) as Category[]) cats.delete(c);
    if (cats.size === 0) return this.pred(p, env);
    let bindings: Bindings[] = [{ ...env.bind }];
    const expand = (f: (b: Bindings) => Bindings[]) => {
      bindings = bindings.flatMap(f);
    };
    if (cats.has('att')) {
      const stepBuf = env.step?.op ? opOperands(env.step.op, this.model) : {};
      const onBuffer = stepBuf.buffer !== undefined && stepBuf.attachment === undefined ? stepBuf.buffer : undefined;
      expand((b) => {
        const limit = b.buf ?? onBuffer;
        return this.instancesOf('attachment')
          .filter((a) => limit === undefined || this.model.instances[a].buf === limit)
          .map((a) => {
            const nb: Bindings = { ...b, att: a };
            if (cats.has('buf') && nb.buf === undefined) {
              const buf = this.model.instances[a].buf;
              if (buf !== undefined) nb.buf = buf;
            }
            return nb;
          })
          .filter((nb) => !cats.has('buf') || nb.buf !== undefined);
      });
    } else if (cats.has('buf')) {
      expand((b) => this.instancesOf('dma_buf').map((x) => ({ ...b, buf: x })));
    }
    if (cats.has('rxq')) expand((b) => this.instancesOf('rx_queue').map((x) => ({ ...b, rxq: x })));
    if (cats.has('fence')) expand((b) => this.instancesOf('dma_fence').map((x) => ({ ...b, fence: x })));
    return or(...bindings.map((b) => this.pred(p, { ...env, bind: b })));
  }

  /** Objects an atom talks about; `all` → conjunction, otherwise one. */
  private subjects(cat: Category, subject: 'operand' | 'any' | 'all', env: Env): { ids: InstanceId[]; all: boolean } {
    if (subject === 'operand') {
      if (!env.step?.op) this.fail(`subject 'operand' needs a step (use it in step checks and monitor transitions)`);
      const ops = opOperands(env.step.op, this.model);
      const id =
        cat === 'att' ? ops.attachment
        : cat === 'buf' ? ops.buffer
        : cat === 'rxq' ? ops.rxq
        : ops.fence;
      if (id === undefined) {
        if (cat === 'fence' && env.step.op.kind === 'fence_wait' && env.step.op.resv !== undefined) {
          return { ids: this.ctx.publishedFences(this.ctx.lockInstance(env.step.op.resv)), all: false };
        }
        this.fail(`subject 'operand': ${env.step.op.api} (${env.step.op.kind}) has no ${catName(cat)} operand`);
      }
      return { ids: [id], all: false };
    }
    if (subject === 'any') {
      const b = env.bind[cat];
      if (b === undefined) this.fail(`internal: unbound 'any' ${catName(cat)}`);
      return { ids: [b], all: false };
    }
    const kind = cat === 'att' ? 'attachment' : cat === 'buf' ? 'dma_buf' : cat === 'rxq' ? 'rx_queue' : 'dma_fence';
    return { ids: this.instancesOf(kind), all: true };
  }

  private quant(cat: Category, subject: 'operand' | 'any' | 'all', env: Env, f: (id: InstanceId) => BoolExpr): BoolExpr {
    const { ids, all } = this.subjects(cat, subject, env);
    const parts = ids.map(f);
    return all ? and(...parts) : or(...parts);
  }

  private pred(p: Pred, env: Env): BoolExpr {
    switch (p.kind) {
      case 'true':
        return TRUE;
      case 'and':
        return and(...p.of.map((q) => (q.kind === 'and' ? this.pred(q, env) : q.kind === 'or' || q.kind === 'not' ? this.scope(q, env) : this.pred(q, env))));
      case 'or':
        return or(...p.of.map((q) => this.scope(q, env)));
      case 'not':
        return not(this.scope(p.of, env));
      case 'holds':
        return this.holds(p.lock, p.mode ?? 'any', p.who ?? 'self', env);
      case 'in-context':
        return this.inContext(p.context, env);
      case 'fence':
        return this.quant('fence', p.subject, env, (f) => this.fenceState(f, p.state));
      case 'attachment': {
        const states = (Array.isArray(p.state) ? p.state : [p.state]).map(attCode);
        return this.quant('att', p.subject, env, (a) => this.ctx.attIn(a, states));
      }
      case 'attachment-pinned':
        return this.quant('att', p.subject, env, (a) => (p.is ? this.ctx.attPinned(a) : not(this.ctx.attPinned(a))));
      case 'attachment-class': {
        const classes = Array.isArray(p.is) ? p.is : [p.is];
        return this.quant('att', p.subject, env, (a) => or(...classes.map((c) => this.attClass(a, c))));
      }
      case 'attachment-p2p':
        return this.quant('att', p.subject, env, (a) => ((this.model.instances[a].importer?.peer2peer ?? false) === p.is ? TRUE : FALSE));
      case 'buffer':
        return this.quant('buf', p.subject, env, (b) => (p.state === 'revoked' ? this.ctx.bufRevoked(b) : not(this.ctx.bufRevoked(b))));
      case 'exporter':
        return this.quant('buf', p.subject, env, (b) => ((this.model.instances[b].exporter?.[p.cap] ?? false) === p.is ? TRUE : FALSE));
      case 'buffer-resv-held': {
        const step = env.step?.op;
        if (!step) this.fail(`'buffer-resv-held' needs a step operating on an attachment or a dma_buf`);
        const buf = opOperands(step, this.model).buffer;
        if (buf === undefined) this.fail(`'buffer-resv-held': ${step.api} (${step.kind}) operates on no dma_buf`);
        const resv = this.model.instances[buf].resv ?? buf;
        return (p.who ?? 'self') === 'self' ? this.ctx.heldBy(resv, env.self) : this.ctx.heldByAnyone(resv);
      }
      case 'rxq':
        return this.quant('rxq', p.subject, env, (q) => this.rxqOwner(q, p.owner, env));
      case 'ww-ctx':
        return this.wwCtx(p.state, env);
      case 'signalling-path':
        return this.signallingPath(env);
      case 'option':
        return this.option(p.key, Array.isArray(p.is) ? p.is : [p.is]) ? TRUE : FALSE;
      case 'kernel': {
        if (p.since !== undefined && compareKernel(this.kernel, p.since) < 0) return FALSE;
        if (p.before !== undefined && compareKernel(this.kernel, p.before) >= 0) return FALSE;
        return TRUE;
      }
      case 'driver-under': {
        const d = this.model.header.driverPath;
        if (d === undefined) return FALSE;
        const norm = (s: string) => s.replace(/\/+$/, '');
        const pre = norm(p.prefix);
        return d === pre || d.startsWith(pre + '/') || norm(d) === pre ? TRUE : FALSE;
      }
      case 'importer':
        return this.quant('att', p.subject, env, (a) => ((this.model.instances[a].importer?.caps?.[p.cap] ?? false) === p.is ? TRUE : FALSE));
      case 'userptr-pages': {
        const states = Array.isArray(p.state) ? p.state : [p.state];
        const is = (obj: InstanceId) => or(...states.map((st) => this.ctx.pagesIs(obj, st === 'present' ? PAGES_PRESENT : st === 'pinned' ? PAGES_PINNED : PAGES_RELEASED)));
        if (p.subject === undefined || p.subject === 'operand') return is(this.gemOperand(p.kind, env));
        // Some / every userptr object: the ones with pages the mm tracks.
        const objs = this.model.instances.filter((i) => i.kind === 'gem_object' && i.userptr).map((i) => is(i.id));
        return p.subject === 'any' ? or(...objs) : and(...objs);
      }
      case 'gem-userptr':
        return (this.model.instances[this.gemOperand(p.kind, env)].userptr ?? false) === p.is ? TRUE : FALSE;
      case 'buffer-bound':
        return this.quant('buf', p.subject, env, (b) => this.bufferBound(b, p.provider, env));
      case 'buffer-owner': {
        const code = p.owner === 'none' ? OWNER_NONE : p.owner === 'devmem' ? OWNER_DEVMEM : OWNER_ZCRX;
        return this.quant('buf', p.subject, env, (b) => this.ctx.bufOwnerIs(b, code));
      }
      case 'phyr':
        return this.phyrPred(p, env);
      case 'thread':
        return this.threadState(p.state, env.self);
      default:
        return unreachable(p);
    }
  }

  /**
   * Thread `t` has returned (`done`, as terminal states and deadlock
   * detection judge it: SystemThread.done), or is `blocked`: started, not
   * returned, and no transition of it enabled. Both are read from the
   * finished transition system (guards are final when properties compile),
   * so both engines evaluate the same expression.
   */
  private threadState(state: 'done' | 'blocked', t: number): BoolExpr {
    const done = this.ctx.done(t);
    if (state === 'done') return done;
    const enabled = or(...this.ctx.transitions.filter((x) => x.thread === t).map((x) => x.guard));
    return and(not(done), not(this.ctx.notStarted(t)), not(enabled));
  }

  /** Some rx queue is bound to `b` (by `provider`; `other-provider`: not by the step's provider). */
  private bufferBound(b: InstanceId, provider: 'devmem' | 'zcrx' | 'other-provider' | undefined, env: Env): BoolExpr {
    const queues = this.instancesOf('rx_queue');
    return or(...queues.map((q) => {
      const bound = this.ctx.rxqBoundTo(q, b);
      if (provider === undefined) return bound;
      if (provider !== 'other-provider') return and(bound, this.ctx.rxqOwnerIs(q, provider === 'devmem' ? RXQ_DEVMEM : RXQ_ZCRX));
      const op = env.step?.op;
      if (!op || (op.kind !== 'mp_bind' && op.kind !== 'mp_unbind' && op.kind !== 'mp_recv' && op.kind !== 'mp_own')) {
        return this.fail(`buffer-bound provider 'other-provider' needs a step of a memory provider`);
      }
      return and(bound, not(this.ctx.rxqOwnerIs(q, op.provider === 'devmem' ? RXQ_DEVMEM : RXQ_ZCRX)));
    }));
  }

  /** The step's phyr: every field the predicate names must hold. */
  private phyrPred(p: Extract<Pred, { kind: 'phyr' }>, env: Env): BoolExpr {
    const op = env.step?.op;
    const id = op ? opOperands(op, this.model).phyr : undefined;
    if (id === undefined) return this.fail(`'phyr' needs a step on a phyr (phyr_map, phyr_unmap, phyr_to_sgt, phyr_entry_to_page, device access)`);
    const i = this.model.instances[id];
    const parts: BoolExpr[] = [];
    if (p.dmaMapped !== undefined) parts.push((i.dmaMapped ?? false) === p.dmaMapped ? TRUE : FALSE);
    if (p.from !== undefined) parts.push(i.phyrFrom === p.from ? TRUE : FALSE);
    if (p.mapped !== undefined) parts.push(p.mapped ? this.ctx.phyrIs(id, PHYR_MAPPED) : this.ctx.phyrIs(id, PHYR_UNMAPPED));
    return and(...parts);
  }

  /** The GEM object the step operates on (userptr pages, DMA, prime export). */
  private gemOperand(what: string, env: Env): InstanceId {
    const op = env.step?.op;
    const obj = op ? opOperands(op, this.model).gem : undefined;
    if (obj === undefined) return this.fail(`'${what}' needs a step on a GEM object (userptr_pages, gem_access, gem_prime_export)`);
    return obj;
  }

  private option(keyName: string, values: string[]): boolean {
    let decl = this.rule.meta.options?.find((o) => o.key === keyName);
    if (!decl) {
      for (const r of this.rules) {
        decl = r.meta.options?.find((o) => o.key === keyName);
        if (decl) break;
      }
    }
    if (!decl) this.fail(`option '${keyName}' is not declared by any rule`);
    for (const v of values) {
      if (!decl.values.some((x) => x.value === v)) this.fail(`option '${keyName}' has no value '${v}'`);
    }
    const value = this.ruleOptions[keyName] ?? decl.default;
    return values.includes(value);
  }

  private fenceState(f: InstanceId, state: 'unpublished' | 'published' | 'signalled' | 'has-waiter'): BoolExpr {
    switch (state) {
      case 'unpublished':
        return this.ctx.fenceIs(f, FENCE_INIT);
      case 'published':
        return this.ctx.fenceIs(f, FENCE_PUBLISHED);
      case 'signalled':
        return this.ctx.fenceIs(f, FENCE_SIGNALLED);
      case 'has-waiter':
        return and(not(this.ctx.fenceIs(f, FENCE_SIGNALLED)), this.hasWaiter(f));
      default:
        return unreachable(state);
    }
  }

  /** Some thread sits at a wait on `f` (directly, or on a resv `f` was added to). */
  private hasWaiter(f: InstanceId): BoolExpr {
    const parts: BoolExpr[] = [];
    for (const th of this.ctx.threads) {
      parts.push(
        this.locPred(th.id, undefined, (loc) => {
          const conds: BoolExpr[] = [];
          for (const t of loc.out) {
            const op = this.ctx.steps[t]?.op;
            if (op?.kind !== 'fence_wait') continue;
            if (op.fence === f) conds.push(TRUE);
            else if (op.resv !== undefined) {
              const resv = this.ctx.lockInstance(op.resv);
              const i = this.ctx.publishedFences(resv).indexOf(f);
              const pv = this.ctx.publishedVar(resv);
              if (i >= 0 && pv !== undefined) conds.push(bit(vr(pv), i));
            }
          }
          return or(...conds);
        }),
      );
    }
    return or(...parts);
  }

  private attClass(a: InstanceId, c: string): BoolExpr {
    const imp = this.model.instances[a].importer;
    const dynamic = imp?.dynamic ?? false;
    const hasCb = imp?.invalidate !== undefined;
    const pinned = this.ctx.attPinned(a);
    switch (c) {
      case 'static':
        return dynamic ? FALSE : TRUE;
      case 'pinned-non-revocable':
        return dynamic && !hasCb ? TRUE : FALSE;
      case 'pinned-revocable':
        return dynamic && hasCb ? pinned : FALSE;
      case 'dynamic':
        return dynamic && hasCb ? not(pinned) : FALSE;
      default:
        return this.fail(`unknown attachment class '${c}'`);
    }
  }

  private rxqOwner(q: InstanceId, owner: 'none' | 'devmem' | 'zcrx' | 'other-provider', env: Env): BoolExpr {
    switch (owner) {
      case 'none':
        return this.ctx.rxqOwnerIs(q, RXQ_NONE);
      case 'devmem':
        return this.ctx.rxqOwnerIs(q, RXQ_DEVMEM);
      case 'zcrx':
        return this.ctx.rxqOwnerIs(q, RXQ_ZCRX);
      case 'other-provider': {
        const op = env.step?.op;
        if (!op || (op.kind !== 'mp_bind' && op.kind !== 'mp_unbind' && op.kind !== 'mp_recv')) {
          this.fail(`rxq owner 'other-provider' needs a step of a memory provider (mp_bind, mp_unbind, mp_recv)`);
        }
        const mine = op.provider === 'devmem' ? RXQ_DEVMEM : RXQ_ZCRX;
        return and(not(this.ctx.rxqOwnerIs(q, RXQ_NONE)), not(this.ctx.rxqOwnerIs(q, mine)));
      }
      default:
        return unreachable(owner);
    }
  }

  private wwCtx(state: 'live' | 'done' | 'holds-locks' | 'contending' | 'contending-other', env: Env): BoolExpr {
    const op = env.step?.op;
    const operand = op ? opOperands(op, this.model).ctx : undefined;
    const ctxs = operand !== undefined ? [operand] : this.instancesOf('ww_ctx');
    const t = env.self;
    return or(
      ...ctxs.map((c) => {
        switch (state) {
          case 'live':
            return this.ctx.ctxLive(c, t);
          case 'done': {
            const v = this.ctx.ctxDoneVar(c, t);
            return v === undefined ? FALSE : ne(vr(v), cnst(0));
          }
          case 'holds-locks':
            return this.ctxHoldsLocks(c, t);
          case 'contending':
          case 'contending-other': {
            const v = this.ctx.ctxContendingVar(c, t);
            if (v === undefined) return FALSE;
            const lock = op?.kind === 'lock' ? op.lock : undefined;
            if (state === 'contending' || lock === undefined) return and(ne(vr(v), cnst(0)), state === 'contending' ? TRUE : FALSE);
            return and(ne(vr(v), cnst(0)), ne(vr(v), cnst(lock + 1)));
          }
          default:
            return unreachable(state);
        }
      }),
    );
  }

  /**
   * `ctx` (as used by thread `t`) holds a ww_mutex. Only ww_mutexes of the
   * context's own ww class count: stamps are per class, so a crtc context
   * and a reservation context can carry the same value.
   */
  private ctxHoldsLocks(c: InstanceId, t: number): BoolExpr {
    const cv = this.ctx.ctxVar(c, t);
    if (cv === undefined) return FALSE;
    const cls = instanceWwClass(this.model, c) ?? 'reservation_ww_class';
    const parts: BoolExpr[] = [];
    for (const [inst, h] of [...this.ctx.wwHolder].sort((a, b) => a[0] - b[0])) {
      if ((instanceWwClass(this.model, inst) ?? 'reservation_ww_class') !== cls) continue;
      const o = this.ctx.ownerVar(inst);
      if (o === undefined) continue;
      parts.push(and(eq(vr(o), cnst(t + 1)), eq(vr(h), vr(cv)), ne(vr(cv), cnst(0))));
    }
    return or(...parts);
  }

  /** Fences a guaranteed signal reachable from `loc` (same engine thread) signals. */
  /** Fences the completion irq of a `hardware` instance surely signals (its handler's own signals). */
  private irqSignals(hw: InstanceId): InstanceId[] {
    const proc = this.model.instances[hw]?.proc;
    if (proc === undefined) return [];
    const out: InstanceId[] = [];
    for (const n of this.model.procs[proc]?.nodes ?? []) if (n.kind === 'op' && n.op.kind === 'fence_signal' && n.op.guaranteed) out.push(n.op.fence);
    return out;
  }

  private signalledFrom(loc: LocationInfo): InstanceId[] {
    const k = `${loc.thread}:${loc.pc}`;
    const hit = this.signalReach.get(k);
    if (hit) return hit;
    const locs = this.ctx.locations[loc.thread] ?? [];
    const seen = new Set<number>([loc.pc]);
    const stack = [loc.pc];
    const fences = new Set<InstanceId>();
    while (stack.length) {
      const pc = stack.pop()!;
      for (const t of locs[pc]?.out ?? []) {
        const s = this.ctx.steps[t];
        if (!s) continue;
        if (s.op?.kind === 'fence_signal' && s.op.guaranteed) fences.add(s.op.fence);
        // Kicking hardware signals what its completion irq signals; pushing
        // a job signals its fence (through run_job): the code before either
        // is on the fence's signalling path (sched_main.c drm_sched_job_arm:
        // nothing between arm and push may allocate).
        if (s.op?.kind === 'hw_submit') for (const f of this.irqSignals(s.op.hw)) fences.add(f);
        if (s.op?.kind === 'sched_push') fences.add(s.op.job);
        if (!seen.has(s.to)) {
          seen.add(s.to);
          stack.push(s.to);
        }
      }
    }
    const out = [...fences].sort((a, b) => a - b);
    this.signalReach.set(k, out);
    return out;
  }

  private signallingPath(env: Env): BoolExpr {
    return this.locPred(env.self, env.loc, (loc) =>
      or(...this.signalledFrom(loc).map((f) => this.ctx.fenceIs(f, FENCE_PUBLISHED))),
    );
  }

  private inContext(c: Context, env: Env): BoolExpr {
    const t = env.self;
    if (STATIC_CONTEXTS.has(c)) return this.locPred(t, env.loc, (loc) => (this.hasContext(loc, c) ? TRUE : FALSE));
    const stat = this.locPred(t, env.loc, (loc) => (this.hasContext(loc, c) ? TRUE : FALSE));
    switch (c) {
      case 'signalling':
        return or(
          this.ctx.inSignalling(t),
          stat,
          this.locPred(t, env.loc, (loc) => (this.hasContext(loc, 'fence-callback') ? TRUE : FALSE)),
        );
      case 'atomic': {
        const spin: BoolExpr[] = [];
        for (const [inst] of this.ctx.owner) {
          if (LOCKING_KINDS.has(this.model.instances[inst]?.kind ?? '')) spin.push(this.ctx.heldBy(inst, t));
        }
        for (const [inst] of this.ctx.readers) {
          if (LOCKING_KINDS.has(this.model.instances[inst]?.kind ?? '') && !this.ctx.owner.has(inst)) spin.push(this.ctx.heldReadBy(inst, t));
        }
        return or(
          this.ctx.irqsOff(t),
          ...spin,
          stat,
          this.locPred(t, env.loc, (loc) => (this.hasContext(loc, 'irq') || this.hasContext(loc, 'fence-callback') ? TRUE : FALSE)),
        );
      }
      case 'pagefault-disabled':
        return or(this.ctx.pagefaultsDisabled(t), stat);
      case 'memalloc-nofs':
        return or(this.ctx.flag(t, MEMALLOC_NOFS), stat);
      case 'memalloc-noio':
        return or(this.ctx.flag(t, MEMALLOC_NOIO), stat);
      case 'memalloc-noreclaim':
        return or(this.ctx.flag(t, MEMALLOC_NORECLAIM), stat);
      default:
        return this.fail(`unknown context '${c}'`);
    }
  }

  // -------------------------------------------------------------------------
  // holds

  private ctxOwnerThreads(c: InstanceId): { thread: number; v: VarId }[] {
    return this.ctx.ctxVarsOf(c);
  }

  private holds(lock: LockPattern, mode: 'write' | 'read' | 'any', who: 'self' | 'other' | 'any', env: Env): BoolExpr {
    // The lock a step operates on: lock/unlock's lock, or the resv a fence is published into / waited on.
    const operandLock = env.step?.op ? opOperands(env.step.op, this.model).lock : undefined;
    const operand = operandLock !== undefined ? this.ctx.lockInstance(operandLock) : undefined;
    if (lock.kind === 'operand' && operand === undefined) {
      this.fail(`lock pattern 'operand' needs a step that locks or unlocks`);
    }
    const parts: BoolExpr[] = [];
    const lockInstances = new Set<InstanceId>([...this.ctx.owner.keys(), ...this.ctx.readers.keys()]);
    for (const i of [...lockInstances].sort((a, b) => a - b)) {
      const h: Holdable = { kind: 'instance', id: i };
      if (!holdableMatches(h, lock, this.model, this.graph, operand)) continue;
      parts.push(this.instanceHeld(i, mode, who, env.self));
    }
    for (const c of this.instancesOf('ww_ctx')) {
      if (mode === 'read') continue;
      if (!holdableMatches({ kind: 'ctx', id: c }, lock, this.model, this.graph, operand)) continue;
      for (const { thread, v } of this.ctxOwnerThreads(c)) {
        if (who === 'self' && thread !== env.self) continue;
        if (who === 'other' && thread === env.self) continue;
        parts.push(ne(vr(v), cnst(0)));
      }
    }
    for (const name of PSEUDO_LOCKS) {
      if (!holdableMatches({ kind: 'pseudo', name }, lock, this.model, this.graph, operand)) continue;
      const threads = who === 'self' ? [env.self] : this.ctx.threads.map((t) => t.id).filter((u) => who === 'any' || u !== env.self);
      for (const u of threads) parts.push(this.pseudoHeld(name, mode, u, u === env.self ? env.loc : undefined));
    }
    return or(...parts);
  }

  private instanceHeld(i: InstanceId, mode: 'write' | 'read' | 'any', who: 'self' | 'other' | 'any', self: number): BoolExpr {
    const o = this.ctx.ownerVar(i);
    const r = this.ctx.readersVar(i);
    const w =
      o === undefined ? FALSE
      : who === 'self' ? eq(vr(o), cnst(self + 1))
      : who === 'other' ? and(ne(vr(o), cnst(0)), ne(vr(o), cnst(self + 1)))
      : ne(vr(o), cnst(0));
    const rd =
      r === undefined ? FALSE
      : who === 'self' ? bit(vr(r), self)
      : who === 'other' ? ne(bitand(vr(r), cnst(~(1 << self) >>> 0)), cnst(0))
      : ne(vr(r), cnst(0));
    return mode === 'write' ? w : mode === 'read' ? rd : or(w, rd);
  }

  private pseudoHeld(name: string, mode: 'write' | 'read' | 'any', u: number, loc: LocationInfo | undefined): BoolExpr {
    switch (name) {
      case 'fs_reclaim':
        return mode === 'read' ? FALSE : this.locPred(u, loc, (l) => this.fsReclaimAt(u, l));
      case 'mmu_notifier_invalidate_range_start':
        return mode === 'read' ? FALSE : this.locPred(u, loc, (l) => (this.notifierAt(l) ? TRUE : FALSE));
      case 'dma_fence_map':
        if (mode === 'write') return FALSE;
        return or(this.ctx.inSignalling(u), this.locPred(u, loc, (l) => (this.hasContext(l, 'fence-callback') ? TRUE : FALSE)));
      default:
        return FALSE;
    }
  }
}

/** Conjunction without repeated conjuncts (memalloc tests recur across residue and `when`). */
function dedupeAnd(parts: BoolExpr[]): BoolExpr {
  const flat = and(...parts);
  if (flat.k !== 'and') return flat;
  const seen = new Set<string>();
  return and(
    ...flat.args.filter((a) => {
      const k = key(a);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  );
}

function attCode(s: string): number {
  switch (s) {
    case 'detached':
      return ATT_DETACHED;
    case 'attached':
      return ATT_ATTACHED;
    case 'mapped':
      return ATT_MAPPED;
    case 'invalidated':
      return ATT_INVALIDATED;
    default:
      throw new Error(`unknown attachment state '${s}'`);
  }
}

function catName(c: Category): string {
  return c === 'att' ? 'attachment' : c === 'buf' ? 'dma_buf' : c === 'rxq' ? 'rx queue' : 'fence';
}

/** The IR node a step starts from: a step check's properties are split per node. */
function siteKey(loc: { proc?: number; node?: number; kind: string } | undefined): string {
  if (!loc) return '';
  return loc.node === undefined ? loc.kind : `${loc.proc}:${loc.node}`;
}
