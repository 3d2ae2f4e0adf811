/**
 * `lockmc check [paths...]`: the main job. No path means every
 * `*.model.ts` under the current directory (cli/files.ts), each compared
 * with its `@expect` header: in this repository its fixtures, in a user's
 * project the user's models.
 */

import { resolve } from 'node:path';
import { reportedOptions, type CheckOptions, type Progress } from '../../checker/options.js';
import type { Rule } from '../../rules/types.js';
import type { ModelFile, ModelInput } from '../../checker/model-input.js';
import { REPORT_SCHEMA_VERSION, ruleMetaOf, type RuleInfo, type Diagnostic, type ModelReport, type Report } from '../../checker/report.js';
import type { CliOptions } from '../args.js';
import { lastCostMs, type CacheSettings } from '../../checker/cache/index.js';
import { cutReport, settleOrCut } from '../interrupt.js';
import { collectModels } from '../files.js';
import type { CliIo } from '../io.js';
import { progressLine } from '../progress.js';
import { ExitCode, runExitCode } from '../../checker/exit-codes.js';
import { shardFiles } from '../../checker/parallel/shard.js';
import { UsageError, refuseOutputOverInput, render, renderContext, resolveCheckOptions, resolveFormat, writeRendered } from '../shared.js';

export function modelFiles(paths: string[], io: CliIo): string[] {
  // The walk skips node_modules and dot-directories: an installed lockmc's own fixtures are not the user's models.
  const given = paths.length > 0 ? paths : ['.'];
  const c = collectModels(given, io.cwd);
  if ('missing' in c) throw new UsageError(`no such file or directory: ${c.missing}`);
  if (c.files.length === 0) {
    const where = paths.length > 0 ? given.join(', ') : 'the current directory (node_modules and dot-directories skipped)';
    throw new UsageError(`no *.model.ts files under ${where}`);
  }
  return c.files;
}

type Checker = typeof import('../../checker/index.js');

/** What the CLI reads of checker/index.ts `resolveRules` (a test's fake may give less). */
export interface RuleSelection {
  rules: { meta: { id: string } }[];
  hash: string;
  /** The user rule files' rules, parsed once by the checker's rule resolution. */
  userRules?: Rule[];
}

/**
 * What the commands need of checker/index.ts; tests pass a fake. A fake
 * without `resolveRules` runs with no user rules.
 */
export interface CheckerApi {
  check(
    inputs: ModelInput[],
    options: CheckOptions,
    onProgress?: (p: Progress) => void,
    control?: { signal?: AbortSignal; onModel?: (m: ModelReport) => void; rules?: RuleSelection; cache?: CacheSettings },
  ): Promise<Report>;
  replay?(file: ModelFile, token: string, options: CheckOptions): Promise<Report>;
  resolveRules?(options: CheckOptions): RuleSelection;
  killBmcChildren?(): void;
}

/** Seams for tests: the checker, else checker/index.ts. */
export interface CheckDeps {
  checker?: CheckerApi;
}

/**
 * checker/index.ts, loaded when a command runs rather than at start-up:
 * `lockmc --help` and `lockmc rules` do not pay for ts-morph and Z3.
 */
export function loadCheckerModule(): Promise<Checker> {
  return import('../../checker/index.js');
}

/**
 * `--shard i/n`: this runner's part of the corpus (checker/parallel/shard.ts),
 * and what its report records. Balanced by each model's cost as the result
 * cache last measured it (`lastCostMs`); every runner must restore the same
 * cache to compute the same split (docs/distributed.md).
 */
function shardOf(corpus: string[], cli: CliOptions, cache: CacheSettings | undefined): { files: string[]; shard?: Report['shard'] } {
  if (cli.shard === undefined) return { files: corpus };
  const cost = cache ? (file: string) => lastCostMs(cache.dir, file) : undefined;
  return { files: shardFiles(corpus, cli.shard, cost), shard: { ...cli.shard, files: corpus.length } };
}

export async function runCheck(paths: string[], cli: CliOptions, io: CliIo, version: string, deps: CheckDeps = {}): Promise<number> {
  const { options, config, cache } = resolveCheckOptions(cli, io.cwd);
  const { files, shard } = shardOf(modelFiles(paths, io), cli, cache);
  const withShard = (r: Report): Report => (shard ? { ...r, shard } : r);
  refuseOutputOverInput(cli, [...files, ...cli.rules], io);
  const format = resolveFormat(cli, io);
  const checker: CheckerApi = deps.checker ?? (await loadCheckerModule());
  // The rule files are parsed here, once: the checker runs with this selection (the report carries its rules' metadata).
  const rules = checker.resolveRules?.(options);
  const ctx = renderContext(io, cli);
  if (config.diagnostics.length > 0) {
    const report = withShard(emptyReport(version, options, config.diagnostics));
    writeRendered(render(report, format, ctx), cli, io);
    return report.exitCode;
  }
  const report = withShard(await checkInterruptibly(checker, rules, files, options, cli, io, version, cache));
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
async function checkInterruptibly(
  checker: CheckerApi,
  rules: RuleSelection | undefined,
  files: string[],
  options: CheckOptions,
  cli: CliOptions,
  io: CliIo,
  version: string,
  cache?: CacheSettings,
): Promise<Report> {
  const interrupts = io.interrupts;
  const done: ModelReport[] = [];
  let current: string | undefined;
  const progress = progressLine(io, cli.quiet, { engine: options.engine, ...(options.bound !== undefined ? { bound: options.bound } : {}) });
  if (interrupts) {
    interrupts.handled = true;
    interrupts.killChildren = checker.killBmcChildren;
  }
  try {
    const run = checker.check(
      // Read where the user meant: relative to io.cwd, which an in-process caller may set apart from the process's.
      files.map((file) => ({ file, path: resolve(io.cwd, file) })),
      options,
      (p) => {
        current = p.current;
        progress.update(p);
      },
      { ...(interrupts ? { signal: interrupts.signal } : {}), onModel: (m) => {
          done.push(m);
          progress.model(m);
        }, ...(rules ? { rules } : {}), ...(cache ? { cache } : {}) },
    );
    const settled = await settleOrCut(run, interrupts?.signal);
    if (settled.kind === 'checked') {
      // The one run→exit function (checker/exit-codes.ts), whichever checker produced the report.
      return { ...settled.report, exitCode: runExitCode(settled.report) };
    }
    // `check` is stuck past the grace period: end its children ourselves.
    (interrupts?.killChildren ?? checker.killBmcChildren)?.();
    return cutReport({
      version,
      options,
      signal: settled.signal,
      done,
      // The last progress names the model in hand, unless it already reported.
      current: current !== undefined && !done.some((m) => m.file === current) ? current : files[done.length],
      ruleIds: rules?.rules.map((r) => r.meta.id) ?? [],
      // The cut report carries the rules' metadata too (a test's fake checker may give only ids).
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
    options: reportedOptions(options),
    rules: [],
    models: [],
    diagnostics,
    exitCode: ExitCode.OK,
  };
  return { ...r, exitCode: runExitCode(r) };
}
