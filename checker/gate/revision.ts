/**
 * One side of `lockmc rules diff`, as a directory tree to read: a git
 * revision is exported with `git archive` into a fresh temporary directory
 * (the user's tree and index are never touched), a directory of rule files
 * is used as it stands, and no argument is the working tree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../../model/diagnostics.js';

export type OpenedSide =
  | {
      ok: true;
      kind: 'git' | 'dir' | 'worktree';
      label: string;
      commit?: string;
      /** Where the user's current directory is, at this side. */
      root: string;
      /** For a directory of rule files: its `*.json` files, which replace the configured ones. */
      ruleFiles?: string[];
      /** Removes the temporary tree, if any. */
      dispose(): void;
    }
  | { ok: false; diagnostic: Diagnostic };

/** A generous ceiling for one `git archive` (a tree of rules and models, not a kernel). */
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;

function git(cwd: string, args: string[]): { ok: true; out: Buffer } | { ok: false; why: string } {
  const r = spawnSync('git', args, { cwd, maxBuffer: MAX_ARCHIVE_BYTES, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) return { ok: false, why: r.error.message };
  if (r.status !== 0) return { ok: false, why: r.stderr.toString().trim().split('\n')[0] ?? `git exited ${r.status}` };
  return { ok: true, out: r.stdout };
}

function unreadable(spec: string, why: string): OpenedSide {
  return {
    ok: false,
    diagnostic: {
      code: 'LMC316',
      severity: 'error',
      message: `'${spec}' is neither a git revision nor a directory of rule files${why ? ` (${why})` : ''}`,
      hint: 'give a commit, branch or tag (e.g. HEAD~1, origin/main) inside a git repository, or a directory holding *.json rule files',
    },
  };
}

/** Open `spec` as seen from `cwd`; undefined means the working tree. */
export function openSide(spec: string | undefined, cwd: string): OpenedSide {
  if (spec === undefined) return { ok: true, kind: 'worktree', label: 'working tree', root: cwd, dispose: () => {} };
  const asDir = resolve(cwd, spec);
  if (existsSync(asDir) && statSync(asDir).isDirectory()) {
    const ruleFiles = readdirSync(asDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(asDir, f));
    return { ok: true, kind: 'dir', label: spec, root: cwd, ruleFiles, dispose: () => {} };
  }
  // `--end-of-options` keeps a revision that starts with '-' from being read as an option.
  const commit = git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${spec}^{commit}`]);
  if (!commit.ok) return unreadable(spec, commit.why);
  const sha = commit.out.toString().trim();
  if (sha === '') return unreadable(spec, 'no such revision');
  const prefix = git(cwd, ['rev-parse', '--show-prefix']);
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!prefix.ok || !top.ok) return unreadable(spec, !prefix.ok ? prefix.why : top.ok ? '' : top.why);
  const tmp = mkdtempSync(join(tmpdir(), 'lockmc-rev-'));
  const dispose = () => rmSync(tmp, { recursive: true, force: true });
  const archive = git(top.out.toString().trim(), ['archive', '--format=tar', sha]);
  const tar = archive.ok ? spawnSync('tar', ['-x', '-f', '-', '-C', tmp], { input: archive.out, stdio: ['pipe', 'ignore', 'pipe'] }) : undefined;
  if (!archive.ok || tar === undefined || tar.error || tar.status !== 0) {
    dispose();
    const why = !archive.ok ? archive.why : (tar?.error?.message ?? tar?.stderr.toString().trim() ?? 'tar failed');
    return unreadable(spec, `cannot export it: ${why}`);
  }
  const root = join(tmp, prefix.out.toString().trim());
  return { ok: true, kind: 'git', label: spec, commit: sha, root, dispose };
}
