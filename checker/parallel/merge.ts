/**
 * `lockmc merge`: the reports of the shards of one run (`--shard i/n`)
 * become the report the unsharded run would have written, equal to it
 * apart from timings. Refuses anything that is not every shard of one
 * run, each refusal a coded diagnostic naming the shard file (exit 2):
 *  - LMC050 not a shard report (not a lockmc JSON report, or no `shard`);
 *  - LMC051 shards of different runs (lockmc version, options, rules, rule
 *    hash, shard count or corpus size differ);
 *  - LMC052 a shard given twice, or a model in two shards;
 *  - LMC053 a shard missing, or models missing from the shards.
 */

import type { Diagnostic } from '../../model/diagnostics.js';
import { runExitCode } from '../exit-codes.js';
import { REPORT_SCHEMA_VERSION, type ModelReport, type Report } from '../report.js';
import { comparePaths, type ShardInfo } from './shard.js';

/** A shard report as read: the file it came from and its parsed JSON (anything). */
export interface ShardInput {
  file: string;
  json: unknown;
}

export type MergeResult = { ok: true; report: Report } | { ok: false; diagnostics: Diagnostic[] };

type ShardReport = Report & { shard: ShardInfo };

function refuse(code: Diagnostic['code'], file: string | undefined, message: string, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(file !== undefined ? { file } : {}), ...(hint ? { hint } : {}) };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/** Why `json` is not a shard report, or undefined when it is one. */
function notAShard(json: unknown): string | undefined {
  if (!isObject(json)) return 'not a JSON object';
  if (json.schemaVersion !== REPORT_SCHEMA_VERSION || !isObject(json.tool) || json.tool.name !== 'lockmc') return `not a lockmc report of schema version ${REPORT_SCHEMA_VERSION}`;
  if (!Array.isArray(json.models) || !Array.isArray(json.rules) || !Array.isArray(json.diagnostics) || !isObject(json.options)) return 'a lockmc report without models, rules, diagnostics or options';
  if (!json.models.every((m) => isObject(m) && typeof m.file === 'string' && isObject(m.hashes))) return 'a model entry without its file or hashes';
  const s = json.shard;
  if (!isObject(s)) return 'a report of an unsharded run (no `shard`): check with --shard i/n --format json';
  if (!isCount(s.index) || !isCount(s.count) || !isCount(s.files) || s.index < 1 || s.index > s.count) return '`shard` is not { index, count, files } with 1 ≤ index ≤ count';
  return undefined;
}

/** JSON with object keys sorted: options written by one lockmc in any key order compare equal. */
function canonical(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** The first option whose value differs, for the message. */
function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const k = keys.find((key) => canonical(a[key]) !== canonical(b[key]));
  return k === undefined ? 'options' : `option ${k}: ${canonical(a[k]) ?? 'absent'} vs ${canonical(b[k]) ?? 'absent'}`;
}

function ruleHashes(r: Report): Set<string> {
  return new Set(r.models.map((m) => m.hashes.rules).filter((h) => h !== ''));
}

/** What makes `b` a shard of a different run than `a`, if anything. */
function runDifference(a: ShardReport, b: ShardReport): string | undefined {
  if (canonical(a.tool) !== canonical(b.tool)) return `lockmc ${a.tool.version} vs ${b.tool.version}${a.tool.z3 !== b.tool.z3 ? ` (z3 ${a.tool.z3} vs ${b.tool.z3})` : ''}`;
  if (a.shard.count !== b.shard.count) return `shard count ${a.shard.count} vs ${b.shard.count}`;
  if (a.shard.files !== b.shard.files) return `corpus of ${a.shard.files} vs ${b.shard.files} models`;
  if (canonical(a.options) !== canonical(b.options)) return firstDifference(a.options, b.options);
  if (canonical(a.rules) !== canonical(b.rules)) return 'rule sets (ids or metadata)';
  const hashes = new Set([...ruleHashes(a), ...ruleHashes(b)]);
  if (hashes.size > 1) return `rule hashes ${[...hashes].sort().join(' vs ')}`;
  if (canonical(a.diagnostics) !== canonical(b.diagnostics)) return 'run diagnostics (config or rule files)';
  return undefined;
}

/** The shards, checked to be every shard of one run: each problem a diagnostic. */
function checkShards(inputs: ShardInput[]): { shards: ShardReport[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const shards: { file: string; r: ShardReport }[] = [];
  for (const { file, json } of inputs) {
    const why = notAShard(json);
    if (why) diagnostics.push(refuse('LMC050', file, `not a shard report: ${why}`));
    else shards.push({ file, r: json as ShardReport });
  }
  if (shards.length === 0) return { shards: [], diagnostics };
  const first = shards[0];
  for (const s of shards.slice(1)) {
    const d = runDifference(first.r, s.r);
    if (d) diagnostics.push(refuse('LMC051', s.file, `shard ${s.r.shard.index}/${s.r.shard.count} is of a different run than ${first.file}: ${d}`, 'merge the shards of one run: same lockmc, rules and options apart from --shard and --jobs'));
  }
  const byIndex = new Map<number, string>();
  const byModel = new Map<string, string>();
  for (const s of shards) {
    const twice = byIndex.get(s.r.shard.index);
    if (twice !== undefined) diagnostics.push(refuse('LMC052', s.file, `shard ${s.r.shard.index}/${s.r.shard.count} given twice (also ${twice})`));
    else byIndex.set(s.r.shard.index, s.file);
    for (const m of s.r.models) {
      const other = byModel.get(m.file);
      if (other !== undefined && other !== s.file) diagnostics.push(refuse('LMC052', s.file, `${m.file} is in two shards (also ${other})`));
      byModel.set(m.file, s.file);
    }
  }
  if (diagnostics.length > 0) return { shards: [], diagnostics };
  const { count, files } = first.r.shard;
  for (let i = 1; i <= count; i++) {
    if (!byIndex.has(i)) diagnostics.push(refuse('LMC053', undefined, `shard ${i}/${count} missing: got ${[...byIndex.keys()].sort((a, b) => a - b).map((k) => `${k}/${count}`).join(', ')}`));
  }
  const interrupted = shards.some((s) => s.r.interrupted);
  if (diagnostics.length === 0 && !interrupted && byModel.size !== files) {
    diagnostics.push(refuse('LMC053', undefined, `the shards hold ${byModel.size} of the run's ${files} models`));
  }
  return { shards: diagnostics.length > 0 ? [] : shards.map((s) => s.r).sort((a, b) => a.shard.index - b.shard.index), diagnostics };
}

/**
 * The unsharded report: the run's fields from the first shard (they are
 * equal in all), the models in path order (the order of a directory
 * walk, cli/files.ts), the first interruption if a shard was cut short,
 * and the exit code recomputed over the whole.
 */
export function mergeShards(inputs: ShardInput[]): MergeResult {
  if (inputs.length === 0) return { ok: false, diagnostics: [refuse('LMC053', undefined, 'no shard reports given')] };
  const { shards, diagnostics } = checkShards(inputs);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const first = shards[0];
  const models: ModelReport[] = shards.flatMap((s) => s.models).sort((a, b) => comparePaths(a.file, b.file));
  const interrupted = shards.find((s) => s.interrupted)?.interrupted;
  const body = { models, diagnostics: first.diagnostics, ...(interrupted ? { interrupted } : {}) };
  const report: Report = {
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    options: first.options,
    rules: first.rules,
    ...body,
    exitCode: runExitCode(body),
  };
  return { ok: true, report };
}
