import { describe, expect, it } from 'vitest';
import { RuleCompileError } from '../../../checker/semantics/properties.js';
import { and, cnst, eq, ne, vr, FALSE, TRUE } from '../../../checker/semantics/expr.js';
import { at, build, fakeGraph, parse, rule, violated } from './properties-helpers.js';

const TWO_LOCKS = `
const a = mutex();
const b = mutex();
export function t0() { mutex_lock(a); mutex_lock(b); mutex_unlock(b); mutex_unlock(a); }
export function t1() { mutex_lock(b); mutex_unlock(b); }
`;

describe('step checks', () => {
  it('compile to the matching transitions with `when` for the acting thread', () => {
    const m = parse(TWO_LOCKS);
    const r = rule('r', [
      { kind: 'step', id: 'b-under-a', on: { op: 'lock', lock: { kind: 'class', name: 'b' } }, when: { kind: 'holds', lock: { kind: 'class', name: 'a' } } },
    ]);
    const b = build(m, [r]);
    const oa = b.ctx.ownerVar(0)!;
    expect(b.ts.properties).toEqual([
      { kind: 'step', rule: 'r', check: 'b-under-a', transitions: at(b, 't0', 'mutex_lock', 1), when: eq(vr(oa), cnst(1)) },
      { kind: 'step', rule: 'r', check: 'b-under-a', transitions: at(b, 't1', 'mutex_lock'), when: eq(vr(oa), cnst(2)) },
    ]);
    expect(violated(b.ts)).toEqual(['r/b-under-a']);
    // The matched transitions and those that change what \`when\` reads
    // (a's lock and unlock) are visible; b's unlocks are not.
    const visible = b.ts.transitions.filter((t) => t.visible).map((t) => t.id);
    expect(visible).toEqual(
      [...at(b, 't0', 'mutex_lock', 0), ...at(b, 't0', 'mutex_lock', 1), ...at(b, 't0', 'mutex_unlock', 1), ...at(b, 't1', 'mutex_lock')].sort((x, y) => x - y),
    );
  });

  it('distinguishes self, other and any holders', () => {
    const m = parse(TWO_LOCKS);
    const check = (who: 'self' | 'other' | 'any') =>
      rule(`r-${who}`, [{ kind: 'step', id: 'c', on: { op: 'lock', lock: { kind: 'class', name: 'b' } }, when: { kind: 'holds', lock: { kind: 'class', name: 'a' }, who } }]);
    const b = build(m, [check('self'), check('other'), check('any')]);
    const oa = vr(b.ctx.ownerVar(0)!);
    const other = b.ts.properties.filter((p) => p.rule === 'r-other');
    expect(other).toEqual([
      { kind: 'step', rule: 'r-other', check: 'c', transitions: at(b, 't0', 'mutex_lock', 1), when: and(ne(oa, cnst(0)), ne(oa, cnst(1))) },
      { kind: 'step', rule: 'r-other', check: 'c', transitions: at(b, 't1', 'mutex_lock'), when: and(ne(oa, cnst(0)), ne(oa, cnst(2))) },
    ]);
    const any = b.ts.properties.filter((p) => p.rule === 'r-any');
    // Same condition, two source sites: one property (one finding) per site.
    expect(any).toEqual([
      { kind: 'step', rule: 'r-any', check: 'c', transitions: at(b, 't0', 'mutex_lock', 1), when: ne(oa, cnst(0)) },
      { kind: 'step', rule: 'r-any', check: 'c', transitions: at(b, 't1', 'mutex_lock'), when: ne(oa, cnst(0)) },
    ]);
    expect(violated(b.ts)).toEqual(['r-any/c', 'r-other/c', 'r-self/c']);
  });

  it('yields one vacuous property when nothing matches', () => {
    const m = parse(TWO_LOCKS);
    const b = build(m, [rule('r', [{ kind: 'step', id: 'c', on: { op: 'alloc' } }])]);
    expect(b.ts.properties).toEqual([{ kind: 'step', rule: 'r', check: 'c', transitions: [], when: FALSE }]);
    expect(violated(b.ts)).toEqual([]);
  });

  it('matches GFP patterns against the effective mask, dynamically under scopes', () => {
    const m = parse(`
const job = dma_fence();
export function run_job() {
  const c = dma_fence_begin_signalling();
  if (nondet()) {
    const f = memalloc_nofs_save();
    kmalloc(GFP_KERNEL);
    memalloc_nofs_restore(f);
  }
  kmalloc(GFP_NOWAIT);
  dma_fence_signal(job);
  dma_fence_end_signalling(c);
}`);
    const fsAlloc = rule('fs', [{ kind: 'step', id: 'c', on: { op: 'alloc', gfp: { fs: true } } }]);
    const direct = rule('direct', [{ kind: 'step', id: 'c', on: { op: 'alloc', gfp: { directReclaim: true } }, when: { kind: 'in-context', context: 'signalling' } }]);
    const b = build(m, [fsAlloc, direct]);
    // GFP_KERNEL under memalloc_nofs_save never takes fs_reclaim; GFP_NOWAIT never reclaims.
    expect(violated(b.ts)).toEqual(['direct/c']);
    const fsProps = b.ts.properties.filter((p) => p.rule === 'fs');
    const flags = vr(b.ctx.flagVars.get(0)!);
    const off = (bitNo: number) => ({ k: 'not' as const, a: { k: 'bit' as const, a: flags, bit: bitNo } });
    // Not folded: the scope is dynamic (flag bits 4 noreclaim, 2 nofs, 3 noio).
    expect(fsProps).toEqual([{ kind: 'step', rule: 'fs', check: 'c', transitions: at(b, 'run_job', 'kmalloc'), when: and(off(4), off(2), off(3)) }]);
    const d = b.ts.properties.filter((p) => p.rule === 'direct');
    expect(d.length).toBe(1);
    expect(d[0].kind === 'step' && d[0].transitions).toEqual(at(b, 'run_job', 'kmalloc'));
  });
});

