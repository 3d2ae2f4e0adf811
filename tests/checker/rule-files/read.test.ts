import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadUserRuleFiles, parseJsonWithPositions, parseUserRuleFile } from '../../../checker/rule-files/index.js';

const GOOD_RULE = {
  meta: {
    id: 'my-driver-no-alloc-under-vm-lock',
    family: 'reclaim',
    severity: 'warning',
    summary: 'vm_lock is taken in the shrinker, so it must not be held across GFP_KERNEL.',
    rationale: 'Our shrinker takes vm_lock; an allocation that enters reclaim with vm_lock held deadlocks.',
    covers: ['RECLAIM-1'],
    citations: [{ kind: 'kernel', file: 'drivers/gpu/drm/foo/foo_shrinker.c', symbol: 'foo_shrinker_scan' }],
    messages: { 'alloc-under-vm-lock': '{{api}}({{gfp}}) while holding {{held}}' },
  },
  checks: [
    {
      kind: 'step',
      id: 'alloc-under-vm-lock',
      on: { op: 'alloc', gfp: { directReclaim: true } },
      when: { kind: 'holds', lock: { kind: 'class', name: 'vm_lock' } },
    },
  ],
};

/** Line and column of the first occurrence of `needle` in `text`. */
function posOf(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  expect(i, `needle ${needle}`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

function codes(text: string) {
  return parseUserRuleFile('r.json', text, []).diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
}

describe('parseJsonWithPositions', () => {
  it('records where values and keys start', () => {
    const text = '{\n  "a": [1, {"b/c": true}],\n  "d": "x"\n}';
    const p = parseJsonWithPositions(text);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.value).toEqual({ a: [1, { 'b/c': true }], d: 'x' });
    expect(p.at('a')).toEqual({ line: 2, col: 8 });
    expect(p.at('a/1/b~1c')).toEqual({ line: 2, col: 20 });
    expect(p.keyAt('d')).toEqual({ line: 3, col: 3 });
    expect(p.at('zzz')).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 1, 9, "expected a string, found '}'"],
    ['{\n  "a": tru\n}', 2, 8, "unexpected 't'"],
    ['[1 2]', 1, 4, "expected ',' or ']', found '2'"],
    ['{"a": "x', 1, 9, 'unterminated string'],
    ['{"a": 1, "a": 2}', 1, 10, "duplicate key 'a'"],
    ['{} x', 1, 4, "unexpected 'x' after the JSON value"],
    ['', 1, 1, 'unexpected end of input'],
  ])('rejects %j at %i:%i', (text, line, col, message) => {
    expect(parseJsonWithPositions(text)).toEqual({ ok: false, message, line, col });
  });

  it('survives absurd nesting without a stack overflow', () => {
    const p = parseJsonWithPositions('['.repeat(100_000));
    expect(p).toMatchObject({ ok: false, message: 'nesting too deep' });
  });
});

