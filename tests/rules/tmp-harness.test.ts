import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { extractModel } from '../../model/frontend/index.js';
import { buildLockGraph } from '../../checker/engines/lockgraph/index.js';
import { compileSystem } from '../../checker/semantics/compile.js';
import { compileProperties } from '../../checker/semantics/properties.js';
import { exploreExplicit } from '../../checker/engines/explicit/explore.js';
import { ALL_RULES, applyModelOptions, resolveSelection } from '../../rules/index.js';
import { RULES_B } from '../../rules/families/b.js';

it('harness', () => {
  const only = process.env.FX;
  const lines: string[] = [];
  for (const r of RULES_B) {
    const dir = join('fixtures/rules', r.meta.id);
    for (const f of readdirSync(dir).sort()) {
      const file = join(dir, f);
      if (only && !file.includes(only)) continue;
      const text = readFileSync(file, 'utf8');
      const ex = extractModel({ file, text });
      if (!ex.extracted) {
        lines.push(`${file}: EXTRACT ${ex.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`).join(' | ')}`);
        continue;
      }
      const model = ex.extracted.model;
      const sel = resolveSelection({ preset: 'all' });
      const opts = applyModelOptions(sel.options, model.header.ruleOptions, ALL_RULES).options;
      const graph = buildLockGraph(model, { kernel: 'v7.0' });
      let violated: string[] = [];
      try {
        const ts = compileSystem(model, { kernel: 'v7.0', kswapdRuns: 1, irqFires: 1, directReclaim: true }, (ctx) =>
          compileProperties(ctx, sel.rules, graph, opts, 'v7.0'),
        );
        const res = exploreExplicit(ts, { timeoutMs: 20000, maxMemoryMb: 1024, reduction: 'none' });
        violated = [...new Set(ts.properties.flatMap((p, i) => (res.results[i].status === 'violated' ? [`${p.rule}/${p.check}`] : res.results[i].status === 'inconclusive' ? [`${p.rule}/${p.check}?`] : [])))];
      } catch (e) {
        lines.push(`${file}: COMPILE ${(e as Error).message}`);
        continue;
      }
      const cyc = (graph as unknown as { cycles?: { classes?: string[] }[] }).cycles?.length ?? 0;
      const exp = model.header.expect.map((e) => (e.kind === 'holds' ? `holds ${e.rules === 'all' ? 'all' : e.rules.join(',')}` : e.kind === 'violates' ? `violates ${e.rule}` : `error ${e.code}`)).join('; ');
      lines.push(`${f.padEnd(40)} [${exp}] => ${violated.join(', ') || 'none'}${cyc ? ` cycles=${cyc}` : ''}`);
    }
  }
  console.log(lines.join('\n'));
}, 300_000);
