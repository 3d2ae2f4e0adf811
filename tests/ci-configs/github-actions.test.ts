/**
 * docs/ci/github-actions.yml: valid for GitHub (its own workflow parser:
 * schema, expressions, contexts), shaped as docs/ci/README.md promises
 * (shard matrix, merge, SARIF upload, cache keys, the pull-request diff
 * with minimal permissions), and every lockmc command in it is one
 * lockmc's own argument parser accepts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkWorkflow } from './workflow-parser.js';
import { lockmcCommands, shellWords } from './lockmc-commands.js';
import { expectParses } from './expect-parses.js';
import { bashSyntaxErrors } from './shell-syntax.js';

const FILE = 'docs/ci/github-actions.yml';
const text = readFileSync(join(import.meta.dirname, '..', '..', FILE), 'utf8');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix: { shard: number[] } };
  steps: Step[];
}
const workflow = parse(text) as { permissions: Record<string, string>; env: Record<string, string | number>; jobs: Record<string, Job> };
const { check, merge, diff } = workflow.jobs;
const uses = (job: Job, action: string): Step[] => job.steps.filter((s) => s.uses?.split('@')[0] === action);

describe('github-actions.yml is a valid workflow', () => {
  it('GitHub\'s workflow parser accepts it with no error, and finds the three jobs', async () => {
    expect(await checkWorkflow(FILE, text)).toEqual({ errors: [], jobs: ['check', 'merge', 'diff'] });
  });

  it('every run script is valid bash', () => {
    const runs = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? [s.run] : [])));
    expect(runs.length).toBe(10);
    expect(runs.map(bashSyntaxErrors)).toEqual(runs.map(() => ''));
    expect(bashSyntaxErrors('if true; then echo')).not.toBe('');
  });

  it('the parser is not a rubber stamp: a misspelt key and an unknown permission level are refused at their lines', async () => {
    const bad = text.replace('timeout-minutes: 15', 'timeout-minutez: 15').replace('pull-requests: write', 'pull-requests: writ');
    const lineOf = (s: string): number => bad.slice(0, bad.indexOf(s)).split('\n').length;
    const r = await checkWorkflow(FILE, bad);
    expect(r.errors).toEqual([
      `${FILE} (Line: ${lineOf('timeout-minutez')}, Col: 5): Unexpected value 'timeout-minutez'`,
      `${FILE} (Line: ${lineOf('pull-requests: writ')}, Col: 22): Unexpected value 'writ'`,
    ]);
  });
});

describe('github-actions.yml has the promised shape', () => {
  it('a shard matrix of SHARDS shards that all report (no fail-fast)', () => {
    expect(workflow.env.SHARDS).toBe(4);
    expect(check.strategy).toEqual({ 'fail-fast': false, matrix: { shard: [1, 2, 3, 4] } });
    expect(uses(check, 'actions/upload-artifact')[0].with).toMatchObject({ name: 'lockmc-shard-${{ matrix.shard }}', path: 'shard-${{ matrix.shard }}.json' });
  });

  it('the result cache is kept with actions/cache, keyed by lockfile, rules and models, per shard, with restore keys', () => {
    const [cache] = uses(check, 'actions/cache');
    expect(cache.with).toEqual({
      path: '${{ env.LOCKMC_CACHE_DIR }}',
      key: "lockmc-${{ runner.os }}-shard${{ matrix.shard }}-${{ hashFiles('package-lock.json') }}-${{ hashFiles('lockmc.config.json', 'rules/**', 'models/**') }}",
      'restore-keys': [
        "lockmc-${{ runner.os }}-shard${{ matrix.shard }}-${{ hashFiles('package-lock.json') }}-",
        'lockmc-${{ runner.os }}-shard${{ matrix.shard }}-',
        'lockmc-${{ runner.os }}-',
        '',
      ].join('\n'),
    });
    expect(workflow.env.LOCKMC_CACHE_DIR).toBe('.lockmc-cache');
    // The diff job reads the caches and never saves one.
    expect(uses(diff, 'actions/cache/restore')).toHaveLength(1);
    expect(uses(diff, 'actions/cache')).toHaveLength(0);
  });

  it('the merge job runs after every shard, even failed ones, and uploads SARIF to code scanning', () => {
    expect(merge.needs).toBe('check');
    expect(merge.if).toBe('${{ !cancelled() }}');
    expect(uses(merge, 'actions/download-artifact')[0].with).toEqual({ pattern: 'lockmc-shard-*', path: 'shards', 'merge-multiple': true });
    const [sarif] = uses(merge, 'github/codeql-action/upload-sarif');
    expect(sarif.with).toEqual({ sarif_file: 'lockmc.sarif', category: 'lockmc' });
    // The gate is the merged exit code, last, after every upload.
    expect(merge.steps.at(-1)!.run).toContain('exit "${code:-70}"');
  });

  it('permissions are minimal: read by default, each write only in the job that needs it', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(check.permissions).toBeUndefined();
    expect(merge.permissions).toEqual({ contents: 'read', 'security-events': 'write', actions: 'read' });
    expect(diff.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  it('on pull requests the diff job fetches the base revision and posts the markdown diff as one comment', () => {
    expect(diff.if).toBe("${{ github.event_name == 'pull_request' }}");
    expect(uses(diff, 'actions/checkout')[0].with).toEqual({ 'fetch-depth': 0 });
    expect(diff.steps.find((s) => s.id === 'diff')!.env).toEqual({ BASE: '${{ github.base_ref }}' });
    const post = diff.steps.find((s) => s.name === 'Post the diff on the pull request')!;
    expect(post.env).toEqual({ GH_TOKEN: '${{ github.token }}', PR: '${{ github.event.pull_request.number }}' });
    expect(post.run).toBe('gh pr comment "$PR" --edit-last --body-file lockmc-diff.md \\\n  || gh pr comment "$PR" --body-file lockmc-diff.md\n');
  });
});

describe('the lockmc commands in github-actions.yml', () => {
  const commands = lockmcCommands(
    Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')),
    { '${{ matrix.shard }}': '2', '${{ env.SHARDS }}': '4', '$LOCKMC_MODELS': 'models', '$BASE': 'main' },
  );

  it('are exactly these, in order', () => {
    expect(commands).toEqual([
      'check models --shard 2/4 --format json -o shard-2.json',
      'merge shards/shard-*.json --format json -o lockmc-report.json',
      'merge shards/shard-*.json --format sarif -o lockmc.sarif',
      'merge shards/shard-*.json --format junit -o lockmc-junit.xml',
      'rules diff "origin/main" HEAD --format markdown -o lockmc-diff.md',
    ]);
  });

  it('each parses with lockmc\'s argument parser (or is refused only for what has not landed yet)', () => {
    for (const cmd of commands) expectParses(shellWords(cmd));
  });
});
