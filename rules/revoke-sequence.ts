import { defineRule, type Pred } from './types.js';

const RESV_HELD: Pred = { kind: 'buffer-resv-held', who: 'self' };
const RESV_FREE: Pred = { kind: 'not', of: RESV_HELD };
/** REVOKE-2: mark, invalidate and drain under the resv, in that order. */
export const rule = defineRule({
  meta: {
    id: 'revoke-sequence',
    family: 'revoke',
    severity: 'error',
    summary: 'An exporter revokes by marking the buffer revoked, invalidating every mapping and waiting for in-flight fences, all under the resv, before it may unrevoke.',
    rationale:
      'Revocation must leave no window in which an importer can create a mapping the exporter will not ' +
      'invalidate, or keep DMA in flight the exporter does not wait for. The exporter therefore takes the ' +
      'resv, marks the buffer revoked so no new mapping can be created, calls dma_buf_invalidate_mappings() ' +
      'so every importer drops its mappings, waits for all fences (DMA_RESV_USAGE_BOOKKEEP) while still ' +
      'holding the resv, and only then unlocks and waits for the importers\' unmaps. Skipping or reordering ' +
      'a step, or doing it without the resv, opens a race with map or with in-flight DMA.',
    covers: ['REVOKE-2'],
    citations: [
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_move' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_invalidate_mappings', note: 'kerneldoc' },
    ],
    messages: {
      sequence:
        '{{api}}({{buf}}) breaks the revoke sequence: take the resv, mark revoked, dma_buf_invalidate_mappings(), dma_resv_wait_timeout() on the resv, unlock, then wait for unmaps',
    },
    hedge:
      'One monitor per dma-buf: the wait drains a buffer only when it is a wait on that buffer\'s resv with it held. ' +
      'The reference also cites the 2026 series "vfio: Wait for dma-buf invalidation to complete" without a list or date. ' +
      'The final wait for unmaps (step 7) is checked by revocable-unmap-bounded, not here.',
  },
  checks: [
    {
      kind: 'monitor',
      id: 'sequence',
      monitor: {
        // Per buffer (B1): a lock or wait on buf.resv has buf as its operand.
        per: 'buffer',
        states: ['active', 'marked', 'invalidated', 'drained', 'bad'],
        initial: 'active',
        transitions: [
          { from: 'active', on: { op: 'dma_buf_revoke' }, when: RESV_HELD, to: 'marked' },
          { from: 'active', on: { op: 'dma_buf_revoke' }, when: RESV_FREE, to: 'bad' },
          { from: 'marked', on: { op: 'dma_buf_invalidate' }, when: RESV_HELD, to: 'invalidated' },
          { from: ['marked', 'invalidated', 'drained'], on: { op: 'dma_buf_invalidate' }, when: RESV_FREE, to: 'bad' },
          { from: 'invalidated', on: { op: 'fence_wait' }, when: RESV_HELD, to: 'drained' },
          { from: ['marked', 'invalidated'], on: { op: 'dma_buf_unrevoke' }, to: 'bad' },
          { from: 'drained', on: { op: 'dma_buf_unrevoke' }, to: 'active' },
        ],
        bad: ['bad'],
      },
    },
  ],
});