describe('parseUserRuleFile', () => {
  it('accepts a valid rule, alone or in a rules list, with orders', () => {
    const single = parseUserRuleFile('one.json', JSON.stringify(GOOD_RULE), []);
    expect(single.diagnostics).toEqual([]);
    expect(single.rules).toEqual([GOOD_RULE]);
    const text = JSON.stringify({ rules: [GOOD_RULE], order: [['vm_lock', 'reservation_ww_class_mutex']] }, null, 2);
    const many = parseUserRuleFile('many.json', text, []);
    expect(many.diagnostics).toEqual([]);
    expect(many.rules.map((r) => r.meta.id)).toEqual(['my-driver-no-alloc-under-vm-lock']);
    expect(many.order).toEqual([
      { before: 'vm_lock', after: 'reservation_ww_class_mutex', source: `many.json:${posOf(text, '[\n      "vm_lock"').line}`, file: 'many.json', ...posOf(text, '[\n      "vm_lock"') },
    ]);
  });

  it('reports invalid JSON as LMC320 with the parse position and a caret', () => {
    const r = parseUserRuleFile('bad.json', '{\n  "rules": [\n    {,}\n  ]\n}', []);
    expect(r.rules).toEqual([]);
    expect(r.diagnostics).toEqual([
      {
        code: 'LMC320',
        severity: 'error',
        message: "rule file is not valid JSON: expected a string, found ','",
        file: 'bad.json',
        line: 3,
        col: 6,
        sourceLine: '    {,}',
        caret: '     ^',
      },
    ]);
  });

  it('names a missing field at the object that lacks it', () => {
    const rule = structuredClone(GOOD_RULE) as Record<string, unknown>;
    delete (rule.meta as Record<string, unknown>).rationale;
    const text = JSON.stringify(rule, null, 2);
    const { line, col } = posOf(text, '{\n    "id"');
    expect(codes(text)).toEqual([`LMC321 ${line}:${col} meta is missing 'rationale'`]);
  });

  it('names an unknown check kind (LMC322) and an unknown predicate kind (LMC323) where they are written', () => {
    const rule = structuredClone(GOOD_RULE);
    (rule.checks[0] as Record<string, unknown>).kind = 'stpe';
    const text = JSON.stringify(rule, null, 2);
    const at = posOf(text, '"stpe"');
    expect(codes(text)).toEqual([`LMC322 ${at.line}:${at.col} unknown check kind 'stpe'`]);

    const rule2 = structuredClone(GOOD_RULE);
    (rule2.checks[0].when as Record<string, unknown>).kind = 'held';
    const text2 = JSON.stringify(rule2, null, 2);
    const at2 = posOf(text2, '"held"');
    expect(codes(text2)).toEqual([`LMC323 ${at2.line}:${at2.col} unknown predicate kind 'held'`]);
  });

  it('checks every enumerated field: op kinds, lock pattern kinds, contexts', () => {
    const rule = structuredClone(GOOD_RULE) as unknown as { checks: Record<string, unknown>[] };
    rule.checks[0].on = { op: ['alloc', 'kmalloc'] };
    rule.checks[0].when = {
      kind: 'and',
      of: [
        { kind: 'holds', lock: { kind: 'klass', name: 'x' } },
        { kind: 'in-context', context: 'nmi' },
      ],
    };
    const text = JSON.stringify(rule, null, 2);
    const op = posOf(text, '"kmalloc"');
    const lk = posOf(text, '"klass"');
    const cx = posOf(text, '"nmi"');
    expect(codes(text)).toEqual([
      `LMC323 ${op.line}:${op.col} step pattern.op[1] 'kmalloc' is not one of ${codesOfOps()}`,
      `LMC323 ${lk.line}:${lk.col} unknown lock pattern kind 'klass'`,
      `LMC323 ${cx.line}:${cx.col} predicate 'in-context'.context 'nmi' is not one of reclaim, direct-reclaim, kswapd, shrinker, mmu-notifier, mmu-notifier-nonblocking, irq, fence-callback, invalidate-mappings, fence-release, work, signalling, atomic, pagefault-disabled, memalloc-nofs, memalloc-noio, memalloc-noreclaim, softirq, final-put, irq-thread`,
    ]);
  });

  it('reads the thread predicate and closedBy with context and from (open requests 9 and 11)', () => {
    const rule = structuredClone(GOOD_RULE) as unknown as { meta: { messages: Record<string, string> }; checks: Record<string, unknown>[] };
    rule.checks.push(
      { kind: 'terminal', id: 'returned', bad: { kind: 'thread', state: 'done' } },
      {
        kind: 'lock-cycle',
        id: 'cycle',
        closedBy: { op: 'lock', trylock: false, lock: { kind: 'class', name: 'vm_lock' }, context: 'shrinker', from: { kind: 'pseudo', name: 'fs_reclaim' } },
      },
    );
    rule.meta.messages.returned = '{{thread}} returned';
    rule.meta.messages.cycle = '{{chain}}';
    expect(codes(JSON.stringify(rule, null, 2))).toEqual([]);
    (rule.checks[1] as { bad: unknown }).bad = { kind: 'thread', state: 'sleeping' };
    (rule.checks[2] as { closedBy: Record<string, unknown> }).closedBy.context = 'nmi';
    (rule.checks[2] as { closedBy: Record<string, unknown> }).closedBy.from = { kind: 'klass' };
    const text = JSON.stringify(rule, null, 2);
    const st = posOf(text, '"sleeping"');
    const cx = posOf(text, '"nmi"');
    const fr = posOf(text, '"klass"');
    expect(codes(text).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual([`LMC323 ${st.line}:${st.col}`, `LMC323 ${cx.line}:${cx.col}`, `LMC323 ${fr.line}:${fr.col}`]);
  });

  it('requires a message for every check and no message without a check (LMC325)', () => {
    const rule = structuredClone(GOOD_RULE) as unknown as { meta: { messages: Record<string, string> }; checks: Record<string, unknown>[] };
    rule.meta.messages = { 'alloc-under-vm-lok': 'x' };
    const text = JSON.stringify(rule, null, 2);
    const chk = posOf(text, '"alloc-under-vm-lock"');
    const msg = posOf(text, '"alloc-under-vm-lok"');
    expect(codes(text)).toEqual([
      `LMC325 ${chk.line}:${chk.col} check 'alloc-under-vm-lock' has no message in meta.messages`,
      `LMC325 ${msg.line}:${msg.col} message 'alloc-under-vm-lok' belongs to no check`,
    ]);
  });

  it('rejects duplicate rule ids, against built-ins and within a file (LMC324)', () => {
    const builtin = structuredClone(GOOD_RULE);
    builtin.meta.id = 'revoke-sequence';
    const r = parseUserRuleFile('dup.json', JSON.stringify(builtin));
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["LMC324 rule id 'revoke-sequence' is already defined by a built-in rule"]);
    const text = JSON.stringify({ rules: [GOOD_RULE, GOOD_RULE] });
    expect(codes(text).map((c) => c.replace(/ \d+:\d+ /, ' '))).toEqual(["LMC324 rule id 'my-driver-no-alloc-under-vm-lock' is already defined"]);
  });

  it('validates monitors: undeclared states (LMC326) and missing bad states', () => {
    const rule = {
      ...structuredClone(GOOD_RULE),
      checks: [
        {
          kind: 'monitor',
          id: 'alloc-under-vm-lock',
          monitor: { per: 'buffer', states: ['a', 'b'], initial: 'a', transitions: [{ from: ['a', 'c'], on: { op: 'dma_buf_revoke' }, to: 'b' }], bad: [] },
        },
      ],
    };
    const text = JSON.stringify(rule, null, 2);
    const bad = posOf(text, '"bad": [') ;
    const c = posOf(text, '"c"');
    expect(codes(text)).toEqual([
      `LMC326 ${bad.line}:${bad.col + 7} monitor must declare at least one bad state`,
      `LMC326 ${c.line}:${c.col} monitor from state 'c' is not a declared state`,
    ]);
  });

  it('rejects unknown fields, malformed orders and non-object files', () => {
    const rule = { ...structuredClone(GOOD_RULE), checkz: [] };
    const text = JSON.stringify(rule, null, 2);
    const at = posOf(text, '"checkz"');
    expect(codes(text)).toEqual([`LMC321 ${at.line}:${at.col} rule has unknown field 'checkz'`]);
    expect(codes('{"order": [["a", "a"], ["b"]]}')).toEqual([
      'LMC321 1:12 order entry must be a pair of two different lock class names ["before", "after"]',
      'LMC321 1:24 order entry must be a pair of two different lock class names ["before", "after"]',
    ]);
    expect(codes('[]')).toEqual(['LMC321 1:1 rule file must contain an object, found an array']);
    expect(codes('{}')).toEqual(["LMC321 1:1 rule file must have 'rules' or 'order' (or be a single rule with 'meta' and 'checks')"]);
  });

  it('a file with any error contributes no rule and no order', () => {
    const text = JSON.stringify({ rules: [GOOD_RULE, { meta: {}, checks: [] }], order: [['x', 'y']] });
    const r = parseUserRuleFile('half.json', text, []);
    expect(r.rules).toEqual([]);
    expect(r.order).toEqual([]);
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('loadUserRuleFiles', () => {
  it('reads files, reports a missing one as LMC307, and keeps ids unique across files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-rules-'));
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify(GOOD_RULE));
    writeFileSync(b, JSON.stringify(GOOD_RULE));
    const r = loadUserRuleFiles([a, join(dir, 'missing.json'), b]);
    expect(r.rules.map((x) => x.meta.id)).toEqual(['my-driver-no-alloc-under-vm-lock']);
    expect(r.diagnostics.map((d) => `${d.code} ${d.file === a || d.file === b ? 'file' : d.file} ${d.message}`)).toEqual([
      `LMC307 ${join(dir, 'missing.json')} rule file '${join(dir, 'missing.json')}': no such file`,
      "LMC324 file rule id 'my-driver-no-alloc-under-vm-lock' is already defined",
    ]);
  });
});

