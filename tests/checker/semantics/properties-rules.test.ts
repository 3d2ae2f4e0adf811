/**
 * Every built-in rule compiles on every fixture model (no RuleCompileError),
 * and every property's transitions and variables exist. Compilation only:
 * the fixture suite checks the verdicts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractModel } from '../../../model/frontend/index.js';
import { buildLockGraph } from '../../../checker/engines/lockgraph/index.js';
import { compileSystem, DEFAULT_SEMANTIC_OPTIONS } from '../../../checker/semantics/compile.js';
import { compileProperties } from '../../../checker/semantics/properties.js';
import { boolVars } from '../../../checker/semantics/expr.js';
import { ALL_RULES } from '../../../rules/index.js';

function modelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...modelFiles(p));
    else if (f.endsWith('.model.ts')) out.push(p);
  }
  return out;
}

const files = [...modelFiles('fixtures/rules'), ...modelFiles('fixtures/drivers')];

describe('built-in rules compile on every fixture', () => {
  it('has fixtures', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  for (const file of files) {
    it(file, () => {
      const ex = extractModel({ file, text: readFileSync(file, 'utf8') });
      if (!ex.extracted) return; // front-end errors are the error fixtures' business
      const model = ex.extracted.model;
      const kernel = model.header.kernel ?? 'v7.0';
      const graph = buildLockGraph(model, { kernel });
      const ts = compileSystem(model, { ...DEFAULT_SEMANTIC_OPTIONS, kernel }, (ctx) => compileProperties(ctx, ALL_RULES, graph, model.header.ruleOptions, kernel));
      const checks = ALL_RULES.flatMap((r) => r.checks.filter((c) => c.kind !== 'lock-cycle' && c.kind !== 'lock-recursion' && c.kind !== 'lockdep-report').map((c) => `${r.meta.id}/${c.id}`));
      // Every compilable check has at least one property, in rule order.
      expect([...new Set(ts.properties.map((p) => `${p.rule}/${p.check}`))]).toEqual(checks);
      for (const p of ts.properties) {
        const e = p.kind === 'step' ? p.when : p.kind === 'deadlock' ? { k: 'true' as const } : p.bad;
        for (const v of boolVars(e, new Set())) expect(v).toBeLessThan(ts.vars.length);
        if (p.kind === 'step') for (const t of p.transitions) expect(ts.transitions[t].visible).toBe(true);
      }
    });
  }
});
