import { describe, expect, it } from 'vitest';
import { redactText, scanText, StreamingRedactor } from '../../src/guardrails/index.js';
import { policy } from './helpers.js';

const redacting = policy({ pii: 'redact', financial: 'redact' });

function stream(chunks: string[], p = redacting, options = {}) {
  const r = new StreamingRedactor(p, options);
  const emitted = chunks.map((c) => r.push(c));
  emitted.push(r.end());
  return { out: emitted.join(''), emitted, findings: r.findings };
}

describe('StreamingRedactor', () => {
  it('redacts a card number split across chunks', () => {
    const { out, emitted, findings } = stream(['Your card ', '4111 1111', ' 1111 1111', ' is on file.']);
    expect(out).toBe('Your card [CARD] is on file.');
    expect(emitted[0]).toBe('Your card ');
    expect(emitted[1]).toBe(''); // digits held: they may be the start of a card
    expect(findings.map((f) => [f.detector, f.action])).toEqual([['card', 'redact']]);
    // offsets refer to the whole output as the model produced it
    const text = 'Your card 4111 1111 1111 1111 is on file.';
    expect(text.slice(findings[0]!.start, findings[0]!.end)).toBe('4111 1111 1111 1111');
  });

  it('emits plain prose with zero hold-back', () => {
    const chunks = ['Sure', ', I can', ' help with', ' that. Your order', ' shipped on Tuesday', ' and should arrive soon!'];
    const r = new StreamingRedactor(redacting);
    for (const c of chunks) expect(r.push(c)).toBe(c);
    expect(r.end()).toBe('');
    expect(r.findings).toEqual([]);
  });

  it('holds back only the suffix that can still become a match', () => {
    const r = new StreamingRedactor(redacting);
    expect(r.push('Call 415')).toBe('Call ');
    expect(r.push(' 555')).toBe('');
    expect(r.push(' 2671 today')).toBe('[PHONE] today');
  });

  it('redacts an email written across chunks', () => {
    expect(stream(['Mail ', 'jane.d', 'oe@exa', 'mple.com', ' for help.']).out).toBe('Mail [EMAIL] for help.');
  });

  it('redacts spoken digits and spoken emails', () => {
    expect(stream(['the card is four one one one', ' one one one one one one one one', ' one one one one, thanks']).out).toBe('the card is [CARD], thanks');
    expect(stream(['write to priya dot', ' mehta at gmail', ' dot com', ' today']).out).toBe('write to [EMAIL] today');
  });

  it('holds a half-written address and name until they are complete', () => {
    expect(stream(['Ship it to 742', ' Evergreen', ' Terrace', ', Springfield.']).out).toBe('Ship it to [ADDRESS], Springfield.');
    expect(stream(['Thanks! Your name is', ' Dana', ' Whitfield', ' and you are all set.']).out).toBe('Thanks! Your name is [NAME] and you are all set.');
  });

  it('flushes a match at the very end of the stream', () => {
    expect(stream(['The IBAN is DE89 3704 0044', ' 0532 0130 00']).out).toBe('The IBAN is [IBAN]');
  });

  it('gives the same result as one-shot redaction however the text is split (holdTrailingWord)', () => {
    const text =
      'Sure, Dana. Card 4111 1111 1111 1111 expires 12/27. Mail jane.doe@example.com or call (415) 555-2671. ' +
      'Spoken: four one five five five five two six seven one. IBAN GB29 NWBK 6016 1331 9268 19. Version 2.4.1 costs $49.99.';
    const expected = redactText(text, scanText(text, redacting));
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 40; round++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; ) {
        const n = 1 + Math.floor(rand() * 12);
        chunks.push(text.slice(i, i + n));
        i += n;
      }
      expect(stream(chunks, redacting, { holdTrailingWord: true }).out).toBe(expected);
    }
  });

  it('by default gives the same result for token-like chunks (each starting with a space)', () => {
    const text =
      'Sure, Dana. Card 4111 1111 1111 1111 expires 12/27. Mail jd42@example.com or call (415) 555-2671 today. ' +
      'Spoken: four one five five five five two six seven one. IBAN GB29 NWBK 6016 1331 9268 19 and 742 Evergreen Terrace.';
    const expected = redactText(text, scanText(text, redacting));
    let seed = 11;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const words = text.split(/(?= )/);
    for (let round = 0; round < 40; round++) {
      const chunks: string[] = [];
      for (let i = 0; i < words.length; ) {
        const n = 1 + Math.floor(rand() * 3);
        chunks.push(words.slice(i, i + n).join(''));
        i += n;
      }
      expect(stream(chunks).out).toBe(expected);
    }
  });

  it('holdTrailingWord also protects a one-word email local part', () => {
    expect(stream(['Mail', ' john', '@example.com', ' now']).out).toBe('Mail john[EMAIL] now');
    expect(stream(['Mail', ' john', '@example.com', ' now'], redacting, { holdTrailingWord: true }).out).toBe('Mail [EMAIL] now');
  });

  it('passes everything through when nothing is set to redact, and records alert findings at the end', () => {
    const alerting = policy({ pii: 'alert' });
    const r = new StreamingRedactor(alerting);
    expect(r.passThrough).toBe(true);
    expect(r.push('mail jane@example.com')).toBe('mail jane@example.com');
    expect(r.end()).toBe('');
    expect(r.findings.map((f) => [f.detector, f.action, f.excerpt])).toEqual([['email', 'alert', 'mail [EMAIL]']]);
  });

  it('treats block as redact on output (an answer being spoken cannot be blocked)', () => {
    expect(stream(['card 4111 1111 1111 1111.'], policy({ financial: 'block' })).out).toBe('card [CARD].');
  });
});