function codesOfOps(): string {
  return [
    'lock', 'unlock', 'ww_acquire_init', 'ww_acquire_done', 'ww_acquire_fini', 'alloc', 'memalloc_save',
    'memalloc_restore', 'user_access', 'pagefault_disable', 'pagefault_enable', 'local_irq_disable',
    'local_irq_enable', 'signalling_begin', 'signalling_end', 'fence_init', 'fence_publish', 'fence_signal',
    'fence_wait', 'fence_add_callback', 'unmap_mapping_range', 'interval_read_begin', 'interval_read_retry',
    'interval_set_seq', 'dma_buf_export', 'dma_buf_attach', 'dma_buf_detach', 'dma_buf_pin', 'dma_buf_unpin',
    'dma_buf_map', 'dma_buf_unmap', 'dma_buf_invalidate', 'dma_buf_revoke', 'dma_buf_unrevoke', 'device_access',
    'phyr_to_page', 'page_ref_lock', 'dma_buf_put', 'mp_bind', 'mp_unbind', 'mp_recv', 'queue_work', 'flush_work',
    'might_sleep', 'userptr_pages', 'gem_access', 'gem_prime_export', 'local_bh_disable', 'local_bh_enable', 'rcu_read_lock', 'rcu_read_unlock', 'lock_init', 'final_put', 'mm_event',
    'hw_submit', 'sched_add_dependency', 'sched_push',
    'mp_own', 'phyr_op',
    'might_lock', 'fs_reclaim', 'rcu_sync',
    'pm_runtime', 'call_rcu',
  ].join(', ');
}

