import { defineRule, type Citation } from './types.js';

/** The zcrx vs devmem TCP thread (netdev, June 2024), the message proposing the hand-over. */
const HANDOVER: Citation = {
  kind: 'list',
  list: 'netdev, io-uring',
  date: '2024-06-10',
  subject: 'io_uring zero-copy receive vs devmem TCP (dmabuf ownership)',
  author: 'Pavel Begunkov',
};

/**
 * OWN-6 (the ownership positions): the hand-over of a dma-buf from devmem TCP to io_uring zcrx.
 * Register-without-use and the transfer are the unmerged proposal of the
 * thread; lockmc names them net_devmem_register_dmabuf / io_zcrx_take_dmabuf.
 */
export const rule = defineRule({
  meta: {
    id: 'mp-ownership-transfer',
    family: 'own',
    severity: 'error',
    summary: 'A dma-buf handed from devmem TCP to io_uring is transferred unused, and its previous owner does not bind it again.',
    rationale:
      'Pavel Begunkov proposed that devmem TCP register a dma-buf without using it, and that io_uring take ' +
      'ownership from there: the same region must never be used by both at once, and its lifetime is then bound ' +
      'to io_uring alone. Two things break that promise. Taking over a buffer that a devmem TCP queue is still ' +
      'bound to gives the buffer two consumers at once, each refilling its page pool from the same memory; and ' +
      'the previous owner binding a queue to the buffer after the transfer puts it back in two consumers\' hands ' +
      'while io_uring believes it owns the lifetime, so io_uring\'s teardown frees memory devmem TCP receives into.',
    covers: ['OWN-6'],
    citations: [HANDOVER, { kind: 'kernel', file: 'net/core/devmem.c', symbol: 'net_devmem_bind_dmabuf' }, { kind: 'kernel', file: 'io_uring/zcrx.c', symbol: 'io_register_zcrx_ifq' }],
    messages: {
      'transfer-while-used': '{{api}}({{rxq}}, {{buf}}) takes over {{buf}} while a devmem TCP queue is still bound to it: two consumers at once',
      'bind-after-transfer': '{{api}}({{rxq}}, {{buf}}) binds {{buf}} after io_uring took over its lifetime: two consumers at once',
    },
    hedge: 'Register-without-use and the transfer are a proposal from the thread, not merged code; the function names are lockmc\'s.',
  },
  checks: [
    {
      kind: 'step',
      id: 'transfer-while-used',
      on: { op: 'mp_own', provider: 'zcrx', outcome: 'ok' },
      when: { kind: 'buffer-bound', subject: 'operand', provider: 'devmem' },
    },
    {
      kind: 'step',
      id: 'bind-after-transfer',
      on: { op: 'mp_bind', provider: 'devmem', outcome: 'ok' },
      when: { kind: 'buffer-owner', subject: 'operand', owner: 'zcrx' },
    },
  ],
});
