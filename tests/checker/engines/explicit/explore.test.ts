import { describe, expect, it } from 'vitest';
import { exploreExplicit, exploreExplicitDetailed } from '../../../../checker/engines/explicit/index.js';
import { buildSystem, deadlockProp, eq, and, ne } from './builder.js';

const opts = { timeoutMs: 10_000, maxMemoryMb: 256 } as const;

function abba() {
  return buildSystem({
    locks: ['A', 'B'],
    threads: [
      { name: 'T0', ops: [{ op: 'lock', l: 'A' }, { op: 'lock', l: 'B' }, { op: 'unlock', l: 'B' }, { op: 'unlock', l: 'A' }] },
      { name: 'T1', ops: [{ op: 'lock', l: 'B' }, { op: 'lock', l: 'A' }, { op: 'unlock', l: 'A' }, { op: 'unlock', l: 'B' }] },
    ],
  });
}

describe('exploreExplicit', () => {
  it('finds the ABBA deadlock with the shortest schedule', () => {
    const b = abba();
    for (const reduction of ['none', 'por'] as const) {
      const r = exploreExplicit(b.ts, { ...opts, reduction });
      expect(r.results).toEqual([{ status: 'violated', schedule: [b.at(0, 0)[0], b.at(1, 0)[0]] }]);
    }
  });
});
