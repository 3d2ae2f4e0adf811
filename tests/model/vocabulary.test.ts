import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import type { InstanceKind } from '../../model/ir.js';
import { API_BY_NAME, APIS, CONSTRUCTORS, GFP_FLAGS, REGISTRATIONS, VALUE_CONSTANTS, gfpMaskOf, type ArgSpec } from '../../model/vocabulary.js';
import { extractOk, proc } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('GFP masks (RECLAIM-3)', () => {
  const bits = (names: string[]) => {
    const m = gfpMaskOf(names, names.join(' | '));
    return [m.directReclaim, m.kswapdReclaim, m.io, m.fs, m.mayFail, m.noLockdep, m.noFail];
  };
  test.each([
    // name                       direct kswapd io    fs     mayFail noLockdep noFail
    [['GFP_KERNEL'], [true, true, true, true, false, false, false]],
    [['GFP_KERNEL_ACCOUNT'], [true, true, true, true, false, false, false]],
    [['GFP_USER'], [true, true, true, true, false, false, false]],
    [['GFP_HIGHUSER'], [true, true, true, true, false, false, false]],
    [['GFP_NOFS'], [true, true, true, false, false, false, false]],
    [['GFP_NOIO'], [true, true, false, false, false, false, false]],
    [['GFP_NOWAIT'], [false, true, false, false, true, false, false]],
    [['GFP_ATOMIC'], [false, true, false, false, true, false, false]],
    [['GFP_NORECLAIM'], [false, true, false, false, true, false, false]],
    [['GFP_KERNEL', '__GFP_NORETRY'], [true, true, true, true, true, false, false]],
    [['GFP_KERNEL', '__GFP_RETRY_MAYFAIL'], [true, true, true, true, true, false, false]],
    [['GFP_NOWAIT', '__GFP_NOFAIL'], [false, true, false, false, false, false, true]],
    [['GFP_KERNEL', '__GFP_NOLOCKDEP'], [true, true, true, true, false, true, false]],
    [['GFP_NOWAIT', '__GFP_NOWARN', '__GFP_ZERO'], [false, true, false, false, true, false, false]],
    [['GFP_NOIO', '__GFP_FS'], [true, true, false, true, false, false, false]],
  ])('%j', (names, expected) => {
    expect(bits(names)).toEqual(expected);
  });

  test('every composite GFP_* sets all four reclaim bits explicitly', () => {
    for (const g of GFP_FLAGS.filter((x) => x.composite)) {
      expect(Object.keys(g.set ?? {}).sort(), g.name).toEqual(expect.arrayContaining(['directReclaim', 'fs', 'io', 'kswapdReclaim']));
    }
  });
});

