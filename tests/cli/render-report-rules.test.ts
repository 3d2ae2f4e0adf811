/**
 * The Report carries the metadata of the rules that ran (`report.rules`),
 * so a renderer needs nothing else: check and replay fill it from the
 * rules they selected, and the text of a real report names each rule's
 * severity and summary from there.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, replay, resolveRules } from '../../checker/index.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checker/options.js';
import { ruleMetaOf } from '../../checker/report.js';
import { renderText } from '../../cli/render/text.js';
import { getRule } from '../../rules/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = join(ROOT, 'fixtures/rules/deadlock/violates-fence-wait-under-reset-lock.model.ts');

describe('report.rules', () => {
  it('ruleMetaOf copies the metadata, sorted by id', () => {
    const rules = ['ww-backoff', 'deadlock'].map((id) => getRule(id)!);
    const infos = ruleMetaOf(rules);
    expect(infos.map((r) => r.id)).toEqual(['deadlock', 'ww-backoff']);
    expect(infos[0]).toEqual(rules[1].meta);
    expect(infos[0]).not.toBe(rules[1].meta);
  });

  it('check and replay put the selected rules in the Report, and text reads them from there', async () => {
    const report = await check([{ file: FILE }], DEFAULT_CHECK_OPTIONS);
    const selected = resolveRules(DEFAULT_CHECK_OPTIONS).rules;
    expect(report.rules).toEqual(ruleMetaOf(selected));
    const ids = new Set(report.rules.map((r) => r.id));
    for (const v of report.models[0].verdicts) expect(ids.has(v.rule), v.rule).toBe(true);
    const text = renderText(report, { color: false });
    const deadlock = report.rules.find((r) => r.id === 'deadlock')!;
    expect(text).toContain(`(check deadlock, ${deadlock.severity}):`);
    const trace = report.models[0].verdicts.flatMap((v) => (v.status === 'violated' ? v.findings : [])).find((f) => f.trace)!.trace!;
    const replayed = await replay(FILE, trace.schedule, DEFAULT_CHECK_OPTIONS);
    expect(replayed.rules).toEqual(report.rules);
  });
});
