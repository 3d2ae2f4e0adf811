import { it } from 'vitest';
import { withSolver } from '../../../../checker/engines/bmc/solver.js';
import { Unrolling, propertyGoal, goalWithin } from '../../../../checker/engines/bmc/encode.js';
import { ring } from '../../../../bench/bmc-systems.js';
it('probe', async () => {
  await withSolver(async (ctx) => {
    for (const variant of ['plain', 'timeout', 'qfbv', 'plain', 'timeout', 'qfbv', 'plain', 'plain']) {
    const ts = ring(4);
    const u = new Unrolling(ctx, ts, { selector: 'onehot', allowIdle: true, tag: 'p' + Math.random() });
    const cs = [];
    for (let i = 0; i < 16; i++) cs.push(...u.extend());
    const g = goalWithin(u, propertyGoal(ts.properties[0]), 16);
    const s = variant === 'qfbv' ? new ctx.Solver('QF_BV') : new ctx.Solver();
    if (variant === 'timeout') s.set('timeout', 10000);
    s.add(...cs); s.add(g);
    let t0 = Date.now();
    const r = await s.check();
    const a = Date.now() - t0; t0 = Date.now();
    await s.check();
    console.log(variant, r, a, Date.now() - t0);
    }
  });
}, 600000);
