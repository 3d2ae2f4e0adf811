/**
 * `lockmc rules diff <base> [<head>]`: check the corpus under the rule set
 * of each side and report what changed per model × rule
 * (checker/gate/diff.ts). A side is a git revision, exported to a
 * temporary directory (checker/gate/revision.ts), a directory of rule
 * files, or the working tree. At a revision, everything is read as it was
 * there: the config, the --rules files and the models (fixtures/ plus
 * --model paths), so base models meet base rules and head models head rules.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { diffRuns, type SideRun } from '../../checker/gate/diff.js';
import { openSide, type OpenedSide } from '../../checker/gate/revision.js';
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostics.js';
import type { CliOptions, GateFormat } from '../args.js';
import { findConfigFile } from '../config.js';
import { collectModels, readRegularFile } from '../files.js';
import type { CliIo } from '../io.js';
import { renderDiffJson, renderDiffMarkdown, renderDiffSarif, renderDiffText } from '../render/gate-diff.js';
import { resolveCheckOptions, writeRendered } from '../shared.js';
import type { CacheSettings } from '../../checker/cache/index.js';
import { loadCheckerModule } from './check.js';

type Opened = Extract<OpenedSide, { ok: true }>;

export interface DiffRequest {
  base: string;
  head?: string;
  models: string[];
  format?: GateFormat;
}

/** The config file's place relative to the current directory, to find it again at each side. */
function configRelative(cli: CliOptions, cwd: string): string | undefined {
  const abs = cli.config !== undefined ? resolve(cwd, cli.config) : findConfigFile(cwd);
  return abs === undefined ? undefined : relative(cwd, abs);
}

/** The models of one side: its fixtures/ and the --model paths that exist there, keyed by path relative to the side. */
function corpusOf(side: Opened, models: string[]): Map<string, string> {
  const given = [join(side.root, 'fixtures'), ...models.map((m) => resolve(side.root, m))].filter((p) => existsSync(p));
  const texts = new Map<string, string>();
  if (given.length === 0) return texts;
  const c = collectModels(given, side.root);
  if ('missing' in c) return texts;
  for (const f of c.files) {
    const text = readRegularFile(isAbsolute(f) ? f : join(side.root, f));
    if (text !== undefined) texts.set(f, text);
  }
  return texts;
}

async function runSide(side: Opened, req: DiffRequest, cli: CliOptions, configRel: string | undefined, cache: CacheSettings | undefined): Promise<SideRun> {
  const atSide = (p: string) => resolve(side.root, p);
  const sideCli: CliOptions = {
    ...cli,
    // A rule file added or removed by the change is simply not part of the other side's rule set.
    rules: side.kind === 'git' ? cli.rules.filter((f) => existsSync(atSide(f))) : cli.rules,
    ...(configRel !== undefined && existsSync(atSide(configRel)) ? { config: atSide(configRel) } : {}),
  };
  if (configRel !== undefined && !existsSync(atSide(configRel))) delete sideCli.config;
  const { options, config } = resolveCheckOptions(sideCli, side.root);
  if (side.ruleFiles !== undefined) options.rules = { ...options.rules, files: side.ruleFiles };
  // The config at this side may name more models (`models`), already resolved inside the side's tree.
  const texts = corpusOf(side, [...req.models, ...(config.models ?? [])]);
  const checker = await loadCheckerModule();
  // Both sides share the user's result cache: a model × rule set seen before (the base, usually) is not checked again.
  const report = await checker.check(
    [...texts].map(([file, text]) => ({ file, text })),
    options,
    undefined,
    cache ? { cache } : {},
  );
  report.diagnostics.unshift(...config.diagnostics);
  // A file of an exported revision is named as `<rev>:<path>`, not by its temporary directory.
  if (side.kind === 'git') {
    report.diagnostics = report.diagnostics.map((d) => (d.file !== undefined && d.file.startsWith(side.root) ? { ...d, file: `${side.label}:${relative(side.root, d.file)}` } : d));
  }
  const ruleFiles = (options.rules.files ?? []).map((f) => relative(side.root, f) || f);
  return { side: { label: side.label, kind: side.kind, ...(side.commit ? { commit: side.commit } : {}), ruleFiles }, report, texts };
}

function renderDiff(d: ReturnType<typeof diffRuns>, format: GateFormat, version: string): string {
  switch (format) {
    case 'text':
      return renderDiffText(d);
    case 'json':
      return renderDiffJson(d);
    case 'markdown':
      return renderDiffMarkdown(d);
    case 'sarif':
      return renderDiffSarif(d, version);
  }
}

export async function runRulesDiff(req: DiffRequest, cli: CliOptions, io: CliIo, version: string): Promise<number> {
  const opened: Opened[] = [];
  // A second Ctrl-C exits at once (cli/main.ts): the exported revisions go with the process, not after it.
  const disposeAll = () => {
    for (const s of opened.splice(0)) s.dispose();
  };
  process.on('exit', disposeAll);
  try {
    const sides: OpenedSide[] = [openSide(req.base, io.cwd), openSide(req.head, io.cwd)];
    const bad: Diagnostic[] = [];
    for (const s of sides) {
      if (s.ok) opened.push(s);
      else bad.push(s.diagnostic);
    }
    if (bad.length > 0) {
      for (const d of bad) io.err(`${formatDiagnostic(d)}\n`);
      return 2;
    }
    const configRel = configRelative(cli, io.cwd);
    // The cache of the user's tree (LOCKMC_CACHE_DIR, LOCKMC_NO_CACHE, else node_modules/.cache/lockmc), not of an exported revision.
    const { cache } = resolveCheckOptions(cli, io.cwd);
    const base = await runSide(opened[0], req, cli, configRel, cache);
    const head = await runSide(opened[1], req, cli, configRel, cache);
    const diff = diffRuns(base, head);
    writeRendered(renderDiff(diff, req.format ?? 'text', version), cli, io);
    return diff.exitCode;
  } finally {
    disposeAll();
    process.off('exit', disposeAll);
  }
}
