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

/**
 * Node starts these threads with every process, before any script runs:
 * the V8 platform's workers (`--v8-pool-size`, 4 by default) and its
 * delayed-task thread. They run V8's background work — concurrent and
 * parallel GC, JIT compilation of JavaScript, WebAssembly tier-up — and
 * are the first threads the process creates after its main thread, so
 * they are told apart by thread id order (start times are no use on a
 * loaded machine: we saw them a second after the main thread).
 */
export const RUNTIME_THREADS = 5;

/**
 * What a thread is to its process: `main`; `runtime`, one of Node's own
 * (RUNTIME_THREADS); or `thread`, one the program started: a model worker
 * (checker/parallel/) in the CLI, a Z3 pthread in the BMC child.
 */
export type ThreadKind = 'main' | 'runtime' | 'thread';

/** Where a thread's CPU went: the process it belongs to, and what it is to that process. */
export interface ThreadCpu {
  pid: number;
  tid: number;
  /** `cli` (the sampled root), `bmc-child` (the BMC engine's child) or `other`. */
  role: 'cli' | 'bmc-child' | 'other';
  kind: ThreadKind;
  cpuS: number;
}

export interface TreeCpu {
  /** CPU seconds of every thread seen, user + system. */
  totalS: number;
  /** By role and thread kind, e.g. `bmc-child runtime`. */
  byRole: Record<string, number>;
  /** CPU of Node's runtime threads (V8's background work), every process together. */
  runtimeS: number;
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
        const e = seen.get(key) ?? { pid, tid: Number(t), role: roles.get(pid)!, kind: 'main' as ThreadKind, cpuS: 0, ticks: 0 };
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
      classify(threads);
      const byRole: Record<string, number> = {};
      const processes: Record<string, number> = {};
      for (const t of threads) {
        const k = `${t.role} ${t.kind}`;
        byRole[k] = (byRole[k] ?? 0) + t.cpuS;
        if (t.kind === 'main') processes[t.role] = (processes[t.role] ?? 0) + 1;
      }
      const sum = (ts: ThreadCpu[]) => ts.reduce((s, t) => s + t.cpuS, 0);
      return { totalS: sum(threads), runtimeS: sum(threads.filter((t) => t.kind === 'runtime')), byRole, processes, threads };
    },
  };
}

/** Each process's threads in id order: the main thread, then Node's runtime threads, then the program's. */
function classify(threads: ThreadCpu[]): void {
  const byPid = new Map<number, ThreadCpu[]>();
  for (const t of threads) byPid.set(t.pid, [...(byPid.get(t.pid) ?? []), t]);
  for (const [pid, ts] of byPid) {
    const rest = ts.filter((t) => t.tid !== pid).sort((a, b) => a.tid - b.tid);
    rest.forEach((t, i) => (t.kind = i < RUNTIME_THREADS ? 'runtime' : 'thread'));
  }
}
