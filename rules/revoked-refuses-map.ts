import { defineRule } from './types.js';

/** REVOKE-5: while revoked, attach and map fail, and importers act on the failure. */
export const rule = defineRule({
  meta: {
    id: 'revoked-refuses-map',
    family: 'revoke',
    severity: 'error',
    summary: 'While a buffer is revoked, attach and map fail, and an importer whose map failed issues no DMA.',
    rationale:
      'A revoked buffer has no memory behind it that a device may reach: VFIO returns -ENODEV from both ' +
      'vfio_pci_dma_buf_attach and vfio_pci_dma_buf_map while revoked. Dynamic importers must surface the ' +
      'failure (fail the job, return -EFAULT on a fault) instead of using an address they never got; pinned ' +
      'importers may treat the revocation as permanent.',
    covers: ['REVOKE-5'],
    citations: [
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_attach' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_map' },
    ],
    messages: {
      'map-while-revoked': '{{api}}() on {{attachment}} succeeded although its dma-buf is revoked',
      'attach-while-revoked': '{{api}}() on {{attachment}} succeeded although its dma-buf is revoked',
      'access-after-failed-map': '{{api}}() through {{attachment}} after its map of the revoked dma-buf failed; surface the error instead',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'map-while-revoked',
      on: { op: 'dma_buf_map', outcome: 'ok' },
      when: { kind: 'buffer', subject: 'operand', state: 'revoked' },
    },
    {
      kind: 'step',
      id: 'attach-while-revoked',
      on: { op: 'dma_buf_attach', outcome: 'ok' },
      when: { kind: 'buffer', subject: 'operand', state: 'revoked' },
    },
    {
      kind: 'step',
      id: 'access-after-failed-map',
      on: { op: 'device_access' },
      when: {
        kind: 'and',
        of: [
          { kind: 'buffer', subject: 'operand', state: 'revoked' },
          { kind: 'attachment', subject: 'operand', state: 'attached' },
        ],
      },
    },
  ],
});
