/**
 * Hand-made Reports for renderer tests: they exercise every verdict
 * status, every finding kind and the awkward bits (long names, primed
 * edges, no trace, a thread the trace never ran, non-ASCII input).
 */

import type { Finding, Report, Trace } from '../../checker/report.js';
import type { RuleMeta } from '../../rules/types.js';
import type { RenderContext } from '../../cli/render/types.js';

const FILE = 'fixtures/drivers/userptr-notifier-waits-on-job.model.ts';

export const RULE_META: Record<string, RuleMeta> = {
  'fence-signalling-no-reclaim': {
    id: 'fence-signalling-no-reclaim',
    family: 'fence',
    severity: 'error',
    summary: 'A fence signalling critical section must not allocate memory that may enter direct reclaim.',
    rationale:
      'Reclaim may wait on the very fence being signalled (through an mmu notifier or a shrinker), so an allocation that can reclaim inside the signalling section can deadlock.',
    covers: ['FENCE-3'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-fence.c', symbol: 'dma_fence_begin_signalling' },
      { kind: 'list', list: 'dri-devel', date: '2020-07-07', subject: '[PATCH 01/18] dma-fence: basic lockdep annotations', author: 'Daniel Vetter' },
    ],
    messages: { 'no-alloc': '{{api}} may enter reclaim inside a fence signalling section' },
  },
  'order-canonical': {
    id: 'order-canonical',
    family: 'order',
    severity: 'error',
    summary: 'Locks are taken in the order dma_resv_lockdep() primes.',
    rationale: 'lockdep learns the canonical order at boot; any inversion is reported as a circular dependency.',
    covers: ['ORDER-1'],
    citations: [{ kind: 'kernel', file: 'drivers/dma-buf/dma-resv.c', symbol: 'dma_resv_lockdep' }],
    messages: {},
  },
  'no-deadlock': {
    id: 'no-deadlock',
    family: 'lockdep',
    severity: 'error',
    summary: 'No interleaving leaves every unfinished thread blocked forever.',
    rationale: 'A deadlock hangs the tasks involved; the hung-task detector is the only witness.',
    covers: ['LOCKDEP-6'],
    citations: [{ kind: 'doc', file: 'Documentation/locking/lockdep-design.rst', section: 'Lock-class' }],
    messages: {},
  },
  'ww-backoff': {
    id: 'ww-backoff',
    family: 'ww',
    severity: 'warning',
    summary: 'On -EDEADLK, drop every ww lock of the context before the slow lock.',
    rationale: 'The wait-die protocol only guarantees progress if the loser backs off.',
    covers: ['WW-2'],
    citations: [{ kind: 'commit', id: '0123456789abcdef0123', subject: 'locking/ww_mutex: fix backoff', version: 'v6.12' }],
    messages: {},
  },
};

export const CTX: RenderContext = {
  diagnosticTitle: (code) => (code === 'LMC201' ? 'unknown identifier' : undefined),
  color: false,
};

const ref = (line: number, col = 3) => ({ file: FILE, line, col });

