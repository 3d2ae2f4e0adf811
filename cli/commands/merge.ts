/**
 * `lockmc merge shard-*.json [-o out] [--format …]`: the shards of one
 * run (check --shard i/n --format json) joined into the report the
 * unsharded run would have written (checker/parallel/merge.ts), rendered
 * in any format. Reports that are not every shard of one run are refused
 * with coded diagnostics, exit 2.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mergeShards, type ShardInput } from '../../checker/parallel/merge.js';
import { ExitCode } from '../../checker/exit-codes.js';
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostics.js';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../io.js';
import { refuseOutputOverInput, render, renderContext, resolveFormat, writeRendered } from '../shared.js';

/** Each report file's JSON, or the LMC050 that says why it has none. */
function readShard(file: string, io: CliIo): ShardInput | Diagnostic {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    return { code: 'LMC050', severity: 'error', message: `not a shard report: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`, file };
  }
  try {
    return { file, json: JSON.parse(text) as unknown };
  } catch (e) {
    return { code: 'LMC050', severity: 'error', message: `not a shard report: not JSON (${e instanceof Error ? e.message : String(e)})`, file, hint: 'write each shard with --format json' };
  }
}

export function runMerge(files: string[], cli: CliOptions, io: CliIo): number {
  refuseOutputOverInput(cli, files, io);
  const read = files.map((f) => readShard(f, io));
  const unread = read.filter((r): r is Diagnostic => 'code' in r);
  const readable = read.filter((r): r is ShardInput => !('code' in r));
  const result = mergeShards(readable);
  // Every problem at once: the unreadable files and what is wrong with the others.
  const problems = [...unread, ...(result.ok ? [] : result.diagnostics)];
  if (!result.ok || problems.length > 0) {
    for (const d of problems) io.err(`${formatDiagnostic(d)}\n`);
    return ExitCode.USAGE;
  }
  writeRendered(render(result.report, resolveFormat(cli, io), renderContext(io, cli)), cli, io);
  return result.report.exitCode;
}
