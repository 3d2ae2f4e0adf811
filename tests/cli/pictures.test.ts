/**
 * The svg and html pictures of real reports (issue #12 item 8): lock and
 * thread labels whole, the final wait an edge from the waiter to the
 * holder (a loop for a self-deadlock), idle threads in one row, one
 * picture per group of findings, findings before the verdict list. The
 * structure is checked on the XML; then headless Chromium renders the
 * pictures, and a script in the page measures every label's box and
 * writes what it finds into the DOM, which `--dump-dom` hands back: no
 * label may be clipped by its picture or run into the thread column's
 * axis or a wait edge. Without Chromium (`/usr/bin/chromium`; .ci/run
 * installs it) those cases skip and say so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { ModelReport, Report } from '../../checker/report.js';
import * as CHECKER from '../../checker/index.js';
import { renderSvg } from '../../cli/render/svg.js';
import { renderHtml } from '../../cli/render/html.js';
import { pictureGroups } from '../../cli/render/picture-groups.js';
import { waitEdges } from '../../cli/render/wait-edges.js';
import { renderContext } from '../../cli/shared.js';
import { defaultCliOptions } from '../../cli/args.js';
import { fakeIo } from './fake-io.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';
import { CHECK_BUDGET } from '../budgets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RESET = 'fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts';
const ABBA = 'fixtures/rules/lockdep-circular-dependency/violates-abba-driver-locks.model.ts';
const USERPTR = 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts';
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('tests/cli/pictures.test.ts: no chromium at /usr/bin/chromium: the rendering cases are skipped (.ci/run installs it)');

const ctx = renderContext(fakeIo(), { ...defaultCliOptions(), color: false });
let report: Report;
const model = (file: string): ModelReport => report.models.find((m) => m.file.endsWith(file))!;
const classed = (root: XmlElement, name: string, cls: string): XmlElement[] => findAll(root, name).filter((e) => (e.attrs.class ?? '').split(' ').includes(cls));

beforeAll(async () => {
  // Relative paths, so titles and step lines read as a user's would.
  report = await CHECKER.check(
    [RESET, ABBA, USERPTR].map((file) => ({ file: join(ROOT, file) })),
    { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET },
  );
}, 600_000);

describe('wait edges', () => {
  it('a lock wait points at its owner, a fence wait at the one thread in a signalling section', () => {
    const g = pictureGroups(model(RESET));
    expect(waitEdges(g[0].trace)).toEqual([
      { waiter: 'run_job', target: 'gpu_reset_work', label: 'run_job waits for mutex reset_lock held by gpu_reset_work' },
      {
        waiter: 'gpu_reset_work',
        target: 'run_job',
        label: "gpu_reset_work waits for fence job (published, unsignalled) (signalled from run_job's fence signalling section)",
      },
    ]);
  });
  it('the ABBA deadlock is two edges, each to the other thread', () => {
    const edges = pictureGroups(model(ABBA)).flatMap((g) => waitEdges(g.trace));
    expect(edges.map((e) => [e.waiter, e.target])).toContainEqual(['queue_create_ioctl', 'vm_destroy_ioctl']);
    expect(edges.map((e) => [e.waiter, e.target])).toContainEqual(['vm_destroy_ioctl', 'queue_create_ioctl']);
  });
  it('a thread waiting on the fence it would signal itself is a self-edge', () => {
    const g = pictureGroups(model(USERPTR))[0];
    expect(waitEdges(g.trace)).toEqual([
      { waiter: 'run_job', target: 'run_job', label: 'run_job waits for fence job (published, unsignalled) (it is itself in the fence signalling section)' },
    ]);
  });
});

describe('svg structure', () => {
  it('one picture per group: findings sharing a schedule share a picture', () => {
    const svg = parseXml(renderSvg({ ...report, models: [model(RESET)] }, ctx));
    const traces = classed(svg, 'g', 'trace');
    const groups = pictureGroups(model(RESET));
    expect(traces).toHaveLength(groups.length);
    expect(groups[0].findings.map((f) => f.rule)).toEqual(['deadlock', 'fence-finite', 'fence-finite']);
    expect(findAll(traces[0], 'text')[0].text).toBe(`deadlock, fence-finite: ${model(RESET).file}`);
  });
  it('draws the self-deadlock as a loop and the idle threads as one row', () => {
    const svg = parseXml(renderSvg({ ...report, models: [model(USERPTR)] }, ctx));
    const first = classed(svg, 'g', 'trace')[0];
    expect(classed(first, 'path', 'loop')).toHaveLength(1);
    expect(classed(first, 'g', 'lane').map((l) => findAll(l, 'text')[0].text)).toEqual(['cs_ioctl', 'run_job']);
    expect(classed(first, 'text', 'idle-text').map((t) => t.text)).toEqual(['idle (no step in this trace): mmu:invalidate, kswapd']);
  });
  it('prints every lock label whole', () => {
    const svg = parseXml(renderSvg({ ...report, models: [model(USERPTR)] }, ctx));
    const labels = classed(svg, 'text', 'lock').map((t) => t.text);
    expect(labels).toContain('mmu_notifier_invalidate_range_start');
    expect(labels).toContain('ctx (reservation_ww_class_acquire)');
    expect(labels.filter((l) => l.endsWith('~'))).toEqual([]);
  });
});

describe('html structure', () => {
  it('per model: the pictures and findings come before the verdict list', () => {
    const html = parseXml(renderHtml({ ...report, models: [model(RESET)] }, ctx));
    const section = classed(html, 'section', 'model')[0];
    const order = section.children.map((c) => `${c.name}.${c.attrs.class ?? ''}`);
    expect(order.indexOf('section.group')).toBeGreaterThan(-1);
    expect(order.indexOf('section.group')).toBeLessThan(order.indexOf('ul.verdicts'));
    expect(order.lastIndexOf('section.group')).toBeLessThan(order.indexOf('ul.verdicts'));
    expect(findAll(section, 'svg')).toHaveLength(pictureGroups(model(RESET)).length);
    // Every finding still has its own text report.
    const findings = model(RESET).verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : []));
    expect(classed(section, 'pre', 'report')).toHaveLength(findings.length);
  });
});

/** What the page script found: how many labels it measured, and each problem. */
interface Measured {
  pictures: number;
  texts: number;
  problems: { problem: string; text: string }[];
}

