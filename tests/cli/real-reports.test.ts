/**
 * Renderers on Reports the real pipeline produced: whatever the engines
 * put in a Report must validate against docs/report-schema.json, fit the
 * text format's 72 ASCII columns, and come out well-formed in every
 * format.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { Report } from '../../checker/report.js';
import * as CHECKER from '../../checker/index.js';
import { RENDERERS, FORMATS } from '../../cli/render/index.js';
import { renderContext } from '../../cli/shared.js';
import { defaultCliOptions } from '../../cli/args.js';
import { main } from '../../cli/main.js';
import { fakeIo } from './fake-io.js';
import { parseXml } from './xml-check.js';
import { fitsWidth } from './width.js';
import { SARIF_SCHEMA_PATH, sarifValidator } from './sarif-schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILES = [
  'fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts',
  'fixtures/rules/lockdep-recursive-locking/violates-two-bos-null-ctx.model.ts',
  'fixtures/rules/fence-signalling-no-reclaim/violates-run-job-gfp-kernel.model.ts',
  'fixtures/rules/ww-backoff/holds-backoff-then-retry.model.ts',
  'fixtures/errors/LMC201-unknown-identifier.model.ts',
];

describe('renderers on real reports', () => {
  let report: Report;
  // --verbose: every model's report (summary first would show only the models not as expected).
  const ctx = renderContext(fakeIo(), { ...defaultCliOptions(), color: false, verbose: true });
  beforeAll(async () => {
    report = await CHECKER.check(
      FILES.map((file) => ({ file: join(ROOT, file) })),
      DEFAULT_CHECK_OPTIONS,
    );
  });

  it('the JSON report validates against docs/report-schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs', 'report-schema.json'), 'utf8')));
    const ok = validate(JSON.parse(RENDERERS.json(report, ctx) as string));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('text stays ASCII within 72 columns (a diagnostic headline and a whole path may overflow)', () => {
    const text = RENDERERS.text(report, ctx) as string;
    for (const line of text.split('\n')) {
      expect(fitsWidth(line, 72), line).toBe(true);
      expect(/^[\x20-\x7e]*$/.test(line), line).toBe(true);
    }
    expect(text).toContain('WARNING: deadlock');
    expect(text).toContain('WARNING: possible recursive locking detected');
    expect(text).toContain('lockmc replay ');
  });
  it('junit, svg and html are well-formed; itf has a document per trace', () => {
    for (const f of ['junit', 'svg', 'html'] as const) expect(() => parseXml(RENDERERS[f](report, ctx) as string), f).not.toThrow();
    const traces = report.models.flatMap((m) => m.verdicts.flatMap((v) => (v.status === 'violated' ? v.findings.filter((x) => x.trace) : [])));
    expect((RENDERERS.itf(report, ctx) as unknown[]).length).toBe(traces.length);
  });
  it.skipIf(SARIF_SCHEMA_PATH === undefined)('sarif validates against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const ok = validate(JSON.parse(RENDERERS.sarif(report, ctx) as string));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('every format renders without throwing', () => {
    for (const f of FORMATS) expect(() => RENDERERS[f](report, ctx), f).not.toThrow();
  });
});

describe('commands on real models', () => {
  it('lint reports the coded diagnostic; the error fixture declares it, so it is as expected (exit 0)', async () => {
    const io = fakeIo({ cwd: ROOT });
    expect(await main(['lint', 'fixtures/errors/LMC201-unknown-identifier.model.ts', '--format', 'text', '--verbose'], io)).toBe(0);
    expect(io.stdout.replace(/\s+/g, ' ')).toContain('error LMC201: unknown identifier');
    expect(io.stdout.replace(/\s+/g, ' ')).toContain('model errors: 1 declared, 0 undeclared');
  });
  it('dump ir prints { model, sourceMap } as JSON', async () => {
    const io = fakeIo({ cwd: ROOT });
    expect(await main(['dump', 'ir', FILES[0]], io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(Object.keys(j)).toEqual(['model', 'sourceMap']);
    expect(j.model.file).toBe(FILES[0]);
  });
  it('dump system prints the transition system', async () => {
    const io = fakeIo({ cwd: ROOT });
    expect(await main(['dump', 'system', FILES[0]], io)).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(Array.isArray(j.vars)).toBe(true);
  });
  it('a fixture checked as declared exits 0, and replaying its trace gives the same trace', async () => {
    const io = fakeIo({ cwd: ROOT });
    expect(await main(['check', FILES[0], '--format', 'json', '-q'], io)).toBe(0);
    const r = JSON.parse(io.stdout) as Report;
    expect(r.models[0].expectation?.met).toBe(true);
    const f = r.models[0].verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : [])).find((x) => x.trace)!;
    const rep = fakeIo({ cwd: ROOT });
    await main(['replay', FILES[0], '--schedule', f.trace!.schedule, '--format', 'json'], rep);
    const rr = JSON.parse(rep.stdout) as Report;
    const replayed = rr.models[0].verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : [])).find((x) => x.trace)!;
    expect(replayed.trace!.steps.map((s) => s.op)).toEqual(f.trace!.steps.map((s) => s.op));
  });
  it('explain <rule> ends with its first bundled violating model', async () => {
    const io = fakeIo({ cwd: ROOT });
    expect(await main(['explain', 'deadlock'], io)).toBe(0);
    // The first violates- fixture of the rule's own directory, by name.
    const first = `fixtures/rules/deadlock/${readdirSync(join(ROOT, 'fixtures/rules/deadlock')).filter((f) => f.startsWith('violates-')).sort()[0]}`;
    expect(io.stdout).toContain(`minimal violating model:\n  ${first}\n\n`);
    expect(io.stdout.endsWith(readFileSync(join(ROOT, first), 'utf8').replace(/\s*$/, '\n'))).toBe(true);
  });
});

describe('explain picks the rule\'s own fixture', () => {
  it('lockdep-circular-dependency shows a fixture from its own directory', async () => {
    const { violatingFixture } = await import('../../cli/commands/info.js');
    const fx = violatingFixture('lockdep-circular-dependency', ROOT);
    expect(fx?.path).toMatch(/^fixtures\/rules\/lockdep-circular-dependency\/violates-/);
    expect(violatingFixture('no-such-rule', ROOT)).toBeUndefined();
  });
});
