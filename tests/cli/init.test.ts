/**
 * `lockmc init` in-process (the packed package's run is in
 * tests/cli/package.test.ts): what it writes, that it never overwrites,
 * and its usage errors.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/args.js';
import { main } from '../../cli/main.js';
import { INIT_SAMPLE, INIT_TSCONFIG } from '../../cli/commands/init.js';
import { loadModel } from '../../model/index.js';
import { fakeIo } from './fake-io.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockmc-init-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockmc init', () => {
  it('parses with and without a directory', () => {
    expect(parseArgs(['init'])).toMatchObject({ command: { kind: 'init' } });
    expect(parseArgs(['init', 'drm/models'])).toMatchObject({ command: { kind: 'init', dir: 'drm/models' } });
    expect(parseArgs(['init', 'a', 'b'])).toEqual({ usageError: "too many arguments for 'init'. Expected 1 argument but got 2.", exitCode: 2 });
  });
  it('writes <dir>/tsconfig.json and <dir>/example.model.ts, exit 0', async () => {
    const io = fakeIo({ cwd: dir });
    expect(await main(['init', 'drm'], io)).toBe(0);
    expect(io.stdout).toBe(
      'wrote drm/tsconfig.json\nwrote drm/example.model.ts\n\nNext:\n  npx lockmc check drm/example.model.ts\n  (open the model in an editor: the kernel calls complete and are type-checked)\n',
    );
    expect(readFileSync(join(dir, 'drm', 'tsconfig.json'), 'utf8')).toBe(INIT_TSCONFIG);
    expect(readFileSync(join(dir, 'drm', 'example.model.ts'), 'utf8')).toBe(INIT_SAMPLE);
  });
  it('keeps a file that exists', async () => {
    writeFileSync(join(dir, 'tsconfig.json'), '{"mine":true}\n');
    const io = fakeIo({ cwd: dir });
    expect(await main(['init', '.'], io)).toBe(0);
    expect(io.stdout.split('\n').slice(0, 2)).toEqual(['kept  tsconfig.json (it exists; not overwritten)', 'wrote example.model.ts']);
    expect(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).toBe('{"mine":true}\n');
  });
  it('a file in the way is a usage error, exit 2, nothing written', async () => {
    writeFileSync(join(dir, 'models'), '');
    const io = fakeIo({ cwd: dir });
    expect(await main(['init'], io)).toBe(2);
    expect(io.stderr).toBe("lockmc: cannot init 'models': it is a file, not a directory\n");
    expect(io.stdout).toBe('');
  });
  it('the sample is a model the front end accepts', async () => {
    const r = await loadModel('example.model.ts', INIT_SAMPLE);
    expect(r.diagnostics).toEqual([]);
  });
  it('the tsconfig resolves lockmc/kernel through exports and emits nothing', () => {
    expect(JSON.parse(INIT_TSCONFIG)).toEqual({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      include: ['**/*.model.ts'],
    });
  });
});
