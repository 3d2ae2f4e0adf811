/**
 * Renderers against arbitrary strings: whatever a model names its
 * threads, locks or files, `text` stays ASCII within 72 columns and the
 * XML formats stay well-formed, and nothing throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding, Report, TraceStep } from '../../checker/report.js';
import { RENDERERS, FORMATS } from '../../cli/render/index.js';
import { CTX } from './sample-reports.js';
import { fitsWidth } from './width.js';
import { parseXml } from './xml-check.js';

const nasty = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('<b>&amp;</b>', ']]>', 'a\u0001b', '\u00e9\u2014\u{1f600}', 'x'.repeat(150), 'tab\there', "quote'\"", ''),
);

const step = (i: number, thread: number, name: string): fc.Arbitrary<TraceStep> =>
  fc.record({
    index: fc.constant(i),
    thread: fc.constant(thread),
    threadName: fc.constant(name),
    op: nasty,
    outcome: fc.option(nasty, { nil: undefined }),
    role: fc.option(nasty, { nil: undefined }),
    at: fc.option(fc.record({ file: nasty, line: fc.integer({ min: 1, max: 9999 }), col: fc.integer({ min: 1, max: 300 }) }), { nil: undefined }),
    context: fc.array(nasty, { maxLength: 2 }),
    held: fc.array(nasty, { maxLength: 4 }),
    preemption: fc.boolean(),
  });

const finding: fc.Arbitrary<Finding> = fc
  .tuple(fc.array(nasty, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 6 }), nasty, nasty, fc.constantFrom(
    'circular-dependency' as const,
    'recursive-locking' as const,
    'deadlock' as const,
    'fence-never-signalled' as const,
    'rule-violation' as const,
  ), fc.array(fc.tuple(nasty, nasty, fc.constantFrom('EN' as const, 'ER' as const, 'SN' as const, 'SR' as const)), { maxLength: 3 }))
  .chain(([names, nsteps, msg, file, kind, edges]) =>
    fc.tuple(...Array.from({ length: nsteps }, (_, i) => step(i + 1, i % names.length, names[i % names.length]))).map((steps) => ({
      rule: 'r<&>',
      check: 'c',
      kind,
      message: msg,
      at: { file, line: 1, col: 1 },
      chain:
        edges.length > 0
          ? edges.map(([from, to, type], k) =>
              k % 2 === 0
                ? { from, to, type, source: { kind: 'model' as const, thread: names[0], at: { file, line: 2, col: 3 }, api: msg } }
                : { from, to, type, source: { kind: 'primed' as const, id: 'P1', where: msg } },
            )
          : undefined,
      trace: {
        threads: names.map((n, id) => ({ id, name: n, kind: 'thread' as const })),
        steps,
        schedule: `${msg}-token`,
        preemptions: 0,
        final: { threads: names.map((n) => ({ thread: n, status: 'blocked' as const, held: [msg], waitingFor: { kind: 'op' as const, op: msg } })), fences: [], other: { [msg]: msg } },
      },
    })),
  );

const report: fc.Arbitrary<Report> = fc.tuple(nasty, fc.array(finding, { minLength: 1, maxLength: 2 })).map(([file, findings]) => ({
  schemaVersion: 1,
  tool: { name: 'lockmc', version: '0.1.0' },
  options: {},
  rules: [],
  models: [
    {
      file,
      hashes: { model: 'm', rules: 'r' },
      kernel: 'v7.0',
      verdicts: [{ status: 'violated', rule: 'r<&>', engine: 'bmc', findings }],
      diagnostics: [{ code: 'LMC201', severity: 'error', message: file, file, line: 3, col: 5, sourceLine: file, caret: '    ^', hint: file }],
      stats: { ms: 1, engine: [] },
    },
  ],
  diagnostics: [],
  exitCode: 1,
}));

describe('renderers on arbitrary names', () => {
  it('text: ASCII, at most 72 columns, never throws', () => {
    fc.assert(
      fc.property(report, (r) => {
        const t = RENDERERS.text(r, CTX) as string;
        for (const line of t.split('\n')) {
          expect(fitsWidth(line, 72), line).toBe(true);
          expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.LOCKMC_RENDER_RUNS ?? 150) },
    );
  });
  it('junit, svg, html: well-formed; json, sarif, itf: parseable', () => {
    fc.assert(
      fc.property(report, (r) => {
        for (const f of ['junit', 'svg', 'html'] as const) parseXml(RENDERERS[f](r, CTX) as string);
        JSON.parse(RENDERERS.json(r, CTX) as string);
        JSON.parse(RENDERERS.sarif(r, CTX) as string);
        for (const file of RENDERERS.itf(r, CTX) as { content: string }[]) JSON.parse(file.content);
        for (const f of FORMATS) RENDERERS[f](r, CTX);
      }),
      { numRuns: 100 },
    );
  });
});
