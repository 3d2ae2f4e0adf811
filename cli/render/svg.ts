/**
 * `svg`: a picture per group of findings (one root cause, one picture).
 * One lane per thread that does something (threads the trace never ran
 * share one "idle" row), steps along x, a bar per lock for the steps it
 * is held, labelled with its whole name, and each final wait drawn in red
 * from the waiter to the holder (a loop when a thread waits on itself).
 * Pure string generation: no DOM, no fonts measured, so the output is
 * byte-for-byte deterministic.
 */

import type { Report, Trace } from '../../checker/report.js';
import type { RenderContext } from './types.js';
import { xmlEscape } from './xml.js';
import { outcomeLine } from './outcome.js';
import { fmtRef } from './words.js';
import { waitEdges, type WaitEdge } from './wait-edges.js';
import { groupTitle, pictureGroups } from './picture-groups.js';

/** The thread column's least width; longer thread names widen it. */
const LABEL_W = 120;
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

/*
 * Widths are estimated, never measured (no fonts at render time): a
 * DejaVu Sans Mono advance is 0.602 em, so these per-character widths at
 * the sizes of SVG_STYLE round up. tests/cli/pictures.test.ts measures
 * the real boxes in Chromium and fails if an estimate is too small.
 */
const CHAR_W = { text: 6.8, title: 8.8, lock: 5.6, thread: 7.0 } as const;

/** A thread the trace never ran, that holds nothing and waits for nothing: one shared row, not a lane. */
function idleThreads(trace: Trace, bars: Map<string, Bar[]>, edges: WaitEdge[]): Set<string> {
  const busy = new Set<string>();
  for (const s of trace.steps) busy.add(s.threadName);
  for (const [name, list] of bars) if (list.length > 0) busy.add(name);
  for (const e of edges) {
    busy.add(e.waiter);
    if (e.target !== undefined) busy.add(e.target);
  }
  for (const th of trace.final.threads) if (th.held.length > 0 || th.status === 'blocked') busy.add(th.thread);
  const idle = new Set<string>();
  for (const t of trace.threads) if (!busy.has(t.name)) idle.add(t.name);
  return idle;
}

export interface TraceDrawing {
  width: number;
  height: number;
  body: string;
}

function stepText(s: Trace['steps'][number]): string {
  return `${s.index}. [${s.threadName}] ${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${s.at ? `  ${fmtRef(s.at)}` : ''}${s.preemption ? '  (preempts)' : ''}`;
}

/** The lanes' geometry: which threads get one, where the step columns are, where the wait edges go. */
interface Frame {
  lanes: string[];
  idle: string[];
  bars: Map<string, Bar[]>;
  allLocks: string[];
  edges: WaitEdge[];
  labelW: number;
  x: (i: number) => number;
  edgeX: (k: number) => number;
}

function frameOf(trace: Trace): Frame {
  const n = trace.steps.length;
  const bars = holdBars(trace);
  const edges = waitEdges(trace);
  const idleSet = idleThreads(trace, bars, edges);
  const lanes = trace.threads.map((t) => t.name).filter((t) => !idleSet.has(t));
  for (const k of bars.keys()) if (!lanes.includes(k) && !idleSet.has(k)) lanes.push(k);
  const allLocks: string[] = [];
  for (const name of lanes) for (const l of lockRows(bars.get(name) ?? [])) if (!allLocks.includes(l)) allLocks.push(l);
  // The thread column is as wide as the longest name: names are never cut.
  const labelW = Math.ceil(Math.max(LABEL_W, 20 + Math.max(0, ...lanes.map((l) => l.length)) * CHAR_W.thread));
  const x = (i: number): number => labelW + (i - 0.5) * STEP_W;
  // The wait edges stand right of every bar and its label, so no line crosses a lock's name;
  // 40 apart, room for a loop (a self-wait) beside its column.
  const lockEnds = lanes.flatMap((name) => (bars.get(name) ?? []).map((b) => x(b.from) + 3 + b.lock.length * CHAR_W.lock));
  const edgeBase = Math.max(n > 0 ? x(n) + STEP_W * 0.6 : labelW + 20, ...lockEnds.map((e) => e + 16));
  const edgeX = (k: number): number => edgeBase + k * 40;
  return { lanes, idle: [...idleSet], bars, allLocks, edges: edges.filter((e) => lanes.includes(e.waiter)), labelW, x, edgeX };
}

