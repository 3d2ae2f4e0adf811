/**
 * Read a small text file (config, rule file) without trusting it to be one:
 * a FIFO or a device would block or never end, and a huge file would be
 * read whole before any limit could say no. `stat` answers both first.
 */
import { readFileSync, statSync } from 'node:fs';

export type BoundedRead =
  | { kind: 'text'; text: string }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'unreadable'; reason: 'no such file' | 'not a regular file' | 'cannot be read' };

export function readBounded(file: string, maxBytes: number): BoundedRead {
  try {
    const st = statSync(file);
    if (!st.isFile()) return { kind: 'unreadable', reason: 'not a regular file' };
    if (st.size > maxBytes) return { kind: 'too-large', bytes: st.size };
    return { kind: 'text', text: readFileSync(file, 'utf8') };
  } catch (e) {
    return { kind: 'unreadable', reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read' };
  }
}
