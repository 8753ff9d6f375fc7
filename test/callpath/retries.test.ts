import * as openai from '@livekit/agents-plugin-openai';
import { stt } from '@livekit/agents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type Fault, sineFrames } from '../../src/testing/index.js';
import { captureErrors, chatCtx, type Mocks, mockProviders, openGateway, startMocks, synthesize, transcribe, rowsSince as ledgerRowsSince } from '../helpers/stack.js';

// Defect 3 of issue #17: with no fallback chain (the default), one 503, one refused connection or
// one stream dropped before the first token failed the turn, where the raw plugin retries and answers.
let mocks: Mocks;
let gw: Gateway;

beforeAll(async () => {
  mocks = await startMocks({ openai: { reply: 'primary answer here' } });
  gw = await openGateway({ providers: mockProviders(mocks), projects: { p: { name: 'P' } }, default_project: 'p', routing: { cooldown_ms: 0 } });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});
beforeEach(() => {
  for (const m of [mocks.openai, mocks.deepgram, mocks.cartesia, mocks.local]) m.reset();
});

const rowsSince = (since: number, modality: 'stt' | 'llm' | 'tts', project = 'p') => ledgerRowsSince(gw, since, { project, modality });

const once: [string, Fault][] = [
  ['one HTTP 503', { kind: 'status', status: 503 }],
  ['one HTTP 500', { kind: 'status', status: 500 }],
  ['one refused connection', { kind: 'refuse' }],
  ['one stream dropped before the first token', { kind: 'drop', afterChunks: 0 }],
];

