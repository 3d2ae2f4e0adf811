/**
 * `bash -n` over a CI script: the shell's own syntax check, so a quoting
 * or `if`/`fi` slip in a config fails here and not on the first CI run.
 * GitHub's `${{ ... }}` expressions are replaced by a plain word first, as
 * the runner replaces them before the shell sees the script.
 */
import { spawnSync } from 'node:child_process';

export function bashSyntaxErrors(script: string): string {
  const text = script.replace(/\$\{\{[^}]*\}\}/g, 'EXPR');
  const r = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr.trim();
}
