import { defineRule } from './types.js';

/** PIN-1: pinning is for dynamic importers only, under the buffer's reservation. */
export const rule = defineRule({
  meta: {
    id: 'pin-requires-dynamic-and-resv',
    family: 'pin',
    severity: 'error',
    summary: 'dma_buf_pin/dma_buf_unpin need a dynamic attachment and the dma-buf resv held; a pinned buffer must not be moved.',
    rationale:
      'dma_buf_pin() asks the exporter to keep the backing storage where it is until dma_buf_unpin(). ' +
      'The core only accepts the request from an importer that registered importer_ops (a static ' +
      'attachment is pinned implicitly at map time and has no business pinning) and only with the ' +
      "dma-buf's reservation held, because pin state is protected by that lock and the exporter's pin " +
      'callback runs under it. A movement-driven invalidation of a buffer that some importer has pinned ' +
      'breaks the promise the pin made: the importer cannot follow a move it was told would not happen.',
    covers: ['PIN-1'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_pin' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_unpin' },
    ],
    messages: {
      'pin-static': '{{api}}() on static attachment {{attachment}}: only dma_buf_dynamic_attach() attachments may pin (WARN_ON(!attach->importer_ops))',
      'pin-without-resv': '{{api}}() on {{attachment}} without holding its dma-buf\'s resv (dma_resv_assert_held)',
      'move-while-pinned': '{{api}}({{buf}}) moves a buffer while an attachment holds it pinned',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'pin-static',
      on: { op: ['dma_buf_pin', 'dma_buf_unpin'] },
      when: { kind: 'attachment-class', subject: 'operand', is: 'static' },
    },
    {
      kind: 'step',
      id: 'pin-without-resv',
      on: { op: ['dma_buf_pin', 'dma_buf_unpin'] },
      when: { kind: 'not', of: { kind: 'buffer-resv-held', who: 'self' } },
    },
    {
      // A revocation also invalidates pinned attachments (REVOKE-2); only a
      // move of an active buffer breaks the pin.
      kind: 'step',
      id: 'move-while-pinned',
      on: { op: 'dma_buf_invalidate' },
      when: {
        kind: 'and',
        of: [
          { kind: 'buffer', subject: 'operand', state: 'active' },
          { kind: 'attachment-pinned', subject: 'any', is: true },
        ],
      },
    },
  ],
});
