/**
 * The TypeScript compiler the front end parses models with. The front end
 * uses only its syntax API (`createSourceFile`, node predicates, enums), so
 * it loads the compiler file ts-morph bundles
 * (@ts-morph/common/dist/typescript.js) directly instead of ts-morph
 * itself: ts-morph and @ts-morph/common add 4 MB of JavaScript of their
 * own, which a cold `lockmc check` compiled and ran on every start (#17).
 * Where that file is not (another ts-morph layout), ts-morph's own `ts`
 * export is the same compiler.
 *
 * Types still come from ts-morph (`import type { ts as TS } from
 * 'ts-morph'`): a type-only import loads nothing.
 */

import { createRequire } from 'node:module';
import type { ts as TS } from 'ts-morph';

function loadTypeScript(): typeof TS {
  const require = createRequire(import.meta.url);
  try {
    // Resolved from ts-morph's own location: the copy ts-morph would load.
    const fromTsMorph = createRequire(require.resolve('ts-morph'));
    return fromTsMorph('@ts-morph/common/dist/typescript.js') as typeof TS;
  } catch {
    return (require('ts-morph') as { ts: typeof TS }).ts;
  }
}

export const ts = loadTypeScript();
