/**
 * `lockmc export --format promela`: a model's transition system as a
 * Promela program SPIN checks with the verdicts lockmc's engines give, so
 * a user can cross-check a result with an independent tool and the bench
 * can race SPIN fairly.
 *
 * Faithful to checker/semantics (eval.ts defines what every engine
 * checks):
 * - each lockmc transition is one `d_step` (its guard, then its
 *   simultaneous updates): lockmc's steps are atomic, nothing else is;
 * - each thread is a proctype whose control locations are labels: its pc
 *   is SPIN's own process counter, not a global, and a variable only one
 *   thread touches is that proctype's local, so SPIN's partial-order
 *   reduction sees what is independent;
 * - a thread lockmc ignores in a state (done, or optional and not
 *   started: eval.ts) may stop there (a `stop` branch guarded by exactly
 *   that condition): for good where the condition is constant, else it
 *   parks and resumes once the condition fails (a work item queued, a
 *   job pushed, a completion irq kicked again), so SPIN's `timeout`
 *   (nothing can move) holds in exactly lockmc's terminal states; where the thread is surely done
 *   and cannot move (its end), the step into that location stops it
 *   itself, so a finished thread adds no SPIN state lockmc does not have;
 * - properties are assertions: a step property in the transitions it
 *   names, before their updates; a state property after every transition
 *   that writes what it reads (and once, in the watcher, for the initial
 *   state); terminal properties and deadlock in a watcher that runs on
 *   `timeout`, and returns to its end label (a check adds no state). Every label is an end label: SPIN's own invalid-end-state
 *   check is replaced by the watcher's deadlock assertion, which counts
 *   the threads still owed progress.
 *
 * Each assertion asserts a hidden constant named after its rule and check
 * (`ww_backoff__lock_after_edeadlk_holds`), so SPIN's "assertion violated"
 * line says which property failed.
 */

import type { BoolExpr, IntExpr, Property, StateVar, SystemThread, Transition, TransitionSystem, VarId } from '../semantics/system.js';
import { boolVars, exprVars, foldBool, foldInt, intVars, type ExprAlgebra } from '../semantics/expr.js';

export interface PromelaOptions {
  /** Only these properties (`rule/check`); default every property of the system. */
  only?: (p: Property) => boolean;
}

/** Why a system cannot be exported (a thread with several pc variables: not produced by compile.ts today). */
export class PromelaExportError extends Error {}

/** A folded value: a known constant or Promela text. */
type IVal = { c: number } | { s: string };
type BVal = boolean | string;

const ival = (v: IVal): string => ('c' in v ? String(v.c) : v.s);
const bval = (v: BVal): string => (v === true ? 'true' : v === false ? 'false' : v);

/** Prints expressions with some variables replaced by constants (a thread's own pc at a label), folding what becomes constant. */
function printer(names: readonly string[], known: ReadonlyMap<VarId, number>): ExprAlgebra<IVal, BVal> {
  const bin = (a: IVal, b: IVal, op: string, f: (x: number, y: number) => number): IVal =>
    'c' in a && 'c' in b ? { c: f(a.c, b.c) } : { s: `(${ival(a)} ${op} ${ival(b)})` };
  const cmp = (a: IVal, b: IVal, op: string, f: (x: number, y: number) => boolean): BVal => ('c' in a && 'c' in b ? f(a.c, b.c) : `(${ival(a)} ${op} ${ival(b)})`);
  return {
    const: (e) => ({ c: e.v }),
    var: (e) => (known.has(e.v) ? { c: known.get(e.v)! } : { s: names[e.v] }),
    add: (_e, a, b) => bin(a, b, '+', (x, y) => x + y),
    sub: (_e, a, b) => bin(a, b, '-', (x, y) => x - y),
    bitor: (_e, a, b) => bin(a, b, '|', (x, y) => x | y),
    bitand: (_e, a, b) => bin(a, b, '&', (x, y) => x & y),
    bitclear: (_e, a, b) => ('c' in a && 'c' in b ? { c: a.c & ~b.c } : { s: `(${ival(a)} & ~(${ival(b)}))` }),
    ite: (_e, c, t, f) => (c === true ? t : c === false ? f : { s: `(${bval(c)} -> ${ival(t)} : ${ival(f)})` }),
    true: () => true,
    false: () => false,
    eq: (_e, a, b) => cmp(a, b, '==', (x, y) => x === y),
    ne: (_e, a, b) => cmp(a, b, '!=', (x, y) => x !== y),
    lt: (_e, a, b) => cmp(a, b, '<', (x, y) => x < y),
    le: (_e, a, b) => cmp(a, b, '<=', (x, y) => x <= y),
    bit: (e, a) => ('c' in a ? ((a.c >> e.bit) & 1) === 1 : `(((${ival(a)}) >> ${e.bit}) & 1)`),
    and: (_e, args) => {
      if (args.some((a) => a === false)) return false;
      const rest = args.filter((a) => a !== true) as string[];
      return rest.length === 0 ? true : rest.length === 1 ? rest[0] : `(${rest.join(' && ')})`;
    },
    or: (_e, args) => {
      if (args.some((a) => a === true)) return true;
      const rest = args.filter((a) => a !== false) as string[];
      return rest.length === 0 ? false : rest.length === 1 ? rest[0] : `(${rest.join(' || ')})`;
    },
    not: (_e, a) => (typeof a === 'boolean' ? !a : `!${a}`),
  };
}

