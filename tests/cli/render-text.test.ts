import { describe, expect, it } from 'vitest';
import { renderText, toAscii } from '../../cli/render/text.js';
import { renderPretty } from '../../cli/render/pretty.js';
import { wrapLine, ln } from '../../cli/render/wrap.js';
import { CTX, cleanReport, sampleReport } from './sample-reports.js';
import { golden } from './golden-util.js';
import { fitsWidth } from './width.js';
import { waitText } from '../../cli/render/words.js';
import type { Finding, Wait } from '../../checker/report.js';

describe('text renderer', () => {
  const text = renderText(sampleReport(), CTX);

  it('matches the golden file byte for byte', () => {
    expect(text).toBe(golden('sample.txt', text));
    const clean = renderText(cleanReport(), CTX);
    expect(clean).toBe(golden('clean.txt', clean));
  });

  it('is ASCII only and at most 72 columns (a diagnostic headline and a whole path may overflow)', () => {
    for (const line of text.split('\n')) {
      expect(fitsWidth(line, 72), line).toBe(true);
      expect(/^[\x20-\x7e]*$/.test(line), line).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(renderText(sampleReport(), CTX)).toBe(text);
  });
});

describe('waits', () => {
  // The phrases the checker used to put in `waitingFor`, one or more per kind.
  const cases: [Wait, string][] = [
    [{ kind: 'irq', irq: 'irq:handler' }, 'irq irq:handler running on its CPU'],
    [{ kind: 'lock', lock: 'vm_lock', lockClass: 'vm_lock', lockKind: 'mutex', mode: 'write', owner: 'run_job' }, 'mutex vm_lock held by run_job'],
    [{ kind: 'lock', lock: 'l', lockClass: 'l', lockKind: 'spinlock', owner: 't0' }, 'spinlock l held by t0 (itself)'],
    [{ kind: 'lock', lock: 'mm', lockClass: '&mm->mmap_lock', lockKind: 'mm', readers: ['a', 'b'] }, 'mmap_lock of mm held for read by a, b'],
    [{ kind: 'lock', lock: 'map', lockClass: '&mapping->i_mmap_rwsem', lockKind: 'address_space', owner: 'a', readers: ['b'] }, 'i_mmap_rwsem of map held by a, held for read by b'],
    [{ kind: 'lock', lock: 'x', lockClass: 'x', owner: 'b' }, 'lock x held by b'],
    [{ kind: 'fence', fence: 'job', state: 'published' }, 'fence job (published, unsignalled)'],
    [{ kind: 'fence', fence: 'job', state: 'unpublished' }, 'fence job (unpublished)'],
    [{ kind: 'resv-fences', resv: 'bo', pending: [{ fence: 'f1', state: 'published' }, { fence: 'f2', state: 'unpublished' }] }, 'fences of bo: f1 (published, unsignalled), f2 (unpublished)'],
    [{ kind: 'resv-fences', resv: 'bo', pending: [] }, 'fences of bo: none pending'],
    [{ kind: 'work', work: 'w', worker: 'work:w' }, 'work w (handler on work:w not finished)'],
    [{ kind: 'work', work: 'w' }, 'work w'],
    [{ kind: 'op', op: 'mutex_lock(a)' }, 'mutex_lock(a)'],
  ];
  it.each(cases)('%j reads as the sentence', (w, text) => {
    expect(waitText(w, 't0')).toBe(text);
  });
});

describe('dependency chain', () => {
  it('renders the same whichever order the recorded edges come in', async () => {
    const { PRIMED_FINDING } = await import('./sample-reports.js');
    const { buildFinding } = await import('../../cli/render/doc.js');
    const { linesToText } = await import('../../cli/render/text.js');
    const m = sampleReport().models[1];
    const chain = PRIMED_FINDING.chain!;
    const reversed = { ...PRIMED_FINDING, chain: [chain[1], chain[0], chain[2]] };
    const a = linesToText(buildFinding(PRIMED_FINDING, m, CTX));
    expect(linesToText(buildFinding(reversed, m, CTX))).toBe(a);
    expect(a).toContain('-> #2 (reservation_ww_class_mutex):\n       primed P2');
    expect(a).toContain('-> #1 (reservation_ww_class_acquire):\n       primed P1');
    expect(a).toContain('-> #0 (&mm->mmap_lock):');
  });
  it('mirrors lockdep: acquiring, holding, the chain, the scenario, DEADLOCK, in that order', () => {
    const t = renderText(sampleReport(), CTX);
    const order = [
      'WARNING: possible circular locking dependency detected',
      'run_job is trying to acquire lock:',
      'but task is already holding lock:',
      'which lock already depends on the new lock.',
      'the existing dependency chain (in reverse order) is:',
      '-> #1 (dma_fence_map):',
      '-> #0 (fs_reclaim):',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      ' *** DEADLOCK ***',
      'interleaving (5 steps, 0 preemptions):',
      'state at the violation (after step 2):',
      'kernel references:',
      'replay:',
    ];
    let at = 0;
    for (const s of order) {
      const i = t.indexOf(s, at);
      expect(i, s).toBeGreaterThan(at - 1);
      at = i;
    }
  });
  it('the scenario names the threads and the pseudo-lock roles', () => {
    const t = renderText(sampleReport(), CTX);
    expect(t).toContain(
      [
        '  CPU0 (run_job)                     CPU1 (run_job)',
        '  --------------                     --------------',
        '  rlock(dma_fence_map);',
        '  (enter fence signalling)',
        '                                     lock(fs_reclaim);',
        '                                     (enter reclaim)',
        '                                     lock(dma_fence_map);',
        '                                     (wait on fence)',
        '  lock(fs_reclaim);',
        '  (enter reclaim)',
      ].join('\n'),
    );
  });
});

describe('wrapping', () => {
  it('breaks at the last space that fits, with a hanging indent', () => {
    const out = wrapLine({ ...ln('  alpha beta gamma delta'), hang: 4 }, 14).map((l) => l.segs.map((s) => s.text).join(''));
    expect(out).toEqual(['  alpha beta', '    gamma', '    delta']);
  });
  it('never breaks a path: a word too long for any line stays whole where it starts', () => {
    const out = wrapLine(ln('at fixtures/rules/some-rule/violates-thing.model.ts:12'), 30).map((l) => l.segs.map((s) => s.text).join(''));
    expect(out).toEqual(['at fixtures/rules/some-rule/violates-thing.model.ts:12']);
    const two = wrapLine(ln('model errors in fixtures/rules/some-rule/violates-thing.model.ts and more'), 30).map((l) => l.segs.map((s) => s.text).join(''));
    expect(two).toEqual(['model errors in fixtures/rules/some-rule/violates-thing.model.ts', '  and more']);
  });
  it('shell lines continue with a backslash and rejoin to the same command', () => {
    const cmd = 'lockmc replay fixtures/drivers/a-long-model-name.model.ts --schedule 0123456789abcdef0123456789abcdef0123456789';
    const out = wrapLine({ ...ln(cmd), shell: true, hang: 2 }, 30).map((l) => l.segs.map((s) => s.text).join(''));
    for (const l of out) expect(fitsWidth(l, 30), l).toBe(true);
    expect(out[0]).toBe('lockmc replay fixtures/drivers/a-long-model-name.model.ts \\');
    // What a POSIX shell does with the lines: drop backslash-newline, split on blanks.
    const joined = out.join('\n').replace(/\\\n/g, '');
    expect(joined.split(/\s+/).filter(Boolean)).toEqual(cmd.split(' '));
  });
  it('folds non-ASCII to ASCII', () => {
    expect(toAscii('a\u2014b \u201cq\u201d \u2192 \u00e9\ttab')).toBe('a-b "q" > ? tab');
  });
});

describe('finding kinds', () => {
  const trace = {
    threads: [
      { id: 0, name: 'importer', kind: 'thread' as const },
      { id: 1, name: 'exporter', kind: 'thread' as const },
    ],
    steps: [
      { index: 1, thread: 1, threadName: 'exporter', op: 'dma_buf_revoke(buf)', at: { file: 'm.model.ts', line: 9, col: 3 }, context: [], held: [], preemption: false },
      { index: 2, thread: 0, threadName: 'importer', op: 'dma_buf_map_attachment(att)', outcome: 'ok', at: { file: 'm.model.ts', line: 4, col: 3 }, context: [], held: [], preemption: true },
    ],
    schedule: 'abcdef01-AgEA',
    preemptions: 1,
    final: { threads: [], fences: [{ name: 'f', state: 'published' as const }], other: {} },
    violatingStep: 2,
  };
  const report = (kind: 'rule-violation' | 'fence-never-signalled') => ({
    ...cleanReport(),
    diagnostics: [],
    models: [
      {
        file: 'm.model.ts',
        hashes: { model: 'm', rules: 'r' },
        kernel: 'v7.0',
        verdicts: [{ status: 'violated' as const, rule: 'no-access-after-revoke', engine: 'explicit' as const, findings: [{ rule: 'no-access-after-revoke', check: 'c', kind, message: 'mapped after revoke', trace }] }],
        diagnostics: [],
        stats: { ms: 1, engine: ['explicit'] },
      },
    ],
    exitCode: 1,
  });
  it('a rule violation has its banner, the trace in thread columns, and no DEADLOCK', () => {
    const t = renderText(report('rule-violation'), CTX);
    expect(t).toContain('=======================\nWARNING: rule violation\n');
    expect(t).toContain(
      ['  exporter                           importer', '  --------                           --------', '  dma_buf_revoke(buf);', '                                     dma_buf_map_attachment(att) -> ok;'].join('\n'),
    );
    expect(t).not.toContain('DEADLOCK');
    expect(t.replace(/\s+/g, ' ')).toContain(' 2. [importer] dma_buf_map_attachment(att) -> ok preempts, <-- violation ');
    expect(t).toContain('  lockmc replay m.model.ts --schedule abcdef01-AgEA\n');
    // Unknown rule metadata: no summary, no references, still the id.
    expect(t).toContain('rule no-access-after-revoke (check c):\n\nmapped after revoke');
    expect(t).not.toContain('kernel references:');
  });
  it('a fence never signalled with nobody waiting keeps its banner, without DEADLOCK', () => {
    const t = renderText(report('fence-never-signalled'), CTX);
    expect(t).toContain('WARNING: fence never signalled');
    expect(t).not.toContain('DEADLOCK');
    expect(t).toContain('  fences: f published');
  });
  it('a wait on a fence that never signals is a hang in hung_task words, not a lock deadlock', () => {
    const r = report('fence-never-signalled');
    const f = (r.models[0].verdicts[0] as { findings: Finding[] }).findings[0];
    f.trace = {
      ...trace,
      steps: [
        trace.steps[0],
        {
          index: 2,
          thread: 0,
          threadName: 'importer',
          op: 'dma_fence_wait(f)',
          role: 'wait on fence f',
          at: { file: 'm.model.ts', line: 5, col: 3 },
          context: [],
          held: ['lk (lk)'],
          preemption: false,
          blocks: true,
        },
      ],
      preemptions: 0,
      violatingStep: undefined,
      final: {
        threads: [
          { thread: 'importer', status: 'blocked', at: { file: 'm.model.ts', line: 5, col: 3 }, held: ['lk (lk)'], waitingFor: { kind: 'fence', fence: 'f', state: 'published' } },
          { thread: 'exporter', status: 'done', held: [] },
        ],
        fences: [{ name: 'f', state: 'published' }],
        other: {},
      },
    };
    const t = renderText(r, CTX);
    expect(t).not.toContain('DEADLOCK');
    expect(t).not.toContain('Possible unsafe locking scenario');
    expect(t).toContain(
      [
        '='.repeat(54),
        'INFO: task importer blocked for more than 120 seconds.',
        'lockmc: m.model.ts (kernel v7.0)',
        '-'.repeat(54),
        'rule no-access-after-revoke (check c):',
        '',
        'mapped after revoke',
        '',
        'task:importer state:D (uninterruptible sleep), stuck in:',
        '  dma_fence_wait(f) at m.model.ts:5',
        '  waiting for fence f (published, unsignalled)',
        '',
        'Showing all locks held by the task:',
        '1 lock held by importer:',
        ' #0: lk (lk)',
        '',
        'interleaving (2 steps, 0 preemptions):',
        '  1. [exporter] dma_buf_revoke(buf)',
        '     at m.model.ts:9',
        '     held: (none)',
        '  2. [importer] dma_fence_wait(f)  <-- blocks',
        '     at m.model.ts:5',
        '     role: wait on fence f',
        '     held: lk (lk)',
      ].join('\n'),
    );
  });
  it('a deadlock on locks keeps lockdep\'s banner and DEADLOCK', () => {
    const r = report('fence-never-signalled');
    const f = (r.models[0].verdicts[0] as { findings: Finding[] }).findings[0];
    f.kind = 'deadlock';
    f.trace = {
      ...trace,
      violatingStep: undefined,
      final: {
        threads: [{ thread: 'importer', status: 'blocked', held: ['a (a)'], waitingFor: { kind: 'lock', lock: 'b', lockClass: 'b', lockKind: 'mutex', owner: 'exporter' } }],
        fences: [],
        other: {},
      },
    };
    const t = renderText(r, CTX);
    expect(t).toContain('=================\nWARNING: deadlock\n');
    expect(t).toContain(' *** DEADLOCK ***');
    expect(t).not.toContain('INFO: task');
  });
  it('pretty wraps to the terminal width, capped at 120', () => {
    const long = renderPretty(sampleReport(), { ...CTX, width: 200 });
    const widths = long.split('\n').map((l) => l.length);
    for (const l of long.split('\n')) expect(fitsWidth(l, 120), l).toBe(true);
    expect(Math.max(...widths)).toBeGreaterThan(72);
    const narrow = renderPretty(sampleReport(), { ...CTX, width: 40 });
    for (const l of narrow.split('\n')) expect(fitsWidth(l, 72), l).toBe(true);
  });
});

describe('diagnostics editors can parse', () => {
  it('file:line:col: severity code: message on one line, however long; caret and hint below', async () => {
    const { diagnosticLines, layout, TEXT_WIDTH } = await import('../../cli/render/doc.js');
    const message = 'a message long enough to pass the seventy-two columns of the text report by some way';
    const lines = layout(
      diagnosticLines({ code: 'LMC201', severity: 'error', message, file: 'fixtures/rules/some-long-rule-name/violates-a-long-fixture.model.ts', line: 12, col: 14, sourceLine: '  mutex_lock(foo);', caret: '             ^^^', hint: 'declare it at top level' }),
      TEXT_WIDTH,
    ).map((l) => l.segs.map((s) => s.text).join(''));
    expect(lines).toEqual([
      `fixtures/rules/some-long-rule-name/violates-a-long-fixture.model.ts:12:14: error LMC201: ${message}`,
      '      mutex_lock(foo);',
      '                 ^^^',
      '  hint: declare it at top level',
    ]);
  });
});
