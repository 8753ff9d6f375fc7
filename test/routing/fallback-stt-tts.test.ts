import { stt } from '@livekit/agents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type Fault, sineFrames } from '../../src/testing/index.js';
import { captureErrors, captureMetrics, type Mocks, mockProviders, openGateway, startMocks, synthesize, transcribe, rowsSince as ledgerRowsSince } from '../helpers/stack.js';

let mocks: Mocks;
let gw: Gateway;

beforeAll(async () => {
  mocks = await startMocks();
  gw = await openGateway({
    providers: mockProviders(mocks),
    projects: { p: { name: 'P' } },
    default_project: 'p',
    fallbacks: { stt: ['local/whisper-large-v3'], tts: ['local/kokoro:af_heart'] },
    routing: { attempt_timeout_ms: 600, cooldown_ms: 0, retries: { max_attempts: 1 } }, // fallback itself, no retries (see callpath/retries)
  });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});
beforeEach(() => {
  for (const m of [mocks.deepgram, mocks.cartesia, mocks.local]) m.reset();
});

const rowsSince = (since: number, modality: 'stt' | 'tts') => ledgerRowsSince(gw, since, { modality, limit: 10 });

const texts = (events: stt.SpeechEvent[]) => events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0].text);

describe('STT fallback: Deepgram (WebSocket) → local Whisper (VAD + StreamAdapter)', () => {
  const faults: [string, Fault][] = [
    ['HTTP 503 on the upgrade', { kind: 'status', status: 503 }],
    ['HTTP 429 on the upgrade', { kind: 'status', status: 429 }],
    ['refused connection', { kind: 'refuse' }],
    ['stalled handshake past the attempt timeout', { kind: 'stall' }],
  ];
  for (const [name, fault] of faults) {
    it(`${name} → Whisper transcribes the same audio, no error for the caller`, async () => {
      mocks.deepgram.fail({ fault, times: 1 });
      const model = new inference.STT('deepgram/nova-3', { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      const events = await transcribe(model, sineFrames(1.0));
      mocks.deepgram.heal();
      expect(texts(events)).toEqual(['hello from local whisper']);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since, 'stt');
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['deepgram', 'error', null],
        ['whisper', 'fallback', 'deepgram/nova-3'],
      ]);
      expect(rows[1]!.inputUnits).toBeCloseTo(1.0, 3); // the fallback heard the replayed audio
    });
  }

  it('a malformed frame: the plugin reconnects by itself; the caller still gets a transcript and no error', async () => {
    mocks.deepgram.fail({ fault: { kind: 'malformed' }, times: 1 });
    const model = new inference.STT('deepgram/nova-3', { gateway: gw });
    const errors = captureErrors(model);
    const events = await transcribe(model, sineFrames(1.5));
    expect(texts(events).length).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  });

  it('a connection dropped after transcripts began is surfaced as an error, not a fallback', async () => {
    // interim + final of the first segment arrive, then the socket dies (the plugin does not notice)
    mocks.deepgram.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const model = new inference.STT('deepgram/nova-3', { gateway: gw, finalizeTimeoutMs: 800 });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(2.5));
    expect(texts(events).length).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect(mocks.local.requests).toHaveLength(0);
    const rows = await rowsSince(since, 'stt');
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['deepgram', 'error']]);
  });
});

describe('TTS fallback: Cartesia (WebSocket) → local Kokoro (OpenAI speech API)', () => {
  const text = 'Your order shipped yesterday and will arrive on Friday afternoon.';
  const faults: [string, Fault][] = [
    ['provider error frame (500)', { kind: 'status', status: 500 }],
    ['provider error frame (400, which the plugin ends as a clean, silent stream)', { kind: 'status', status: 400 }],
    ['refused connection', { kind: 'refuse' }],
    ['stall past the attempt timeout', { kind: 'stall' }],
    ['drop before the first audio', { kind: 'drop', afterChunks: 0 }],
  ];
  for (const [name, fault] of faults) {
    it(`${name} → the text is replayed to Kokoro and audio plays; one metrics event`, async () => {
      // the Cartesia plugin retries a refused connect once by itself
      mocks.cartesia.fail({ fault, times: fault.kind === 'refuse' ? 2 : 1 });
      const model = new inference.TTS('cartesia/sonic-3', { gateway: gw });
      const errors = captureErrors(model);
      const metrics = captureMetrics<{ charactersCount: number }>(model);
      const since = Date.now();
      const { seconds } = await synthesize(model, text);
      mocks.cartesia.heal();
      expect(seconds).toBeGreaterThan(0.3);
      expect(errors).toEqual([]);
      expect(metrics.map((m) => m.charactersCount)).toEqual([text.length]);
      const rows = await rowsSince(since, 'tts');
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['cartesia', 'error', null],
        ['kokoro', 'fallback', 'cartesia/sonic-3'],
      ]);
      expect(rows[1]!.inputUnits).toBe(text.length);
      expect(String(mocks.local.requests.at(-1)?.path)).toContain('/audio/speech');
    });
  }

  it('a malformed frame is skipped by the plugin: audio still plays, no error', async () => {
    mocks.cartesia.fail({ fault: { kind: 'malformed' }, times: 1 });
    const model = new inference.TTS('cartesia/sonic-3', { gateway: gw });
    const errors = captureErrors(model);
    const { seconds } = await synthesize(model, text);
    expect(seconds).toBeGreaterThan(0.2);
    expect(errors).toEqual([]);
  });

  it('a connection dropped after audio began ends with an error, never a clean end', async () => {
    mocks.cartesia.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const model = new inference.TTS('cartesia/sonic-3', { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const { frames } = await synthesize(model, text);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    const rows = await rowsSince(since, 'tts');
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['cartesia', 'error']]);
  });
});
