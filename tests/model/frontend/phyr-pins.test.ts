/**
 * Issue #14, D2: a phyr that lists a userptr object's pinned pages
 * (`phyr_from_pages(umem, { keep_pages })`) and unpinning through it.
 * Without `keep_pages` the phyr is the driver's only record of the pages,
 * so unpinning the object directly cannot be written.
 */
import { describe, expect, it } from 'vitest';
import { extractModel } from '../../../model/frontend/index.js';
import { extractOk, HEADER, op1, proc } from '../helpers.js';

/** Body lines start at line 6 (the shared header has 5 lines). */
function diags(body: string): [string, number | undefined, number | undefined, string, string | undefined][] {
  const r = extractModel({ file: 'r.model.ts', text: HEADER + body });
  expect(r.extracted).toBeUndefined();
  return r.diagnostics.map((d) => [d.code, d.line, d.col, d.message, d.hint]);
}

const UMEM = 'const mm = mm_struct();\nconst umem = userptr_object(mm);\n';

describe('phyr over pinned user pages', () => {
  it('records the object and the second list', () => {
    const { model } = extractOk(`${UMEM}const only = phyr_from_pages(umem);\nconst both = phyr_from_pages(umem, { keep_pages: true, dma_mapped: false });\nexport function t() { pin_user_pages(umem); unpin_user_pages(only); unpin_user_pages(umem); }\n`);
    const named = (n: string) => model.instances.find((i) => i.name === n)!;
    const umem = named('umem').id;
    expect(named('only')).toMatchObject({ kind: 'phyr', phyrFrom: 'pages', pagesOf: umem });
    expect(named('only').keepPages).toBeUndefined();
    expect(named('both')).toMatchObject({ kind: 'phyr', phyrFrom: 'pages', pagesOf: umem, keepPages: true });
    expect(named('both').dmaMapped).toBeUndefined();
    const t = proc(model, 't');
    const ops = t.nodes.flatMap((n) => (n.kind === 'op' && n.op.api === 'unpin_user_pages' ? [n.op] : []));
    expect(ops).toEqual([
      { kind: 'phyr_op', api: 'unpin_user_pages', phyr: named('only').id, action: 'unpin_pages' },
      { kind: 'userptr_pages', api: 'unpin_user_pages', obj: umem, action: 'unpin' },
    ]);
    // D5: the pin is GUP on the object's mm (mmap_lock contract), pinning the object's pages.
    expect(op1(t, 'pin_user_pages').op).toEqual({ kind: 'user_access', api: 'pin_user_pages', mm: named('mm').id, pin: true, obj: umem });
  });

  it('rejects unpinning the object when the phyr is all the driver kept', () => {
    expect(diags(`${UMEM}const mr = phyr_from_pages(umem);\nexport function t() {\n  unpin_user_pages(umem);\n}\n`)).toEqual([
      [
        'LMC202',
        10,
        20,
        "unpin_user_pages(umem): the driver keeps the pages of 'umem' only in phyr 'mr' (phyr_from_pages(umem) without keep_pages), so it has no page array to unpin",
        'get them back through the phyr: `unpin_user_pages(mr)`, or keep a second list: `phyr_from_pages(umem, { keep_pages: true })`',
      ],
    ]);
  });

  it('rejects unpinning a phyr without user pages', () => {
    expect(diags(`const bar = phyr_from_p2p();\nexport function t() {\n  unpin_user_pages(bar);\n}\n`).map((d) => d.slice(0, 4))).toEqual([
      ['LMC202', 8, 20, "unpin_user_pages: phyr 'bar' is a P2P/MMIO range: no user pages were pinned into it"],
    ]);
    expect(diags(`const p = phyr_from_pages();\nexport function t() {\n  unpin_user_pages(p);\n}\n`).map((d) => d.slice(0, 4))).toEqual([
      ['LMC202', 8, 20, "unpin_user_pages: phyr 'p' lists no userptr object's pinned pages"],
    ]);
  });

  it('rejects a phyr over pages that are not user pages, and objects for a P2P phyr', () => {
    expect(diags('const bo = drm_gem_object();\nconst p = phyr_from_pages(bo);\nexport function t() {}\n').map((d) => d.slice(0, 4))).toEqual([
      ['LMC202', 7, 27, "phyr_from_pages: 'bo' is not a userptr object; only pinned user pages are listed this way"],
    ]);
    expect(diags(`${UMEM}const p = phyr_from_p2p(umem);\nexport function t() {}\n`).map((d) => d.slice(0, 4))).toEqual([
      ['LMC202', 8, 25, 'phyr_from_p2p takes only an options object; a P2P range has no user pages'],
    ]);
    expect(diags('const p = phyr_from_pages({ keep_pages: true });\nexport function t() {}\n').map((d) => d.slice(0, 4))).toEqual([
      ['LMC202', 6, 29, "phyr_from_pages: unknown option 'keep_pages'"],
    ]);
  });
});