/*
 * Runs in the page. For each picture (an svg, or a `g.trace` inside one),
 * the drawing's width is its lane background's; every text box must lie
 * inside it and inside the svg, a thread name must end before its lane's
 * axis begins, and a lock label must not cross a wait edge.
 */
const MEASURE = `
(function () {
  var problems = [], texts = 0, pictures = 0;
  function box(e, o) { var r = e.getBoundingClientRect(); return { l: r.left - o.left, r: r.right - o.left, t: r.top - o.top, b: r.bottom - o.top }; }
  function cross(a, b) { return a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b; }
  document.querySelectorAll('svg').forEach(function (svg) {
    var o = svg.getBoundingClientRect();
    var W = svg.width.baseVal.value, H = svg.height.baseVal.value;
    var drawings = svg.querySelectorAll('g.trace').length ? svg.querySelectorAll('g.trace') : [svg];
    drawings.forEach(function (d) {
      pictures++;
      var bg = d.querySelector('rect.lane-bg');
      var dw = bg ? bg.width.baseVal.value : W;
      var edges = [].map.call(d.querySelectorAll('g.blocking-edge line, g.blocking-edge path'), function (e) { return box(e, o); });
      d.querySelectorAll('text').forEach(function (t) {
        texts++;
        var b = box(t, o);
        if (b.l < 0 || b.t < 0 || b.r > W + 0.5 || b.b > H + 0.5) problems.push({ problem: 'outside the svg', text: t.textContent });
        else if (b.r > dw + 0.5) problems.push({ problem: 'wider than its drawing (' + Math.round(b.r) + ' > ' + dw + ')', text: t.textContent });
        if (t.classList.contains('lock') && edges.some(function (e) { return cross(b, e); })) problems.push({ problem: 'crossed by a wait edge', text: t.textContent });
      });
      d.querySelectorAll('g.lane').forEach(function (lane) {
        var name = box(lane.querySelector('text.thread'), o), axis = box(lane.querySelector('line.lane-axis'), o);
        if (name.r > axis.l) problems.push({ problem: 'runs into the lane axis', text: lane.querySelector('text.thread').textContent });
      });
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'lockmc-measure';
  pre.textContent = JSON.stringify({ pictures: pictures, texts: texts, problems: problems });
  document.body.appendChild(pre);
})();
`;

