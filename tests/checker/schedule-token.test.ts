import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSchedule, encodeSchedule, systemTag } from '../../checker/schedule-token.js';

function sys(hash: string, n: number) {
  return { hash, transitions: Array.from({ length: n }, (_, i) => ({ id: i })) } as never;
}

describe('schedule tokens', () => {
  const ts = sys('3fa9c02e77aa0011', 400);

  it('encodes compactly with the system tag in front', () => {
    expect(encodeSchedule(ts, [0, 5, 127, 128, 300])).toBe('3fa9c02eBQAFf4ABrAI');
    expect(encodeSchedule(ts, [])).toBe('3fa9c02eAA');
  });

  it('round-trips every schedule', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 399 }), { maxLength: 200 }), (s) => {
        expect(decodeSchedule(ts, encodeSchedule(ts, s))).toEqual(s);
      }),
    );
  });

  it('is URL and shell safe', () => {
    const tok = encodeSchedule(ts, [399, 1, 2, 250, 251, 252, 253, 254, 255]);
    expect(tok).toMatch(/^[0-9a-f]{8}[A-Za-z0-9_-]+$/);
  });

  it('rejects a token from another model or rule set', () => {
    const other = sys('77aa001100000000', 400);
    const tok = encodeSchedule(other, [1, 2, 3]);
    expect(decodeSchedule(ts, tok)).toEqual({
      error:
        'schedule token was made for a different model, rule set, options or lockmc version ' +
        '(token 77aa0011, this run 3fa9c02e); re-run `lockmc check` to get a fresh token',
    });
  });

  it('rejects malformed, truncated and out-of-range tokens', () => {
    expect(decodeSchedule(ts, 'hello')).toEqual({
      error: "malformed schedule token 'hello': expected 8 hex digits followed by base64url text",
    });
    expect(decodeSchedule(ts, '3fa9c02e!!')).toEqual({
      error: "malformed schedule token '3fa9c02e!!': expected 8 hex digits followed by base64url text",
    });
    const tok = encodeSchedule(ts, [300, 301, 302]);
    const cut = tok.slice(0, tok.length - 2);
    expect(decodeSchedule(ts, cut)).toHaveProperty('error');
    expect(decodeSchedule(ts, '3fa9c02e')).toEqual({ error: "malformed schedule token '3fa9c02e': empty" });
    const big = encodeSchedule(sys('3fa9c02e', 1000), [999]);
    expect(decodeSchedule(ts, big)).toEqual({
      error: 'schedule token step 1 names transition 999, but the system has 400',
    });
    expect(decodeSchedule(ts, '3fa9c02eAw')).toEqual({
      error: "malformed schedule token '3fa9c02eAw': says 3 steps, holds 0 (truncated or corrupted?)",
    });
  });

  it('derives a stable tag from a non-hex hash', () => {
    expect(systemTag({ hash: 'test' })).toBe('9f86d081');
    expect(decodeSchedule(sys('test', 3), encodeSchedule(sys('test', 3), [2, 0]))).toEqual([2, 0]);
  });
});
