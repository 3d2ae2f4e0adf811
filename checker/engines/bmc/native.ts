/**
 * The fixed-point pass in a native `z3` binary (`--z3 native`), for when
 * one is on PATH: the same Horn clauses as fixpoint.ts, written as Z3's
 * fixedpoint text (smt2.ts `fixpointText`) and answered by the binary.
 *
 * Measured (Debian z3 4.8.12 against z3-solver 5.2 WASM, same clauses,
 * same rlimit counts to within 3 %, CPU seconds at load ~18):
 * reclaim-fix-2 1.7 s vs 6.7 s, reclaim-bug-2 2.5 s vs 11.3 s. Neither
 * build decides reclaim-fix-3 (native: 18.6 s CPU, rlimit 162 M) within
 * 10 s, so WASM stays the default, which always works.
 *
 * The binary runs as a child of the BMC worker, which the CLI kills at
 * the time-out (isolated.ts); a killed worker cannot reap it, so z3 also
 * gets the time-out as its own hard limit (`-T`) and is killed here at
 * the deadline.
 */

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Limit } from '../../report.js';
import type { Reachability } from './fixpoint.js';
import { recordRlimitUsage } from './solver.js';

/** The `z3` binary on PATH, if any. */
export function findNativeZ3(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'z3');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface NativeBudget {
  timeoutMs: number;
  /** Z3's resource limit (`rlimit=`); none if absent. */
  rlimit?: number;
}

/**
 * Runs fixedpoint text whose query relation has one goal column through
 * `binary`; `count` goals were asked.
 */
export async function nativeFixpoint(binary: string, text: string, count: number, budget: NativeBudget): Promise<Reachability> {
  const seconds = Math.max(1, Math.ceil(budget.timeoutMs / 1000));
  const args = ['-in', '-smt2', '-st', `-T:${seconds}`, ...(budget.rlimit !== undefined ? [`rlimit=${budget.rlimit}`] : [])];
  const run = await runChild(binary, args, text, budget.timeoutMs);
  if (run.kind === 'timeout') return { kind: 'inconclusive', limit: { kind: 'timeout', ms: budget.timeoutMs } };
  // `-st` ends the output with statistics; the rlimit count joins the run's tally (stats.rlimitMax).
  const used = /:rlimit-count\s+(\d+)/.exec(run.stdout);
  if (used) recordRlimitUsage(Number(used[1]));
  return parseAnswer(run.stdout.replace(/\n\(:[\s\S]*$/, ''), count, budget);
}

type ChildRun = { kind: 'exited'; stdout: string } | { kind: 'timeout' };

function runChild(binary: string, args: string[], input: string, timeoutMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.resume();
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(timedOut ? { kind: 'timeout' } : { kind: 'exited', stdout });
    });
    child.stdin.on('error', () => undefined); // a child that died early: its exit says why
    child.stdin.end(input);
  });
}

/**
 * z3's answer: `unsat`; `sat` then the derived goal rows (`(= (:var 0)
 * #b01)`, an `or` of those, or `true`); `unknown`, or `timeout` on its
 * own `-T`. Anything else is a solver failure, never a verdict.
 */
export function parseAnswer(stdout: string, count: number, budget: NativeBudget): Reachability {
  const text = stdout.trim();
  // z3 reports a spent rlimit as an error line before `unknown`.
  if (budget.rlimit !== undefined && text.includes('resource limit exceeded')) return { kind: 'inconclusive', limit: unknownLimit(budget) };
  const first = text.split('\n', 1)[0].trim();
  const none = Array.from({ length: count }, () => false);
  if (first === 'unsat') return { kind: 'answered', reachable: none };
  if (first === 'timeout') return { kind: 'inconclusive', limit: { kind: 'timeout', ms: budget.timeoutMs } };
  if (first === 'unknown') return { kind: 'inconclusive', limit: unknownLimit(budget) };
  if (first !== 'sat') return { kind: 'inconclusive', limit: { kind: 'solver-failure', detail: `native z3: ${text.slice(0, 120) || 'no answer'}` } };
  const answer = text.slice(first.length).trim();
  if (answer === 'true') return { kind: 'answered', reachable: none.map(() => true) };
  const ROW = /\(= \(:var 0\) (#b[01]+|#x[0-9a-f]+)\)/g;
  const rows = [...answer.matchAll(ROW)].map((m) => m[1]);
  // Only rows, alone or in one `or`: any other shape could hide a derived goal, and a goal missed is a false proof.
  const rest = answer.replace(ROW, '').replace(/\s+/g, '');
  if (rows.length === 0 || !(rest === '' || (rows.length > 1 && rest === '(or)'))) return { kind: 'inconclusive', limit: { kind: 'solver-failure', detail: `native z3: unexpected answer ${answer.slice(0, 80)}` } };
  const derived = new Set(rows.map((v) => (v.startsWith('#b') ? parseInt(v.slice(2), 2) : parseInt(v.slice(2), 16))));
  return { kind: 'answered', reachable: none.map((_, j) => derived.has(j)) };
}

/** An `unknown` under an rlimit is that limit (as the WASM path names it); otherwise canceled by `-T`. */
function unknownLimit(budget: NativeBudget): Limit {
  return budget.rlimit !== undefined ? { kind: 'z3-unknown', reason: `resource limit ${budget.rlimit} reached` } : { kind: 'timeout', ms: budget.timeoutMs };
}
