/**
 * Z3 self-check of a rule set, before any model is checked:
 *
 * (a) the declared lock orders (primed kernel edges plus `order` pairs of
 *     rule files) admit a ranking of lock classes; if not, the unsat core,
 *     minimised, names the declarations that form the contradiction;
 * (b) no check's condition is vacuous: every `when`/`bad` predicate, with
 *     its atoms abstracted to Booleans under the obvious exclusions (a fence
 *     cannot be both signalled and unpublished, an option has exactly one of
 *     its declared values), is satisfiable, and every monitor can reach a
 *     bad state from its initial state.
 */
import { anySubjectCategories } from '../../rules/lib/subjects.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import { compareKernel, KERNEL_VERSIONS } from '../options.js';
import type { PrimedEdge } from '../../rules/canonical-order.js';
import type { Check, LockPattern, Monitor, Pred, Rule, StepPattern } from '../../rules/types.js';
import type { OpKind } from '../../model/ir.js';
import type { OrderDecl } from './types.js';
import { shutdownSolver, withSolver, type Z3Ctx } from '../engines/bmc/solver.js';

export type ConsistencyResult = { ok: true } | { ok: false; diagnostics: Diagnostic[] };

export interface ConsistencyOptions {
  /**
   * Keep the shared Z3 module alive afterwards (a caller about to run BMC);
   * by default its worker threads are released so the process can exit.
   */
  keepSolver?: boolean;
}

/**
 * Runs on the Z3 module the BMC engine shares (checker/engines/bmc/solver.ts):
 * one init per process, a failed module is replaced once, and a second
 * failure is reported as LMC312 instead of thrown.
 */
export async function checkRuleSetConsistency(
  rules: Rule[],
  primedEdges: PrimedEdge[],
  orders: OrderDecl[] = [],
  options: ConsistencyOptions = {},
): Promise<ConsistencyResult> {
  try {
    const out = await withSolver(async (ctx) => [...(await checkOrders(ctx, primedEdges, orders)), ...(await checkVacuity(ctx, rules))]);
    if (out.kind === 'failed') {
      const detail = out.limit.kind === 'solver-failure' ? out.limit.detail : out.limit.kind;
      return { ok: false, diagnostics: [inconclusive(`Z3 failed: ${detail}`)] };
    }
    const diagnostics = [...out.value, ...stepPatterns(rules), ...monitorReachability(rules)];
    return diagnostics.length === 0 ? { ok: true } : { ok: false, diagnostics };
  } finally {
    if (!options.keepSolver) await shutdownSolver();
  }
}

function inconclusive(message: string): Diagnostic {
  return { code: 'LMC312', severity: 'error', message: `rule-set self-check inconclusive: ${message}` };
}

// ---------------------------------------------------------------------------
// (a) lock orders

interface OrderItem {
  label: string;
  before: string;
  after: string;
  decl?: OrderDecl;
}

async function checkOrders(ctx: Z3Ctx, primed: PrimedEdge[], orders: OrderDecl[]): Promise<Diagnostic[]> {
  const items: OrderItem[] = [
    ...primed.map((e) => ({ label: `primed edge ${e.id} (${e.from} -> ${e.to}, ${e.citation})`, before: e.from, after: e.to })),
    ...orders.map((o) => ({
      label: `${o.source}: ${o.before} before ${o.after}${o.file !== undefined && o.line !== undefined ? ` (${o.file}:${o.line}:${o.col ?? 1})` : ''}`,
      before: o.before,
      after: o.after,
      decl: o,
    })),
  ];
  if (items.length === 0) return [];
  const rank = new Map<string, ReturnType<typeof ctx.Int.const>>();
  const r = (cls: string) => {
    let v = rank.get(cls);
    if (v === undefined) {
      v = ctx.Int.const(`rank:${cls}`);
      rank.set(cls, v);
    }
    return v;
  };
  const tracks = items.map((_, i) => ctx.Bool.const(`order_${i}`));
  const solver = new ctx.Solver();
  items.forEach((it, i) => solver.add(tracks[i].implies(r(it.before).lt(r(it.after)))));
  if ((await solver.check(...tracks)) !== 'unsat') return [];
  // The core Z3 returns need not be minimal; drop members while still unsat.
  let core: number[] = Array.from(solver.unsatCore().values(), (b) => Number(/order_(\d+)/.exec(b.toString())?.[1] ?? -1)).filter((i) => i >= 0);
  for (let k = 0; k < core.length; ) {
    const without = core.filter((_, j) => j !== k);
    if ((await solver.check(...without.map((i) => tracks[i]))) === 'unsat') core = without;
    else k++;
  }
  core.sort((a, b) => a - b);
  const first = core.map((i) => items[i]).find((it) => it.decl !== undefined)?.decl;
  const d: Diagnostic = {
    code: 'LMC310',
    severity: 'error',
    message: `contradictory lock order: ${core.map((i) => items[i].label).join('; ')}`,
    hint: 'remove or reverse one of these declarations',
  };
  if (first?.file !== undefined) {
    d.file = first.file;
    if (first.line !== undefined) d.line = first.line;
    if (first.col !== undefined) d.col = first.col;
  }
  return [d];
}