describe('robustness', () => {
  it('never throws on arbitrary JSON, and every diagnostic has a code and a position', async () => {
    const fc = await import('fast-check');
    const { parseConfig } = await import('../../../cli/config.js');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v);
        for (const d of parseUserRuleFile('f.json', text, []).diagnostics) {
          expect(d.code).toMatch(/^LMC3\d\d$/);
          expect(d.line).toBeGreaterThan(0);
        }
        parseConfig('/nonexistent/lockmc.config.json', text);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on a valid rule with one field replaced by an arbitrary value', async () => {
    const fc = await import('fast-check');
    const paths: string[][] = [
      ['meta'], ['meta', 'id'], ['meta', 'family'], ['meta', 'covers'], ['meta', 'citations'], ['meta', 'messages'],
      ['checks'], ['checks', '0'], ['checks', '0', 'on'], ['checks', '0', 'when'], ['checks', '0', 'when', 'lock'], ['checks', '0', 'kind'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 4 }), (path, value) => {
        const rule = structuredClone(GOOD_RULE) as unknown as Record<string, unknown>;
        let o = rule as Record<string, unknown>;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
        o[path[path.length - 1]] = value;
        const r = parseUserRuleFile('f.json', JSON.stringify(rule), []);
        // Either the replacement happened to be valid, or it is diagnosed; never both a rule and an error.
        expect(r.rules.length + (r.diagnostics.length > 0 ? 1 : 0)).toBe(1);
      }),
      { numRuns: 400 },
    );
  });
});

describe('regressions', () => {
  it('a null check next to a valid one is diagnosed, not a crash', () => {
    const rule = structuredClone(GOOD_RULE) as unknown as { meta: { messages: object }; checks: unknown[] };
    rule.meta.messages = {};
    rule.checks = [null, GOOD_RULE.checks[0]];
    const text = JSON.stringify(rule);
    expect(codes(text)).toEqual([
      `LMC321 1:${text.indexOf('null') + 1} check must be an object with a 'kind', found null`,
      `LMC325 1:${text.indexOf('"alloc-under-vm-lock"') + 1} check 'alloc-under-vm-lock' has no message in meta.messages`,
    ]);
  });
});

describe('option predicates', () => {
  it('must name an option some rule declares, with a declared value', () => {
    const rule = structuredClone(GOOD_RULE) as unknown as { checks: Record<string, unknown>[] };
    rule.checks[0].when = {
      kind: 'and',
      of: [
        { kind: 'option', key: 'revoke.pfn-export', is: 'locked' },
        { kind: 'option', key: 'mine.side', is: 'x' },
      ],
    };
    const text = JSON.stringify(rule, null, 2);
    const v = posOf(text, '"locked"');
    const k = posOf(text, '"mine.side"');
    expect(codes(text)).toEqual([
      `LMC323 ${v.line}:${v.col} option 'revoke.pfn-export' has no value 'locked'`,
      `LMC323 ${k.line}:${k.col} option 'mine.side' is not declared by any rule`,
    ]);
    const declared = structuredClone(rule) as unknown as { meta: Record<string, unknown>; checks: Record<string, unknown>[] };
    declared.meta = { ...GOOD_RULE.meta, options: [{ key: 'mine.side', summary: 's', default: 'x', values: [{ value: 'x', summary: 'x' }, { value: 'y', summary: 'y' }] }] };
    (declared.checks[0].when as { of: unknown[] }).of = [{ kind: 'option', key: 'mine.side', is: 'x' }];
    expect(codes(JSON.stringify(declared))).toEqual([]);
  });
});
