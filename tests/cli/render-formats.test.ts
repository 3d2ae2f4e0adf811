import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../checker/report.js';
import { RENDERERS, FORMATS } from '../../cli/render/index.js';
import { renderJson } from '../../cli/render/json.js';
import { renderItf } from '../../cli/render/itf.js';
import { buildSarif, renderSarif } from '../../cli/render/sarif.js';
import { renderJunit } from '../../cli/render/junit.js';
import { holdBars, renderSvg } from '../../cli/render/svg.js';
import { renderHtml } from '../../cli/render/html.js';
import { renderPretty } from '../../cli/render/pretty.js';
import { renderText } from '../../cli/render/text.js';
import { CIRCULAR_TRACE, CTX, DEADLOCK_FINDING, cleanReport, sampleReport } from './sample-reports.js';
import { golden } from './golden-util.js';
import { SARIF_SCHEMA_PATH, sarifValidator } from './sarif-schema.js';
import { findAll, parseXml } from './xml-check.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REPORT_SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs', 'report-schema.json'), 'utf8'));

function reportValidator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(REPORT_SCHEMA);
}

describe('registry', () => {
  it('has exactly one renderer per format', () => {
    expect(Object.keys(RENDERERS).sort()).toEqual([...FORMATS].sort());
  });
  it('every renderer is deterministic on the same report', () => {
    for (const f of FORMATS) {
      expect(RENDERERS[f](sampleReport(), CTX), f).toEqual(RENDERERS[f](sampleReport(), CTX));
    }
  });
});

describe('json', () => {
  const validate = reportValidator();
  it('round-trips the report with sorted keys and matches its golden', () => {
    const out = renderJson(sampleReport(), CTX);
    expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(sampleReport())));
    expect(out).toBe(golden('sample.json', out));
    const keys = Object.keys(JSON.parse(out));
    expect(keys).toEqual([...keys].sort());
  });
  it('every rendered report validates against docs/report-schema.json', () => {
    for (const r of [sampleReport(), cleanReport()]) {
      const ok = validate(JSON.parse(renderJson(r, CTX)));
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });
  it('the schema rejects what the Report type forbids', () => {
    const bad = JSON.parse(renderJson(sampleReport(), CTX));
    bad.models[0].verdicts[1].status = 'ok';
    expect(validate(bad)).toBe(false);
    const bad2 = JSON.parse(renderJson(sampleReport(), CTX));
    delete bad2.models[0].verdicts[2].bound;
    expect(validate(bad2)).toBe(false);
    const bad3 = JSON.parse(renderJson(cleanReport(), CTX));
    bad3.exitCode = 9;
    expect(validate(bad3)).toBe(false);
  });
});

describe('itf', () => {
  it('writes one ADR-015 document per trace', () => {
    const files = renderItf(sampleReport(), CTX);
    expect(files.map((f) => f.name)).toEqual([
      'userptr-notifier-waits-on-job.fence-signalling-no-reclaim.1.itf.json',
      'violates-abba.no-deadlock.1.itf.json',
    ]);
    const doc = JSON.parse(files[1].content);
    expect(doc['#meta'].format).toBe('ITF');
    expect(doc.vars).toEqual(['step', 'thread', 'op', 'outcome', 'role', 'at', 'context', 'preemption', 'held']);
    expect(doc.states).toHaveLength(5);
    doc.states.forEach((s: Record<string, unknown>, i: number) => {
      expect((s['#meta'] as { index: number }).index).toBe(i);
      for (const v of doc.vars) expect(s, `state ${i} binds ${v}`).toHaveProperty(v);
    });
    // held carries forward for the thread that did not act.
    expect(doc.states[2].held).toEqual({ thread_a: { '#set': ['a (a)'] }, thread_b: { '#set': ['b (b)'] } });
    expect(doc.states[2].preemption).toBe(true);
    expect(files[0].content).toBe(golden('sample.itf.json', files[0].content));
  });
});