/** One wait edge: to the holder's lane, a loop back into the waiter's own (self-deadlock), or a stub when nobody can end it. */
function edgeShape(f: Frame, e: WaitEdge, k: number, laneY: Map<string, number>, idPrefix: string): string {
  const from = laneY.get(e.waiter)! + 16;
  const ex = f.edgeX(k);
  const marker = `marker-end="url(#${idPrefix}arrow)"`;
  const to = e.target !== undefined ? laneY.get(e.target) : undefined;
  if (e.target === e.waiter) {
    return `<path class="loop" d="M${ex},${from - 4} C${ex + 34},${from - 26} ${ex + 34},${from + 22} ${ex + 2},${from + 6}" fill="none" ${marker}/>`;
  }
  if (to !== undefined) {
    return `<line x1="${ex}" y1="${from}" x2="${ex}" y2="${to + (to + 16 > from ? 8 : 24)}" ${marker}/>`;
  }
  return `<line x1="${ex - 14}" y1="${from}" x2="${ex}" y2="${from}" ${marker}/>`;
}

function laneParts(f: Frame, trace: Trace, name: string, li: number, y: number, h: number, width: number, idPrefix: string): string[] {
  const parts: string[] = [];
  parts.push(`<g class="lane" id="${idPrefix}lane-${li}">`);
  parts.push(`<rect class="lane-bg${li % 2 ? ' odd' : ''}" x="0" y="${y}" width="${width}" height="${h}"/>`);
  parts.push(`<text class="thread" x="10" y="${y + 20}">${xmlEscape(name)}</text>`);
  parts.push(`<line class="lane-axis" x1="${f.labelW}" y1="${y + 16}" x2="${width - 10}" y2="${y + 16}"/>`);
  const rows = lockRows(f.bars.get(name) ?? []);
  for (const b of f.bars.get(name) ?? []) {
    const row = rows.indexOf(b.lock);
    const by = y + LANE_BASE - 6 + row * ROW_H;
    const x1 = f.x(b.from);
    const x2 = b.to > b.from ? f.x(b.to) : x1 + STEP_W / 3;
    const fill = color(b.lock, f.allLocks);
    parts.push(
      `<rect class="hold" x="${x1}" y="${by}" width="${x2 - x1}" height="${BAR_H - 2}" fill="${fill}" stroke="${fill}"><title>${xmlEscape(
        `${name} holds ${b.lock} from step ${b.from}${b.open ? ' to the end' : ` to step ${b.to}`}`,
      )}</title></rect>`,
    );
    // The whole name, dark on the pale bar, running past its end when the bar is short.
    parts.push(`<text class="lock" x="${x1 + 3}" y="${by + 9}">${xmlEscape(b.lock)}</text>`);
  }
  for (const s of trace.steps.filter((st) => st.threadName === name)) {
    const cls = ['step'];
    if (s.preemption) cls.push('preemption');
    if (trace.violatingStep === s.index) cls.push('violation');
    parts.push(
      `<g class="${cls.join(' ')}"><title>${xmlEscape(`${s.index}. ${s.op}${s.outcome ? ` -> ${s.outcome}` : ''}${s.at ? ` at ${fmtRef(s.at)}` : ''}`)}</title>` +
        `<circle cx="${f.x(s.index)}" cy="${y + 16}" r="${trace.violatingStep === s.index ? 9 : 7}"/>` +
        `<text class="num" x="${f.x(s.index)}" y="${y + 19}">${s.index}</text></g>`,
    );
  }
  parts.push(`</g>`);
  return parts;
}

function drawingWidth(f: Frame, trace: Trace, texts: { text: string; w: number }[]): number {
  const n = trace.steps.length;
  const lockEnds = f.lanes.flatMap((name) => (f.bars.get(name) ?? []).map((b) => f.x(b.from) + 3 + b.lock.length * CHAR_W.lock));
  return Math.ceil(
    Math.max(480, f.labelW + (n + 1) * STEP_W + 20, f.edgeX(f.edges.length) + 20, ...lockEnds.map((e) => e + 12), ...texts.map((t) => 20 + t.text.length * t.w)),
  );
}

