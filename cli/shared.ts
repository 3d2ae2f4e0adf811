/**
 * What several commands share: turning CLI flags and the config file into
 * CheckOptions, rule metadata and diagnostic help for renderers, and
 * writing a rendered report where the user asked. A report's exit code is
 * checker/exit-codes.ts `runExitCode`; the CLI's own conditions (usage,
 * unwritable output) are `UsageError`s.
 */

import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../checker/options.js';
import { ExitCode } from '../checker/exit-codes.js';
import type { Report } from '../checker/report.js';
import { diagnosticInfo } from '../model/diagnostics.js';
import { loadConfig, loadConfigFile, type ConfigResult } from './config.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';
import { useColor } from './io.js';
import { RENDERERS } from './render/index.js';
import type { Format, RenderContext, RenderOutput, RuleHelp } from './render/types.js';
import { packageRoot } from './files.js';
import { defaultCacheDir } from '../checker/cache/location.js';
import type { CacheSettings } from '../checker/cache/index.js';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';

import { UsageError } from './usage-error.js';
import { normaliseKernelConfig, splitKernelConfig } from '../model/kernel-config.js';
import { findNativeZ3 } from '../checker/engines/bmc/native.js';

export { UsageError };

export interface ResolvedRun {
  options: CheckOptions;
  config: ConfigResult;
  /** The result cache to use; absent with --no-cache or LOCKMC_NO_CACHE=1. */
  cache?: CacheSettings;
}

/** Defaults, then the config file, then the command line. */
export function resolveCheckOptions(cli: CliOptions, cwd: string, env: NodeJS.ProcessEnv = process.env): ResolvedRun {
  let config: ConfigResult;
  if (cli.config !== undefined) {
    const file = resolve(cwd, cli.config);
    // loadConfigFile refuses a FIFO or device before opening it (a read would block).
    config = loadConfigFile(file);
    if (config.unreadable) {
      throw new UsageError(`cannot read config file '${cli.config}'${config.unreadable === 'not a regular file' ? ': not a regular file' : ''}`);
    }
  } else {
    config = loadConfig(cwd);
  }
  const o: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...config.options, rules: { ...config.selection } };
  if (cli.engine !== undefined) o.engine = cli.engine;
  if (cli.bound !== undefined) o.bound = cli.bound;
  if (cli.timeoutSeconds !== undefined) o.timeoutMs = Math.round(cli.timeoutSeconds * 1000);
  if (cli.maxMemoryMb !== undefined) o.maxMemoryMb = Math.round(cli.maxMemoryMb);
  if (cli.z3 !== undefined) o.z3 = cli.z3;
  // Asked for by name, a missing binary is the user's to fix, not a silent fallback.
  if (o.z3 === 'native' && !findNativeZ3(env.PATH)) throw new UsageError('--z3 native: no z3 binary on PATH (install one, e.g. apt-get install z3, or use --z3 wasm)');
  if (cli.kernel !== undefined) o.kernel = cli.kernel;
  if (cli.kernelConfig !== undefined) o.kernelConfig = normaliseKernelConfig(splitKernelConfig(cli.kernelConfig).filter((n) => n !== 'none'));
  // One model per core unless told otherwise; the report does not depend on it (checker/options.ts reportedOptions).
  o.jobs = cli.jobs ?? availableParallelism();
  const sel = { ...o.rules };
  if (cli.preset !== undefined) sel.preset = cli.preset;
  if (cli.enable.length > 0) sel.enable = [...(sel.enable ?? []), ...cli.enable];
  if (cli.disable.length > 0) sel.disable = [...(sel.disable ?? []), ...cli.disable];
  if (cli.rules.length > 0) sel.files = [...(sel.files ?? []), ...cli.rules.map((f) => resolve(cwd, f))];
  if (Object.keys(cli.ruleOptions).length > 0) sel.options = { ...(sel.options ?? {}), ...cli.ruleOptions };
  o.rules = sel;
  return { options: o, config, ...resolveCache(cli, cwd, env) };
}

/** `--cache-dir`, else LOCKMC_CACHE_DIR, else the package's node_modules/.cache/lockmc (checker/cache/location.ts). */
function resolveCache(cli: CliOptions, cwd: string, env: NodeJS.ProcessEnv): { cache?: CacheSettings } {
  if (cli.noCache || /^(1|true|yes)$/i.test(env.LOCKMC_NO_CACHE ?? '')) return {};
  const dir = cli.cacheDir !== undefined ? resolve(cwd, cli.cacheDir) : defaultCacheDir(cwd, env);
  return { cache: { dir, ...(cli.cacheMaxMb !== undefined ? { maxMb: cli.cacheMaxMb } : {}) } };
}

