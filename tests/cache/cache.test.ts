/**
 * The result cache through `check` (in process): a hit is the fresh report
 * byte for byte apart from `stats.ms` and `stats.cached`; each part of the
 * key misses when it changes; a rule that does not touch a model leaves it
 * a hit, one that does makes it a miss; a cached token replays; a corrupt
 * entry is recomputed and overwritten; inconclusive results are never
 * stored; an unwritable directory is warning LMC470 and exit 0.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, replay, resolveRules, DEFAULT_CHECK_OPTIONS, lastCostMs, type CheckOptions, type ModelReport, type Report, type ResolvedRules } from '../../checker/index.js';
import { entryPath } from '../../checker/cache/index.js';
import { CHECK_BUDGET } from '../budgets.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VIOLATES = join(ROOT, 'fixtures', 'rules', 'fault-handler-lock-order', 'violates-fault-takes-copy-lock.model.ts');
/** Touches VIOLATES: its step check matches the model's copy_from_user under a lock. */
const TOUCHING = 'fault-handler-lock-order';
/** Touches only models with phyr providers: none of VIOLATES's steps match its checks. */
const NOT_TOUCHING = 'phyr-no-struct-page';

const OPTIONS: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lockmc-cache-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(files: string[], o: { options?: CheckOptions; rules?: ResolvedRules; text?: string; cacheDir?: string } = {}): Promise<Report> {
  const options = o.options ?? OPTIONS;
  return check(
    files.map((file) => ({ file, ...(o.text !== undefined ? { text: o.text } : {}) })),
    options,
    undefined,
    { rules: o.rules ?? resolveRules(options), cache: { dir: o.cacheDir ?? dir } },
  );
}

/** The model report with what a hit may change taken out. */
function comparable(m: ModelReport): string {
  const { ms: _ms, cached: _c, ...stats } = m.stats;
  return JSON.stringify({ ...m, stats });
}

/** The rule set with one message of `id` reworded (a change of that rule's definition only). */
function changed(rules: ResolvedRules, id: string): ResolvedRules {
  const out = rules.rules.map((r) => {
    if (r.meta.id !== id) return r;
    const copy = structuredClone(r);
    const k = Object.keys(copy.meta.messages)[0];
    copy.meta.messages[k] += ' (reworded)';
    return copy;
  });
  return { ...rules, rules: out, hash: `${rules.hash}x` };
}

function entries(): string[] {
  const base = join(dir, 'entries');
  return readdirSync(base).flatMap((s) => readdirSync(join(base, s)).map((f) => join(base, s, f)));
}

describe('hits', () => {
  it('a second run is served from the cache, equal to the first but for ms and cached', async () => {
    const first = await run([VIOLATES]);
    const second = await run([VIOLATES]);
    expect(first.models[0].stats.cached).toBeUndefined();
    expect(second.models[0].stats.cached).toBe(true);
    expect(comparable(second.models[0])).toBe(comparable(first.models[0]));
    expect(second.exitCode).toBe(first.exitCode);
    expect({ ...second, models: [] }).toEqual({ ...first, models: [] });
    // Stats key order is kept in the JSON report; `cached` comes last.
    const keys = (m: ModelReport) => Object.keys(JSON.parse(JSON.stringify(m.stats)) as object);
    expect(keys(second.models[0])).toEqual([...keys(first.models[0]), 'cached']);
    expect(lastCostMs(dir, VIOLATES)).toBe(first.models[0].stats.ms);
  });

  it('a model given as text is keyed by that text', async () => {
    const text = readFileSync(VIOLATES, 'utf8');
    await run([VIOLATES], { text });
    expect((await run([VIOLATES], { text })).models[0].stats.cached).toBe(true);
    const other = await run([VIOLATES], { text: text + '\n// a trailing comment\n' });
    expect(other.models[0].stats.cached).toBeUndefined();
  });
});

