/**
 * A scratch git repository for the gate's tests: a rule file, a config
 * naming it, and three models under fixtures/. Git runs with its own
 * identity and no global or system config, so the user's settings (hooks,
 * signing) cannot change what the tests see.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The site rule: no might_sleep() while a lock of class `cls` is held. */
export function siteRules(cls: string): string {
  const rule = {
    meta: {
      id: 'no-sleep-under-a',
      family: 'order',
      severity: 'error',
      summary: 'no sleeping while holding the fast-path lock',
      rationale: 'the fast-path lock is taken on every ioctl; sleeping under it stalls them all',
      covers: ['ORDER-4'],
      citations: [{ kind: 'kernel', file: 'drivers/site/fast.c' }],
      messages: { sleep: 'might_sleep() while holding the fast-path lock' },
    },
    checks: [{ kind: 'step', id: 'sleep', on: { op: 'might_sleep' }, when: { kind: 'holds', lock: { kind: 'class', name: cls } } }],
  };
  return JSON.stringify({ rules: [rule] }, null, 2) + '\n';
}

/** A model that sleeps while holding a mutex of class `cls` (or no lock), with its header. */
export function sleeper(what: string, cls: string | undefined, expect: string): string {
  const lines = ['/**', ` * ${what}`, ' *', ` * ${expect}`, ' */', "import type {} from 'lockmc/kernel';", ''];
  if (cls !== undefined) lines.push(`const l = mutex('${cls}');`, '', 'export function ioctl() {', '  mutex_lock(l);', '  might_sleep();', '  mutex_unlock(l);', '}');
  else lines.push('export function ioctl() {', '  might_sleep();', '}');
  return lines.join('\n') + '\n';
}

/** Line of `might_sleep();` in a `sleeper` with a lock. */
export const SLEEP_LINE = 12;

export function write(repo: string, file: string, text: string): void {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), text);
}

export function read(repo: string, file: string): string {
  return readFileSync(join(repo, file), 'utf8');
}

/** A repository at its first commit: the rule on a_lock, three models whose headers are met. */
export function scratchRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'lockmc-gate-'));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Gate Test');
  git(repo, 'config', 'user.email', 'gate@example.invalid');
  git(repo, 'config', 'commit.gpgsign', 'false');
  write(repo, 'lockmc.config.json', JSON.stringify({ preset: 'phyr', ruleFiles: ['rules/site.json'], timeoutMs: 600_000 }) + '\n');
  write(repo, 'rules/site.json', siteRules('a_lock'));
  write(repo, 'fixtures/sleeps-under-a.model.ts', sleeper('Sleeps while holding a_lock.', 'a_lock', `@expect violates no-sleep-under-a/sleep at ${SLEEP_LINE}`));
  write(repo, 'fixtures/sleeps-under-b.model.ts', sleeper('Sleeps while holding b_lock.', 'b_lock', '@expect holds all'));
  write(repo, 'fixtures/sleeps-unlocked.model.ts', sleeper('Sleeps holding nothing.', undefined, '@expect holds all'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'rules and models');
  return repo;
}