// ---------------------------------------------------------------------------
// (b) vacuity

type Ctx = Z3Ctx;
type BoolE = import('z3-solver').Bool<'bmc'>;

type Cat = 'att' | 'buf' | 'rxq' | 'fence';

/** Enumerated predicate families: each object has exactly one value. */
const ENUMS: Record<string, { cat: Cat; values: readonly string[] }> = {
  fence: { cat: 'fence', values: ['unpublished', 'published', 'signalled'] },
  attachment: { cat: 'att', values: ['detached', 'attached', 'mapped', 'invalidated'] },
  'attachment-class': { cat: 'att', values: ['static', 'pinned-non-revocable', 'pinned-revocable', 'dynamic'] },
  'attachment-pinned': { cat: 'att', values: ['true', 'false'] },
  'attachment-p2p': { cat: 'att', values: ['true', 'false'] },
  buffer: { cat: 'buf', values: ['active', 'revoked'] },
  rxq: { cat: 'rxq', values: ['none', 'devmem', 'zcrx', 'other-provider'] },
  'exporter:movable': { cat: 'buf', values: ['true', 'false'] },
  'exporter:revocable': { cat: 'buf', values: ['true', 'false'] },
  'exporter:unrevocable': { cat: 'buf', values: ['true', 'false'] },
  'exporter:pinnable': { cat: 'buf', values: ['true', 'false'] },
  'exporter:p2pOnly': { cat: 'buf', values: ['true', 'false'] },
  'importer:pinned': { cat: 'att', values: ['true', 'false'] },
  'importer:revokeFatal': { cat: 'att', values: ['true', 'false'] },
  'importer:unfaultable': { cat: 'att', values: ['true', 'false'] },
  'importer:gpuContext': { cat: 'att', values: ['true', 'false'] },
  'importer:rejectRevocable': { cat: 'att', values: ['true', 'false'] },
  'buffer-owner': { cat: 'buf', values: ['none', 'devmem', 'zcrx'] },
};

/** Context implications: being in the first means being in the second. */
const CONTEXT_IMPLIES: [string, string][] = [
  ['direct-reclaim', 'reclaim'],
  ['kswapd', 'reclaim'],
  ['shrinker', 'reclaim'],
  ['mmu-notifier-nonblocking', 'mmu-notifier'],
  ['irq', 'atomic'],
  ['fence-callback', 'atomic'],
];
const CONTEXT_EXCLUDE: [string, string][] = [['direct-reclaim', 'kswapd']];

type Bind = Partial<Record<Cat, string>>;

/**
 * Predicates to Booleans, following the object binding of the semantics
 * compiler (checker/semantics/properties.ts): `any` atoms that are
 * conjuncts of one `and` talk about the same object, `or` and `not` open a
 * scope for categories not already bound, `all` quantifies each atom on its
 * own (and is vacuously true with no objects), `operand` is the step's.
 */
class Abstraction {
  readonly atoms = new Map<string, BoolE>();
  private readonly objects: Record<Cat, Set<string>> = { att: new Set(), buf: new Set(), rxq: new Set(), fence: new Set() };
  private fresh = 0;
  private kernel?: import('z3-solver').Arith<'bmc'>;

