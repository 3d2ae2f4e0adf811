/**
 * The pipeline end to end: verdicts and exit codes, expectations, replay
 * tokens that reproduce a finding exactly, and schedules that do not
 * replay becoming internal errors instead of traces.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { check, replay, resolveRules } from '../../checker/index.js';
import { canonicalSchedule, InternalError, prepareModel } from '../../checker/check-model.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../../checker/options.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts');
const OPTS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit', rules: { preset: 'all' } };

const ABBA = `/**
 * Two ioctls take a and b in opposite orders.
 */
const a = mutex();
const b = mutex();
export function one() { mutex_lock(a); mutex_lock(b); mutex_unlock(b); mutex_unlock(a); }
export function two() { mutex_lock(b); mutex_lock(a); mutex_unlock(a); mutex_unlock(b); }
`;

describe('check()', () => {
  it('the example gets its declared verdict and exit code 0', async () => {
    const r = await check([{ file: EXAMPLE }], OPTS);
    const m = r.models[0];
    expect(m.expectation).toEqual({ met: true, detail: 'as declared' });
    expect(r.exitCode).toBe(0);
    const v = m.verdicts.find((x) => x.rule === 'fence-signalling-no-reclaim');
    expect(v?.status).toBe('violated');
  });

  it('a model without @expect that violates a rule exits 1, with a deadlock trace', async () => {
    const r = await check([{ file: 'abba.model.ts', text: ABBA }], OPTS);
    expect(r.exitCode).toBe(1);
    const m = r.models[0];
    const dl = m.verdicts.find((x) => x.rule === 'deadlock');
    expect(dl?.status).toBe('violated');
    if (dl?.status !== 'violated') return;
    const t = dl.findings[0].trace!;
    // Each blocked thread's wait is a numbered step of its own (`blocks`).
    expect(t.steps.map((s) => `${s.threadName}: ${s.op}${s.blocks ? ' <blocks>' : ''}`)).toEqual([
      'one: mutex_lock(a)',
      'two: mutex_lock(b)',
      'one: mutex_lock(b) <blocks>',
      'two: mutex_lock(a) <blocks>',
    ]);
    expect(t.final.threads.map((x) => x.status)).toEqual(['blocked', 'blocked']);
    const cyc = m.verdicts.find((x) => x.rule === 'lockdep-circular-dependency');
    expect(cyc?.status).toBe('violated');
    if (cyc?.status === 'violated') {
      expect(cyc.findings[0].chain!.map((e) => `${e.from}->${e.to}`)).toEqual(['a->b', 'b->a']);
      expect(cyc.findings[0].possibleOnly).toBe(false);
    }
  });

  it('a cycle through classes named unlike their locks is realised by the deadlock it causes (regression: said "no interleaving deadlocks")', async () => {
    // memory_lock's class is `&vdev->memory_lock`, buf.resv's `reservation_ww_class_mutex`: the cycle names classes, the waits name locks.
    const file = join(ROOT, 'fixtures/rules/vfio-memory-lock-order/violates-memory-lock-under-resv.model.ts');
    const r = await check([{ file }], OPTS);
    const v = r.models[0].verdicts.find((x) => x.rule === 'vfio-memory-lock-order');
    expect(v?.status).toBe('violated');
    if (v?.status !== 'violated') return;
    const cyc = v.findings.find((f) => f.check === 'memory-lock-cycle')!;
    expect(cyc.possibleOnly).toBe(false);
    expect(cyc.trace!.steps.map((s) => `${s.threadName}: ${s.op}${s.blocks ? ' <blocks>' : ''}`)).toEqual([
      'vfio_reset: down_write(memory_lock)',
      'importer_ioctl: dma_resv_lock(buf.resv, NULL)',
      'vfio_reset: dma_resv_lock(buf.resv, NULL) <blocks>',
      'importer_ioctl: down_read(memory_lock) <blocks>',
    ]);
    expect(cyc.trace!.final.threads.map((t) => t.waitingFor?.kind === 'lock' && t.waitingFor.lockClass)).toEqual(['reservation_ww_class_mutex', '&vdev->memory_lock']);
  });

  it('a model with a semantic error exits 4 and checks nothing', async () => {
    const r = await check([{ file: 'bad.model.ts', text: 'const a = mutex();\nexport function t() { mutex_unlock(a); }\n' }], OPTS);
    expect(r.exitCode).toBe(4);
    expect(r.models[0].verdicts).toEqual([]);
    expect(r.models[0].diagnostics.map((d) => d.code)).toEqual(['LMC205']);
  });

  it('an unknown rule id is a usage error naming a suggestion', async () => {
    const r = await check([{ file: EXAMPLE }], { ...OPTS, rules: { enable: ['dedlock'] } });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics[0]).toMatchObject({ code: 'LMC303', message: "unknown rule 'dedlock' in enable", hint: "did you mean 'deadlock'?" });
  });
});

describe('replay()', () => {
  it('reproduces a finding from its token exactly', async () => {
    const r = await check([{ file: 'abba.model.ts', text: ABBA }], OPTS);
    const dl = r.models[0].verdicts.find((x) => x.rule === 'deadlock');
    if (dl?.status !== 'violated') throw new Error('expected a deadlock');
    const finding = dl.findings[0];
    const again = await replay('abba.model.ts', finding.trace!.schedule, OPTS, ABBA);
    const rv = again.models[0].verdicts.find((x) => x.rule === 'deadlock');
    expect(rv?.status).toBe('violated');
    if (rv?.status === 'violated') expect(rv.findings[0]).toEqual(finding);
  });

  it('refuses a token printed for another model', async () => {
    const r = await check([{ file: EXAMPLE }], OPTS);
    const v = r.models[0].verdicts.find((x) => x.status === 'violated' && x.findings[0].trace);
    if (v?.status !== 'violated') throw new Error('expected a violation with a trace');
    const again = await replay('abba.model.ts', v.findings[0].trace!.schedule, OPTS, ABBA);
    expect(again.exitCode).toBe(2);
    expect(again.models[0].diagnostics[0].code).toBe('LMC403');
  });
});

describe('schedules are replayed before they are shown', () => {
  it('a schedule that does not replay is an internal error, not a trace', () => {
    const p = prepareModel('abba.model.ts', ABBA, OPTS, resolveRules(OPTS));
    if ('report' in p) throw new Error('model did not compile');
    const { ts, ev } = p.prepared;
    const deadlock = ts.properties.findIndex((x) => x.kind === 'deadlock');
    // Thread two's second lock before thread one ran: not enabled in the initial state.
    const bogus = [ts.transitions.findLast((t) => t.thread === 1)!.id];
    expect(() => canonicalSchedule(ts, ev, bogus, deadlock, 'bmc', 'abba.model.ts')).toThrow(InternalError);
    expect(() => canonicalSchedule(ts, ev, bogus, deadlock, 'bmc', 'abba.model.ts')).toThrow(/does not replay/);
  });
});

describe('user rule files', () => {
  it('a declared order that contradicts the primed hierarchy stops the run with exit 5, naming both sides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-rules-'));
    const file = join(dir, 'bad-order.json');
    writeFileSync(file, JSON.stringify({ rules: [], order: [['fs_reclaim', 'reservation_ww_class_mutex']] }, null, 2));
    const r = await check([{ file: EXAMPLE }], { ...OPTS, rules: { preset: 'all', files: [file] } });
    expect(r.exitCode).toBe(5);
    expect(r.models).toEqual([]);
    const d = r.diagnostics.find((x) => x.code === 'LMC310');
    expect(d?.message).toContain(`${file}:4: fs_reclaim before reservation_ww_class_mutex`);
    expect(d?.message).toContain('P3');
  });

  it('a declared order is checked like a primed edge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-rules-'));
    const file = join(dir, 'order.json');
    writeFileSync(file, JSON.stringify({ rules: [], order: [['a', 'b']] }));
    const text = `const a = mutex();\nconst b = mutex();\nexport function t() { mutex_lock(b); mutex_lock(a); mutex_unlock(a); mutex_unlock(b); }\n`;
    const r = await check([{ file: 'one.model.ts', text }], { ...OPTS, rules: { preset: 'all', files: [file] } });
    const v = r.models[0].verdicts.find((x) => x.rule === 'lockdep-circular-dependency');
    expect(v?.status).toBe('violated');
    if (v?.status === 'violated') expect(v.findings[0].chain!.map((e) => (e.source.kind === 'primed' ? `${e.source.id}@${e.source.where}` : 'model'))).toEqual([`declared@${file}:1`, 'model']);
  });
});

describe('limits', () => {
  it('a fixture that misses its verdict only because of a time-out exits 7, naming the limit', async () => {
    const text = `/**\n * ABBA, checked only for the realised deadlock.\n * @expect violates deadlock\n */\n${ABBA.split('*/\n')[1]}`;
    const r = await check([{ file: 'abba.model.ts', text }], { ...OPTS, engine: 'bmc', timeoutMs: 1 });
    const m = r.models[0];
    expect(m.expectation?.met).toBe(false);
    const v = m.verdicts.find((x) => x.rule === 'deadlock');
    expect(v?.status).toBe('inconclusive');
    // The model's 1 ms cover the front end too: no front end parses a model that fast.
    if (v?.status === 'inconclusive') expect(v.limit).toEqual({ kind: 'timeout', ms: 1, phase: 'front end' });
    expect(r.exitCode).toBe(7);
  });

  it('a spent Z3 resource limit is inconclusive naming it, whatever the wall clock allows', async () => {
    const text = `/**\n * ABBA, checked only for the realised deadlock.\n * @expect violates deadlock\n */\n${ABBA.split('*/\n')[1]}`;
    const r = await check([{ file: 'abba.model.ts', text }], { ...OPTS, engine: 'bmc', timeoutMs: 600_000, z3Rlimit: 1 });
    const v = r.models[0].verdicts.find((x) => x.rule === 'deadlock');
    expect(v?.status).toBe('inconclusive');
    if (v?.status === 'inconclusive') expect(v.limit).toEqual({ kind: 'z3-unknown', reason: 'resource limit 1 reached' });
    expect(r.exitCode).toBe(7);
  });
});