function typeFor(max: number): string {
  if (max <= 1) return 'bit';
  if (max <= 255) return 'byte';
  if (max <= 32767) return 'short';
  return 'int';
}

function ident(v: StateVar): string {
  return `v${v.id}_${v.name.replace(/[^A-Za-z0-9]/g, '_').slice(0, 32)}`;
}

function propertyName(p: Property): string {
  return `${p.rule}/${p.check}`;
}

/**
 * The hidden constant a property's assertion asserts: SPIN prints
 * "assertion violated <name>", so the name says which rule and check.
 */
function holdsFlag(p: Property): string {
  return `${p.rule}__${p.check}`.replace(/[^A-Za-z0-9_]/g, '_') + '_holds';
}

/** The assertion of a property whose violation condition is `bad` (Promela text). */
function assertion(p: Property, bad: string): string {
  return `if :: ${bad} -> assert(${holdsFlag(p)}) :: else fi /* ${propertyName(p)} */`;
}

/** Where each variable lives: the one thread that touches it (a local), or global. */
function placeVars(ts: TransitionSystem, props: readonly Property[]): (number | 'global')[] {
  const owner: (number | 'global' | undefined)[] = ts.vars.map(() => undefined);
  const touch = (v: VarId, th: number | 'global') => {
    const cur = owner[v];
    owner[v] = cur === undefined ? th : cur === th ? cur : 'global';
  };
  for (const t of ts.transitions) for (const v of [...t.reads, ...t.writes]) touch(v, t.thread);
  // What the watcher or another thread's stop condition reads must be global.
  for (const p of props) {
    if (p.kind === 'state' || p.kind === 'terminal') for (const v of boolVars(p.bad)) owner[v] = 'global';
    if (p.kind === 'step') {
      const threads = new Set(p.transitions.map((id) => ts.transitions[id].thread));
      for (const v of boolVars(p.when)) if (threads.size > 1 || owner[v] !== [...threads][0]) owner[v] = 'global';
    }
  }
  ts.threads.forEach((th) => {
    for (const v of exprVars([th.done, th.notStarted])) if (owner[v] !== th.id) owner[v] = 'global';
  });
  return owner.map((o) => (o === undefined ? 'global' : o));
}

/** The pc variable of each thread (compile.ts gives every thread exactly one). */
function pcVarOf(ts: TransitionSystem, th: SystemThread): VarId | undefined {
  const pcs = new Set(ts.transitions.filter((t) => t.thread === th.id).flatMap((t) => [t.from.pcVar, t.to.pcVar]));
  if (pcs.size > 1) throw new PromelaExportError(`thread ${th.name} has ${pcs.size} pc variables`);
  if (pcs.size === 1) return [...pcs][0];
  const byRole = ts.vars.find((v) => v.role.kind === 'pc' && v.role.thread === th.id);
  return byRole?.id;
}

interface Ctx {
  ts: TransitionSystem;
  names: string[];
  place: (number | 'global')[];
  props: readonly Property[];
  /** Step properties by transition id. */
  stepProps: Map<number, Property[]>;
  /** State properties with the variables they read. */
  stateProps: { p: Property & { kind: 'state' }; reads: Set<VarId> }[];
}

