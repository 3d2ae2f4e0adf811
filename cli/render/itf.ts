/**
 * `itf`: each trace in the Informal Trace Format (Apalache ADR-015), one
 * document per trace, so existing ITF viewers can step through it.
 *
 * ITF wants every state to bind every variable. A lockmc trace records
 * what the acting thread holds after each step; the other threads keep
 * what they held before, which is what `held` carries forward here.
 */

import type { Finding, ModelReport, Report, Trace } from '../../checker/report.js';
import { canonicalJson } from './json.js';
import type { RenderContext, RenderedFile } from './types.js';
import { findingsOf, fmtRef } from './words.js';

const VARS = ['step', 'thread', 'op', 'outcome', 'role', 'at', 'context', 'preemption', 'held'] as const;

type ItfValue = string | number | boolean | ItfValue[] | { [k: string]: ItfValue };

export function traceToItf(trace: Trace, f: Finding, m: ModelReport, report: Report): Record<string, ItfValue> {
  const held: Record<string, string[]> = {};
  for (const t of trace.threads) held[t.name] = [];
  const heldValue = (): ItfValue => {
    const rec: Record<string, ItfValue> = {};
    for (const name of Object.keys(held)) rec[name] = { '#set': [...held[name]].sort() };
    return rec;
  };
  const states: Record<string, ItfValue>[] = [
    {
      '#meta': { index: 0 },
      step: 0,
      thread: '',
      op: 'init',
      outcome: '',
      role: '',
      at: '',
      context: [],
      preemption: false,
      held: heldValue(),
    },
  ];
  for (const s of trace.steps) {
    // ITF states are states the run reaches: a call a thread blocks in for
    // good reaches none, so it goes in the trace's `#meta` (`blocked`).
    if (s.blocks) continue;
    held[s.threadName] = [...s.held];
    const meta: Record<string, ItfValue> = { index: states.length };
    if (trace.violatingStep === s.index) meta.violation = true;
    states.push({
      '#meta': meta,
      step: s.index,
      thread: s.threadName,
      op: s.op,
      outcome: s.outcome ?? '',
      role: s.role ?? '',
      at: s.at ? fmtRef(s.at) : '',
      context: [...s.context],
      preemption: s.preemption,
      held: heldValue(),
    });
  }
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: m.file,
      description: `${f.rule} (${f.check}): ${f.message}`,
      'generated-by': `${report.tool.name} ${report.tool.version}`,
      schedule: trace.schedule,
      threads: trace.threads.map((t) => t.name),
      ...(trace.steps.some((s) => s.blocks) ? { blocked: trace.steps.filter((s) => s.blocks).map((s) => `${s.threadName}: ${s.op}`) } : {}),
    },
    vars: [...VARS],
    states,
  };
}

function baseName(file: string): string {
  const b = file.split(/[\\/]/).pop() ?? file;
  return b.replace(/\.model\.ts$/, '').replace(/\.ts$/, '');
}

export function renderItf(report: Report, _ctx: RenderContext): RenderedFile[] {
  const files: RenderedFile[] = [];
  const used = new Set<string>();
  for (const m of report.models) {
    const perRule = new Map<string, number>();
    for (const f of findingsOf(m.verdicts)) {
      if (!f.trace) continue;
      const n = (perRule.get(f.rule) ?? 0) + 1;
      perRule.set(f.rule, n);
      let name = `${baseName(m.file)}.${f.rule}.${n}.itf.json`;
      for (let k = 2; used.has(name); k++) name = `${baseName(m.file)}-${k}.${f.rule}.${n}.itf.json`;
      used.add(name);
      files.push({ name, content: canonicalJson(traceToItf(f.trace, f, m, report)) + '\n' });
    }
  }
  return files;
}
