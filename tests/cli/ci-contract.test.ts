/**
 * Issue #9, in-process: where `-o` writes, `lint --rules` refusing what
 * `check` refuses, the replay line's words, the summary naming limits,
 * and the report `check` writes when a signal cuts the run short.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelReport, Report } from '../../checker/report.js';
import { defaultCliOptions, type CliOptions } from '../../cli/args.js';
import type { CheckerApi } from '../../cli/commands/check.js';
import { runCheck } from '../../cli/commands/check.js';
import { cutReport, settleOrCut } from '../../cli/interrupt.js';
import type { Interrupts } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { renderText } from '../../cli/render/text.js';
import { checkedOptionWords, limitNotes, limitText, replayCommand } from '../../cli/render/words.js';
import { fakeIo } from './fake-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'lockmc-ci-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MODEL = 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts';

describe('-o (issue #9 item 6)', () => {
  it('naming an input model is a usage error before anything runs; the model is untouched', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'm.model.ts');
    writeFileSync(file, '// a model\n');
    for (const cmd of ['check', 'lint']) {
      const io = fakeIo({ cwd: dir });
      expect(await main([cmd, 'm.model.ts', '-o', './m.model.ts'], io)).toBe(2);
      expect(io.stderr).toBe("lockmc: --output './m.model.ts' is an input of this run (m.model.ts); refusing to overwrite it\n");
      expect(io.stdout).toBe('');
      expect(readFileSync(file, 'utf8')).toBe('// a model\n');
    }
    // A directory given as input counts through the models found in it.
    const io = fakeIo({ cwd: tmp });
    expect(await main(['lint', 'in', '-o', 'in/m.model.ts'], io)).toBe(2);
  });
  it('`-o -` is stdout, and -o into missing directories creates them', async () => {
    const viaDash = fakeIo({ cwd: ROOT });
    expect(await main(['lint', MODEL, '--format', 'json', '-o', '-'], viaDash)).toBe(0);
    expect(JSON.parse(viaDash.stdout).models[0].file).toBe(MODEL);
    expect(existsSync(join(ROOT, '-'))).toBe(false);
    const out = join(tmp, 'new', 'deeper', 'lint.json');
    const viaFile = fakeIo({ cwd: ROOT });
    expect(await main(['lint', MODEL, '--format', 'json', '-o', out], viaFile)).toBe(0);
    expect(viaFile.stdout).toBe('');
    const noMs = (s: string) => s.replace(/"ms": \d+/g, '"ms": 0');
    expect(noMs(readFileSync(out, 'utf8'))).toBe(noMs(viaDash.stdout));
  });
});

describe('lint --rules (issue #9 item 8)', () => {
  it('runs the rule-set self-check: a contradictory order is LMC310, exit 5', async () => {
    const rules = join(tmp, 'order.json');
    writeFileSync(rules, ['{', '  "order": [', '    ["my_lock", "&mm->mmap_lock"],', '    ["reservation_ww_class_mutex", "my_lock"]', '  ]', '}'].join('\n'));
    const io = fakeIo({ cwd: tmp });
    expect(await main(['lint', '--rules', 'order.json', '--format', 'json'], io)).toBe(5);
    const r = JSON.parse(io.stdout) as Report;
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.col])).toEqual([['LMC310', 'order.json', 3, 5]]);
    expect(r.exitCode).toBe(5);
    // A consistent order passes lint as it passes check.
    writeFileSync(rules, '{ "order": [["my_lock", "&mm->mmap_lock"]] }');
    const ok = fakeIo({ cwd: tmp });
    expect(await main(['lint', '--rules', 'order.json', '--format', 'json'], ok)).toBe(0);
  });
});

describe('the replay line (issue #9 item 9)', () => {
  it('repeats every option that changed what was checked, quoted only where a shell needs it', () => {
    const options = {
      engine: 'bmc',
      timeoutMs: 5000,
      kernel: 'v6.12',
      rules: { preset: 'all', enable: ['a', 'b'], disable: ['deadlock'], files: ['/r/my rules.json'], options: { 'revoke.pfn-export': 'locked-only' } },
    };
    expect(checkedOptionWords(options)).toEqual([
      '--kernel', 'v6.12', '--preset', 'all', '--enable', 'a,b', '--disable', 'deadlock', '--rules', '/r/my rules.json', '--rule-option', 'revoke.pfn-export=locked-only',
    ]);
    expect(replayCommand('lockmc', "it's.model.ts", 'abc-1', options)).toBe(
      "lockmc replay 'it'\\''s.model.ts' --schedule abc-1 --kernel v6.12 --preset all --enable a,b --disable deadlock --rules '/r/my rules.json' --rule-option revoke.pfn-export=locked-only",
    );
    // Defaults add nothing: the line is the one it always was.
    expect(replayCommand('lockmc', 'm.model.ts', 'abc-1', { engine: 'auto', rules: {} })).toBe('lockmc replay m.model.ts --schedule abc-1');
    expect(replayCommand('lockmc', 'm.model.ts', 'abc-1')).toBe('lockmc replay m.model.ts --schedule abc-1');
  });
});

function model(file: string, over: Partial<ModelReport> = {}): ModelReport {
  return { file, hashes: { model: 'aa', rules: 'bb' }, kernel: 'v7.0', verdicts: [], diagnostics: [], stats: { ms: 1, engine: ['bmc'] }, ...over };
}

const base = (models: ModelReport[], exitCode: number, more: Partial<Report> = {}): Report => ({
  schemaVersion: 1,
  tool: { name: 'lockmc', version: '0.1.0' },
  options: {},
  rules: [],
  models,
  diagnostics: [],
  exitCode,
  ...more,
});

describe('the summary names every limit (issue #9 item 2)', () => {
  it('one line per model with inconclusive verdicts, and the interruption', () => {
    const r = base(
      [
        model('a.model.ts', {
          expected: [{ kind: 'violates', rule: 'r' }],
          expectation: { met: true, detail: 'as declared' },
          verdicts: [
            { status: 'violated', rule: 'r', engine: 'bmc', findings: [] },
            { status: 'inconclusive', rule: 's', engine: 'bmc', limit: { kind: 'timeout', ms: 1000 } },
            { status: 'inconclusive', rule: 't', engine: 'bmc', limit: { kind: 'timeout', ms: 1000 } },
          ],
        }),
        model('b.model.ts', { verdicts: [{ status: 'proved', rule: 'r', engine: 'explicit' }] }),
        model('c.model.ts', { verdicts: [{ status: 'inconclusive', rule: 'r', engine: 'explicit', limit: { kind: 'interrupted', signal: 'SIGTERM' } }] }),
      ],
      130,
      { interrupted: { signal: 'SIGTERM', model: 'c.model.ts' } },
    );
    expect(limitNotes(r)).toEqual([
      'inconclusive: a.model.ts: 2 verdicts (time-out after 1 s, bmc)',
      'inconclusive: c.model.ts: 1 verdict (interrupted by SIGTERM, explicit)',
      'interrupted by SIGTERM while checking c.model.ts; the models after it were not checked',
    ]);
    const text = renderText(r, { color: false });
    // Summary first (several models): the models not as expected and why, the interruption, then the outcome.
    expect(text.slice(text.indexOf('not as expected:'))).toBe(
      [
        'not as expected:',
        '  a.model.ts: inconclusive (time-out after 1 s)',
        '  c.model.ts: inconclusive (interrupted by SIGTERM)',
        'interrupted by SIGTERM while checking c.model.ts; the models after it',
        '  were not checked',
        'INTERRUPTED: 3 models, 2 not as expected; violations: 1 declared, 0',
        '  undeclared; other verdicts: 1 proved, 0 not applicable, 3',
        '  inconclusive; exit 130',
        '',
      ].join('\n'),
    );
  });
});

describe('SIGINT/SIGTERM during check, CLI side (issue #9 item 5)', () => {
  it('settleOrCut: the run when it resolves, a cut only after the signal and the grace period', async () => {
    const report = base([], 0);
    expect(await settleOrCut(Promise.resolve(report), new AbortController().signal, 0)).toEqual({ kind: 'checked', report });
    const never = new Promise<Report>(() => {});
    const ac = new AbortController();
    const cut = settleOrCut(never, ac.signal, 0);
    ac.abort('SIGTERM');
    expect(await cut).toEqual({ kind: 'cut', signal: 'SIGTERM' });
  });
  it('cutReport: finished models as they were, the interrupted one inconclusive for every rule, exit 130', () => {
    const done = model('a.model.ts', { verdicts: [{ status: 'proved', rule: 'r', engine: 'bmc' }] });
    const r = cutReport({
      version: '0.1.0',
      options: { engine: 'bmc', timeoutMs: 1000, maxMemoryMb: 1, rules: {}, kswapdRuns: 1, minimise: true },
      signal: 'SIGINT',
      done: [done],
      current: 'b.model.ts',
      ruleIds: ['r', 's'],
      rulesHash: 'cafe',
      cwd: tmp,
    });
    expect(r.exitCode).toBe(130);
    expect(r.interrupted).toEqual({ signal: 'SIGINT', model: 'b.model.ts' });
    expect(r.models[0]).toBe(done);
    expect(r.models[1].verdicts).toEqual(
      ['r', 's'].map((rule) => ({ status: 'inconclusive', rule, engine: 'bmc', limit: { kind: 'interrupted', signal: 'SIGINT' } })),
    );
  });

  const cli = (o: Partial<CliOptions> = {}): CliOptions => ({ ...defaultCliOptions(), ...o });

  it('a checker that ignores the abort: after the grace period the report so far is written, exit 130', async () => {
    writeFileSync(join(tmp, 'x.model.ts'), '// x\n');
    writeFileSync(join(tmp, 'y.model.ts'), '// y\n');
    const ac = new AbortController();
    const interrupts: Interrupts = { signal: ac.signal, handled: false };
    let handledWhileChecking = false;
    const stuck: CheckerApi = {
      check(inputs, _options, onProgress, control) {
        handledWhileChecking = interrupts.handled;
        control?.onModel?.(model(inputs[0].file, { verdicts: [{ status: 'proved', rule: 'r', engine: 'bmc' }] }));
        onProgress?.({ modelsDone: 1, modelsTotal: 2, current: inputs[1].file, elapsedMs: 0 });
        ac.abort('SIGINT');
        return new Promise<Report>(() => {});
      },
      async replay() {
        throw new Error('not used');
      },
      resolveRules: () => ({ rules: [{ meta: { id: 'r' } }], hash: 'cafe' }),
    };
    const io = fakeIo({ cwd: tmp, interrupts });
    const code = await runCheck(['x.model.ts', 'y.model.ts'], cli({ format: 'json' }), io, '0.1.0', { checker: stuck });
    expect(handledWhileChecking).toBe(true);
    expect(interrupts.handled).toBe(false);
    expect(code).toBe(130);
    const r = JSON.parse(io.stdout) as Report;
    expect(r.interrupted).toEqual({ signal: 'SIGINT', model: 'y.model.ts' });
    expect(r.models.map((m) => [m.file, m.verdicts.map((v) => v.status)])).toEqual([
      ['x.model.ts', ['proved']],
      ['y.model.ts', ['inconclusive']],
    ]);
  });
  it('a checker that honours the abort: its own report is written', async () => {
    writeFileSync(join(tmp, 'x.model.ts'), '// x\n');
    const ac = new AbortController();
    const own = base([model('x.model.ts')], 130, { interrupted: { signal: 'SIGTERM', model: 'x.model.ts' } });
    const prompt: CheckerApi = {
      async check(_inputs, _options, _onProgress, control) {
        ac.abort('SIGTERM');
        expect(control?.signal?.aborted).toBe(true);
        return own;
      },
      async replay() {
        throw new Error('not used');
      },
    };
    const io = fakeIo({ cwd: tmp, interrupts: { signal: ac.signal, handled: false } });
    expect(await runCheck(['x.model.ts'], cli({ format: 'json' }), io, '0.1.0', { checker: prompt })).toBe(130);
    expect(JSON.parse(io.stdout)).toEqual(own);
  });
});

describe('a limit names the phase it ran out in (issue #9 item 5)', () => {
  it('names a phase that is not an engine, and shows sub-second limits in ms', () => {
    expect(limitText({ kind: 'timeout', ms: 2000, phase: 'compile' })).toBe('time-out after 2 s in compile');
    expect(limitText({ kind: 'timeout', ms: 1, phase: 'front end' })).toBe('time-out after 1 ms in front end');
    // The verdict already names its engine: "in bmc, bmc" would say it twice.
    expect(limitText({ kind: 'timeout', ms: 2500, phase: 'bmc' })).toBe('time-out after 2.5 s');
    expect(limitText({ kind: 'interrupted', signal: 'SIGTERM', phase: 'lock graph' })).toBe('interrupted by SIGTERM in lock graph');
  });
});
