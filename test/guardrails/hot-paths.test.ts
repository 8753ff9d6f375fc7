import { describe, expect, it } from 'vitest';
import { compilePolicy, scanCategories, scanText } from '../../src/guardrails/index.js';
import { normalizeSpoken } from '../../src/guardrails/spoken.js';
import { found, policy } from './helpers.js';

/** Spots rewritten for speed (P5): they must find exactly what they found before. */

const shown = (text: string, findings: ReturnType<typeof scanText>) => findings.map((f) => `${f.detector}:${text.slice(f.start, f.end)}:${f.score}`);

describe('spoken numbers next to long written digit runs', () => {
  it('answers at once (the digit-group regexes used to backtrack exponentially)', () => {
    // a complexity guard, not a speed figure: the old regexes took seconds here (23 digits: ~0.6 s,
    // x2-3 per digit), the new ones microseconds, so the bound holds on any machine
    const started = Date.now();
    expect(normalizeSpoken(`${'1'.repeat(25)}x five six`).text).toBe(`${'1'.repeat(25)}x 56`);
    expect(normalizeSpoken(`five ${'1'.repeat(19)}x six`).text).toBe(`five ${'1'.repeat(19)}x six`);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('still joins written groups and spoken digits into one run', () => {
    expect(normalizeSpoken('call 415 5552671 two three').text).toBe('call 415 5552671 23');
    expect(normalizeSpoken('415 five five five 2671').text).toBe('415 555 2671');
  });
});

describe('spoken emails', () => {
  const text = 'her email is priya dot mehta at gmail dot com, or p underscore m at yahoo dot com';
  const expected = ['email:priya dot mehta at gmail dot com:0.9', 'email:p underscore m at yahoo dot com:0.9'];

  it('are found from the joiners of the shared lexicon pass', () => {
    expect(shown(text, scanText(text, policy({ pii: 'alert' })))).toEqual(expected);
  });

  it('are found the same way without it (a policy whose lexicon lacks the pii words)', () => {
    expect(shown(text, scanCategories(text, policy({ financial: 'alert' }), ['pii']))).toEqual(expected);
  });

  it('need the joiner as a word of its own', () => {
    expect(found('sam dot jones at home.com', 'pii')).toEqual(['email:sam dot jones at home.com']);
    expect(found('sam dots jones at home.com', 'pii')).toEqual([]);
    expect(found('sam dotjones at home.com', 'pii')).toEqual([]);
  });
});

describe('number keywords', () => {
  it('key a number only from before it, in the same sentence', () => {
    const financial = compilePolicy({ enabled: true, categories: { financial: 'alert' } });
    const cardAfter = '4111 1111 1111 1111 is the card I use';
    const cardBefore = 'my card is 4111 1111 1111 1111';
    expect(shown(cardAfter, scanText(cardAfter, financial))).toEqual(['card:4111 1111 1111 1111:0.9']);
    expect(shown(cardBefore, scanText(cardBefore, financial))).toEqual(['card:4111 1111 1111 1111:0.99']);
  });
});

describe('IPv6', () => {
  it('finds a full eight-group address and skips times', () => {
    expect(found('ip 2001:0db8:85a3:0000:0000:8a2e:0370:7334 at 10:30:00', 'pii')).toEqual(['ip_address:2001:0db8:85a3:0000:0000:8a2e:0370:7334']);
    expect(found('groups 1:2:3:4:5:6:7 are one short', 'pii')).toEqual([]);
  });
});