describe('predicates', () => {
  it('fold options, kernel versions and driver paths statically', () => {
    const m = parse(TWO_LOCKS, ' * @driver drivers/gpu/drm/xe');
    const opt = [{ key: 'x.mode', summary: 's', values: [{ value: 'strict', summary: '' }, { value: 'lax', summary: '' }], default: 'lax' }];
    const r = rule(
      'r',
      [
        { kind: 'step', id: 'opt', on: { op: 'unlock' }, when: { kind: 'option', key: 'x.mode', is: 'strict' } },
        { kind: 'step', id: 'kern', on: { op: 'unlock' }, when: { kind: 'kernel', since: 'v6.12', before: 'v6.13' } },
        { kind: 'step', id: 'gpu', on: { op: 'unlock' }, when: { kind: 'driver-under', prefix: 'drivers/gpu' } },
        { kind: 'step', id: 'net', on: { op: 'unlock' }, when: { kind: 'driver-under', prefix: 'drivers/gp' } },
      ],
      opt,
    );
    const b = build(m, [r], { kernel: 'v6.12', ruleOptions: { 'x.mode': 'strict' } });
    // Each unlock site is its own property (three sites, one transition each).
    const whens = b.ts.properties.map((p) => `${p.check}:${p.kind === 'step' ? `${p.transitions.length}:${p.when.k}` : ''}`);
    expect(whens).toEqual(['opt:1:true', 'opt:1:true', 'opt:1:true', 'kern:1:true', 'kern:1:true', 'kern:1:true', 'gpu:1:true', 'gpu:1:true', 'gpu:1:true', 'net:0:false']);
    const b2 = build(m, [r], { kernel: 'v7.0' });
    expect(b2.ts.properties.map((p) => (p.kind === 'step' ? p.transitions.length : -1))).toEqual([0, 0, 1, 1, 1, 0]);
  });

  it('binds `any` conjuncts to one attachment', () => {
    const body = (mapStatic: boolean) => `
const buf = dma_buf({ pinnable: true });
const s = dma_buf_attach(buf);
const d = dma_buf_dynamic_attach(buf, { invalidate_mappings: inv });
function inv() {}
export function t0() {
  dma_resv_lock(buf.resv, null);
  dma_buf_map_attachment(${mapStatic ? 's' : 'd'});
  dma_resv_unlock(buf.resv);
}`;
    const r = rule('r', [
      {
        kind: 'state',
        id: 'static-mapped',
        bad: { kind: 'and', of: [{ kind: 'attachment-class', subject: 'any', is: 'static' }, { kind: 'attachment', subject: 'any', state: 'mapped' }] },
      },
      { kind: 'state', id: 'none-mapped', bad: { kind: 'not', of: { kind: 'attachment', subject: 'any', state: 'mapped' } } },
      { kind: 'state', id: 'all-attached', bad: { kind: 'attachment', subject: 'all', state: ['attached', 'mapped'] } },
    ]);
    expect(violated(build(parse(body(false)), [r]).ts)).toEqual(['r/all-attached', 'r/none-mapped']);
    expect(violated(build(parse(body(true)), [r]).ts)).toEqual(['r/all-attached', 'r/none-mapped', 'r/static-mapped']);
    const b = build(parse(body(true)), [r]);
    const sv = b.ctx.attachmentVar(b.model.instances.find((i) => i.name === 's')!.id)!;
    expect(b.ts.properties[0]).toEqual({ kind: 'state', rule: 'r', check: 'static-mapped', bad: eq({ k: 'bitand', a: vr(sv), b: cnst(3) }, cnst(2)) });
    // Every transition that writes the attachment variable became visible.
    expect(b.ts.transitions.filter((t) => t.writes.includes(sv)).every((t) => t.visible)).toBe(true);
  });

  it('holds fs_reclaim in a shrinker run from a __GFP_FS allocation only', () => {
    const body = (gfp: string) => `
const shrinker_lock = mutex();
function shrink() { mutex_lock(shrinker_lock); mutex_unlock(shrinker_lock); }
register_shrinker(shrink);
export function t0() { kmalloc(${gfp}); }`;
    const r = rule('r', [
      { kind: 'step', id: 'fs', on: { op: 'lock' }, when: { kind: 'holds', lock: { kind: 'pseudo', name: 'fs_reclaim' } } },
      { kind: 'step', id: 'shrinker', on: { op: 'lock' }, when: { kind: 'in-context', context: 'shrinker' } },
      { kind: 'step', id: 'kswapd', on: { op: 'lock' }, when: { kind: 'in-context', context: 'kswapd' } },
    ]);
    const noKswapd = { semantics: { kswapdRuns: 0 } };
    expect(violated(build(parse(body('GFP_KERNEL')), [r], noKswapd).ts)).toEqual(['r/fs', 'r/shrinker']);
    expect(violated(build(parse(body('GFP_NOFS')), [r], noKswapd).ts)).toEqual(['r/shrinker']);
    expect(violated(build(parse(body('GFP_NOFS')), [r]).ts)).toEqual(['r/fs', 'r/kswapd', 'r/shrinker']);
  });

  it('treats a signalling section and a fence callback as holding dma_fence_map for read', () => {
    const m = parse(`
const l = mutex();
const job = dma_fence();
function cb() { spin_lock(l2); spin_unlock(l2); }
const l2 = spinlock();
export function t0() {
  dma_fence_add_callback(job, cb);
  const c = dma_fence_begin_signalling();
  mutex_lock(l);
  mutex_unlock(l);
  dma_fence_end_signalling(c);
  dma_fence_signal(job);
}`);
    const r = rule('r', [
      { kind: 'step', id: 'read', on: { op: 'lock' }, when: { kind: 'holds', lock: { kind: 'pseudo', name: 'dma_fence_map' }, mode: 'read' } },
      { kind: 'step', id: 'write', on: { op: 'lock' }, when: { kind: 'holds', lock: { kind: 'pseudo', name: 'dma_fence_map' }, mode: 'write' } },
      { kind: 'step', id: 'atomic', on: { op: 'lock', lock: { kind: 'class', name: 'l2' } }, when: { kind: 'in-context', context: 'atomic' } },
    ]);
    const b = build(m, [r]);
    expect(violated(b.ts)).toEqual(['r/atomic', 'r/read']);
    const read = b.ts.properties.filter((p) => p.check === 'read');
    const sd = b.ctx.sigDepthVars.get(0)!;
    // mutex_lock(l): dynamic depth test; spin_lock(l2) in the callback: statically inside dma_fence_signal.
    expect(read.map((p) => (p.kind === 'step' ? p.when : undefined))).toEqual([ne(vr(sd), cnst(0)), TRUE]);
  });

  it('knows when a thread is on a signalling path', () => {
    const body = (publish: boolean) => `
const bo = dma_resv_object();
const l = mutex();
const job = dma_fence();
export function submit() { ${publish ? 'dma_resv_lock(bo, null); dma_resv_add_fence(bo, job); dma_resv_unlock(bo);' : 'might_sleep();'} }
export function run_job() { mutex_lock(l); mutex_unlock(l); dma_fence_signal(job); }`;
    const r = rule('r', [{ kind: 'step', id: 'c', on: { op: 'lock', lock: { kind: 'class', name: 'l' } }, when: { kind: 'signalling-path' } }]);
    expect(violated(build(parse(body(true)), [r]).ts)).toEqual(['r/c']);
    expect(violated(build(parse(body(false)), [r]).ts)).toEqual([]);
  });

  it('resolves graph-dependent lock patterns through the lock graph', () => {
    const m = parse(TWO_LOCKS);
    const r = rule('r', [{ kind: 'step', id: 'c', on: { op: 'lock', lock: { kind: 'at-or-below', name: 'x' } } }]);
    const b = build(m, [r], { graph: fakeGraph({ below: ['a'] }) });
    expect(b.ts.properties).toEqual([{ kind: 'step', rule: 'r', check: 'c', transitions: at(b, 't0', 'mutex_lock', 0), when: TRUE }]);
  });
});

