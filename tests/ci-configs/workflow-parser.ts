/**
 * GitHub's own workflow parser (@actions/workflow-parser, the one behind
 * the Actions language service): the workflow schema, expression syntax
 * and the contexts each key may use. It imports its schema JSON without an
 * import attribute, which bundlers accept and Node refuses, so a load hook
 * supplies the attribute for that package's JSON files only.
 */
import { register } from 'node:module';

const HOOKS = `
export async function load(url, context, next) {
  if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json')) {
    return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return next(url, context);
}`;

let registered = false;

export interface WorkflowCheck {
  /** The parser's messages, `file (Line: l, Col: c): message`. */
  errors: string[];
  /** The job ids, in file order, when the workflow converted. */
  jobs: string[];
}

/** Parse and convert a workflow as GitHub does; every schema or expression error is listed. */
export async function checkWorkflow(name: string, content: string): Promise<WorkflowCheck> {
  if (!registered) {
    register('data:text/javascript,' + encodeURIComponent(HOOKS));
    registered = true;
  }
  const { parseWorkflow, NoOperationTraceWriter, convertWorkflowTemplate } = await import('@actions/workflow-parser');
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || parsed.value === undefined) return { errors, jobs: [] };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return {
    errors: (template.errors ?? []).map((e) => e.Message),
    jobs: (template.jobs ?? []).map((j) => j.id.value),
  };
}