describe('each part of the key', () => {
  const variants: [string, CheckOptions][] = [
    ['engine', { ...OPTIONS, engine: 'bmc' }],
    ['bound', { ...OPTIONS, bound: 7 }],
    ['kernel', { ...OPTIONS, kernel: 'v6.12' }],
    ['kswapd runs', { ...OPTIONS, kswapdRuns: 2 }],
    ['rule option', { ...OPTIONS, rules: { options: { 'revoke.pfn-export': 'locked-only' } } }],
  ];
  for (const [name, options] of variants) {
    it(`a changed ${name} misses`, async () => {
      await run([VIOLATES]);
      const r = await run([VIOLATES], { options });
      expect(r.models[0].stats.cached).toBeUndefined();
      // ...and is then a hit of its own.
      expect((await run([VIOLATES], { options })).models[0].stats.cached).toBe(true);
    });
  }

  it('a changed model text misses', async () => {
    const text = readFileSync(VIOLATES, 'utf8');
    await run([VIOLATES], { text });
    const r = await run([VIOLATES], { text: text.replace('copy_from_user(mm);', 'copy_from_user(mm);\n  copy_from_user(mm);') });
    expect(r.models[0].stats.cached).toBeUndefined();
  });
});

describe('rules that touch the model', () => {
  it('a change to a rule the model does not touch is a hit (by the system key), to one it touches a miss', async () => {
    const rules = resolveRules(OPTIONS);
    const first = await run([VIOLATES], { rules });
    const other = changed(rules, NOT_TOUCHING);
    const hit = await run([VIOLATES], { rules: other });
    expect(hit.models[0].stats.cached).toBe(true);
    // The run-level rule-set hash is this run's.
    expect(hit.models[0].hashes.rules).toBe(other.hash);
    expect(comparable({ ...hit.models[0], hashes: first.models[0].hashes })).toBe(comparable(first.models[0]));
    const miss = await run([VIOLATES], { rules: changed(rules, TOUCHING) });
    expect(miss.models[0].stats.cached).toBeUndefined();
    const v = miss.models[0].verdicts.find((x) => x.rule === TOUCHING);
    expect(v?.status === 'violated' && v.findings[0].message.endsWith(' (reworded)')).toBe(true);
  });

  it('a hit after a changed condition of a rule the model does not touch equals a fresh run with that rule', async () => {
    const rules = resolveRules(OPTIONS);
    await run([VIOLATES], { rules });
    const out = rules.rules.map((r) => {
      if (r.meta.id !== NOT_TOUCHING) return r;
      const copy = structuredClone(r);
      const c = copy.checks[0];
      if (c.kind !== 'step') throw new Error('expected a step check');
      c.when = { kind: 'exporter', subject: 'operand', cap: 'p2pOnly', is: false };
      return copy;
    });
    const other = { ...rules, rules: out, hash: `${rules.hash}y` };
    const hit = await run([VIOLATES], { rules: other });
    expect(hit.models[0].stats.cached).toBe(true);
    const fresh = await check([{ file: VIOLATES }], OPTIONS, undefined, { rules: other });
    expect(comparable(hit.models[0])).toBe(comparable(fresh.models[0]));
  });

  it('a rule changed onto an op the model uses, whose condition never holds, is decided by compiling: served by the system key', async () => {
    const rules = resolveRules(OPTIONS);
    await run([VIOLATES], { rules });
    const out = rules.rules.map((r) => {
      if (r.meta.id !== NOT_TOUCHING) return r;
      const copy = structuredClone(r);
      const c = copy.checks[0];
      if (c.kind !== 'step') throw new Error('expected a step check');
      // The model takes locks: the profile cannot tell; compiling finds no step where the condition can hold.
      c.on = { op: 'lock' };
      c.when = { kind: 'not', of: { kind: 'true' } };
      return copy;
    });
    const other = { ...rules, rules: out, hash: `${rules.hash}z` };
    const hit = await run([VIOLATES], { rules: other });
    expect(hit.models[0].stats.cached).toBe(true);
    const fresh = await check([{ file: VIOLATES }], OPTIONS, undefined, { rules: other });
    expect(comparable(hit.models[0])).toBe(comparable(fresh.models[0]));
  });

  it('a model the front end rejects is served by its text key, and after a rule change', async () => {
    const rejected = join(ROOT, 'fixtures', 'errors', 'LMC101-syntax-error.model.ts');
    const rules = resolveRules(OPTIONS);
    const first = await run([rejected], { rules });
    expect(first.models[0].diagnostics[0].code).toBe('LMC101');
    const second = await run([rejected], { rules });
    expect(second.models[0].stats.cached).toBe(true);
    expect(comparable(second.models[0])).toBe(comparable(first.models[0]));
    // Its report reads no rule definition: a rule change leaves it served.
    const other = changed(rules, NOT_TOUCHING);
    const third = await run([rejected], { rules: other });
    expect(third.models[0].stats.cached).toBe(true);
    const fresh = await check([{ file: rejected }], OPTIONS, undefined, { rules: other });
    expect(comparable(third.models[0])).toBe(comparable(fresh.models[0]));
    // A rule added or removed may change how its header is judged: checked again.
    const fewer = { ...rules, rules: rules.rules.filter((r) => r.meta.id !== NOT_TOUCHING), hash: 'fewer' };
    expect((await run([rejected], { rules: fewer })).models[0].stats.cached).toBeUndefined();
  });

  it('a token from a cached finding replays (the system hash is part of the key)', async () => {
    const rules = resolveRules(OPTIONS);
    await run([VIOLATES], { rules });
    const other = changed(rules, NOT_TOUCHING);
    const hit = await run([VIOLATES], { rules: other });
    expect(hit.models[0].stats.cached).toBe(true);
    const v = hit.models[0].verdicts.find((x) => x.rule === TOUCHING);
    if (v?.status !== 'violated') throw new Error('expected a violation');
    const token = v.findings[0].trace?.schedule;
    expect(token).toBeDefined();
    const replayed = await replay(VIOLATES, token!, OPTIONS, undefined, other);
    expect(replayed.diagnostics).toEqual([]);
    const rv = replayed.models[0].verdicts.find((x) => x.rule === TOUCHING);
    expect(rv?.status).toBe('violated');
    if (rv?.status === 'violated') expect(rv.findings[0].trace?.steps).toEqual(v.findings[0].trace?.steps);
  });
});

