/**
 * The command line as data. `parseArgs` is a pure function of argv: it
 * never prints, never exits and never touches the file system, so the
 * whole option table is tested without spawning a process. commander does
 * the parsing; every way it would print or exit is intercepted.
 */

import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_CODE_DOC, EXIT_CODE_PRECEDENCE, ExitCode } from '../checker/exit-codes.js';
import { KERNEL_CONFIGS, KERNEL_VERSIONS, type EngineChoice } from '../checker/options.js';
import { PASS_NAMES, type PassName } from '../checker/passes/names.js';
import { FORMATS, type Format } from './render/types.js';
import { parseShard, type ShardSpec } from '../checker/parallel/shard.js';

export interface CliOptions {
  /** Absent: `pretty` on a TTY, `text` otherwise (decided by the caller). */
  format?: Format;
  output?: string;
  engine?: EngineChoice;
  bound?: number;
  timeoutSeconds?: number;
  maxMemoryMb?: number;
  /** `--z3 wasm|native`: which Z3 answers the fixed-point pass. */
  z3?: 'wasm' | 'native';
  kernel?: string;
  /** `--kernel-config a,b` (repeatable); `none` for an explicitly empty set. Validated by the checker (LMC329). */
  kernelConfig?: string[];
  preset?: string;
  enable: string[];
  disable: string[];
  rules: string[];
  ruleOptions: Record<string, string>;
  config?: string;
  /** False with --no-color (NO_COLOR is applied by the caller). */
  color: boolean;
  quiet: boolean;
  /** `--jobs N`: models checked at once (default: the number of cores, applied by the caller). */
  jobs?: number;
  /** `--shard i/n`: check only shard i of n of the corpus. */
  shard?: ShardSpec;
  /** --cache-dir: where the result cache lives (default: docs/cache.md). */
  cacheDir?: string;
  /** --no-cache: check every model, read and write no cache. */
  noCache?: boolean;
  /** --cache-max-mb: the cache's size bound. */
  cacheMaxMb?: number;
  /** `--color`: colour even when stdout is not a terminal (as FORCE_COLOR does); --no-color wins. */
  forceColor?: boolean;
  /** --verbose: every model's full report and every verdict, not only the unexpected ones. */
  verbose?: boolean;
}

export type CliCommand =
  | { kind: 'check'; paths: string[] }
  | { kind: 'lint'; paths: string[] }
  | { kind: 'dump'; what: 'ir' | 'system' | 'smt2' | 'fixpoint'; model: string }
  | { kind: 'dump-after'; pass: PassName; model: string }
  | { kind: 'explain'; id: string }
  | { kind: 'rules' }
  | { kind: 'replay'; model: string; schedule: string }
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'rules-check'; paths: string[]; format?: GateFormat }
  | { kind: 'rules-diff'; base: string; head?: string; models: string[]; format?: GateFormat }
  | { kind: 'merge'; reports: string[] }
  | { kind: 'export'; model: string; to: ExportFormat; properties: string[] }
  | { kind: 'init'; dir?: string };

/** What `lockmc export` writes. */
export const EXPORT_FORMATS = ['promela'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Formats of `rules check` (text, json) and `rules diff` (also markdown, sarif). */
export const GATE_FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
export type GateFormat = (typeof GATE_FORMATS)[number];

export type ParseResult =
  | { command: CliCommand; options: CliOptions }
  /** Exit code 2 (usage) unless stated: an unusable --bound is 6. */
  | { usageError: string; exitCode: number; help?: string };

export function defaultCliOptions(): CliOptions {
  return { enable: [], disable: [], rules: [], ruleOptions: {}, color: true, quiet: false };
}

export function exitCodeTable(): string {
  const w = Math.max(...EXIT_CODE_DOC.map((e) => String(e.code).length));
  return [
    'Exit codes:',
    ...EXIT_CODE_DOC.map((e) => `  ${String(e.code).padStart(w)}  ${e.meaning}`),
    '',
    ...EXIT_CODE_PRECEDENCE.map((p) => `  ${p}`),
  ].join('\n');
}

function intArg(what: string): (v: string) => number {
  return (v) => {
    if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${what} must be an integer.`);
    return Number(v);
  };
}

function positiveInteger(what: string): (v: string) => number {
  return (v) => {
    if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw new InvalidArgumentError(`${what} must be a positive integer.`);
    return Number(v);
  };
}

function positiveNumber(what: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a positive number.`);
    return n;
  };
}

