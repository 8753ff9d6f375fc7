import { describe, expect, it } from 'vitest';
import { excerpt, redactText, scanText, type Finding } from '../../src/guardrails/index.js';
import { policy } from './helpers.js';

const f = (start: number, end: number, placeholder: string): Finding => ({ category: 'pii', detector: 'x', start, end, placeholder, score: 1 });

describe('redactText', () => {
  it('replaces spans with their placeholders', () => {
    const text = 'card 4111 1111 1111 1111, mail jane@example.com';
    const p = policy({ pii: 'redact', financial: 'redact' });
    expect(redactText(text, scanText(text, p))).toBe('card [CARD], mail [EMAIL]');
  });

  it('merges overlapping spans under the placeholder of the one that starts first', () => {
    expect(redactText('abcdefghij', [f(2, 6, '[A]'), f(4, 8, '[B]')])).toBe('ab[A]ij');
    expect(redactText('abcdefghij', [f(4, 8, '[B]'), f(2, 6, '[A]')])).toBe('ab[A]ij');
    expect(redactText('abcdefghij', [f(2, 9, '[A]'), f(3, 4, '[B]')])).toBe('ab[A]j');
  });

  it('returns the text unchanged without findings', () => {
    expect(redactText('plain', [])).toBe('plain');
  });
});

describe('excerpt', () => {
  const text = 'Hello, my card is 4111 1111 1111 1111 and my mail is jane.doe@example.com, thanks a lot for the help today.';
  const p = policy({ pii: 'alert', financial: 'alert' });
  const findings = scanText(text, p);
  const card = findings.find((x) => x.detector === 'card')!;
  const email = findings.find((x) => x.detector === 'email')!;

  it('shows the context around the finding with its placeholder, never the raw value', () => {
    const e = excerpt(text, card, 24, findings);
    expect(e).toContain('[CARD]');
    expect(e).not.toMatch(/4111/);
    expect(e).not.toContain('jane.doe');
  });

  it('masks a neighbouring value even when the other findings are not passed', () => {
    const e = excerpt(text, card, 40);
    expect(e).not.toContain('jane.doe@example.com');
    expect(excerpt(text, email, 60)).not.toMatch(/\d{4}/);
  });

  it('marks truncation with an ellipsis', () => {
    expect(excerpt(text, email, 8)).toMatch(/^….*…$/);
  });
});
