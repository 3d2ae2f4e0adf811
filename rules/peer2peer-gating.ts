import { defineRule } from './types.js';

/** PIN-4: P2P/MMIO addresses only for attachments that allow peer2peer. */
export const rule = defineRule({
  meta: {
    id: 'peer2peer-gating',
    family: 'pin',
    severity: 'error',
    summary: 'An exporter that can only hand out P2P/MMIO addresses must not map for, or be accessed by, an attachment without allow_peer2peer.',
    rationale:
      "attach->peer2peer is copied from importer_ops->allow_peer2peer, and static importers never have it. " +
      'Only a peer2peer attachment can use PCI P2P or MMIO addresses, which have no struct page; for any other ' +
      'attachment the exporter must migrate to system memory or refuse (VFIO MMIO exporters return ' +
      '-EOPNOTSUPP). An exporter with no system-memory fallback that maps anyway hands the importer ' +
      'addresses its device cannot be trusted to reach.',
    covers: ['PIN-4'],
    citations: [
      { kind: 'kernel', file: 'drivers/dma-buf/dma-buf.c', symbol: 'dma_buf_dynamic_attach' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_attach' },
    ],
    messages: {
      'map-without-p2p': '{{api}}() succeeded for {{attachment}} without allow_peer2peer, but its exporter can only provide P2P/MMIO addresses',
      'access-without-p2p': '{{api}}() through {{attachment}}: the device reaches P2P/MMIO memory without peer2peer',
    },
  },
  checks: [
    {
      kind: 'step',
      id: 'map-without-p2p',
      on: { op: 'dma_buf_map', outcome: 'ok' },
      when: {
        kind: 'and',
        of: [
          { kind: 'attachment-p2p', subject: 'operand', is: false },
          { kind: 'exporter', subject: 'operand', cap: 'p2pOnly', is: true },
        ],
      },
    },
    {
      kind: 'step',
      id: 'access-without-p2p',
      on: { op: 'device_access' },
      when: {
        kind: 'and',
        of: [
          { kind: 'attachment-p2p', subject: 'operand', is: false },
          { kind: 'exporter', subject: 'operand', cap: 'p2pOnly', is: true },
        ],
      },
    },
  ],
});
