import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../../model/index.js';
import { compileSystem } from '../../../checker/semantics/compile.js';
import { prepare } from '../../../checker/semantics/eval.js';

function models(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...models(p));
    else if (e.endsWith('.model.ts')) out.push(p);
  }
  return out;
}

describe('the fixture corpus', () => {
  it('every loadable model compiles, deterministically, and random walks stay in range', () => {
    const files = models('fixtures').filter((f) => !f.includes('/errors/'));
    let compiled = 0;
    for (const f of files) {
      const r = loadModel(f);
      if (!r.extracted) continue;
      const m = r.extracted.model;
      const opts = { kernel: 'v7.0', kswapdRuns: 1, irqFires: 1, directReclaim: true };
      const ts = compileSystem(m, opts, () => [{ kind: 'deadlock', rule: 'd', check: 'd' }]);
      expect(compileSystem(m, opts, () => [{ kind: 'deadlock', rule: 'd', check: 'd' }]).hash, f).toBe(ts.hash);
      const ev = prepare(ts);
      let seed = 12345;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8);
      for (let walk = 0; walk < 20; walk++) {
        let s = ev.initial();
        for (let i = 0; i <= ts.completenessBound; i++) {
          for (const v of ts.vars) if (s[v.id]! > v.max) throw new Error(`${f}: ${v.name}=${s[v.id]} > ${v.max}`);
          const en = ev.enabledTransitions(s);
          if (en.length === 0) break;
          s = ev.successor(s, en[rnd() % en.length]!);
          if (i === ts.completenessBound) throw new Error(`${f}: a run is longer than the completeness bound ${ts.completenessBound}`);
        }
      }
      compiled++;
    }
    expect(compiled).toBeGreaterThan(0);
  });
});
