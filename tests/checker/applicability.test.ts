import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import type { Report, Verdict } from '../../checker/report.js';
import { renderJunit } from '../../cli/render/junit.js';
import { CHECK_BUDGET } from '../budgets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ABBA = 'fixtures/rules/lockdep-circular-dependency/violates-abba-driver-locks.model.ts';
const TRYLOCK = 'fixtures/rules/lockdep-recursive-locking/holds-resv-trylock-under-ctx.model.ts';
const REASON = 'no step, lock or object of this model matches its checks';

const HOLDS = `/**
 * Two mutexes, always in one order.
 *
 * @expect holds all
 */
import type {} from 'lockmc/kernel';

const a = mutex();
const b = mutex();

export function t() {
  mutex_lock(a);
  mutex_lock(b);
  mutex_unlock(b);
  mutex_unlock(a);
}
`;

async function run(file: string, text: string): Promise<Report> {
  return check([{ file, text }], { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'explicit', jobs: 1 });
}

const byRule = (vs: Verdict[], id: string) => vs.find((v) => v.rule === id);

describe('not-applicable: a rule nothing in the model can match', () => {
  it('two mutexes in ABBA: the lock-order and deadlock rules decide, phyr / ww / revoke rules are not applicable', async () => {
    const r = await run(ABBA, readFileSync(join(ROOT, ABBA), 'utf8'));
    const vs = r.models[0].verdicts;
    expect(byRule(vs, 'lockdep-circular-dependency')?.status).toBe('violated');
    expect(byRule(vs, 'deadlock')?.status).toBe('violated');
    expect(byRule(vs, 'lockdep-recursive-locking')).toEqual({ status: 'proved', rule: 'lockdep-recursive-locking', engine: 'lockgraph', detail: 'every interleaving (lockgraph)' });
    for (const id of ['phyr-no-struct-page', 'ww-backoff', 'revoke-sequence', 'fence-finite', 'notifier-nonblocking', 'mp-lifetime']) {
      expect(byRule(vs, id)).toEqual({ status: 'not-applicable', rule: id, reason: REASON });
    }
    // Nothing the model can match is ever proved.
    expect(vs.filter((v) => v.status === 'proved').map((v) => v.rule).every((id) => !id.startsWith('phyr') && !id.startsWith('mp-'))).toBe(true);
  });

  it('a trylock under a ww-context lock: the lock-order and recursion rules are proved, not "not applicable"', async () => {
    // The trylock records no edge and the ctx -> resv edge keeps its primed source: no model edge at all.
    const r = await run(TRYLOCK, readFileSync(join(ROOT, TRYLOCK), 'utf8'));
    const vs = r.models[0].verdicts;
    for (const id of ['lockdep-recursive-locking', 'lockdep-circular-dependency']) {
      expect(byRule(vs, id)).toEqual({ status: 'proved', rule: id, engine: 'lockgraph', detail: 'every interleaving (lockgraph)' });
    }
  });

  it('one lock, never nested: the lock-order and recursion rules stay not applicable', async () => {
    const text = HOLDS.replace('  mutex_lock(b);\n  mutex_unlock(b);\n', '');
    const r = await run('single.model.ts', text);
    const vs = r.models[0].verdicts;
    for (const id of ['lockdep-recursive-locking', 'lockdep-circular-dependency']) {
      expect(byRule(vs, id)).toEqual({ status: 'not-applicable', rule: id, reason: REASON });
    }
  });

  it('an @expect holds all is met by not-applicable verdicts; JUnit reports them skipped', async () => {
    const r = await run('holds.model.ts', HOLDS);
    const m = r.models[0];
    expect(m.expectation).toEqual({ met: true, detail: 'as declared' });
    expect(r.exitCode).toBe(0);
    expect(m.verdicts.some((v) => v.status === 'not-applicable')).toBe(true);
    const xml = renderJunit(r, { color: false });
    // The time attribute is the model's wall clock: everything else exactly.
    expect(xml.replace(/ time="[\d.]+"/g, '')).toContain(`<testcase classname="holds" name="phyr-no-struct-page" file="holds.model.ts">\n      <skipped message="not applicable: ${REASON}"/>\n    </testcase>`);
  });
});
