/**
 * `lockmc replay <model> --schedule <token>`: rebuild the same transition
 * system (same model, rules, options and lockmc version, or the token is
 * refused), replay the schedule on the reference semantics, and report the
 * violation it ends in exactly as `check` reported it.
 */

import type { CheckOptions } from './options.js';
import type { ModelReport, Verdict } from './report.js';
import { findingFor, prepareModel, type RuleContext } from './check-model.js';
import { decodeSchedule } from './schedule-token.js';
import { replay } from './replay.js';

export async function replaySchedule(file: string, text: string | undefined, token: string, options: CheckOptions, ruleCtx: RuleContext): Promise<ModelReport> {
  const p = prepareModel(file, text, options, ruleCtx);
  if ('report' in p) return p.report;
  const { ts, ev, model, sourceMap, rules, diagnostics, finish } = p.prepared;
  const decoded = decodeSchedule(ts, token);
  if (!Array.isArray(decoded)) {
    diagnostics.push({ code: 'LMC403', severity: 'error', message: decoded.error, file, hint: 'copy the whole token from the replay line of the same lockmc version, model and options' });
    return finish([]);
  }
  const r = replay(ts, decoded, ev);
  if (!r.ok) {
    diagnostics.push({ code: 'LMC404', severity: 'error', message: `the schedule does not replay on this model: ${r.reason}`, file, hint: 'the model changed since the token was printed: run lockmc check again' });
    return finish([]);
  }
  // The violations the schedule ends in: what `check` printed this token for.
  const last = r.violations.filter((v) => v.step === decoded.length || (decoded.length === 0 && v.step === 0));
  const verdicts: Verdict[] = [];
  for (const v of last) {
    const prop = ts.properties[v.property];
    const rule = rules.find((x) => x.meta.id === prop.rule);
    if (!rule) continue;
    const finding = findingFor(ts, ev, model, sourceMap, rule, v.property, decoded);
    const existing = verdicts.find((x) => x.rule === prop.rule);
    if (existing && existing.status === 'violated') existing.findings.push(finding);
    else verdicts.push({ status: 'violated', rule: prop.rule, engine: 'explicit', findings: [finding] });
  }
  if (verdicts.length === 0) {
    diagnostics.push({ code: 'LMC404', severity: 'error', message: 'the schedule replays but ends in no violation', file, hint: 'the model or the rule set changed since the token was printed: run lockmc check again' });
  }
  return finish(verdicts, { engine: ['replay'] });
}
