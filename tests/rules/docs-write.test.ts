/**
 * `npm run docs:rules`: rewrites docs/rules/ (every rule page and the
 * index) from rule metadata with the generator of docs-gen.ts, keeping each
 * page's hand-written notes. Skipped in a normal run: the meta-test
 * (meta.test.ts) is what fails while a page is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/registry.js';
import { renderAllDocs, ROOT } from './docs-gen.js';

const WRITE = process.env.LOCKMC_WRITE_DOCS === '1';

it.skipIf(!WRITE)('writes docs/rules/ from rule metadata', () => {
  const read = (f: string) => (existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f), 'utf8') : undefined);
  const docs = renderAllDocs(ALL_RULES, read);
  for (const [file, text] of docs) writeFileSync(join(ROOT, file), text);
  expect(docs.size).toBe(ALL_RULES.length + 1);
});
