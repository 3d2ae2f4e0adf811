/**
 * A splat in the kernel's own words (issue #12, item 5), on reports the
 * real pipeline produced: reclaim acquires fs_reclaim, a fence that never
 * signals is a hung task, lockdep's lock()/rlock() modes, every blocking
 * wait a numbered step, inlined helpers keep their call path, a message
 * names the one held lock that matters, and no monitor internals show.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import * as CHECKER from '../../checker/index.js';
import type { Report } from '../../checker/report.js';
import { renderText } from '../../cli/render/text.js';
import { renderJson } from '../../cli/render/json.js';
import { RENDERERS } from '../../cli/render/index.js';
import { traceToItf } from '../../cli/render/itf.js';
import { CHECK_BUDGET } from '../budgets.js';
import { CTX } from './sample-reports.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DRIVER = 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts';

const INLINED = `/** @expect violates lockdep-circular-dependency/cycle at 9 */
import type {} from 'lockmc/kernel';
const bo = dma_resv_object();
const vm_lock = mutex();

function amdgpu_cs_bind(ctx) {
  dma_resv_lock(bo, ctx);
  dma_resv_unlock(bo);
}

export function cs_ioctl() {
  const ctx = ww_acquire_init(reservation_ww_class);
  mutex_lock(vm_lock);
  amdgpu_cs_bind(ctx);
  mutex_unlock(vm_lock);
  ww_acquire_fini(ctx);
}

export function evict() {
  dma_resv_lock(bo, NULL);
  mutex_lock(vm_lock);
  mutex_unlock(vm_lock);
  dma_resv_unlock(bo);
}

threads(evict, cs_ioctl);
`;

const MODES = `import type {} from 'lockmc/kernel';
const mm = mm_struct();
const l = mutex();

export function reader() {
  mmap_read_lock(mm);
  mutex_lock(l);
  mutex_unlock(l);
  mmap_read_unlock(mm);
}

export function writer() {
  mutex_lock(l);
  mmap_write_lock(mm);
  mmap_write_unlock(mm);
  mutex_unlock(l);
}

threads(reader, writer);
`;

const CULPRIT = `import type {} from 'lockmc/kernel';
const bo = dma_resv_object();
const outer = mutex();
const mm = mm_struct();

export function ioctl() {
  mutex_lock(outer);
  dma_resv_lock(bo, NULL);
  copy_from_user(mm);
  dma_resv_unlock(bo);
  mutex_unlock(outer);
}

