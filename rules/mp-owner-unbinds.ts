import { defineRule } from './types.js';

/** OWN-2: only the installed provider restarts its queue without itself. */
export const rule = defineRule({
  meta: {
    id: 'mp-owner-unbinds',
    family: 'own',
    severity: 'error',
    summary: 'Only the memory provider installed on an RX queue unbinds it.',
    rationale:
      '__net_mp_close_rxq() warns and bails when the caller\'s (ops, priv) pair is not the installed ' +
      'provider: a devmem unbind of a queue that io_uring zcrx owns, or an unbind of a queue with no ' +
      'provider, means the caller lost track of ownership and would tear down memory another consumer is ' +
      'still receiving into. The owner unbinds on its own teardown path (devmem: netlink socket close or ' +
      'unbind; zcrx: io_close_queue -> net_mp_close_rxq).',
    covers: ['OWN-2'],
    citations: [
      { kind: 'kernel', file: 'net/core/netdev_rx_queue.c', symbol: '__net_mp_close_rxq' },
      { kind: 'kernel', file: 'io_uring/zcrx.c', symbol: 'io_close_queue' },
    ],
    messages: {
      'not-owner': '{{api}}() unbinds a queue whose memory provider belongs to another consumer',
      'not-bound': '{{api}}() unbinds a queue that has no memory provider',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'not-owner',
      on: { op: 'mp_unbind' },
      when: { kind: 'rxq', subject: 'operand', owner: 'other-provider' },
    },
    {
      kind: 'step',
      id: 'not-bound',
      on: { op: 'mp_unbind' },
      when: { kind: 'rxq', subject: 'operand', owner: 'none' },
    },
  ],
});
