/**
 * @bench `lockmc rules diff` on a scratch repository: a rule file and 24
 * small models, one rule change between two commits. Prints the first run,
 * the second (the result cache, once it is in, should serve every model
 * report: see the hits column) and their ratio. Wall-clock ratios only; the
 * absolute times depend on the machine.
 *
 *   npm run build && node dist/bench/gate-diff.js
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const MODELS = 24;

function rules(cls: string): string {
  const meta = {
    id: 'bench-no-sleep',
    family: 'order',
    severity: 'error',
    summary: 'no sleeping under the fast-path lock',
    rationale: 'the fast-path lock is taken on every ioctl',
    covers: ['ORDER-4'],
    citations: [{ kind: 'kernel', file: 'x.c' }],
    messages: { sleep: 'might_sleep() under the fast-path lock' },
  };
  return JSON.stringify({ rules: [{ meta, checks: [{ kind: 'step', id: 'sleep', on: { op: 'might_sleep' }, when: { kind: 'holds', lock: { kind: 'class', name: cls } } }] }] });
}

function model(i: number): string {
  const cls = `l${i % 4}`;
  return [`/**`, ` * bench model ${i}`, ` */`, `import type {} from 'lockmc/kernel';`, ``, `const l = mutex('${cls}');`, ``, `export function f${i}() {`, `  mutex_lock(l);`, `  might_sleep();`, `  mutex_unlock(l);`, `}`, ``].join('\n');
}

function git(repo: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
}

function run(repo: string): { ms: number; hits: number; models: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'rules', 'diff', 'HEAD~1', 'HEAD', '--format', 'json'], { cwd: repo, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const d = JSON.parse(r.stdout) as { base: { cache: { hits: number }; models: number }; head: { cache: { hits: number }; models: number } };
  return { ms, hits: d.base.cache.hits + d.head.cache.hits, models: d.base.models + d.head.models };
}

const repo = mkdtempSync(join(tmpdir(), 'lockmc-bench-gate-'));
try {
  git(repo, 'init', '-q');
  git(repo, 'config', 'user.name', 'bench');
  git(repo, 'config', 'user.email', 'bench@example.invalid');
  writeFileSync(join(repo, 'lockmc.config.json'), JSON.stringify({ preset: 'phyr', ruleFiles: ['rules.json'] }));
  writeFileSync(join(repo, 'rules.json'), rules('l0'));
  mkdirSync(join(repo, 'fixtures'));
  for (let i = 0; i < MODELS; i++) writeFileSync(join(repo, 'fixtures', `m${i}.model.ts`), model(i));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  writeFileSync(join(repo, 'rules.json'), rules('l1'));
  git(repo, 'commit', '-q', '-am', 'head');
  const first = run(repo);
  const second = run(repo);
  const row = (name: string, r: typeof first) => `${name.padEnd(8)} ${r.ms.toFixed(0).padStart(8)} ${`${r.hits}/${r.models}`.padStart(10)}`;
  process.stdout.write(`${'run'.padEnd(8)} ${'ms'.padStart(8)} ${'hits'.padStart(10)}\n${row('first', first)}\n${row('second', second)}\n`);
  process.stdout.write(`ratio first/second: ${(first.ms / second.ms).toFixed(2)}x (${MODELS} models per side)\n`);
} finally {
  rmSync(repo, { recursive: true, force: true });
}
