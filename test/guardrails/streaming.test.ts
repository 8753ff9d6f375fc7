import { describe, expect, it } from 'vitest';
import { StreamingRedactor } from '../../src/guardrails/index.js';
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
    expect(emitted[0]).toBe('Your '); // the last word is held: the next may join it
    expect(emitted[1]).toBe('card '); // digits held: they may be the start of a card
    expect(findings.map((f) => [f.detector, f.action])).toEqual([['card', 'redact']]);
    // offsets refer to the whole output as the model produced it
    const text = 'Your card 4111 1111 1111 1111 is on file.';
    expect(text.slice(findings[0]!.start, findings[0]!.end)).toBe('4111 1111 1111 1111');
  });

  it('holds back only the last word of plain prose (a value may still grow from it)', () => {
    const r = new StreamingRedactor(redacting);
    expect(r.push('Sure, I can')).toBe('Sure, I ');
    expect(r.push(' help with')).toBe('can help ');
    expect(r.push(' that. Your order')).toBe('with that. Your ');
    expect(r.end()).toBe('order');
    expect(r.findings).toEqual([]);
  });

  it('holdback: value speaks finished words at once (YAML stream_holdback: value)', () => {
    const r = new StreamingRedactor(policy({ pii: 'redact' }, { streamHoldback: 'value' }));
    expect(r.push('Sure, I can')).toBe('Sure, I ');
    expect(r.push(' help with')).toBe('can help ');
    expect(r.end()).toBe('with');
  });

  it('holds back only the suffix that can still become a match', () => {
    const r = new StreamingRedactor(redacting);
    expect(r.push('please call 415')).toBe('please call ');
    expect(r.push(' 555')).toBe('');
    expect(r.push(' 2671 and then')).toBe('[PHONE] and ');
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

  it('value hold-back speaks a one-word spoken email local part early; word hold-back does not', () => {
    const chunks = ['Mail jane ', 'dot doe at example dot com', ' now'];
    expect(stream(chunks, redacting, { holdback: 'value' }).out).toBe('Mail jane [EMAIL] now');
    expect(stream(chunks).out).toBe('Mail [EMAIL] now');
    expect(stream(['Mail', ' john', '@example.com', ' now'], redacting, { holdback: 'value' }).out).toBe('Mail [EMAIL] now');
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
