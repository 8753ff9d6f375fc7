import { stt } from '@livekit/agents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type Fault, sineFrames } from '../../src/testing/index.js';
import { captureErrors, captureMetrics, type Mocks, mockProviders, openGateway, startMocks, transcribe, rowsSince as ledgerRowsSince } from '../helpers/stack.js';

// Gemini STT (the plugin's beta GeminiSTT: input transcription over the Live API WebSocket) through the
// drop-in against the Google mock: the suite the other STT providers pass (metering, pricing, fallback
// before / after the first transcript, errors surfaced, one ledger row per attempt).

let mocks: Mocks;
let gw: Gateway;
const ID = 'google/gemini-live-2.5-flash';
const TEXT = 'hello from the mock gemini';

beforeAll(async () => {
  await import('@livekit/agents-plugin-google'); // a first import (~1 s for @google/genai) must not count against the attempt timeout
  mocks = await startMocks({ google: { live: { transcript: TEXT } } });
  gw = await openGateway({
    providers: mockProviders(mocks),
    projects: { p: { name: 'P' } },
    default_project: 'p',
    fallbacks: { stt: ['local/whisper-large-v3'] },
    routing: { attempt_timeout_ms: 800, cooldown_ms: 0, retries: { max_attempts: 1 } }, // fallback itself, no retries
  });
});
afterAll(async () => {
  await gw?.close();
  await mocks?.close();
});
beforeEach(() => {
  mocks.google.reset();
  mocks.local.reset();
});

const rowsSince = (since: number) => ledgerRowsSince(gw, since);

const finals = (events: stt.SpeechEvent[]) => events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0].text);

describe(`inference.STT('${ID}') over the Live API WebSocket`, () => {
  it('interim then final transcripts per turn; the audio sent is metered (the plugin reports none) and priced at the catalog rate', async () => {
    const model = new inference.STT(`${ID}:en-US`, { gateway: gw });
    expect(model).toBeInstanceOf(stt.STT);
    expect([model.provider, model.model]).toEqual(['google', 'gemini-live-2.5-flash']);
    const metrics = captureMetrics<{ audioDurationMs: number }>(model);
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(2.5));
    expect(errors).toEqual([]);
    expect(finals(events)).toEqual([TEXT, TEXT, TEXT]);
    expect(events.some((e) => e.type === stt.SpeechEventType.INTERIM_TRANSCRIPT && e.alternatives![0].text === 'hello from the')).toBe(true);
    const conn = mocks.google.requests.at(-1)!;
    expect(conn.query.key).toBe('goog-test');
    const session = mocks.google.liveSessions.at(-1)!;
    expect(session.setup).toMatchObject({ model: 'models/gemini-live-2.5-flash', inputAudioTranscription: { languageCodes: ['en-US'] } });
    expect(session.audioSeconds).toBeCloseTo(2.5, 3);
    expect(metrics.reduce((s, m) => s + m.audioDurationMs, 0)).toBeCloseTo(2500, 0);
    const rows = await rowsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'google', model: 'gemini-live-2.5-flash', status: 'success', pricingSource: 'voicegateway-catalog@2026-12-03' });
    expect(rows[0]!.inputUnits).toBeCloseTo(2.5, 3);
    expect(rows[0]!.costNanos).toBe(Math.round((2.5 / 60) * 0.0049 * 1e9)); // $0.0049 a minute
    expect(rows[0]!.costNanos).toBe(gw.prices.price('stt', 'google', 'gemini-live-2.5-flash', { inputUnits: rows[0]!.inputUnits, outputUnits: 0, cachedUnits: 0 }).costNanos);
  });

  const before: [string, Fault][] = [
    ['a refused session (closed 1008 before setupComplete)', { kind: 'status', status: 403, message: 'API key not valid. Please pass a valid API key.' }],
    ['a stalled handshake past the attempt timeout', { kind: 'stall' }],
  ];
  for (const [name, fault] of before) {
    it(`${name} → Whisper transcribes the same audio, one row per attempt, no error`, async () => {
      mocks.google.fail({ fault, times: 1 });
      const model = new inference.STT(ID, { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      const events = await transcribe(model, sineFrames(1.0));
      expect(finals(events)).toEqual(['hello from local whisper']);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['google', 'error', null],
        ['whisper', 'fallback', ID],
      ]);
    });
  }

  it('a connection dropped after transcripts began is surfaced as an error, not a fallback', async () => {
    mocks.google.fail({ fault: { kind: 'drop', afterChunks: 3 }, times: 1 });
    const model = new inference.STT(ID, { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(2.5));
    expect(finals(events).length).toBeGreaterThanOrEqual(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect(mocks.local.requests).toHaveLength(0);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['google', 'error']]);
  });

  it('a refused session with no fallback is surfaced (non-recoverable error event) and recorded', async () => {
    mocks.google.fail({ fault: { kind: 'status', status: 403, message: 'API key not valid. Please pass a valid API key.' }, times: 1 });
    const model = new inference.STT(ID, { gateway: gw, fallback: [] });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(1.0));
    expect(finals(events)).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['google', 'error']]);
    expect(rows[0]!.error).toMatch(/Gemini STT/);
  });
});
