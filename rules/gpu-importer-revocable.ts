/**
 * REVOKE-8: what a GPU importer does with a revocable exporter, by
 * position in the January 2025 revocable dma-buf thread.
 */

import { defineRule } from './types.js';

const THREAD = { kind: 'list', list: 'dri-devel, linux-media', date: '2025-01-14', subject: '[RFC PATCH 01/12] dma-buf: Introduce dma_buf_get_pfn_unlocked() kAPI' } as const;

export const rule = defineRule({
  meta: {
    id: 'gpu-importer-revocable',
    family: 'revoke',
    severity: 'error',
    summary: 'A revoke must not hit a mapped GPU-context importer, and under revoke.gpu-importers=reject such an importer must refuse revocable exporters.',
    rationale:
      'For a GPU importer a revoked (non-present) buffer is not a recoverable fault: the context using it is destroyed. Simona Vetter ' +
      'pointed out that a compositor binding a client\'s dma-buf assumes it does not risk context loss, so a malicious client could hand ' +
      'it a revocable buffer and shoot down the privileged compositor context with precision; maybe existing dynamic GPU importers ' +
      'should reject revocable dma-bufs. Jason Gunthorpe agreed to negotiate it in the API, as one level of a cascade: pinned, pinned ' +
      'but revocable (revoke is fatal), fully dynamic (move and restartable fault). The option revoke.gpu-importers picks the position; ' +
      'whichever is chosen, a revoke of a buffer a GPU context still maps is the harm (check revoke-kills-context), and under reject ' +
      'a GPU importer that does not declare reject_revocable and attaches to a revocable exporter is the bug (check ' +
      'accepts-revocable). The price of reject is in unfaultable-importer-no-move: an exporter that hides its revocability to be ' +
      'accepted must still take the memory away on reset, as a move its pinned importer cannot take.',
    covers: ['REVOKE-8'],
    citations: [
      { ...THREAD, author: 'Simona Vetter / Jason Gunthorpe' },
      { kind: 'kernel', file: 'include/linux/dma-buf.h', symbol: 'struct dma_buf_attach_ops' },
    ],
    options: [
      {
        key: 'revoke.gpu-importers',
        summary: 'Whether dynamic GPU importers accept revocable dma-bufs.',
        values: [
          {
            value: 'reject',
            summary: 'GPU importers refuse revocable exporters at attach (a compositor cannot be shot down by a client buffer).',
            citation: { ...THREAD, author: 'Simona Vetter' },
            consequence: 'fixtures/debates/revocable-dma-buf/violates-reject-exporter-hides-revoke.model.ts',
          },
          {
            value: 'accept',
            summary: 'GPU importers accept revocable exporters; a revoke is fatal to the context using the buffer.',
            citation: { ...THREAD, author: 'Jason Gunthorpe' },
            consequence: 'fixtures/debates/revocable-dma-buf/violates-accept-revoke-kills-compositor.model.ts',
          },
        ],
        default: 'reject',
      },
    ],
    messages: {
      'revoke-kills-context': '{{api}}({{buf}}) revokes a buffer that a GPU-context importer still maps: the revoke kills that GPU context',
      'accepts-revocable': '{{api}}({{buf}}) attaches a GPU-context importer to a revocable exporter without declaring reject_revocable, which revoke.gpu-importers=reject forbids',
    },
    hedge: 'No importer capability negotiation exists in mainline yet; the declarations model the API proposed in the thread.',
  },
  checks: [
    {
      kind: 'step',
      id: 'revoke-kills-context',
      on: { op: 'dma_buf_revoke' },
      when: {
        kind: 'and',
        of: [
          { kind: 'importer', subject: 'any', cap: 'gpuContext', is: true },
          { kind: 'attachment', subject: 'any', state: ['mapped', 'invalidated'] },
        ],
      },
    },
    {
      kind: 'step',
      id: 'accepts-revocable',
      on: { op: 'dma_buf_attach', outcome: 'ok' },
      when: {
        kind: 'and',
        of: [
          { kind: 'option', key: 'revoke.gpu-importers', is: 'reject' },
          { kind: 'importer', subject: 'operand', cap: 'gpuContext', is: true },
          { kind: 'importer', subject: 'operand', cap: 'rejectRevocable', is: false },
          { kind: 'exporter', subject: 'operand', cap: 'revocable', is: true },
        ],
      },
    },
  ],
});
