/**
 * SIGINT to the built CLI running `check --jobs 2 --engine bmc`: the
 * signal reaches both workers and their Z3 children; the report written to
 * -o keeps the models before the cut, marks the cut one, exits 130, and
 * no Z3 process outlives the CLI. The signal is sent on an observable
 * event (both Z3 children up), never after a delay.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../checker/report.js';
import { BIN, ROOT, ensureBuilt } from '../cli/built-cli.js';

const TMP = mkdtempSync(join(tmpdir(), 'lockmc-jobs-sigint-'));
beforeAll(ensureBuilt, 600_000);
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function ringModel(n = 12): string {
  const lines = ["import type {} from 'lockmc/kernel';", ''];
  for (let i = 0; i < n; i++) lines.push(`const m${i} = mutex();`);
  for (let t = 0; t < n; t++) {
    const [a, b] = [t, (t + 1) % n];
    lines.push('', `export function ioctl_${t}() {`, `  mutex_lock(m${a});`, '  const p = kzalloc(GFP_KERNEL);', `  mutex_lock(m${b});`, `  mutex_unlock(m${b});`, `  mutex_unlock(m${a});`, '}');
  }
  return lines.join('\n') + '\n';
}

/** Live BMC children of `ppid`. */
function bmcChildrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(parent) !== ppid || state === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('bmc/worker.js')) out.push(Number(name));
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!existsSync('/proc/self/stat'))('SIGINT to check --jobs 2', () => {
  it('writes the report so far, marks the cut model, exits 130, leaves no Z3 process', async () => {
    const dir = join(TMP, 'rings');
    mkdirSync(dir);
    for (const n of ['a', 'b', 'c']) writeFileSync(join(dir, `ring-${n}.model.ts`), ringModel());
    const out = join(TMP, 'interrupted.json');
    let children: number[] = [];
    const c = spawn(process.execPath, [BIN, 'check', dir, '--engine', 'bmc', '--jobs', '2', '--timeout', '600', '--format', 'json', '-q', '-o', out], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    c.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const closed = new Promise<number | null>((res) => c.on('close', (code) => res(code)));
    for (let i = 0; i < 6000 && children.length < 2; i++) {
      await sleep(100);
      children = bmcChildrenOf(c.pid!);
    }
    expect(children, stderr).toHaveLength(2);
    c.kill('SIGINT');
    const status = await closed;
    expect(status, stderr).toBe(130);
    expect(stderr).not.toMatch(/\n\s+at /);
    await sleep(1500);
    expect(children.filter(alive)).toEqual([]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    expect(report.exitCode).toBe(130);
    expect(report.interrupted?.signal).toBe('SIGINT');
    expect(report.interrupted?.model).toMatch(/ring-a\.model\.ts$/);
    expect(report.models.map((m) => m.file.replace(/.*\//, ''))).toEqual(['ring-a.model.ts']);
    expect(report.models[0].verdicts.some((v) => v.status === 'inconclusive' && v.limit.kind === 'interrupted')).toBe(true);
  }, 600_000);
});
