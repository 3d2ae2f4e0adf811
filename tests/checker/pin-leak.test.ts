/**
 * Issue #14, D2: the pin-leak terminal check. It is judged only when
 * every thread that ran has returned (a deadlock is not a leak), it points
 * at the pin of the object still pinned (not at the last step), and both
 * engines give the same verdict and the same finding.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS, type EngineChoice } from '../../checker/options.js';
import type { ModelReport } from '../../checker/report.js';
import { CHECK_BUDGET } from '../budgets.js';

const HEAD = "import type {} from 'lockmc/kernel';\nconst mm = mm_struct();\n";

async function run(text: string, engine: EngineChoice): Promise<ModelReport> {
  const r = await check([{ file: 'p.model.ts', text }], { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine, rules: { preset: 'all' } });
  return r.models[0]!;
}

const verdict = (m: ModelReport, rule: string) => m.verdicts.find((v) => v.rule === rule)!;

// Each thread pins, takes two locks in opposite orders, unpins: every run
// that returns unpins, and the AB-BA interleaving deadlocks with the pages pinned.
const DEADLOCK = `${HEAD}const ubo = userptr_object(mm);
const a = mutex();
const b = mutex();
export function t1() {
  pin_user_pages(ubo);
  mutex_lock(a);
  mutex_lock(b);
  mutex_unlock(b);
  mutex_unlock(a);
  unpin_user_pages(ubo);
}
export function t2() {
  mutex_lock(b);
  mutex_lock(a);
  mutex_unlock(a);
  mutex_unlock(b);
}
`;

// Line 7 pins kept (leaked), line 9 pins the object that is unpinned at line 10: the finding sits at line 7.
const TWO = `${HEAD}const kept = userptr_object(mm);
const freed = userptr_object(mm);
export function t() {
  device_write(kept);
  pin_user_pages(kept);
  device_write(freed);
  pin_user_pages(freed);
  unpin_user_pages(freed);
  device_write(freed);
}
`;

describe('pin-leak', () => {
  for (const engine of ['explicit', 'bmc'] as const) {
    it(`${engine}: a deadlocked run with pages pinned is the deadlock's finding, not a leak`, async () => {
      const m = await run(DEADLOCK, engine);
      expect(verdict(m, 'deadlock').status).toBe('violated');
      expect(['proved', 'holds-up-to']).toContain(verdict(m, 'pin-leak').status);
    }, 120_000);

    it(`${engine}: the finding names the object still pinned, at its pin`, async () => {
      const m = await run(TWO, engine);
      const v = verdict(m, 'pin-leak');
      expect(v.status).toBe('violated');
      if (v.status !== 'violated') return;
      expect(v.findings.map((f) => [f.check, f.at?.line, f.message])).toEqual([
        [
          'pages-never-unpinned',
          7,
          'pinned pages of kept never unpinned: every thread has returned and the pages pin_user_pages() pinned are still pinned; reclaim and migration can never have them back',
        ],
      ]);
      expect(v.findings[0]!.trace!.final.other).toEqual({ 'pages kept': 'pinned' });
    }, 120_000);
  }

  it('holds once every pin is unpinned', async () => {
    const m = await run(TWO.replace('  device_write(kept);\n  pin_user_pages(kept);', '  pin_user_pages(kept);\n  unpin_user_pages(kept);'), 'explicit');
    expect(verdict(m, 'pin-leak').status).toBe('proved');
  }, 120_000);
});

describe('pin_user_pages on a userptr object is GUP on its mm (D5)', () => {
  const PIN = (call: string, locked: boolean) =>
    `${HEAD}const ubo = userptr_object(mm);
export function t() {
${locked ? '  mmap_read_lock(mm);\n' : ''}  ${call}(ubo);
${locked ? '  mmap_read_unlock(mm);\n' : ''}  unpin_user_pages(ubo);
}
`;
  const states = async (text: string) => {
    const m = await run(text, 'explicit');
    return ['gup-needs-mmap-lock', 'pin-leak'].map((r) => `${r}: ${verdict(m, r).status}`);
  };

  it('pin_user_pages needs the caller to hold mmap_lock; pin_user_pages_fast takes it itself', async () => {
    expect(await states(PIN('pin_user_pages', false))).toEqual(['gup-needs-mmap-lock: violated', 'pin-leak: proved']);
    expect(await states(PIN('pin_user_pages', true))).toEqual(['gup-needs-mmap-lock: proved', 'pin-leak: proved']);
    expect(await states(PIN('pin_user_pages_fast', false))).toEqual(['gup-needs-mmap-lock: not-applicable', 'pin-leak: proved']);
  }, 120_000);
});
