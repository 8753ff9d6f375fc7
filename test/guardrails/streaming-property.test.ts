import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactText, scanText, StreamingRedactor, type StreamingRedactorOptions } from '../../src/guardrails/index.js';
import { prng } from '../helpers/prng.js';
import { policy } from './helpers.js';

/**
 * The streaming redactor must emit exactly what redacting the whole reply at once gives, however
 * the reply is cut into deltas: nothing a one-shot scan would redact may be spoken early.
 * Replies are labelled with the values they hold, so a detector regression shows up here too.
 */
interface Reply {
  text: string;
  values: string[];
}
const replies: Reply[] = readFileSync(new URL('./corpus/stream_replies.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Reply);
const redacting = policy({ pii: 'redact', financial: 'redact' });

function streamed(chunks: string[], options: StreamingRedactorOptions = {}): string {
  const r = new StreamingRedactor(redacting, options);
  return chunks.map((c) => r.push(c)).join('') + r.end();
}

/** random cuts of 1..max characters */
function randomChunks(text: string, rand: () => number, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rand() * max);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** token-like deltas: 1..3 words, each starting with its space */
function wordChunks(text: string, rand: () => number): string[] {
  const words = text.split(/(?= )/);
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const n = 1 + Math.floor(rand() * 3);
    out.push(words.slice(i, i + n).join(''));
    i += n;
  }
  return out;
}

describe('StreamingRedactor under any chunking', () => {
  it('has a labelled set of replies whose values one-shot redaction removes', () => {
    expect(replies.length).toBeGreaterThanOrEqual(35);
    for (const { text, values } of replies) {
      const redacted = redactText(text, scanText(text, redacting));
      for (const v of values) expect(redacted, `"${v}" in: ${text}`).not.toContain(v);
    }
  });

  it('emits exactly the one-shot redaction for random 1-7 character chunks and word chunks', () => {
    const rand = prng(21);
    let runs = 0;
    for (const { text } of replies) {
      const expected = redactText(text, scanText(text, redacting));
      for (let round = 0; round < 40; round++, runs++) expect(streamed(randomChunks(text, rand, 7)), text).toBe(expected);
      for (let round = 0; round < 10; round++, runs++) expect(streamed(wordChunks(text, rand)), text).toBe(expected);
      expect(streamed([...text]), text).toBe(expected); // one character at a time
    }
    expect(runs).toBeGreaterThanOrEqual(1500);
  });

  it('keeps the leak-free result when the labelled replies are joined into one long answer', () => {
    const text = replies.map((r) => r.text).join(' ');
    const expected = redactText(text, scanText(text, redacting));
    const rand = prng(5);
    for (let round = 0; round < 10; round++) expect(streamed(randomChunks(text, rand, 9))).toBe(expected);
  });

  it('stays linear: 200 KB of digits in <= 50 ms (a complexity guard; the quadratic version took ~60 s)', () => {
    const text = '7'.repeat(200_000);
    const chunks = randomChunks(text, prng(9), 7);
    let best = Infinity;
    let out = '';
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      out = streamed(chunks);
      best = Math.min(best, performance.now() - t0);
    }
    expect(out).toBe(text); // a 200 KB run is no value: spoken unchanged
    expect(best).toBeLessThanOrEqual(50);
  });
});
