/**
 * What the built CLI hands to CI (issue #9): whole reports through a slow
 * pipe, a report and exit 130 on SIGINT with no Z3 worker left behind,
 * and a replay line that reproduces the finding it is printed under.
 * Real processes: these are the failures only a process shows.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../checker/report.js';
import { BIN, ROOT, ensureBuilt } from './built-cli.js';

const TMP = mkdtempSync(join(tmpdir(), 'lockmc-ci-output-'));
const ENV = { ...process.env, NO_COLOR: '1' };

beforeAll(ensureBuilt);
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], onSpawn: (pid: number) => void = () => {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    c.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    c.on('error', reject);
    c.on('spawn', () => onSpawn(c.pid!));
    c.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A reader that takes the first bytes, then reads nothing for a second
 * before draining the rest into `file`: the CLI finds the 64 KiB pipe full
 * while it still has megabytes to write, whatever the machine's speed.
 */
const SLOW_READER = `
const out = require('node:fs').createWriteStream(process.argv[1]);
process.stdin.once('readable', () => setTimeout(() => process.stdin.pipe(out), 1000));
`;

/** Run-to-run differences that are measurements, not content: durations. */
function withoutTimings(format: string, s: string): string {
  switch (format) {
    case 'json':
      return s.replace(/"ms": \d+(\.\d+)?/g, '"ms": 0');
    case 'junit':
      return s.replace(/ time="[^"]*"/g, ' time="0"').replace(/ timestamp="[^"]*"/g, ' timestamp=""');
    case 'sarif':
      return s.replace(/"(start|end)TimeUtc": "[^"]*"/g, '"$1TimeUtc": ""');
    default:
      // A duration's digits can move a break of the 72-column text: compare words.
      return s.replace(/\b\d+ ms\b/g, '0 ms').replace(/\s+/g, ' ');
  }
}

describe('complete output through a slow pipe (issue #9 item 1)', () => {
  // The bundled fixtures with the explicit engine: a report of 1.2 MB (text, --verbose) to 2.7 MB (json).
  it.each(['text', 'json', 'sarif', 'junit'])(
    '%s: the bytes a slow pipe receives equal the -o file',
    async (format) => {
      const piped = join(TMP, `piped.${format}`);
      const file = join(TMP, `file.${format}`);
      const args = ['check', '--engine', 'explicit', '-q', '--verbose', '--format', format];
      const script = `${[process.execPath, BIN, ...args].map(shellQuote).join(' ')} | ${shellQuote(process.execPath)} -e ${shellQuote(SLOW_READER)} ${shellQuote(piped)}; echo "cli-exit=\${PIPESTATUS[0]}" >&2`;
      const [viaPipe, viaFile] = await Promise.all([run('bash', ['-c', script]), run(process.execPath, [BIN, ...args, '-o', file])]);
      const pipeExit = /cli-exit=(\d+)/.exec(viaPipe.stderr)?.[1];
      expect(pipeExit, viaPipe.stderr).toBe(String(viaFile.status));
      const got = readFileSync(piped, 'utf8');
      const want = readFileSync(file, 'utf8');
      expect(want.length).toBeGreaterThan(1_000_000);
      // Lengths may differ by a few duration digits, never by a lost pipe buffer.
      expect(Math.abs(got.length - want.length)).toBeLessThan(1000);
      expect(withoutTimings(format, got)).toBe(withoutTimings(format, want));
    },
    600_000,
  );
});

/** A ring of 12 mutexes over 12 threads: the Z3 engine runs into its 60 s limit on most of 50 rules. */
function ringModel(): string {
  const n = 12;
  const lines = ['/**', ' * A lock ring, long for the Z3 engine.', ' */', "import type {} from 'lockmc/kernel';", ''];
  for (let i = 0; i < n; i++) lines.push(`const m${i} = mutex();`);
  for (let t = 0; t < n; t++) {
    const [a, b] = [t, (t + 1) % n];
    lines.push('', `export function ioctl_${t}() {`, `  mutex_lock(m${a});`, '  const p = kzalloc(GFP_KERNEL);', `  mutex_lock(m${b});`, `  mutex_unlock(m${b});`, `  mutex_unlock(m${a});`, '}');
  }
  return lines.join('\n') + '\n';
}

