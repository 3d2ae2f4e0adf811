/**
 * Issue #14: every side of a debated option comes with a consequence
 * model (a bundled fixture where that position's design ends in a
 * violated safety property), and `lockmc explain` shows both sides with
 * their citations and consequences.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { parseHeader } from '../../model/frontend/header.js';
import { ALL_RULES } from '../../rules/registry.js';
import { fakeIo } from '../cli/fake-io.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The options issue #14 names, and the sides still without a consequence model (a known gap, reported). */
const DEBATED = ['notifier.fence-wait', 'own.scope', 'revoke.gpu-importers', 'phyr.struct-page'];
const NO_CONSEQUENCE_YET: string[] = [];

const options = ALL_RULES.flatMap((r) => (r.meta.options ?? []).map((o) => ({ rule: r.meta.id, o })));

describe('debated options have consequence models', () => {
  it('every debated option is declared by some rule', () => {
    expect(DEBATED.filter((k) => !options.some((x) => x.o.key === k))).toEqual([]);
  });

  it('every side of a debated option names a consequence, apart from the listed gaps', () => {
    const missing = options
      .filter((x) => DEBATED.includes(x.o.key))
      .flatMap((x) => x.o.values.filter((v) => !v.consequence).map((v) => `${x.o.key}=${v.value}`));
    expect(missing.sort()).toEqual([...NO_CONSEQUENCE_YET].sort());
  });

  for (const { rule, o } of options) {
    for (const v of o.values) {
      if (!v.consequence) continue;
      it(`${o.key}=${v.value} (${rule}): ${v.consequence} takes that side and declares a violation`, () => {
        const path = join(ROOT, v.consequence!);
        expect(existsSync(path)).toBe(true);
        const { header } = parseHeader(readFileSync(path, 'utf8'), v.consequence!);
        expect(header.ruleOptions[o.key] ?? o.default).toBe(v.value);
        expect(header.expect.some((e) => e.kind === 'violates')).toBe(true);
      });
    }
  }
});

describe('lockmc explain shows both sides, cited, with their consequences', () => {
  it('gpu-importer-revocable', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'gpu-importer-revocable'], io)).toBe(0);
    const block = io.stdout.slice(io.stdout.indexOf('\noption revoke.gpu-importers') + 1, io.stdout.indexOf('\nnot fully verified'));
    expect(block).toBe(
      [
        'option revoke.gpu-importers (default reject): Whether dynamic GPU',
        'importers accept revocable dma-bufs.',
        '  reject: GPU importers refuse revocable exporters at attach (a',
        '    compositor cannot be shot down by a client buffer). [dri-devel,',
        '    linux-media 2025-01-14: "[RFC PATCH 01/12] dma-buf: Introduce',
        '    dma_buf_get_pfn_unlocked() kAPI" (Simona Vetter)]',
        // A path is never broken: it overflows the 72 columns instead.
        '    consequence: fixtures/debates/revocable-dma-buf/violates-reject-exporter-hides-revoke.model.ts',
        '  accept: GPU importers accept revocable exporters; a revoke is fatal to',
        '    the context using the buffer. [dri-devel, linux-media 2025-01-14:',
        '    "[RFC PATCH 01/12] dma-buf: Introduce dma_buf_get_pfn_unlocked()',
        '    kAPI" (Jason Gunthorpe)]',
        '    consequence: fixtures/debates/revocable-dma-buf/violates-accept-revoke-kills-compositor.model.ts',
        '',
      ].join('\n'),
    );
  });

  it('phyr-no-struct-page: forbid leaks the pins RDMA cannot get back, warn lets the page outlive a move', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'phyr-no-struct-page'], io)).toBe(0);
    const block = io.stdout.slice(io.stdout.indexOf('\noption phyr.struct-page') + 1, io.stdout.indexOf('\nnot fully verified'));
    expect(block.match(/consequence:/g)?.length).toBe(2);
    expect(block).toContain("(Simona Vetter)]\n    consequence: fixtures/debates/phyr-scatterlist/violates-forbid-pin-leak.model.ts\n");
    expect(block).toContain('(Jason Gunthorpe)]\n    consequence: fixtures/debates/phyr-scatterlist/violates-warn-page-outlives-move.model.ts\n');
  });

  it('notifier-fence-wait-gpu-only names a consequence under each side', async () => {
    const io = fakeIo();
    expect(await main(['explain', 'notifier-fence-wait-gpu-only'], io)).toBe(0);
    const block = io.stdout.slice(io.stdout.indexOf('\noption notifier.fence-wait') + 1, io.stdout.indexOf('\nminimal violating model'));
    expect(block.match(/consequence:/g)?.length).toBe(3);
    expect(block).toContain('(Jason Gunthorpe)]\n    consequence: fixtures/rules/userptr-dma-needs-pin-or-wait/violates-never-wait-no-pin.model.ts\n');
  });
});
