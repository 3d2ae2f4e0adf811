/**
 * `lockmc lint [paths...]`: the front end and validation only (fast, no
 * engine), plus the rule-definition checks of every `--rules` file.
 */

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { NEWEST_KERNEL } from '../../checker/options.js';
import { REPORT_SCHEMA_VERSION, type ModelReport, type Report } from '../../checker/report.js';
import type { Diagnostic } from '../../model/diagnostics.js';
import type { Expectation } from '../../model/index.js';
import { loadUserRuleFiles } from '../../checker/rule-files/index.js';
import { ALL_RULES, resolveSelection } from '../../rules/index.js';
import { unknownExpectRules } from '../../checker/expect-rules.js';
import { evaluateExpectations } from '../../checker/verdict.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { refuseOutputOverInput, render, renderContext, resolveCheckOptions, resolveFormat, writeRendered } from '../shared.js';
import { runExitCode } from '../../checker/exit-codes.js';
import { loadCheckerModule, modelFiles } from './check.js';
import { displayPath, readRegularFile } from '../files.js';

export async function runLint(paths: string[], cli: CliOptions, io: CliIo, version: string): Promise<number> {
  // Rule files alone (`lockmc lint --rules x.json`) lint just those.
  const files = paths.length === 0 && cli.rules.length > 0 ? [] : modelFiles(paths, io);
  refuseOutputOverInput(cli, [...files, ...cli.rules], io);
  const { options, config } = resolveCheckOptions(cli, io.cwd);
  const user = loadUserRuleFiles(options.rules.files ?? []);
  const selection = resolveSelection({ ...options.rules, files: [] }, user.rules);
  const global = [
    ...config.diagnostics,
    ...user.diagnostics.map((d) => (d.file ? { ...d, file: displayPath(d.file, io.cwd) } : d)),
    ...selection.diagnostics,
  ];
  if (options.rules.files?.length && !global.some((d) => d.severity === 'error')) {
    // The same Z3 self-check `check` runs before any model (LMC310 for a
    // contradictory order): lint must not pass a rule set check refuses.
    const checker = await loadCheckerModule();
    const found = await checker.ruleSetSelfCheck(options);
    global.push(...found.map((d) => (d.file ? { ...d, file: displayPath(d.file, io.cwd) } : d)));
  }
  const models: ModelReport[] = [];
  if (files.length > 0) {
    // Loaded here, not at start-up: `lockmc --help` does not pay for ts-morph.
    const { loadModel } = await import('../../model/index.js');
    const { expectedFromText } = await import('../../checker/passes/load.js');
    for (const file of files) {
      const t0 = Date.now();
      let text: string | undefined;
      text = readRegularFile(resolve(io.cwd, file));
      const r = loadModel(file, text);
      // The rules `check` would know: built in, and every --rules file's.
      const known = [...ALL_RULES, ...user.rules].map((x) => x.meta.id);
      const unknown = r.extracted ? unknownExpectRules(r.extracted.model.header.expect, known, file, text) : [];
      const diagnostics = [...r.diagnostics, ...unknown];
      models.push({
        ...lintExpectation(r.extracted?.model.header.expect ?? r.header?.expect ?? expectedFromText(text, file), diagnostics),
        file,
        hashes: {
          model: r.extracted?.model.sourceHash ?? createHash('sha256').update(text ?? '').digest('hex'),
          rules: createHash('sha256').update(JSON.stringify(options.rules)).digest('hex'),
        },
        kernel: options.kernel ?? r.extracted?.model.header.kernel ?? NEWEST_KERNEL,
        verdicts: [],
        diagnostics,
        stats: { ms: Date.now() - t0, engine: [] },
      });
    }
  }
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'lockmc', version },
    options: { ...options, lintOnly: true },
    rules: [],
    models,
    diagnostics: global,
    exitCode: 0,
  };
  report.exitCode = runExitCode(report);
  writeRendered(render(report, resolveFormat(cli, io), renderContext(io, cli)), cli, io);
  return report.exitCode;
}

/**
 * What lint can judge of a model's `@expect` header: only its `error`
 * lines (lint decides no verdict). A fixture that declares the error the
 * front end gives is as expected, as under `check`; a header that declares
 * only verdicts is left to `check`.
 */
function lintExpectation(expected: Expectation[] | undefined, diagnostics: Diagnostic[]): Pick<ModelReport, 'expected' | 'expectation'> {
  const errors = (expected ?? []).filter((e) => e.kind === 'error');
  if (errors.length === 0) return {};
  return { expected: errors, expectation: evaluateExpectations(errors, [], diagnostics) };
}
