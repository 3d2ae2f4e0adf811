import { defineRule } from './types.js';

/** OWN-4: consumers verify net_iov provenance before interpreting a frag. */
export const rule = defineRule({
  meta: {
    id: 'mp-check-provenance',
    family: 'own',
    severity: 'error',
    summary: 'A memory-provider consumer verifies that a received frag comes from its own provider before interpreting it.',
    rationale:
      'A queue\'s provider can change at queue restart while skbs from the old provider are still queued on ' +
      'sockets, so "unreadable frag" no longer implies devmem. tcp_recvmsg_dmabuf rejects frags whose page ' +
      'pool is not devmem (-ENODEV) and io_zcrx_recv_frag rejects frags whose pool\'s mp_ops or mp_priv is ' +
      'not its own (-EFAULT). A consumer that skips the check interprets another provider\'s net_iov as its own.',
    covers: ['OWN-4'],
    citations: [
      { kind: 'kernel', file: 'net/ipv4/tcp.c', symbol: 'tcp_recvmsg_dmabuf' },
      { kind: 'kernel', file: 'io_uring/zcrx.c', symbol: 'io_zcrx_recv_frag' },
      {
        kind: 'list',
        list: 'netdev',
        date: '2024-11',
        subject: '[PATCH net-next v7 04/15] net: prepare for non devmem TCP memory providers',
        author: 'David Wei',
      },
    ],
    messages: {
      'unchecked-recv': '{{api}}() interprets a frag without checking its provider; the queue\'s provider may have changed at restart',
    },
  },
  checks: [{ kind: 'step', id: 'unchecked-recv', on: { op: 'mp_recv', checked: false } }],
});
