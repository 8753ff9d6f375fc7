import { stt } from '@livekit/agents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway.js';
import { inference } from '../../src/index.js';
import { type Fault, sineFrame, sineFrames } from '../../src/testing/index.js';
import { captureErrors, captureMetrics, type Mocks, mockProviders, openGateway, startMocks, transcribe, rowsSince as ledgerRowsSince } from '../helpers/stack.js';

// ElevenLabs STT (Scribe) through the drop-in over the real @livekit/agents-plugin-elevenlabs, against
// the mock's realtime WebSocket (scribe_v2_realtime) and batch POST (scribe_v1 / scribe_v2): the same
// suite the other STT providers pass (metering, pricing, fallback before / after the first transcript,
// errors surfaced, one ledger row per attempt).

let mocks: Mocks;
let gw: Gateway;
const SCRIBE = 'hello from the mock scribe';
const REALTIME = 'elevenlabs/scribe_v2_realtime';

beforeAll(async () => {
  await import('@livekit/agents-plugin-elevenlabs'); // a first import must not count against the attempt timeout
  mocks = await startMocks({ elevenlabs: { stt: { transcript: SCRIBE } } });
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
  mocks.elevenlabs.reset();
  mocks.local.reset();
});

const rowsSince = (since: number) => ledgerRowsSince(gw, since);

const finals = (events: stt.SpeechEvent[]) => events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0].text);
const perHourNanos = (usd: number, seconds: number) => Math.round((seconds / 3600) * usd * 1e9);

describe(`inference.STT('${REALTIME}') over the realtime WebSocket`, () => {
  it('partials become interim transcripts, the commit a final one; the audio sent is metered and priced at the catalog rate', async () => {
    const model = new inference.STT(REALTIME, { gateway: gw });
    expect(model).toBeInstanceOf(stt.STT);
    expect([model.provider, model.model]).toEqual(['elevenlabs', 'scribe_v2_realtime']);
    const metrics = captureMetrics<{ audioDurationMs: number }>(model);
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(1.5));
    expect(errors).toEqual([]);
    expect(finals(events)).toEqual([SCRIBE]);
    expect(events.some((e) => e.type === stt.SpeechEventType.INTERIM_TRANSCRIPT && e.alternatives![0].text === 'hello')).toBe(true);
    const conn = mocks.elevenlabs.requests.at(-1)!;
    expect(conn.path).toBe('/v1/speech-to-text/realtime');
    // ElevenLabs commits turns itself by default (a voice agent never flushes its STT)
    expect(conn.query).toMatchObject({ model_id: 'scribe_v2_realtime', audio_format: 'pcm_16000', commit_strategy: 'vad' });
    expect(conn.headers['xi-api-key']).toBe('el-test');
    const sent = conn.messages as { message_type: string; commit: boolean; sample_rate: number }[];
    expect(sent.every((m) => m.message_type === 'input_audio_chunk' && m.sample_rate === 16000)).toBe(true);
    expect(sent.at(-1)!.commit).toBe(true);
    const session = mocks.elevenlabs.sttSessions.at(-1)!;
    expect(session.audioSeconds).toBeCloseTo(1.5, 3);
    // the plugin's own usage report (what it sent), forwarded once to the session
    expect(metrics.reduce((s, m) => s + m.audioDurationMs, 0)).toBeCloseTo(1500, -1);
    const rows = await rowsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'elevenlabs', model: 'scribe_v2_realtime', status: 'success', error: null, pricingSource: 'voicegateway-catalog@2026-09-04' });
    expect(rows[0]!.inputUnits).toBeCloseTo(1.5, 3);
    expect(rows[0]!.costNanos).toBe(perHourNanos(0.39, rows[0]!.inputUnits));
  });

  it("a language variant is sent as language_code and the plain committed_transcript is the final", async () => {
    const model = new inference.STT(`${REALTIME}:de`, { gateway: gw });
    const events = await transcribe(model, sineFrames(0.6));
    expect(finals(events)).toEqual([SCRIBE]);
    const conn = mocks.elevenlabs.requests.at(-1)!;
    expect(conn.query.language_code).toBe('de');
    expect(conn.query.include_language_detection).toBeUndefined();
  });

  const before: [string, Fault][] = [
    ['an auth_error before the socket closes', { kind: 'status', status: 401, message: 'Invalid API key' }],
    ['a stalled handshake past the attempt timeout', { kind: 'stall' }],
    ['a refused connection', { kind: 'refuse' }],
  ];
  for (const [name, fault] of before) {
    it(`${name} → Whisper transcribes the same audio: one row per attempt, no error`, async () => {
      mocks.elevenlabs.fail({ fault, times: 1 });
      const model = new inference.STT(REALTIME, { gateway: gw });
      const errors = captureErrors(model);
      const since = Date.now();
      const events = await transcribe(model, sineFrames(1.0));
      expect(finals(events)).toEqual(['hello from local whisper']);
      expect(errors).toEqual([]);
      const rows = await rowsSince(since);
      expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
        ['elevenlabs', 'error', null],
        ['whisper', 'fallback', REALTIME],
      ]);
      // the drop-in bills the audio it handed the plugin, at the catalog rate, even on a failed attempt
      expect(rows[0]!.costNanos).toBe(perHourNanos(0.39, rows[0]!.inputUnits));
      expect(mocks.local.requests.at(-1)!.audioBytes).toBeGreaterThan(0.9 * 16000 * 2);
    });
  }

  it('a connection dropped after transcripts began is surfaced as an error, not a fallback', async () => {
    // 1.5 s: partials at 0.5 s and 1 s; the cut follows the second one
    mocks.elevenlabs.fail({ fault: { kind: 'drop', afterChunks: 2 }, times: 1 });
    const model = new inference.STT(REALTIME, { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(1.5));
    expect(events.some((e) => e.type === stt.SpeechEventType.INTERIM_TRANSCRIPT)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    expect(mocks.local.requests).toHaveLength(0);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status])).toEqual([['elevenlabs', 'error']]);
    expect(rows[0]!.error).toMatch(/closed unexpectedly|1006/);
  });

  it('an auth error with no fallback is surfaced (non-recoverable error event) and recorded', async () => {
    mocks.elevenlabs.fail({ fault: { kind: 'status', status: 401, message: 'Invalid API key' }, times: 1 });
    const model = new inference.STT(REALTIME, { gateway: gw, fallback: [] });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(0.5));
    expect(finals(events)).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.recoverable).toBe(false);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status, r.costNanos])).toEqual([['elevenlabs', 'error', perHourNanos(0.39, rows[0]!.inputUnits)]]);
    // the plugin reports the close that follows ElevenLabs' auth_error message (code 1008)
    expect(rows[0]!.error).toMatch(/1008.*closed unexpectedly/);
    expect(String(errors[0]!.error.message)).toMatch(/closed unexpectedly/);
  });
});

