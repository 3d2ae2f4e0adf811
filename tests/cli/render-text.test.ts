import { describe, expect, it } from 'vitest';
import { renderText, toAscii } from '../../cli/render/text.js';
import { renderPretty } from '../../cli/render/pretty.js';
import { wrapLine, ln } from '../../cli/render/wrap.js';
import { CTX, cleanReport, sampleReport } from './sample-reports.js';
import { golden } from './golden-util.js';

describe('text renderer', () => {
  const text = renderText(sampleReport(), CTX);

  it('matches the golden file byte for byte', () => {
    expect(text).toBe(golden('sample.txt', text));
    const clean = renderText(cleanReport(), CTX);
    expect(clean).toBe(golden('clean.txt', clean));
  });

  it('is ASCII only and at most 72 columns', () => {
    for (const line of text.split('\n')) {
      expect(line.length, line).toBeLessThanOrEqual(72);
      expect(/^[\x20-\x7e]*$/.test(line), line).toBe(true);
    }
  });

  it('is deterministic', () => {
    expect(renderText(sampleReport(), CTX)).toBe(text);
  });
});
