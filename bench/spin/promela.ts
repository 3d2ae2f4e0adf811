/**
 * A transition system as Promela, so SPIN explores exactly the state space
 * our engines explore: every state variable is a global of the smallest
 * integer type that holds it, every transition a `d_step` of its guard and
 * simultaneous updates, every thread a process looping over its
 * transitions at one control point (so SPIN's process counters add no
 * states), and a watcher process that fires on SPIN's `timeout` (no
 * statement executable: our terminal states) and asserts that the state is
 * not a deadlock.
 *
 * Used by the SPIN benchmark and by a cross-check test; never by the
 * checker itself.
 */

import type { BoolExpr, IntExpr, TransitionSystem } from '../../checker/semantics/system.js';

function typeFor(max: number): string {
  if (max <= 1) return 'bit';
  if (max <= 255) return 'byte';
  if (max <= 32767) return 'short';
  return 'int';
}

function ident(name: string, id: number): string {
  return `v${id}_${name.replace(/[^A-Za-z0-9]/g, '_').slice(0, 24)}`;
}

export function toPromela(ts: TransitionSystem): string {
  const names = ts.vars.map((v) => ident(v.name, v.id));
  const int = (e: IntExpr): string => {
    switch (e.k) {
      case 'const':
        return String(e.v);
      case 'var':
        return names[e.v];
      case 'add':
        return `(${int(e.a)} + ${int(e.b)})`;
      case 'sub':
        return `(${int(e.a)} - ${int(e.b)})`;
      case 'bitor':
        return `(${int(e.a)} | ${int(e.b)})`;
      case 'bitand':
        return `(${int(e.a)} & ${int(e.b)})`;
      case 'bitclear':
        return `(${int(e.a)} & ~(${int(e.b)}))`;
      case 'ite':
        return `(${bool(e.c)} -> ${int(e.t)} : ${int(e.e)})`;
    }
  };
  const bool = (e: BoolExpr): string => {
    switch (e.k) {
      case 'true':
        return 'true';
      case 'false':
        return 'false';
      case 'eq':
        return `(${int(e.a)} == ${int(e.b)})`;
      case 'ne':
        return `(${int(e.a)} != ${int(e.b)})`;
      case 'lt':
        return `(${int(e.a)} < ${int(e.b)})`;
      case 'le':
        return `(${int(e.a)} <= ${int(e.b)})`;
      case 'bit':
        return `(((${int(e.a)}) >> ${e.bit}) & 1)`;
      case 'and':
        return e.args.length ? `(${e.args.map(bool).join(' && ')})` : 'true';
      case 'or':
        return e.args.length ? `(${e.args.map(bool).join(' || ')})` : 'false';
      case 'not':
        return `!(${bool(e.a)})`;
    }
  };

  const out: string[] = [];
  out.push(`/* generated from transition system ${ts.hash.slice(0, 12)}: ${ts.vars.length} vars, ${ts.transitions.length} transitions */`);
  ts.vars.forEach((v, i) => out.push(`${typeFor(v.max)} ${names[i]} = ${v.init};`));
  // Simultaneous assignment: updates read the pre-state, so values go
  // through hidden temporaries (hidden globals are not in the state vector).
  const maxUpdates = Math.max(0, ...ts.transitions.map((t) => t.updates.length));
  for (let i = 0; i < maxUpdates; i++) out.push(`hidden int tmp${i};`);
  out.push('');
  for (const th of ts.threads) {
    out.push(`active proctype T${th.id}() {`);
    out.push('end:');
    out.push('  do');
    for (const t of ts.transitions.filter((x) => x.thread === th.id)) {
      const ups = t.updates.map((u, i) => `tmp${i} = ${int(u.e)}`);
      const sets = t.updates.map((u, i) => `${names[u.v]} = tmp${i}`);
      const body = [...ups, ...sets].join('; ');
      out.push(`  :: d_step { ${bool(t.guard)} -> ${body || 'skip'} }`);
    }
    out.push('  od');
    out.push('}');
  }
  // Deadlock (checker/semantics/eval.ts): terminal (SPIN's timeout:
  // nothing can move) with an unfinished thread that is mandatory or has
  // started.
  const stuck = ts.threads.map((t) => (t.liveness === 'mandatory' ? `!(${bool(t.done)})` : `(!(${bool(t.done)}) && !(${bool(t.notStarted)}))`));
  const deadlock = stuck.length ? `(${stuck.join(' || ')})` : 'false';
  out.push('active proctype Watch() {');
  out.push(`  timeout -> assert(!${deadlock})`);
  out.push('}');
  return out.join('\n') + '\n';
}
