/**
 * The completeness bound of a compiled system (TransitionSystem.completenessBound).
 */

import { SemanticsError, type CompileContext } from './context.js';

/**
 * Longest run: per thread the longest path of its location DAG (synthetic
 * steps included); irqs and kswapd count each of their runs.
 */
export function completenessBound(ctx: CompileContext, idleLoc: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const th of ctx.threads) {
    const locs = ctx.locations[th.id]!;
    const idle = idleLoc.get(th.id);
    // Iterative post-order DFS: a straight-line thread is a path as long
    // as the model, too deep for recursion on the JS stack.
    const memo = new Map<number, number>();
    const onStack = new Set<number>();
    const frames: { pc: number; edge: number; best: number }[] = [{ pc: 0, edge: 0, best: 0 }];
    onStack.add(0);
    let per = 0;
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      const out = locs[f.pc]!.out;
      if (f.edge < out.length) {
        const to = ctx.steps[out[f.edge++]!]!.to;
        if (to === idle) {
          if (f.best < 1) f.best = 1;
          continue;
        }
        const m = memo.get(to);
        if (m !== undefined) {
          if (1 + m > f.best) f.best = 1 + m;
          continue;
        }
        if (onStack.has(to)) {
          throw new SemanticsError('LMC461', `thread ${th.name}: the control graph has a cycle (loops must be unrolled)`);
        }
        onStack.add(to);
        frames.push({ pc: to, edge: 0, best: 0 });
        continue;
      }
      frames.pop();
      onStack.delete(f.pc);
      memo.set(f.pc, f.best);
      const parent = frames[frames.length - 1];
      if (parent) {
        if (1 + f.best > parent.best) parent.best = 1 + f.best;
      } else per = f.best;
    }
    const runs = th.kind === 'irq' || th.kind === 'softirq' ? th.maxFires ?? ctx.options.irqFires : th.kind === 'kswapd' ? ctx.options.kswapdRuns : 1;
    total += per * runs;
    // A `may_hang` engine hangs at most once (a hung engine stays hung): one idle-to-idle step.
    if (locs.some((l) => l.out.some((id) => ctx.steps[id]!.label.synthetic === 'hw-hang'))) total += 1;
  }
  return total;
}
