/**
 * A model worker's entry (worker_threads): the code cache first, so the
 * TypeScript compiler the front end loads comes from V8's cache as it does
 * in the main thread, then the loop (worker-loop.ts) that checks models.
 * The loop is imported dynamically because static imports run before this
 * module's body.
 */

import { join } from 'node:path';
import { defaultCacheDir } from '../cache/location.js';
import { installCodeCache } from '../code-cache.js';

installCodeCache(join(defaultCacheDir(process.cwd()), 'code'));
await import('./worker-loop.js');