function chromium(args: string[], dir: string): string {
  const r = spawnSync(
    CHROMIUM!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, ...args],
    { timeout: 120_000, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Load `page` (an html document) with the measuring script appended, and read back what it wrote. */
function measure(page: string): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-pictures-'));
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, page.replace('</body>', `<script>${MEASURE}</script></body>`));
    const dom = chromium(['--dump-dom', `file://${file}`], dir);
    const m = /<pre id="lockmc-measure">([^<]*)<\/pre>/.exec(dom);
    if (!m) throw new Error(`the page script wrote nothing: ${dom.slice(0, 400)}`);
    return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Measured;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A screenshot's size and whether it has more than a background: PNG header and file size. */
function screenshot(page: string, ext: 'svg' | 'html', w: number, h: number): { width: number; height: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lockmc-pictures-'));
  try {
    const file = join(dir, `page.${ext}`);
    const png = join(dir, 'shot.png');
    writeFileSync(file, page);
    chromium([`--screenshot=${png}`, `--window-size=${w},${h}`, `file://${file}`], dir);
    const buf = readFileSync(png);
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bytes: buf.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const svgPage = (svg: string): string => `<!DOCTYPE html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>\n/, '')}</body></html>`;

describe.skipIf(!CHROMIUM)('rendered in headless Chromium', () => {
  it('svg: every label of every picture is whole and inside its drawing', () => {
    const svg = renderSvg(report, ctx);
    const m = measure(svgPage(svg));
    expect(m.problems).toEqual([]);
    expect(m.pictures).toBe(report.models.reduce((n, x) => n + pictureGroups(x).length, 0));
    expect(m.texts).toBe(findAll(parseXml(svg), 'text').length);
  });
  it('html: every label of every picture is whole and inside its drawing', () => {
    const html = renderHtml(report, ctx);
    const m = measure(html);
    expect(m.problems).toEqual([]);
    expect(m.pictures).toBe(report.models.reduce((n, x) => n + pictureGroups(x).length, 0));
  });
  it('a label the drawing is too narrow for is caught (the check can fail)', () => {
    const svg = renderSvg({ ...report, models: [model(ABBA)] }, ctx).replace(/<rect class="lane-bg" x="0" y="(\d+)" width="\d+"/, '<rect class="lane-bg" x="0" y="$1" width="150"');
    expect(measure(svgPage(svg)).problems.length).toBeGreaterThan(0);
  });
  it('the svg and html screenshots are the window size and not blank', () => {
    for (const [page, ext] of [
      [renderSvg({ ...report, models: [model(RESET)] }, ctx), 'svg'],
      [renderHtml({ ...report, models: [model(USERPTR)] }, ctx), 'html'],
    ] as const) {
      const shot = screenshot(page, ext, 1200, 800);
      expect([shot.width, shot.height], ext).toEqual([1200, 800]);
      // A white 1200x800 PNG compresses to about 4 KB; the drawing's text and lanes do not.
      expect(shot.bytes, ext).toBeGreaterThan(20_000);
    }
  });
});