export const CIRCULAR_TRACE: Trace = {
  threads: [
    { id: 0, name: 'cs_ioctl', kind: 'thread' },
    { id: 1, name: 'run_job', kind: 'thread' },
    { id: 2, name: 'kswapd', kind: 'kswapd' },
  ],
  steps: [
    { index: 1, thread: 1, threadName: 'run_job', op: 'dma_fence_begin_signalling()', role: 'enter fence signalling', at: ref(33), context: [], held: ['dma_fence_map'], preemption: false },
    {
      index: 2,
      thread: 1,
      threadName: 'run_job',
      op: 'kmalloc(GFP_KERNEL)',
      outcome: 'ok',
      role: 'enter reclaim',
      at: ref(34),
      context: [],
      held: ['dma_fence_map', 'fs_reclaim'],
      preemption: false,
    },
    {
      index: 3,
      thread: 1,
      threadName: 'run_job',
      op: 'mmu notifier invalidate',
      role: 'mmu notifier invalidate',
      at: ref(45),
      context: ['direct reclaim from kmalloc(GFP_KERNEL) at fixtures/drivers/userptr-notifier-waits-on-job.model.ts:34'],
      held: ['dma_fence_map', 'fs_reclaim', 'mmu_notifier_invalidate_range_start'],
      preemption: false,
    },
    {
      index: 4,
      thread: 1,
      threadName: 'run_job',
      op: 'mutex_lock(notifier_lock)',
      at: ref(40),
      context: ['direct reclaim from kmalloc(GFP_KERNEL) at fixtures/drivers/userptr-notifier-waits-on-job.model.ts:34', 'invalidate()'],
      held: ['dma_fence_map', 'fs_reclaim', 'mmu_notifier_invalidate_range_start', 'notifier_lock (notifier_lock)'],
      preemption: false,
    },
    {
      index: 5,
      thread: 1,
      threadName: 'run_job',
      op: 'dma_fence_wait(job)',
      role: 'wait on fence job',
      at: ref(41),
      context: ['direct reclaim from kmalloc(GFP_KERNEL) at fixtures/drivers/userptr-notifier-waits-on-job.model.ts:34', 'invalidate()'],
      held: ['dma_fence_map', 'fs_reclaim', 'mmu_notifier_invalidate_range_start', 'notifier_lock (notifier_lock)'],
      preemption: false,
    },
  ],
  schedule: '3f2a9c1d-BQECAwQ',
  preemptions: 0,
  final: {
    threads: [
      { thread: 'cs_ioctl', status: 'not-started', held: [] },
      {
        thread: 'run_job',
        status: 'blocked',
        at: ref(41),
        held: ['dma_fence_map', 'fs_reclaim', 'mmu_notifier_invalidate_range_start', 'notifier_lock (notifier_lock)'],
        // Hand-written phrases the checker never makes, kept verbatim (as `op`) so the goldens stay as they were.
        waitingFor: { kind: 'op', op: 'fence job (signalled only by run_job itself)' },
      },
      { thread: 'kswapd', status: 'not-started', held: [] },
    ],
    fences: [{ name: 'job', state: 'unpublished' }],
    other: {},
  },
  violatingStep: 2,
};

export const CIRCULAR_FINDING: Finding = {
  rule: 'fence-signalling-no-reclaim',
  check: 'no-alloc',
  kind: 'circular-dependency',
  message: 'kmalloc(GFP_KERNEL) may enter reclaim inside a fence signalling section',
  at: ref(34),
  chain: [
    {
      from: 'fs_reclaim',
      to: 'dma_fence_map',
      type: 'EN',
      source: { kind: 'model', thread: 'run_job', api: 'dma_fence_wait(job)', at: ref(41), heldAt: ref(34) },
    },
    {
      from: 'dma_fence_map',
      to: 'fs_reclaim',
      type: 'SN',
      source: { kind: 'model', thread: 'run_job', api: 'kmalloc(GFP_KERNEL)', at: ref(34), heldAt: ref(33) },
    },
  ],
  trace: CIRCULAR_TRACE,
};

const ABBA_FILE = 'fixtures/rules/no-deadlock/violates-abba.model.ts';
const aref = (line: number) => ({ file: ABBA_FILE, line, col: 3 });

