/**
 * `lockmc init [dir]`: set up a user's project for writing models. Writes
 * `<dir>/tsconfig.json`, so an editor resolves `import type {} from
 * 'lockmc/kernel'` (NodeNext resolution reads the package's `exports`)
 * and completes and checks the kernel vocabulary, and a first model that
 * holds. The editor picks the nearest tsconfig.json, so the models get
 * these settings whatever the project's own tsconfig says. A file that
 * exists is kept, never overwritten, and the output says so.
 */

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ExitCode } from '../../checker/exit-codes.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../shared.js';

/** The default directory: `lockmc check` with no path finds the models under the current directory. */
export const INIT_DEFAULT_DIR = 'models';

/**
 * Settings for model files only: no emit (a model is read, never run),
 * NodeNext so `lockmc/kernel` resolves through `exports`, and no ambient
 * @types, so completion offers the kernel vocabulary and nothing of Node.
 */
export const INIT_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    include: ['**/*.model.ts'],
  },
  null,
  2,
)}\n`;

export const INIT_SAMPLE_NAME = 'example.model.ts';

/** A first model that holds: the allocation is made before the fence is published, outside the signalling path. */
export const INIT_SAMPLE = `/**
 * A first model. submit_ioctl allocates, then publishes the job's fence;
 * run_job signals it inside a fence signalling section. It holds: the
 * GFP_KERNEL allocation comes before the fence is published. Move the
 * kmalloc into run_job and \`npx lockmc check\` reports
 * fence-signalling-no-reclaim: reclaim may wait on the very fence.
 *
 * docs/model-language.md in the lockmc package describes the language.
 *
 * @expect holds all
 */
import type {} from 'lockmc/kernel';

const job = dma_fence();

export function submit_ioctl() {
  const p = kmalloc(GFP_KERNEL);
  drm_sched_job_init();
  drm_sched_job_arm(job);
}

export function run_job() {
  const cookie = dma_fence_begin_signalling();
  dma_fence_signal(job);
  dma_fence_end_signalling(cookie);
}
`;

export function runInit(dir: string | undefined, io: CliIo): number {
  const target = resolve(io.cwd, dir ?? INIT_DEFAULT_DIR);
  const shown = relative(io.cwd, target) || '.';
  if (existsSync(target) && !statSync(target).isDirectory()) throw new UsageError(`cannot init '${shown}': it is a file, not a directory`);
  try {
    mkdirSync(target, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot create '${shown}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const lines: string[] = [];
  for (const [name, text] of [
    ['tsconfig.json', INIT_TSCONFIG],
    [INIT_SAMPLE_NAME, INIT_SAMPLE],
  ] as const) {
    const file = join(target, name);
    const rel = relative(io.cwd, file);
    if (existsSync(file)) {
      lines.push(`kept  ${rel} (it exists; not overwritten)`);
      continue;
    }
    try {
      writeFileSync(file, text);
    } catch (e) {
      throw new UsageError(`cannot write '${rel}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    lines.push(`wrote ${rel}`);
  }
  lines.push('', 'Next:', `  npx lockmc check ${join(shown, INIT_SAMPLE_NAME)}`, '  (open the model in an editor: the kernel calls complete and are type-checked)');
  io.out(`${lines.join('\n')}\n`);
  return ExitCode.OK;
}