  constructor(
    private readonly ctx: Ctx,
    /** Option key -> declared values, across the whole rule set. */
    private readonly options: Map<string, string[]>,
  ) {}

  private atom(key: string): BoolE {
    let a = this.atoms.get(key);
    if (a === undefined) {
      a = this.ctx.Bool.const(key);
      this.atoms.set(key, a);
    }
    return a;
  }

  private enumAtom(family: string, subject: 'operand' | 'any' | 'all', value: string, bind: Bind): BoolE {
    const cat = ENUMS[family].cat;
    let obj: string;
    if (subject === 'all') obj = 'all';
    else if (subject === 'operand') obj = 'operand';
    else obj = bind[cat] ?? `o${this.fresh++}`;
    if (obj !== 'all') this.objects[cat].add(obj);
    return this.atom(`${family}:${obj}:${value}`);
  }

  /** Axioms for every atom created so far. */
  theory(): BoolE {
    const c = this.ctx;
    const ax: BoolE[] = [];
    for (const [family, { cat, values }] of Object.entries(ENUMS)) {
      for (const obj of this.objects[cat]) {
        const a = values.map((v) => this.atom(`${family}:${obj}:${v}`));
        ax.push(c.Or(...a));
        for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) ax.push(c.Not(c.And(a[i], a[j])));
        for (const v of values) {
          const all = this.atoms.get(`${family}:all:${v}`);
          if (all) ax.push(c.Implies(all, this.atom(`${family}:${obj}:${v}`)));
        }
      }
    }
    // A static importer never has peer2peer; a pinned-revocable one is pinned, a dynamic one is not.
    const link = (f1: string, v1: string, f2: string, v2: string) => {
      for (const obj of this.objects.att) ax.push(c.Implies(this.atom(`${f1}:${obj}:${v1}`), this.atom(`${f2}:${obj}:${v2}`)));
    };
    link('attachment-class', 'static', 'attachment-p2p', 'false');
    link('attachment-class', 'pinned-revocable', 'attachment-pinned', 'true');
    link('attachment-class', 'dynamic', 'attachment-pinned', 'false');
    for (const [x, y] of CONTEXT_IMPLIES) {
      const ax1 = this.atoms.get(`ctx:${x}`);
      if (ax1) ax.push(c.Implies(ax1, this.atom(`ctx:${y}`)));
    }
    for (const [x, y] of CONTEXT_EXCLUDE) {
      const a1 = this.atoms.get(`ctx:${x}`);
      const a2 = this.atoms.get(`ctx:${y}`);
      if (a1 && a2) ax.push(c.Not(c.And(a1, a2)));
    }
    for (const [key, a] of [...this.atoms]) {
      // holds: self or other implies any; a given mode implies "any" mode.
      const h = /^holds:(.*):(write|read|any):(self|other|any)$/.exec(key);
      if (h) {
        if (h[3] !== 'any') ax.push(c.Implies(a, this.atom(`holds:${h[1]}:${h[2]}:any`)));
        if (h[2] !== 'any') ax.push(c.Implies(a, this.atom(`holds:${h[1]}:any:${h[3]}`)));
      }
      if (key === 'resv:self') ax.push(c.Implies(a, this.atom('resv:any')));
      const fw = /^fence-waiter:(.+)$/.exec(key);
      if (fw && fw[1] !== 'all') ax.push(c.Implies(a, c.Not(this.atom(`fence:${fw[1]}:signalled`))));
      if (key === 'ww:done' || key === 'ww:holds-locks' || key === 'ww:contending' || key === 'ww:contending-other') ax.push(c.Implies(a, this.atom('ww:live')));
    }
    // Exactly one value per declared option.
    for (const [key, values] of this.options) {
      const as = values.map((v) => this.atom(`opt:${key}=${v}`));
      ax.push(c.Or(...as));
      for (let i = 0; i < as.length; i++) for (let j = i + 1; j < as.length; j++) ax.push(c.Not(c.And(as[i], as[j])));
    }
    // driver paths: two prefixes that do not extend each other exclude each other.
    const drivers = [...this.atoms.keys()].filter((k) => k.startsWith('drv:')).map((k) => k.slice(4));
    for (const p of drivers) {
      for (const q of drivers) {
        if (p === q) continue;
        if (p.startsWith(q)) ax.push(c.Implies(this.atom(`drv:${p}`), this.atom(`drv:${q}`)));
        else if (!q.startsWith(p) && p < q) ax.push(c.Not(c.And(this.atom(`drv:${p}`), this.atom(`drv:${q}`))));
      }
    }
    if (this.kernel) ax.push(this.kernel.ge(0), this.kernel.lt(KERNEL_VERSIONS.length));
    return ax.length === 0 ? c.Bool.val(true) : c.And(...ax);
  }

  /** Encode a top-level condition. */
  encode(p: Pred): BoolE {
    return this.scope(p, {});
  }

  private scope(p: Pred, bind: Bind): BoolE {
    const nb: Bind = { ...bind };
    for (const cat of anySubjectCategories(p)) if (nb[cat] === undefined) nb[cat] = `o${this.fresh++}`;
    return this.pred(p, nb);
  }

  private pred(p: Pred, bind: Bind): BoolE {
    const c = this.ctx;
    switch (p.kind) {
      case 'true':
        return c.Bool.val(true);
      case 'holds':
        return this.atom(`holds:${lockKey(p.lock)}:${p.mode ?? 'any'}:${p.who ?? 'self'}`);
      case 'in-context':
        return this.atom(`ctx:${p.context}`);
      case 'fence':
        if (p.state === 'has-waiter') {
          const obj = p.subject === 'any' ? (bind.fence ?? `o${this.fresh++}`) : p.subject;
          if (obj !== 'all') this.objects.fence.add(obj);
          return this.atom(`fence-waiter:${obj}`);
        }
        return this.enumAtom('fence', p.subject, p.state, bind);
      case 'attachment': {
        const states = Array.isArray(p.state) ? p.state : [p.state];
        return c.Or(...states.map((s) => this.enumAtom('attachment', p.subject, s, bind)));
      }
      case 'attachment-class': {
        const cls = Array.isArray(p.is) ? p.is : [p.is];
        return c.Or(...cls.map((s) => this.enumAtom('attachment-class', p.subject, s, bind)));
      }
      case 'attachment-pinned':
        return this.enumAtom('attachment-pinned', p.subject, String(p.is), bind);
      case 'attachment-p2p':
        return this.enumAtom('attachment-p2p', p.subject, String(p.is), bind);
      case 'buffer':
        return this.enumAtom('buffer', p.subject, p.state, bind);
      case 'exporter':
        return this.enumAtom(`exporter:${p.cap}`, p.subject, String(p.is), bind);
      case 'buffer-resv-held':
        return this.atom(`resv:${p.who ?? 'self'}`);
      case 'rxq':
        return this.enumAtom('rxq', p.subject, p.owner, bind);
      case 'ww-ctx':
        return this.atom(`ww:${p.state}`);
      case 'signalling-path':
        return this.atom('signalling-path');
      case 'option': {
        const declared = this.options.get(p.key) ?? [];
        const wanted = (Array.isArray(p.is) ? p.is : [p.is]).filter((v) => declared.includes(v));
        return wanted.length === 0 ? c.Bool.val(false) : c.Or(...wanted.map((v) => this.atom(`opt:${p.key}=${v}`)));
      }
      case 'kernel': {
        if (!this.kernel) this.kernel = c.Int.const('kernel');
        const k = this.kernel;
        const ok = KERNEL_VERSIONS.map((v, i) => ({ v, i })).filter(
          ({ v }) => (p.since === undefined || compareKernel(v, p.since) >= 0) && (p.before === undefined || compareKernel(v, p.before) < 0),
        );
        return ok.length === 0 ? c.Bool.val(false) : c.Or(...ok.map(({ i }) => k.eq(i)));
      }
      case 'driver-under':
        return this.atom(`drv:${p.prefix.replace(/\/+$/, '')}/`);
      case 'and':
        return c.And(...p.of.map((q) => (q.kind === 'or' || q.kind === 'not' ? this.scope(q, bind) : this.pred(q, bind))));
      case 'or':
        return c.Or(...p.of.map((q) => this.scope(q, bind)));
      case 'not':
        return c.Not(this.scope(p.of, bind));
      case 'importer':
        return this.enumAtom(`importer:${p.cap}`, p.subject, String(p.is), bind);
      case 'userptr-pages': {
        const states = Array.isArray(p.state) ? p.state : [p.state];
        return c.Or(...states.map((s) => this.atom(`pages:${s}`)));
      }
      case 'gem-userptr':
        return this.atom(`gem-userptr:${p.is}`);
      case 'buffer-bound':
        return this.atom(`buffer-bound:${p.subject}:${p.provider ?? 'any'}`);
      case 'buffer-owner':
        return this.enumAtom('buffer-owner', p.subject, p.owner, bind);
      case 'phyr':
        return c.And(
          ...(p.dmaMapped === undefined ? [] : [this.atom(`phyr-dma-mapped:${p.dmaMapped}`)]),
          ...(p.mapped === undefined ? [] : [this.atom(`phyr-mapped:${p.mapped}`)]),
          ...(p.from === undefined ? [] : [this.atom(`phyr-from:${p.from}`)]),
        );
      case 'thread':
        return this.atom(`thread:${p.state}`);
    }
  }
}

