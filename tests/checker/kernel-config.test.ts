/**
 * The PREEMPT_RT kernel-config switch (#15): where it is said (config
 * file, model header, command line), how a wrong name fails, how it
 * reaches the replay line and the report, and what it changes in the
 * model both engines and the lock graph read.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConfig } from '../../cli/config.js';
import { parseHeader } from '../../model/frontend/header.js';
import { checkedOptionWords } from '../../cli/render/words.js';
import { check } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import { preemptRtModel } from '../../checker/preempt-rt.js';
import { loadModel } from '../../model/index.js';
import { CHECK_BUDGET } from '../budgets.js';
import { textKey } from '../../checker/cache/key.js';

const ROOT = join(import.meta.dirname, '..', '..');
const brief = (ds: { code: string; line?: number; col?: number; message: string; hint?: string }[]) =>
  ds.map((d) => `${d.code}${d.line !== undefined ? ` ${d.line}:${d.col}` : ''} ${d.message}${d.hint ? ` [${d.hint}]` : ''}`);

describe('kernelConfig in the config file', () => {
  it('is a list of names; CONFIG_ is dropped; an unknown name is LMC329 at its place, a non-list LMC302', () => {
    expect(parseConfig('c.json', '{ "kernelConfig": ["CONFIG_PREEMPT_RT"] }').options).toEqual({ kernelConfig: ['PREEMPT_RT'] });
    expect(brief(parseConfig('c.json', '{\n  "kernelConfig": ["PREEMPT_RT", "PREEMPT_RTX"]\n}').diagnostics)).toEqual([
      "LMC329 2:34 unknown kernel config 'PREEMPT_RTX' [known: PREEMPT_RT]",
    ]);
    expect(brief(parseConfig('c.json', '{\n  "kernelConfig": "PREEMPT_RT"\n}').diagnostics)).toEqual([
      "LMC302 2:19 'kernelConfig' must be an array of kernel config names (PREEMPT_RT)",
    ]);
  });
});

describe('@kernel-config in a model header', () => {
  it('reads names (several, CONFIG_ prefix allowed); an unknown one is LMC211 at the tag', () => {
    expect(parseHeader('/**\n * @kernel-config CONFIG_PREEMPT_RT\n */\n').header.kernelConfig).toEqual(['PREEMPT_RT']);
    const bad = parseHeader('/**\n * @kernel-config PREEMPT_NONE\n */\n', 'm.model.ts');
    expect(brief(bad.diagnostics)).toEqual(["LMC211 2:4 bad @kernel-config tag: unknown kernel config 'PREEMPT_NONE' (known: PREEMPT_RT) [write `@kernel-config PREEMPT_RT`]"]);
    expect(bad.header.kernelConfig).toBeUndefined();
  });
});

describe('--kernel-config', () => {
  const file = join(ROOT, 'fixtures/rules/lockdep-inconsistent-lock-state/violates-hardirq-lock-with-irqs-on.model.ts');
  const run = (kernelConfig: string[]) =>
    check([{ file }], { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'explicit', kernelConfig, rules: { enable: ['lockdep-inconsistent-lock-state', 'deadlock'] } });

  it('an unknown name is a run error LMC329, exit 2, no model checked', async () => {
    const r = await run(['FOO']);
    expect(brief(r.diagnostics)).toEqual(["LMC329 unknown kernel config 'FOO' [known: PREEMPT_RT; none for no switch]"]);
    expect(r.exitCode).toBe(2);
    expect(r.models).toEqual([]);
  });

  it('PREEMPT_RT threads the handler: the same model no longer violates, and the report says how it was checked', async () => {
    const r = await run(['PREEMPT_RT']);
    const m = r.models[0]!;
    expect(m.kernelConfig).toEqual(['PREEMPT_RT']);
    expect(m.verdicts.filter((v) => v.status === 'violated').map((v) => v.rule)).toEqual([]);
    expect(r.options.kernelConfig).toEqual(['PREEMPT_RT']);
    const plain = (await run([])).models[0]!;
    expect(plain.kernelConfig).toBeUndefined();
    expect(plain.verdicts.filter((v) => v.status === 'violated').map((v) => v.rule).sort()).toEqual(['deadlock', 'lockdep-inconsistent-lock-state']);
  });

  it('is part of the result cache key', () => {
    const v = { lockmc: '0', z3: undefined, code: 'c' };
    const key = (kernelConfig?: string[]) => textKey(v, 'm.model.ts', 'text', { ...DEFAULT_CHECK_OPTIONS, ...(kernelConfig ? { kernelConfig } : {}) }, 'rules');
    expect(key(['PREEMPT_RT'])).not.toBe(key());
    expect(key([])).not.toBe(key(['PREEMPT_RT']));
    expect(key(['PREEMPT_RT'])).toBe(key(['PREEMPT_RT']));
  });

  it('goes on the replay line, `none` when it was set empty', () => {
    expect(checkedOptionWords({ kernel: 'v6.12', kernelConfig: ['PREEMPT_RT'] })).toEqual(['--kernel', 'v6.12', '--kernel-config', 'PREEMPT_RT']);
    expect(checkedOptionWords({ kernelConfig: [] })).toEqual(['--kernel-config', 'none']);
    expect(checkedOptionWords({})).toEqual([]);
  });
});