/** A d_step's body: the asserts of step properties (pre-state), the simultaneous updates, the asserts of state properties (post-state). */
function stepBody(ctx: Ctx, t: Transition, known: ReadonlyMap<VarId, number>): string[] {
  const alg = printer(ctx.names, known);
  const out: string[] = [];
  for (const p of ctx.stepProps.get(t.id) ?? []) {
    if (p.kind !== 'step') continue;
    const when = foldBool(p.when, alg);
    if (when === false) continue;
    out.push(assertion(p, bval(when)));
  }
  const updates = t.updates.filter((u) => u.v !== t.from.pcVar || ctx.place[u.v] === 'global');
  // Simultaneous assignment: through hidden temporaries when a later update reads an earlier target.
  const assigned = new Set<VarId>();
  let needTmp = false;
  for (const u of updates) {
    for (const v of intVars(u.e)) if (assigned.has(v)) needTmp = true;
    assigned.add(u.v);
  }
  if (needTmp) {
    updates.forEach((u, i) => out.push(`tmp${i} = ${ival(foldInt(u.e, alg))}`));
    updates.forEach((u, i) => out.push(`${ctx.names[u.v]} = tmp${i}`));
  } else {
    for (const u of updates) out.push(`${ctx.names[u.v]} = ${ival(foldInt(u.e, alg))}`);
  }
  const after = new Map(known);
  after.set(t.to.pcVar, t.to.pc);
  const post = printer(ctx.names, after);
  for (const { p, reads } of ctx.stateProps) {
    if (!t.writes.some((v) => reads.has(v))) continue;
    const bad = foldBool(p.bad, post);
    if (bad === false) continue;
    out.push(assertion(p, bval(bad)));
  }
  return out;
}

function threadProc(ctx: Ctx, th: SystemThread): string[] {
  const { ts, names, place } = ctx;
  const pcVar = pcVarOf(ts, th);
  const mine = ts.transitions.filter((t) => t.thread === th.id);
  const locals = ts.vars.filter((v) => place[v.id] === th.id && v.id !== pcVar);
  const pcs = new Set<number>(pcVar === undefined ? [0] : [ts.vars[pcVar].init]);
  for (const t of mine) pcs.add(t.from.pc).add(t.to.pc);
  const init = pcVar === undefined ? 0 : ts.vars[pcVar].init;
  const order = [init, ...[...pcs].filter((p) => p !== init).sort((a, b) => a - b)];
  const label = (pc: number) => `end_T${th.id}_${pc}`;
  const park = (pc: number) => `end_park_T${th.id}_${pc}`;
  const algAt = (pc: number) => printer(names, new Map<VarId, number>(pcVar === undefined ? [] : [[pcVar, pc]]));
  // Ignored here (eval.ts): the thread may never move again.
  const ignoredAt = (pc: number) => foldBool(th.liveness === 'optional' ? { k: 'or', args: [th.done, th.notStarted] } : th.done, algAt(pc));
  const movesAt = (pc: number) => mine.some((t) => t.from.pc === pc && foldBool(t.guard, algAt(pc)) !== false);
  // A location where the thread is surely done and cannot move (its end):
  // the step into it also stops the thread, so reaching the end is one
  // SPIN state, as it is one lockmc state.
  const final = new Set(order.filter((pc) => pc !== init && ignoredAt(pc) === true && !movesAt(pc)));
  const out: string[] = [`active proctype T${th.id}() { /* ${th.name}: ${th.kind}, ${th.liveness} */`];
  for (const v of locals) out.push(`  ${typeFor(v.max)} ${names[v.id]} = ${v.init};`);
  // The first label is the initial location: no jump (it would be a state of its own).
  for (const pc of order) {
    if (final.has(pc)) continue;
    const known = new Map<VarId, number>(pcVar === undefined ? [] : [[pcVar, pc]]);
    const alg = printer(names, known);
    const options: string[] = [];
    for (const t of mine.filter((x) => x.from.pc === pc)) {
      const guard = foldBool(t.guard, alg);
      if (guard === false) continue;
      const ends = final.has(t.to.pc);
      const body = [...stepBody(ctx, t, known), ...(ends ? ['owed = owed - 1'] : [])];
      const lines = body.length ? body : ['skip'];
      options.push(`  :: d_step { ${bval(guard)} -> /* t${t.id} */`, ...lines.map((l, i) => `       ${l}${i < lines.length - 1 ? ';' : ''}`), `     }; goto ${ends ? 'end_stop' : label(t.to.pc)}`);
    }
    const ignored = ignoredAt(pc);
    // Where being ignored can end (a queued work item, a pushed job: its
    // start condition reads other threads' variables), the thread parks
    // instead of stopping, and leaves the park when lockmc would count it
    // again: a state SPIN's `timeout` reaches then is one lockmc calls
    // terminal, and no thread lockmc still owes progress has gone.
    const parks = ignored !== false && ignored !== true;
    if (ignored !== false) options.push(`  :: d_step { ${bval(ignored)} -> owed = owed - 1 }; goto ${parks ? park(pc) : 'end_stop'}`);
    out.push(`${label(pc)}:`);
    if (options.length === 0) out.push('  false;');
    else out.push('  if', ...options, '  fi;');
    if (parks) out.push(`${park(pc)}:`, '  if', `  :: d_step { !(${bval(ignored)}) -> owed = owed + 1 }; goto ${label(pc)}`, '  fi;');
  }
  // Stopped for good: blocked, in a valid end state, without the extra
  // state a terminating process would add.
  out.push('end_stop:', '  false', '}');
  return out;
}