describe("inference.STT('elevenlabs/scribe_v2') over the batch API", () => {
  it('VAD-cut utterances are POSTed as WAV to /v1/speech-to-text; the audio is metered and priced', async () => {
    const model = new inference.STT('elevenlabs/scribe_v2', { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(1.0));
    expect(errors).toEqual([]);
    expect(finals(events)).toEqual([SCRIBE]);
    const post = mocks.elevenlabs.requests.at(-1)!;
    expect([post.method, post.path, post.query.enable_logging]).toEqual(['POST', '/v1/speech-to-text', 'true']);
    expect(post.body).toMatchObject({ model_id: 'scribe_v2', file: { filename: 'audio.wav', type: 'audio/x-wav' } });
    expect(post.headers['xi-api-key']).toBe('el-test');
    const rows = await rowsSince(since);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'elevenlabs', model: 'scribe_v2', status: 'success', pricingSource: 'voicegateway-catalog@2026-09-04' });
    expect(rows[0]!.inputUnits).toBeCloseTo(1.0, 3);
    expect(rows[0]!.costNanos).toBe(perHourNanos(0.22, rows[0]!.inputUnits));
  });

  it('recognize() sends one request (no plugin retries) and bills the clip', async () => {
    const model = new inference.STT('elevenlabs/scribe_v1', { gateway: gw });
    const since = Date.now();
    const event = await model.recognize(sineFrame(0.75));
    expect(event.alternatives![0].text).toBe(SCRIBE);
    expect(mocks.elevenlabs.requests.map((r) => r.path)).toEqual(['/v1/speech-to-text']);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.model, r.status, r.inputUnits, r.costNanos])).toEqual([['elevenlabs', 'scribe_v1', 'success', 0.75, perHourNanos(0.22, 0.75)]]);
  });

  it('a 503 falls back to Whisper at once (one ElevenLabs request, one row per attempt)', async () => {
    mocks.elevenlabs.fail({ fault: { kind: 'status', status: 503 }, times: 1 });
    const model = new inference.STT('elevenlabs/scribe_v2', { gateway: gw });
    const errors = captureErrors(model);
    const since = Date.now();
    const events = await transcribe(model, sineFrames(1.0));
    expect(finals(events)).toEqual(['hello from local whisper']);
    expect(errors).toEqual([]);
    expect(mocks.elevenlabs.requests).toHaveLength(1);
    const rows = await rowsSince(since);
    expect(rows.map((r) => [r.provider, r.status, r.fallbackFrom])).toEqual([
      ['elevenlabs', 'error', null],
      ['whisper', 'fallback', 'elevenlabs/scribe_v2'],
    ]);
    // the failed request ended the attempt (not the 800 ms attempt timeout)
    expect(rows[0]!.error).toMatch(/APIConnectionError/);
  });
});