/** A canonical key for a lock pattern, so equal patterns share atoms. */
function lockKey(l: LockPattern): string {
  return JSON.stringify(l, Object.keys(l).sort());
}

interface Condition {
  rule: string;
  check: string;
  where: string;
  pred: Pred;
}

function conditions(rule: Rule): Condition[] {
  const out: Condition[] = [];
  const id = rule.meta.id;
  const visit = (c: Check) => {
    switch (c.kind) {
      case 'step':
        if (c.when) out.push({ rule: id, check: c.id, where: 'when', pred: c.when });
        return;
      case 'state':
      case 'terminal':
        out.push({ rule: id, check: c.id, where: 'bad', pred: c.bad });
        return;
      case 'monitor':
        c.monitor.transitions.forEach((t, i) => {
          if (t.when) out.push({ rule: id, check: c.id, where: `transition ${i} when`, pred: t.when });
        });
        return;
      case 'deadlock':
      case 'lock-cycle':
      case 'lock-recursion':
      case 'lockdep-report':
        return;
    }
  };
  rule.checks.forEach(visit);
  return out;
}

async function checkVacuity(ctx: Z3Ctx, rules: Rule[]): Promise<Diagnostic[]> {
  const conds = rules.flatMap(conditions);
  if (conds.length === 0) return [];
  const options = new Map<string, string[]>();
  for (const r of rules) for (const o of r.meta.options ?? []) if (!options.has(o.key)) options.set(o.key, o.values.map((v) => v.value));
  const abs = new Abstraction(ctx, options);
  const encoded = conds.map((c) => abs.encode(c.pred));
  const solver = new ctx.Solver();
  solver.add(abs.theory());
  const out: Diagnostic[] = [];
  for (let i = 0; i < conds.length; i++) {
    const res = await solver.check(encoded[i]);
    if (res === 'unsat') {
      const c = conds[i];
      out.push({
        code: 'LMC311',
        severity: 'error',
        message: `rule '${c.rule}', check '${c.check}': its ${c.where} condition can never hold`,
        hint: 'look for contradictory states, an option value no rule declares, or a kernel range that contains no version',
      });
    } else if (res === 'unknown') {
      out.push(inconclusive(`Z3 returned unknown for rule '${conds[i].rule}', check '${conds[i].check}'`));
    }
  }
  return out;
}