threads(ioctl);
`;

function block(text: string, first: string, lines: number): string {
  const all = text.split('\n');
  const i = all.indexOf(first);
  if (i < 0) throw new Error(`no line ${JSON.stringify(first)} in:\n${text}`);
  return all.slice(i, i + lines).join('\n');
}

describe("lockdep's words on real reports", () => {
  let driver: Report;
  let inlined: Report;
  let modes: Report;
  let culprit: Report;
  let text: (r: Report) => string;
  beforeAll(async () => {
    const options = { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET };
    expect(process.cwd()).toBe(ROOT);
    [driver, inlined, modes, culprit] = await Promise.all([
      CHECKER.check([{ file: DRIVER, text: readFileSync(join(ROOT, DRIVER), 'utf8') }], options),
      CHECKER.check([{ file: 'inlined.model.ts', text: INLINED }], options),
      CHECKER.check([{ file: 'modes.model.ts', text: MODES }], options),
      CHECKER.check([{ file: 'culprit.model.ts', text: CULPRIT }], options),
    ]);
    text = (r) => renderText(r, CTX);
  });

  it('an allocation that may reclaim acquires fs_reclaim; the chain goes on through the primed notifier map', () => {
    const t = text(driver);
    expect(block(t, 'run_job is trying to acquire lock:', 28)).toBe(
      [
        'run_job is trying to acquire lock:',
        '  (fs_reclaim), at:',
        '    fixtures/drivers/userptr-notifier-waits-on-job.model.ts:27 kmalloc',
        '',
        'but task is already holding lock:',
        '  (dma_fence_map), at:',
        '    fixtures/drivers/userptr-notifier-waits-on-job.model.ts:26',
        '',
        'which lock already depends on the new lock.',
        '',
        'the existing dependency chain (in reverse order) is:',
        '',
        '-> #2 (dma_fence_map):',
        '       primed P6: dma_resv_lockdep -> __dma_fence_might_wait',
        '',
        '-> #1 (mmu_notifier_invalidate_range_start):',
        '       primed P4: dma_resv_lockdep -> fs_reclaim_acquire',
        '',
        '-> #0 (fs_reclaim):',
        '       run_job: kmalloc at',
        '         fixtures/drivers/userptr-notifier-waits-on-job.model.ts:27',
        '         -(SN)->',
        '       holding dma_fence_map since',
        '         fixtures/drivers/userptr-notifier-waits-on-job.model.ts:26',
        '',
        'other info that might help us debug this:',
        '',
        'Chain exists of:',
      ].join('\n'),
    );
    expect(t).toContain(
      'kmalloc records dma_fence_map -> fs_reclaim; the primed reclaim order\nleads from fs_reclaim back to dma_fence_map, closing a cycle\n',
    );
    // In the trace, the allocation takes fs_reclaim; the notifier it runs takes the notifier map.
    expect(t).toContain(
      [
        '   9. [run_job] kmalloc(GFP_KERNEL)',
        '      at fixtures/drivers/userptr-notifier-waits-on-job.model.ts:27',
        '      role: enter reclaim, acquire fs_reclaim; run mmu notifier',
        '        invalidate() under mmu_notifier_invalidate_range_start',
      ].join('\n'),
    );
    expect(t).not.toMatch(/acquire lock:\n {2}\(mmu_notifier_invalidate_range_start\)/);
  });

  it('a fence that never signals is a hung task, not a DEADLOCK, with its wait as the last numbered step', () => {
    const t = text(driver);
    expect(block(t, 'INFO: task run_job blocked for more than 120 seconds.', 23)).toBe(
      [
        'INFO: task run_job blocked for more than 120 seconds.',
        'lockmc: fixtures/drivers/userptr-notifier-waits-on-job.model.ts (kernel',
        '  v7.0)',
        '-----------------------------------------------------',
        'rule deadlock (check deadlock, error):',
        '  No interleaving may leave a thread blocked forever on a lock, a fence',
        '  wait, a ww_mutex or a flushed work item.',
        'also violates: fence-finite (published-unsignalled), fence-finite',
        '  (wait-never-signalled)',
        '',
        'deadlock: run_job and every thread it waits for are blocked forever',
        '',
        'task:run_job state:D (uninterruptible sleep), stuck in:',
        '  dma_fence_wait(job) at',
        '    fixtures/drivers/userptr-notifier-waits-on-job.model.ts:34',
        '    in: direct reclaim from kmalloc(GFP_KERNEL) at',
        '        fixtures/drivers/userptr-notifier-waits-on-job.model.ts:27 (mmu',
        '        notifier invalidate())',
        '  waiting for fence job (published, unsignalled)',
        '',
        'Showing all locks held by the task:',
        '4 locks held by run_job:',
        ' #0: dma_fence_map',
      ].join('\n'),
    );
    expect(t).toContain('  11. [run_job] dma_fence_wait(job)  <-- blocks\n');
    // The fence findings are hangs: lockdep's DEADLOCK banner only closes lock-order scenarios here.
    const splats = t.split(/\n(?==+\n)/);
    for (const s of splats.filter((x) => x.includes('INFO: task'))) expect(s).not.toContain('DEADLOCK');
    // One root cause, one report: the two fence-finite findings of the same schedule are named under it (issue #12 item 3).
    expect(splats.filter((x) => x.includes('INFO: task run_job')).length).toBe(1);
  });

  it('kernel references are chosen per finding: a fence hang cites the fence wait and the hung-task watchdog, not ww_mutex', () => {
    const t = text(driver);
    const hang = t.split(/\n(?==+\n)/).find((x) => x.includes('INFO: task run_job') && x.includes('rule deadlock'))!;
    expect(block(hang, 'kernel references:', 5)).toBe(
      [
        'kernel references:',
        '  - drivers/dma-buf/dma-fence.c (__dma_fence_might_wait)',
        '  - drivers/dma-buf/dma-fence.c (dma_fence_wait_timeout)',
        '  - kernel/hung_task.c (check_hung_task)',
        '',
      ].join('\n'),
    );
    // The reclaim cycle cites where its primed edges come from.
    expect(t).toContain('  - mm/page_alloc.c (fs_reclaim_acquire): primed P4: fs_reclaim ->\n    mmu_notifier_invalidate_range_start\n');
    // An ABBA of a mutex and a dma_resv with no read lock and no trylock: the rule's notes on those are left out.
    const abba = text(inlined).split(/\n(?==+\n)/).find((x) => x.includes('possible circular locking'))!;
    // The specific rule (a driver lock at a fixed place) leads the cycle's
    // report; lockdep's own functions are cited under whichever rule leads.
    expect(abba).toContain('rule driver-lock-fixed-place (check cycle, error):');
    expect(block(abba, 'kernel references:', 5)).toBe(
      [
        'kernel references:',
        '  - drivers/dma-buf/dma-resv.c (dma_resv_lockdep)',
        '  - kernel/locking/lockdep.c (check_noncircular)',
        '  - kernel/locking/lockdep.c (print_circular_bug)',
        '',
      ].join('\n'),
    );
  });

  it('no internal monitor name in any output', () => {
    expect(text(driver)).not.toContain('mon.');
    expect(renderJson(driver, CTX)).not.toContain('mon.');
    expect(JSON.stringify(RENDERERS.itf(driver, CTX))).not.toContain('mon.');
    expect(String(RENDERERS.sarif(driver, CTX))).not.toContain('mon.');
  });

  it('itf keeps the states the run reached; a blocked call is named in its meta', () => {
    const m = driver.models[0];
    const f = m.verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : [])).find((x) => x.rule === 'deadlock')!;
    const doc = traceToItf(f.trace!, f, m, driver) as { '#meta': { blocked?: string[] }; states: unknown[] };
    expect(doc['#meta'].blocked).toEqual(['run_job: dma_fence_wait(job)']);
    expect(doc.states.length).toBe(f.trace!.steps.filter((s) => !s.blocks).length + 1);
  });

  it('inlined helpers keep the call path in the chain and the trace', () => {
    const t = text(inlined);
    const flat = t.replace(/\s+/g, ' ');
    expect(flat).toContain('cs_ioctl is trying to acquire lock: (reservation_ww_class_mutex), at: inlined.model.ts:7 cs_ioctl -> amdgpu_cs_bind -> dma_resv_lock but task');
    expect(flat).toContain('cs_ioctl: cs_ioctl -> amdgpu_cs_bind -> dma_resv_lock at inlined.model.ts:7 -(EN)->');
    // The step written in the helper says how it got there; the caller's own steps do not.
    expect(t).toMatch(/\] dma_resv_lock\(bo, ctx\)[^\n]*\n {5}at inlined\.model\.ts:7\n {5}via: cs_ioctl -> amdgpu_cs_bind -> dma_resv_lock\n/);
    expect(t).toMatch(/\] mutex_lock\(vm_lock\)[^\n]*\n {5}at inlined\.model\.ts:13\n {5}held:/);
  });

  it("the scenario prints modes as lockdep does: a down_write is lock(), a held read lock rlock()", () => {
    const t = text(modes);
    expect(block(t, ' Possible unsafe locking scenario:', 8)).toBe(
      [
        ' Possible unsafe locking scenario:',
        '',
        '  writer                             reader',
        '  ------                             ------',
        '  lock(l);',
        '                                     lock(&mm->mmap_lock);',
        '                                     lock(l);',
        '  lock(&mm->mmap_lock);',
      ].join('\n'),
    );
  });

  it('a message names the one held lock the rule is about, not the whole held set', () => {
    const t = text(culprit);
    expect(t).toContain('copy_from_user may fault and take &mm->mmap_lock while bo\n(reservation_ww_class_mutex) is held;');
    expect(t).not.toMatch(/while outer \(outer\), bo/);
  });
});
