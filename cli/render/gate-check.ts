/**
 * `lockmc rules check` output: the audit as text or JSON. A pure function
 * of the RuleSetAudit (checker/gate/types.ts).
 */
import { formatDiagnostic } from '../../model/diagnostics.js';
import type { RuleSetAudit } from '../../checker/gate/types.js';
import { canonicalJson } from './json.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function renderAuditText(a: RuleSetAudit): string {
  const checks = a.rules.reduce((n, r) => n + r.checks.length, 0);
  const out = [`lockmc rules check: ${plural(a.rules.length, 'rule')}, ${plural(checks, 'check')}, ${plural(a.fixtures.length, 'fixture')}`, ''];
  out.push('coverage (fixtures that violate / hold):');
  for (const r of a.rules) {
    out.push(`  ${r.rule} (${r.source})`);
    for (const c of r.checks) out.push(`    ${c.check}: ${c.violating.length} violate, ${c.holding.length} hold`);
  }
  if (a.engines.length > 0) {
    out.push('', 'engines (each alone, against the fixtures\' headers):');
    for (const e of a.engines) {
      out.push(`  ${e.engine}: ${e.met}/${e.models} met`);
      for (const m of e.missed) out.push(`    ${m.model}: ${m.detail}`);
    }
  }
  if (a.diagnostics.length > 0) {
    out.push('', 'diagnostics:');
    for (const d of a.diagnostics) out.push(...formatDiagnostic(d).split('\n').map((l) => `  ${l}`));
  }
  out.push('', `result: ${a.exitCode === 0 ? 'the rule set passes' : 'the rule set does not pass'}; exit ${a.exitCode}`);
  return out.join('\n') + '\n';
}

export function renderAuditJson(a: RuleSetAudit): string {
  return canonicalJson(a) + '\n';
}
