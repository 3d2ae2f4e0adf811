/**
 * bench/proc-cpu.ts, which bench/jobs.ts reads its CPU figures from: a
 * process whose program thread burns CPU has that CPU charged to a
 * `thread`, not to Node's runtime threads; a grandchild the root never
 * waits for is still counted. Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUNTIME_THREADS, sampleTree } from '../../bench/proc-cpu.js';

/** Spins a worker thread for `ms` of its own CPU, then exits. */
const BURN_IN_WORKER = `
const { Worker } = require('node:worker_threads');
const w = new Worker("const t = process.cpuUsage(); while (process.cpuUsage(t).user < 600000) {}", { eval: true });
w.on('exit', () => process.exit(0));
`;

/**
 * Starts a grandchild that burns 0.3 s of CPU, says so, burns on; the
 * parent exits on hearing it, never waiting for the grandchild (as the CLI
 * leaves its BMC child).
 */
const ORPHAN = `
const { spawn } = require('node:child_process');
const burn = "const t = process.cpuUsage(); while (process.cpuUsage(t).user < 300000) {} console.log('burnt'); while (process.cpuUsage(t).user < 600000) {}";
const c = spawn(process.execPath, ['-e', burn], { stdio: ['ignore', 'pipe', 'ignore'] });
c.stdout.once('data', () => process.exit(0));
`;

async function sampled(script: string) {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  const s = sampleTree(child.pid!, 50);
  await new Promise((resolve) => child.on('exit', resolve));
  return s.stop();
}

describe.skipIf(!existsSync('/proc/self/stat'))('proc-cpu', () => {
  it('a program thread’s CPU is a thread’s, not the runtime’s; the main thread is one process', async () => {
    const cpu = await sampled(BURN_IN_WORKER);
    expect(cpu.processes).toEqual({ cli: 1 });
    // 0.6 s of user CPU, less what the last period may miss.
    expect(cpu.byRole['cli thread']).toBeGreaterThanOrEqual(0.4);
    expect(cpu.runtimeS).toBeLessThan(cpu.byRole['cli thread']);
    expect(cpu.threads.filter((t) => t.kind === 'runtime').length).toBeLessThanOrEqual(RUNTIME_THREADS);
  });

  it('counts a descendant its parent never waited for, while it lives under the root', async () => {
    const cpu = await sampled(ORPHAN);
    // It leaves the tree when its parent exits: the 0.3 s it burnt by then is counted (less at most one 50 ms period), under `other`.
    expect(cpu.processes).toEqual({ cli: 1, other: 1 });
    expect(cpu.byRole['other main']).toBeGreaterThanOrEqual(0.2);
  });
});