describe('deadlock, terminal and monitor checks', () => {
  const FENCE_DEADLOCK = `
const l = mutex();
const job = dma_fence();
export function waiter() { mutex_lock(l); dma_fence_wait(job); mutex_unlock(l); }
export function signaller() { mutex_lock(l); dma_fence_signal(job); mutex_unlock(l); }`;

  it('restricts deadlocks to the kinds of wait given', () => {
    const r = rule('r', [
      { kind: 'deadlock', id: 'all' },
      { kind: 'deadlock', id: 'fence', on: ['fence'] },
      { kind: 'deadlock', id: 'lock', on: ['lock'] },
      { kind: 'deadlock', id: 'work', on: ['work'] },
    ]);
    const b = build(parse(FENCE_DEADLOCK), [r]);
    expect(b.ts.properties[0]).toEqual({ kind: 'deadlock', rule: 'r', check: 'all' });
    expect(b.ts.properties.slice(1).map((p) => p.kind)).toEqual(['terminal', 'terminal', 'terminal']);
    expect(violated(b.ts)).toEqual(['r/all', 'r/fence', 'r/lock']);
    expect(violated(build(parse(TWO_LOCKS.replace('t1() { mutex_lock(b);', 't1() { mutex_lock(b); mutex_lock(a); mutex_unlock(a);')), [r]).ts)).toEqual([
      'r/all',
      'r/lock',
    ]);
  });

  it('says whether a thread returned or is blocked (open request 9)', () => {
    const r = rule('r', [
      { kind: 'terminal', id: 'done', bad: { kind: 'thread', state: 'done' } },
      { kind: 'terminal', id: 'blocked', bad: { kind: 'thread', state: 'blocked' } },
      { kind: 'state', id: 'blocked-state', bad: { kind: 'thread', state: 'blocked' } },
      // The acting thread is never done nor blocked when it steps.
      { kind: 'step', id: 'acting', on: { op: 'lock' }, when: { kind: 'or', of: [{ kind: 'thread', state: 'done' }, { kind: 'thread', state: 'blocked' }] } },
    ]);
    // Some terminal states have both threads returned, some the waiter and the signaller blocked for good.
    expect(violated(build(parse(FENCE_DEADLOCK), [r]).ts).sort()).toEqual(['r/blocked', 'r/blocked-state', 'r/done']);
    // A thread waiting for a lock another holds is blocked for a while (a state check sees it), never for good.
    expect(violated(build(parse(TWO_LOCKS), [r]).ts).sort()).toEqual(['r/blocked-state', 'r/done']);
  });

  it('compiles fence predicates for terminal checks', () => {
    const r = rule('r', [
      { kind: 'terminal', id: 'published', bad: { kind: 'fence', subject: 'any', state: 'published' } },
      { kind: 'terminal', id: 'waiter', bad: { kind: 'fence', subject: 'any', state: 'has-waiter' } },
    ]);
    const m = parse(`
const bo = dma_resv_object();
const job = dma_fence();
export function submit() { dma_resv_lock(bo, null); dma_resv_add_fence(bo, job); dma_resv_unlock(bo); }
export function waiter() { dma_fence_wait(job); }`);
    expect(violated(build(m, [r]).ts)).toEqual(['r/published', 'r/waiter']);
  });

  it('runs a per-attachment monitor and reports its bad state', () => {
    const m = parse(`
const buf = dma_buf({});
const d = dma_buf_dynamic_attach(buf, { invalidate_mappings: inv });
function inv() {}
export function t0() { dma_resv_lock(buf.resv, null); dma_buf_pin(d); dma_buf_unpin(d); dma_resv_unlock(buf.resv); }`);
    const mon = (id: string) =>
      rule('m', [
        {
          kind: 'monitor',
          id,
          monitor: {
            per: 'attachment',
            states: ['unpinned', 'pinned', 'bad'],
            initial: 'unpinned',
            transitions: [
              { from: 'unpinned', on: { op: 'dma_buf_pin' }, to: 'pinned' },
              { from: 'pinned', on: { op: 'dma_buf_pin' }, to: 'bad' },
              { from: 'pinned', on: { op: 'dma_buf_unpin' }, to: 'unpinned' },
            ],
            bad: ['bad'],
          },
        },
      ]);
    const ok = build(m, [mon('pins')]);
    expect(violated(ok.ts)).toEqual([]);
    const v = ok.ts.vars.find((x) => x.name === 'mon.m.pins.d')!;
    expect(v).toMatchObject({ max: 2, init: 0, role: { kind: 'monitor', rule: 'm', check: 'pins', instance: ok.model.instances.find((i) => i.name === 'd')!.id } });
    expect(ok.ts.properties).toEqual([{ kind: 'state', rule: 'm', check: 'pins', bad: eq(vr(v.id), cnst(2)) }]);
    const twice = parse(`
const buf = dma_buf({});
const d = dma_buf_dynamic_attach(buf, { invalidate_mappings: inv });
function inv() {}
export function t0() { dma_resv_lock(buf.resv, null); dma_buf_pin(d); dma_buf_pin(d); dma_resv_unlock(buf.resv); }`);
    expect(violated(build(twice, [mon('pins')]).ts)).toEqual(['m/pins']);
  });
});

