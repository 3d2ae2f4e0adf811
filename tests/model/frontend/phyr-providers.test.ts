/**
 * Issue #14: phyr objects (their own instance kind, the dma-mapped flag),
 * the provider hand-over calls, a bind whose result is ignored, and the
 * buffer operand of a lock or wait on `buf.resv` (B1).
 */
import { describe, expect, it } from 'vitest';
import { opOperands } from '../../../checker/semantics/patterns.js';
import { extractOk, op1, proc } from '../helpers.js';

describe('phyr objects', () => {
  it('are instances of kind phyr with their memory and dma-mapped flag', () => {
    const { model } = extractOk(`
const a = phyr_from_pages();
const b = phyr_from_p2p({ dma_mapped: true });
export function t() { phyr_map(a); phyr_to_sgt(b); phyr_entry_to_page(a); device_read(b); phyr_unmap(a); }
`);
    const named = (n: string) => model.instances.find((i) => i.name === n)!;
    expect(named('a')).toMatchObject({ kind: 'phyr', phyrFrom: 'pages' });
    expect(named('a').dmaMapped).toBeUndefined();
    expect(named('b')).toMatchObject({ kind: 'phyr', phyrFrom: 'p2p', dmaMapped: true });
    const t = proc(model, 't');
    expect(['phyr_map', 'phyr_to_sgt', 'phyr_entry_to_page', 'device_read', 'phyr_unmap'].map((api) => {
      const o = op1(t, api).op;
      return o.kind === 'phyr_op' ? `${o.action}:${model.instances[o.phyr]!.name}` : o.kind;
    })).toEqual(['map:a', 'to_sgt:b', 'to_page:a', 'access:b', 'unmap:a']);
  });
});

describe('memory providers', () => {
  it('marks a bind written as a statement, not one whose result is tested', () => {
    const { model } = extractOk(`
const buf = dma_buf({});
const q0 = netdev_rx_queue();
const q1 = netdev_rx_queue();
export function t() {
  io_zcrx_register(q0, buf);
  if (!net_devmem_bind_dmabuf(q1, buf)) { return; }
}
`);
    const t = proc(model, 't');
    const ignored = (api: string) => {
      const o = op1(t, api).op;
      return o.kind === 'mp_bind' ? o.ignored ?? false : undefined;
    };
    expect([ignored('io_zcrx_register'), ignored('net_devmem_bind_dmabuf')]).toEqual([true, false]);
  });

  it('lowers register-without-use, unregister and the transfer', () => {
    const { model } = extractOk(`
const buf = dma_buf({});
const q = netdev_rx_queue();
export function t() {
  if (!net_devmem_register_dmabuf(buf)) { return; }
  if (!io_zcrx_take_dmabuf(q, buf)) { return; }
  net_devmem_unregister_dmabuf(buf);
}
`);
    const t = proc(model, 't');
    const ops = ['net_devmem_register_dmabuf', 'io_zcrx_take_dmabuf', 'net_devmem_unregister_dmabuf'].map((api) => op1(t, api).op);
    expect(ops.map((o) => (o.kind === 'mp_own' ? `${o.provider}:${o.action}:${o.rxq ?? '-'}` : o.kind))).toEqual([
      'devmem:register:-',
      `zcrx:transfer:${model.instances.find((i) => i.name === 'q')!.id}`,
      'devmem:unregister:-',
    ]);
  });
});

describe('B1: a lock or wait on buf.resv names its buffer', () => {
  it('gives lock, unlock and dma_resv_wait_timeout of buf.resv the buffer operand', () => {
    const { model } = extractOk(`
const buf = dma_buf({});
const other = dma_buf({});
export function t() {
  dma_resv_lock(buf.resv, null);
  dma_resv_wait_timeout(buf.resv);
  dma_resv_unlock(buf.resv);
}
`);
    const t = proc(model, 't');
    const buf = model.instances.find((i) => i.name === 'buf')!.id;
    expect(['dma_resv_lock', 'dma_resv_wait_timeout', 'dma_resv_unlock'].map((api) => opOperands(op1(t, api).op, model).buffer)).toEqual([buf, buf, buf]);
  });
});
