import { describe, expect, it } from 'vitest';
import { PRIMED_EDGES, primedEdgesFor } from '../../../rules/canonical-order.js';
import { checkRuleSetConsistency } from '../../../checker/rule-files/consistency.js';
import { ALL_RULES } from '../../../rules/index.js';
import { ruleOrders } from '../../../checker/rule-orders.js';
import type { Rule } from '../../../rules/types.js';
import { loadUserRuleFiles, parseUserRuleFile } from '../../../checker/rule-files/index.js';
import { parseConfig } from '../../../cli/config.js';
import { resolveSelection } from '../../../rules/index.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const rule = (id: string, checks: Rule['checks'], options?: Rule['meta']['options']): Rule => ({
  meta: {
    id,
    family: 'order',
    severity: 'error',
    summary: 's',
    rationale: 'r',
    covers: ['ORDER-4'],
    citations: [{ kind: 'kernel', file: 'x.c' }],
    messages: Object.fromEntries(checks.map((c) => [c.id, 'm'])),
    ...(options ? { options } : {}),
  },
  checks,
});

describe('checkRuleSetConsistency', () => {
  it('accepts the built-in rule set with every primed edge and the rules\' declared orders', async () => {
    expect(ruleOrders(ALL_RULES)).toContainEqual({ before: '&vdev->memory_lock', after: 'reservation_ww_class_mutex', source: 'vfio-memory-lock-order' });
    expect(await checkRuleSetConsistency(ALL_RULES, PRIMED_EDGES, ruleOrders(ALL_RULES))).toEqual({ ok: true });
  });

  it('names the rule file declarations and primed edges of a contradictory order', async () => {
    const text = [
      '{',
      '  "order": [',
      '    ["my_lock", "&mm->mmap_lock"],',
      '    ["reservation_ww_class_mutex", "my_lock"]',
      '  ]',
      '}',
    ].join('\n');
    const f = parseUserRuleFile('order.json', text);
    expect(f.diagnostics).toEqual([]);
    const res = await checkRuleSetConsistency([], primedEdgesFor({ mmuNotifier: true, kms: false }), f.order);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.diagnostics).toHaveLength(1);
    const d = res.diagnostics[0];
    expect(d.code).toBe('LMC310');
    expect(d.file).toBe('order.json');
    expect(d.line).toBe(3);
    expect(d.col).toBe(5);
    expect(d.message).toBe(
      'contradictory lock order: ' +
        'primed edge P1 (&mm->mmap_lock -> reservation_ww_class_acquire, drivers/dma-buf/dma-resv.c dma_resv_lockdep()); ' +
        'primed edge P2 (reservation_ww_class_acquire -> reservation_ww_class_mutex, drivers/dma-buf/dma-resv.c dma_resv_lockdep()); ' +
        'order.json:3: my_lock before &mm->mmap_lock (order.json:3:5); ' +
        'order.json:4: reservation_ww_class_mutex before my_lock (order.json:4:5)',
    );
  });

  it('names the rules whose own order declarations contradict each other', async () => {
    const text = JSON.stringify({
      rules: [
        { ...rule('a-first', [{ kind: 'step', id: 'c', on: { op: 'lock' } }]), order: [['a_lock', 'b_lock']] },
        { ...rule('b-first', [{ kind: 'step', id: 'c', on: { op: 'lock' } }]), order: [['b_lock', 'a_lock']] },
      ],
    });
    const f = parseUserRuleFile('rules.json', text);
    expect(f.diagnostics).toEqual([]);
    const res = await checkRuleSetConsistency(f.rules, PRIMED_EDGES, f.order);
    const colA = text.indexOf('["a_lock","b_lock"]') + 1;
    const colB = text.indexOf('["b_lock","a_lock"]') + 1;
    expect(colA).toBeGreaterThan(1);
    expect(res).toEqual({
      ok: false,
      diagnostics: [
        {
          code: 'LMC310',
          severity: 'error',
          message:
            `contradictory lock order: a-first: a_lock before b_lock (rules.json:1:${colA}); b-first: b_lock before a_lock (rules.json:1:${colB})`,
          hint: 'remove or reverse one of these declarations',
          file: 'rules.json',
          line: 1,
          col: colA,
        },
      ],
    });
  });

  it('reports a vacuous condition and an unreachable monitor bad state', async () => {
    const r = rule(
      'never-fires',
      [
        {
          kind: 'state',
          id: 'both',
          bad: { kind: 'and', of: [{ kind: 'fence', subject: 'operand', state: 'signalled' }, { kind: 'fence', subject: 'operand', state: 'unpublished' }] },
        },
        { kind: 'step', id: 'typo-option', on: { op: 'lock' }, when: { kind: 'option', key: 'x.side', is: 'lfet' } },
        { kind: 'step', id: 'no-kernel', on: { op: 'lock' }, when: { kind: 'kernel', since: 'v7.0', before: 'v6.12' } },
        { kind: 'step', id: 'fine', on: { op: 'lock' }, when: { kind: 'option', key: 'x.side', is: 'left' } },
        {
          kind: 'monitor',
          id: 'stuck',
          monitor: { per: 'global', states: ['a', 'b', 'bad'], initial: 'a', transitions: [{ from: 'a', on: { op: 'lock' }, to: 'b' }], bad: ['bad'] },
        },
      ],
      [{ key: 'x.side', summary: 's', default: 'left', values: [{ value: 'left', summary: 'l' }, { value: 'right', summary: 'r' }] }],
    );
    const res = await checkRuleSetConsistency([r], []);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['LMC311', "rule 'never-fires', check 'both': its bad condition can never hold"],
      ['LMC311', "rule 'never-fires', check 'typo-option': its when condition can never hold"],
      ['LMC311', "rule 'never-fires', check 'no-kernel': its when condition can never hold"],
      ['LMC311', "rule 'never-fires', check 'stuck': no bad state (bad) is reachable from 'a'"],
    ]);
  });

  it('follows the semantics: any-atoms of one conjunction are one object, not/or open their own scope', async () => {
    const r = rule('compatible', [
      {
        kind: 'step',
        id: 'c',
        on: { op: 'device_access' },
        when: {
          kind: 'and',
          of: [
            { kind: 'in-context', context: 'direct-reclaim' },
            { kind: 'not', of: { kind: 'in-context', context: 'kswapd' } },
            { kind: 'attachment', subject: 'any', state: 'mapped' },
            { kind: 'attachment-class', subject: 'any', is: 'static' },
            { kind: 'not', of: { kind: 'attachment', subject: 'any', state: 'invalidated' } },
            { kind: 'or', of: [{ kind: 'attachment', subject: 'any', state: 'mapped' }, { kind: 'fence', subject: 'any', state: 'signalled' }] },
          ],
        },
      },
      {
        kind: 'step',
        id: 'd',
        on: { op: 'device_access' },
        when: { kind: 'and', of: [{ kind: 'in-context', context: 'direct-reclaim' }, { kind: 'not', of: { kind: 'in-context', context: 'reclaim' } }] },
      },
      {
        kind: 'state',
        id: 'e',
        bad: { kind: 'and', of: [{ kind: 'attachment', subject: 'any', state: 'mapped' }, { kind: 'attachment', subject: 'any', state: 'invalidated' }] },
      },
      {
        kind: 'state',
        id: 'f',
        bad: { kind: 'and', of: [{ kind: 'attachment-class', subject: 'any', is: 'static' }, { kind: 'attachment-p2p', subject: 'any', is: true }] },
      },
      {
        kind: 'state',
        id: 'g',
        bad: { kind: 'and', of: [{ kind: 'rxq', subject: 'all', owner: 'none' }, { kind: 'rxq', subject: 'all', owner: 'devmem' }] },
      },
    ]);
    const res = await checkRuleSetConsistency([r], []);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.diagnostics.map((d) => d.message)).toEqual([
      "rule 'compatible', check 'd': its when condition can never hold",
      "rule 'compatible', check 'e': its bad condition can never hold",
      "rule 'compatible', check 'f': its bad condition can never hold",
    ]);
  });

  it('end to end: a config whose rule file orders a driver lock against the primed hierarchy both ways', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockmc-order-'));
    const base = (id: string) => ({
      meta: {
        id,
        family: 'order',
        severity: 'error',
        summary: 'placement of vm_lock',
        rationale: 'the driver documents where vm_lock sits relative to dma_resv',
        covers: ['ORDER-4'],
        citations: [{ kind: 'kernel', file: 'drivers/gpu/drm/foo/foo_vm.c' }],
        messages: { c: '{{api}}' },
      },
      checks: [{ kind: 'step', id: 'c', on: { op: 'might_sleep' } }],
    });
    const text = JSON.stringify(
      {
        rules: [
          { ...base('vm-lock-outside-resv'), order: [['vm_lock', 'reservation_ww_class_mutex']] },
          { ...base('vm-lock-in-reclaim'), order: [['fs_reclaim', 'vm_lock']] },
        ],
      },
      null,
      2,
    );
    writeFileSync(join(dir, 'foo.json'), text);
    const cfg = parseConfig(join(dir, 'lockmc.config.json'), JSON.stringify({ ruleFiles: ['foo.json'] }));
    expect(cfg.diagnostics).toEqual([]);
    const loaded = loadUserRuleFiles(cfg.selection.files ?? []);
    expect(loaded.diagnostics).toEqual([]);
    const sel = resolveSelection(cfg.selection, loaded.rules);
    expect(sel.rules.map((r) => r.meta.id)).toContain('vm-lock-in-reclaim');
    const res = await checkRuleSetConsistency(sel.rules, primedEdgesFor({ mmuNotifier: true, kms: false }), loaded.order);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    const file = join(dir, 'foo.json');
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    const l1 = lineOf('"vm_lock",') - 1;
    const l2 = lineOf('"fs_reclaim",') - 1;
    expect(res.diagnostics.map((d) => [d.code, d.message, d.file, d.line])).toEqual([
      [
        'LMC310',
        'contradictory lock order: ' +
          'primed edge P3 (reservation_ww_class_mutex -> fs_reclaim, drivers/dma-buf/dma-resv.c dma_resv_lockdep()); ' +
          `vm-lock-outside-resv: vm_lock before reservation_ww_class_mutex (${file}:${l1}:9); ` +
          `vm-lock-in-reclaim: fs_reclaim before vm_lock (${file}:${l2}:9)`,
        file,
        l1,
      ],
    ]);
  });

  it('reports step patterns no op can match, the way the semantics matches them', async () => {
    const r = rule('never-matches', [
      { kind: 'step', id: 'write-on-map', on: { op: 'dma_buf_map', write: true } },
      { kind: 'step', id: 'mixed', on: { op: ['lock', 'alloc'], trylock: true, gfp: { directReclaim: true } } },
      { kind: 'step', id: 'edeadlk-bind', on: { op: 'mp_bind', outcome: 'EDEADLK' } },
      { kind: 'step', id: 'fine', on: { op: ['dma_buf_map', 'device_access'], write: true, outcome: 'ok' } },
      { kind: 'step', id: 'ww-class-on-alloc', on: { op: 'alloc', wwClass: 'crtc_ww_class' } },
      { kind: 'step', id: 'ww-class-fine', on: { op: 'ww_acquire_init', wwClass: 'crtc_ww_class' } },
      {
        kind: 'monitor',
        id: 'mon',
        monitor: { per: 'global', states: ['a', 'bad'], initial: 'a', transitions: [{ from: 'a', on: { op: 'fence_signal', timeout: 'bounded' }, to: 'bad' }], bad: ['bad'] },
      },
    ]);
    const res = await checkRuleSetConsistency([r], []);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "LMC311 rule 'never-matches', check 'write-on-map': its step pattern can never match ('write' applies only to device_access)",
      "LMC311 rule 'never-matches', check 'mixed': its step pattern can never match (no op in [lock, alloc] has all of its fields)",
      "LMC311 rule 'never-matches', check 'edeadlk-bind': its step pattern can never match (outcome 'EDEADLK' happens only on lock)",
      "LMC311 rule 'never-matches', check 'ww-class-on-alloc': its step pattern can never match ('wwClass' applies only to ww_acquire_init, ww_acquire_done, ww_acquire_fini, lock, unlock)",
      "LMC311 rule 'never-matches', check 'mon': its transition 0 pattern can never match ('timeout' applies only to fence_wait)",
    ]);
  });
});
