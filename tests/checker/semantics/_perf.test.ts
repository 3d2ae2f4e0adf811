import { it } from 'vitest';
import { ModelBuilder, lock, unlock, alloc } from './builder.js';
import { compileSystem } from '../../../checker/semantics/compile.js';
import { prepare } from '../../../checker/semantics/eval.js';
it('perf', () => {
  const b = new ModelBuilder();
  const Ls = Array.from({ length: 6 }, (_, i) => b.mutex(`L${i}`));
  const F = b.inst('dma_fence', 'F');
  b.register('shrinker', b.seq('shrink', 'shrinker', [lock(Ls[0]!, { trylock: true }), { kind: 'fence_wait', api: 'w', fence: F, timeout: 'infinite' }, unlock(Ls[0]!)]));
  for (let t = 0; t < 6; t++) b.thread(`T${t}`, [lock(Ls[t]!), alloc(), lock(Ls[(t + 1) % 6]!), unlock(Ls[(t + 1) % 6]!), unlock(Ls[t]!), { kind: 'fence_signal', api: 's', fence: F, guaranteed: true }]);
  const m = b.build();
  let t0 = performance.now();
  const ts = compileSystem(m, { kernel: 'v7.0', kswapdRuns: 1, irqFires: 1, directReclaim: true }, () => [{ kind: 'deadlock', rule: 'd', check: 'd' }]);
  console.log('compile ms', performance.now() - t0, 'transitions', ts.transitions.length, 'vars', ts.vars.length);
  t0 = performance.now();
  const ev = prepare(ts);
  console.log('prepare ms', performance.now() - t0);
  // BFS
  t0 = performance.now();
  const seen = new Set<string>();
  const q: Uint32Array[] = [ev.initial()];
  seen.add(q[0]!.join(','));
  const buf = new Int32Array(ts.transitions.length);
  const out = new Uint32Array(ev.size);
  let succ = 0;
  while (q.length) {
    const s = q.pop()!;
    const n = ev.enabledInto(s, buf);
    for (let i = 0; i < n; i++) {
      ev.successor(s, buf[i]!, out);
      succ++;
      const k = out.join(',');
      if (!seen.has(k)) { seen.add(k); q.push(out.slice()); }
    }
  }
  console.log('states', seen.size, 'succ', succ, 'ms', performance.now() - t0);
}, 120000);
