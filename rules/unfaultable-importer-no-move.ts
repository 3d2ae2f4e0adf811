/**
 * REVOKE-1: an importer that cannot fault never gets a move (revocable
 * dma-buf thread, January 2025: the cascade, and iommufd).
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'unfaultable-importer-no-move',
    family: 'pin',
    severity: 'error',
    summary: 'An exporter must not move the backing store of a live buffer while an importer that cannot fault (pinned, or declared not faultable) maps it.',
    rationale:
      'Jason Gunthorpe\'s cascade: a fully pinned importer may never see the memory change while it is attached; a pinned but ' +
      'revocable importer may only see the single terminal revoke; only a fully dynamic importer supports move, because it can ' +
      'restart the fault that follows. iommufd cannot be faultable and would only support revoke. An exporter that moves the memory ' +
      'under a pinned or unfaultable importer (dma_buf_move_notify / dma_buf_invalidate_mappings on an active, not revoked, buffer) ' +
      'leaves that importer\'s device reading and writing the old location: memory used after it moved. A move that is part of a ' +
      'revoke (the buffer is already marked revoked) is the revoke protocol and is judged by the revoke rules instead.',
    covers: ['REVOKE-1'],
    citations: [
      { kind: 'list', list: 'dri-devel, linux-media', date: '2025-01-14', subject: '[RFC PATCH 01/12] dma-buf: Introduce dma_buf_get_pfn_unlocked() kAPI', author: 'Jason Gunthorpe' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_pin', note: 'the exporter must not move a pinned buffer' },
    ],
    messages: {
      'move-under-unfaultable': '{{api}}({{buf}}) moves the backing store while an importer that cannot fault maps it: its device keeps accessing the old location',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'move-under-unfaultable',
      on: { op: 'dma_buf_invalidate' },
      when: {
        kind: 'and',
        of: [
          { kind: 'buffer', subject: 'operand', state: 'active' },
          { kind: 'attachment', subject: 'any', state: 'mapped' },
          {
            kind: 'or',
            of: [
              { kind: 'attachment-pinned', subject: 'any', is: true },
              { kind: 'importer', subject: 'any', cap: 'unfaultable', is: true },
              { kind: 'importer', subject: 'any', cap: 'pinned', is: true },
            ],
          },
        ],
      },
    },
  ],
});
