import { defineRule } from './types.js';

/** PIN-2: static importers are pinned by the core at map time and never moved. */
export const rule = defineRule({
  meta: {
    id: 'static-importer-implicit-pin',
    family: 'pin',
    severity: 'error',
    summary: 'A static attachment is pinned while mapped (when the exporter can pin) and must never be invalidated by a move.',
    rationale:
      'A static importer (dma_buf_attach, no importer_ops) has no callback through which it could be told ' +
      'that the buffer moved. The core therefore pins the buffer before mapping it when the exporter ' +
      'implements pin (dma_buf_pin_on_map), waits for the exporter\'s DMA_RESV_USAGE_KERNEL fences during ' +
      'map, and unpins on unmap. lockmc\'s semantics performs that implicit pin; this rule checks that a ' +
      'mapped static attachment is pinned and that no exporter moves the buffer under it.',
    covers: ['PIN-2'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_pin_on_map' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_map_attachment' },
    ],
    messages: {
      'mapped-unpinned': 'a static attachment is mapped but not pinned although its exporter implements pin',
      'move-under-static': '{{api}}({{buf}}) moves a buffer that a static attachment has mapped; a static importer cannot follow a move',
    },
    hedge:
      'The mapped-unpinned check guards lockmc\'s own implicit-pin semantics; with CONFIG_DMABUF_MOVE_NOTIFY off ' +
      'the kernel pins every attachment at map, which lockmc does not model separately.',
  },
  checks: [
    {
      kind: 'state',
      id: 'mapped-unpinned',
      bad: {
        kind: 'and',
        of: [
          { kind: 'attachment-class', subject: 'any', is: 'static' },
          { kind: 'attachment', subject: 'any', state: 'mapped' },
          { kind: 'attachment-pinned', subject: 'any', is: false },
          { kind: 'exporter', subject: 'any', cap: 'pinnable', is: true },
        ],
      },
    },
    {
      kind: 'step',
      id: 'move-under-static',
      on: { op: 'dma_buf_invalidate' },
      when: {
        kind: 'and',
        of: [
          { kind: 'buffer', subject: 'operand', state: 'active' },
          { kind: 'attachment-class', subject: 'any', is: 'static' },
          { kind: 'attachment', subject: 'any', state: 'mapped' },
        ],
      },
    },
  ],
});