export function renderContext(io: CliIo, cli: CliOptions): RenderContext {
  return {
    diagnosticTitle: (code) => diagnosticInfo(code)?.title,
    // A file is not a terminal, whatever stdout is.
    color: cli.output === undefined && useColor(io, cli.color, cli.forceColor),
    width: io.columns,
    command: 'lockmc',
    ruleHelp: ruleDocs,
    diagnosticHelp: (code) => diagnosticInfo(code)?.explanation,
    ...(cli.verbose ? { verbose: true } : {}),
  };
}

const RULE_DOC_ID = /^[a-z0-9][a-z0-9-]*$/;
const ruleDocCache = new Map<string, RuleHelp | undefined>();

/**
 * docs/rules/<id>.md of the installed package. helpUri is its file: URL:
 * SARIF wants an absolute URI there, lockmc has no public homepage to
 * point at, and the Markdown itself travels in `help.markdown`, which is
 * what code-scanning UIs show. User rules have no page (undefined).
 */
function ruleDocs(id: string): RuleHelp | undefined {
  if (!RULE_DOC_ID.test(id)) return undefined;
  if (ruleDocCache.has(id)) return ruleDocCache.get(id);
  const file = join(packageRoot(), 'docs', 'rules', `${id}.md`);
  let help: RuleHelp | undefined;
  try {
    help = { markdown: readFileSync(file, 'utf8'), uri: pathToFileURL(file).href };
  } catch {
    help = undefined;
  }
  ruleDocCache.set(id, help);
  return help;
}

/**
 * The format asked for, else `pretty` when writing to a terminal or when
 * colour is asked for on stdout (--color, FORCE_COLOR: `text` is never
 * coloured), else `text`.
 */
export function resolveFormat(cli: CliOptions, io: CliIo): Format {
  if (cli.format !== undefined) return cli.format;
  if (cli.output !== undefined) return 'text';
  return io.stdoutIsTTY || useColor(io, cli.color, cli.forceColor) ? 'pretty' : 'text';
}

/**
 * Write a rendered report: stdout, a file, or (several files) a directory.
 * Several files without --output go to stdout as JSON Lines, one document
 * per line, so a pipe still gets every trace.
 */
export function writeRendered(out: RenderOutput, cli: CliOptions, io: CliIo): void {
  if (typeof out === 'string') {
    if (cli.output === undefined) {
      io.out(out);
      return;
    }
    const file = resolve(io.cwd, cli.output);
    try {
      // `-o reports/ci/run.json` in a fresh checkout: make the directories.
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, out);
    } catch (e) {
      throw new UsageError(`cannot write '${cli.output}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    return;
  }
  if (cli.output === undefined) {
    for (const f of out) io.out(JSON.stringify(JSON.parse(f.content)) + '\n');
    return;
  }
  const dir = resolve(io.cwd, cli.output);
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--output '${cli.output}' must be a directory for this format`);
    mkdirSync(dir, { recursive: true });
    for (const f of out) writeFileSync(join(dir, f.name), f.content);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot write into '${cli.output}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (out.length > 0) io.err(`wrote ${out.length} file${out.length === 1 ? '' : 's'} to ${cli.output}\n`);
}

/**
 * `-o` naming one of the inputs would overwrite the model (or rule file)
 * with its own report: refuse it before anything runs. Paths are compared
 * after resolving symlinks, so `./x.model.ts` and a link to it both count.
 */
export function refuseOutputOverInput(cli: CliOptions, inputs: string[], io: CliIo): void {
  if (cli.output === undefined) return;
  const out = canonical(resolve(io.cwd, cli.output));
  for (const input of inputs) {
    if (canonical(resolve(io.cwd, input)) === out) {
      throw new UsageError(`--output '${cli.output}' is an input of this run (${input}); refusing to overwrite it`);
    }
  }
}

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    // Not there yet: the output will be created, it names no input.
    return p;
  }
}

export function render(report: Report, format: Format, ctx: RenderContext): RenderOutput {
  return RENDERERS[format](report, ctx);
}
