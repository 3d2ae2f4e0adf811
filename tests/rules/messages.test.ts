/**
 * What a user reads: the exact finding messages of the PIN/REVOKE/OWN/phyr
 * rules on their violating fixtures, through the whole pipeline.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';

const ROOT = join(import.meta.dirname, '..', '..');

const CASES: [rule: string, fixture: string, messages: string[]][] = [
  ['pin-requires-dynamic-and-resv', 'violates-pin-without-resv', ["dma_buf_pin() on a without holding its dma-buf's resv (dma_resv_assert_held)"]],
  ['pin-requires-dynamic-and-resv', 'violates-move-while-pinned', ['dma_buf_move_notify(buf) moves a buffer while an attachment holds it pinned']],
  ['dynamic-importer-obligations', 'violates-access-invalidated', ['device_read() issues DMA through invalidated mapping a; re-map before further DMA']],
  [
    'dynamic-importer-obligations',
    'violates-missing-move-notify-v6-12',
    ['a dynamic attachment has no move_notify callback; before v7.0 dma_buf_dynamic_attach() WARNs and requires one'],
  ],
  [
    'peer2peer-gating',
    'violates-no-p2p',
    [
      'dma_buf_map_attachment() succeeded for a without allow_peer2peer, but its exporter can only provide P2P/MMIO addresses',
      'device_read() through a: the device reaches P2P/MMIO memory without peer2peer',
    ],
  ],
  [
    'no-mapping-bypass',
    'violates-locked-pfn-forbidden',
    ['phyr_to_page() derives a page/PFN from the mapping of a; under revoke.pfn-export=forbidden only the exporter maps'],
  ],
  [
    'revoke-sequence',
    'violates-unrevoke-before-drain',
    [
      'dma_buf_unrevoke(buf) breaks the revoke sequence: take the resv, mark revoked, dma_buf_invalidate_mappings(), dma_resv_wait_timeout() on the resv, unlock, then wait for unmaps',
    ],
  ],
  [
    'no-access-after-revoke',
    'violates-write-after-invalidate',
    ['device_write() writes through a after its mapping was invalidated; only speculative reads are allowed until unmap'],
  ],
  [
    'revocable-unmap-bounded',
    'violates-never-unmaps',
    ["a revoked dma-buf keeps a mapping that is never unmapped: the exporter's wait for unmaps does not end"],
  ],
  [
    'unrevoke-only-from-revoked',
    'violates-unrevoke-active',
    [
      'dma_buf_unrevoke(buf) out of order: unrevoke needs a revoked buffer, an unrevoke-capable exporter and the resv held; revoke needs an active buffer',
    ],
  ],
  [
    'vfio-memory-lock-order',
    'violates-callback-takes-memory-lock',
    ["acquiring &vdev->memory_lock while holding reservation_ww_class_mutex closes a lock cycle through VFIO's memory_lock"],
  ],
  [
    'mp-one-provider-per-queue',
    'violates-two-queues-per-dmabuf',
    // One finding per bind site (each binds while the other's queue has a provider).
    [
      'net_devmem_bind_dmabuf() bound buf while another queue is bound to it; own.scope=per-dmabuf allows one consumer per dma-buf',
      'io_zcrx_register() bound buf while another queue is bound to it; own.scope=per-dmabuf allows one consumer per dma-buf',
    ],
  ],
  [
    'mp-owner-unbinds',
    'violates-zcrx-unbinds-devmem',
    ['io_zcrx_unregister() unbinds a queue whose memory provider belongs to another consumer', 'io_zcrx_unregister() unbinds a queue that has no memory provider'],
  ],
  ['mp-lifetime', 'violates-put-while-bound', ['dma_buf_put(buf) drops a dma-buf reference while a memory-provider binding still uses it']],
  [
    'phyr-no-struct-page',
    'violates-page-ref-lock',
    ['dma_buf_page_ref() on a switches from reservation locking to page refcounts; lifetime belongs to the resv and the exporter'],
  ],
  [
    'userptr-dma-needs-pin-or-wait',
    'violates-never-wait-no-pin',
    ['device_write(ubo) DMAs into the pages of userptr object ubo after the mm released them: the notifier returned without waiting for this DMA and the pages were not pinned'],
  ],
  [
    'pin-leak',
    'violates-pages-never-unpinned',
    ['pinned pages of ubo never unpinned: every thread has returned and the pages pin_user_pages_fast() pinned are still pinned; reclaim and migration can never have them back'],
  ],
  [
    'phyr-no-struct-page',
    'violates-unpin-through-phyr',
    ['unpin_user_pages(mr) gets a struct page back from a phyr, which phyr.struct-page=forbid does not allow'],
  ],
  [
    'userptr-never-exported',
    'violates-userptr-exported',
    ['drm_gem_prime_export(ubo) exports userptr object ubo as a dma-buf; userptr buffers are local to their driver and its notifier'],
  ],
  [
    'gpu-importer-revocable',
    'violates-revoke-kills-context',
    [
      'dma_buf_revoke(buf) revokes a buffer that a GPU-context importer still maps: the revoke kills that GPU context',
      'dma_buf_dynamic_attach(buf) attaches a GPU-context importer to a revocable exporter without declaring reject_revocable, which revoke.gpu-importers=reject forbids',
    ],
  ],
  [
    'unfaultable-importer-no-move',
    'violates-move-under-iommufd',
    ['dma_buf_move_notify(buf) moves the backing store while an importer that cannot fault maps it: its device keeps accessing the old location'],
  ],
  [
    'phyr-dma-mapped-not-remapped',
    'violates-remap-dma-mapped',
    ['phyr_map(premapped) maps premapped, which already holds DMA addresses; a dma-mapped phyr must skip the mapping'],
  ],
  [
    'mp-ownership-transfer',
    'violates-transfer-while-used',
    [
      'io_zcrx_take_dmabuf(rxq1, buf) takes over buf while a devmem TCP queue is still bound to it: two consumers at once',
      'net_devmem_bind_dmabuf(rxq0, buf) binds buf after io_uring took over its lifetime: two consumers at once',
    ],
  ],
  [
    'mp-one-provider-per-queue',
    'violates-refusal-ignored',
    ['io_zcrx_register() is refused on a queue that already has a memory provider, and the caller ignores the refusal and carries on as the queue\'s owner'],
  ],
];

describe('finding messages', () => {
  it.each(CASES)('%s on %s', async (rule, fixture, messages) => {
    const file = join(ROOT, 'fixtures', 'rules', rule, `${fixture}.model.ts`);
    const report = await check([{ file }], { ...DEFAULT_CHECK_OPTIONS, engine: 'explicit' });
    const v = report.models[0].verdicts.find((x) => x.rule === rule);
    expect(v?.status).toBe('violated');
    if (v?.status !== 'violated') return;
    expect(v.findings.map((f) => f.message)).toEqual(messages);
  });
});
