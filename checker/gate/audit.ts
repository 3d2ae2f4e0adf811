/**
 * `lockmc rules check`: the audit of a rule set before it gates anything.
 *  (a) consistent: the Z3 self-check (rule-files/consistency.ts) finds no
 *      cycle among the declared and primed orders (LMC310) and no vacuous
 *      condition (LMC311);
 *  (b) not vacuous in practice: every check of every audited rule has a
 *      fixture whose header says it is violated (LMC313) and the rule has
 *      one that says it holds (LMC314);
 *  (c) every fixture gets its declared verdicts from each engine alone
 *      (LMC315).
 */
import type { Diagnostic } from '../../model/diagnostics.js';
import { parseHeader } from '../../model/frontend/header.js';
import { primedEdgesFor } from '../../rules/canonical-order.js';
import type { Rule } from '../../rules/types.js';
import { combineExitCodes, diagnosticExitCode } from '../exit-codes.js';
import type { CheckOptions } from '../options.js';
import type { Report } from '../report.js';
import { checkRuleSetConsistency } from '../rule-files/consistency.js';
import type { OrderDecl } from '../rule-files/types.js';
import { GATE_SCHEMA_VERSION, type EngineAgreement, type RuleCoverage, type RuleSetAudit } from './types.js';

export interface Fixture {
  file: string;
  text: string;
}

export interface AuditInput {
  /** Every selected rule (the self-check is of the whole set). */
  rules: Rule[];
  orders: OrderDecl[];
  /** The rules whose fixtures are audited, with where each is defined. */
  audited: { rule: Rule; source: string }[];
  fixtures: Fixture[];
  options: CheckOptions;
  /** The checker's `check`, run once per engine over the fixtures. */
  check: (inputs: Fixture[], options: CheckOptions) => Promise<Report>;
  /** Diagnostics from before (loading rule files, selection): no self-check or run on a broken rule set. */
  diagnostics: Diagnostic[];
}

const ENGINES: EngineAgreement['engine'][] = ['explicit', 'bmc'];

export async function auditRuleSet(input: AuditInput): Promise<RuleSetAudit> {
  const diagnostics = [...input.diagnostics];
  const coverage = coverageOf(input.audited, input.fixtures);
  const engines: EngineAgreement[] = [];
  if (!diagnostics.some((d) => d.severity === 'error')) {
    const self = await checkRuleSetConsistency(input.rules, primedEdgesFor({ mmuNotifier: true, kms: true }), input.orders, { keepSolver: true });
    if (!self.ok) diagnostics.push(...self.diagnostics);
    diagnostics.push(...coverageDiagnostics(coverage));
    // The engines only run on a rule set that is itself sound: a contradiction would be blamed on the fixtures.
    if (!diagnostics.some((d) => d.severity === 'error' && d.code !== 'LMC313' && d.code !== 'LMC314') && input.fixtures.length > 0) {
      for (const engine of ENGINES) {
        const agreement = await runEngine(input, engine);
        engines.push(agreement.result);
        diagnostics.push(...agreement.diagnostics);
      }
    }
  }
  return {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'rules-check',
    rules: coverage,
    fixtures: input.fixtures.map((f) => f.file),
    engines,
    diagnostics,
    exitCode: combineExitCodes(diagnostics.map(diagnosticExitCode)),
  };
}

/** Which fixtures' headers exercise each check of each audited rule. */
export function coverageOf(audited: AuditInput['audited'], fixtures: Fixture[]): RuleCoverage[] {
  const headers = fixtures.map((f) => ({ file: f.file, expect: parseHeader(f.text, f.file).header.expect }));
  return audited.map(({ rule, source }) => {
    const id = rule.meta.id;
    const holding = headers.filter((h) => h.expect.some((e) => e.kind === 'holds' && (e.rules === 'all' || e.rules.includes(id)))).map((h) => h.file);
    return {
      rule: id,
      source,
      checks: rule.checks.map((c) => ({
        check: c.id,
        violating: headers.filter((h) => h.expect.some((e) => e.kind === 'violates' && e.rule === id && e.check === c.id)).map((h) => h.file),
        holding,
      })),
    };
  });
}

function coverageDiagnostics(coverage: RuleCoverage[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of coverage) {
    for (const c of r.checks) {
      if (c.violating.length === 0) {
        out.push({
          code: 'LMC313',
          severity: 'error',
          message: `rule '${r.rule}' (${r.source}), check '${c.check}': no fixture declares \`@expect violates ${r.rule}/${c.check}\``,
          hint: 'add a minimal model that violates the check, with that header line, to the fixtures',
        });
      }
    }
    if (r.checks.length > 0 && r.checks[0].holding.length === 0) {
      out.push({
        code: 'LMC314',
        severity: 'error',
        message: `rule '${r.rule}' (${r.source}): no fixture declares \`@expect holds ${r.rule}\` (or \`@expect holds all\`)`,
        hint: 'add a minimal model that follows the rule, with that header line, to the fixtures',
      });
    }
  }
  return out;
}

async function runEngine(input: AuditInput, engine: EngineAgreement['engine']): Promise<{ result: EngineAgreement; diagnostics: Diagnostic[] }> {
  const report = await input.check(input.fixtures, { ...input.options, engine });
  const judged = report.models.filter((m) => m.expectation !== undefined);
  const missed = judged.filter((m) => !m.expectation!.met).map((m) => ({ model: m.file, detail: m.expectation!.detail }));
  const diagnostics: Diagnostic[] = missed.map((m) => ({
    code: 'LMC315',
    severity: 'error',
    message: `with --engine ${engine}, ${m.model} does not get its declared verdicts: ${m.detail}`,
    file: m.model,
    hint: `run \`lockmc check --engine ${engine} ${m.model}\` to see the verdicts`,
  }));
  // Run-level diagnostics of the engine run (an internal error) are the audit's too, once.
  const known = new Set(input.diagnostics.map((d) => `${d.code} ${d.message}`));
  diagnostics.push(...report.diagnostics.filter((d) => !known.has(`${d.code} ${d.message}`)));
  for (const m of report.models) {
    if (m.verdicts.some((v) => v.status === 'inconclusive') && !missed.some((x) => x.model === m.file)) {
      diagnostics.push({ code: 'LMC312', severity: 'error', message: `with --engine ${engine}, ${m.file} is inconclusive: a limit was hit, its verdicts were not decided`, file: m.file });
    }
  }
  return { result: { engine, models: judged.length, met: judged.length - missed.length, missed }, diagnostics };
}
