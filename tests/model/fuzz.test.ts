/**
 * Fuzz test of the whole pipeline on mutated fixtures (issue #9 item 11):
 * front end, validation, lock graph, semantics and property compilation,
 * and the explicit engine to verdicts. Each mutant must end in coded
 * diagnostics or verdicts: never an internal error (LMC9xx, exit 70) or a
 * thrown exception, every diagnostic's line:col inside the file, and no
 * engine run past its limit.
 *
 * The engine's limit is a state count, never wall-clock time, so the
 * verdicts do not depend on the machine. The seed comes from
 * LOCKMC_FUZZ_SEED (decimal) or a fixed default; a failure prints the seed,
 * the mutation and the mutant, written to a temp file for `lockmc check`.
 */

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { prepareModel } from '../../checker/check-model.js';
import { diagnosticInfo, resolveRules, DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../../checker/index.js';
import { exploreExplicit } from '../../checker/engines/explicit/explore.js';
import type { Diagnostic } from '../../model/index.js';
import { mutate, mulberry32 } from './fuzz-mutators.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEFAULT_SEED = 20261206;
const SEED = process.env.LOCKMC_FUZZ_SEED !== undefined ? Number(process.env.LOCKMC_FUZZ_SEED) : DEFAULT_SEED;
const MUTANTS = Number(process.env.LOCKMC_FUZZ_COUNT ?? 2000);
/** The explicit engine's deterministic limit per mutant. */
const MAX_STATES = 300;

function fixtures(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) fixtures(p, out);
    else if (e.name.endsWith('.model.ts')) out.push(p);
  }
  return out;
}

/** ECMAScript line terminators: the ones the TypeScript parser counts. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;

/** Why a diagnostic is not acceptable for `text`, or undefined. */
export function badDiagnostic(d: Diagnostic, text: string): string | undefined {
  const info = diagnosticInfo(d.code);
  if (!info) return `unknown code ${d.code}`;
  if (info.exit === 70 || /^LMC9/.test(d.code)) return `internal error ${d.code}: ${d.message}`;
  if (/\n\s+at /.test(d.message)) return `stack trace in ${d.code}`;
  if (d.line !== undefined) {
    const lines = text.split(LINE_BREAK);
    if (!(d.line >= 1 && d.line <= lines.length)) return `${d.code} line ${d.line} outside 1..${lines.length}`;
    const len = lines[d.line - 1]!.length;
    if (d.col !== undefined && !(d.col >= 1 && d.col <= len + 1)) return `${d.code} ${d.line}:${d.col} outside 1..${len + 1}`;
  }
  return undefined;
}

interface Outcome {
  stage: 'front end' | 'engine';
  diagnostics: Diagnostic[];
  problems: string[];
}

const OPTIONS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit' };

async function runMutant(file: string, text: string, rules: ReturnType<typeof resolveRules>): Promise<Outcome> {
  const problems: string[] = [];
  let p: ReturnType<typeof prepareModel>;
  try {
    p = prepareModel(file, text, OPTIONS, rules);
  } catch (e) {
    return { stage: 'front end', diagnostics: [], problems: [`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`] };
  }
  const diagnostics = 'report' in p ? p.report.diagnostics : p.prepared.diagnostics;
  for (const d of diagnostics) {
    const why = badDiagnostic(d, text);
    if (why) problems.push(why);
  }
  if ('report' in p) return { stage: 'front end', diagnostics, problems };
  const ts = p.prepared.ts;
  try {
    // A time limit no run reaches: only the state count stops the engine.
    const r = await exploreExplicit(ts, { timeoutMs: 1e9, maxMemoryMb: 512, maxStates: MAX_STATES, reduction: 'por' });
    if (r.results.length !== ts.properties.length) problems.push(`${r.results.length} results for ${ts.properties.length} properties`);
    for (const x of r.results) {
      if (x.status === 'inconclusive' && x.limit.kind !== 'states') problems.push(`inconclusive for ${x.limit.kind}, not the state limit`);
    }
    if ((r.stats.states ?? 0) > MAX_STATES) problems.push(`${r.stats.states} states past the limit of ${MAX_STATES}`);
  } catch (e) {
    problems.push(`engine threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return { stage: 'engine', diagnostics, problems };
}

describe('fuzzing the pipeline with mutated fixtures', () => {
  test(`${MUTANTS} seeded mutants: no internal error, positions inside the file, no run past its limit (seed ${SEED})`, async () => {
    expect(Number.isSafeInteger(SEED), 'LOCKMC_FUZZ_SEED must be an integer').toBe(true);
    const corpus = fixtures(join(ROOT, 'fixtures')).map((f) => ({ name: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
    const rules = resolveRules(OPTIONS);
    const rand = mulberry32(SEED);
    const stats = { frontEnd: 0, engine: 0, codes: new Map<string, number>() };
    const t0 = performance.now();
    for (let i = 0; i < MUTANTS; i++) {
      const base = corpus[Math.floor(rand() * corpus.length)]!;
      const m = mutate(base.text, rand);
      const file = `mutant-${i}.model.ts`;
      const out = await runMutant(file, m.text, rules);
      if (out.stage === 'front end') stats.frontEnd++;
      else stats.engine++;
      for (const d of out.diagnostics) stats.codes.set(d.code, (stats.codes.get(d.code) ?? 0) + 1);
      if (out.problems.length > 0) {
        const dir = mkdtempSync(join(tmpdir(), 'lockmc-fuzz-'));
        const saved = join(dir, file);
        writeFileSync(saved, m.text);
        expect.fail(
          `fuzz failure (LOCKMC_FUZZ_SEED=${SEED}, mutant ${i} of ${base.name}, mutations: ${m.applied.join(', ')}):\n` +
            `  ${out.problems.join('\n  ')}\n  mutant written to ${saved}`,
        );
      }
    }
    const ms = performance.now() - t0;
    // The figures for the issue's note; not assertions.
    console.log(
      `fuzz: seed ${SEED}, ${MUTANTS} mutants in ${(ms / 1000).toFixed(1)} s: ${stats.frontEnd} stopped by a diagnostic, ${stats.engine} reached verdicts; codes ${[...stats.codes].sort().map(([c, n]) => `${c}×${n}`).join(' ')}`,
    );
    expect(stats.frontEnd + stats.engine).toBe(MUTANTS);
  });
});