function shardArg(v: string): ShardSpec {
  const s = parseShard(v);
  if ('error' in s) throw new InvalidArgumentError(s.error);
  return s;
}

/** `--kernel-config`: names as typed; the checker judges them (LMC329), so an API client gets the same diagnostic. */
function collectConfigNames(v: string, prev: string[] | undefined): string[] {
  const items = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected one or more kernel config names, or none.');
  return [...(prev ?? []), ...items];
}

function collectList(v: string, prev: string[] | undefined): string[] {
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected one or more rule ids.');
  return [...(prev ?? []), ...items];
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

function collectKv(v: string, prev: Record<string, string> | undefined): Record<string, string> {
  const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('expected key=value, e.g. revoke.pfn-export=locked.');
  return { ...(prev ?? {}), [m[1]]: m[2] };
}

type OptionSet = 'check' | 'render' | 'lint';

/** The option table. Which command takes which options is explicit. */
function addOptions(cmd: Command, set: OptionSet, checkCommand = false): Command {
  const formats = set === 'lint' ? (['text', 'pretty', 'json', 'sarif', 'junit'] as const) : FORMATS;
  cmd.addOption(new Option('-f, --format <format>', 'output format (default: pretty on a TTY, text otherwise)').choices([...formats]));
  cmd.option('-o, --output <path>', 'write the report to a file (itf: a directory, one file per trace)');
  if (set !== 'lint') {
    cmd.addOption(new Option('--engine <engine>', 'which engine decides').choices(['auto', 'bmc', 'explicit', 'both']));
    cmd.option('--bound <n>', 'BMC bound in steps (default: the completeness bound)', intArg('--bound'));
    cmd.option('--timeout <seconds>', 'wall-clock limit per model (default 60)', positiveNumber('--timeout'));
    cmd.option('--max-memory <MB>', 'memory limit of the explicit engine (default 4096)', positiveNumber('--max-memory'));
    cmd.addOption(new Option('--z3 <build>', 'Z3 for the fixed-point proofs: wasm (default, bundled) or native (a z3 binary on PATH)').choices(['wasm', 'native']));
    cmd.addOption(new Option('--kernel <version>', 'kernel semantics (default: the model\'s @kernel, else newest)').choices([...KERNEL_VERSIONS]));
    cmd.option('--kernel-config <names>', `kernel config switches, comma-separated (${KERNEL_CONFIGS.join(', ')}; none: no switch; default: the model's @kernel-config)`, collectConfigNames);
  }
  cmd.option('--preset <name>', 'rule preset: recommended (default), all, strict, or a family');
  cmd.option('--enable <ids>', 'enable rules (comma-separated, repeatable)', collectList);
  cmd.option('--disable <ids>', 'disable rules (comma-separated, repeatable)', collectList);
  cmd.option('--rules <file.json>', 'extra rule file (repeatable)', collect);
  cmd.option('--rule-option <key=value>', 'pick a position on a debated rule (repeatable)', collectKv);
  cmd.option('--config <file>', 'config file (JSON)');
  cmd.option('--color', 'colour even through a pipe; the default format becomes pretty (also: FORCE_COLOR)');
  cmd.option('--no-color', 'no colour (also: NO_COLOR, FORCE_COLOR=0)');
  cmd.option('-q, --quiet', 'no progress line');
  cmd.option('--verbose', 'text/pretty: every model\'s full report and every verdict (default: the reports of models not as expected, then a summary)');
  // Only `check` runs a corpus: jobs, shards and the result cache (docs/distributed.md, docs/cache.md).
  if (checkCommand) {
    cmd.option('-j, --jobs <n>', 'models checked at once, each in a worker thread (default: the number of cores)', positiveInteger('--jobs'));
    cmd.option('--shard <i/n>', 'check only shard i of n of the corpus (1-based; see docs/distributed.md)', shardArg);
    cmd.option('--cache-dir <dir>', 'result cache directory (default: node_modules/.cache/lockmc; env LOCKMC_CACHE_DIR)');
    cmd.option('--no-cache', 'check every model; neither read nor write the result cache');
    cmd.option('--cache-max-mb <MB>', 'size bound of the result cache, least recently used entries evicted (default 256)', positiveNumber('--cache-max-mb'));
  }
  return cmd;
}

interface RawOpts {
  /** `export --property` (repeatable). */
  property?: string[];
  format?: Format;
  output?: string;
  engine?: EngineChoice;
  bound?: number;
  timeout?: number;
  maxMemory?: number;
  z3?: 'wasm' | 'native';
  kernel?: string;
  kernelConfig?: string[];
  preset?: string;
  enable?: string[];
  disable?: string[];
  rules?: string[];
  ruleOption?: Record<string, string>;
  config?: string;
  color?: boolean;
  quiet?: boolean;
  schedule?: string;
  after?: PassName;
  /** `rules diff --model` (repeatable). */
  model?: string[];
  jobs?: number;
  shard?: ShardSpec;
  cacheDir?: string;
  cache?: boolean;
  cacheMaxMb?: number;
  verbose?: boolean;
}

function toOptions(raw: RawOpts): CliOptions {
  const o = defaultCliOptions();
  if (raw.format !== undefined) o.format = raw.format;
  // `-o -` is stdout, as for most Unix tools.
  if (raw.output !== undefined && raw.output !== '-') o.output = raw.output;
  if (raw.engine !== undefined) o.engine = raw.engine;
  if (raw.bound !== undefined) o.bound = raw.bound;
  if (raw.timeout !== undefined) o.timeoutSeconds = raw.timeout;
  if (raw.maxMemory !== undefined) o.maxMemoryMb = raw.maxMemory;
  if (raw.z3 !== undefined) o.z3 = raw.z3;
  if (raw.kernel !== undefined) o.kernel = raw.kernel;
  if (raw.kernelConfig !== undefined) o.kernelConfig = raw.kernelConfig;
  if (raw.preset !== undefined) o.preset = raw.preset;
  o.enable = raw.enable ?? [];
  o.disable = raw.disable ?? [];
  o.rules = raw.rules ?? [];
  o.ruleOptions = raw.ruleOption ?? {};
  if (raw.config !== undefined) o.config = raw.config;
  o.color = raw.color !== false;
  o.quiet = raw.quiet === true;
  if (raw.jobs !== undefined) o.jobs = raw.jobs;
  if (raw.shard !== undefined) o.shard = raw.shard;
  if (raw.cacheDir !== undefined) o.cacheDir = raw.cacheDir;
  if (raw.cache === false) o.noCache = true;
  if (raw.cacheMaxMb !== undefined) o.cacheMaxMb = raw.cacheMaxMb;
  if (raw.color === true) o.forceColor = true;
  if (raw.verbose === true) o.verbose = true;
  return o;
}

export const VERSION_PLACEHOLDER = '0.0.0';

export function buildProgram(version: string, onCommand: (c: CliCommand, raw: RawOpts) => void, out: { write: (s: string) => void }): Command {
  const program = new Command('lockmc');
  program
    .description('Model checker and rule linter for Linux kernel locking hierarchies (dma-buf, dma_resv, dma_fence, reclaim, mmu notifiers).')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({ writeOut: out.write, writeErr: out.write, outputError: () => {} })
    .showSuggestionAfterError(true)
    // Options after a subcommand are that subcommand's (`rules check --rules f.json` is not `rules --rules`).
    .enablePositionalOptions()
    .addHelpText('after', `\n${exitCodeTable()}\n\nDocs: README.md, docs/cli.md, docs/model-language.md, docs/rules/README.md`);

  addOptions(
    program
      .command('check')
      .description('check models (default: every *.model.ts under the current directory, node_modules and dot-directories skipped; each compared with its @expect header)')
      .argument('[paths...]', '*.model.ts files or directories (searched recursively)'),
    'check',
    true,
  ).action((paths: string[], raw: RawOpts) => onCommand({ kind: 'check', paths }, raw));

  addOptions(
    program
      .command('lint')
      .description('parse and validate models only; lint --rules files')
      .argument('[paths...]', '*.model.ts files or directories'),
    'lint',
  ).action((paths: string[], raw: RawOpts) => onCommand({ kind: 'lint', paths }, raw));

  const dump = program
    .command('dump')
    .description(`print the pipeline's data after a pass as JSON: --after <pass>, one of ${PASS_NAMES.join(', ')}; shorthands: \`ir\` (after load: model + source map), \`system\` (after compile: the transition system; --format text for a listing), \`smt2\` (the Z3 engine's bounded query as SMT-LIB 2, for a native z3; --bound N, default the completeness bound), \`fixpoint\` (the fixed-point pass's Horn clauses as Z3 fixedpoint text: \`z3 file\` answers unsat when every property is proved)`)
    .argument('[what]', 'ir | system | smt2 | fixpoint (or the model, with --after)')
    .argument('[model]', 'a *.model.ts file')
    .addOption(new Option('--after <pass>', 'the pass whose output to print').choices([...PASS_NAMES]));
  addOptions(dump, 'check').action((what: string | undefined, model: string | undefined, raw: RawOpts) => onCommand(dumpCommand(dump, what, model, raw), raw));

  program
    .command('explain')
    .description('explain a diagnostic code (LMCnnn) or a rule (rationale, citations, a minimal violating model)')
    .argument('<id>', 'LMCnnn or a rule id')
    .action((id: string) => onCommand({ kind: 'explain', id }, {}));

  const rules = addOptions(program.command('rules').description('list the rules: id, family, severity, summary; `rules check`, `rules diff`: the CI gate'), 'lint').action(
    (raw: RawOpts) => onCommand({ kind: 'rules' }, raw),
  );
  addGateCommands(rules, onCommand);

  addOptions(
    program
      .command('replay')
      .description('replay a schedule token printed by a report')
      .argument('<model>', 'the *.model.ts file the token came from')
      .requiredOption('--schedule <token>', 'the token from the report\'s replay line'),
    'check',
  ).action((model: string, raw: RawOpts) => onCommand({ kind: 'replay', model, schedule: raw.schedule ?? '' }, raw));

  const exportCmd = addOptions(
    program
      .command('export')
      .description('write the model\'s transition system for another tool: --format promela (for SPIN: spin -a, gcc, ./pan; the verdicts are lockmc\'s)')
      .argument('<model>', 'a *.model.ts file')
      .option('--property <rule/check>', 'export only this property (repeatable; default: every property of the selected rules)', collect),
    'check',
  );
  const exportFormat = exportCmd.options.find((o) => o.long === '--format');
  exportFormat?.choices([...EXPORT_FORMATS]);
  if (exportFormat) exportFormat.description = 'what to write (default: promela)';
  exportCmd.action((model: string, raw: RawOpts) => {
    const { format, property, ...rest } = raw;
    onCommand({ kind: 'export', model, to: (format as ExportFormat | undefined) ?? 'promela', properties: property ?? [] }, rest);
  });

  program
    .command('merge')
    .description('join the JSON reports of the shards of one run (check --shard i/n --format json) into the unsharded report')
    .argument('<reports...>', 'the shard reports, e.g. shard-*.json')
    .addOption(new Option('-f, --format <format>', 'output format (default: pretty on a TTY, text otherwise)').choices([...FORMATS]))
    .option('-o, --output <path>', 'write the report to a file (itf: a directory, one file per trace)')
    .option('--color', 'colour even through a pipe; the default format becomes pretty (also: FORCE_COLOR)')
    .option('--no-color', 'no colour (also: NO_COLOR, FORCE_COLOR=0)')
    .action((reports: string[], raw: RawOpts) => onCommand({ kind: 'merge', reports }, raw));

  program
    .command('init')
    .description('set up a project for writing models: <dir>/tsconfig.json (so `lockmc/kernel` resolves and completes in an editor) and a first model; existing files are kept')
    .argument('[dir]', 'where to write them (default: models)')
    .action((dir: string | undefined) => onCommand({ kind: 'init', ...(dir !== undefined ? { dir } : {}) }, {}));

  return program;
}

/** The check options of a gate command, with its own formats (text, json; diff: markdown, sarif). */
function gateOptions(cmd: Command, formats: readonly GateFormat[]): Command {
  addOptions(cmd, 'check');
  const format = cmd.options.find((o) => o.long === '--format');
  format?.choices([...formats]);
  if (format) format.description = `output format (default: text)`;
  return cmd;
}

/** `rules check [paths...]` and `rules diff <base> [head]`; the format is the command's, not a report format. */
function addGateCommands(rules: Command, onCommand: (c: CliCommand, raw: RawOpts) => void): void {
  gateOptions(
    rules
      .command('check')
      .description('audit the rule set: consistent (Z3), every check has a violating and a holding fixture, every fixture gets its declared verdict from each engine')
      .argument('[paths...]', 'fixtures (*.model.ts files or directories) for the rules of --rules files (default: the bundled fixtures of the built-in rules)'),
    ['text', 'json'],
  ).action((paths: string[], raw: RawOpts) => {
    const { format, ...rest } = raw;
    onCommand({ kind: 'rules-check', paths, ...(format !== undefined ? { format: format as GateFormat } : {}) }, rest);
  });
  gateOptions(
    rules
      .command('diff')
      .description('check the corpus under the rules of two revisions (git revisions or directories of rule files; head: the working tree) and report per model x rule what changed')
      .argument('<base>', 'a git revision (HEAD~1, origin/main) or a directory of rule files')
      .argument('[head]', 'a git revision or a directory of rule files (default: the working tree)')
      .option('--model <path>', 'a model or directory to add to the corpus (besides fixtures/), read at each revision (repeatable)', collect),
    GATE_FORMATS,
  ).action((base: string, head: string | undefined, raw: RawOpts) => {
    const { format, model, ...rest } = raw;
    onCommand({ kind: 'rules-diff', base, ...(head !== undefined ? { head } : {}), models: model ?? [], ...(format !== undefined ? { format: format as GateFormat } : {}) }, rest);
  });
}

/**
 * `dump --after <pass> <model>` or `dump ir|system <model>`. The two
 * positionals are optional for commander so that `--after` can take the
 * first one's place; the errors of the shorthand are commander's own.
 */
function dumpCommand(cmd: Command, what: string | undefined, model: string | undefined, raw: RawOpts): CliCommand {
  const fail = (message: string, code: string): never => cmd.error(`error: ${message}`, { code, exitCode: ExitCode.USAGE });
  if (raw.after !== undefined) {
    if (model !== undefined) fail(`give either ir|system or --after <pass>, not both`, 'commander.excessArguments');
    if (what === undefined) fail(`missing required argument 'model'`, 'commander.missingArgument');
    return { kind: 'dump-after', pass: raw.after, model: what! };
  }
  if (what === undefined) fail(`missing required argument 'what'`, 'commander.missingArgument');
  if (model === undefined) fail(`missing required argument 'model'`, 'commander.missingArgument');
  if (what !== 'ir' && what !== 'system' && what !== 'smt2' && what !== 'fixpoint') fail(`command-argument value '${what}' is invalid for argument 'what'. Allowed choices are ir, system, smt2, fixpoint.`, 'commander.invalidArgument');
  return { kind: 'dump', what: what as 'ir' | 'system' | 'smt2' | 'fixpoint', model: model! };
}

/** Parse argv (without `node` and the script path). Pure. */
export function parseArgs(argv: string[], version = VERSION_PLACEHOLDER): ParseResult {
  let captured = '';
  let result: { command: CliCommand; raw: RawOpts } | undefined;
  const program = buildProgram(version, (command, raw) => (result = { command, raw }), { write: (s) => (captured += s) });
  if (argv.length === 0) {
    return { usageError: 'no command given', exitCode: ExitCode.USAGE, help: program.helpInformation() + `\n${exitCodeTable()}\n` };
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') {
        return { command: { kind: 'help', text: captured }, options: defaultCliOptions() };
      }
      if (e.code === 'commander.version') return { command: { kind: 'version' }, options: defaultCliOptions() };
      return { usageError: e.message.replace(/^error: /, ''), exitCode: ExitCode.USAGE };
    }
    throw e;
  }
  if (!result) return { usageError: 'no command given', exitCode: ExitCode.USAGE };
  const { command, raw } = result;
  const options = toOptions(raw);
  if (options.bound !== undefined && options.bound < 1) {
    return { usageError: `--bound ${options.bound} is unusable: a bound counts steps and must be at least 1`, exitCode: ExitCode.BOUND };
  }
  if (command.kind === 'replay' && command.schedule.trim() === '') {
    return { usageError: '--schedule needs the token printed on the report\'s replay line', exitCode: ExitCode.USAGE };
  }
  if (command.kind === 'explain' && !/^(LMC\d{3}|[a-z0-9][a-z0-9-]*)$/i.test(command.id)) {
    return { usageError: `'${command.id}' is neither a diagnostic code (LMCnnn) nor a rule id`, exitCode: ExitCode.USAGE };
  }
  return { command, options };
}