export const DEADLOCK_FINDING: Finding = {
  rule: 'no-deadlock',
  check: 'deadlock',
  kind: 'deadlock',
  message: 'every unfinished thread is blocked: thread_a waits for b, thread_b waits for a',
  trace: {
    threads: [
      { id: 0, name: 'thread_a', kind: 'thread' },
      { id: 1, name: 'thread_b', kind: 'thread' },
    ],
    steps: [
      { index: 1, thread: 0, threadName: 'thread_a', op: 'mutex_lock(a)', at: aref(10), context: [], held: ['a (a)'], preemption: false },
      { index: 2, thread: 1, threadName: 'thread_b', op: 'mutex_lock(b)', at: aref(16), context: [], held: ['b (b)'], preemption: true },
      { index: 3, thread: 1, threadName: 'thread_b', op: 'mutex_lock(a)', at: aref(17), context: [], held: ['b (b)'], preemption: false },
      { index: 4, thread: 0, threadName: 'thread_a', op: 'mutex_lock(b)', at: aref(11), context: [], held: ['a (a)'], preemption: false },
    ],
    schedule: '9e8d7c6b-BAABAQA',
    preemptions: 1,
    final: {
      threads: [
        { thread: 'thread_a', status: 'blocked', at: aref(11), held: ['a (a)'], waitingFor: { kind: 'op', op: 'b (b)' } },
        { thread: 'thread_b', status: 'blocked', at: aref(17), held: ['b (b)'], waitingFor: { kind: 'op', op: 'a (a)' } },
      ],
      fences: [],
      other: { 'kswapd runs': '0' },
    },
  },
};

export const RECURSIVE_FINDING: Finding = {
  rule: 'ww-backoff',
  check: 'two-resv-no-ctx',
  kind: 'recursive-locking',
  message: 'dma_resv_lock(bo2, NULL) takes a second reservation_ww_class_mutex without an acquire context',
  at: { file: ABBA_FILE, line: 30, col: 5 },
  chain: [
    {
      from: 'reservation_ww_class_mutex',
      to: 'reservation_ww_class_mutex',
      type: 'EN',
      source: { kind: 'model', thread: 'thread_a', api: 'dma_resv_lock(bo2, NULL)', at: { file: ABBA_FILE, line: 30, col: 5 }, heldAt: aref(29) },
    },
  ],
};

export const PRIMED_FINDING: Finding = {
  rule: 'order-canonical',
  check: 'cycle',
  kind: 'circular-dependency',
  message: 'mmap_read_lock(mm) under dma_resv_lock(bo) inverts the primed order &mm->mmap_lock -> reservation_ww_class_mutex',
  possibleOnly: true,
  // Recorded path first (new -> ... -> held), the closing acquisition last:
  // the order checker/findings.ts produces.
  chain: [
    { from: '&mm->mmap_lock', to: 'reservation_ww_class_acquire', type: 'EN', source: { kind: 'primed', id: 'P1', where: 'dma_resv_lockdep() in drivers/dma-buf/dma-resv.c' } },
    { from: 'reservation_ww_class_acquire', to: 'reservation_ww_class_mutex', type: 'EN', source: { kind: 'primed', id: 'P2', where: 'dma_resv_lockdep() in drivers/dma-buf/dma-resv.c' } },
    {
      from: 'reservation_ww_class_mutex',
      to: '&mm->mmap_lock',
      type: 'EN',
      source: { kind: 'model', thread: 'fault_handler_with_a_really_long_name_for_wrapping', api: 'mmap_read_lock(mm)', at: aref(40), heldAt: aref(39) },
    },
  ],
};

