/**
 * The progress line: one line on stderr, rewritten in place, only on a
 * terminal and only without --quiet. Redirected output never contains it.
 *
 *   [12/188] 42s  3 violated (1 unexpected), 0 inconclusive  fixtures/a.model.ts  auto, bound 24
 *
 * Models done / total, the elapsed time (repainted every second by a
 * ticker, so a long model does not look like a hang), what the finished
 * models found so far, and the model in hand with its engine and bound.
 * The clock and the ticker are injected so tests need no real time.
 */

import type { Progress } from '../checker/options.js';
import type { ModelReport } from '../checker/report.js';
import type { CliIo } from './io.js';

export interface ProgressLine {
  update(p: Progress): void;
  /** A finished model: its violations and inconclusive verdicts join the counts. */
  model(m: ModelReport): void;
  done(): void;
}

/** Time as the line sees it: `now` in ms, `every` starts a ticker and returns its stop. */
export interface ProgressClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

export const REAL_CLOCK: ProgressClock = {
  now: () => performance.now(),
  every(ms, tick) {
    const t = setInterval(tick, ms);
    // The ticker must never keep the process alive.
    t.unref?.();
    return () => clearInterval(t);
  },
};

export interface ProgressSettings {
  /** `--engine` (auto, explicit, bmc, both). */
  engine?: string;
  /** `--bound`; absent: each model's completeness bound. */
  bound?: number;
  clock?: ProgressClock;
}

/** What one repaint shows. */
export interface ProgressState extends Progress {
  violated: number;
  /** Violations of models not as expected (no header, or one they break). */
  unexpected: number;
  inconclusive: number;
  engine?: string;
}

const NONE: ProgressLine = { update: () => {}, model: () => {}, done: () => {} };

export function fmtElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function formatProgress(p: ProgressState, width: number): string {
  const head = `[${p.modelsDone}/${p.modelsTotal}] ${fmtElapsed(p.elapsedMs)}  ${p.violated} violated${p.unexpected > 0 ? ` (${p.unexpected} unexpected)` : ''}, ${p.inconclusive} inconclusive`;
  const how = [p.engine, p.bound !== undefined ? `bound ${p.bound}` : 'complete bound'].filter((x) => x !== undefined).join(', ');
  const tail = p.current !== undefined ? `  ${how}` : '';
  let cur = p.current ?? '';
  // The model's name is what gives way: its end (the file name) stays.
  const room = width - 1 - head.length - 2 - tail.length;
  if (cur.length > room) cur = room > 4 ? `...${cur.slice(cur.length - room + 3)}` : '';
  const line = cur !== '' ? `${head}  ${cur}${tail}` : head;
  return line.slice(0, Math.max(0, width - 1));
}

export function progressLine(io: CliIo, quiet: boolean, settings: ProgressSettings = {}): ProgressLine {
  if (quiet || !io.stderrIsTTY) return NONE;
  const clock = settings.clock ?? REAL_CLOCK;
  const width = Math.max(40, io.columns ?? 80);
  const t0 = clock.now();
  const state: ProgressState = { modelsDone: 0, modelsTotal: 0, elapsedMs: 0, violated: 0, unexpected: 0, inconclusive: 0, ...(settings.engine ? { engine: settings.engine } : {}) };
  let shown = false;
  let last = -Infinity;
  let stop: (() => void) | undefined;
  const paint = () => {
    last = clock.now();
    state.elapsedMs = last - t0;
    io.err(`\r\x1b[K${formatProgress(state, width)}`);
    shown = true;
  };
  return {
    update(p) {
      state.modelsDone = p.modelsDone;
      state.modelsTotal = p.modelsTotal;
      if (p.current !== undefined) state.current = p.current;
      else delete state.current;
      const bound = p.bound ?? settings.bound;
      if (bound !== undefined) state.bound = bound;
      else delete state.bound;
      // The first update starts the ticker: from then on the time moves every second.
      stop ??= clock.every(1000, paint);
      // Repainting more than ~10 times a second only costs time.
      if (clock.now() - last < 100 && p.modelsDone < p.modelsTotal) return;
      paint();
    },
    model(m) {
      const violated = m.verdicts.filter((v) => v.status === 'violated').length;
      state.violated += violated;
      if (m.expectation?.met !== true) state.unexpected += violated;
      state.inconclusive += m.verdicts.filter((v) => v.status === 'inconclusive').length;
    },
    done() {
      stop?.();
      stop = undefined;
      if (shown) io.err('\r\x1b[K');
      shown = false;
    },
  };
}