/** A model that calls `api` once with arguments of the right kinds. */
function callModel(api: string): string {
  const e = API_BY_NAME.get(api)!;
  const decls = [
    'const mm = mm_struct();',
    'const m = mutex();',
    'const sl = spinlock();',
    'const rsl = raw_spinlock();',
    'const ll = local_lock_t();',
    'const sem = rw_semaphore();',
    'const rw = rwlock();',
    'const wm = ww_mutex(reservation_ww_class);',
    'const mapping = address_space();',
    'const obj = dma_resv_object();',
    'const fence = dma_fence();',
    'const buf = dma_buf();',
    'const rxq = netdev_rx_queue();',
    'function cb() {}',
    'const w = work(cb);',
    'const mni = mmu_interval_notifier_insert(mm, cb);',
    'const att = dma_buf_attach(buf);',
    'const gem = userptr_object(mm);',
    'const hw = hardware({ irq: cb });',
    'function run() {}',
    'const sched = drm_gpu_scheduler({ run_job: run });',
    'const p = phyr_from_pages();',
    'const dev = dev_pm_ops({ runtime_resume: cb, runtime_suspend: cb });',
  ];
  const pre: string[] = ['  const ctx = ww_acquire_init(reservation_ww_class);', '  const flags = memalloc_nofs_save();', '  const cookie = dma_fence_begin_signalling();', '  const seq = mmu_interval_read_begin(mni);'];
  const byKind: Partial<Record<InstanceKind, string>> = {
    mm: 'mm', mutex: 'm', spinlock: 'sl', rwsem: 'sem', rwlock: 'rw', ww_mutex: 'wm', address_space: 'mapping', dma_resv: 'obj',
    dma_fence: 'fence', dma_buf: 'buf', rx_queue: 'rxq', work: 'w', interval_notifier: 'mni', attachment: 'att', ww_ctx: 'ctx', memalloc_cookie: 'flags',
    signalling_cookie: 'cookie', gem_object: 'gem', hardware: 'hw', drm_sched: 'sched', phyr: 'p', pm_device: 'dev',
  };
  const arg = (s: ArgSpec): string | undefined => {
    switch (s.kind) {
      case 'instance':
        // raw_spin_* take a raw_spinlock_t (the front end rejects a spinlock_t).
        // local_lock* take a local_lock_t.
        if (e.percpu && s.kinds[0] === 'spinlock') return 'll';
        return e.raw && s.kinds[0] === 'spinlock' ? 'rsl' : byKind[s.kinds[0]!];
      case 'ctx-or-null':
        return 'ctx';
      case 'gfp':
        return 'GFP_KERNEL';
      case 'number':
        return '1';
      case 'fn':
        return 'cb';
      case 'timeout':
        return 'HZ';
      case 'options':
        return undefined;
      case 'ignored':
        // A required ignored argument (kref_put's kref) still has to be written.
        return s.optional ? undefined : '0';
      case 'seq':
        return 'seq';
      case 'ww_class':
        return 'reservation_ww_class';
    }
  };
  const args: string[] = [];
  for (const s of e.args) {
    const a = arg(s);
    if (a === undefined) break;
    args.push(a);
  }
  if (e.scope && e.op === 'memalloc_restore' && e.scope !== 'nofs') pre[1] = `  const flags = memalloc_${e.scope}_save();`;
  return `${decls.join('\n')}\nexport function t() {\n${pre.join('\n')}\n  ${api}(${args.join(', ')});\n}\n`;
}

describe('vocabulary tables', () => {
  test.each(APIS.map((a) => a.api))('%s lowers to its op kind', (api) => {
    const m = extractOk(callModel(api)).model;
    const t = proc(m, 't');
    const nodes = t.nodes.filter((n) => n.kind === 'op' && n.op.api === api);
    expect(nodes.length).toBeGreaterThanOrEqual(1);
    const last = nodes[nodes.length - 1]!;
    expect(last.kind === 'op' && last.op.kind).toBe(API_BY_NAME.get(api)!.op);
  });

  test('kernel.d.ts declares every constructor, registration, API, GFP flag and constant of the vocabulary', () => {
    const sf = ts.createSourceFile('kernel.d.ts', readFileSync(join(ROOT, 'model', 'kernel.d.ts'), 'utf8'), ts.ScriptTarget.ES2022, true);
    const declared = new Set<string>();
    const visit = (n: ts.Node) => {
      if (ts.isFunctionDeclaration(n) && n.name) declared.add(n.name.text);
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) declared.add(n.name.text);
      if (ts.isModuleDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === 'lockmc') return;
      ts.forEachChild(n, visit);
    };
    visit(sf);
    const wanted = [
      ...CONSTRUCTORS.map((c) => c.name),
      ...REGISTRATIONS.map((r) => r.name),
      ...APIS.map((a) => a.api),
      ...GFP_FLAGS.map((g) => g.name),
      ...Object.keys(VALUE_CONSTANTS),
      'nondet',
      'reservation_ww_class',
      'crtc_ww_class',
      'dma_buf_dynamic_attach',
      'NULL',
    ];
    expect(wanted.filter((w) => !declared.has(w))).toEqual([]);
    // And nothing declared that the front end would reject as unknown.
    const known = new Set(wanted);
    expect([...declared].filter((d) => !known.has(d)).sort()).toEqual([]);
  });

  test('docs/model-language.md mentions every API', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'model-language.md'), 'utf8');
    expect(APIS.map((a) => a.api).filter((a) => !doc.includes(a))).toEqual([]);
  });
});
