/**
 * The names of the pipeline's passes, in order. Kept apart from the passes
 * themselves so that argument parsing (`lockmc dump --after <pass>`) can
 * list them without loading the front end or the engines.
 */

export const PASS_NAMES = ['load', 'validate', 'select-rules', 'lock-graph', 'compile', 'decide', 'replay', 'canonicalise', 'explain', 'judge'] as const;

export type PassName = (typeof PASS_NAMES)[number];

export function isPassName(s: string): s is PassName {
  return (PASS_NAMES as readonly string[]).includes(s);
}
