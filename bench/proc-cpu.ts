/**
 * CPU time of a process tree, read from Linux's /proc while it runs.
 *
 * `/usr/bin/time` and `getrusage(RUSAGE_CHILDREN)` under-count a lockmc
 * run: the BMC children (checker/engines/bmc/isolated.ts) are unref'd and
 * outlive the CLI by a moment, so the CLI never waits for them and their
 * CPU — most of a BMC run's — is charged to no one we can ask. Sampling
 * every thread of every descendant sees it. Each thread's last sample is
 * kept, so a thread that ends between samples loses at most one period.
 * Off Linux (no /proc) the sampler reports nothing.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on every Linux we run). */
const TICKS_PER_S = 100;

/** Where a thread's CPU went: the process it belongs to, and whether it is that process's main thread. */
export interface ThreadCpu {
  pid: number;
  tid: number;
  /** `cli` (the sampled root), `bmc-child` (the BMC engine's child) or `other`. */
  role: 'cli' | 'bmc-child' | 'other';
  main: boolean;
  cpuS: number;
}

export interface TreeCpu {
  /** CPU seconds of every thread seen, user + system. */
  totalS: number;
  /** By role, main threads and the rest (worker threads, V8 helpers, Z3's pthreads) apart. */
  byRole: Record<string, number>;
  /** Processes seen per role. */
  processes: Record<string, number>;
  threads: ThreadCpu[];
}

interface Stat {
  ppid: number;
  ticks: number;
}

function readStat(path: string): Stat | undefined {
  let s: string;
  try {
    s = readFileSync(path, 'utf8');
  } catch {
    return undefined; // the thread ended between listing and reading
  }
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
}

function roleOf(pid: number, root: number): ThreadCpu['role'] {
  if (pid === root) return 'cli';
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('engines/bmc/worker') ? 'bmc-child' : 'other';
  } catch {
    return 'other';
  }
}

/** Samples the tree under `root` every `periodMs` until `stop()`, which returns what it saw. */
export function sampleTree(root: number, periodMs = 200): { stop: () => TreeCpu } {
  const seen = new Map<string, ThreadCpu & { ticks: number }>();
  const roles = new Map<number, ThreadCpu['role']>();
  const enabled = existsSync('/proc/self/stat');
  const sample = () => {
    const parent = new Map<number, number>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const st = readStat(`/proc/${d}/stat`);
      if (st) parent.set(Number(d), st.ppid);
    }
    const tree = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, ppid] of parent) {
        if (!tree.has(pid) && tree.has(ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of tree) {
      // A child seen between fork and exec still shows its parent's command line: look again until it is known.
      if ((roles.get(pid) ?? 'other') === 'other') roles.set(pid, roleOf(pid, root));
      let tasks: string[] = [];
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const t of tasks) {
        const st = readStat(`/proc/${pid}/task/${t}/stat`);
        if (!st) continue;
        const key = `${pid}/${t}`;
        const e = seen.get(key) ?? { pid, tid: Number(t), role: roles.get(pid)!, main: Number(t) === pid, cpuS: 0, ticks: 0 };
        e.ticks = Math.max(e.ticks, st.ticks);
        e.role = roles.get(pid)!;
        seen.set(key, e);
      }
    }
  };
  const timer = enabled ? setInterval(sample, periodMs) : undefined;
  if (enabled) sample();
  return {
    stop: () => {
      if (timer) clearInterval(timer);
      const threads = [...seen.values()].map(({ ticks, ...t }) => ({ ...t, cpuS: ticks / TICKS_PER_S }));
      const byRole: Record<string, number> = {};
      const processes: Record<string, number> = {};
      for (const t of threads) {
        const k = `${t.role} ${t.main ? 'main' : 'other threads'}`;
        byRole[k] = (byRole[k] ?? 0) + t.cpuS;
        if (t.main) processes[t.role] = (processes[t.role] ?? 0) + 1;
      }
      return { totalS: threads.reduce((s, t) => s + t.cpuS, 0), byRole, processes, threads };
    },
  };
}
