/**
 * USERPTR pins are a resource: every pin_user_pages() is paired with an
 * unpin_user_pages() of the same pages. The cost of
 * phyr.struct-page=forbid in the phyr thread (Jan 2025) is exactly this
 * pairing: RDMA that tracks its pinned memory only in a phyr cannot get
 * the struct pages back to unpin them.
 */

import { defineRule } from './types.js';

export const rule = defineRule({
  meta: {
    id: 'pin-leak',
    family: 'userptr',
    severity: 'error',
    summary: 'Pages pinned with pin_user_pages() must be unpinned with unpin_user_pages() before the driver is done with them: no pinned pages may remain once every thread has returned.',
    rationale:
      'A FOLL_PIN pin raises the folio\'s pin count (folio_maybe_dma_pinned() is then true): reclaim skips the folio, migration ' +
      'and compaction refuse it, and a long-term pin keeps it out of ZONE_MOVABLE and CMA. Only unpin_user_pages() (or ' +
      'unpin_user_page() per page) drops it, and both take the struct pages: a driver that no longer has them can never unpin, ' +
      'and the memory stays pinned for good (the process exits, the mm goes, the pages do not). That is the cost the phyr thread ' +
      'puts on phyr.struct-page=forbid: RDMA wants to track its pin_user_pages() memory in a phyr and drop its page array, and then ' +
      'needs phyr_entry_to_page() to unpin; without it the driver must keep a second list of the pages, or leak the pins. The ' +
      'check is judged when every thread has returned (a thread stuck in a deadlock is the deadlock\'s finding, not a leak) and ' +
      'points at the pin whose pages are still pinned.',
    covers: ['USERPTR-2'],
    citations: [
      { kind: 'kernel', file: 'mm/gup.c', symbol: 'unpin_user_pages', note: 'takes the struct page array; the only way to drop a FOLL_PIN pin' },
      { kind: 'doc', file: 'Documentation/core-api/pin_user_pages.rst', section: 'FOLL_PIN, FOLL_GET, FOLL_LONGTERM: when to use which flags' },
      { kind: 'kernel', file: 'include/linux/mm.h', symbol: 'folio_maybe_dma_pinned' },
      { kind: 'list', list: 'linaro-mm-sig, dri-devel', date: '2025-01-22', subject: 'phyr vs scatterlist (dma-buf phyr interfaces)', author: 'Jason Gunthorpe' },
    ],
    messages: {
      'pages-never-unpinned':
        'pinned pages of {{obj}} never unpinned: every thread has returned and the pages {{api}}() pinned are still pinned; reclaim and migration can never have them back',
    },
    hedge:
      'One pin per userptr object (nested pins are not counted), and the leak is judged at the end of the model\'s threads, not at ' +
      'process exit or object destruction. The pin count and the page array live in mm/gup.c and the driver; the phyr side is lockmc-only (no phyr API is merged).',
  },
  checks: [
    {
      kind: 'terminal',
      id: 'pages-never-unpinned',
      bad: { kind: 'userptr-pages', subject: 'any', state: 'pinned' },
      threads: 'returned',
      at: { op: 'user_access', api: ['pin_user_pages', 'pin_user_pages_fast'] },
    },
  ],
});
