/**
 * `lockmc dump --after <pass> <model>` (and its shorthands `dump ir`,
 * `dump system`) and `lockmc replay <model> --schedule`.
 */

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { makeBudget } from '../../model/budget.js';
import { ExitCode, combineExitCodes, diagnosticExitCode } from '../../checker/exit-codes.js';
import type { PassName } from '../../checker/passes/names.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { canonicalJson } from '../render/json.js';
import { diagnosticLines } from '../render/doc.js';
import { linesToText } from '../render/text.js';
import { limitText } from '../render/words.js';
import { UsageError, render, renderContext, resolveCheckOptions, resolveFormat, writeRendered } from '../shared.js';
import { loadCheckerModule } from './check.js';

/** `ir` is `--after load`, `system` is `--after compile`, each printed as it always was. */
export type DumpTarget = { shorthand: 'ir' | 'system' | 'smt2' | 'fixpoint' } | { after: PassName };

export async function runDump(target: DumpTarget, model: string, cli: CliOptions, io: CliIo): Promise<number> {
  if (!existsSync(resolve(io.cwd, model))) throw new UsageError(`no such file: ${model}`);
  const pass: PassName = 'after' in target ? target.after : target.shorthand === 'ir' ? 'load' : 'compile';
  const checker = await loadCheckerModule();
  const text = readFileSync(resolve(io.cwd, model), 'utf8');
  // The front end alone needs no options, rules or clock: `dump ir` never read the config.
  const frontEndOnly = pass === 'load';
  const options = frontEndOnly ? checker.DEFAULT_CHECK_OPTIONS : resolveCheckOptions(cli, io.cwd).options;
  const rules = frontEndOnly ? { rules: [], options: {}, orders: [], hash: '' } : checker.resolveRules(options);
  if ('diagnostics' in rules && rules.diagnostics.some((d) => d.severity === 'error')) return printStop(rules.diagnostics, io);
  const budget = makeBudget(frontEndOnly ? Infinity : options.timeoutMs);
  const run = await checker.runPipeline(checker.startRun(model, text, options, rules, budget), { until: pass });
  if (run.kind === 'ended') {
    const errors = run.report.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return printStop(run.report.diagnostics, io);
    // Out of time before the pass: the verdicts name the limit.
    const limit = run.report.verdicts.flatMap((v) => (v.status === 'inconclusive' ? [v.limit] : []))[0];
    io.err(`lockmc: ${model}: stopped before ${pass}${limit ? `: ${limitText(limit)}` : ''}\n`);
    return checker.modelExitCode(run.report);
  }
  const { products } = run.state;
  if ('after' in target) {
    if (cli.format !== undefined && cli.format !== 'json') throw new UsageError(`dump --after prints json, not ${cli.format}`);
    writeRendered(canonicalJson(checker.dumpAfter(pass, products)) + '\n', cli, io);
    return ExitCode.OK;
  }
  if (target.shorthand === 'ir') {
    writeRendered(canonicalJson(checker.dumpAfter('load', products)) + '\n', cli, io);
    return ExitCode.OK;
  }
  if (target.shorthand === 'smt2') {
    const ts = products.compile!.ts;
    writeRendered(await checker.smt2Query(ts, cli.bound !== undefined ? { bound: cli.bound } : {}), cli, io);
    return ExitCode.OK;
  }
  if (target.shorthand === 'fixpoint') {
    const ts = products.compile!.ts;
    if (ts.properties.length === 0) throw new UsageError('dump fixpoint: no property to ask about (no rule applies to this model)');
    writeRendered(await checker.fixpointText(ts), cli, io);
    return ExitCode.OK;
  }
  // JSON unless text was asked for: the JSON form is the system object itself.
  const format = cli.format ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UsageError(`dump system prints json or text, not ${format}`);
  const ts = products.compile!.ts;
  const out = format === 'json' ? checker.dumpSystemJson(ts) : checker.dumpSystemText(ts, products.load!.extracted.model);
  writeRendered(out.replace(/\n?$/, '\n'), cli, io);
  return ExitCode.OK;
}

/** The model (or the rule set) stopped the pipeline: its diagnostics, exit by the errors. */
export function printStop(diagnostics: Parameters<typeof diagnosticLines>[0][], io: CliIo): number {
  io.err(linesToText(diagnostics.flatMap(diagnosticLines)) + '\n');
  return combineExitCodes(diagnostics.filter((x) => x.severity === 'error').map(diagnosticExitCode));
}

export async function runReplay(model: string, token: string, cli: CliOptions, io: CliIo): Promise<number> {
  if (!existsSync(resolve(io.cwd, model))) throw new UsageError(`no such file: ${model}`);
  const checker = await loadCheckerModule();
  const { options } = resolveCheckOptions(cli, io.cwd);
  // The rule files are parsed once: the replay runs with this selection and the renderers show its user rules.
  const rules = checker.resolveRules(options);
  const report = await checker.replay({ file: model, path: resolve(io.cwd, model) }, token, options, undefined, rules);
  writeRendered(render(report, resolveFormat(cli, io), renderContext(io, cli)), cli, io);
  return report.exitCode;
}
