import { defineRule, type Citation } from './types.js';

const ZCRX_THREAD = {
  kind: 'list',
  list: 'netdev/io-uring',
  date: '2024-11',
  subject: '[PATCH net-next v7 04/15] net: prepare for non devmem TCP memory providers',
  author: 'David Wei',
} satisfies Citation;

/** OWN-1, OWN-3 (and the OWN-6 positions as the option `own.scope`). */
export const rule = defineRule({
  meta: {
    id: 'mp-one-provider-per-queue',
    family: 'own',
    severity: 'error',
    summary: 'An RX queue has at most one memory provider (devmem TCP or io_uring zcrx); their static attachments cannot bind a revoking exporter.',
    rationale:
      '__net_mp_open_rxq() refuses to install a memory provider on a queue that already has one ' +
      '("designated queue already memory provider bound", -EEXIST): both devmem TCP and io_uring zcrx are ' +
      'providers, so the second bind of a queue fails, and a caller that ignores that failure goes on to ' +
      'receive into, and later tear down, a queue another consumer owns. Exclusivity is per queue, not per ' +
      'dma-buf: the same dma-buf may back providers on different queues (the option own.scope=per-dmabuf ' +
      'checks the stricter reading of "one consumer at a time"). Both providers create a static attachment ' +
      'and keep it mapped, so an exporter that revokes must reject them.',
    covers: ['OWN-1', 'OWN-3', 'OWN-6'],
    citations: [
      { kind: 'kernel', file: 'net/core/netdev_rx_queue.c', symbol: '__net_mp_open_rxq' },
      { kind: 'kernel', file: 'net/core/devmem.c', symbol: 'net_devmem_bind_dmabuf' },
      { kind: 'kernel', file: 'io_uring/zcrx.c', symbol: 'io_import_dmabuf' },
    ],
    messages: {
      'queue-already-bound': '{{api}}() is refused on a queue that already has a memory provider, and the caller ignores the refusal and carries on as the queue\'s owner',
      'buffer-already-bound': '{{api}}() bound {{buf}} while another queue is bound to it; own.scope=per-dmabuf allows one consumer per dma-buf',
      'revocable-exporter': '{{api}}() made a static attachment to revocable exporter {{buf}}; the exporter must reject it',
    },
    options: [
      {
        key: 'own.scope',
        summary: 'Is memory-provider exclusivity per RX queue (merged code) or per dma-buf?',
        default: 'per-queue',
        values: [
          {
            value: 'per-queue',
            summary: 'Merged behaviour: __net_mp_open_rxq() refuses a second provider on the same queue only.',
            citation: { kind: 'kernel', file: 'net/core/netdev_rx_queue.c', symbol: '__net_mp_open_rxq' },
            consequence: 'fixtures/debates/zcrx-devmem/violates-per-queue-shared-buffer-freed.model.ts',
          },
          {
            value: 'per-dmabuf',
            summary: 'Stricter reading of "one consumer at a time" from the 2024 zcrx/devmem ownership debate: one provider binding per dma-buf.',
            citation: ZCRX_THREAD,
            consequence: 'fixtures/debates/zcrx-devmem/violates-per-dmabuf-handover-without-transfer.model.ts',
          },
        ],
      },
    ],
    hedge:
      'OWN-3 is from code reading (hedge in the reference). dmabuf-backed zcrx is commit a5c98e942457 (2025, Pavel Begunkov; subject not in the reference). ' +
      'per-dmabuf is checked per buffer (which queue binds which dma-buf).',
  },
  checks: [
    {
      // __net_mp_open_rxq() refuses (-EEXIST), so a successful bind never finds the queue bound: the
      // bug is a caller that ignores the refusal (the bind written as a statement) and uses the queue.
      kind: 'step',
      id: 'queue-already-bound',
      on: { op: 'mp_bind', outcome: 'fail', checked: false },
    },
    {
      kind: 'step',
      id: 'buffer-already-bound',
      on: { op: 'mp_bind', outcome: 'ok' },
      when: {
        kind: 'and',
        of: [
          { kind: 'option', key: 'own.scope', is: 'per-dmabuf' },
          { kind: 'buffer-bound', subject: 'operand' },
        ],
      },
    },
    {
      kind: 'step',
      id: 'revocable-exporter',
      on: { op: 'mp_bind', outcome: 'ok' },
      when: { kind: 'exporter', subject: 'operand', cap: 'revocable', is: true },
    },
  ],
});