/** The `rules` of a sample Report: hand-made metadata, so goldens do not follow the real rule set; sorted by id as the checker sorts them. */
export function sampleRules(ids: string[] = Object.keys(RULE_META)): RuleMeta[] {
  return ids.map((id) => structuredClone(RULE_META[id])).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A run over three models: a violation, a clean proof and a model error. */
export function sampleReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'lockmc', version: '0.1.0', z3: '4.15.4' },
    options: { engine: 'auto', timeoutMs: 60000, maxMemoryMb: 4096, rules: {}, kswapdRuns: 1, minimise: true },
    rules: sampleRules(),
    models: [
      {
        file: FILE,
        hashes: { model: '1a2b3c4d5e6f7a8b9c0d', rules: '9f8e7d6c5b4a39281706' },
        kernel: 'v7.0',
        verdicts: [
          { status: 'violated', rule: 'fence-signalling-no-reclaim', engine: 'bmc', findings: [CIRCULAR_FINDING] },
          { status: 'proved', rule: 'order-canonical', engine: 'lockgraph' },
          { status: 'holds-up-to', rule: 'ww-backoff', engine: 'bmc', bound: 24 },
          { status: 'inconclusive', rule: 'no-deadlock', engine: 'explicit', limit: { kind: 'timeout', ms: 60000 } },
          { status: 'skipped', rule: 'fence-map-read-trylock', reason: 'needs kernel v6.12 or later semantics; model says v6.11' },
        ],
        diagnostics: [],
        expected: [{ kind: 'violates', rule: 'fence-signalling-no-reclaim' }],
        expectation: { met: true, detail: 'violates fence-signalling-no-reclaim' },
        stats: { ms: 412, states: 1876, bound: 24, completenessBound: 30, engine: ['lockgraph', 'bmc', 'explicit'] },
      },
      {
        file: ABBA_FILE,
        hashes: { model: 'abcdef0123456789', rules: '9f8e7d6c5b4a39281706' },
        kernel: 'v6.12',
        verdicts: [
          { status: 'violated', rule: 'no-deadlock', engine: 'explicit', findings: [DEADLOCK_FINDING] },
          { status: 'violated', rule: 'ww-backoff', engine: 'lockgraph', findings: [RECURSIVE_FINDING] },
          { status: 'violated', rule: 'order-canonical', engine: 'lockgraph', findings: [PRIMED_FINDING] },
        ],
        diagnostics: [],
        expectation: { met: false, detail: 'expected holds all; got violated no-deadlock, ww-backoff, order-canonical' },
        stats: { ms: 35, engine: ['lockgraph', 'explicit'] },
      },
      {
        file: 'fixtures/errors/lmc201-unknown-identifier.model.ts',
        hashes: { model: 'ffff0000eeee1111', rules: '9f8e7d6c5b4a39281706' },
        kernel: 'v7.0',
        verdicts: [],
        diagnostics: [
          {
            code: 'LMC201',
            severity: 'error',
            message: "unknown identifier 'notifer_lock'",
            file: 'fixtures/errors/lmc201-unknown-identifier.model.ts',
            line: 12,
            col: 14,
            sourceLine: '  mutex_lock(notifer_lock);',
            caret: '             ^^^^^^^^^^^^',
            hint: "did you mean 'notifier_lock'? Declare every lock as a top-level const.",
          },
          {
            code: 'LMC105',
            severity: 'warning',
            message: 'this line is deliberately long so that the renderer has to window it around the caret column, as editors do — with an em dash',
            file: 'fixtures/errors/lmc201-unknown-identifier.model.ts',
            line: 20,
            col: 90,
            sourceLine: '  const very_long_name_for_a_lock_that_goes_on_and_on_and_on = mutex("a_class_name_that_is_also_long");',
            caret: '                                                                                         ^^^^^^^^^^',
          },
        ],
        stats: { ms: 3, engine: [] },
      },
    ],
    diagnostics: [],
    exitCode: 4,
  };
}

export function cleanReport(): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'lockmc', version: '0.1.0' },
    options: { engine: 'auto' },
    rules: sampleRules(['no-deadlock', 'order-canonical']),
    models: [
      {
        file: 'fixtures/rules/order-canonical/holds-basic.model.ts',
        hashes: { model: '0011223344556677', rules: '8899aabbccddeeff' },
        kernel: 'v7.0',
        verdicts: [
          { status: 'proved', rule: 'order-canonical', engine: 'lockgraph' },
          { status: 'proved', rule: 'no-deadlock', engine: 'explicit', detail: '412 states, exhaustive' },
        ],
        diagnostics: [],
        stats: { ms: 12, states: 412, engine: ['lockgraph', 'explicit'] },
      },
    ],
    diagnostics: [{ code: 'LMC301', severity: 'warning', message: 'rule option revoke.pfn-export is set twice; the command line wins' }],
    exitCode: 0,
  };
}
