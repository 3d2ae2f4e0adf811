import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The official SARIF 2.1.0 schema (rtm.5, draft-04) as shipped by the
 * @microsoft/jest-sarif package, or a copy named by LOCKMC_SARIF_SCHEMA.
 * Ajv 8 reads it once the draft-04 `id` becomes `$id`; the schema's
 * language-tag pattern is not valid with the `u` flag, and formats are
 * not what this test is about.
 */
export const SARIF_SCHEMA_PATH = [
  process.env.LOCKMC_SARIF_SCHEMA,
  join(ROOT, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json'),
].find((p): p is string => p !== undefined && p !== '' && existsSync(p));

export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_PATH!, 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema);
}