describe('LLM with no fallback chain answers through one transient fault, like the raw plugin', () => {
  for (const [name, fault] of once) {
    it(`${name}: the raw @livekit/agents-plugin-openai LLM answers, and so does the drop-in (one retry row, then success)`, async () => {
      mocks.openai.fail({ fault, times: 1 });
      const raw = new openai.LLM({ model: 'gpt-4.1-mini', apiKey: 'sk-test-openai', baseURL: mocks.openai.baseURL });
      raw.on('error', () => {}); // the raw plugin reports the retried failure as a recoverable error
      expect((await raw.chat({ chatCtx: chatCtx('hello') }).collect()).text).toBe('primary answer here');

      mocks.openai.fail({ fault, times: 1 });
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
      const errors = captureErrors(m);
      const since = Date.now();
      const text = (await m.chat({ chatCtx: chatCtx('hello') }).collect()).text;
      expect(text).toBe('primary answer here');
      expect(errors).toEqual([]);
      const rows = await rowsSince(since, 'llm');
      // a refusal also cuts the keep-alive socket the raw plugin's request left in fetch's shared
      // pool: the drop-in may meet that dead socket first, then the refusal (two retries)
      const failed = fault.kind === 'refuse' && rows.length === 3 ? 2 : 1;
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ...Array.from({ length: failed }, () => ['openai', 'error', null]),
        ['openai', 'success', null],
      ]);
      expect(rows[0]!.error).toBeTruthy();
      expect(rows.at(-1)!.outputUnits).toBeGreaterThan(0);
    });
  }

  it('an error the raw plugin would not retry (401) is not retried', async () => {
    mocks.openai.fail({ fault: { kind: 'status', status: 401 }, times: 1 });
    const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    const errors = captureErrors(m);
    const since = Date.now();
    expect((await m.chat({ chatCtx: chatCtx('hello') }).collect()).text).toBe('');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toMatch(/401/);
    expect((await rowsSince(since, 'llm')).map((r) => r.status)).toEqual(['error']);
    expect(mocks.openai.requests).toHaveLength(1);
  });

  it("a caller's connOptions.maxRetry lowers the attempts (maxRetry 0: one request), as the raw plugin honours it", async () => {
    mocks.openai.fail({ fault: { kind: 'status', status: 503 }, times: 4 });
    const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    const errors = captureErrors(m);
    const since = Date.now();
    const connOptions = { maxRetry: 0, retryIntervalMs: 0, timeoutMs: 5000 };
    expect((await m.chat({ chatCtx: chatCtx('hello'), connOptions }).collect()).text).toBe('');
    expect(errors[0]!.error.message).toMatch(/503/);
    expect((await rowsSince(since, 'llm')).map((r) => r.status)).toEqual(['error']);
    expect(mocks.openai.requests).toHaveLength(1);
  });

  it('a Retry-After is honoured as the least delay; one longer than max_delay_ms is not waited for', async () => {
    mocks.openai.fail({ fault: { kind: 'status', status: 429, retryAfterS: 0.4 }, times: 1 });
    const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: gw });
    const since = Date.now();
    expect((await m.chat({ chatCtx: chatCtx('hello') }).collect()).text).toBe('primary answer here');
    const rows = await rowsSince(since, 'llm');
    const story = rows.map((r) => `${r.status} ${r.error ?? ''}`).join(' | ');
    // as in the refusal case above, a keep-alive socket the server closed may cost one extra connection-level attempt
    const limited = rows.findIndex((r) => /429/.test(r.error ?? ''));
    expect(limited, story).toBeGreaterThanOrEqual(0);
    expect(rows.map((r) => r.status), story).toEqual([...rows.slice(0, -1).map(() => 'error'), 'success']);
    expect(rows.length, story).toBeLessThanOrEqual(3);
    for (const r of rows.slice(0, -1)) if (r !== rows[limited]) expect(r.error, story).not.toMatch(/\b[45]\d\d\b/);
    expect(rows.at(-1)!.ts - rows[limited]!.ts).toBeGreaterThanOrEqual(400); // not the 100 ms backoff

    mocks.openai.fail({ fault: { kind: 'status', status: 429, retryAfterS: 30 }, times: 1 });
    const errors = captureErrors(m);
    const since2 = Date.now();
    expect((await m.chat({ chatCtx: chatCtx('hello') }).collect()).text).toBe('');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error.message).toMatch(/429/);
    expect((await rowsSince(since2, 'llm')).map((r) => r.status)).toEqual(['error']);
  });

  it('retries stop at max_attempts, then the chain moves on to its fallback', async () => {
    const g = await openGateway({
      providers: mockProviders(mocks),
      projects: { f: { name: 'F', fallbacks: { llm: ['ollama/llama3.2'] } } },
      routing: { cooldown_ms: 0, retries: { max_attempts: 3, base_delay_ms: 10, max_delay_ms: 50 } },
    });
    try {
      mocks.openai.fail({ kind: 'status', status: 503 });
      const since = Date.now();
      const text = (await new inference.LLM('openai/gpt-4.1-mini', { gateway: g, project: 'f' }).chat({ chatCtx: chatCtx('x') }).collect()).text;
      expect(text).toBe('Hello from the local model.');
      await g.drain();
      const rows = (await g.ledger.logs({ project: 'f', limit: 10 })).filter((r) => r.ts >= since - 5).reverse();
      expect(rows.map((r) => [r.provider, r.status])).toEqual([
        ['openai', 'error'],
        ['openai', 'error'],
        ['openai', 'error'],
        ['ollama', 'fallback'],
      ]);
      expect(mocks.openai.requests).toHaveLength(3);
    } finally {
      await g.close();
    }
  });

  it("an entry's retries fit in attempt_timeout_ms: no retry starts that the window cannot hold", async () => {
    const g = await openGateway({
      providers: mockProviders(mocks),
      projects: { w: { name: 'W' } },
      routing: { attempt_timeout_ms: 1000, cooldown_ms: 0, retries: { max_attempts: 10, base_delay_ms: 400, max_delay_ms: 2000 } },
    });
    try {
      mocks.openai.fail({ kind: 'status', status: 503 });
      const m = new inference.LLM('openai/gpt-4.1-mini', { gateway: g, project: 'w' });
      const errors = captureErrors(m);
      await m.chat({ chatCtx: chatCtx('x') }).collect();
      expect(errors).toHaveLength(1);
      // attempts at ~0 ms and ~400 ms; the next would start at ~1200 ms, past the 1000 ms window
      expect(mocks.openai.requests).toHaveLength(2);
    } finally {
      await g.close();
    }
  });
});

describe('STT and TTS retry where the raw plugins retry', () => {
  it('Deepgram: one 503 on the upgrade → retried, the same audio transcribed, no error', async () => {
    mocks.deepgram.fail({ fault: { kind: 'status', status: 503 }, times: 1 });
    const model = new inference.STT('deepgram/nova-3', { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(1.0));
    const finals = events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0].text);
    expect(finals).toEqual(['hello from the mock deepgram']);
    expect(errors).toEqual([]);
    const rows = await rowsSince(since, 'stt');
    expect(rows.map((r) => [r.provider, r.status])).toEqual([
      ['deepgram', 'error'],
      ['deepgram', 'success'],
    ]);
    expect(rows[1]!.inputUnits).toBeCloseTo(1.0, 3); // the retry heard the audio the first attempt got
  });

  it('Cartesia: one error frame (500) → retried, audio plays, no error', async () => {
    mocks.cartesia.fail({ fault: { kind: 'status', status: 500 }, times: 1 });
    const model = new inference.TTS('cartesia/sonic-3', { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const { seconds } = await synthesize(model, 'Hello there, this is a retried sentence.');
    expect(seconds).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);
    expect((await rowsSince(since, 'tts')).map((r) => [r.provider, r.status])).toEqual([
      ['cartesia', 'error'],
      ['cartesia', 'success'],
    ]);
  });
});
