#!/usr/bin/env node
/**
 * lockmc's command line. `main` is a function of argv and an Io so tests
 * drive it in-process; the process entry point at the bottom only wires
 * it to the real streams and exit code.
 *
 * Nothing a user types may produce a stack trace: usage errors print one
 * line and exit 2 (or the code they carry); anything unexpected is an
 * internal error, printed as such, exit 70.
 */

import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../checker/exit-codes.js';
import { defaultCacheDir } from '../checker/cache/location.js';
import { installCodeCache } from '../checker/code-cache.js';
import { parseArgs } from './args.js';
import { packageRoot } from './files.js';
import { processIo, type CliIo, type Interrupts } from './io.js';
import { UsageError } from './usage-error.js';

export function lockmcVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const INTERNAL_HINT =
  'This is a bug in lockmc. Please report it with the command line, `lockmc --version` and the model; LOCKMC_DEBUG=1 prints the stack trace.';

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const version = lockmcVersion();
    const parsed = parseArgs(argv, version);
    if ('usageError' in parsed) {
      io.err(`lockmc: ${parsed.usageError}\n`);
      if (parsed.help) io.err(`\n${parsed.help}`);
      else io.err('Try `lockmc --help`.\n');
      return parsed.exitCode;
    }
    const { command, options } = parsed;
    switch (command.kind) {
      case 'help':
        io.out(command.text);
        return ExitCode.OK;
      case 'version':
        io.out(`${version}\n`);
        return ExitCode.OK;
      // Each command's module is loaded when it runs: `--version` and
      // `--help` load no checker, no rules, no Z3 (start-up, #17).
      case 'check':
        return await (await import('./commands/check.js')).runCheck(command.paths, options, io, version);
      case 'lint':
        return await (await import('./commands/lint.js')).runLint(command.paths, options, io, version);
      case 'dump':
        return await (await import('./commands/dump.js')).runDump({ shorthand: command.what }, command.model, options, io);
      case 'dump-after':
        return await (await import('./commands/dump.js')).runDump({ after: command.pass }, command.model, options, io);
      case 'explain':
        return (await import('./commands/info.js')).runExplain(command.id, io);
      case 'rules': {
        const [{ runRules }, { loadUserRuleFiles }] = await Promise.all([import('./commands/info.js'), import('../checker/rule-files/index.js')]);
        return runRules(options, io, loadUserRuleFiles(options.rules.map((f) => resolve(io.cwd, f))).rules);
      }
      case 'replay':
        return await (await import('./commands/dump.js')).runReplay(command.model, command.schedule, options, io);
      case 'rules-check':
        return await (await import('./commands/rules-check.js')).runRulesCheck(command.paths, command.format, options, io);
      case 'rules-diff':
        return await (await import('./commands/rules-diff.js')).runRulesDiff(command, options, io, version);
      case 'merge':
        return (await import('./commands/merge.js')).runMerge(command.reports, options, io);
      case 'export':
        return await (await import('./commands/export.js')).runExport(command, options, io);
      case 'init':
        return (await import('./commands/init.js')).runInit(command.dir, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`lockmc: ${e.message}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`lockmc: internal error: ${msg}\n${INTERNAL_HINT}\n`);
    if (io.env.LOCKMC_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return ExitCode.INTERNAL;
  }
}

/** The process entry's interrupts, for the exit path. */
let interruptsOfProcess: Interrupts | undefined;

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) runProcess();

/**
 * Runs lockmc as this process: argv, the real streams, signals and the
 * exit code. The `lockmc` executable (cli/bin.ts) calls it for everything
 * but `--version`; `node dist/cli/main.js` still works too.
 */
export function runProcess(): void {
  // Loading ts-morph (all of TypeScript) dominates a cold run: V8's code
  // cache, kept beside the result cache, makes the second run's load cheap.
  installCodeCache(join(defaultCacheDir(process.cwd()), 'code'));
  const abort = new AbortController();
  const interrupts: Interrupts = { signal: abort.signal, handled: false };
  interruptsOfProcess = interrupts;
  const io: CliIo = { ...processIo(), interrupts };
  // `lockmc check | head`: a closed pipe ends the output, not in a crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') exitNow(process.exitCode === undefined ? 0 : Number(process.exitCode));
      throw e;
    });
  }
  // First SIGINT/SIGTERM: `check` writes the report so far and exits 130
  // (cli/interrupt.ts); any other command, or a second signal, exits 130 now.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (abort.signal.aborted || !interrupts.handled) exitNow(ExitCode.INTERRUPTED);
      abort.abort(sig);
    });
  }
  process.on('uncaughtException', (e) => {
    io.err(`lockmc: internal error: ${e instanceof Error ? e.message : String(e)}\n${INTERNAL_HINT}\n`);
    void exitDrained(ExitCode.INTERNAL);
  });
  main(process.argv.slice(2), io).then(
    (code) => exitDrained(code),
    (e: unknown) => {
      io.err(`lockmc: internal error: ${e instanceof Error ? e.message : String(e)}\n${INTERNAL_HINT}\n`);
      return exitDrained(ExitCode.INTERNAL);
    },
  );
}

/**
 * Exit once stdout and stderr have handed every byte to the OS. A pipe
 * takes 64 KiB at a time; what it cannot take yet waits in the stream's
 * buffer, and `process.exit` would drop it. The exit itself is still
 * needed: an abandoned Z3 solver keeps threads alive, and a check must
 * never outlive its limits.
 */
async function exitDrained(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  return exitNow(code);
}

/** Resolves when every write queued on `stream` before this call is done (or the stream is gone). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => {
    if (stream.destroyed || !stream.writable) return done();
    // Writes complete in order, so this empty write's callback runs after
    // all earlier ones; an error (EPIPE) also ends the wait.
    stream.write('', () => done());
  });
}

/** Exit with `code`, ending the BMC child first (when `check` loaded the engine) so no Z3 worker outlives us. */
function exitNow(code: number): never {
  try {
    interruptsOfProcess?.killChildren?.();
  } finally {
    process.exit(code);
  }
}
