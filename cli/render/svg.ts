/**
 * `svg`: a picture of each trace. One lane per thread, steps along x, a
 * bar per lock for the steps it is held, and the blocking edge (the final
 * wait nobody can grant) drawn in red from the waiter to the holder.
 * Pure string generation: no DOM, no fonts measured, so the output is
 * byte-for-byte deterministic.
 */

import type { Finding, ModelReport, Report, Trace } from '../../checker/report.js';
import type { RenderContext } from './types.js';
import { xmlEscape } from './xml.js';
import { findingsOf, fmtRef, summaryLine, waitText } from './words.js';

const LABEL_W = 160;
const STEP_W = 56;
const LANE_BASE = 34;
const BAR_H = 14;
const ROW_H = 15;
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac', '#ff9da7', '#86bcb6'];

interface Bar {
  lock: string;
  from: number;
  to: number;
  open: boolean;
}

/** Intervals during which each thread holds each lock, by step index. */
export function holdBars(trace: Trace): Map<string, Bar[]> {
  const bars = new Map<string, Bar[]>();
  const held = new Map<string, Map<string, Bar>>();
  for (const t of trace.threads) {
    bars.set(t.name, []);
    held.set(t.name, new Map());
  }
  for (const s of trace.steps) {
    if (!bars.has(s.threadName)) {
      bars.set(s.threadName, []);
      held.set(s.threadName, new Map());
    }
    const cur = held.get(s.threadName)!;
    for (const [lock, bar] of [...cur]) {
      if (!s.held.includes(lock)) {
        bar.to = s.index;
        bar.open = false;
        cur.delete(lock);
      }
    }
    for (const lock of s.held) {
      if (!cur.has(lock)) {
        const bar: Bar = { lock, from: s.index, to: s.index, open: true };
        cur.set(lock, bar);
        bars.get(s.threadName)!.push(bar);
      }
    }
  }
  const last = trace.steps.length;
  for (const list of bars.values()) for (const b of list) if (b.open) b.to = last + 1;
  return bars;
}

function lockRows(list: Bar[]): string[] {
  const rows: string[] = [];
  for (const b of list) if (!rows.includes(b.lock)) rows.push(b.lock);
  return rows;
}

function color(lock: string, all: string[]): string {
  return PALETTE[all.indexOf(lock) % PALETTE.length];
}