/** The drawing of one trace, at the origin; callers place it. `subtitles`: one line each under the title. */
export function drawTrace(trace: Trace, title: string, subtitles: string | string[], idPrefix: string): TraceDrawing {
  const subs = typeof subtitles === 'string' ? [subtitles] : subtitles;
  const f = frameOf(trace);
  const idleLine = f.idle.length > 0 ? `idle (no step in this trace): ${f.idle.join(', ')}` : undefined;
  const texts = [
    { text: title, w: CHAR_W.title },
    ...subs.map((s) => ({ text: s, w: CHAR_W.text })),
    ...trace.steps.map((s) => ({ text: stepText(s), w: CHAR_W.text })),
    ...f.edges.map((e) => ({ text: `blocked: ${e.label}`, w: CHAR_W.text })),
    ...(idleLine ? [{ text: idleLine, w: CHAR_W.text }] : []),
  ];
  const width = drawingWidth(f, trace, texts);
  const parts: string[] = [];
  parts.push(`<text class="title" x="10" y="20">${xmlEscape(title)}</text>`);
  let y = 20;
  for (const s of subs) {
    y += 16;
    parts.push(`<text class="sub" x="10" y="${y}">${xmlEscape(s)}</text>`);
  }
  y += 16;
  const laneY = new Map<string, number>();
  const gridTop = y;
  const laneHeights = f.lanes.map((name) => LANE_BASE + lockRows(f.bars.get(name) ?? []).length * ROW_H);
  const gridBottom = gridTop + laneHeights.reduce((a, b) => a + b, 0);
  for (let i = 1; i <= trace.steps.length; i++) {
    parts.push(`<line class="grid" x1="${f.x(i)}" y1="${gridTop}" x2="${f.x(i)}" y2="${gridBottom}"/>`);
  }
  f.lanes.forEach((name, li) => {
    laneY.set(name, y);
    parts.push(...laneParts(f, trace, name, li, y, laneHeights[li], width, idPrefix));
    y += laneHeights[li];
  });
  if (idleLine) {
    parts.push(`<g class="idle"><rect class="lane-bg idle-bg" x="0" y="${y}" width="${width}" height="20"/><text class="idle-text" x="10" y="${y + 14}">${xmlEscape(idleLine)}</text></g>`);
    y += 20;
  }
  // The final waits: one column each so that a cycle's edges do not draw over each other.
  f.edges.forEach((e, k) => {
    parts.push(`<g class="blocking-edge"><title>${xmlEscape(e.label)}</title>${edgeShape(f, e, k, laneY, idPrefix)}</g>`);
  });
  // The step list under the lanes, full text, then what blocks forever.
  y += 14;
  for (const s of trace.steps) {
    y += ROW_H;
    const cls = trace.violatingStep === s.index ? 'steptext violation' : 'steptext';
    parts.push(`<text class="${cls}" x="10" y="${y}">${xmlEscape(stepText(s))}</text>`);
  }
  if (f.edges.length > 0) y += 6;
  for (const e of f.edges) {
    y += ROW_H;
    parts.push(`<text class="blocking" x="10" y="${y}">${xmlEscape(`blocked: ${e.label}`)}</text>`);
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
  '.hold{fill-opacity:0.3;stroke-width:1}',
  '.lock{font-size:9px;fill:#111}',
  '.idle-bg{fill:#fafafa}.idle-text{fill:#777;font-style:italic}',
  '.blocking-edge line,.blocking-edge path{stroke:#d62728;stroke-width:3;stroke-dasharray:6 3}',
  '.blocking{fill:#d62728;font-weight:bold}',
  '.steptext.violation{fill:#d62728;font-weight:bold}',
].join('');

/** One picture per group of findings with one root cause (cli/render/picture-groups.ts), in report order. */
export function renderSvg(report: Report, _ctx: RenderContext): string {
  const blocks: string[] = [];
  let y = 0;
  let width = 480;
  let i = 0;
  for (const m of report.models) {
    for (const g of pictureGroups(m)) {
      const { title, lines } = groupTitle(g, m.file);
      const d = drawTrace(g.trace, title, lines, `t${i++}-`);
      blocks.push(`<g class="trace" transform="translate(0,${y})">\n${d.body}\n</g>`);
      y += d.height + 10;
      width = Math.max(width, d.width);
    }
  }
  if (i === 0) {
    blocks.push(`<text class="title" x="10" y="20">lockmc: no trace to draw</text>`);
    blocks.push(`<text class="sub" x="10" y="40">${xmlEscape(outcomeLine(report))}</text>`);
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