describe('sarif', () => {
  const sarif = buildSarif(sampleReport(), CTX) as any;
  it('matches its golden', () => {
    const out = renderSarif(sampleReport(), CTX);
    expect(out).toBe(golden('sample.sarif', out));
  });
  it('has rules from metadata and one result per finding or diagnostic', () => {
    const run = sarif.runs[0];
    expect(sarif.version).toBe('2.1.0');
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['fence-map-read-trylock', 'fence-signalling-no-reclaim', 'no-deadlock', 'order-canonical', 'ww-backoff', 'LMC105', 'LMC201']);
    const fence = run.tool.driver.rules[1];
    expect(fence.shortDescription.text).toBe(CTX.ruleMeta('fence-signalling-no-reclaim')!.summary);
    expect(fence.properties.citations[0]).toBe('drivers/dma-buf/dma-fence.c (dma_fence_begin_signalling)');
    expect(run.results).toHaveLength(6);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });
  it('one threadFlow per model thread, ordered steps, file/line/col', () => {
    const r = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'no-deadlock');
    const flows = r.codeFlows[0].threadFlows;
    expect(flows.map((f: { id: string }) => f.id)).toEqual(['thread_a', 'thread_b']);
    expect(flows[0].locations.map((l: { executionOrder: number }) => l.executionOrder)).toEqual([1, 4]);
    expect(flows[1].locations[0].location.physicalLocation).toEqual({
      artifactLocation: { uri: 'fixtures/rules/no-deadlock/violates-abba.model.ts' },
      region: { startLine: 16, startColumn: 3 },
    });
    // kswapd never ran in the circular trace, yet it has its threadFlow.
    const c = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'fence-signalling-no-reclaim');
    expect(c.codeFlows[0].threadFlows.map((f: { id: string }) => f.id)).toEqual(['cs_ioctl', 'run_job', 'kswapd']);
    expect(c.codeFlows[0].threadFlows[2].locations).toHaveLength(1);
  });

  it.skipIf(SARIF_SCHEMA_PATH === undefined)('validates against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    for (const r of [sampleReport(), cleanReport()]) {
      const ok = validate(JSON.parse(renderSarif(r, CTX)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
    const broken = JSON.parse(renderSarif(sampleReport(), CTX));
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });
});

describe('junit', () => {
  const xml = renderJunit(sampleReport(), CTX);
  it('matches its golden and is well-formed', () => {
    expect(xml).toBe(golden('sample.junit.xml', xml));
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '10', failures: '5', errors: '2', skipped: '1' });
  });
  it('one testcase per model x rule; failures carry the text trace', () => {
    const root = parseXml(xml);
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'fixtures/drivers/userptr-notifier-waits-on-job.model.ts',
      'fixtures/rules/no-deadlock/violates-abba.model.ts',
      'fixtures/errors/lmc201-unknown-identifier.model.ts',
    ]);
    const cases = findAll(suites[0], 'testcase').map((c) => c.attrs.name);
    expect(cases).toEqual(['fence-signalling-no-reclaim', 'order-canonical', 'ww-backoff', 'no-deadlock', 'fence-map-read-trylock']);
    const failure = findAll(suites[0], 'failure')[0];
    expect(failure.attrs.message).toBe('kmalloc(GFP_KERNEL) may enter reclaim inside a fence signalling section');
    expect(failure.text).toContain('WARNING: possible circular locking dependency detected');
    expect(failure.text).toContain('lockmc replay');
    expect(findAll(suites[1], 'testcase').map((c) => c.attrs.name)).toEqual(['expectation', 'no-deadlock', 'ww-backoff', 'order-canonical']);
    expect(findAll(suites[2], 'error')[0].attrs.type).toBe('LMC201');
  });
});

