/** Shared helpers for the properties tests: front-end models, a fake lock graph, an exhaustive search. */
import { extractModel } from '../../../model/frontend/index.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../../checker/semantics/compile.js';
import { compileProperties } from '../../../checker/semantics/properties.js';
import { prepare } from '../../../checker/semantics/eval.js';
import type { CompileContext } from '../../../checker/semantics/context.js';
import type { SemanticOptions, TransitionSystem } from '../../../checker/semantics/system.js';
import type { LockGraph } from '../../../checker/engines/lockgraph/types.js';
import type { Check, LockPattern, Rule } from '../../../rules/types.js';
import type { DriverModel } from '../../../model/ir.js';

export function fakeGraph(sets: Partial<Record<'below' | 'above' | 'across' | 'takenIn', string[]>> = {}): LockGraph {
  return {
    classes: [],
    edges: [],
    cycles: [],
    recursions: [],
    classesAtOrBelow: () => new Set(sets.below ?? []),
    classesAtOrAbove: () => new Set(sets.above ?? []),
    classesHeldAcross: () => new Set(sets.across ?? []),
    classesTakenIn: () => new Set(sets.takenIn ?? []),
    patternMatchesClass: (p: LockPattern, cls: string) => p.kind === 'class' && p.name === cls,
  };
}

export function rule(id: string, checks: Check[], options?: Rule['meta']['options']): Rule {
  return {
    meta: {
      id,
      family: 'order',
      severity: 'error',
      summary: 's',
      rationale: 'r',
      covers: [],
      citations: [],
      messages: Object.fromEntries(checks.map((c) => [c.id, c.id])),
      ...(options ? { options } : {}),
    },
    checks,
  };
}

export function parse(body: string, header = ''): DriverModel {
  const text = `/**\n * test model\n${header}\n */\nimport type {} from 'lockmc/kernel';\n${body}\n`;
  const ex = extractModel({ file: 't.model.ts', text });
  if (!ex.extracted) throw new Error(ex.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`).join('\n'));
  return ex.extracted.model;
}

export interface Built {
  ts: TransitionSystem;
  ctx: CompileContext;
  model: DriverModel;
}

export function build(
  model: DriverModel,
  rules: Rule[],
  opts: { graph?: LockGraph; ruleOptions?: Record<string, string>; kernel?: string; semantics?: Partial<SemanticOptions> } = {},
): Built {
  let ctx!: CompileContext;
  const kernel = opts.kernel ?? 'v7.0';
  const ts = compileSystem(model, { ...DEFAULT_SEMANTIC_OPTIONS, kernel, ...opts.semantics }, (c) => {
    ctx = c;
    return compileProperties(c, rules, opts.graph ?? fakeGraph(), opts.ruleOptions ?? {}, kernel);
  });
  return { ts, ctx, model };
}

/** Exhaustive search (no reduction): `rule/check` of every violated property. */
export function violated(ts: TransitionSystem): string[] {
  const ev = prepare(ts);
  const seen = new Set<string>();
  const out = new Set<string>();
  const name = (i: number) => `${ts.properties[i].rule}/${ts.properties[i].check}`;
  const init = ev.initial();
  const stack = [init];
  seen.add(init.join(','));
  while (stack.length) {
    const s = stack.pop()!;
    for (const i of ev.checkState(s)) out.add(name(i));
    for (const t of ev.enabledTransitions(s)) {
      for (const i of ev.checkStep(s, t)) out.add(name(i));
      const n = ev.successor(s, t);
      const k = n.join(',');
      if (!seen.has(k)) {
        seen.add(k);
        stack.push(n);
      }
    }
  }
  return [...out].sort();
}

/** Transition ids of `thread` executing op node `node` of its own proc (no callback frames). */
export function at(b: Built, threadName: string, api: string, nth = 0): number[] {
  const th = b.ctx.threads.find((t) => t.name === threadName)!;
  const hits = b.ctx.steps.filter((s) => s.thread === th.id && s.op?.api === api && s.frames.length === (th.kind === 'work' ? 1 : 0));
  const nodes = [...new Set(hits.map((s) => s.label.node))].sort((x, y) => x - y);
  return hits.filter((s) => s.label.node === nodes[nth]).map((s) => s.id);
}
