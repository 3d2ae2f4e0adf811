/**
 * The progress line: one line on stderr, rewritten in place, only on a
 * terminal and only without --quiet. Redirected output never contains it.
 */

import type { Progress } from '../checker/options.js';
import type { CliIo } from './io.js';

export interface ProgressLine {
  update(p: Progress): void;
  done(): void;
}

const NONE: ProgressLine = { update: () => {}, done: () => {} };

export function formatProgress(p: Progress, width: number): string {
  const secs = (p.elapsedMs / 1000).toFixed(1);
  const bound = p.bound !== undefined ? `  bound ${p.bound}` : '';
  const head = `[${p.modelsDone}/${p.modelsTotal}]`;
  const tail = `${bound}  ${secs}s`;
  let cur = p.current ?? '';
  const room = width - head.length - tail.length - 2;
  if (cur.length > room) cur = room > 4 ? `...${cur.slice(cur.length - room + 3)}` : '';
  return `${head} ${cur}${tail}`.slice(0, Math.max(0, width - 1));
}

export function progressLine(io: CliIo, quiet: boolean): ProgressLine {
  if (quiet || !io.stderrIsTTY) return NONE;
  const width = Math.max(40, io.columns ?? 80);
  let shown = false;
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      // Repainting more than ~10 times a second only costs time.
      if (now - last < 100 && p.modelsDone < p.modelsTotal) return;
      last = now;
      io.err(`\r\x1b[K${formatProgress(p, width)}`);
      shown = true;
    },
    done() {
      if (shown) io.err('\r\x1b[K');
      shown = false;
    },
  };
}
