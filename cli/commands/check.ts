/**
 * `lockmc check [paths...]`: the main job. No path means the bundled
 * fixtures, each compared with its `@expect` header.
 */

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { NEWEST_KERNEL, type CheckOptions } from '../../checker/options.js';
import { REPORT_SCHEMA_VERSION, ruleMetaOf, type RuleInfo, type Diagnostic, type ModelReport, type Report } from '../../checker/report.js';
import type { CliOptions } from '../args.js';
import { loadBmcKiller, loadChecker, loadFrontEnd, type CheckerApi, type LoadResult } from '../backend.js';
import { cutReport, settleOrCut } from '../interrupt.js';
import { collectModels, displayPath, packageRoot, readRegularFile } from '../files.js';
import type { CliIo } from '../io.js';
import { progressLine } from '../progress.js';
import { ExitCode, runExitCode } from '../../checker/exit-codes.js';
import { UsageError, refuseOutputOverInput, render, renderContext, resolveCheckOptions, resolveFormat, writeRendered } from '../shared.js';

export function modelFiles(paths: string[], io: CliIo): string[] {
  const given = paths.length > 0 ? paths : [displayPath(join(packageRoot(), 'fixtures'), io.cwd)];
  const c = collectModels(given, io.cwd);
  if ('missing' in c) throw new UsageError(`no such file or directory: ${c.missing}`);
  if (c.files.length === 0) throw new UsageError(`no *.model.ts files under ${given.join(', ')}`);
  return c.files;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Without checker/index.ts only the front end can run: parse and
 * validate each model and say so. Nothing here pretends a rule held.
 */
async function parseOnly(files: string[], options: CheckOptions, version: string, io: CliIo, deps: CheckDeps): Promise<Report> {
  const load = deps.loadModel ?? (await loadFrontEnd());
  if (!load) throw new Error('this build has neither checker/index.ts nor model/index.ts; nothing can be checked');
  io.err('note: the checking pipeline is not in this build: lockmc only parsed and validated the models; no rule was checked.\n');
  const models: ModelReport[] = [];
  for (const file of files) {
    const t0 = Date.now();
    let text: string | undefined;
    text = readRegularFile(resolve(io.cwd, file));
    const r = await load(file, text);
    const header = r.extracted?.model.header;
    models.push({
      file,
      hashes: { model: r.extracted?.model.sourceHash ?? sha(text ?? ''), rules: sha(JSON.stringify(options.rules)) },
      kernel: options.kernel ?? header?.kernel ?? NEWEST_KERNEL,
      verdicts: [],
      diagnostics: r.diagnostics,
      ...(header ? { expected: header.expect } : {}),
      stats: { ms: Date.now() - t0, engine: [] },
    });
  }
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'lockmc', version },
    options: { ...options, parseOnly: true },
    rules: [],
    models,
    diagnostics: [],
    exitCode: 0,
  };
  // Expectations cannot be judged without verdicts; only the exit code of the diagnostics counts.
  return { ...report, exitCode: runExitCode(report) };
}

/** Seams for tests; absent members are loaded from the tree. */
export interface CheckDeps {
  checker?: CheckerApi | null;
  loadModel?: (file: string, text?: string) => Promise<LoadResult>;
}

export async function runCheck(paths: string[], cli: CliOptions, io: CliIo, version: string, deps: CheckDeps = {}): Promise<number> {
  const files = modelFiles(paths, io);
  refuseOutputOverInput(cli, [...files, ...cli.rules], io);
  const { options, config } = resolveCheckOptions(cli, io.cwd);
  const format = resolveFormat(cli, io);
  const ctx = renderContext(io, cli);
  if (config.diagnostics.length > 0) {
    const report = emptyReport(version, options, config.diagnostics);
    writeRendered(render(report, format, ctx), cli, io);
    return report.exitCode;
  }
  const checker = deps.checker === undefined ? await loadChecker() : deps.checker;
  let report: Report;
  if (checker) {
    report = await checkInterruptibly(checker, files, options, cli, io, version);
  } else {
    report = await parseOnly(files, options, version, io, deps);
  }
  writeRendered(render(report, format, ctx), cli, io);
  // Past this point a signal has nothing left to save: it exits at once.
  if (io.interrupts) io.interrupts.handled = false;
  return report.exitCode;
}

/**
 * Run `check` so that SIGINT/SIGTERM still yields a report: the models
 * `onModel` delivered are kept, and if `check` has not resolved a second
 * after the signal, the report is built from them (cli/interrupt.ts).
 */
async function checkInterruptibly(checker: CheckerApi, files: string[], options: CheckOptions, cli: CliOptions, io: CliIo, version: string): Promise<Report> {
  const interrupts = io.interrupts;
  const done: ModelReport[] = [];
  let current: string | undefined;
  const progress = progressLine(io, cli.quiet);
  if (interrupts) {
    interrupts.handled = true;
    interrupts.killChildren = await loadBmcKiller();
  }
  try {
    const run = checker.check(
      files.map((file) => ({ file })),
      options,
      (p) => {
        current = p.current;
        progress.update(p);
      },
      { ...(interrupts ? { signal: interrupts.signal } : {}), onModel: (m) => done.push(m) },
    );
    const settled = await settleOrCut(run, interrupts?.signal);
    if (settled.kind === 'checked') {
      // The one run→exit function (checker/exit-codes.ts), whichever checker produced the report.
      return { ...settled.report, exitCode: runExitCode(settled.report) };
    }
    // `check` is stuck past the grace period: end its children ourselves.
    (interrupts?.killChildren ?? (await loadBmcKiller()))?.();
    const rules = checker.resolveRules?.(options);
    return cutReport({
      version,
      options,
      signal: settled.signal,
      done,
      // The last progress names the model in hand, unless it already reported.
      current: current !== undefined && !done.some((m) => m.file === current) ? current : files[done.length],
      ruleIds: rules?.rules.map((r) => r.meta.id) ?? [],
      // h-report: the cut report carries the rules' metadata too (the string-loaded checker's rules are typed loosely in backend.ts).
      rules: ruleMetaOf((rules?.rules ?? []) as { meta: RuleInfo }[]),
      rulesHash: rules?.hash ?? '',
      cwd: io.cwd,
    });
  } finally {
    progress.done();
  }
}

export function emptyReport(version: string, options: CheckOptions, diagnostics: Diagnostic[]): Report {
  const r: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'lockmc', version },
    options: { ...options },
    rules: [],
    models: [],
    diagnostics,
    exitCode: ExitCode.OK,
  };
  return { ...r, exitCode: runExitCode(r) };
}
