/**
 * SEMANTICS_VERSION (checker/semantics/compile.ts) is in every system's
 * hash, so a schedule token made under older semantics is refused (LMC403)
 * instead of replayed on transitions that now mean something else. The
 * second test pins the transitions of models that exercise each semantics
 * change: a change that moves them without a version bump fails here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareModel } from '../../checker/check-model.js';
import { check, replay, resolveRules } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../../checker/options.js';
import { SEMANTICS_VERSION, systemHash } from '../../checker/semantics/compile.js';
import { systemTag } from '../../checker/schedule-token.js';
import { CHECK_BUDGET } from '../budgets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TASKLET = 'fixtures/rules/deadlock/violates-tasklet-preempts-spin-lock-holder.model.ts';
const QUEUED_RWLOCK = 'fixtures/rules/deadlock/violates-queued-rwlock-reader-behind-writer.model.ts';
const RT_COMPLETION = 'fixtures/rules/fence-finite/violates-hang-without-tdr-preempt-rt.model.ts';
const OPTIONS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'explicit', jobs: 1 };

function prepared(file: string) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const r = prepareModel(file, text, OPTIONS, resolveRules(OPTIONS));
  if (!('prepared' in r)) throw new Error(`${file} did not compile: ${JSON.stringify(r.report.diagnostics)}`);
  return { text, ...r.prepared };
}

describe('SEMANTICS_VERSION', () => {
  it('a token made under semantics 1 (before softirq threads and queued rwlock writers) is refused with LMC403', async () => {
    const { text, ts, model } = prepared(TASKLET);
    // The hash is the one the system carries, so the older one differs only by the version.
    expect(systemHash(model, ts.semantics, ts.properties)).toBe(ts.hash);
    const checked = await check([{ file: TASKLET, text }], OPTIONS);
    const deadlock = checked.models[0]!.verdicts.find((v) => v.rule === 'deadlock');
    const token = deadlock?.status === 'violated' ? deadlock.findings[0]!.trace!.schedule : undefined;
    expect(token?.slice(0, 8)).toBe(ts.hash.slice(0, 8));
    // This version's token replays to the deadlock.
    const found = await replayWith(token!);
    expect(found.diagnostics).toEqual([]);
    expect(found.verdicts.find((v) => v.rule === 'deadlock')?.status).toBe('violated');
    // The same schedule under semantics 1's tag.
    const old = systemTag({ hash: systemHash(model, ts.semantics, ts.properties, 1) }) + token!.slice(8);
    const refused = await replayWith(old);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['LMC403']);
    expect(refused.diagnostics[0]!.message).toBe(
      `schedule token was made for a different model, rule set, options or lockmc version (token ${old.slice(0, 8)}, this run ${ts.hash.slice(0, 8)}); re-run \`lockmc check\` to get a fresh token`,
    );

    async function replayWith(token: string) {
      const r = await replay(TASKLET, token, OPTIONS, text);
      return r.models[0]!;
    }
  });

  it('the transitions of the softirq, queued-rwlock and PREEMPT_RT completion-irq models are those of this version', () => {
    const digest = (file: string) => {
      const { ts } = prepared(file);
      const shape = { vars: ts.vars, transitions: ts.transitions.map((t) => ({ thread: t.thread, guard: t.guard, updates: t.updates })) };
      return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
    };
    // On failure: the semantics of these models changed. Bump SEMANTICS_VERSION, say why beside it, and update the digests.
    expect({ version: SEMANTICS_VERSION, tasklet: digest(TASKLET), queuedRwlock: digest(QUEUED_RWLOCK), rtCompletion: digest(RT_COMPLETION) }).toEqual({
      version: 3,
      tasklet: 'f2a117305541bb0d',
      queuedRwlock: '133f5caf239a27b6',
      rtCompletion: '052581f55a2102d2',
    });
  });
});