function pngSize(file: string): { width: number; height: number; colours: number } {
  // Decode enough of the PNG to count distinct pixel values: a blank or
  // single-colour screenshot has one.
  const buf = readFileSync(file);
  expect(buf.subarray(1, 4).toString()).toBe('PNG');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const bitDepth = buf[24];
  const colorType = buf[25];
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.subarray(off + 4, off + 8).toString();
    if (type === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = (colorType === 6 ? 4 : colorType === 2 ? 3 : 1) * (bitDepth / 8);
  const stride = width * bpp + 1;
  const seen = new Set<string>();
  // Filter bytes make raw rows differ from pixels; distinct filtered rows still tell blank from drawn.
  for (let y = 0; y < height && seen.size < 50; y += 7) seen.add(raw.subarray(y * stride + 1, (y + 1) * stride).toString('base64'));
  return { width, height, colours: seen.size };
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function screenshot(file: string, w: number, h: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-shot-'));
  const png = join(dir, 'shot.png');
  const r = spawnSync(
    CHROMIUM!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--screenshot=${png}`,
      `--window-size=${w},${h}`,
      `file://${file}`,
    ],
    { timeout: 60_000, encoding: 'utf8' },
  );
  if (!existsSync(png)) throw new Error(`chromium made no screenshot: ${r.stderr}`);
  return png;
}

describe('svg and html', () => {
  const svg = renderSvg(sampleReport(), CTX);
  const html = renderHtml(sampleReport(), CTX);
  it('svg matches its golden and is well-formed with lanes, bars and the blocking edge', () => {
    expect(svg).toBe(golden('sample.svg', svg));
    const root = parseXml(svg);
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const traces = findAll(root, 'g').filter((g) => g.attrs.class === 'trace');
    expect(traces).toHaveLength(2);
    const lanes = findAll(traces[1], 'g').filter((g) => g.attrs.class === 'lane');
    expect(lanes.map((l) => findAll(l, 'text')[0].text)).toEqual(['thread_a', 'thread_b']);
    const edges = findAll(traces[1], 'g').filter((g) => g.attrs.class === 'blocking-edge');
    expect(edges.map((e) => findAll(e, 'title')[0].text)).toEqual(['thread_a waits for b (b) held by thread_b', 'thread_b waits for a (a) held by thread_a']);
    const holds = findAll(traces[1], 'rect').filter((r) => r.attrs.class === 'hold');
    expect(holds).toHaveLength(2);
  });
  it('hold bars follow the held lists', () => {
    const bars = holdBars(CIRCULAR_TRACE);
    expect(bars.get('run_job')!.map((b) => [b.lock, b.from, b.to, b.open])).toEqual([
      ['dma_fence_map', 1, 6, true],
      ['fs_reclaim', 2, 6, true],
      ['mmu_notifier_invalidate_range_start', 3, 6, true],
      ['notifier_lock (notifier_lock)', 4, 6, true],
    ]);
    expect(bars.get('cs_ioctl')).toEqual([]);
    const dl = holdBars(DEADLOCK_FINDING.trace!);
    expect(dl.get('thread_b')!.map((b) => [b.lock, b.from, b.to])).toEqual([['b (b)', 2, 5]]);
  });
  it('svg without traces still says why', () => {
    const out = renderSvg(cleanReport(), CTX);
    expect(parseXml(out).name).toBe('svg');
    expect(out).toContain('no trace to draw');
  });
  it('html is well-formed and embeds a picture and the text per finding', () => {
    expect(html).toBe(golden('sample.html', html));
    const root = parseXml(html);
    expect(root.name).toBe('html');
    expect(findAll(root, 'section').filter((s) => s.attrs.class === 'finding')).toHaveLength(4);
    expect(findAll(root, 'svg')).toHaveLength(2);
    expect(findAll(root, 'pre').filter((p) => p.attrs.class === 'report')).toHaveLength(4);
  });
  it.skipIf(!CHROMIUM)('renders in headless chromium to a non-blank picture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-svg-'));
    try {
      const f = join(dir, 'trace.svg');
      writeFileSync(f, svg);
      const png = screenshot(f, 900, 700);
      expect(statSync(png).size).toBeGreaterThan(3000);
      const p = pngSize(png);
      expect(p.width).toBe(900);
      expect(p.colours).toBeGreaterThan(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pretty', () => {
  it('without colour equals text (same breaks) when the content is ASCII', () => {
    const r: Report = cleanReport();
    expect(renderPretty(r, { ...CTX, color: false, width: 72 })).toBe(renderText(r, CTX));
  });
  it('with colour adds ANSI escapes but the same words', () => {
    const r = sampleReport();
    const coloured = renderPretty(r, { ...CTX, color: true, width: 72 });
    expect(coloured).toMatch(/\x1b\[/);
    const stripped = coloured.replace(/\x1b\[[0-9;]*m/g, '');
    expect(stripped.replace(/\s+/g, ' ')).toBe(renderPretty(r, { ...CTX, color: false, width: 72 }).replace(/\s+/g, ' '));
  });
});

describe('run-level errors', () => {
  const r: Report = {
    ...cleanReport(),
    models: [],
    diagnostics: [{ code: 'LMC303', severity: 'error', message: "unknown rule 'x' in enable", hint: 'run `lockmc rules` for the list' }],
    exitCode: 2,
  };
  it('junit shows them as an errored suite', () => {
    const root = parseXml(renderJunit(r, CTX));
    expect(root.attrs).toMatchObject({ tests: '1', errors: '1' });
    expect(findAll(root, 'error')[0].attrs).toEqual({ message: "LMC303: unknown rule 'x' in enable", type: 'LMC303' });
  });
  it('sarif marks the invocation unsuccessful and reports the diagnostic', () => {
    const s = buildSarif(r, CTX) as any;
    expect(s.runs[0].invocations[0]).toEqual({ executionSuccessful: false, exitCode: 2 });
    expect(s.runs[0].results[0]).toMatchObject({ ruleId: 'LMC303', level: 'error' });
  });
});
