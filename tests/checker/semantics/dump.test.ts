import { describe, expect, it } from 'vitest';
import { ModelBuilder, lock, unlock } from './builder.js';
import { dumpSystemJson, dumpSystemText } from '../../../checker/semantics/dump.js';

describe('dump', () => {
  it('renders a readable, deterministic text dump', () => {
    const b = new ModelBuilder();
    const A = b.mutex('A');
    b.thread('T0', [lock(A), unlock(A)]);
    const m = b.build();
    const { ts } = b.compile();
    const text = dumpSystemText(ts, m);
    expect(text.split('\n').slice(1)).toEqual([
      'semantics: kernel v7.0, kswapd runs 0, irq fires 1, direct reclaim on',
      'completeness bound: 2',
      '',
      'vars (2, 3 bits):',
      '  0 pc.T0 w2 max 2 init 0 (pc)',
      '  1 owner.A w1 max 1 init 0 (lock-owner)',
      '',
      'threads (1):',
      '  0 T0 thread mandatory',
      '      done: pc.T0 == 2',
      '',
      'transitions (2):',
      '  #0 T0 T0#0 mutex_lock',
      '      guard: pc.T0 == 0 && owner.A == 0',
      '      do: pc.T0 := 1; owner.A := 1',
      '  #1 T0 T0#1 mutex_unlock',
      '      guard: pc.T0 == 1',
      '      do: pc.T0 := 2; owner.A := (owner.A == 1 ? 0 : owner.A)',
      '',
      'properties (1):',
      '  0 deadlock deadlock/deadlock',
      '',
    ]);
    expect(JSON.parse(dumpSystemJson(ts))).toEqual(JSON.parse(JSON.stringify(ts)));
  });
});
