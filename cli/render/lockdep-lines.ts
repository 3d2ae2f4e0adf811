/**
 * The body of lockdep's usage, wait-context and lifecycle reports in the
 * text and pretty output, in lockdep's layout (kernel/locking/lockdep.c
 * print_usage_bug, print_bad_irq_dependency,
 * print_lock_invalid_wait_context, print_freed_lock_bug): which task takes
 * what, where each usage state was registered, the chain between an
 * irq-safe and an irq-unsafe lock, and lockdep's one-CPU scenario.
 */

import type { ChainEdge, Finding, LockdepDetail } from '../../checker/report.js';
import { type Line, ln, st } from './wrap.js';
import { fmtRef } from './words.js';

const BLANK: Line = { segs: [] };

type Usage = NonNullable<LockdepDetail['usages']>[number];

/** A scenario cell: one line of text in one thread's column. */
export interface ScenarioCell {
  column: number;
  text: string[];
}

export type Columns = (names: string[], cells: ScenarioCell[]) => Line[];

/** Whether the finding's body comes from here rather than from the cycle layout. */
export function isLockdepLayout(f: Finding): boolean {
  return f.kind === 'inconsistent-lock-state' || f.kind === 'irq-lock-inversion' || f.kind === 'invalid-wait-context' || f.kind === 'held-lock-freed' || f.kind === 'bad-unlock-balance';
}

export function lockdepBody(f: Finding, columns: Columns): Line[] {
  const d = f.lockdep;
  switch (f.kind) {
    case 'inconsistent-lock-state':
      return d?.usages && d.usages.length === 2 ? inconsistentLines(d.usages[0], d.usages[1], columns) : [];
    case 'irq-lock-inversion':
      return d?.usages && d.usages.length === 2 && d.irq ? inversionLines(d.irq, d.usages[0], d.usages[1], f.chain ?? [], columns) : [];
    case 'invalid-wait-context':
      return d?.wait ? waitLines(d.wait) : [];
    default:
      return [];
  }
}

function usageAt(u: Usage): Line[] {
  return [
    ln(`{${u.usage}} state was registered at:`),
    { ...ln('  ', st('thread', u.thread), `: ${u.api}(${u.class}) at `, st('loc', fmtRef(u.at))), hang: 4 },
  ];
}

function takes(u: Usage): Line[] {
  return [
    ln(st('thread', u.thread), ' takes:'),
    { ...ln('  ', st('lock', `(${u.class})`), ', at: ', st('loc', fmtRef(u.at)), ` ${u.api}`), hang: 4 },
  ];
}

const lockCell = (cls: string, read: boolean) => `${read ? 'rlock' : 'lock'}(${cls});`;
const isRead = (u: Usage) => u.usage.endsWith('-R');

function inconsistentLines(safe: Usage, unsafe: Usage, columns: Columns): Line[] {
  const out: Line[] = [BLANK, ln(`inconsistent {${safe.usage}} -> {${unsafe.usage}} usage.`), ...takes(unsafe), ...usageAt(safe)];
  out.push(BLANK, ln(' Possible unsafe locking scenario:'), BLANK);
  out.push(
    ...columns(['CPU0'], [
      { column: 0, text: [lockCell(unsafe.class, isRead(unsafe))] },
      { column: 0, text: ['<Interrupt>'] },
      { column: 0, text: [`  ${lockCell(safe.class, isRead(safe))}`] },
    ]),
  );
  return out;
}

function inversionLines(irq: string, safe: Usage, unsafe: Usage, chain: ChainEdge[], columns: Columns): Line[] {
  const out: Line[] = [BLANK, ln(`which would create a new lock dependency from ${irq}-safe to ${irq}-unsafe:`)];
  out.push(BLANK, ln(`the dependencies between ${irq}-irq-safe lock and the holding lock:`));
  out.push({ ...ln('-> ', st('lock', `(${safe.class})`), ` {${safe.usage}}`), hang: 3 });
  out.push(...usageAt(safe).map((l) => ({ ...l, hang: 4 })));
  out.push(BLANK, ln(`the dependencies between the lock to be acquired and ${irq}-irq-unsafe lock:`));
  out.push({ ...ln('-> ', st('lock', `(${unsafe.class})`), ` {${unsafe.usage}}`), hang: 3 });
  out.push(...usageAt(unsafe));
  if (chain.length > 0) {
    out.push(BLANK, ln('the dependency chain from the safe lock to the unsafe one:'));
    for (const e of chain) {
      const src = e.source;
      const how = src.kind === 'model' ? [st('thread', src.thread), `: ${src.api} at `, st('loc', fmtRef(src.at))] : [`primed ${src.id}: ${src.where}`];
      out.push({ ...ln(`  ${e.from} -(${e.type})-> ${e.to}  `, ...how), hang: 4 });
    }
  }
  // lockdep's print_irq_lock_scenario: the unsafe lock taken with irqs on,
  // the safe one held elsewhere while waiting for it, the interrupt.
  const middle = chain.length > 1 ? chain[chain.length - 1].from : undefined;
  const cells: { column: number; text: string[] }[] = [
    { column: 0, text: [lockCell(unsafe.class, isRead(unsafe))] },
    { column: 1, text: [irq === 'SOFTIRQ' ? 'local_bh_disable();' : 'local_irq_disable();'] },
    { column: 1, text: [lockCell(safe.class, false)] },
  ];
  if (middle && middle !== safe.class) cells.push({ column: 1, text: [lockCell(middle, false)] });
  cells.push(
    { column: 1, text: [lockCell(unsafe.class, false)] },
    { column: 0, text: ['<Interrupt>'] },
    { column: 0, text: [`  ${lockCell(safe.class, isRead(safe))}`] },
  );
  out.push(BLANK, ln(' Possible interrupt unsafe locking scenario:'), BLANK, ...columns(['CPU0', 'CPU1'], cells));
  return out;
}

function waitLines(w: NonNullable<LockdepDetail['wait']>): Line[] {
  const out: Line[] = [BLANK, ln(`the new lock ${w.class} needs ${w.outer}; ${w.limitedBy} allows at most ${w.inner}.`)];
  out.push(BLANK, ln('other info that might help us debug this:'));
  if (w.held.length === 0) out.push(ln('no locks held.'));
  else {
    out.push(ln(`${w.held.length} lock${w.held.length === 1 ? '' : 's'} held:`));
    w.held.forEach((h, i) => out.push({ ...ln(` #${i}: `, st('lock', `(${h.class})`), ` {${h.wait}}`), hang: 6 }));
  }
  return out;
}
