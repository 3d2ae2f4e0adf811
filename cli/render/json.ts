/**
 * `json`: the Report itself. Keys are sorted at every level so two runs
 * that found the same thing print the same bytes whichever pass built the
 * objects; docs/report-schema.json describes it.
 */

import type { Report } from '../../checker/report.js';
import type { RenderContext } from './types.js';

export function canonicalJson(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) {
      if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    }
    return out;
  }
  return v;
}

export function renderJson(report: Report, _ctx: RenderContext): string {
  return canonicalJson(report) + '\n';
}
