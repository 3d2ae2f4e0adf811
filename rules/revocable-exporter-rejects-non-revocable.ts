import { defineRule } from './types.js';

/** REVOKE-1: a revoking exporter accepts only revocable, peer2peer attachments. */
export const rule = defineRule({
  meta: {
    id: 'revocable-exporter-rejects-non-revocable',
    family: 'revoke',
    severity: 'error',
    summary: 'An exporter that revokes as part of normal operation never has a static, pinned non-revocable or non-peer2peer attachment.',
    rationale:
      'Exporters such as VFIO PCI MMIO and RDMA revoke on memory disable, reset, close or device removal, ' +
      'and the revoke only completes when every importer has unmapped. A static importer has no callback ' +
      'and a pinned importer without invalidate_mappings only unmaps when userspace tears it down, so a ' +
      'revoke would wait forever. Such exporters must therefore reject every attachment for which ' +
      'dma_buf_attach_revocable() is false, and every attachment without peer2peer.',
    covers: ['REVOKE-1'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_attach_revocable' },
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_invalidate_mappings', note: 'kerneldoc' },
      {
        kind: 'list',
        list: 'dri-devel/linux-rdma',
        date: '2026-01-24',
        subject: '[PATCH v5 6/8] dma-buf: Add dma_buf_attach_revocable()',
        author: 'Leon Romanovsky',
      },
      { kind: 'commit', id: 'be6d4c9e9d71', subject: 'dma-buf: Add dma_buf_attach_revocable()', version: 'v7.0' },
      { kind: 'commit', id: '575157b1b5fc', subject: 'dma-buf: Make .invalidate_mapping() truly optional', version: 'v7.0' },
      { kind: 'commit', id: '6ffe939bf94f', subject: 'vfio: Permit VFIO to work with pinned importers', version: 'v7.0' },
      { kind: 'commit', id: '8c5f9645c389', subject: 'iommufd: Add dma_buf_pin()', version: 'v7.0' },
    ],
    messages: {
      'non-revocable-attached': 'a revocable exporter has a non-revocable attachment (dma_buf_attach_revocable() is false); a revoke would wait for it forever',
      'non-p2p-attached': 'a revocable exporter has an attachment without peer2peer; it must reject it',
    },
  },
  checks: [
    {
      kind: 'state',
      id: 'non-revocable-attached',
      bad: {
        kind: 'and',
        of: [
          { kind: 'exporter', subject: 'any', cap: 'revocable', is: true },
          { kind: 'attachment-class', subject: 'any', is: ['static', 'pinned-non-revocable'] },
          { kind: 'attachment', subject: 'any', state: ['attached', 'mapped', 'invalidated'] },
        ],
      },
    },
    {
      kind: 'state',
      id: 'non-p2p-attached',
      bad: {
        kind: 'and',
        of: [
          { kind: 'exporter', subject: 'any', cap: 'revocable', is: true },
          { kind: 'attachment-p2p', subject: 'any', is: false },
          { kind: 'attachment', subject: 'any', state: ['attached', 'mapped', 'invalidated'] },
        ],
      },
    },
  ],
});