describe('a force-threaded handler in a trace', () => {
  it('runs as its own thread: no host, no hard-irq context', async () => {
    const file = join(ROOT, 'fixtures/rules/lockdep-circular-dependency/violates-threaded-irq-abba-preempt-rt.model.ts');
    const r = await check([{ file }], { ...DEFAULT_CHECK_OPTIONS, ...CHECK_BUDGET, engine: 'explicit', rules: { enable: ['deadlock'] } });
    const f = r.models[0]!.verdicts.find((v) => v.rule === 'deadlock' && v.status === 'violated');
    const steps = f && f.status === 'violated' ? f.findings[0]!.trace!.steps : [];
    const fire = steps.find((s) => s.op === 'evt_thread()');
    expect(fire?.role).toBe('irq thread runs the handler');
    expect(JSON.stringify(steps)).not.toContain('hard irq');
  });
});

describe('preemptRtModel', () => {
  it('drops irqsave on spinlock_t and local_lock_t, keeps it on raw_spinlock_t, threads handlers without IRQF_NO_THREAD', () => {
    const text = [
      'import type {} from \'lockmc/kernel\';',
      'const s = spinlock();',
      'const r = raw_spinlock();',
      'const l = local_lock_t();',
      'function h1(): void {}',
      'function h2(): void {}',
      'request_irq(h1);',
      'request_irq(0, h2, IRQF_SHARED | IRQF_NO_THREAD);',
      'export function t() {',
      '  spin_lock_irqsave(s);',
      '  raw_spin_lock_irqsave(r);',
      '  local_lock_irq(l);',
      '  local_unlock_irq(l);',
      '  raw_spin_unlock_irqrestore(r);',
      '  spin_unlock_irqrestore(s);',
      '}',
    ].join('\n');
    const loaded = loadModel('m.model.ts', text);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rt = preemptRtModel(loaded.extracted!.model);
    const t = rt.procs.find((p) => p.name === 't')!;
    const ops = t.nodes.flatMap((n) => (n.kind === 'op' ? [`${n.op.api}${'irqsave' in n.op && n.op.irqsave ? ' irqsave' : ''}${'irqrestore' in n.op && n.op.irqrestore ? ' irqrestore' : ''}`] : []));
    expect(ops).toEqual([
      'spin_lock_irqsave',
      'raw_spin_lock_irqsave irqsave',
      'local_lock_irq',
      'local_unlock_irq',
      'raw_spin_unlock_irqrestore irqrestore',
      'spin_unlock_irqrestore',
    ]);
    expect(rt.registrations.map((r) => [rt.procs[r.proc]!.name, r.noThread ?? false, r.threaded ?? false])).toEqual([
      ['h1', false, true],
      ['h2', true, false],
    ]);
  });
});
