/**
 * `lockmc export <model> --format promela`: the model's transition system,
 * with the properties of the selected rules, for another model checker
 * (checker/export/promela.ts says what the translation keeps).
 */

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeBudget } from '../../model/budget.js';
import { ExitCode } from '../../checker/exit-codes.js';
import type { CliCommand, CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { limitText } from '../render/words.js';
import { UsageError, resolveCheckOptions, writeRendered } from '../shared.js';
import { loadCheckerModule } from './check.js';
import { printStop } from './dump.js';

export async function runExport(command: CliCommand & { kind: 'export' }, cli: CliOptions, io: CliIo): Promise<number> {
  const { model } = command;
  if (!existsSync(resolve(io.cwd, model))) throw new UsageError(`no such file: ${model}`);
  const checker = await loadCheckerModule();
  const text = readFileSync(resolve(io.cwd, model), 'utf8');
  const { options } = resolveCheckOptions(cli, io.cwd);
  const rules = checker.resolveRules(options);
  if ('diagnostics' in rules && rules.diagnostics.some((d) => d.severity === 'error')) return printStop(rules.diagnostics, io);
  const run = await checker.runPipeline(checker.startRun(model, text, options, rules, makeBudget(options.timeoutMs)), { until: 'compile' });
  if (run.kind === 'ended') {
    const errors = run.report.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return printStop(run.report.diagnostics, io);
    const limit = run.report.verdicts.flatMap((v) => (v.status === 'inconclusive' ? [v.limit] : []))[0];
    io.err(`lockmc: ${model}: stopped before the transition system was built${limit ? `: ${limitText(limit)}` : ''}\n`);
    return checker.modelExitCode(run.report);
  }
  const ts = run.state.products.compile!.ts;
  const known = new Set(ts.properties.map((p) => `${p.rule}/${p.check}`));
  const unknown = command.properties.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new UsageError(`--property ${unknown.join(', ')}: not a property of this model's rules (${known.size > 0 ? `it has ${[...known].sort().join(', ')}` : 'it has none'})`);
  }
  const only = command.properties.length > 0 ? new Set(command.properties) : undefined;
  try {
    writeRendered(checker.toPromela(ts, only ? { only: (p) => only.has(`${p.rule}/${p.check}`) } : {}), cli, io);
  } catch (e) {
    if (e instanceof checker.PromelaExportError) throw new UsageError(`${model}: cannot be written as Promela: ${e.message}`, ExitCode.INTERNAL);
    throw e;
  }
  return ExitCode.OK;
}