describe('errors', () => {
  const m = parse(TWO_LOCKS);
  const err = (r: ReturnType<typeof rule>) => {
    try {
      build(m, [r]);
    } catch (e) {
      expect(e).toBeInstanceOf(RuleCompileError);
      const x = e as RuleCompileError;
      return `${x.code} ${x.rule}/${x.check}: ${x.message}`;
    }
    return 'no error';
  };

  it('names the rule and check of an unsupported combination', () => {
    expect(err(rule('r', [{ kind: 'state', id: 'c', bad: { kind: 'fence', subject: 'operand', state: 'published' } }]))).toBe(
      "LMC327 r/c: rule r, check c: subject 'operand' needs a step (use it in step checks and monitor transitions)",
    );
    expect(err(rule('r', [{ kind: 'step', id: 'c', on: { op: 'lock' }, when: { kind: 'attachment', subject: 'operand', state: 'mapped' } }]))).toBe(
      "LMC327 r/c: rule r, check c: subject 'operand': mutex_lock (lock) has no attachment operand",
    );
    expect(err(rule('r', [{ kind: 'step', id: 'c', on: { op: 'lock' }, when: { kind: 'option', key: 'nope', is: 'x' } }]))).toBe(
      "LMC327 r/c: rule r, check c: option 'nope' is not declared by any rule",
    );
    expect(err(rule('r', [{ kind: 'state', id: 'c', bad: { kind: 'buffer-resv-held' } }]))).toBe(
      "LMC327 r/c: rule r, check c: 'buffer-resv-held' needs a step operating on an attachment or a dma_buf",
    );
  });

  it('rejects malformed monitors with LMC326', () => {
    expect(
      err(rule('r', [{ kind: 'monitor', id: 'm', monitor: { per: 'global', states: ['a'], initial: 'a', transitions: [{ from: 'a', on: { op: 'lock' }, to: 'b' }], bad: ['a'] } }])),
    ).toBe("LMC326 r/m: rule r, check m: monitor names state 'b', which it does not declare");
  });

  it('skips lock-graph checks', () => {
    const b = build(m, [rule('r', [{ kind: 'lock-cycle', id: 'c' }, { kind: 'lock-recursion', id: 'd' }])]);
    expect(b.ts.properties).toEqual([]);
  });
});

