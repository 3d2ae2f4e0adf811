/** `lockmc dump ir|system <model>` and `lockmc replay <model> --schedule`. */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, combineExitCodes, diagnosticExitCode } from '../../checker/exit-codes.js';
import type { CliOptions } from '../args.js';
import { loadChecker, loadFrontEnd, loadSystemDumper } from '../backend.js';
import type { CliIo } from '../io.js';
import { canonicalJson } from '../render/json.js';
import { diagnosticLines } from '../render/doc.js';
import { linesToText } from '../render/text.js';
import { UsageError, render, renderContext, resolveCheckOptions, resolveFormat, writeRendered } from '../shared.js';
import { existsSync } from 'node:fs';

export async function runDump(what: 'ir' | 'system', model: string, cli: CliOptions, io: CliIo): Promise<number> {
  if (!existsSync(resolve(io.cwd, model))) throw new UsageError(`no such file: ${model}`);
  const load = await loadFrontEnd();
  if (!load) throw new UsageError('dump is not available in this build: the front end (model/index.ts) is missing');
  const text = readFileSync(resolve(io.cwd, model), 'utf8');
  const r = await load(model, text);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !r.extracted) {
    io.err(linesToText(r.diagnostics.flatMap(diagnosticLines)) + '\n');
    return combineExitCodes(errors.map(diagnosticExitCode));
  }
  if (what === 'ir') {
    writeRendered(canonicalJson({ model: r.extracted.model, sourceMap: r.extracted.sourceMap }) + '\n', cli, io);
    return ExitCode.OK;
  }
  const dump = await loadSystemDumper();
  if (!dump) throw new UsageError('dump system is not available in this build: checker/semantics/dump.ts or checker/check-model.ts is missing');
  const { options } = resolveCheckOptions(cli, io.cwd);
  const d = await dump(model, text, options);
  if (!d.ok) {
    io.err(linesToText(d.diagnostics.flatMap(diagnosticLines)) + '\n');
    return combineExitCodes(d.diagnostics.filter((x) => x.severity === 'error').map(diagnosticExitCode));
  }
  // JSON unless text was asked for: the JSON form is the system object itself.
  const format = cli.format ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UsageError(`dump system prints json or text, not ${format}`);
  writeRendered((format === 'json' ? d.json : d.text).replace(/\n?$/, '\n'), cli, io);
  return ExitCode.OK;
}

export async function runReplay(model: string, token: string, cli: CliOptions, io: CliIo): Promise<number> {
  if (!existsSync(resolve(io.cwd, model))) throw new UsageError(`no such file: ${model}`);
  const checker = await loadChecker();
  if (!checker) throw new UsageError('replay is not available in this build: the checking pipeline (checker/index.ts) is missing');
  const { options } = resolveCheckOptions(cli, io.cwd);
  const report = await checker.replay(model, token, options);
  writeRendered(render(report, resolveFormat(cli, io), renderContext(io, cli)), cli, io);
  return report.exitCode;
}
