import { defineRule } from './types.js';

/** OWN-5: a provider keeps its dma-buf referenced and mapped while net_iovs may be in flight. */
export const rule = defineRule({
  meta: {
    id: 'mp-lifetime',
    family: 'own',
    severity: 'error',
    summary: 'A dma-buf bound to a memory provider is not released while the binding exists.',
    rationale:
      'A devmem binding is owned by the netlink socket that created it and referenced by page pools and ' +
      'outstanding net_iovs; a zcrx ifq is owned by the io_uring context. In both, unmap, detach and put ' +
      'happen only when the last reference goes, and the dma-buf stays mapped while any net_iov may be in ' +
      'flight. Dropping the buffer under a live binding ' +
      'leaves net_iovs pointing at memory nobody holds anymore. The same holds for a provider registration ' +
      'that io_uring took over: the buffer\'s lifetime is then io_uring\'s, and a put by the previous owner ' +
      '(devmem TCP) frees memory io_uring still receives into.',
    covers: ['OWN-5'],
    citations: [
      { kind: 'kernel', file: 'net/core/devmem.c' },
      { kind: 'kernel', file: 'io_uring/zcrx.c', symbol: 'io_register_zcrx_ifq' },
    ],
    messages: {
      'put-while-bound': '{{api}}({{buf}}) drops a dma-buf reference while a memory-provider binding still uses it',
    },
    hedge: 'The registration owner (register-without-use, transfer to io_uring) follows the unmerged proposal of the 2024 zcrx/devmem thread.',
  },
  checks: [
    {
      kind: 'step',
      id: 'put-while-bound',
      on: { op: 'dma_buf_put' },
      // Exact per buffer: a queue bound to this dma-buf, or a provider holding its registration.
      when: {
        kind: 'or',
        of: [
          { kind: 'buffer-bound', subject: 'operand' },
          { kind: 'not', of: { kind: 'buffer-owner', subject: 'operand', owner: 'none' } },
        ],
      },
    },
  ],
});
