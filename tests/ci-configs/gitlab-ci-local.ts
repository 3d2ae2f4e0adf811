/**
 * GitLab CI validation with gitlab-ci-local: it validates a pipeline
 * against GitLab's own CI JSON schema (ci.json, shipped inside the
 * package) and then expands it as GitLab would (`parallel:` into numbered
 * jobs, `workflow:rules` and job `rules:` evaluated for the given
 * pipeline variables, `needs:` checked), so the job list is what GitLab
 * would create. It needs a git repository, made here in a temp dir.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('gitlab-ci-local/package.json')), 'dist', 'index.js');
const SET_METHODS = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'set-methods.mjs')).href;

export interface GitlabListing {
  exitCode: number | null;
  /**
   * The jobs GitLab would create (`when: never` left out), one
   * `name;stage;when;allowFailure;environment;needs` line each, in stage
   * order; empty when the file is refused.
   */
  jobs: string[];
  /** What gitlab-ci-local printed about the file (schema errors among it). */
  stdout: string;
  stderr: string;
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** List the jobs of `content` as `.gitlab-ci.yml`, with `variables` set as a pipeline would. */
export function listGitlabJobs(content: string, variables: Record<string, string> = {}): GitlabListing {
  const repo = mkdtempSync(join(tmpdir(), 'lockmc-gitlab-'));
  try {
    writeFileSync(join(repo, '.gitlab-ci.yml'), content);
    writeFileSync(join(repo, 'package-lock.json'), '{}\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 'ci@example.invalid');
    git(repo, 'config', 'user.name', 'ci');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'pipeline');
    git(repo, 'remote', 'add', 'origin', 'https://gitlab.example.invalid/group/project.git');
    git(repo, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    const vars = Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`]);
    const ignore = Object.keys(variables).length > 0 ? ['--ignore-predefined-vars', Object.keys(variables).join(',')] : [];
    const node = Number(process.versions.node.split('.')[0]) < 22 ? ['--import', SET_METHODS] : [];
    const r = spawnSync(
      process.execPath,
      [...node, CLI, '--list-csv', '--json-schema-validation', '--home', join(repo, '.home'), '--no-color', ...vars, ...ignore],
      { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' } },
    );
    const jobs = r.status === 0 ? listedJobs(r.stdout) : [];
    return { exitCode: r.status, jobs, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** `--list-csv` prints a header line, then one line per job. */
function listedJobs(stdout: string): string[] {
  const lines = stdout.split('\n');
  const header = lines.indexOf('name;stage;when;allowFailure;environment;needs');
  if (header < 0) throw new Error(`gitlab-ci-local printed no job list:\n${stdout}`);
  return lines.slice(header + 1).filter((l) => l.length > 0);
}
