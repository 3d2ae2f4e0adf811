/**
 * docs/ci/gitlab-ci.yml: valid against GitLab's CI schema and expanded as
 * GitLab would (gitlab-ci-local), shaped as docs/ci/README.md promises
 * (`parallel:` shards, JUnit report artifact, cache with key files, the
 * merge-request note), and every lockmc command in it is one lockmc's own
 * argument parser accepts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listGitlabJobs } from './gitlab-ci-local.js';
import { lockmcCommands, shellWords } from './lockmc-commands.js';
import { expectParses } from './expect-parses.js';
import { bashSyntaxErrors } from './shell-syntax.js';

const FILE = 'docs/ci/gitlab-ci.yml';
const text = readFileSync(join(import.meta.dirname, '..', '..', FILE), 'utf8');

interface CacheItem {
  key: { files: string[]; prefix: string };
  paths: string[];
  policy?: string;
  when?: string;
}
interface Job {
  stage: string;
  parallel?: number;
  needs?: unknown[];
  when?: string;
  rules?: unknown[];
  variables?: Record<string, string>;
  cache: CacheItem[];
  script: string[];
  artifacts: { when?: string; paths: string[]; reports?: Record<string, string>; expose_as?: string };
}
const config = parse(text) as Record<string, unknown> & { variables: Record<string, string> };
const check = config['lockmc-check'] as Job;
const merge = config['lockmc-merge'] as Job;
const diff = config['lockmc-diff'] as Job;
const SHARDS = [1, 2, 3, 4].map((i) => `lockmc-check: [${i}/4];check;on_success;false;;`);
const MERGE = 'lockmc-merge;report;always;false;;[lockmc-check]';

describe('gitlab-ci.yml is a valid pipeline', () => {
  it('a branch pipeline: the schema accepts it; four shards and the merge', () => {
    const r = listGitlabJobs(text);
    expect({ exitCode: r.exitCode, jobs: r.jobs }, r.stdout + r.stderr).toEqual({ exitCode: 0, jobs: [...SHARDS, MERGE] });
  });

  it('a merge-request pipeline adds the diff job', () => {
    const r = listGitlabJobs(text, { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' });
    expect({ exitCode: r.exitCode, jobs: r.jobs }, r.stdout + r.stderr).toEqual({ exitCode: 0, jobs: [...SHARDS, 'lockmc-diff;check;on_success;false;;[]', MERGE] });
  });

  it('every job script is valid bash (a job\'s script lines run in one shell)', () => {
    expect([check, merge, diff].map((j) => bashSyntaxErrors(j.script.join('\n')))).toEqual(['', '', '']);
  });

  it('the validator is not a rubber stamp: a misspelt report type is refused with its schema path', () => {
    const r = listGitlabJobs(text.replace('      junit: lockmc-junit.xml', '      junitt: lockmc-junit.xml'));
    expect(r.exitCode).toBe(1);
    expect(r.stdout + r.stderr).toContain(
      "'junitt' property is not expected to be here at lockmc-merge.artifacts.reports [#/properties/reports/additionalProperties]",
    );
  });
});

describe('gitlab-ci.yml has the promised shape', () => {
  it('parallel: 4 shards, each keeping its own slice of the result cache, keyed by the lockfile', () => {
    expect(check.parallel).toBe(4);
    expect(check.cache[1]).toEqual({
      key: { files: ['package-lock.json'], prefix: 'lockmc-shard-$CI_NODE_INDEX' },
      paths: ['.lockmc-cache/'],
      when: 'always',
    });
    expect(config.variables.LOCKMC_CACHE_DIR).toBe('$CI_PROJECT_DIR/.lockmc-cache');
    expect(check.artifacts).toEqual({ when: 'always', paths: ['shard-*.json'], expire_in: '1 week' });
  });

  it('the merge runs after every shard, even failed ones, and publishes a JUnit report', () => {
    expect(merge.needs).toEqual([{ job: 'lockmc-check', artifacts: true }]);
    expect(merge.when).toBe('always');
    expect(merge.artifacts.reports).toEqual({ junit: 'lockmc-junit.xml' });
    expect(merge.script.at(-1)).toBe('exit $code');
  });

  it('the diff runs in merge-request pipelines on a full clone, reads the cache without writing it, and posts a note through the API', () => {
    expect(diff.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(diff.variables).toEqual({ GIT_DEPTH: '0' });
    expect(diff.cache[1].policy).toBe('pull');
    const post = diff.script.find((s) => s.includes('/notes'))!;
    expect(post).toContain('--header "PRIVATE-TOKEN: $LOCKMC_NOTE_TOKEN"');
    expect(post).toContain('"$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"');
    expect(diff.script.at(-1)).toBe('exit $code');
  });
});

describe('the lockmc commands in gitlab-ci.yml', () => {
  const jobs = [check, merge, diff];
  const commands = lockmcCommands(
    jobs.flatMap((j) => j.script),
    { $CI_NODE_INDEX: '2', $CI_NODE_TOTAL: '4', $LOCKMC_MODELS: 'models', $CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' },
  );

  it('are exactly these, in order', () => {
    expect(commands).toEqual([
      'check models --shard 2/4 --format json -o shard-2.json',
      'merge shard-*.json --format json -o lockmc-report.json',
      'merge shard-*.json --format junit -o lockmc-junit.xml',
      'merge shard-*.json --format sarif -o lockmc.sarif',
      'rules diff "origin/main" HEAD --format markdown -o lockmc-diff.md',
    ]);
  });

  it('each parses with lockmc\'s argument parser (or is refused only for what has not landed yet)', () => {
    for (const cmd of commands) expectParses(shellWords(cmd));
  });
});
