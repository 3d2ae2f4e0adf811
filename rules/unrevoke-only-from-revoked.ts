import { defineRule, type Pred } from './types.js';

const RESV_HELD: Pred = { kind: 'buffer-resv-held', who: 'self' };
const CAN_UNREVOKE: Pred = { kind: 'exporter', subject: 'operand', cap: 'unrevocable', is: true };

/** REVOKE-6: the exporter state machine ACTIVE -> REVOKED -> ACTIVE. */
export const rule = defineRule({
  meta: {
    id: 'unrevoke-only-from-revoked',
    family: 'revoke',
    severity: 'error',
    summary: 'Unrevoke only a revoked buffer, of an exporter that can unrevoke, with the resv held; revoke only an active one.',
    rationale:
      'Unrevoke (VFIO: memory decoding re-enabled, reset done) is "take the resv, clear revoked, unlock" ' +
      'and sends no notification to importers; dynamic importers simply succeed at their next map. Doing it ' +
      'without the resv races with a concurrent map that still sees the old state; doing it on a buffer ' +
      'that is not revoked, or revoking twice, means the exporter lost track of its own state machine ' +
      'ACTIVE -> REVOKED -> ACTIVE, and an exporter that never declared it can unrevoke has no path back.',
    covers: ['REVOKE-6'],
    citations: [
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_dma_buf_move', note: 'revoked=false path' },
      { kind: 'kernel', file: 'drivers/vfio/pci/vfio_pci_dmabuf.c', symbol: 'vfio_pci_core_feature_dma_buf', note: 'initial state = memory not enabled' },
    ],
    messages: {
      'exporter-state':
        '{{api}}({{buf}}) out of order: unrevoke needs a revoked buffer, an unrevoke-capable exporter and the resv held; revoke needs an active buffer',
    },
    hedge: 'VFIO creates a dma-buf revoked when memory decoding is off; lockmc starts every buffer active.',
  },
  checks: [
    {
      kind: 'monitor',
      id: 'exporter-state',
      monitor: {
        per: 'buffer',
        states: ['active', 'revoked', 'bad'],
        initial: 'active',
        transitions: [
          { from: 'active', on: { op: 'dma_buf_revoke' }, to: 'revoked' },
          { from: 'revoked', on: { op: 'dma_buf_revoke' }, to: 'bad' },
          { from: 'active', on: { op: 'dma_buf_unrevoke' }, to: 'bad' },
          { from: 'revoked', on: { op: 'dma_buf_unrevoke' }, when: { kind: 'and', of: [RESV_HELD, CAN_UNREVOKE] }, to: 'active' },
          {
            from: 'revoked',
            on: { op: 'dma_buf_unrevoke' },
            when: { kind: 'or', of: [{ kind: 'not', of: RESV_HELD }, { kind: 'not', of: CAN_UNREVOKE }] },
            to: 'bad',
          },
        ],
        bad: ['bad'],
      },
    },
  ],
});