/**
 * Which ops a StepPattern field can match, as the semantics matches them
 * (checker/semantics/patterns.ts `opMatchesStep`): a field on an op that
 * does not have it never matches.
 */
const FIELD_OPS: Partial<Record<keyof StepPattern, readonly OpKind[]>> = {
  lock: ['lock', 'unlock'],
  mode: ['lock'],
  trylock: ['lock'],
  ctx: ['lock'],
  slow: ['lock'],
  gfp: ['alloc'],
  timeout: ['fence_wait'],
  guaranteed: ['fence_signal'],
  unlocked: ['dma_buf_map', 'dma_buf_unmap'],
  write: ['device_access'],
  checked: ['mp_recv', 'mp_bind'],
  provider: ['mp_bind', 'mp_unbind', 'mp_recv', 'mp_own'],
  wwClass: ['ww_acquire_init', 'ww_acquire_done', 'ww_acquire_fini', 'lock', 'unlock'],
};
const OUTCOME_OPS: Record<string, readonly OpKind[]> = {
  fail: ['lock', 'alloc', 'dma_buf_map', 'dma_buf_attach', 'mp_bind', 'mp_own'],
  EDEADLK: ['lock'],
  EALREADY: ['lock'],
  retry: ['interval_read_retry'],
};

/** Why no op can match `p`, or undefined when some op can. */
export function stepPatternNeverMatches(p: StepPattern): string | undefined {
  const ops = Array.isArray(p.op) ? p.op : [p.op];
  const reasons: string[] = [];
  for (const [field, allowed] of Object.entries(FIELD_OPS) as [keyof StepPattern, readonly OpKind[]][]) {
    if (p[field] !== undefined && !ops.some((o) => allowed.includes(o))) reasons.push(`'${field}' applies only to ${allowed.join(', ')}`);
  }
  if (p.outcome !== undefined && p.outcome !== 'ok' && !ops.some((o) => OUTCOME_OPS[p.outcome!].includes(o))) {
    reasons.push(`outcome '${p.outcome}' happens only on ${OUTCOME_OPS[p.outcome].join(', ')}`);
  }
  if (reasons.length === 0) {
    // Each field may suit some op, but no single op may suit them all.
    const fits = (o: OpKind) =>
      (Object.entries(FIELD_OPS) as [keyof StepPattern, readonly OpKind[]][]).every(([f, allowed]) => p[f] === undefined || allowed.includes(o)) &&
      (p.outcome === undefined || p.outcome === 'ok' || OUTCOME_OPS[p.outcome].includes(o));
    if (!ops.some(fits)) reasons.push(`no op in [${ops.join(', ')}] has all of its fields`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function stepPatterns(rules: Rule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (rule: string, check: string, where: string, p: StepPattern) => {
    const why = stepPatternNeverMatches(p);
    if (why !== undefined) out.push({ code: 'LMC311', severity: 'error', message: `rule '${rule}', check '${check}': its ${where} can never match (${why})` });
  };
  for (const r of rules) {
    for (const c of r.checks) {
      if (c.kind === 'step') report(r.meta.id, c.id, 'step pattern', c.on);
      if (c.kind === 'lock-cycle' && c.closedBy) report(r.meta.id, c.id, 'closedBy pattern', c.closedBy);
      if (c.kind === 'monitor') c.monitor.transitions.forEach((t, i) => report(r.meta.id, c.id, `transition ${i} pattern`, t.on));
    }
  }
  return out;
}

/** A monitor whose bad states cannot be reached from its initial state is vacuous. */
function monitorReachability(rules: Rule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of rules) {
    for (const c of r.checks) {
      if (c.kind !== 'monitor') continue;
      if (!badReachable(c.monitor)) {
        out.push({
          code: 'LMC311',
          severity: 'error',
          message: `rule '${r.meta.id}', check '${c.id}': no bad state (${c.monitor.bad.join(', ')}) is reachable from '${c.monitor.initial}'`,
        });
      }
    }
  }
  return out;
}

function badReachable(m: Monitor): boolean {
  const seen = new Set([m.initial]);
  const todo = [m.initial];
  while (todo.length > 0) {
    const s = todo.pop()!;
    if (m.bad.includes(s)) return true;
    for (const t of m.transitions) {
      const from = Array.isArray(t.from) ? t.from : [t.from];
      if (from.includes(s) && !seen.has(t.to)) {
        seen.add(t.to);
        todo.push(t.to);
      }
    }
  }
  return false;
}