/** Live child processes of `ppid` running the BMC worker (a zombie has ended). */
function workersOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== ppid || state === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('worker.js')) out.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!existsSync('/proc/self/stat'))('SIGINT during a BMC run (issue #9 item 5)', () => {
  it('writes the report so far to -o, marks the interrupted model, exits 130, leaves no worker', async () => {
    const model = join(TMP, 'ring.model.ts');
    writeFileSync(model, ringModel());
    const out = join(TMP, 'interrupted.json');
    let workers: number[] = [];
    let signalled = false;
    const done = run(process.execPath, [BIN, 'check', model, '--engine', 'bmc', '--timeout', '60', '--format', 'json', '-q', '-o', out], (pid) => {
      // Wait for the observable event (the Z3 worker is up), then interrupt.
      const poll = setInterval(() => {
        workers = workersOf(pid);
        if (workers.length === 0) return;
        clearInterval(poll);
        signalled = true;
        process.kill(pid, 'SIGINT');
      }, 100);
      void done.finally(() => clearInterval(poll));
    });
    const r = await done;
    // The worker starts seconds in; the run itself needs minutes: the signal came mid-run.
    expect(signalled, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(130);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await sleep(1500);
    expect(workers.filter(alive)).toEqual([]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'report-schema.json'), 'utf8')));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.exitCode).toBe(130);
    expect(report.interrupted).toEqual({ signal: 'SIGINT', model: expect.stringContaining('ring.model.ts') });
    const m = report.models.find((x) => x.file === report.interrupted!.model)!;
    expect(m.verdicts.length).toBeGreaterThan(0);
    expect(m.verdicts.some((v) => v.status === 'inconclusive' && v.limit.kind === 'interrupted' && v.limit.signal === 'SIGINT')).toBe(true);
  });
});

/** The first finding of a text report: banner to the end of its replay line. */
function firstFinding(text: string): { block: string; replay: string } {
  const lines = text.split('\n');
  // The first finding with a replay line (a lock-order finding without a trace has none): its banner is the last before it.
  const at = lines.indexOf('replay:');
  const start = lines.slice(0, Math.max(at, 0)).findLastIndex((l) => /^=+$/.test(l));
  const end = lines.indexOf('', at);
  expect(start, text).toBeGreaterThanOrEqual(0);
  expect(at, text).toBeGreaterThan(start);
  return { block: lines.slice(start, end).join('\n'), replay: lines.slice(at + 1, end).join('\n') };
}

describe('the replay line reproduces its report (issue #9 item 9)', () => {
  it('carries --kernel, --disable and --rule-option, and replays the same finding', async () => {
    const model = 'fixtures/rules/fence-signalling-no-resv/violates-commit-tail-locks-bo.model.ts';
    const opts = ['--disable', 'deadlock', '--rule-option', 'revoke.pfn-export=locked-only', '--kernel', 'v6.12'];
    const checked = await run(process.execPath, [BIN, 'check', model, ...opts, '--format', 'text']);
    expect(checked.status, checked.stderr).toBe(0);
    const original = firstFinding(checked.stdout);
    // Printed for a POSIX shell (continuation lines end in a backslash): run it in one.
    const words = original.replay.replace(/\\\n/g, '').replace(/\s+/g, ' ').trim();
    expect(words).toMatch(/^lockmc replay \S+ --schedule \S+ --kernel v6\.12 --disable deadlock --rule-option revoke\.pfn-export=locked-only$/);
    const script = `lockmc() { ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@" --format text; }\n${original.replay}\n`;
    const replayed = await run('bash', ['-c', script]);
    expect(replayed.stderr).toBe('');
    expect(firstFinding(replayed.stdout).block).toBe(original.block);
  });
});
