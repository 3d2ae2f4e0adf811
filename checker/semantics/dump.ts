/**
 * Readable text dump of a transition system (`lockmc dump system`). The
 * JSON form is the TransitionSystem object itself (`dumpSystemJson`).
 * Deterministic: the same system always prints the same text.
 */

import { unreachable, type DriverModel } from '../../model/ir.js';
import type { BoolExpr, IntExpr, Property, StateVar, Transition, TransitionSystem } from './system.js';
import { foldBool, foldInt, type ExprAlgebra } from './expr.js';

/** The printer, an algebra over the fold of expr.ts (children arrive rendered). */
function printer(vars: StateVar[]): ExprAlgebra<string, string> {
  return {
    const: (e) => String(e.v),
    var: (e) => vars[e.v]?.name ?? `v${e.v}`,
    add: (_, a, b) => `(${a} + ${b})`,
    sub: (_, a, b) => `(${a} - ${b})`,
    bitor: (_, a, b) => `(${a} | ${b})`,
    bitand: (_, a, b) => `(${a} & ${b})`,
    bitclear: (_, a, b) => `(${a} & ~${b})`,
    ite: (_, c, t, f) => `(${c} ? ${t} : ${f})`,
    true: () => 'true',
    false: () => 'false',
    eq: (_, a, b) => `${a} == ${b}`,
    ne: (_, a, b) => `${a} != ${b}`,
    lt: (_, a, b) => `${a} < ${b}`,
    le: (_, a, b) => `${a} <= ${b}`,
    bit: (e, a) => `${a}[${e.bit}]`,
    // A disjunction inside a conjunction (and the reverse) is parenthesised.
    and: (e, args) => args.map((a, i) => (e.args[i]!.k === 'or' ? `(${a})` : a)).join(' && '),
    or: (e, args) => args.map((a, i) => (e.args[i]!.k === 'and' ? `(${a})` : a)).join(' || '),
    not: (_, a) => `!(${a})`,
  };
}

export function renderInt(e: IntExpr, vars: StateVar[]): string {
  return foldInt(e, printer(vars));
}

export function renderBool(e: BoolExpr, vars: StateVar[]): string {
  return foldBool(e, printer(vars));
}

/** One-line description of a step: `T0 cs_ioctl#3 mutex_lock ok [direct-reclaim shrink]`. */
export function describeTransition(ts: TransitionSystem, t: Transition, model?: DriverModel): string {
  const l = t.label;
  const proc = model?.procs[l.proc];
  const node = proc?.nodes[l.node];
  const where = `${proc?.name ?? `proc${l.proc}`}#${l.node}`;
  let what: string;
  if (l.synthetic) what = l.synthetic;
  else if (l.branch !== undefined) what = `branch ${l.branch}`;
  else if (node && node.kind === 'op') what = `${node.op.api}${l.outcome && l.outcome !== 'ok' ? ` -> ${l.outcome}` : ''}`;
  else what = l.outcome ?? 'step';
  const ctx = l.contexts.length
    ? ` [${l.contexts.map((c) => `${c.kind} ${model?.procs[c.proc]?.name ?? `proc${c.proc}`}`).join(' > ')}]`
    : '';
  return `${ts.threads[t.thread]?.name ?? `T${t.thread}`} ${where} ${what}${ctx}`;
}

function renderProperty(p: Property, vars: StateVar[]): string {
  switch (p.kind) {
    case 'deadlock':
      return `deadlock ${p.rule}/${p.check}`;
    case 'state':
      return `state ${p.rule}/${p.check} bad: ${renderBool(p.bad, vars)}`;
    case 'terminal':
      return `terminal ${p.rule}/${p.check} bad: ${renderBool(p.bad, vars)}`;
    case 'step':
      return `step ${p.rule}/${p.check} on #${p.transitions.join(',#')} when: ${renderBool(p.when, vars)}`;
    default:
      return unreachable(p);
  }
}

export function dumpSystemText(ts: TransitionSystem, model?: DriverModel): string {
  const out: string[] = [];
  const v = ts.vars;
  const s = ts.semantics;
  out.push(`system ${ts.hash.slice(0, 16)}`);
  out.push(
    `semantics: kernel ${s.kernel}, kswapd runs ${s.kswapdRuns}, irq fires ${s.irqFires}, direct reclaim ${s.directReclaim ? 'on' : 'off'}`,
  );
  out.push(`completeness bound: ${ts.completenessBound}`);
  const bits = v.reduce((a, x) => a + x.width, 0);
  out.push('');
  out.push(`vars (${v.length}, ${bits} bits):`);
  for (const x of v) {
    out.push(`  ${x.id} ${x.name} w${x.width} max ${x.max} init ${x.init} (${x.role.kind})`);
  }
  out.push('');
  out.push(`threads (${ts.threads.length}):`);
  for (const t of ts.threads) {
    out.push(`  ${t.id} ${t.name} ${t.kind} ${t.liveness}`);
    out.push(`      done: ${renderBool(t.done, v)}`);
    if (t.liveness === 'optional') out.push(`      not started: ${renderBool(t.notStarted, v)}`);
  }
  out.push('');
  out.push(`transitions (${ts.transitions.length}):`);
  for (const t of ts.transitions) {
    out.push(`  #${t.id} ${describeTransition(ts, t, model)}${t.visible ? ' (visible)' : ''}`);
    out.push(`      guard: ${renderBool(t.guard, v)}`);
    out.push(`      do: ${t.updates.map((u) => `${v[u.v]?.name ?? `v${u.v}`} := ${renderInt(u.e, v)}`).join('; ')}`);
  }
  out.push('');
  out.push(`properties (${ts.properties.length}):`);
  ts.properties.forEach((p, i) => out.push(`  ${i} ${renderProperty(p, v)}`));
  return out.join('\n') + '\n';
}

/** The JSON dump is the system itself, pretty-printed. */
export function dumpSystemJson(ts: TransitionSystem): string {
  return JSON.stringify(ts, null, 2) + '\n';
}