describe('what is never trusted or stored', () => {
  it('an entry with one corrupt byte is recomputed and overwritten', async () => {
    const first = await run([VIOLATES]);
    for (const f of entries()) {
      const bytes = readFileSync(f);
      const i = bytes.length - 10;
      bytes[i] = bytes[i] === 0x30 ? 0x31 : 0x30;
      writeFileSync(f, bytes);
    }
    const again = await run([VIOLATES]);
    expect(again.models[0].stats.cached).toBeUndefined();
    expect(comparable(again.models[0])).toBe(comparable(first.models[0]));
    expect((await run([VIOLATES])).models[0].stats.cached).toBe(true);
  });

  it('an entry that is not an entry (truncated, empty) is a miss', async () => {
    await run([VIOLATES]);
    entries().forEach((f, i) => writeFileSync(f, i % 2 ? '' : readFileSync(f, 'utf8').slice(0, 40)));
    expect((await run([VIOLATES])).models[0].stats.cached).toBeUndefined();
  });

  it('an inconclusive result is not stored', async () => {
    const options: CheckOptions = { ...OPTIONS, engine: 'explicit', maxStates: 2 };
    const first = await run([VIOLATES], { options });
    expect(first.models[0].verdicts.some((v) => v.status === 'inconclusive')).toBe(true);
    expect((await run([VIOLATES], { options })).models[0].stats.cached).toBeUndefined();
  });

  it('an unwritable cache directory is warning LMC470, exit as without it', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const cacheDir = join(blocker, 'cache');
    const plain = await check([{ file: VIOLATES }], OPTIONS);
    const r = await run([VIOLATES], { cacheDir });
    expect(r.exitCode).toBe(plain.exitCode);
    expect(r.diagnostics).toEqual([
      {
        code: 'LMC470',
        severity: 'warning',
        message: `the result cache '${cacheDir}' is not writable (ENOTDIR): results of this run were not cached`,
        hint: 'pass --cache-dir <dir> (or set LOCKMC_CACHE_DIR) to a writable directory, or --no-cache',
      },
    ]);
  });

  it('a run ends by evicting down to the size bound', async () => {
    await check([{ file: VIOLATES }], OPTIONS, undefined, { rules: resolveRules(OPTIONS), cache: { dir, maxMb: 1 / 1024 } });
    // One entry is larger than 1 KB: both are evicted, the next run checks again.
    expect(entries()).toEqual([]);
    expect((await run([VIOLATES])).models[0].stats.cached).toBeUndefined();
    expect(entries()).toHaveLength(4);
  });

  it('entries live under the key', async () => {
    await run([VIOLATES]);
    // The text, quick and system keys' reports, and the model's profile.
    expect(entries()).toHaveLength(4);
    for (const f of entries()) {
      const key = f.split('/').pop()!.replace(/\.json$/, '');
      expect(entryPath(dir, key)).toBe(f);
    }
  });
});