function trunc(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}~`;
}

/**
 * Which lane holds the thing a blocked thread waits for, found by the
 * first word of the phrase among the locks other threads hold.
 * (A `lock` wait names its holder as data; reading that instead would
 * change the drawing, which this renovation keeps byte-identical.)
 */
function holderOf(trace: Trace, waitingFor: string, except: string): string | undefined {
  const name = waitingFor.split(' ')[0];
  for (const th of trace.final.threads) {
    if (th.thread === except) continue;
    if (th.held.some((h) => h === waitingFor || h.split(' ')[0] === name)) return th.thread;
  }
  return undefined;
}

export interface TraceDrawing {
  width: number;
  height: number;
  body: string;
}

/** The drawing of one trace, at the origin; callers place it. */
export function drawTrace(trace: Trace, title: string, subtitle: string, idPrefix: string): TraceDrawing {
  const n = trace.steps.length;
  const bars = holdBars(trace);
  const lanes = trace.threads.map((t) => t.name);
  for (const k of bars.keys()) if (!lanes.includes(k)) lanes.push(k);
  const allLocks: string[] = [];
  for (const name of lanes) for (const l of lockRows(bars.get(name) ?? [])) if (!allLocks.includes(l)) allLocks.push(l);
  const x = (i: number): number => LABEL_W + (i - 0.5) * STEP_W;
  const stepText = (s: Trace['steps'][number]): string =>
    `${s.index}. [${s.threadName}] ${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${s.at ? `  ${fmtRef(s.at)}` : ''}${s.preemption ? '  (preempts)' : ''}`;
  const blocked = trace.final.threads.filter((th) => th.status === 'blocked' && th.waitingFor !== undefined && lanes.includes(th.thread));
  const blockLabel = (th: (typeof blocked)[number]): [string, string | undefined] => {
    const waits = waitText(th.waitingFor!, th.thread);
    const holder = holderOf(trace, waits, th.thread);
    return [`${th.thread} waits for ${waits}${holder ? ` held by ${holder}` : ' (never granted)'}`, holder];
  };
  const edgeX = (k: number): number => (n > 0 ? x(n) + STEP_W * 0.6 : LABEL_W + 20) + k * 16;
  const texts = [title, subtitle, ...trace.steps.map(stepText), ...blocked.map((th) => `blocked: ${blockLabel(th)[0]}`)];
  // Monospace at 11px is about 6.8px a character; the title is larger.
  const width = Math.ceil(
    Math.max(480, LABEL_W + (n + 1) * STEP_W + 20, edgeX(blocked.length) + 20, ...texts.map((t, i) => 20 + t.length * (i === 0 ? 8.6 : 6.8))),
  );
  const parts: string[] = [];
  parts.push(`<text class="title" x="10" y="20">${xmlEscape(title)}</text>`);
  parts.push(`<text class="sub" x="10" y="36">${xmlEscape(subtitle)}</text>`);
  let y = 52;
  const laneY = new Map<string, number>();
  // Step grid and numbers.
  const gridTop = y;
  const laneHeights = lanes.map((name) => LANE_BASE + lockRows(bars.get(name) ?? []).length * ROW_H);
  const gridBottom = gridTop + laneHeights.reduce((a, b) => a + b, 0);
  for (let i = 1; i <= n; i++) {
    parts.push(`<line class="grid" x1="${x(i)}" y1="${gridTop}" x2="${x(i)}" y2="${gridBottom}"/>`);
  }
  lanes.forEach((name, li) => {
    const h = laneHeights[li];
    laneY.set(name, y);
    parts.push(`<g class="lane" id="${idPrefix}lane-${li}">`);
    parts.push(`<rect class="lane-bg${li % 2 ? ' odd' : ''}" x="0" y="${y}" width="${width}" height="${h}"/>`);
    parts.push(`<text class="thread" x="10" y="${y + 20}">${xmlEscape(trunc(name, 22))}</text>`);
    parts.push(`<line class="lane-axis" x1="${LABEL_W}" y1="${y + 16}" x2="${width - 10}" y2="${y + 16}"/>`);
    const rows = lockRows(bars.get(name) ?? []);
    for (const b of bars.get(name) ?? []) {
      const row = rows.indexOf(b.lock);
      const by = y + LANE_BASE - 6 + row * ROW_H;
      const x1 = x(b.from);
      const x2 = b.to > b.from ? x(b.to) : x1 + STEP_W / 3;
      parts.push(
        `<rect class="hold" x="${x1}" y="${by}" width="${x2 - x1}" height="${BAR_H - 4}" fill="${color(b.lock, allLocks)}"><title>${xmlEscape(
          `${name} holds ${b.lock} from step ${b.from}${b.open ? ' to the end' : ` to step ${b.to}`}`,
        )}</title></rect>`,
      );
      parts.push(`<text class="lock" x="${x1 + 3}" y="${by + 9}">${xmlEscape(trunc(b.lock, Math.max(6, Math.floor((x2 - x1) / 6))))}</text>`);
    }
    for (const s of trace.steps.filter((st) => st.threadName === name)) {
      const cls = ['step'];
      if (s.preemption) cls.push('preemption');
      if (trace.violatingStep === s.index) cls.push('violation');
      parts.push(
        `<g class="${cls.join(' ')}"><title>${xmlEscape(`${s.index}. ${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${s.at ? ` at ${fmtRef(s.at)}` : ''}`)}</title>` +
          `<circle cx="${x(s.index)}" cy="${y + 16}" r="${trace.violatingStep === s.index ? 9 : 7}"/>` +
          `<text class="num" x="${x(s.index)}" y="${y + 19}">${s.index}</text></g>`,
      );
    }
    parts.push(`</g>`);
    y += h;
  });
  // The blocking edges: every thread left waiting at the end, one column
  // each so that a cycle's edges do not draw over each other.
  blocked.forEach((th, k) => {
    const from = laneY.get(th.thread)!;
    const ex = edgeX(k);
    const [label, holder] = blockLabel(th);
    const to = holder !== undefined ? laneY.get(holder) : undefined;
    const line =
      to !== undefined
        ? `<line x1="${ex}" y1="${from + 16}" x2="${ex}" y2="${to + (to > from ? 8 : 24)}" marker-end="url(#${idPrefix}arrow)"/>`
        : `<line x1="${ex - 14}" y1="${from + 16}" x2="${ex}" y2="${from + 16}" marker-end="url(#${idPrefix}arrow)"/>`;
    parts.push(`<g class="blocking-edge"><title>${xmlEscape(label)}</title>${line}</g>`);
  });
  // The step list under the lanes, full text, then what blocks forever.
  y += 14;
  for (const s of trace.steps) {
    y += ROW_H;
    const cls = trace.violatingStep === s.index ? 'steptext violation' : 'steptext';
    parts.push(`<text class="${cls}" x="10" y="${y}">${xmlEscape(stepText(s))}</text>`);
  }
  if (blocked.length > 0) y += 6;
  for (const th of blocked) {
    y += ROW_H;
    parts.push(`<text class="blocking" x="10" y="${y}">${xmlEscape(`blocked: ${blockLabel(th)[0]}`)}</text>`);
  }
  y += 16;
  const defs = `<defs><marker id="${idPrefix}arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="12" markerHeight="12" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d62728"/></marker></defs>`;
  return { width, height: y, body: defs + parts.join('\n') };
}

export const SVG_STYLE = [
  'text{font-family:DejaVu Sans Mono,Menlo,Consolas,monospace;font-size:11px;fill:#222}',
  '.title{font-size:14px;font-weight:bold}',
  '.sub{fill:#555}',
  '.lane-bg{fill:#f7f7f7}.lane-bg.odd{fill:#ececec}',
  '.thread{font-weight:bold}',
  '.lane-axis{stroke:#999;stroke-width:1}',
  '.grid{stroke:#ddd;stroke-width:1}',
  '.step circle{fill:#fff;stroke:#333;stroke-width:1.5}',
  '.step.preemption circle{stroke:#ff7f0e;stroke-width:2.5}',
  '.step.violation circle{fill:#d62728;stroke:#7f0000}',
  '.step.violation .num{fill:#fff}',
  '.num{font-size:9px;text-anchor:middle}',
  '.lock{font-size:9px;fill:#fff}',
  '.blocking-edge line{stroke:#d62728;stroke-width:3;stroke-dasharray:6 3}',
  '.blocking{fill:#d62728;font-weight:bold}',
  '.steptext.violation{fill:#d62728;font-weight:bold}',
].join('');

export interface TraceItem {
  finding: Finding;
  model: ModelReport;
  trace: Trace;
}

export function tracesOf(report: Report): TraceItem[] {
  const out: TraceItem[] = [];
  for (const m of report.models) {
    for (const f of findingsOf(m.verdicts)) if (f.trace) out.push({ finding: f, model: m, trace: f.trace });
  }
  return out;
}

export function traceTitle(item: TraceItem): [string, string] {
  return [`${item.finding.rule}: ${item.model.file}`, item.finding.message];
}

export function renderSvg(report: Report, _ctx: RenderContext): string {
  const items = tracesOf(report);
  const blocks: string[] = [];
  let y = 0;
  let width = 480;
  items.forEach((item, i) => {
    const [title, sub] = traceTitle(item);
    const d = drawTrace(item.trace, title, sub, `t${i}-`);
    blocks.push(`<g class="trace" transform="translate(0,${y})">\n${d.body}\n</g>`);
    y += d.height + 10;
    width = Math.max(width, d.width);
  });
  if (items.length === 0) {
    blocks.push(`<text class="title" x="10" y="20">lockmc: no trace to draw</text>`);
    blocks.push(`<text class="sub" x="10" y="40">${xmlEscape(summaryLine(report))}</text>`);
    y = 56;
  }
  const height = Math.max(y, 60);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n` +
    `<style>${SVG_STYLE}</style>\n` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>\n` +
    blocks.join('\n') +
    `\n</svg>\n`
  );
}