describe('more predicates', () => {
  it('compares rx queue owners with the step provider', () => {
    const m = parse(`
const q = netdev_rx_queue();
const buf = dma_buf({});
export function devmem() { net_devmem_bind_dmabuf(q, buf); }
export function zcrx() { io_zcrx_register(q, buf); }`);
    const r = rule('r', [
      { kind: 'step', id: 'other', on: { op: 'mp_bind' }, when: { kind: 'rxq', subject: 'operand', owner: 'other-provider' } },
      { kind: 'step', id: 'busy', on: { op: 'mp_bind', outcome: 'ok' }, when: { kind: 'not', of: { kind: 'rxq', subject: 'operand', owner: 'none' } } },
      { kind: 'state', id: 'zcrx', bad: { kind: 'rxq', subject: 'any', owner: 'zcrx' } },
    ]);
    const b = build(m, [r]);
    const qv = vr(b.ctx.rxqVar(0)!);
    const other = b.ts.properties.filter((p) => p.check === 'other');
    // devmem binding: owner not none and not devmem (1); zcrx: not none and not zcrx (2).
    expect(other.map((p) => (p.kind === 'step' ? p.when : undefined))).toEqual([and(ne(qv, cnst(0)), ne(qv, cnst(1))), and(ne(qv, cnst(0)), ne(qv, cnst(2)))]);
    // mp_bind fails on a bound queue, so a successful bind never finds it busy.
    expect(violated(b.ts)).toEqual(['r/other', 'r/zcrx']);
  });

  it('reads exporter caps and the buffer resv of the operand', () => {
    const m = parse(`
const buf = dma_buf({ revocable: true });
const d = dma_buf_dynamic_attach(buf, { invalidate_mappings: inv });
function inv() {}
export function locked() { dma_resv_lock(buf.resv, null); dma_buf_map_attachment(d); dma_resv_unlock(buf.resv); }
export function unlocked() { dma_buf_unmap_attachment(d); }`);
    const r = rule('r', [
      { kind: 'step', id: 'unlocked', on: { op: ['dma_buf_map', 'dma_buf_unmap'] }, when: { kind: 'not', of: { kind: 'buffer-resv-held', who: 'self' } } },
      { kind: 'step', id: 'revocable', on: { op: 'dma_buf_map' }, when: { kind: 'exporter', subject: 'operand', cap: 'revocable', is: true } },
      { kind: 'step', id: 'movable', on: { op: 'dma_buf_map' }, when: { kind: 'exporter', subject: 'operand', cap: 'movable', is: true } },
      { kind: 'state', id: 'dyn-mapped', bad: { kind: 'and', of: [{ kind: 'attachment-class', subject: 'any', is: 'dynamic' }, { kind: 'attachment', subject: 'any', state: 'mapped' }] } },
    ]);
    const b = build(m, [r]);
    expect(violated(b.ts)).toEqual(['r/dyn-mapped', 'r/revocable', 'r/unlocked']);
    const un = b.ts.properties.filter((p) => p.check === 'unlocked');
    // The map of a revocable exporter can fail: two transitions, one condition.
    expect(un.map((p) => (p.kind === 'step' ? p.transitions.length : 0))).toEqual([2, 1]);
  });

  it('tracks ww acquire contexts per thread', () => {
    const m = parse(`
const bo = dma_resv_object();
export function t0() {
  const ctx = ww_acquire_init(reservation_ww_class);
  dma_resv_lock(bo, ctx);
  ww_acquire_done(ctx);
  dma_resv_unlock(bo);
  ww_acquire_fini(ctx);
}`);
    const r = rule('r', [
      { kind: 'step', id: 'unlock-holding', on: { op: 'unlock' }, when: { kind: 'ww-ctx', state: 'holds-locks' } },
      { kind: 'step', id: 'fini-done', on: { op: 'ww_acquire_fini' }, when: { kind: 'ww-ctx', state: 'done' } },
      { kind: 'step', id: 'lock-in-acquire', on: { op: 'lock' }, when: { kind: 'holds', lock: { kind: 'ww-acquire', name: 'reservation_ww_class' } } },
      { kind: 'step', id: 'lock-in-crtc', on: { op: 'lock' }, when: { kind: 'holds', lock: { kind: 'ww-acquire', name: 'crtc_ww_class' } } },
    ]);
    expect(violated(build(m, [r]).ts)).toEqual(['r/fini-done', 'r/lock-in-acquire', 'r/unlock-holding']);
  });
});