/** The Promela text of `ts` (see the header for the translation). */
export function toPromela(ts: TransitionSystem, options: PromelaOptions = {}): string {
  const props = ts.properties.filter((p) => options.only?.(p) ?? true);
  const names = ts.vars.map(ident);
  const place = placeVars(ts, props);
  const stepProps = new Map<number, Property[]>();
  for (const p of props) if (p.kind === 'step') for (const id of p.transitions) stepProps.set(id, [...(stepProps.get(id) ?? []), p]);
  const stateProps = props.flatMap((p) => (p.kind === 'state' ? [{ p, reads: boolVars(p.bad) }] : []));
  const ctx: Ctx = { ts, names, place, props, stepProps, stateProps };

  const out: string[] = [];
  out.push(`/* lockmc export: transition system ${ts.hash.slice(0, 12)}, ${ts.vars.length} variables, ${ts.threads.length} threads, ${ts.transitions.length} transitions, ${props.length} properties. */`);
  out.push('/* Check with: spin -a model.pml && gcc -O2 -DSAFETY -o pan pan.c && ./pan */');
  for (const v of ts.vars) if (place[v.id] === 'global') out.push(`${typeFor(v.max)} ${names[v.id]} = ${v.init}; /* ${v.name} */`);
  out.push(`byte owed = ${ts.threads.length}; /* threads not yet stopped */`);
  for (const name of new Set(props.map(holdsFlag))) out.push(`hidden byte ${name} = 0; /* asserted where its property is violated */`);
  const maxUpdates = Math.max(0, ...ts.transitions.map((t) => t.updates.length));
  for (let i = 0; i < maxUpdates; i++) out.push(`hidden int tmp${i};`);
  out.push('');
  for (const th of ts.threads) out.push(...threadProc(ctx, th), '');
  out.push(...watcher(ctx));
  return out.join('\n') + '\n';
}

/** The initial-state check of state properties, and terminal properties and deadlock on `timeout`. */
function watcher(ctx: Ctx): string[] {
  const { props, names } = ctx;
  const alg = printer(names, new Map());
  const initial = ctx.stateProps.flatMap(({ p }) => {
    const bad = foldBool(p.bad, alg);
    return bad === false ? [] : [`  ${assertion(p, bval(bad))};`];
  });
  const terminal: string[] = [];
  for (const p of props) {
    if (p.kind === 'terminal') {
      const bad = foldBool(p.bad, alg);
      if (bad !== false) terminal.push(assertion(p, bval(bad)));
    }
    if (p.kind === 'deadlock') terminal.push(assertion(p, 'owed > 0'));
  }
  if (initial.length === 0 && terminal.length === 0) return [];
  const out = ['active proctype Watch() {', ...initial];
  // Back to its end label: the check adds no state of its own.
  if (terminal.length > 0) out.push(`end_watch:`, `  timeout -> d_step { ${terminal.join('; ')} }; goto end_watch`);
  out.push('}');
  return out;
}
