import { RESV_MUTEX } from './canonical-order.js';
import { defineRule } from './types.js';

/**
 * PIN-3: what a dynamic importer owes the exporter. The resv-held part
 * covers dynamic attachments only; ORDER-5 (dma-buf-locking-convention)
 * states the API-wide convention for every importer.
 */
export const rule = defineRule({
  meta: {
    id: 'dynamic-importer-obligations',
    family: 'pin',
    severity: 'error',
    summary:
      'A dynamic importer registers its invalidate callback (mandatory before v7.0), maps and unmaps with the resv held, issues no DMA through an invalidated mapping, and its callback neither faults nor takes locks ordered above dma_resv.',
    rationale:
      'A dynamic attachment lets the exporter move the buffer: the exporter takes the resv, calls every ' +
      "importer's invalidate_mappings (move_notify before 2026) and waits for the importers' fences. That " +
      'only works if the importer plays its part: mapping and unmapping under the same resv (so a map cannot ' +
      'race with an invalidation), stopping new DMA through the old mapping once invalidated and re-mapping ' +
      'before the next access, and keeping its callback short. The callback runs with the resv held, so it ' +
      'must not take mmap_lock or anything else ordered above dma_resv and must not touch user memory.',
    covers: ['PIN-3'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_dynamic_attach' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_invalidate_mappings', note: 'née dma_buf_move_notify' },
      { kind: 'kernel', file: 'include/linux/dma-buf.h', symbol: 'struct dma_buf_attach_ops' },
    ],
    messages: {
      'map-without-resv': '{{api}}() on dynamic attachment {{attachment}} without holding its dma-buf\'s resv',
      'access-invalidated': '{{api}}() issues DMA through invalidated mapping {{attachment}}; re-map before further DMA',
      'callback-user-access': '{{api}}() in an invalidate_mappings callback: it runs with the resv held and must not fault',
      'callback-lock-above-resv': '{{api}}({{lock}}) in the invalidate_mappings callback: {{lock}} is ordered above dma_resv, which the exporter holds',
      'missing-move-notify': 'a dynamic attachment has no move_notify callback; before v7.0 dma_buf_dynamic_attach() WARNs and requires one',
    },
    hedge:
      'Item (d) of PIN-3 (wait for the exporter\'s kernel fences before using a new mapping, add usage fences to ' +
      'the resv) is not checked: the vocabulary has no fence-usage predicate yet.',
  },
  checks: [
    {
      kind: 'step',
      id: 'map-without-resv',
      on: { op: ['dma_buf_map', 'dma_buf_unmap'], unlocked: false },
      when: {
        kind: 'and',
        of: [
          { kind: 'attachment-class', subject: 'operand', is: ['dynamic', 'pinned-revocable', 'pinned-non-revocable'] },
          { kind: 'not', of: { kind: 'buffer-resv-held', who: 'self' } },
        ],
      },
    },
    {
      kind: 'step',
      id: 'access-invalidated',
      on: { op: 'device_access' },
      when: {
        kind: 'and',
        of: [
          { kind: 'attachment-class', subject: 'operand', is: 'dynamic' },
          { kind: 'attachment', subject: 'operand', state: 'invalidated' },
        ],
      },
    },
    {
      // PIN-3(a): up to v6.19 move_notify was mandatory; since the 2026
      // revoke series its absence only means "not revocable" (REVOKE-1).
      kind: 'state',
      id: 'missing-move-notify',
      bad: {
        kind: 'and',
        of: [
          { kind: 'kernel', before: 'v7.0' },
          { kind: 'attachment-class', subject: 'any', is: 'pinned-non-revocable' },
          { kind: 'attachment', subject: 'any', state: ['attached', 'mapped', 'invalidated'] },
        ],
      },
    },
    {
      kind: 'step',
      id: 'callback-user-access',
      on: { op: 'user_access' },
      when: { kind: 'in-context', context: 'invalidate-mappings' },
    },
    {
      kind: 'step',
      id: 'callback-lock-above-resv',
      // Another dma_resv taken here is the exporter's ww transaction or a
      // recursion that the ww and lockdep rules judge; this check is about
      // mmap_lock and the other classes ordered above dma_resv.
      on: {
        op: 'lock',
        trylock: false,
        lock: { kind: 'not', of: { kind: 'any-of', of: [{ kind: 'not', of: { kind: 'at-or-above', name: RESV_MUTEX } }, { kind: 'lock-kind', is: 'dma_resv' }] } },
      },
      when: { kind: 'in-context', context: 'invalidate-mappings' },
    },
  ],
});
