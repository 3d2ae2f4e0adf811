/**
 * The front end parses with TypeScript's compiler file alone, never
 * loading ts-morph or the rest of @ts-morph/common (4 MB that a cold
 * `lockmc check` used to compile on every start, #17). Checked in a fresh
 * process on the build, since this test runner has loaded its own copies.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../../cli/built-cli.js';

beforeAll(ensureBuilt);

const PROBE = `
import { createRequire } from 'node:module';
const { loadModel } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'model', 'index.js')).href)});
const r = loadModel(process.argv[1]);
const cache = createRequire(import.meta.url)('node:module')._cache;
const loaded = Object.keys(cache).filter((k) => k.includes('ts-morph')).map((k) => k.slice(k.lastIndexOf('node_modules')).replaceAll('\\\\', '/'));
console.log(JSON.stringify({ threads: r.extracted?.model.threads.length, errors: r.diagnostics.filter((d) => d.severity === 'error').length, loaded }));
`;

describe('the front end loads TypeScript only', () => {
  it('extracts a driver model having loaded @ts-morph/common/dist/typescript.js and nothing else of ts-morph', () => {
    const model = join(ROOT, 'fixtures', 'drivers', 'userptr-notifier-waits-on-job.model.ts');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, model], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { threads: number; errors: number; loaded: string[] };
    expect(out.errors).toBe(0);
    expect(out.threads).toBeGreaterThan(0);
    expect(out.loaded).toEqual(['node_modules/@ts-morph/common/dist/typescript.js']);
  });
});
