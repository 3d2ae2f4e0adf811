/**
 * ORDER-5: which dma-buf entry points are called with the dma-buf's resv
 * held and which without. dma_buf_pin/unpin belong to the PIN-1 rule and
 * dma_buf_put to final-put-is-acquisition.
 */

import { defineRule } from './types.js';
import type { LockPattern } from './types.js';

const anyResv: LockPattern = { kind: 'ww-class', name: 'reservation_ww_class' };

/**
 * The kernel whose dma-buf core calls every importer's map/unmap with the
 * resv held: Dmitry Osipenko's series "Move all drivers to a common
 * dma-buf locking convention" (merged for v6.2; "dma-buf: Move
 * dma_buf_map_attachment() to dynamic locking specification" added the
 * _unlocked variants and the unconditional dma_resv_assert_held()).
 */
const DYNAMIC_CONVENTION_SINCE = 'v6.2';

export const rule = defineRule({
  meta: {
    id: 'dma-buf-locking-convention',
    family: 'order',
    severity: 'error',
    summary: 'Call dma_buf_map/unmap_attachment and dma_buf_move_notify with the dma-buf\'s resv held, and attach, detach and the *_unlocked variants with no resv held.',
    rationale:
      'The dma-buf core documents its locking convention: the locked entry points assert dma_resv_assert_held() on the dma-buf\'s resv, because ' +
      'they call exporter ops (map_dma_buf, unmap_dma_buf) that rely on it; dma_buf_attach, dma_buf_dynamic_attach, dma_buf_detach and the ' +
      '*_unlocked variants take dma_resv_lock(dmabuf->resv, NULL) themselves. Calling the latter under any BO lock is a second ' +
      'reservation_ww_class_mutex acquisition without a context, which lockdep reports as recursive locking and which deadlocks when two ' +
      'importers do it in opposite orders. An exporter must hold the resv when it calls dma_buf_move_notify (dma_buf_invalidate_mappings ' +
      'since 2026) because importers\' invalidate callbacks run under it.',
    covers: ['ORDER-5'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'DOC: locking convention' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_dynamic_attach' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_detach' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_map_attachment' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_map_attachment_unlocked' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_attachment_is_dynamic', note: 'v6.1: only a dynamic attachment asserts the resv in dma_buf_map_attachment(); every importer since the v6.2 dynamic locking convention (Dmitry Osipenko)' },
    ],
    messages: {
      'unlocked-api-under-resv': '{{api}} takes the dma-buf resv itself but is called while {{held}} is held',
      'unlocked-map-under-resv': '{{api}} takes the dma-buf\'s resv itself but is called while {{held}} is held; call the locked variant or drop the lock',
      'locked-api-without-resv': '{{api}} must be called with the dma-buf\'s resv held; use the _unlocked variant or lock the resv first',
      'move-notify-without-resv': '{{api}} must be called by the exporter with the dma-buf\'s resv held',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'unlocked-api-under-resv',
      on: { op: ['dma_buf_attach', 'dma_buf_detach'] },
      when: { kind: 'holds', lock: anyResv, who: 'self' },
    },
    {
      kind: 'step',
      id: 'unlocked-map-under-resv',
      on: { op: ['dma_buf_map', 'dma_buf_unmap'], unlocked: true },
      when: { kind: 'holds', lock: anyResv, who: 'self' },
    },
    {
      kind: 'step',
      id: 'locked-api-without-resv',
      on: { op: ['dma_buf_map', 'dma_buf_unmap'], unlocked: false },
      when: {
        kind: 'and',
        of: [
          { kind: 'not', of: { kind: 'buffer-resv-held', who: 'self' } },
          // Before v6.2 only a dynamic importer had to hold the resv (v6.1
          // dma_buf_map_attachment(): dma_resv_assert_held() under
          // dma_buf_attachment_is_dynamic(); a static importer's mapping is
          // made and cached at attach time for a dynamic exporter). The
          // convention for every importer came with the _unlocked variants.
          { kind: 'or', of: [{ kind: 'kernel', since: DYNAMIC_CONVENTION_SINCE }, { kind: 'not', of: { kind: 'attachment-class', subject: 'operand', is: 'static' } }] },
        ],
      },
    },
    {
      kind: 'step',
      id: 'move-notify-without-resv',
      on: { op: 'dma_buf_invalidate' },
      when: { kind: 'not', of: { kind: 'buffer-resv-held', who: 'self' } },
    },
  ],
});
