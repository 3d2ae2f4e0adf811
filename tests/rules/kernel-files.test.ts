/**
 * Every kernel file a built-in rule or a primed edge cites is one the
 * rules' list (rules/lib/kernel-files.ts) vouches for, and the list holds
 * nothing no one cites: a misspelt or moved path fails here, not in front
 * of a kernel developer following the citation.
 */
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../rules/registry.js';
import { PRIMED_EDGES } from '../../rules/canonical-order.js';
import { KERNEL_FILES, kernelPathsIn } from '../../rules/lib/kernel-files.js';
import type { Citation } from '../../rules/types.js';

function citationsOf(rule: (typeof ALL_RULES)[number]): Citation[] {
  const out = [...rule.meta.citations];
  for (const o of rule.meta.options ?? []) for (const v of o.values) if (v.citation) out.push(v.citation);
  return out;
}

function citedFiles(): Map<string, string[]> {
  const cited = new Map<string, string[]>();
  const add = (file: string, by: string) => cited.set(file, [...(cited.get(file) ?? []), by]);
  for (const r of ALL_RULES) {
    for (const c of citationsOf(r)) if (c.kind === 'kernel' || c.kind === 'doc') add(c.file, r.meta.id);
  }
  for (const e of PRIMED_EDGES) for (const f of kernelPathsIn(e.citation)) add(f, `primed edge ${e.id}`);
  return cited;
}

describe('kernel citations', () => {
  const cited = citedFiles();

  it('name only files in rules/lib/kernel-files.ts', () => {
    const unknown = [...cited].filter(([f]) => !(f in KERNEL_FILES)).map(([f, by]) => `${f} (cited by ${by.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('leave no entry of the list uncited', () => {
    expect(Object.keys(KERNEL_FILES).filter((f) => !cited.has(f))).toEqual([]);
  });

  it('the primed edges cite a file each', () => {
    expect(PRIMED_EDGES.filter((e) => kernelPathsIn(e.citation).length === 0).map((e) => e.id)).toEqual([]);
  });

  it('finds paths in free text and nothing else', () => {
    expect(kernelPathsIn('mm/page_alloc.c fs_reclaim_acquire(); drivers/dma-buf/dma-resv.c dma_resv_lockdep()')).toEqual([
      'mm/page_alloc.c',
      'drivers/dma-buf/dma-resv.c',
    ]);
    expect(kernelPathsIn('dma_resv_lockdep (i_mmap_lock_write)')).toEqual([]);
  });
});
